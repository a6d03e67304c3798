"""Running batch jobs and reading batchkonstanter (batch.md)."""

from __future__ import annotations

import datetime as dt
import traceback

from django.db import transaction
from django.utils import timezone

from batch import registry
from batch.models import Batchkonstant, Koersel, KoerselStatus, Trigger


def konstant_value(spec: registry.JobSpec, kommune_id: int | None, noegle: str, as_of: dt.date):
    """The value of batchkonstant ``noegle`` for the job and kommune in force on ``as_of``."""
    kspec = spec.konstant_spec(noegle)
    if kommune_id is not None:
        row = (
            Batchkonstant.objects.filter(kommune_id=kommune_id, job=spec.slug, noegle=noegle, gyldig_fra__lte=as_of)
            .order_by("-gyldig_fra")
            .values_list("vaerdi", flat=True)
            .first()
        )
        if row is not None:
            return row
    return kspec.standard


class RunContext:
    """The JobContext a job function gets."""

    def __init__(self, spec: registry.JobSpec, koersel: Koersel, kommune):
        self.job = spec
        self.koersel = koersel
        self.kommune = kommune
        self.as_of = koersel.as_of
        self.dry_run = koersel.dry_run
        self.counts = {"created": 0, "updated": 0, "skipped": 0, "failed": 0}
        self.errors: list[dict] = []
        self.lines: list[str] = []

    def konstant(self, noegle: str):
        return konstant_value(self.job, self.kommune.pk if self.kommune else None, noegle, self.as_of)

    def count(self, key: str, n: int = 1) -> None:
        self.counts[key] = self.counts.get(key, 0) + n

    def log(self, message: str) -> None:
        self.lines.append(f"{timezone.now():%H:%M:%S} {message}")

    def error(self, item: str, message: str) -> None:
        self.errors.append({"item": str(item), "message": message})
        self.count("failed")

    def progress(self, done: int, total: int | None = None) -> None:
        Koersel.objects.filter(pk=self.koersel.pk).update(
            progress_done=done, progress_total=total, heartbeat=timezone.now()
        )


def run_job(slug: str, *, kommune=None, as_of: dt.date | None = None, dry_run: bool = False,
            trigger: str = Trigger.COMMAND, user=None) -> Koersel:
    """Run one job now, in this process, for one kommune (or nationally) and record the run."""
    spec = registry.get(slug)
    as_of = as_of or timezone.localdate()
    kommune_id = getattr(kommune, "pk", kommune)
    koersel = Koersel.objects.create(
        job=spec.slug, kommune_id=kommune_id if spec.per_kommune else None, as_of=as_of, dry_run=dry_run,
        trigger=trigger, startet_af=user, status=KoerselStatus.RUNNING, startet=timezone.now(), heartbeat=timezone.now(),
    )
    return execute(koersel)


def execute(koersel: Koersel) -> Koersel:
    spec = registry.get(koersel.job)
    kommune = koersel.kommune
    ctx = RunContext(spec, koersel, kommune)
    if spec.func is None:
        koersel.status = KoerselStatus.FAILED
        koersel.besked = "ikke implementeret"
    elif kommune is not None and not ctx.konstant("aktiv"):
        koersel.status = KoerselStatus.SKIPPED
        koersel.besked = "Jobbet er deaktiveret for kommunen (batchkonstant aktiv = false)."
    else:
        try:
            with transaction.atomic():
                spec.func(ctx)
                if koersel.dry_run:
                    transaction.set_rollback(True)
            koersel.status = KoerselStatus.SUCCEEDED
        except Exception as exc:  # the run records the failure; the job's writes were rolled back
            koersel.status = KoerselStatus.FAILED
            koersel.besked = str(exc) or exc.__class__.__name__
            ctx.log(traceback.format_exc())
    koersel.counts = ctx.counts
    koersel.errors = ctx.errors
    koersel.log = "\n".join(ctx.lines)
    koersel.afsluttet = timezone.now()
    koersel.save()
    return koersel
