"""eIndkomst jobs (seed 000 #30, #31); thin, the work is in services. ``atomic=False``: the
exchange layer commits the journal before uploading (docs/integrationer.md)."""

from batch.registry import KonstantSpec, batchjob
from integrations.eindkomst import services


def _kommune_id(ctx) -> int:
    if ctx.kommune is None:
        raise ValueError("Jobbet kører pr. kommune; der er ikke angivet nogen kommune.")
    return ctx.kommune.pk


@batchjob("sf0770-b-indberet-eindkomst", atomic=False, konstanter=[
    KonstantSpec("traekprocent", "int", 38, "Trækprocent for A-skat (ky har intet e-skattekort; docs/formats/sf0770b.md)."),
])
def indberet_eindkomst(ctx):
    from integrations import sftp

    k = _kommune_id(ctx)
    if ctx.dry_run:
        rows = services.aendringer(k, ctx.as_of)
        nye = sum(1 for r in rows if r[3] is None)
        ctx.count("created", len(rows))
        ctx.log(f"tørkørsel: ville indberette {len(rows)} linjer ({nye} nye, {len(rows) - nye} rettelser)")
        return
    t = sftp.transport()
    try:
        fil = services.indberet(k, ctx.as_of, t, traekprocent=int(ctx.konstant("traekprocent")), log=ctx.log)
    finally:
        t.close()
    if fil:
        ctx.count("created", fil.antal)
        ctx.log(f"{fil.filnavn}: {fil.antal} linjer, A-indkomst {fil.sum_beloeb} kr.")
    else:
        ctx.log("ingen ændrede indkomster at indberette")


@batchjob("sf0770-b-modtag-kvitteringer", atomic=False)
def modtag_kvitteringer(ctx):
    from integrations import sftp

    t = sftp.transport()
    try:
        r = services.modtag_kvitteringer(ctx.kommune.pk if ctx.kommune else None, t, ctx.log, dry_run=ctx.dry_run)
    finally:
        t.close()
    ctx.count("updated", r["godkendt"] + r["afvist"] + r["fil_afvist"])
    ctx.log(f"{r['filer']} kvitteringsfiler: {r['godkendt']} godkendt, {r['afvist']} afvist, "
            f"{r['fil_afvist']} i afviste filer" + (" (tørkørsel)" if ctx.dry_run else ""))
