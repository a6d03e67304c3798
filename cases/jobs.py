"""The first real batch jobs of ky (batch.md, "Semantics of the first jobs"; seed 000's catalogue).

Thin: each job reads its batchkonstanter (the values in force on the run's as-of date) and calls one
set-based service in ``cases.services``; the services count what they create/update/skip (and, in a
dry run, only count). Deletions are counted under ``updated`` and itemised in the run log; every
deleted row is logged in ``cases.Sletningslog`` (kind, internal id, run — no personal data).
"""

from __future__ import annotations

from batch.registry import KonstantSpec, batchjob
from cases import services
from cases.models import Ydelsestype


def _kommune_id(ctx) -> int:
    if ctx.kommune is None:
        raise ValueError("Jobbet kører pr. kommune; der er ikke angivet nogen kommune.")
    return ctx.kommune.pk


def _koersel_id(ctx):
    return getattr(getattr(ctx, "koersel", None), "pk", None)


def _record(ctx, counts: dict, what: str) -> None:
    for key in ("created", "updated", "skipped"):
        ctx.count(key, counts.get(key, 0))
    prefix = "Prøvekørsel: ville " if ctx.dry_run else ""
    ctx.log(f"{prefix}{what}: oprettet {counts.get('created', 0)}, ændret/slettet {counts.get('updated', 0)}, "
            f"sprunget over {counts.get('skipped', 0)}"
            + (f" (slettede rækker i alt inkl. tilknyttede: {counts['deleted_rows']})" if "deleted_rows" in counts else ""))


def _retention_kwargs(ctx) -> dict:
    return {"job": ctx.job.slug, "koersel_id": _koersel_id(ctx), "dry_run": ctx.dry_run}


# --- opfølgning ------------------------------------------------------------------------------------

@batchjob("regelmaessig-opfoelgning", konstanter=[
    KonstantSpec("interval_maaneder", "int", 3, "Antal måneder mellem regelmæssige opfølgninger (Aktivloven §10)."),
])
def regelmaessig_opfoelgning(ctx) -> None:
    # seed 000, nr. 5; batch.md
    interval = services.as_int(ctx.konstant("interval_maaneder"), "interval_maaneder", minimum=1)
    counts = services.regelmaessig_opfoelgning(_kommune_id(ctx), ctx.as_of, interval, dry_run=ctx.dry_run)
    _record(ctx, counts, f"Opfølgningsopgaver (interval {interval} måneder)")


@batchjob("dan-opfoelgingsopgave")
def dan_opfoelgingsopgave(ctx) -> None:
    # seed 000, nr. 1: KY aktiverer opgaven på den satte dato
    counts = services.aktiver_planlagte_opgaver(_kommune_id(ctx), ctx.as_of, dry_run=ctx.dry_run)
    _record(ctx, counts, "Planlagte opgaver aktiveret")


@batchjob("opfoelgning-af-inaktive-sager", konstanter=[
    KonstantSpec("inaktiv_maaneder", "int", 6, "Antal måneder uden ændringer før en aktiv sag giver en opgave."),
])
def opfoelgning_af_inaktive_sager(ctx) -> None:
    # seed 000, nr. 41
    maaneder = services.as_int(ctx.konstant("inaktiv_maaneder"), "inaktiv_maaneder", minimum=1)
    counts = services.opfoelgning_af_inaktive_sager(_kommune_id(ctx), ctx.as_of, maaneder, dry_run=ctx.dry_run)
    _record(ctx, counts, f"Opgaver på sager uden ændringer i {maaneder} måneder")


# --- dataforvaltning -------------------------------------------------------------------------------

@batchjob("frigiv-reservation")
def frigiv_reservation(ctx) -> None:
    # seed 000, nr. 55
    counts = services.frigiv_reservationer(_kommune_id(ctx), ctx.as_of, dry_run=ctx.dry_run)
    _record(ctx, counts, "Reservationer frigivet")


@batchjob("afslutning-af-sag")
def afslutning_af_sag(ctx) -> None:
    # seed 000, nr. 48. A sag without bevillinger is left open (see services.afslut_sager).
    counts = services.afslut_sager(_kommune_id(ctx), ctx.as_of, dry_run=ctx.dry_run)
    _record(ctx, counts, "Sager lukket")


