"""Batch jobs of Underholdsbidrag – kreditor (thin; logic in koersel.py)."""

from batch.registry import batchjob

from .koersel import ugekoersel


@batchjob(
    "underholdsbidrag-ugekoersel",
    navn="Underholdsbidrag ugekørsel",
    kategori="genberegning",
    kadence="ugentligt",
    beskrivelse=("Ugekørsel for underholdsbidrag (seed 004, 3.0.1): beregner forfaldne bidrag og "
                 "efterregulering, danner udbetalinger, afkrævninger (fordringer) og posteringer."),
)
def underholdsbidrag_ugekoersel(ctx):
    if ctx.kommune is None:
        raise ValueError("Ugekørslen kører pr. kommune.")
    res = ugekoersel(kommune_id=ctx.kommune.pk, as_of=ctx.as_of, koersel=ctx.koersel, ctx=ctx)
    ctx.count("created", res["beregninger"])
    ctx.count("updated", res["bidrag"])
    ctx.log(" ".join(f"{k}={v}" for k, v in res.items()))
