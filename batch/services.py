"""Running batch jobs and reading batchkonstanter (batch.md)."""

from __future__ import annotations

import datetime as dt
import threading
import traceback

from django.conf import settings
from django.db import IntegrityError, connection, transaction
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
        # written by the heartbeat thread on its own connection, so it is visible while the
        # job's own transaction is still open
        self.done, self.total = done, total
        if self.beat is not None:
            self.beat.poke()
        else:
            Koersel.objects.filter(pk=self.koersel.pk).update(
                progress_done=done, progress_total=total, heartbeat=timezone.now()
            )

    done = 0
    total = None
    beat = None


class Heartbeat(threading.Thread):
    """Writes ``heartbeat`` (and progress) of a running run every BATCH_HEARTBEAT_INTERVAL seconds
    on its own database connection (committed at once, outside the job's transaction). When the
    process dies (SIGKILL, OOM, machine lost) the beats stop; ``fail_stale_runs`` then marks the
    run failed."""

    def __init__(self, ctx: RunContext):
        super().__init__(daemon=True, name=f"heartbeat-{ctx.koersel.pk}")
        self.ctx = ctx
        self.stop_event = threading.Event()
        self.wake = threading.Event()

    def poke(self):
        self.wake.set()

    def run(self):
        interval = getattr(settings, "BATCH_HEARTBEAT_INTERVAL", 10)
        try:
            while not self.stop_event.is_set():
                Koersel.objects.filter(pk=self.ctx.koersel.pk, status=KoerselStatus.RUNNING).update(
                    heartbeat=timezone.now(), progress_done=self.ctx.done, progress_total=self.ctx.total
                )
                self.wake.wait(interval)
                self.wake.clear()
        finally:
            connection.close()

    def stop(self):
        self.stop_event.set()
        self.wake.set()
        self.join(timeout=5)


class RunAlreadyActive(Exception):
    """A run of the same job, kommune and as-of date is queued or running (unique index)."""

    def __init__(self, existing: Koersel | None):
        self.existing = existing
        super().__init__(
            f"Jobbet kører allerede for denne kommune og kørselsdato (kørsel {existing.pk if existing else '?'})."
        )


def stale_after() -> dt.timedelta:
    return dt.timedelta(seconds=getattr(settings, "BATCH_HEARTBEAT_STALE_SECONDS", 60))


def fail_stale_runs(older_than: dt.timedelta | None = None) -> int:
    """Mark ``running`` runs whose heartbeat is older than the limit as failed (batch.md: crash-safe)."""
    limit = timezone.now() - (older_than if older_than is not None else stale_after())
    return Koersel.objects.filter(status=KoerselStatus.RUNNING, heartbeat__lt=limit).update(
        status=KoerselStatus.FAILED, afsluttet=timezone.now(),
        besked="Kørslen stoppede uden at melde tilbage (forældet heartbeat); arbejderen er formodentlig død.",
    )


def _active_run(job: str, kommune_id, as_of) -> Koersel | None:
    return Koersel.objects.filter(
        job=job, kommune_id=kommune_id, as_of=as_of, status__in=[KoerselStatus.QUEUED, KoerselStatus.RUNNING]
    ).first()


def create_run(spec: registry.JobSpec, *, kommune_id, as_of: dt.date, dry_run: bool, trigger: str, user,
               status: str) -> Koersel:
    """Insert a run; the partial unique index refuses a second active run of the same key."""
    fail_stale_runs()
    kommune_id = kommune_id if spec.per_kommune else None
    now = timezone.now()
    try:
        with transaction.atomic():
            return Koersel.objects.create(
                job=spec.slug, kommune_id=kommune_id, as_of=as_of, dry_run=dry_run, trigger=trigger,
                startet_af=user if getattr(user, "pk", None) else None, status=status,
                startet=now if status == KoerselStatus.RUNNING else None,
                heartbeat=now if status == KoerselStatus.RUNNING else None,
            )
    except IntegrityError as exc:
        if getattr(getattr(exc.__cause__, "diag", None), "constraint_name", None) != "koersel_en_aktiv_pr_noegle":
            raise
        raise RunAlreadyActive(_active_run(spec.slug, kommune_id, as_of)) from None


