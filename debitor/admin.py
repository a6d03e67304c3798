from django.contrib import admin

from debitor import models as m


class FordringInline(admin.TabularInline):
    model = m.Fordring
    extra = 0
    fields = ["fordring_id", "fordringstype", "hovedstol", "restgaeld", "periode_fra", "periode_til", "stiftelsesdato"]


@admin.register(m.Debitorkonto)
class DebitorkontoAdmin(admin.ModelAdmin):
    list_display = ["id", "kommune", "kontonr", "person", "sag", "bevilling", "kilde"]
    list_filter = ["kilde", "kommune"]
    search_fields = ["=kontonr", "=person__cpr"]
    raw_id_fields = ["person", "sag", "bevilling"]
    list_select_related = ["kommune", "person", "sag", "bevilling"]
    inlines = [FordringInline]
    show_full_result_count = False


@admin.register(m.Fordring)
class FordringAdmin(admin.ModelAdmin):
    list_display = ["id", "kommune", "fordring_id", "fordringstype", "hovedstol", "restgaeld", "periode_fra",
                    "periode_til"]
    list_filter = ["fordringstype", "kommune"]
    search_fields = ["=fordring_id"]
    raw_id_fields = ["debitorkonto"]
    show_full_result_count = False


@admin.register(m.KmdAktivImport)
class KmdAktivImportAdmin(admin.ModelAdmin):
    list_display = ["id", "kommune", "tidspunkt", "bruger", "filnavn", "status", "dry_run", "sha256"]
    list_filter = ["status", "kommune"]
    readonly_fields = ["kommune", "bruger", "tidspunkt", "filnavn", "sha256", "dry_run", "status", "resume", "fejl"]

    def get_queryset(self, request):
        return super().get_queryset(request).for_user(request.user)


@admin.register(m.Tilknytning)
class TilknytningAdmin(admin.ModelAdmin):
    list_display = ["id", "kommune", "debitorkonto", "maade", "sag", "bevilling", "bruger", "tidspunkt"]
    raw_id_fields = ["debitorkonto", "opgave", "sag", "bevilling"]


@admin.register(m.Fordringspostering)
class FordringsposteringAdmin(admin.ModelAdmin):
    list_display = ["id", "kommune", "fordring", "type", "beloeb", "dato", "restgaeld_efter", "bruger"]
    raw_id_fields = ["fordring"]


@admin.register(m.KmdAktivUpload)
class KmdAktivUploadAdmin(admin.ModelAdmin):
    list_display = ["id", "koersel", "kommune", "bruger", "filnavn", "stoerrelse", "dry_run", "oprettet", "kmd_import"]
    list_filter = ["kommune", "dry_run"]
    raw_id_fields = ["koersel", "bruger", "kmd_import"]
    list_select_related = ["koersel", "kommune", "bruger", "kmd_import"]


@admin.register(m.KlikOpgave)
class KlikOpgaveAdmin(admin.ModelAdmin):
    """The MI 32 package's KLIK task; the deadline is set by the kommuneadmin on the package page (tasks follow)."""

    list_display = ["opgavepakke", "kommune", "startdato", "deadline", "deadline_sat_af", "aendret"]
    list_filter = ["kommune"]
    readonly_fields = ["opgavepakke", "kommune", "startdato", "deadline", "deadline_sat_af", "aendret"]
    list_select_related = ["kommune", "opgavepakke"]
