"""Reads of SF2520/SF2530 (contract sf2520.md): scoped to the user's kommuner, no N+1."""

from __future__ import annotations

from django.db.models import Prefetch

from integrations.sf2520.models import (BeloebKorrektion, Betalingsadministrationsaftale, Effektuering, FilArt,
                                        FilStatus, SendtFil)


def aftaler_for(user):
    return Betalingsadministrationsaftale.objects.for_user(user).order_by("-id")


def effektueringer_for(user):
    return Effektuering.objects.for_user(user).select_related("person").order_by("-id")


def sendte_filer_for(user):
    """SF2520 files that have been sent (files still in flight are not "sendt" yet)."""
    return (SendtFil.objects.for_user(user).filter(art=FilArt.SF2520)
            .filter(status__in=(FilStatus.SENDT, FilStatus.KVITTERET, FilStatus.FEJLET)).defer("indhold")
            .order_by("-id"))


def effektuering_detalje(user):
    """For the approval screen: the draft, its person, its previous payout and its corrections
    with who made them, in a fixed number of queries."""
    return (Effektuering.objects.for_user(user).select_related("person", "forrige")
            .prefetch_related(Prefetch("korrektioner", queryset=BeloebKorrektion.objects.select_related("bruger"))))
