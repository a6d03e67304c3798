"""Django admin for drift: agreements, effektueringer, and the files sent and received,
including files still in flight (status "Under afsendelse"/"Datafil uploadet, trigger mangler")."""

from django.contrib import admin

from integrations.sf2520 import models as m


@admin.register(m.Betalingsadministrationsaftale)
class AftaleAdmin(admin.ModelAdmin):
    list_display = ["aftale_id", "kommune", "cpr", "maanedligt_beloeb", "gyldig_fra", "gyldig_til", "status"]
    list_filter = ["status", "kommune"]
    search_fields = ["=aftale_id", "=cpr"]
    raw_id_fields = ["person"]
    show_full_result_count = False


@admin.register(m.Effektuering)
class EffektueringAdmin(admin.ModelAdmin):
    list_display = ["id", "kommune", "bevilling", "maaned", "brutto", "modregning", "netto", "status", "udbetalingsdato"]
    list_filter = ["status", "kommune", "maaned"]
    search_fields = ["=id", "=person__cpr"]
    raw_id_fields = ["bevilling", "person", "forrige", "godkendt_af"]
    readonly_fields = ["brutto", "modregning", "netto", "status"]  # changed only through the screen (audit)
    list_select_related = ["kommune", "bevilling"]
    show_full_result_count = False


@admin.register(m.SendtFil)
class SendtFilAdmin(admin.ModelAdmin):
    list_display = ["filnavn", "art", "kommune", "loebenummer", "antal", "sum_beloeb", "status", "sendt", "kvitteret"]
    list_filter = ["art", "status", "kommune"]
    search_fields = ["filnavn", "=senders_file_id"]
    exclude = ["indhold"]
    readonly_fields = [f.name for f in m.SendtFil._meta.fields if f.name != "indhold"]
    list_select_related = ["kommune"]


@admin.register(m.ModtagetFil)
class ModtagetFilAdmin(admin.ModelAdmin):
    list_display = ["filnavn", "kommune", "status", "antal", "tid"]
    list_filter = ["status", "kommune"]
    search_fields = ["filnavn"]
    readonly_fields = ["filnavn", "kommune", "status", "antal", "fejl", "tid"]
