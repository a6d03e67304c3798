"""Batch platform: commands, API, unique-run guard, heartbeat, scheduler, batchkonstanter (batch.md)."""

import datetime as dt
import json
import zoneinfo

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from batch import registry, scheduler, services
from batch.models import Batchkonstant, BatchkonstantAendring, Koersel
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
CPH = zoneinfo.ZoneInfo("Europe/Copenhagen")
IMPL = "frigiv-reservation"  # implemented by cases.jobs


def _not_implemented() -> str:
    """A catalogue job without an implementation, picked from the registry at run time, so the
    tests do not break each time another job is made real (borgers-alder was, issue 13)."""
    registry.autodiscover()
    return next(j.slug for j in registry.all_jobs() if not j.implementeret)


NOT_IMPL = _not_implemented()


def cmd(*args):
    """Run a command; return (exit code, stdout lines)."""
    import io

    out, err = io.StringIO(), io.StringIO()
    code = 0
    try:
        call_command(*args, stdout=out, stderr=err)
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue().strip().splitlines(), err.getvalue()


# --- commands ------------------------------------------------------------------------------------

def test_list_batchjobs_json():
    code, lines, _ = cmd("list_batchjobs", "--json")
    rows = json.loads(lines[-1])
    assert code == 0 and len(rows) >= 82
    row = next(r for r in rows if r["slug"] == "regelmaessig-opfoelgning")
    assert row["implementeret"] is True and row["kategori"] == "opfoelgning"
    assert next(r for r in rows if r["slug"] == NOT_IMPL)["implementeret"] is False


def test_run_batchjob_unknown_job_exits_2_with_suggestions():
    code, _, err = cmd("run_batchjob", "regelmasig-opfolgning")
    assert code == 2 and "regelmaessig-opfoelgning" in err


def test_run_batchjob_summary_and_name_lookup():
    code, lines, _ = cmd("run_batchjob", "Frigiv reservation", "--kommune", "101", "--as-of", "2026-04-10")
    summary = json.loads(lines[-1])
    assert code == 0
    assert summary["job"] == IMPL and summary["kommune"] == 101 and summary["as_of"] == "2026-04-10"
    assert summary["status"] == "succeeded" and set(summary["counts"]) == {"created", "updated", "skipped", "failed"}
    assert Koersel.objects.get(pk=summary["run_id"]).trigger == "command"


def test_run_batchjob_every_kommune_gives_array():
    UserFactory(kommuner=[751])
    UserFactory(kommuner=[101])
    code, lines, _ = cmd("run_batchjob", IMPL, "--as-of", "2026-04-10")
    out = json.loads(lines[-1])
    assert code == 0 and [s["kommune"] for s in out] == [101, 751]
    assert Koersel.objects.filter(job=IMPL).count() == 2


def test_not_implemented_fails_exit_1():
    code, lines, _ = cmd("run_batchjob", NOT_IMPL, "--kommune", "101")
    summary = json.loads(lines[-1])
    assert code == 1 and summary["status"] == "failed"
    assert Koersel.objects.get(pk=summary["run_id"]).besked == "ikke implementeret"


def test_deactivated_is_skipped():
    Batchkonstant.objects.create(kommune_id=101, job=IMPL, noegle="aktiv", vaerdi=False, gyldig_fra=dt.date(2026, 1, 1))
    k = services.run_job(IMPL, kommune=101, as_of=dt.date(2026, 4, 10))
    assert k.status == "skipped"
    assert services.run_job(IMPL, kommune=751, as_of=dt.date(2026, 4, 10)).status == "succeeded"


def test_dry_run_recorded():
    code, lines, _ = cmd("run_batchjob", IMPL, "--kommune", "101", "--dry-run")
    s = json.loads(lines[-1])
    assert code == 0 and s["dry_run"] is True and Koersel.objects.get(pk=s["run_id"]).dry_run


