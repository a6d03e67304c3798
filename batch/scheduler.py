"""The batch scheduler (batch.md: cadences are scheduled by RQ's own scheduling).

Design:
- ``manage.py batch_scheduler`` starts RQ's ``rq.cron.CronScheduler`` with a single cron entry,
  ``batch.tasks.tick`` every minute (cron ``* * * * *``) on the ``default`` queue. No loop of ours:
  RQ's cron scheduler enqueues the tick, an RQ worker (``rqworker_ky``) runs it.
- ``tick(now)`` first fails runs with a stale heartbeat (crashed workers), then works out in
  Europe/Copenhagen time which *implemented* catalogue jobs are due, per kommune in operation
  (``selectors.kommuner_i_drift``) for per-kommune jobs, once for national jobs. Each due run has a
  schedule slot (``Koersel.planslot``, unique): a day for ``dagligt`` (from BATCH_DAGLIG_TIME, 02:00),
  an ISO week for ``ugentligt`` (Mondays), a month for ``maanedligt`` (the 1st), a year for
  ``aarligt`` (1 January), a half hour for ``hvert 30. minut`` (and only weekdays 07-17 for
  ``(arbejdstid)``). Slots are inserted with ``bulk_create(ignore_conflicts=True)``: a doubled or
  concurrent tick inserts nothing twice; the partial unique index also skips a job-kommune-date
  that is already queued/running. New rows are then enqueued on their category's queue.
- A slot missed while the scheduler was down is caught up by the first tick of the same slot
  period (e.g. the same day); older slots are not back-filled.
- Catalogue jobs that are not implemented are not scheduled (they would only record
  "ikke implementeret" failures); they can still be run by hand.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from batch import registry, selectors, services
from batch.models import Koersel, KoerselStatus, Trigger

CPH = zoneinfo.ZoneInfo("Europe/Copenhagen")


def normalise_kadence(kadence: str) -> str:
    k = registry.ascii_key(kadence.strip().lower())
    if k.startswith("hvert 30"):
        return "halvtime-arbejdstid" if "arbejdstid" in k else "halvtime"
    return {"dagligt": "dagligt", "ugentligt": "ugentligt", "maanedligt": "maanedligt",
            "aarligt": "aarligt"}.get(k, k)


def slot_for(kadence: str, local: dt.datetime) -> str | None:
    """The schedule slot due at local (Copenhagen) time ``local``, or None when nothing is due."""
    kind = normalise_kadence(kadence)
    daily_hour = getattr(settings, "BATCH_DAGLIG_TIME", 2)
    d = local.date()
    if kind == "dagligt":
        return d.isoformat() if local.hour >= daily_hour else None
    if kind == "ugentligt":
        y, w, wd = d.isocalendar()
        return f"{y}-W{w:02d}" if local.hour >= daily_hour or wd > 1 else None
    if kind == "maanedligt":
        return f"{d:%Y-%m}" if local.hour >= daily_hour or d.day > 1 else None
    if kind == "aarligt":
        return f"{d:%Y}" if local.hour >= daily_hour or d.timetuple().tm_yday > 1 else None
    if kind == "halvtime":
        return f"{d.isoformat()}T{local.hour:02d}:{0 if local.minute < 30 else 30:02d}"
    if kind == "halvtime-arbejdstid":
        if d.weekday() >= 5 or not 7 <= local.hour < 17:
            return None
        return f"{d.isoformat()}T{local.hour:02d}:{0 if local.minute < 30 else 30:02d}"
    return None  # unknown cadence: never scheduled automatically


def due_runs(now: dt.datetime | None = None) -> list[Koersel]:
    """Unsaved Koersel rows for every run due at ``now`` (an aware datetime)."""
    local = (now or timezone.now()).astimezone(CPH)
    kommuner = selectors.kommuner_i_drift()
    rows = []
    for spec in registry.all_jobs():
        if not spec.implementeret:
            continue
        slot = slot_for(spec.kadence, local)
        if slot is None:
            continue
        for kode in (kommuner if spec.per_kommune else [None]):
            rows.append(Koersel(
                job=spec.slug, kommune_id=kode, as_of=local.date(), trigger=Trigger.SCHEDULE,
                status=KoerselStatus.QUEUED, planslot=f"{spec.slug}|{kode or 'national'}|{slot}",
            ))
    return rows


def tick(now: dt.datetime | None = None) -> int:
    """One scheduler tick: fail stale runs, insert due runs idempotently, enqueue the new ones."""
    services.fail_stale_runs()
    rows = due_runs(now)
    with transaction.atomic():
        Koersel.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
        new = list(Koersel.objects.select_for_update(skip_locked=True).filter(
            planslot__in=[r.planslot for r in rows], status=KoerselStatus.QUEUED, rq_job_id=""))
        for koersel in new:
            services.enqueue_run(koersel)
        Koersel.objects.filter(pk__in=[k.pk for k in new]).update(rq_job_id="afventer")
    return len(new)
