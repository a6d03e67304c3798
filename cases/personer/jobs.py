"""Batch jobs of the person register (seed 000; catalogue nr. in brackets). Thin: the work is in
services.py (CPR events) and opfoelgning.py (the jobs that follow a life)."""

from __future__ import annotations

import json
import re

from batch.registry import KonstantSpec, batchjob
from cases.services import as_int

from . import opfoelgning as o
from . import services

CPR_FIL = re.compile(r"^CPR_HAENDELSER_(\d{8})_(\d{6})\.json$")


def _k(ctx) -> int:
    if ctx.kommune is None:
        raise ValueError("Jobbet kører pr. kommune; der er ikke angivet nogen kommune.")
    return ctx.kommune.pk


def _record(ctx, counts: dict, what: str) -> None:
    for key in ("created", "updated", "skipped"):
        ctx.count(key, counts.get(key, 0))
    prefix = "Prøvekørsel: ville " if ctx.dry_run else ""
    ctx.log(f"{prefix}{what}: oprettet {counts.get('created', 0)}, ændret/slettet {counts.get('updated', 0)}, "
            f"sprunget over {counts.get('skipped', 0)}")


@batchjob("cpr-haendelse", per_kommune=False, atomic=False, kadence="hvert 30. minut")
def cpr_haendelse(ctx) -> None:
    """#7: IN/CPR_HAENDELSER_<YYYYMMDD>_<løbenr 6>.json from the beskedfordeler, oldest first. Each file is
    validated whole (JSON, every event, contradictions): a bad file goes to IN/fejlet/ with nothing stored;
    a good one is applied in its own transaction and then moved to IN/behandlet/ (a crash in between
    re-reads it next time: idempotent by haendelse_id). A dry run applies and rolls back, moves nothing."""
    from django.db import transaction

    from integrations import sftp
    from ky.core.api import DomainError

    t = sftp.transport()
    try:
        navne = sorted(n for n in t.listdir("IN") if CPR_FIL.match(n))
        ctx.progress(0, len(navne))
        for i, navn in enumerate(navne, 1):
            try:
                raw = json.loads(t.get(f"IN/{navn}").decode("utf-8"))
                with transaction.atomic():
                    res = services.modtag_haendelser(raw, kilde=navn, as_of=ctx.as_of)
                    if ctx.dry_run:
                        transaction.set_rollback(True)
            except (ValueError, UnicodeDecodeError, DomainError) as exc:
                why = "; ".join(f["tekst"] for f in exc.fejl[:5]) if isinstance(exc, DomainError) else f"ugyldig JSON: {exc}"
                ctx.error(navn, f"Filen er afvist og flyttet til IN/fejlet/: {why}")
                if not ctx.dry_run:
                    t.rename(f"IN/{navn}", f"IN/fejlet/{navn}")
                continue
            if not ctx.dry_run:
                t.rename(f"IN/{navn}", f"IN/behandlet/{navn}")
            ctx.count("created", res["behandlet"])
            ctx.count("skipped", res["allerede_kendt"] + res["uden_abonnement"])
            ctx.log(("Prøvekørsel: " if ctx.dry_run else "") + f"{navn}: {res['modtaget']} hændelser, behandlet "
                    f"{res['behandlet']}, allerede kendt {res['allerede_kendt']}, uden abonnement "
                    f"{res['uden_abonnement']}, opgaver {res['opgaver']}, advis {res['advis']}, standsede bevillinger "
                    f"{res['stoppede_bevillinger']}, tilbagebetalingskrav {res['krav']}")
            ctx.progress(i, len(navne))
    finally:
        t.close()


@batchjob("overgaar-fra-forsoergersats", konstanter=[
    KonstantSpec("barn_alder_aar", "int", 18, "Alderen hvor barnet ikke længere giver forsørgersats."),
])
def overgaar_fra_forsoergersats(ctx) -> None:
    aar = as_int(ctx.konstant("barn_alder_aar"), "barn_alder_aar", minimum=1)
    _record(ctx, o.overgaar_fra_forsoergersats(_k(ctx), ctx.as_of, aar), f"Børn der fylder {aar} år")


@batchjob("opfyldelse-af-opholdskrav")
def opfyldelse_af_opholdskrav(ctx) -> None:
    _record(ctx, o.opfyldelse_af_opholdskrav(_k(ctx), ctx.as_of), "Borgere der nu opfylder opholdskravet")


