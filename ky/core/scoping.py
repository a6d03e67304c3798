"""Kommune scoping: the single way to data a user may see (api.md).

Every kommune-bound model uses ``ScopedQuerySet`` (or a subclass) and every
list, detail, form, API view, export and job reaches its rows through
``Model.objects.for_user(user)``. Objects outside the user's kommuner are simply
not in the queryset, so a detail lookup answers 404 exactly as if the object did
not exist.
"""

from __future__ import annotations

from django.db import models

from ky.core.roles import UNBOUND_ROLES


def sees_all_kommuner(user) -> bool:
    """True for users bound to no kommune (superuser, unbound roles); needs no query."""
    return bool(user is not None and user.is_authenticated
                and (user.is_superuser or getattr(user, "role", None) in UNBOUND_ROLES))


def user_kommune_codes(user) -> list[int] | None:
    """The kommunekoder a user is bound to; None means 'all kommuner'."""
    if user is None or not user.is_authenticated:
        return []
    if sees_all_kommuner(user):
        return None
    cached = getattr(user, "_ky_kommuner", None)
    if cached is None:
        cached = list(user.kommuner.values_list("kode", flat=True))
        user._ky_kommuner = cached
    return cached


class ScopedQuerySet(models.QuerySet):
    #: the lookup path from this model to its kommune's code
    kommune_path = "kommune_id"

    def for_user(self, user):
        codes = user_kommune_codes(user)
        if codes is None:
            return self
        return self.filter(**{f"{self.kommune_path}__in": codes})

    def for_kommune(self, kode: int):
        return self.filter(**{self.kommune_path: kode})


def scoped_manager(path: str = "kommune_id"):
    """A manager whose queryset scopes by ``path``; use as ``objects = scoped_manager()``."""
    qs_class = type("ScopedQuerySet_" + path.replace("__", "_"), (ScopedQuerySet,), {"kommune_path": path})
    return qs_class.as_manager()
