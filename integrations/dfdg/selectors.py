"""Reads of DFDG FristService; every frist a user reaches goes through ``Frist.objects.for_user``."""

from __future__ import annotations

from django.db.models import Prefetch

from integrations.dfdg.models import (
    LUKKEDE, Abonnement, Booking, Fravaer, Frist, FristStatusaendring, Kontaktforloeb, Kontaktgruppe,
    SamtaletypeKontaktgruppe,
)


def frister_for(user):
    return Frist.objects.for_user(user)


def aabne_frister(user, cpr: str):
    """GetFrist: the CPR's frister that are not closed (within the user's kommuner)."""
    return frister_for(user).filter(cpr=cpr).exclude(status__in=LUKKEDE).order_by("samtaletype", "id")


def fristhistorik(user, cpr: str):
    """GetFristhistorik: all frister of the CPR, with their status changes oldest first."""
    return (
        frister_for(user).filter(cpr=cpr).order_by("oprettet", "id")
        .prefetch_related(Prefetch("statusaendringer", queryset=FristStatusaendring.objects.order_by("tidspunkt", "id")))
    )


def fravaer_for(cpr: str):
    return Fravaer.objects.filter(cpr=cpr).order_by("fra", "id")


def bookinger_for(cpr: str):
    return Booking.objects.filter(cpr=cpr).order_by("moededato", "id")


def kontaktforloeb_for(user, cpr: str):
    return Kontaktforloeb.objects.for_user(user).filter(cpr=cpr).select_related("kontaktgruppe").order_by("fra", "id")


def kontaktgrupper():
    """The kontaktgrupper with their dated samtaletype rules."""
    return Kontaktgruppe.objects.order_by("kode").prefetch_related(
        Prefetch("samtaletyper", queryset=SamtaletypeKontaktgruppe.objects.order_by("samtaletype", "gyldig_fra")))


def abonnementer_for(user):
    return Abonnement.objects.for_user(user).order_by("id")