@batchjob("graviditet", konstanter=[
    KonstantSpec("terminsdato_overskredet_uger", "int", 4, "Uger efter terminsdatoen før sagsbehandleren får en opgave."),
])
def graviditet(ctx) -> None:
    uger = as_int(ctx.konstant("terminsdato_overskredet_uger"), "terminsdato_overskredet_uger", minimum=0)
    _record(ctx, o.graviditet(_k(ctx), ctx.as_of, uger), "Graviditeter (terminsdato overskredet, barsel slut)")


@batchjob("pensionsalder", konstanter=[
    KonstantSpec("varsel_maaneder_foer_pension", "int", 3, "Måneder før folkepensionsalderen borgeren informeres."),
])
def pensionsalder(ctx) -> None:
    m = as_int(ctx.konstant("varsel_maaneder_foer_pension"), "varsel_maaneder_foer_pension", minimum=0)
    _record(ctx, o.pensionsalder(_k(ctx), ctx.as_of, m), "Borgere på flekslønstilskud tæt på folkepension")


@batchjob("opfoelgning-paa-kontaktforloeb", konstanter=[
    KonstantSpec("uden_aktivitet_dage", "duration", 14, "Dage uden aktivitet før kontaktforløbet giver en opgave."),
])
def opfoelgning_paa_kontaktforloeb(ctx) -> None:
    dage = as_int(ctx.konstant("uden_aktivitet_dage"), "uden_aktivitet_dage", minimum=1)
    _record(ctx, o.opfoelgning_paa_kontaktforloeb(_k(ctx), ctx.as_of, dage), f"Kontaktforløb uden aktivitet i {dage} dage")


@batchjob("batchjob-til-oprydning-af-ikke-saghenfoerbare-haendelser-jobcenter", konstanter=[
    KonstantSpec("uden_aktivitet_dage", "duration", 30, "Dage uden aktivitet før ikke-saghenførbare hændelser slettes."),
])
def oprydning_ikke_saghenfoerbare(ctx) -> None:
    dage = as_int(ctx.konstant("uden_aktivitet_dage"), "uden_aktivitet_dage", minimum=1)
    _record(ctx, o.oprydning_kontaktforloeb(_k(ctx), ctx.as_of, dage, job=ctx.job.slug,
                                            koersel_id=getattr(getattr(ctx, "koersel", None), "pk", None)),
            f"Ikke-saghenførbare kontaktforløb uden aktivitet i {dage} dage slettet")


@batchjob("sf1470-sf1490-sdy-deaktivering-af-inaktive-entiteter")
def deaktivering_af_inaktive(ctx) -> None:
    _record(ctx, o.deaktivering_af_inaktive(_k(ctx), ctx.as_of), "Udløbne og genstartede bevilgede ydelser")


@batchjob("delete-reduced-persons")
def delete_reduced_persons(ctx) -> None:
    _record(ctx, o.delete_reduced_persons(_k(ctx), ctx.as_of, job=ctx.job.slug,
                                          koersel_id=getattr(getattr(ctx, "koersel", None), "pk", None)),
            "Abonnementer på reducerede personer (død, nyt CPR-nummer) afsluttet")


@batchjob("hent-fra-sf0785-og-sf0786", atomic=False)
def hent_fra_sf0785_og_sf0786(ctx) -> None:
    """#2: IN/SKAT_SF0785|SF0786_<kommune>_<YYYYMMDD>_<løbenr>.txt (docs/formats/skatteopgoerelser.md), each
    validated whole: a bad file goes to IN/fejlet/, nothing of it stored; a good one is stored in its own
    transaction, then moved to IN/behandlet/. Dry run: rolled back, nothing moved."""
    from django.db import transaction

    from integrations import sftp
    from integrations.fixedwidth import LayoutFejl

    k = _k(ctx)
    t = sftp.transport()
    try:
        for navn in sorted(n for n in t.listdir("IN") if n.startswith(("SKAT_SF0785_", "SKAT_SF0786_"))
                           and n.split("_")[2:3] == [f"{k:03d}"]):
            try:
                rows = o.laes_skattefil(navn, t.get(f"IN/{navn}"), k)
            except (LayoutFejl, UnicodeDecodeError) as exc:
                ctx.error(navn, f"Filen er afvist og flyttet til IN/fejlet/: {exc}")
                if not ctx.dry_run:
                    t.rename(f"IN/{navn}", f"IN/fejlet/{navn}")
                continue
            with transaction.atomic():
                res = o.gem_skatteopgoerelser(k, rows)
                if ctx.dry_run:
                    transaction.set_rollback(True)
            if not ctx.dry_run:
                t.rename(f"IN/{navn}", f"IN/behandlet/{navn}")
            _record(ctx, res, f"{navn}: {len(rows)} opgørelser (opgaver = nye årsopgørelser)")
    finally:
        t.close()
