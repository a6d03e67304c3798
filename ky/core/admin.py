"""Django admin for the bottom layer: users, kommuner, the access log."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from ky.core import models as m


@admin.register(m.User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "first_name", "last_name", "role", "is_active"]
    list_filter = ["role", "is_active", "kommuner"]
    fieldsets = BaseUserAdmin.fieldsets + (("ky", {"fields": ("role", "kommuner")}),)
    filter_horizontal = ["kommuner", "groups", "user_permissions"]


@admin.register(m.Kommune)
class KommuneAdmin(admin.ModelAdmin):
    list_display = ["kode", "navn"]
    search_fields = ["kode", "navn"]


@admin.register(m.Adgangslog)
class AdgangslogAdmin(admin.ModelAdmin):
    list_display = ["tidspunkt", "brugernavn", "cpr", "visning"]
    list_filter = ["tidspunkt"]
    search_fields = ["=cpr", "brugernavn"]
    date_hierarchy = "tidspunkt"
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
