"""Reads of the case domain. Every function takes the user and starts from
``for_user`` (ky.core.scoping)."""

from __future__ import annotations

from django.db.models import Exists, F, OuterRef
from django.db.models.functions import Coalesce

from cases.models import OPEN_STATUSES, Bevilling, Opgave, Opgavepakke, Person, Sag


def sager_for(user):
    return Sag.objects.for_user(user).select_related("person", "sagsbehandler")


def bevillinger_for(user):
    return Bevilling.objects.for_user(user).select_related("person")


def opgavepakker_for(user):
    """Packages with their open/total counts, read from the trigger-kept OpgavepakkeTaelling (a
    join, not a count: fast with 1,000,000 tasks in a package)."""
    return Opgavepakke.objects.for_user(user).annotate(
        antal_aabne=Coalesce(F("taelling__aabne"), 0),
        antal_i_alt=Coalesce(F("taelling__i_alt"), 0),
    )


def opgaver_for(user):
    return Opgave.objects.for_user(user).select_related(
        "sag", "person", "reserveret_af", "opgavepakke"
    )


#: how many overdue tasks the package page lists above the others
OVERSKREDNE_VIST = 10


def overskredne(user, pakke, today) -> tuple[list, int]:
    """The package's open tasks whose frist has passed: the oldest frister first (at most OVERSKREDNE_VIST), and
    their count. Two queries on the partial index opgave_pakke_aaben_frist_idx (debitor 0006)."""
    qs = Opgave.objects.for_user(user).filter(opgavepakke=pakke, status__in=OPEN_STATUSES, frist__lt=today)
    antal = qs.count()
    if not antal:
        return [], 0
    return list(qs.select_related("person", "reserveret_af").order_by("frist", "id")[:OVERSKREDNE_VIST]), antal


def pakke_har_aabne(pakke) -> bool:
    return Opgave.objects.filter(opgavepakke=pakke, status__in=OPEN_STATUSES).exists()


def person_for(user, cpr: str):
    return Person.objects.for_user(user).filter(cpr=cpr).first()


def sag_detail(user, pk: int):
    """A sag with everything its page shows, in a fixed number of queries."""
    from django.db.models import Prefetch

    from debitor.models import Debitorkonto

    return (
        sager_for(user)
        .prefetch_related(
            "bevillinger",
            Prefetch("debitorkonti", queryset=Debitorkonto.objects.prefetch_related("fordringer__posteringer")),
            Prefetch("opgaver", queryset=Opgave.objects.select_related("opgavepakke", "reserveret_af").order_by("-id")),
        )
        .get(pk=pk)
    )


def opgaver_i_pakke(user, pakke, filters: dict):
    qs = opgaver_for(user).filter(opgavepakke=pakke)
    return qs


__all__ = [
    "sager_for", "bevillinger_for", "opgavepakker_for", "opgaver_for", "pakke_har_aabne", "overskredne", "person_for",
    "sag_detail", "Exists", "OuterRef",
]
