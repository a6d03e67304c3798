"""Batch jobs of the document platform (seed 000; docs/breve.md "Jobs"). Thin: services do the work."""

from __future__ import annotations

from batch.registry import KonstantSpec, batchjob
from cases.breve import services


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


@batchjob("print", atomic=False, konstanter=[
    KonstantSpec("maks_breve_pr_fil", "int", 5000, "Højst så mange breve i én afsendelsesfil (flere filer ved behov)."),
])
def print_(ctx) -> None:
    # seed 000, nr. 29: "Samler alle breve der er klar til afsendelse, sender dem til ekstern print, den
    # modtager også svare fra servicen" — here both channels: Digital Post (SF1601) and print
    from cases.breve.udsendelse import koer_print
    from integrations import sftp

    t = sftp.transport()
    try:
        counts = koer_print(_kommune_id(ctx), as_of=ctx.as_of, transport=t, log=ctx.log, dry_run=ctx.dry_run,
                            maks=int(ctx.konstant("maks_breve_pr_fil")))
    finally:
        t.close()
    ctx.count("created", counts.get("digital_post", 0) + counts.get("print", 0))
    ctx.count("updated", counts.get("afvist", 0))
    _record(ctx, counts, "Breve sendt og svar læst")


@batchjob("varsling-bortfald-nedsaettelse-eller-partshoering")
def varsling_bortfald(ctx) -> None:
    # seed 000, nr. 8: "Sender brev 6 måneder før bortfaldsdato. Starter en hændelse hvis nødvendigt."
    from cases.breve import ydelsesbreve

    k = _kommune_id(ctx)
    maaneder = int(ctx.konstant("varsel_maaneder_foer_bortfald"))
    v = ydelsesbreve.varsler(k, ctx.as_of, maaneder, koersel=ctx.koersel, dry_run=ctx.dry_run)
    p = ydelsesbreve.partshoeringer(k, ctx.as_of, koersel=ctx.koersel, dry_run=ctx.dry_run)
    ctx.count("created", v["varsler"] + p["partshoeringer"])
    ctx.count("failed_letters", v["varsler_fejlet"] + p["partshoeringer_fejlet"])
    ctx.count("tasks", v["opgaver"] + p["opgaver"])
    prefix = "Prøvekørsel: ville danne " if ctx.dry_run else "Dannet "
    ctx.log(f"{prefix}{v['varsler']} varsler ({maaneder} måneder før bortfald), {p['partshoeringer']} partshøringer, "
            f"{v['opgaver'] + p['opgaver']} opgaver; fejlede breve {v['varsler_fejlet'] + p['partshoeringer_fejlet']}")


@batchjob("oplysningspligt", konstanter=[
    KonstantSpec("bevilget_inden_for_dage", "duration", 30,
                 "Bevillinger med bevilget fra inden for så mange dage får oplysningsbrevet (én gang pr. bevilling)."),
])
def oplysningspligt(ctx) -> None:
    # seed 000, nr. 9: "Sender et oplysningsbrev angående borgers ydelser."
    from cases.breve import ydelsesbreve

    dage = int(ctx.konstant("bevilget_inden_for_dage"))
    r = ydelsesbreve.oplysningspligt(_kommune_id(ctx), ctx.as_of, dage, koersel=ctx.koersel, dry_run=ctx.dry_run)
    ctx.count("created", r["breve"])
    ctx.count("failed_letters", r["breve_fejlet"])
    ctx.log(f"{'Prøvekørsel: ville danne' if ctx.dry_run else 'Dannet'} {r['breve']} oplysningsbreve "
            f"(bevillinger fra de sidste {dage} dage); fejlede {r['breve_fejlet']}")
