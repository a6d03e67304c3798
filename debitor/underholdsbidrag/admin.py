"""Django admin for drift (operators): underholdsbidrag's tables, read-only. Everything is
changed through the screens and the API (services.py validates, advises and audits);
the changelists select their foreign keys in the same query (no N+1)."""

from django.contrib import admin

from debitor.underholdsbidrag import models as m


class LaeseAdmin(admin.ModelAdmin):
    show_full_result_count = False
    list_per_page = 100

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(m.Sats)
class SatsAdmin(LaeseAdmin):
    list_display = ["bidragsart", "gyldig_fra", "gyldig_til", "beloeb"]
    list_filter = ["bidragsart"]
    search_fields = ["=bidragsart"]


@admin.register(m.UBSag)
class UBSagAdmin(LaeseAdmin):
    list_display = ["id", "kommune", "omraade", "bb_cpr", "bb_statuskode", "udbetalingsform", "ratevis",
                    "inaktiv_siden", "aendret"]
    list_filter = ["kommune", "bb_statuskode", "udbetalingsform", "ratevis"]
    search_fields = ["=id", "=bb_cpr", "=bidragspersoner__cpr", "=bidragspligtige__cpr"]
    list_select_related = ["kommune"]


@admin.register(m.Bidragsperson)
class BidragspersonAdmin(LaeseAdmin):
    list_display = ["cpr", "sag", "statuskode", "ab_kode", "tilgodehavende_bb", "tilgodehavende_off", "inaktiv_siden"]
    list_filter = ["statuskode", "ab_kode", "sag__kommune"]
    search_fields = ["=cpr", "=sag__id"]
    list_select_related = ["sag"]


@admin.register(m.Bidragspligtig)
class BidragspligtigAdmin(LaeseAdmin):
    list_display = ["cpr", "sag", "afkraevningskommune", "diskretion", "pnr_ugyldig"]
    list_filter = ["diskretion", "pnr_ugyldig", "sag__kommune"]
    search_fields = ["=cpr", "=sag__id"]
    list_select_related = ["sag"]


@admin.register(m.Bidrag)
class BidragAdmin(LaeseAdmin):
    list_display = ["id", "kommune", "bp", "bidragsart", "bpl_cpr", "forfaldsdato", "forfaldsfrekvens",
                    "fast_bidrag", "procentsats", "bidragskode"]
    list_filter = ["kommune", "bidragsart", "forfaldsfrekvens", "bidragskode"]
    search_fields = ["=bp__cpr", "=bpl_cpr", "=bp__sag__id"]
    list_select_related = ["kommune", "bp"]


@admin.register(m.TillaegFradrag)
class TillaegFradragAdmin(LaeseAdmin):
    list_display = ["id", "sag", "bp", "tf_kode", "bidragsart", "beloeb", "dato", "fra_dato", "til_dato",
                    "beloebsmodtager", "maskinel", "koersel"]
    list_filter = ["maskinel", "beloebsmodtager", "bidragsart", "sag__kommune"]
    search_fields = ["=bp__cpr", "=sag__id"]
    list_select_related = ["sag", "bp", "koersel"]


@admin.register(m.Anmodning)
class AnmodningAdmin(LaeseAdmin):
    list_display = ["id", "sag", "bp", "bidragsart", "forfaldsdato", "brugt_af"]
    list_filter = ["bidragsart", "sag__kommune"]
    search_fields = ["=bp__cpr", "=sag__id"]
    list_select_related = ["sag", "bp", "brugt_af"]


@admin.register(m.Beregning)
class BeregningAdmin(LaeseAdmin):
    list_display = ["id", "kommune", "sag", "type", "bidragsart", "bidragskode", "forfaldsdato", "udbetalingsdato",
                    "beloeb", "udbetales", "afkraeves", "koersel"]
    list_filter = ["kommune", "type", "bidragskode", "udbetales", "afkraeves"]
    search_fields = ["=sag__id", "=bp__cpr", "=bpl_cpr", "=koersel__id"]
    list_select_related = ["kommune", "sag", "koersel"]


@admin.register(m.Meddelelse)
class MeddelelseAdmin(LaeseAdmin):
    list_display = ["id", "kommune", "art", "nr", "sag", "koersel", "tekst", "oprettet"]
    list_filter = ["kommune", "art", "nr"]
    search_fields = ["=nr", "=sag__id", "=koersel__id"]
    list_select_related = ["kommune", "sag", "koersel"]


@admin.register(m.Udbetaling)
class UdbetalingAdmin(LaeseAdmin):
    list_display = ["id", "kommune", "koersel", "sag", "modtager", "udbetalingsform", "udbetalingsdato", "beloeb"]
    list_filter = ["kommune", "udbetalingsform"]
    search_fields = ["=modtager", "=koersel__id", "=sag__id"]
    list_select_related = ["kommune", "koersel", "sag"]


@admin.register(m.Afkraevning)
class AfkraevningAdmin(LaeseAdmin):
    list_display = ["id", "kommune", "koersel", "bpl", "afkraevningskommune", "dato", "beloeb", "fordring_id"]
    list_filter = ["kommune"]
    search_fields = ["=bpl", "=koersel__id"]
    list_select_related = ["kommune", "koersel"]


@admin.register(m.Postering)
class PosteringAdmin(LaeseAdmin):
    list_display = ["id", "kommune", "koersel", "konto", "kontogruppe", "debet", "kredit", "posteringsdato",
                    "personnr"]
    list_filter = ["kommune", "kontogruppe"]
    search_fields = ["=konto", "=personnr", "=koersel__id"]
    list_select_related = ["kommune", "koersel"]


@admin.register(m.Anmodningsbrev)
class AnmodningsbrevAdmin(LaeseAdmin):
    list_display = ["id", "kommune", "koersel", "sag", "bidragsart", "bpl_cpr", "forfaldsdato"]
    list_filter = ["kommune", "bidragsart"]
    search_fields = ["=bpl_cpr", "=sag__id", "=koersel__id"]
    list_select_related = ["kommune", "koersel", "sag"]


@admin.register(m.Kontoplan)
class KontoplanAdmin(LaeseAdmin):
    list_display = ["kommune", "kontogruppe", "bidragskode", "bidragsart", "konto"]
    list_filter = ["kommune", "kontogruppe"]
    search_fields = ["=konto"]
    list_select_related = ["kommune"]


@admin.register(m.Tilslutning)
class TilslutningAdmin(LaeseAdmin):
    """seed 004, 3.11.2: maintained by the faggruppe through the API; drift only looks."""
    list_display = ["kommune", "pbs_start", "pbs_slut", "standardcheck_start", "standardcheck_slut", "aendret"]
    search_fields = ["=kommune__kode", "kommune__navn"]
    list_select_related = ["kommune"]


@admin.register(m.Adresse)
class AdresseAdmin(LaeseAdmin):
    """The adresseringsgrundlag (P-data feed); written through PUT adresser/ or indlaes_adresser."""

    list_display = ["cpr", "kommunekode", "vejkode", "husnr", "etage", "side", "postnr", "udland", "opdateret"]
    list_filter = ["udland"]
    search_fields = ["=cpr"]


@admin.register(m.Registerindsigt)
class RegisterindsigtAdmin(LaeseAdmin):
    list_display = ["id", "kommune", "cpr", "bestilt", "dannet", "koersel", "blank"]
    list_filter = ["kommune", "blank"]
    search_fields = ["=cpr", "=koersel__id"]
    list_select_related = ["kommune", "koersel"]
