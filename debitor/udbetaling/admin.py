"""Django admin for drift: payments, finansbilag, indbetalinger and inddrivelse read-only (they
move only through the jobs and screens, by the state table); the kommune's kontoplan
(Finanskonto) and afdragsordninger are edited here."""

from django.contrib import admin

from debitor.udbetaling import models as m


class ReadOnly(admin.ModelAdmin):
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(m.Udbetaling)
class UdbetalingAdmin(ReadOnly):
    list_display = ["id", "kommune", "cpr", "modtagertype", "maade", "beloeb", "udbetalingsdato", "kilde", "kilde_id",
                    "forsoeg", "status", "status_tid", "afvist_aarsag"]
    list_filter = ["status", "kilde", "maade", "kommune"]
    search_fields = ["=id", "=cpr", "=kilde_id"]
    list_select_related = ["kommune"]


@admin.register(m.Kvikudbetaling)
class KvikudbetalingAdmin(ReadOnly):
    list_display = ["id", "kommune", "bevilling", "beloeb", "bruger", "oprettet"]
    list_filter = ["kommune"]
    list_select_related = ["kommune", "bevilling", "bruger"]


class LinjeInline(admin.TabularInline):
    model = m.FinansbilagLinje
    extra = 0
    can_delete = False
    readonly_fields = ["konto", "debet", "kredit", "cpr", "tekst"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(m.Finansbilag)
class FinansbilagAdmin(ReadOnly):
    list_display = ["id", "kommune", "bogfoeringsdato", "nr", "status", "sum_debet", "sum_kredit", "afvist_aarsag"]
    list_filter = ["status", "kommune"]
    list_select_related = ["kommune"]
    inlines = [LinjeInline]


@admin.register(m.Indbetaling)
class IndbetalingAdmin(ReadOnly):
    list_display = ["id", "kommune", "filnavn", "linje", "kontonr", "beloeb", "daekket", "overskud", "fejl"]
    list_filter = ["kommune"]
    search_fields = ["=cpr", "=kontonr", "filnavn"]
    list_select_related = ["kommune"]


@admin.register(m.Inddrivelseskrav)
class InddrivelseskravAdmin(ReadOnly):
    list_display = ["id", "kommune", "fordring", "status", "sendt_dato", "restgaeld_sendt", "gange"]
    list_filter = ["status", "kommune"]
    list_select_related = ["kommune", "fordring"]


@admin.register(m.Periodekrav)
class PeriodekravAdmin(ReadOnly):
    list_display = ["id", "kommune", "afdragsordning", "periode", "forfaldsdato", "beloeb"]
    list_filter = ["kommune", "periode"]
    list_select_related = ["kommune", "afdragsordning"]


@admin.register(m.Finanskonto)
class FinanskontoAdmin(admin.ModelAdmin):
    list_display = ["kommune", "noegle", "konto", "tekst"]
    list_filter = ["kommune"]
    search_fields = ["noegle", "konto"]


@admin.register(m.Afdragsordning)
class AfdragsordningAdmin(admin.ModelAdmin):
    list_display = ["id", "kommune", "debitorkonto", "maanedligt_beloeb", "startdato", "slutdato"]
    list_filter = ["kommune"]
    raw_id_fields = ["debitorkonto"]
    list_select_related = ["kommune", "debitorkonto"]


@admin.register(m.Overdragelse)
class OverdragelseAdmin(ReadOnly):
    list_display = ["id", "kommune", "debitorkonto", "aarsag", "til_kommune", "ny_debitorkonto", "saldo", "dato"]
    list_filter = ["aarsag", "kommune"]
    list_select_related = ["kommune", "debitorkonto", "til_kommune", "ny_debitorkonto"]
