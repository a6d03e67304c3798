"""Reads of the exchange layer's journal (contract integrationer.md): scoped, no N+1."""

from __future__ import annotations

from django.db.models import Count, Max, OuterRef, Q, Subquery

from integrations.models import Fil, FilStatus, Retning


def filer_for(user):
    """Every file sent or received that ``user`` may see (drift: all; kommune users their own
    kommuner, national files not); the bytes are not read."""
    return Fil.objects.for_user(user).defer("indhold").order_by("-id")


def drift_oversigt(user, seneste: int = 5) -> list[dict]:
    """The drift screen: per registered art, its counts by status and its last files, in a fixed
    number of queries (one aggregate, one window query)."""
    from django.db.models import F, Window
    from django.db.models.functions import RowNumber

    from integrations.exchange import ARTER

    qs = Fil.objects.for_user(user)
    agg = {r["art"]: r for r in qs.values("art").annotate(
        i_alt=Count("id"), fejlet=Count("id", filter=Q(status=FilStatus.FEJLET)),
        i_luften=Count("id", filter=Q(status__in=(FilStatus.SENDER, FilStatus.UPLOADET))),
        kvitteret=Count("id", filter=Q(status=FilStatus.KVITTERET)), seneste=Max("tid"))}
    ranked = (qs.defer("indhold").annotate(nr=Window(RowNumber(), partition_by=[F("art")], order_by=F("id").desc()))
              .filter(nr__lte=seneste).order_by("art", "-id"))
    sidste: dict[str, list] = {}
    for f in ranked:
        sidste.setdefault(f.art, []).append(f)
    koder = sorted(set(ARTER) | set(agg))
    out = []
    for kode in koder:
        art = ARTER.get(kode)
        out.append({"kode": kode, "art": art, "tal": agg.get(kode, {}), "filer": sidste.get(kode, [])})
    return out


def fejlede_filer(user):
    """Failed outbound files not yet resent, newest first (the drift screen's resend list)."""
    ny = Fil.objects.filter(erstatter=OuterRef("pk")).values("filnavn")[:1]
    return (Fil.objects.for_user(user).filter(retning=Retning.UD, status=FilStatus.FEJLET)
            .annotate(sendt_igen_som=Subquery(ny)).defer("indhold").select_related("kommune").order_by("-id"))
