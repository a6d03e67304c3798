"""Django admin for drift: ONE list of every file sent or received by any exchange (issue 17),
with "send igen" for failed outbound files, and the løbenummer counters."""

from django.contrib import admin, messages

from integrations import exchange, models as m


@admin.register(m.Fil)
class FilAdmin(admin.ModelAdmin):
    list_display = ["filnavn", "art", "retning", "kommune", "loebenummer", "antal", "status", "tid", "fejl"]
    list_filter = ["retning", "status", "art", "kommune"]
    search_fields = ["filnavn", "=senders_file_id"]
    exclude = ["indhold"]
    readonly_fields = [f.name for f in m.Fil._meta.fields if f.name != "indhold"]
    list_select_related = ["kommune"]
    show_full_result_count = False
    actions = ["send_igen"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).defer("indhold")

    @admin.action(description="Send valgte fejlede filer igen (ny fil, nyt løbenummer)")
    def send_igen(self, request, queryset):
        from integrations import sftp

        t = sftp.transport()
        try:
            for fil in queryset.order_by("id"):
                try:
                    ny = exchange.send_igen(fil, t)
                    self.message_user(request, f"{fil.filnavn} er sendt igen som {ny.filnavn}.", messages.SUCCESS)
                except exchange.Afvisning as exc:
                    self.message_user(request, f"{fil.filnavn}: {exc.tekst}", messages.ERROR)
        finally:
            t.close()


@admin.register(m.Loebenummer)
class LoebenummerAdmin(admin.ModelAdmin):
    list_display = ["art", "kommune", "sidste"]
    list_filter = ["art"]
    readonly_fields = ["art", "kommune", "sidste"]
    list_select_related = ["kommune"]

    def has_add_permission(self, request):
        return False
