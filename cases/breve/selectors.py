"""Reads of the document platform: scoped querysets (for_user), no N+1."""

from __future__ import annotations

from cases.breve.models import Brev, Liste, Rapport

BREV_FELTER = ("id", "kommune_id", "type", "sag_id", "ub_sag_id", "cpr", "titel", "status", "dannet", "sendt",
               "kanal", "fejl", "sider", "dokument_id", "opgave_id")


def breve_for(user):
    return Brev.objects.for_user(user).only(*BREV_FELTER).order_by("-id")


def lister_for(user):
    return Liste.objects.for_user(user).defer("data", "csv").order_by("-id")


def rapporter_for(user):
    return (Rapport.objects.for_user(user).select_related("liste").defer("liste__data", "liste__csv")
            .order_by("-id"))


def pdf_bytes(dokument_id) -> bytes | None:
    """The stored PDF of a letter's or list's Dokument (one query, only the bytes)."""
    from cases.models import Dokument

    row = Dokument.objects.filter(pk=dokument_id).values_list("indhold", flat=True).first()
    return bytes(row) if row is not None else None


def breve_paa_sag(sag_id: int):
    return Brev.objects.filter(sag_id=sag_id).only(*BREV_FELTER).order_by("-id")


def dokumenter_paa_sag(sag_id: int):
    from cases.models import Dokument

    return Dokument.objects.filter(sag_id=sag_id).defer("indhold").order_by("-id")
