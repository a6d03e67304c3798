"""Batch jobs of DFDG FristService (seed 003, "Automatisk opdatering af frister")."""

from batch.registry import batchjob
from integrations.dfdg import services


@batchjob(
    "dfdg-opdater-frister",
    navn="DFDG opdater frister",
    kategori="integration-ind",
    kadence="dagligt",
    per_kommune=False,
    kilde="seed 003",
    beskrivelse=(
        "Dagligt, for hele landet: ikke aktiverede frister med fristaktiveringsdato nået bliver aktive; "
        "aktive frister med fristdato passeret uden booking bliver overskredne; frister hvis bookings mødedato "
        "er nået bliver indfriet og derefter administrativt lukket."
    ),
)
def dfdg_opdater_frister(ctx):
    counts = services.opdater_frister(ctx.as_of)
    ctx.count("updated", sum(counts.values()))
    ctx.log(", ".join(f"{k}: {v}" for k, v in counts.items()))
