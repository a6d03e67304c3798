"""Real RQ workers and real races (batch.md: crash-safe; never the same job-kommune-date twice).

These tests commit (transaction=True) so that other processes/threads see the rows; the worker
subprocess is pointed at pytest-django's test database and at this test's Redis db."""

import datetime as dt
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import django_rq
import pytest
from django.conf import settings
from django.db import connection

import batch.testing_jobs  # noqa: F401  (registers test-langsom in this process too)
from batch import services, tasks
from batch.models import Koersel
from cases.models import Opgavepakke

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(__file__).resolve().parents[2]
SLOW = "test-langsom"
FAST = "frigiv-reservation"


@pytest.fixture
def rq_clean():
    conn = django_rq.get_connection("default")
    for name in settings.BATCH_QUEUES:
        django_rq.get_queue(name).empty()
    yield conn
    for name in settings.BATCH_QUEUES:
        django_rq.get_queue(name).empty()


def test_database_url() -> str:
    """pytest-django's test database as a URL; HOST may be a unix socket directory
    (the embedded pgserver), which goes percent-encoded into the host part."""
    from urllib.parse import quote

    db = settings.DATABASES["default"]
    auth = quote(db["USER"] or "", safe="") + (":" + quote(db["PASSWORD"], safe="") if db.get("PASSWORD") else "")
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{auth}@{quote(db['HOST'] or '', safe='')}{port}/{db['NAME']}"


def start_worker():
    env = {**os.environ,
           "DATABASE_URL": test_database_url(),
           "REDIS_URL": settings.REDIS_URL, "KY_BATCH_TEST_JOBS": "1", "KY_BATCH_HEARTBEAT_INTERVAL": "1"}
    return subprocess.Popen([sys.executable, "manage.py", "rqworker_ky", "--burst"], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)


def wait_for(pred, timeout=30):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if pred():
            return True
        time.sleep(0.1)
    return False


def test_sigkill_worker_then_rerun_completes(rq_clean):
    as_of = dt.date(2026, 4, 10)
    k = services.enqueue_job(SLOW, kommune=101, as_of=as_of)
    worker = start_worker()
    try:
        # the run is visibly running with progress and heartbeat (written outside the job's transaction)
        assert wait_for(lambda: Koersel.objects.filter(pk=k.pk, status="running", progress_done__gte=3).exists())
        # the worker and its work horse (RQ puts the horse in its own process group) die mid-run
        horses = subprocess.run(["pgrep", "-P", str(worker.pid)], capture_output=True, text=True).stdout.split()
        assert horses
        for pid in horses:
            os.kill(int(pid), signal.SIGKILL)
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(10)
    finally:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGKILL)
    k.refresh_from_db()
    assert k.status == "running"
    time.sleep(1.5)
    assert services.fail_stale_runs(older_than=dt.timedelta(seconds=1)) == 1
    k.refresh_from_db()
    assert k.status == "failed" and "heartbeat" in k.besked
    assert not Opgavepakke.objects.filter(kode="TEST-LANGSOM").exists()  # the dead run's writes are gone

    again = services.enqueue_job(SLOW, kommune=101, as_of=as_of)
    worker = start_worker()
    assert worker.wait(60) == 0
    again.refresh_from_db()
    assert again.status == "succeeded" and again.progress_done == 20 and again.counts["created"] == 1
    assert Opgavepakke.objects.filter(kode="TEST-LANGSOM").count() == 1


def race(n, fn):
    barrier = threading.Barrier(n)
    results = [None] * n

    def body(i):
        try:
            barrier.wait()
            results[i] = fn()
        except Exception as exc:  # noqa: BLE001 - collected for the assertion
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=body, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return results


def test_two_workers_racing_for_same_run_execute_once():
    k = services.create_run(services.registry.get(FAST), kommune_id=101, as_of=dt.date(2026, 4, 10), dry_run=False,
                            trigger="api", user=None, status="queued")
    results = race(4, lambda: tasks.execute_run(k.pk))
    assert sorted(map(str, results)) == ["None", "None", "None", "succeeded"]


def test_concurrent_starts_of_same_key_one_wins():
    results = race(4, lambda: services.run_job(FAST, kommune=101, as_of=dt.date(2026, 4, 11)))
    ok = [r for r in results if isinstance(r, Koersel)]
    refused = [r for r in results if isinstance(r, services.RunAlreadyActive)]
    # a run that finished before another thread started may be followed by one more; never two at once
    assert ok and len(ok) + len(refused) == 4
    assert Koersel.objects.filter(job=FAST, as_of=dt.date(2026, 4, 11), status__in=["queued", "running"]).count() == 0
