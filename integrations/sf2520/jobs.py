"""The SF2520/SF2530 batch jobs (contract sf2520.md). Thin: the work is in services.

The four jobs that talk to Serviceplatformen run with ``atomic=False``: they commit their
own steps, because a file must be journalled before it is uploaded and a remote file
moved only after the database has committed (services.py, "sending"/"receiving"). In a dry
run they read but never write, upload, move or delete anything remotely.
"""

from batch.registry import KonstantSpec, batchjob
from integrations.sf2520 import services


def _kommune_id(ctx) -> int:
    if ctx.kommune is None:
        raise ValueError("Jobbet kører pr. kommune; der er ikke angivet nogen kommune.")
    return ctx.kommune.pk


@batchjob("dan-effektueringskladder")
def dan_effektueringskladder(ctx):
    r = services.dan_effektueringskladder(_kommune_id(ctx), ctx.as_of)
    for bevilling_id, tekst in r["fejl"]:  # issue 13: a bevilling the rules cannot compute; the rest are made
        ctx.error(f"bevilling {bevilling_id}", tekst)
    ctx.count("created", r["oprettet"])
    ctx.count("updated", r["genberegnet"] + r["fjernet"] + r["nyt_markeret"])
    tør = " (tørkørsel)" if ctx.dry_run else ""
    ctx.log(f"{r['oprettet']} effektueringskladder, {r['modregninger']} modregninger" + tør)
    if r["genberegnet"] or r["fjernet"]:
        ctx.log(f"{r['genberegnet']} kladder genberegnet efter ændret bevilling, {r['fjernet']} fjernet "
                "(bevillingen udbetaler ikke længere i måneden)" + tør)
    if r["markeret"]:
        ctx.log(f"{r['markeret']} rettede kladder afventer godkendelse: bevillingen er ændret efter korrektionen" + tør)


@batchjob("endeligjoer-effektueringer", konstanter=[
    KonstantSpec("godkendelse_graense_procent", "int", 25,
                 "Netto der afviger mere end denne procent fra forrige effektuering kræver manuel godkendelse."),
])
def endeligjoer_effektueringer(ctx):
    endelige, afventer = services.endeligjoer_effektueringer(
        _kommune_id(ctx), ctx.as_of, int(ctx.konstant("godkendelse_graense_procent")))
    ctx.count("updated", endelige + afventer)
    ctx.log(f"{endelige} endeligjort, {afventer} afventer godkendelse" + (" (tørkørsel)" if ctx.dry_run else ""))


@batchjob("sf2520-send-fub-modregninger", atomic=False)
def sf2520_send_fub_modregninger(ctx):
    from integrations import sftp

    kommune_id = _kommune_id(ctx)
    t = sftp.transport()
    try:
        if ctx.dry_run:
            antal, beloeb = services.send_modregninger(kommune_id, ctx.as_of, t, dry_run=True)
            if antal:
                ctx.count("created")
            ctx.log(f"tørkørsel: ville sende {antal} modregninger, {beloeb} kr." if antal
                    else "tørkørsel: ingen modregninger at sende")
            return
        fil = services.send_modregninger(kommune_id, ctx.as_of, t, log=ctx.log)
    finally:
        t.close()
    if fil:
        ctx.count("created")
        ctx.log(f"{fil.filnavn}: {fil.antal} modregninger, {fil.sum_beloeb} kr.")
    else:
        ctx.log("ingen modregninger at sende")


@batchjob("send-forespoergsel-til-betalingsadministration", atomic=False)
def send_forespoergsel(ctx):
    from integrations import sftp

    kommune_id = _kommune_id(ctx)
    t = sftp.transport()
    try:
        if ctx.dry_run:
            antal = services.send_forespoergsel(kommune_id, ctx.as_of, t, dry_run=True)
            if antal:
                ctx.count("created")
            ctx.log(f"tørkørsel: ville sende en forespørgsel med {antal} CPR-numre" if antal
                    else "tørkørsel: ingen forespørgsel at sende")
            return
        fil = services.send_forespoergsel(kommune_id, ctx.as_of, t, log=ctx.log)
    finally:
        t.close()
    if fil:
        ctx.count("created")
        ctx.log(f"{fil.filnavn}: {fil.antal} CPR-numre")


@batchjob("modtag-svar-fra-betalingsadministration", atomic=False)
def modtag_svar(ctx):
    from integrations import sftp

    t = sftp.transport()
    try:
        res = services.modtag_svar(ctx.kommune.pk if ctx.kommune else None, ctx.as_of, t, ctx.log,
                                   dry_run=ctx.dry_run)
    finally:
        t.close()
    ctx.count("created", res["oprettet"])
    ctx.count("updated", res["opdateret"] + res["ophoert"])
    ctx.log(f"{res['filer']} svarfiler, {res['oprettet']} nye aftaler, {res['opdateret']} opdateret, "
            f"{res['ophoert']} ophørt" + (" (tørkørsel)" if ctx.dry_run else ""))
