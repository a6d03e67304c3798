"""Reads of the batch platform."""

from batch import registry
from batch.models import Batchkonstant, Koersel
from ky.core.selectors import kommuner_i_drift  # noqa: F401 (the per-kommune jobs' default scope)


def koersler_for(user):
    return Koersel.objects.for_user(user).select_related("kommune")


def konstanter_for(user):
    return Batchkonstant.objects.for_user(user)


def closest_jobs(text: str) -> list[str]:
    import difflib

    names = [s.slug for s in registry.all_jobs()] + [s.navn for s in registry.all_jobs()]
    return difflib.get_close_matches(text, names, n=5, cutoff=0.4)


def konstant_oversigt(kommune_id: int, today) -> list[dict]:
    """Every job with its batchkonstanter for a kommune: value in force today, default, planned
    future values. One query for the kommune's rows."""
    rows: dict[tuple, list] = {}
    for b in Batchkonstant.objects.filter(kommune_id=kommune_id).order_by("gyldig_fra"):
        rows.setdefault((b.job, b.noegle), []).append(b)
    out = []
    for spec in registry.all_jobs():
        konstanter = []
        for k in spec.all_konstanter():
            dated = rows.get((spec.slug, k.noegle), [])
            current = [b for b in dated if b.gyldig_fra <= today]
            konstanter.append({
                "spec": k, "vaerdi": current[-1].vaerdi if current else k.standard,
                "fra": current[-1].gyldig_fra if current else None,
                "planlagt": [b for b in dated if b.gyldig_fra > today],
            })
        out.append({"spec": spec, "konstanter": konstanter})
    return out
