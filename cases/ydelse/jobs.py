"""The jobs of seed 000 that ydelsen's rules drive (issue 13). Thin: the work is in services; every job runs per
kommune, supports dry run (counts, changes nothing) and reads its batchkonstanter."""

from __future__ import annotations

from batch.registry import KonstantSpec, batchjob
from cases.services import as_int
from cases.ydelse import services


def _kommune_id(ctx) -> int:
    if ctx.kommune is None:
        raise ValueError("Jobbet kører pr. kommune; der er ikke angivet nogen kommune.")
    return ctx.kommune.pk


def _record(ctx, counts: dict, what: str) -> None:
    for key in ("created", "updated", "skipped"):
        ctx.count(key, counts.get(key, 0))
    for bevilling_id, tekst in counts.get("fejl", ()):
        ctx.error(f"bevilling {bevilling_id}", tekst)
    prefix = "Prøvekørsel: ville " if ctx.dry_run else ""
    ctx.log(f"{prefix}{what}: oprettet {counts.get('created', 0)}, ændret {counts.get('updated', 0)}, "
            f"sprunget over {counts.get('skipped', 0)}")


@batchjob("borgers-alder", konstanter=[
    KonstantSpec("alder_aar", "int", 30, "Alderen hvor satsen skifter (LAS: under/over 30 år)."),
])
def borgers_alder(ctx) -> None:
    # seed 000, nr. 3
    alder = as_int(ctx.konstant("alder_aar"), "alder_aar", minimum=1)
    _record(ctx, services.borgers_alder(_kommune_id(ctx), ctx.as_of, alder, dry_run=ctx.dry_run),
            f"Opgaver for borgere der fylder {alder} år i næste måned")


@batchjob("start-indtaegtregistrering", konstanter=[
    KonstantSpec("frist_dag", "int", 10, "Dag i næste måned hvor indtægten skal være registreret."),
])
def start_indtaegtregistrering(ctx) -> None:
    # seed 000, nr. 37
    dag = as_int(ctx.konstant("frist_dag"), "frist_dag", minimum=1)
    if dag > 28:
        raise ValueError("Batchkonstanten frist_dag skal være højst 28.")
    _record(ctx, services.start_indtaegtregistrering(_kommune_id(ctx), ctx.as_of, dag, dry_run=ctx.dry_run),
            "Indtægtsregistreringsopgaver (flekslønstilskud)")


@batchjob("skaerpetsanktion-opfoelgning", konstanter=[
    KonstantSpec("periode_maaneder", "int", 1, "Skærpede sanktioner inden for så mange måneder følges op."),
    KonstantSpec("frist_dage", "int", 14, "Opgavens frist i dage efter kørslen."),
])
def skaerpetsanktion_opfoelgning(ctx) -> None:
    # seed 000, nr. 63
    m = as_int(ctx.konstant("periode_maaneder"), "periode_maaneder", minimum=1)
    f = as_int(ctx.konstant("frist_dage"), "frist_dage", minimum=0)
    _record(ctx, services.skaerpet_sanktion_opfoelgning(_kommune_id(ctx), ctx.as_of, m, f, dry_run=ctx.dry_run),
            f"Opfølgning på skærpede sanktioner (seneste {m} måned(er))")


@batchjob("khl-beregn-loftsindplacering-for-kommende-maaned")
def khl_beregn_loftsindplacering(ctx) -> None:
    # seed 000, nr. 58
    r = services.beregn_loftsindplaceringer(_kommune_id(ctx), ctx.as_of, dry_run=ctx.dry_run)
    _record(ctx, r, f"Loftsindplaceringer for {r['maaned']:%m-%Y}")
    if not ctx.dry_run:
        ctx.log(f"{r['aendret']} loftsindplaceringer ændret (giver afgørelsesbrev)")


@batchjob("dan-loftsinformation")
def dan_loftsinformation(ctx) -> None:
    # seed 000, nr. 64
    n = services.dan_loftsinformation(_kommune_id(ctx), ctx.as_of, dry_run=ctx.dry_run)
    _record(ctx, {"created": n}, "Loftsinformationer")


@batchjob("dan-saes-anvisninger")
def dan_saes_anvisninger(ctx) -> None:
    # seed 000, nr. 69
    r = services.dan_saes_anvisninger(_kommune_id(ctx), ctx.as_of, dry_run=ctx.dry_run)
    _record(ctx, r, f"SÆS-anvisninger for {r['maaned']:%m-%Y}")


@batchjob("khl-send-afgoerelsesbrev")
def khl_send_afgoerelsesbrev(ctx) -> None:
    # seed 000, nr. 57
    r = services.send_afgoerelsesbreve(_kommune_id(ctx), ctx.as_of, koersel=getattr(ctx, "koersel", None),
                                       dry_run=ctx.dry_run)
    _record(ctx, r, "Afgørelsesbreve om kontanthjælpsloftet")
    if not ctx.dry_run:
        ctx.log(f"{r['klar']} klar til afsendelse, {r['fejlet']} fejlet (opgave oprettet), "
                f"{r['afventer']} afventer brevplatformen")
