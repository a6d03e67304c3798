"""The exchange layer's own batch job (issue 17): technical receipts of every file ky sent."""

from batch.registry import batchjob
from integrations import exchange


@batchjob("sftp-technical-receipt-batch-job", atomic=False)
def sftp_technical_receipt_batch_job(ctx):
    """Reads IN/<file>.sftpreceipt for every outbound art (integrations.exchange.ARTER), marks the
    file kvitteret or fejlet (then the art's hook: SF2520 frees its modregninger), deletes the receipt
    after the commit; a receipt for a file ky did not send is logged and left alone."""
    from integrations import sftp

    t = sftp.transport()
    try:
        ok, afvist = exchange.behandl_kvitteringer(ctx.kommune.pk if ctx.kommune else None, t, ctx.log,
                                                   dry_run=ctx.dry_run)
    finally:
        t.close()
    ctx.count("updated", ok + afvist)