def queue_name(spec: registry.JobSpec) -> str:
    queues = getattr(settings, "BATCH_QUEUES", ["default"])
    return spec.kategori if spec.kategori in queues else "default"


def enqueue_job(slug: str, *, kommune=None, as_of: dt.date | None = None, dry_run: bool = False,
                trigger: str = Trigger.COMMAND, user=None) -> Koersel:
    """Record a queued run and put it on its category's RQ queue after commit."""
    spec = registry.get(slug)
    koersel = create_run(spec, kommune_id=getattr(kommune, "pk", kommune), as_of=as_of or timezone.localdate(),
                         dry_run=dry_run, trigger=trigger, user=user, status=KoerselStatus.QUEUED)
    enqueue_run(koersel)
    return koersel


def enqueue_run(koersel: Koersel) -> None:
    spec = registry.get(koersel.job)

    def push():
        import django_rq

        job = django_rq.get_queue(queue_name(spec)).enqueue(
            "batch.tasks.execute_run", koersel.pk, job_id=f"koersel-{koersel.pk}-{timezone.now().timestamp():.0f}",
        )
        Koersel.objects.filter(pk=koersel.pk).update(rq_job_id=job.id)

    transaction.on_commit(push)


def claim_run(run_id: int) -> Koersel | None:
    """Atomically take a queued run (only one of several racing workers gets it)."""
    now = timezone.now()
    n = Koersel.objects.filter(pk=run_id, status=KoerselStatus.QUEUED).update(
        status=KoerselStatus.RUNNING, startet=now, heartbeat=now
    )
    return Koersel.objects.get(pk=run_id) if n == 1 else None


def cancel_run(koersel: Koersel) -> bool:
    n = Koersel.objects.filter(pk=koersel.pk, status=KoerselStatus.QUEUED).update(
        status=KoerselStatus.FAILED, afsluttet=timezone.now(), besked="Annulleret før start."
    )
    return n == 1


def rerun(koersel: Koersel, *, user=None, trigger: str = Trigger.ADMIN) -> Koersel:
    return enqueue_job(koersel.job, kommune=koersel.kommune_id, as_of=koersel.as_of, dry_run=koersel.dry_run,
                       trigger=trigger, user=user)


def run_job(slug: str, *, kommune=None, as_of: dt.date | None = None, dry_run: bool = False,
            trigger: str = Trigger.COMMAND, user=None) -> Koersel:
    """Run one job now, in this process, for one kommune (or nationally) and record the run."""
    spec = registry.get(slug)
    koersel = create_run(spec, kommune_id=getattr(kommune, "pk", kommune), as_of=as_of or timezone.localdate(),
                         dry_run=dry_run, trigger=trigger, user=user, status=KoerselStatus.RUNNING)
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
        beat = ctx.beat = Heartbeat(ctx) if connection.in_atomic_block is False else None
        if beat:
            beat.start()
        try:
            if spec.atomic or koersel.dry_run:
                with transaction.atomic():
                    spec.func(ctx)
                    if koersel.dry_run:
                        transaction.set_rollback(True)
            else:  # the job commits its own steps (JobSpec.atomic)
                spec.func(ctx)
            koersel.status = KoerselStatus.SUCCEEDED
        except Exception as exc:  # the run records the failure; the job's writes were rolled back
            koersel.status = KoerselStatus.FAILED
            koersel.besked = str(exc) or exc.__class__.__name__
            ctx.log(traceback.format_exc())
        finally:
            if beat:
                beat.stop()
    koersel.progress_done, koersel.progress_total = ctx.done, ctx.total
    koersel.counts = ctx.counts
    koersel.errors = ctx.errors
    koersel.log = "\n".join(ctx.lines)
    koersel.afsluttet = timezone.now()
    koersel.save()
    return koersel


