"""Batch jobs of the document platform (seed 000; docs/breve.md "Jobs"). Thin: services do the work."""

from __future__ import annotations

from batch.registry import batchjob
from breve import services


def _kommune_id(ctx) -> int:
    if ctx.kommune is None:
        raise ValueError("Jobbet kører pr. kommune; der er ikke angivet nogen kommune.")
    return ctx.kommune.pk


def _record(ctx, counts: dict, what: str) -> None:
    for key, n in counts.items():
        ctx.count(key, n)
    prefix = "Prøvekørsel: ville " if ctx.dry_run else ""
    ctx.log(f"{prefix}{what}: " + ", ".join(f"{k} {v}" for k, v in counts.items()))


# each ordered report commits on its own, so the screen shows it appear while the run goes on
@batchjob("fasterapporter", atomic=False)
def fasterapporter(ctx) -> None:
    # seed 000, nr. 66: "Generere rapporter bestilt af en bruger"
    counts = services.dan_rapporter(_kommune_id(ctx), ctx.as_of, koersel=ctx.koersel, dry_run=ctx.dry_run,
                                    progress=ctx.progress)
    _record(ctx, counts, "Bestilte rapporter dannet")
