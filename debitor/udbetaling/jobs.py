"""Batch jobs of money out and in (issue 14; seed 000 #24-#28, #40). Thin: the work is in
services.py, finans.py, indbetaling.py and filer.py.

The file jobs run with ``atomic=False``: the exchange layer commits the journal before any upload
and moves received files only after the commit. In a dry run nothing is written, uploaded or moved.
"""

from batch.registry import KonstantSpec, batchjob
from debitor.udbetaling import filer, services


def _kommune_id(ctx) -> int:
    if ctx.kommune is None:
        raise ValueError("Jobbet kører pr. kommune; der er ikke angivet nogen kommune.")
    return ctx.kommune.pk


def _tør(ctx) -> str:
    return " (tørkørsel)" if ctx.dry_run else ""


def _send(ctx, *, kun_kvik: bool):
    from integrations import sftp

    k = _kommune_id(ctx)
    if not kun_kvik:
        # the sources' new payments first (idempotent: ON CONFLICT on kilde, kilde_id, forsøg)
        for navn, fn in (("effektueringer", services.dan_fra_effektueringer),
                         ("underholdsbidrag", services.dan_fra_underholdsbidrag)):
            n, fejl = fn(k, dry_run=ctx.dry_run)
            ctx.count("created", n)
            for item, tekst in fejl:
                ctx.error(item, tekst)
            ctx.log(f"{n} nye udbetalinger fra {navn}" + (f", {len(fejl)} fejl" if fejl else "") + _tør(ctx))
    t = sftp.transport()
    try:
        if ctx.dry_run:
            antal, beloeb = filer.send_betalinger(k, ctx.as_of, t, kun_kvik=kun_kvik, dry_run=True)
            ctx.log(f"tørkørsel: ville sende {antal} betalinger, {beloeb} kr." if antal
                    else "tørkørsel: ingen betalinger at sende")
            return
        fil = filer.send_betalinger(k, ctx.as_of, t, kun_kvik=kun_kvik, log=ctx.log)
    finally:
        t.close()
    if fil:
        ctx.count("updated", fil.antal)
        ctx.log(f"{fil.filnavn}: {fil.antal} betalinger, {fil.sum_beloeb} kr.")
    else:
        ctx.log("ingen betalinger at sende")


@batchjob("sf1590-e-transfer-payment", atomic=False)
def sf1590_e_transfer_payment(ctx):
    _send(ctx, kun_kvik=False)


@batchjob("sf1590-e-transfer-payment-arbejdstid", atomic=False)
def sf1590_e_transfer_payment_arbejdstid(ctx):
    _send(ctx, kun_kvik=True)


def _ind(ctx, fn):
    from integrations import sftp

    t = sftp.transport()
    try:
        return fn(ctx.kommune.pk if ctx.kommune else None, t, ctx.log, dry_run=ctx.dry_run)
    finally:
        t.close()


@batchjob("nemkonto-collect-status", atomic=False)
def nemkonto_collect_status(ctx):
    r = _ind(ctx, filer.modtag_status)
    ctx.count("updated", r["gennemfoert"] + r["afvist"])
    ctx.log(f"{r['filer']} statusfiler: {r['gennemfoert']} gennemført, {r['afvist']} afvist" + _tør(ctx))


@batchjob("debitor-indbetaling", atomic=False)
def debitor_indbetaling(ctx):
    r = _ind(ctx, filer.modtag_indbetalinger)
    ctx.count("created", r["daekninger"])
    if r["uplaceret"]:
        ctx.count("skipped", r["uplaceret"])
    ctx.log(f"{r['filer']} indbetalingsfiler: {r['indbetalinger']} indbetalinger, {r['daekninger']} dækninger, "
            f"{r['overskud']} kr. i overskud" + _tør(ctx))


@batchjob("sf1590-a-send-finansbilag", atomic=False)
def sf1590_a_send_finansbilag(ctx):
    from integrations import sftp

    k = _kommune_id(ctx)
    t = sftp.transport()
    try:
        if ctx.dry_run:
            n, s, klar = filer.send_finansbilag(k, ctx.as_of, t, dry_run=True)
            ctx.log(f"tørkørsel: {n} bevægelser ({s} kr.) ville komme i dagens bilag; {klar} bilag klar til afsendelse")
            return
        fil = filer.send_finansbilag(k, ctx.as_of, t, log=ctx.log)
    finally:
        t.close()
    if fil:
        ctx.count("created", fil.antal)
        ctx.log(f"{fil.filnavn}: {fil.antal} bilag, {fil.sum_beloeb} kr. debet = kredit")
    else:
        ctx.log("ingen finansbilag at sende")


@batchjob("sf1590-a-modtag-finansbilag-kvittering", atomic=False)
def sf1590_a_modtag_finansbilag_kvittering(ctx):
    r = _ind(ctx, filer.modtag_kvitteringer)
    ctx.count("updated", r["bogfoert"] + r["afvist"])


@batchjob("debitor-send-krav", atomic=False, konstanter=[
    KonstantSpec("graense_kr", "int", 100, "Fordringer med restgæld under dette beløb (kr.) sendes ikke til inddrivelse."),
    KonstantSpec("forfalden_dage", "duration", 30, "Dage efter stiftelsesdatoen, før en fordring sendes til inddrivelse."),
])
def debitor_send_krav(ctx):
    from debitor.udbetaling import krav
    from integrations import sftp

    k = _kommune_id(ctx)
    kw = {"graense_kr": int(ctx.konstant("graense_kr")), "forfalden_dage": int(ctx.konstant("forfalden_dage"))}
    t = sftp.transport()
    try:
        if ctx.dry_run:
            n, aendret = krav.send_krav(k, ctx.as_of, t, dry_run=True, **kw)
            ctx.log(f"tørkørsel: ville sende {n} krav til inddrivelse ({aendret} ændrede)")
            return
        fil = krav.send_krav(k, ctx.as_of, t, log=ctx.log, **kw)
    finally:
        t.close()
    if fil:
        ctx.count("created", fil.antal)
        ctx.log(f"{fil.filnavn}: {fil.antal} krav, {fil.sum_beloeb} kr.")
    else:
        ctx.log("ingen krav at sende")


@batchjob("opkraevning-af-periodekrav", konstanter=[
    KonstantSpec("varsel_dage", "duration", 10, "Periodekravet for en måned dannes så mange dage før måneden begynder."),
])
def opkraevning_af_periodekrav(ctx):
    from debitor.udbetaling import periodekrav

    n = periodekrav.opkraev(_kommune_id(ctx), ctx.as_of, int(ctx.konstant("varsel_dage")), dry_run=ctx.dry_run)
    ctx.count("created", n)
    ctx.log(f"{n} periodekrav med påmindelse til sagsbehandleren" + _tør(ctx))


@batchjob("overdragelse-af-debitorkonto")
def overdragelse_af_debitorkonto(ctx):
    from debitor.udbetaling import overdragelse

    r = overdragelse.overdrag(_kommune_id(ctx), ctx.as_of, dry_run=ctx.dry_run)
    ctx.count("updated", r["flyttet"] + r["inddrivelse"])
    ctx.log(f"{r['flyttet']} debitorkonti overdraget til tilflytningskommunen, {r['inddrivelse']} til inddrivelse"
            + _tør(ctx))
