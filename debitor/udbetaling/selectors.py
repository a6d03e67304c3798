"""Reads of udbetalinger and finansbilag: scoped to the user's kommuner, no N+1."""

from __future__ import annotations

from django.db.models import Prefetch

from debitor.udbetaling.models import Finansbilag, FinansbilagLinje, Udbetaling


def udbetalinger_for(user):
    return Udbetaling.objects.for_user(user).order_by("-id")


def udbetalinger_for_sag(user, sag_id: int):
    return Udbetaling.objects.for_user(user).filter(sag_id=sag_id).order_by("-udbetalingsdato", "-id")


def finansbilag_for(user):
    return (Finansbilag.objects.for_user(user).order_by("-id")
            .prefetch_related(Prefetch("linjer", queryset=FinansbilagLinje.objects.order_by("id"))))