def test_enqueue_records_queued_run(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        code, lines, _ = cmd("run_batchjob", IMPL, "--kommune", "101", "--enqueue")
    s = json.loads(lines[-1])
    assert code == 0 and s["status"] == "queued" and len(callbacks) == 1  # pushed to RQ only after commit


# --- one active run per job-kommune-date --------------------------------------------------------

def test_unique_active_run_refused():
    spec = registry.get(IMPL)
    first = services.create_run(spec, kommune_id=101, as_of=dt.date(2026, 4, 10), dry_run=False,
                                trigger="command", user=None, status="running")
    with pytest.raises(services.RunAlreadyActive) as exc:
        services.run_job(IMPL, kommune=101, as_of=dt.date(2026, 4, 10))
    assert exc.value.existing.pk == first.pk
    # national jobs (kommune NULL) are covered too
    nat = registry.get("dfdg-opdater-frister") if "dfdg-opdater-frister" in {s.slug for s in registry.all_jobs()} else None
    if nat is not None:
        services.create_run(nat, kommune_id=None, as_of=dt.date(2026, 4, 10), dry_run=False, trigger="command",
                            user=None, status="queued")
        with pytest.raises(services.RunAlreadyActive):
            services.create_run(nat, kommune_id=None, as_of=dt.date(2026, 4, 10), dry_run=False, trigger="command",
                                user=None, status="queued")
    # a finished run does not block a new one
    Koersel.objects.filter(pk=first.pk).update(status="succeeded")
    assert services.run_job(IMPL, kommune=101, as_of=dt.date(2026, 4, 10)).status == "succeeded"


def test_claim_run_only_once():
    spec = registry.get(IMPL)
    k = services.create_run(spec, kommune_id=101, as_of=dt.date(2026, 4, 10), dry_run=False, trigger="api",
                            user=None, status="queued")
    assert services.claim_run(k.pk) is not None
    assert services.claim_run(k.pk) is None


def test_stale_heartbeat_fails_run_and_new_run_proceeds():
    spec = registry.get(IMPL)
    k = services.create_run(spec, kommune_id=101, as_of=dt.date(2026, 4, 10), dry_run=False, trigger="command",
                            user=None, status="running")
    Koersel.objects.filter(pk=k.pk).update(heartbeat=timezone.now() - dt.timedelta(seconds=120))
    new = services.run_job(IMPL, kommune=101, as_of=dt.date(2026, 4, 10))  # fails the stale one first
    k.refresh_from_db()
    assert k.status == "failed" and "heartbeat" in k.besked
    assert new.status == "succeeded"


# --- scheduler ----------------------------------------------------------------------------------

def test_slots_in_copenhagen_time():
    # 2026-03-29 00:30 UTC is 01:30 CET (before 02:00: not yet due); 01:30 UTC is 03:30 CEST (due)
    early = dt.datetime(2026, 3, 29, 0, 30, tzinfo=dt.UTC).astimezone(CPH)
    late = dt.datetime(2026, 3, 29, 1, 30, tzinfo=dt.UTC).astimezone(CPH)
    assert scheduler.slot_for("dagligt", early) is None
    assert scheduler.slot_for("dagligt", late) == "2026-03-29"
    # 23:30 UTC on 31 Dec is already 1 January in Copenhagen
    nye = dt.datetime(2026, 12, 31, 23, 30, tzinfo=dt.UTC).astimezone(CPH)
    assert scheduler.slot_for("månedligt", nye) is None  # 00:30 local, before 02:00
    assert scheduler.slot_for("ugentligt", dt.datetime(2026, 4, 7, 10, tzinfo=CPH)) == "2026-W15"
    assert scheduler.slot_for("hvert 30. minut", dt.datetime(2026, 4, 7, 10, 45, tzinfo=CPH)) == "2026-04-07T10:30"
    assert scheduler.slot_for("hvert 30. minut (arbejdstid)", dt.datetime(2026, 4, 11, 10, 45, tzinfo=CPH)) is None
    assert scheduler.slot_for("årligt", dt.datetime(2026, 6, 1, 10, tzinfo=CPH)) == "2026"


def test_tick_is_idempotent(django_capture_on_commit_callbacks):
    UserFactory(kommuner=[101])
    now = dt.datetime(2026, 4, 7, 8, 0, tzinfo=dt.UTC)  # 10:00 in Copenhagen
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        n1 = scheduler.tick(now)
        n2 = scheduler.tick(now)
    assert n1 > 0 and n2 == 0 and len(callbacks) == n1
    runs = Koersel.objects.filter(trigger="schedule")
    assert runs.count() == n1
    assert runs.filter(job="regelmaessig-opfoelgning", kommune_id=101, as_of=dt.date(2026, 4, 7)).count() == 1
    assert not runs.filter(job=NOT_IMPL).exists()  # not implemented: never scheduled
    assert not runs.filter(kommune_id=751).exists()  # kommune not in operation


# --- API ----------------------------------------------------------------------------------------

def test_api_jobs(api, sagsbehandler):
    r = api.as_user(sagsbehandler).get("/api/v1/batch/jobs/")
    assert r.status_code == 200
    job = next(j for j in r.json() if j["slug"] == "regelmaessig-opfoelgning")
    assert {"noegle": "interval_maaneder", "type": "int", "standard": 3} in job["batchkonstanter"]
    assert api.get("/api/v1/batch/jobs/regelmaessig-opfoelgning/").json()["per_kommune"] is True
    assert api.get("/api/v1/batch/jobs/findes-ikke/").status_code == 404


def test_api_koer_requires_drift(api, sagsbehandler, drift):
    url = f"/api/v1/batch/jobs/{IMPL}/koer/"
    assert api.as_user(sagsbehandler).post(url, {"kommune": 101}, format="json").status_code == 403
    r = api.as_user(drift).post(url, {"kommune": 101, "as_of": "2026-04-10", "dry_run": True}, format="json")
    assert r.status_code == 202 and r.json()["status"] == "queued"
    k = Koersel.objects.get(pk=r.json()["run_id"])
    assert k.dry_run and k.trigger == "api" and k.startet_af == drift
    again = api.post(url, {"kommune": 101, "as_of": "2026-04-10"}, format="json")
    assert again.status_code == 409
    assert api.post(url, {}, format="json").status_code == 400
    assert api.post(url, {"kommune": 101, "as_of": "10-04-2026"}, format="json").status_code == 400


def test_api_koersler_scoped(api, sagsbehandler, drift):
    k101 = services.run_job(IMPL, kommune=101, as_of=dt.date(2026, 4, 10))
    k751 = services.run_job(IMPL, kommune=751, as_of=dt.date(2026, 4, 10))
    r = api.as_user(sagsbehandler).get("/api/v1/batch/koersler/")
    assert [x["id"] for x in r.json()["results"]] == [k101.pk]
    assert api.get(f"/api/v1/batch/koersler/{k751.pk}/").status_code == 404
    r = api.as_user(drift).get("/api/v1/batch/koersler/", {"kommune": 751, "status": "succeeded", "job": IMPL})
    assert [x["id"] for x in r.json()["results"]] == [k751.pk]
    assert r.json()["results"][0]["counts"]["created"] == 0


def test_api_konstanter_patch(api):
    admin = UserFactory(kommuneadmin=True, kommuner=[101])
    sb = UserFactory(kommuner=[101])
    future = timezone.localdate() + dt.timedelta(days=10)
    b = Batchkonstant.objects.create(kommune_id=101, job="regelmaessig-opfoelgning", noegle="interval_maaneder",
                                     vaerdi=3, gyldig_fra=future)
    b751 = Batchkonstant.objects.create(kommune_id=751, job="regelmaessig-opfoelgning", noegle="interval_maaneder",
                                        vaerdi=3, gyldig_fra=future)
    url = f"/api/v1/batch/konstanter/{b.pk}/"
    r = api.as_user(admin).get("/api/v1/batch/konstanter/", {"job": "regelmaessig-opfoelgning"})
    assert [x["id"] for x in r.json()["results"]] == [b.pk]
    assert api.patch(url, {"vaerdi": "tre"}, format="json").status_code == 400
    past = api.patch(url, {"gyldig_fra": "2020-01-01"}, format="json")
    assert past.status_code == 400 and past.json()["fejl"][0]["felt"] == "gyldig_fra"
    ok = api.patch(url, {"vaerdi": 6}, format="json")
    assert ok.status_code == 200 and ok.json()["vaerdi"] == 6
    assert api.patch(f"/api/v1/batch/konstanter/{b751.pk}/", {"vaerdi": 6}, format="json").status_code == 404
    assert api.as_user(sb).patch(url, {"vaerdi": 6}, format="json").status_code == 403
    log = BatchkonstantAendring.objects.get()
    assert (log.bruger, log.gammel, log.ny) == (admin, 3, 6)


# --- batchkonstanter screen ---------------------------------------------------------------------

def test_screen_roles_and_scope(client):
    client.force_login(UserFactory(kommuner=[101]))
    assert client.get("/batchkonstanter/101/").status_code == 403
    client.force_login(UserFactory(kommuneadmin=True, kommuner=[101]))
    assert client.get("/batchkonstanter/").status_code == 302
    assert client.get("/batchkonstanter/751/").status_code == 404
    with CaptureQueriesContext(connection) as q:
        r = client.get("/batchkonstanter/101/")
    assert r.status_code == 200 and len(q) < 15
    assert "Regelmæssig opfølgning" in r.content.decode() and "interval_maaneder" in r.content.decode()


def test_screen_set_value_and_errors(client):
    admin = UserFactory(kommuneadmin=True, kommuner=[101])
    client.force_login(admin)
    url = "/batchkonstanter/101/"
    today = timezone.localdate()
    base = {"job": "regelmaessig-opfoelgning", "noegle": "interval_maaneder"}
    r = client.post(url, {**base, "vaerdi": "tre", "gyldig_fra": today.isoformat()})
    assert r.status_code == 400 and "skal være et helt tal" in r.content.decode()
    r = client.post(url, {**base, "vaerdi": "4", "gyldig_fra": (today - dt.timedelta(days=1)).isoformat()})
    assert r.status_code == 400 and "Gyldig fra kan ikke ligge før i dag" in r.content.decode()
    assert not Batchkonstant.objects.exists()
    planned = today + dt.timedelta(days=30)
    r = client.post(url, {**base, "vaerdi": "4", "gyldig_fra": planned.isoformat()}, follow=True)
    assert r.status_code == 200 and f"4 fra {planned:%d.%m.%Y}" in r.content.decode()
    r = client.post(url, {"job": IMPL, "noegle": "aktiv", "vaerdi": "nej", "gyldig_fra": today.isoformat()})
    assert r.status_code == 302
    assert services.run_job(IMPL, kommune=101, as_of=today).status == "skipped"
    assert BatchkonstantAendring.objects.filter(bruger=admin).count() == 2


def test_rq_dashboard_restricted(client):
    client.force_login(UserFactory(kommuneadmin=True, kommuner=[101], is_staff=True))
    assert client.get("/admin/rq/").status_code == 403
    client.force_login(UserFactory(drift=True))
    assert client.get("/admin/rq/").status_code == 200


def test_admin_rerun_action(client, django_capture_on_commit_callbacks):
    k = services.run_job(IMPL, kommune=101, as_of=dt.date(2026, 4, 10))
    client.force_login(UserFactory(drift=True))
    assert client.get(f"/admin/batch/koersel/{k.pk}/change/").status_code == 200
    assert client.get("/admin/batch/koersel/?status__exact=succeeded").status_code == 200
    with django_capture_on_commit_callbacks(execute=False):
        r = client.post("/admin/batch/koersel/", {"action": "koer_igen", "_selected_action": [k.pk]})
    assert r.status_code == 302
    assert Koersel.objects.filter(job=IMPL, status="queued", trigger="admin").count() == 1


def test_tick_fails_stale_runs():
    spec = registry.get(IMPL)
    k = services.create_run(spec, kommune_id=101, as_of=dt.date(2026, 4, 10), dry_run=False, trigger="command",
                            user=None, status="running")
    Koersel.objects.filter(pk=k.pk).update(heartbeat=timezone.now() - dt.timedelta(minutes=5))
    scheduler.tick(dt.datetime(2026, 4, 10, 0, 30, tzinfo=dt.UTC))
    k.refresh_from_db()
    assert k.status == "failed"
