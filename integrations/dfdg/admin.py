"""Django admin for drift: frister with their history, bookinger, fravær, kontaktforløb, the dated kontaktgruppe
table, the outbox and its subscribers. Frister and messages are read-only here: they change only through the
services (the state machine and the outbox triggers)."""

from django.contrib import admin

from integrations.dfdg import models as m


class ReadOnly:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class StatusaendringInline(ReadOnly, admin.TabularInline):
    model = m.FristStatusaendring
    extra = 0
    fields = ["status", "tidspunkt", "aarsag"]


@admin.register(m.Frist)
class FristAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["id", "kommune", "cpr", "samtaletype", "status", "fristdato", "fristaktiveringsdato", "aendret"]
    list_filter = ["status", "samtaletype", "kommune"]
    search_fields = ["=id", "=cpr"]
    list_select_related = ["kommune"]
    inlines = [StatusaendringInline]
    show_full_result_count = False


@admin.register(m.Booking)
class BookingAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["id", "cpr", "samtaletype", "moededato", "oprettet"]
    list_filter = ["samtaletype"]
    search_fields = ["=cpr"]
    show_full_result_count = False


@admin.register(m.Fravaer)
class FravaerAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["id", "cpr", "fravaerstype", "fra", "til", "oprettet"]
    list_filter = ["fravaerstype"]
    search_fields = ["=cpr"]
    show_full_result_count = False


class RegelInline(admin.TabularInline):
    model = m.SamtaletypeKontaktgruppe
    extra = 0


@admin.register(m.Kontaktgruppe)
class KontaktgruppeAdmin(admin.ModelAdmin):
    """The dated samtaletype rules may be corrected here by drift (a new row with its gyldig_fra)."""

    list_display = ["kode", "navn"]
    inlines = [RegelInline]


@admin.register(m.Kontaktforloeb)
class KontaktforloebAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["id", "kommune", "cpr", "kontaktgruppe", "fra", "til", "akasse"]
    list_filter = ["kontaktgruppe", "kommune"]
    search_fields = ["=cpr"]
    list_select_related = ["kommune", "kontaktgruppe"]
    show_full_result_count = False


@admin.register(m.Besked)
class BeskedAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["id", "position", "kanal", "navn", "kommune", "akasse", "frist_id", "cpr", "oprettet"]
    list_filter = ["kanal", "navn", "kommune"]
    search_fields = ["=cpr", "=frist_id"]
    list_select_related = ["kommune"]
    show_full_result_count = False


@admin.register(m.Abonnement)
class AbonnementAdmin(admin.ModelAdmin):
    list_display = ["id", "navn", "kommune", "akasse", "kvitteret_til", "oprettet", "oprettet_af"]
    list_filter = ["kommune"]
    readonly_fields = ["kvitteret_til", "oprettet", "oprettet_af"]  # the cursor moves only by acknowledging
    list_select_related = ["kommune"]


@admin.register(m.RequestId)
class RequestIdAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["request_id", "bruger", "tidspunkt"]
    search_fields = ["=request_id"]
    show_full_result_count = False
