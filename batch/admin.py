"""Django admin for drift (batch.md): runs filterable by job, kommune, status and date;
detail with counts, duration, errors and log; "Kør igen" and cancel of a queued run."""

from django.contrib import admin, messages

from batch import services
from batch.models import Batchkonstant, BatchkonstantAendring, Koersel, KoerselStatus


@admin.register(Koersel)
class KoerselAdmin(admin.ModelAdmin):
    list_display = ["id", "job", "kommune", "as_of", "status", "dry_run", "trigger", "oprettet", "varighed",
                    "fremdrift"]
    list_filter = ["job", "kommune", "status", ("as_of", admin.DateFieldListFilter), "trigger", "dry_run"]
    date_hierarchy = "oprettet"
    search_fields = ["job", "besked"]
    readonly_fields = [f.name for f in Koersel._meta.fields] + ["varighed", "fremdrift"]
    actions = ["koer_igen", "annuller"]
    list_select_related = ["kommune"]

    @admin.display(description="varighed")
    def varighed(self, obj):
        if obj.startet and obj.afsluttet:
            return obj.afsluttet - obj.startet
        return "-"

    @admin.display(description="fremdrift")
    def fremdrift(self, obj):
        return f"{obj.progress_done}/{obj.progress_total}" if obj.progress_total else str(obj.progress_done)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser or getattr(request.user, "role", None) == "drift"

    has_view_permission = has_change_permission
    has_module_permission = has_change_permission

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description="Kør igen")
    def koer_igen(self, request, queryset):
        n = 0
        for koersel in queryset:
            try:
                services.rerun(koersel, user=request.user)
                n += 1
            except services.RunAlreadyActive as exc:
                self.message_user(request, str(exc), messages.WARNING)
        self.message_user(request, f"{n} kørsel(er) lagt i kø igen.")

    @admin.action(description="Annullér kørsel i kø")
    def annuller(self, request, queryset):
        n = sum(services.cancel_run(k) for k in queryset.filter(status=KoerselStatus.QUEUED))
        self.message_user(request, f"{n} kørsel(er) annulleret.")


@admin.register(Batchkonstant)
class BatchkonstantAdmin(admin.ModelAdmin):
    list_display = ["kommune", "job", "noegle", "vaerdi", "gyldig_fra", "aendret"]
    list_filter = ["job", "kommune"]


@admin.register(BatchkonstantAendring)
class BatchkonstantAendringAdmin(admin.ModelAdmin):
    list_display = ["tidspunkt", "bruger", "kommune", "job", "noegle", "gammel", "ny", "gyldig_fra"]
    list_filter = ["job", "kommune"]
    readonly_fields = [f.name for f in BatchkonstantAendring._meta.fields]
