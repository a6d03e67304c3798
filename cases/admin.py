from django.contrib import admin

from cases import models as m


@admin.register(m.Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["cpr", "navn", "oprettet"]
    search_fields = ["=cpr", "navn"]
    show_full_result_count = False


@admin.register(m.Sag)
class SagAdmin(admin.ModelAdmin):
    list_display = ["id", "kommune", "person", "ydelsestype", "status", "startdato", "lukket_dato"]
    list_filter = ["status", "ydelsestype", "kommune"]
    search_fields = ["=id", "=person__cpr"]
    raw_id_fields = ["person", "sagsbehandler"]
    list_select_related = ["kommune", "person"]
    show_full_result_count = False


@admin.register(m.Bevilling)
class BevillingAdmin(admin.ModelAdmin):
    list_display = ["id", "kommune", "person", "ydelsestype", "kmd_aktiv_bevillingsnr", "sag", "status",
                    "bevilget_fra", "bevilget_til", "maanedligt_beloeb"]
    list_filter = ["status", "ydelsestype", "kommune"]
    search_fields = ["=id", "=person__cpr", "=kmd_aktiv_bevillingsnr"]
    raw_id_fields = ["person", "sag"]
    list_select_related = ["kommune", "person", "sag"]
    show_full_result_count = False


@admin.register(m.Opgavepakke)
class OpgavepakkeAdmin(admin.ModelAdmin):
    list_display = ["id", "kommune", "kode", "navn"]
    list_filter = ["kommune"]
    search_fields = ["kode", "navn"]


@admin.register(m.Fordelingsnoegle)
class FordelingsnoegleAdmin(admin.ModelAdmin):
    list_display = ["id", "kommune", "opgavepakke", "prioritet", "opgavetype", "ydelsestype", "foedselsdag_fra",
                    "foedselsdag_til", "team"]
    list_filter = ["kommune"]


@admin.register(m.Opgave)
class OpgaveAdmin(admin.ModelAdmin):
    list_display = ["id", "kommune", "type", "status", "aarsag", "opgavepakke", "frist", "reserveret_af", "oprettet"]
    list_filter = ["status", "type", "kommune"]
    search_fields = ["=id", "=person__cpr", "titel"]
    raw_id_fields = ["sag", "person", "reserveret_af", "afsluttet_af", "opgavepakke"]
    list_select_related = ["kommune", "opgavepakke", "reserveret_af"]
    show_full_result_count = False


@admin.register(m.Dokument)
class DokumentAdmin(admin.ModelAdmin):
    list_display = ["id", "kommune", "sag", "titel", "oprettet", "kassationsdato"]
    list_filter = ["kommune"]
    raw_id_fields = ["sag", "person"]


@admin.register(m.Selvbetjeningskladde)
class SelvbetjeningskladdeAdmin(admin.ModelAdmin):
    list_display = ["id", "kommune", "person", "ydelsestype", "aendret"]
    list_filter = ["kommune", "ydelsestype"]
    raw_id_fields = ["person"]


@admin.register(m.Abonnement)
class AbonnementAdmin(admin.ModelAdmin):
    list_display = ["id", "kommune", "person", "type", "oprettet"]
    list_filter = ["kommune", "type"]
    raw_id_fields = ["person"]
