"""Users, roles and their kommuner (api.md)."""

from __future__ import annotations

from django.db import transaction

from cases.models import Kommune, User
from ky.core.roles import UNBOUND_ROLES, Role


class AccountError(Exception):
    pass


@transaction.atomic
def create_or_update_user(username: str, *, role: str, kommuner: list[int] = (), password: str | None = None,
                          token: bool = False, first_name: str = "", last_name: str = ""):
    if role not in Role.values:
        raise AccountError(f"Ukendt rolle: {role}")
    found = set(Kommune.objects.filter(kode__in=kommuner).values_list("kode", flat=True))
    unknown = sorted(set(kommuner) - found)
    if unknown:
        raise AccountError(f"Ukendt kommunekode: {', '.join(map(str, unknown))}")
    if role not in UNBOUND_ROLES and not kommuner:
        raise AccountError(f"Rollen {role} skal have mindst én kommune (--kommune).")
    user, created = User.objects.get_or_create(username=username)
    user.role = role
    user.is_staff = role == Role.DRIFT
    if first_name:
        user.first_name = first_name
    if last_name:
        user.last_name = last_name
    if password:
        user.set_password(password)
    elif created:
        user.set_unusable_password()
    user.save()
    user.kommuner.set(kommuner if role not in UNBOUND_ROLES else [])
    if role == Role.DRIFT:
        _grant_drift_permissions(user)
    key = None
    if token:
        from rest_framework.authtoken.models import Token

        key = Token.objects.get_or_create(user=user)[0].key
    return user, created, key


def _grant_drift_permissions(user: User) -> None:
    """Drift reads everything in Django admin and manages batch runs (batch.md)."""
    from django.contrib.auth.models import Group, Permission

    group, _ = Group.objects.get_or_create(name="drift")
    perms = Permission.objects.filter(content_type__app_label__in=["core", "cases", "debitor", "batch", "integrations",
                                                                   "sf2520", "underholdsbidrag"],
                                      codename__startswith="view_")
    group.permissions.add(*perms)
    group.permissions.add(*Permission.objects.filter(content_type__app_label="batch"))
    group.permissions.add(*Permission.objects.filter(content_type__app_label="django_rq"))
    user.groups.add(group)


DEMO_USERS = [
    # username, password, role, kommuner, name
    ("sagsbehandler", "ky-demo-2026", Role.SAGSBEHANDLER, [101], ("Sofie", "Sagsbehandler")),
    ("kommuneadmin", "ky-demo-2026", Role.KOMMUNEADMIN, [101], ("Karl", "Kommuneadmin")),
    ("drift", "ky-demo-2026", Role.DRIFT, [], ("Dorte", "Drift")),
]