class KonstantFejl(Exception):
    def __init__(self, tekst: str, kode: str = "ugyldig", felt: str | None = "vaerdi"):
        super().__init__(tekst)
        self.kode, self.felt = kode, felt


def parse_konstant(kspec: registry.KonstantSpec, raw):
    """Check/convert a value against the constant's type; Danish message on error."""
    if kspec.type == "bool":
        if isinstance(raw, bool):
            return raw
        text = str(raw).strip().lower()
        if text in {"true", "1", "ja", "sand", "on"}:
            return True
        if text in {"false", "0", "nej", "falsk", "off"}:
            return False
        raise KonstantFejl(f"{kspec.noegle} skal være ja eller nej (sand/falsk).", "ugyldig_type")
    if isinstance(raw, bool):
        raise KonstantFejl(f"{kspec.noegle} skal være et helt tal.", "ugyldig_type")
    try:
        value = int(str(raw).strip())
    except (TypeError, ValueError):
        enhed = " (antal dage)" if kspec.type == "duration" else ""
        raise KonstantFejl(f"{kspec.noegle} skal være et helt tal{enhed}.", "ugyldig_type") from None
    if value < 0:
        raise KonstantFejl(f"{kspec.noegle} må ikke være negativ.", "ugyldig_vaerdi")
    return value


def saet_konstant(*, user, kommune_id: int, job: str, noegle: str, vaerdi, gyldig_fra: dt.date,
                  row: Batchkonstant | None = None) -> Batchkonstant:
    """Set (or plan) a batchkonstant value from ``gyldig_fra``; logs the change (who, when, old, new).
    Only a kommuneadmin of that kommune (or a superuser) may change it."""
    from batch.models import BatchkonstantAendring
    from ky.core.permissions import Perm
    from ky.core.scoping import user_kommune_codes

    codes = user_kommune_codes(user)
    if not (user.has_perm(Perm.AENDRE_BATCHKONSTANTER) and (codes is None or kommune_id in codes)):
        raise PermissionError("Kun kommunens administrator må ændre batchkonstanter.")
    try:
        spec = registry.get(job)
        kspec = spec.konstant_spec(noegle)
    except KeyError:
        raise KonstantFejl(f"Ukendt batchkonstant {noegle!r} for job {job!r}.", "ukendt", "noegle") from None
    value = parse_konstant(kspec, vaerdi)
    if gyldig_fra is None:
        raise KonstantFejl("Angiv en gyldig fra-dato.", "paakraevet", "gyldig_fra")
    if gyldig_fra < timezone.localdate():
        raise KonstantFejl("Gyldig fra kan ikke ligge før i dag.", "dato_i_fortiden", "gyldig_fra")
    with transaction.atomic():
        gammel = konstant_value(spec, kommune_id, noegle, gyldig_fra)
        if row is not None and row.gyldig_fra != gyldig_fra:
            # moving a planned value to another date: the row at the new date (if any) is replaced
            Batchkonstant.objects.filter(kommune_id=kommune_id, job=job, noegle=noegle,
                                         gyldig_fra=gyldig_fra).exclude(pk=row.pk).delete()
            row.gyldig_fra, row.vaerdi = gyldig_fra, value
            row.save()
            obj = row
        else:
            obj, _ = Batchkonstant.objects.update_or_create(
                kommune_id=kommune_id, job=job, noegle=noegle, gyldig_fra=gyldig_fra, defaults={"vaerdi": value})
        BatchkonstantAendring.objects.create(kommune_id=kommune_id, job=job, noegle=noegle, gyldig_fra=gyldig_fra,
                                             gammel=gammel, ny=value, bruger=user)
    return obj
