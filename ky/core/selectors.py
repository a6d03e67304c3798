"""Reads of the bottom layer."""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Exists, OuterRef, QuerySet

from ky.core.models import Kommune, User

# Querysets with a ``kommune_id`` column whose rows put a kommune "i drift" (in operation). Domain
# apps add theirs in AppConfig.ready (cases: its sager), so this layer names no domain model.
_AKTIVITET: list[Callable[[], QuerySet]] = []


def register_kommune_activity(queryset: Callable[[], QuerySet]) -> None:
    if queryset not in _AKTIVITET:
        _AKTIVITET.append(queryset)


def kommuner_i_drift() -> list[int]:
    """The kommuner a per-kommune job runs for when none is named: kommuner in operation, i.e. with at
    least one user or a row in a registered activity (the 98 kommuner all exist; most have no data)."""
    cond = Exists(User.kommuner.through.objects.filter(kommune_id=OuterRef("pk")))
    for queryset in _AKTIVITET:
        cond |= Exists(queryset().filter(kommune_id=OuterRef("pk")))
    return list(Kommune.objects.filter(cond).order_by("kode").values_list("kode", flat=True))