@batchjob("task-filter")
def task_filter(ctx) -> None:
    # seed 000, nr. 80: opdaterer udsøgning i opgavepakker
    kommune_id = _kommune_id(ctx)
    counts = services.fordel_opgaver(kommune_id, dry_run=ctx.dry_run)
    _record(ctx, counts, "Opgaver placeret i opgavepakker")
    # the packages' counts are kept by triggers (cases.OpgavepakkeTaelling); the run logs them
    for kode, aabne, i_alt in services.pakke_antal(kommune_id):
        ctx.log(f"Opgavepakke {kode}: {aabne} åbne af {i_alt}")


# --- oprydning -------------------------------------------------------------------------------------

@batchjob("slet-udloebne-kladder-i-selvbetjeningen", konstanter=[
    KonstantSpec("uroert_dage", "duration", 60, "Antal dage en kladde må ligge urørt før den slettes."),
])
def slet_udloebne_kladder(ctx) -> None:
    # seed 000, nr. 81
    dage = services.as_int(ctx.konstant("uroert_dage"), "uroert_dage", minimum=1)
    counts = services.slet_udloebne_kladder(_kommune_id(ctx), ctx.as_of, dage, **_retention_kwargs(ctx))
    _record(ctx, counts, f"Kladder urørt i {dage} dage slettet")


KASSATION_KATEGORIER = [yt for yt in Ydelsestype.values]


@batchjob("update-kassations", konstanter=[
    KonstantSpec("kassation_aar", "int", 5, "Antal år efter lukning før en lukket sag kasseres."),
    *[KonstantSpec(f"kassation_aar_{yt.lower()}", "int", 0,
                   f"Antal år for sager om {Ydelsestype(yt).label} (0: brug kassation_aar).")
      for yt in KASSATION_KATEGORIER],
])
def update_kassations(ctx) -> None:
    # seed 000, nr. 79: kassationskategorier (here: the sag's ydelsestype) dictate the retention
    standard = services.as_int(ctx.konstant("kassation_aar"), "kassation_aar", minimum=0)
    per_kategori = {}
    for yt in KASSATION_KATEGORIER:
        aar = services.as_int(ctx.konstant(f"kassation_aar_{yt.lower()}"), f"kassation_aar_{yt.lower()}", minimum=0)
        if aar:
            per_kategori[yt] = aar
    counts = services.opdater_kassationsdatoer(_kommune_id(ctx), per_kategori, standard, dry_run=ctx.dry_run)
    _record(ctx, counts, "Kassationsdatoer opdateret (sager og dokumenter)")


@batchjob("delete-cases")
def delete_cases(ctx) -> None:
    # seed 000, nr. 73
    counts = services.slet_kasserede_sager(_kommune_id(ctx), ctx.as_of, **_retention_kwargs(ctx))
    _record(ctx, counts, "Sager efter kassationsdato slettet")


@batchjob("delete-marked-cases")
def delete_marked_cases(ctx) -> None:
    # seed 000, nr. 75
    counts = services.slet_markerede_sager(_kommune_id(ctx), ctx.as_of, **_retention_kwargs(ctx))
    _record(ctx, counts, "Sager markeret til sletning slettet")


@batchjob("delete-documents")
def delete_documents(ctx) -> None:
    # seed 000, nr. 74
    counts = services.slet_kasserede_dokumenter(_kommune_id(ctx), ctx.as_of, **_retention_kwargs(ctx))
    _record(ctx, counts, "Dokumenter efter kassationsdato slettet")


@batchjob("delete-persons", per_kommune=False)
def delete_persons(ctx) -> None:
    # seed 000, nr. 76. National: a person with nothing left belongs to no kommune.
    counts = services.slet_personer(ctx.as_of, **_retention_kwargs(ctx))
    _record(ctx, counts, "Personer uden tilknytning slettet")


@batchjob("delete-subscription")
def delete_subscription(ctx) -> None:
    # seed 000, nr. 77
    counts = services.slet_abonnementer(_kommune_id(ctx), ctx.as_of, **_retention_kwargs(ctx))
    _record(ctx, counts, "Abonnementer uden aktiv sag slettet")
