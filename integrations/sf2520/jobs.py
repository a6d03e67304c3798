"""The SF2520/SF2530 batch jobs (contract sf2520.md). Thin: the work is in services."""

from batch.registry import KonstantSpec, batchjob
from integrations.sf2520 import services


@batchjob("dan-effektueringskladder")
def dan_effektueringskladder(ctx):
    drafts, modregninger = services.dan_effektueringskladder(ctx.kommune.pk, ctx.as_of)
    ctx.count("created", drafts)
    ctx.log(f"{drafts} effektueringskladder, {modregninger} modregninger")


@batchjob("endeligjoer-effektueringer", konstanter=[
    KonstantSpec("godkendelse_graense_procent", "int", 25,
                 "Netto der afviger mere end denne procent fra forrige effektuering kræver manuel godkendelse."),
])
def endeligjoer_effektueringer(ctx):
    endelige, afventer = services.endeligjoer_effektueringer(
        ctx.kommune.pk, ctx.as_of, int(ctx.konstant("godkendelse_graense_procent")))
    ctx.count("updated", endelige + afventer)
    ctx.log(f"{endelige} endeligjort, {afventer} afventer godkendelse")


@batchjob("sf2520-send-fub-modregninger")
def sf2520_send_fub_modregninger(ctx):
    from integrations import sftp

    t = sftp.transport()
    try:
        fil = None if ctx.dry_run else services.send_modregninger(ctx.kommune.pk, ctx.as_of, t)
    finally:
        t.close()
    if fil:
        ctx.count("created")
        ctx.log(f"{fil.filnavn}: {fil.antal} modregninger, {fil.sum_beloeb} kr.")


@batchjob("sftp-technical-receipt-batch-job")
def sftp_technical_receipt_batch_job(ctx):
    from integrations import sftp

    t = sftp.transport()
    try:
        ok, afvist = services.behandl_kvitteringer(ctx.kommune.pk if ctx.kommune else None, t, ctx.log)
    finally:
        t.close()
    ctx.count("updated", ok + afvist)


@batchjob("send-forespoergsel-til-betalingsadministration")
def send_forespoergsel(ctx):
    from integrations import sftp

    t = sftp.transport()
    try:
        fil = None if ctx.dry_run else services.send_forespoergsel(ctx.kommune.pk, ctx.as_of, t)
    finally:
        t.close()
    if fil:
        ctx.count("created")
        ctx.log(f"{fil.filnavn}: {fil.antal} CPR-numre")


@batchjob("modtag-svar-fra-betalingsadministration")
def modtag_svar(ctx):
    from integrations import sftp

    t = sftp.transport()
    try:
        filer, aftaler = services.modtag_svar(ctx.kommune.pk if ctx.kommune else None, ctx.as_of, t, ctx.log)
    finally:
        t.close()
    ctx.count("updated", aftaler)
    ctx.log(f"{filer} svarfiler, {aftaler} aftaler")
