"""Every job of the register does visible work on seed_demo data for kommune 101 today, and its dry run
changes nothing (batch.md)."""

import datetime as dt
import json
import random

import pytest
from django.utils import timezone

from batch.services import run_job
from cases import demo as core_demo
from cases.models import Abonnement, Opgave
from cases.personer import demo
from cases.personer.models import CprHaendelse, Kontaktforloeb, Skatteopgoerelse, Stamdata

pytestmark = pytest.mark.django_db

JOBS = ["overgaar-fra-forsoergersats", "opfyldelse-af-opholdskrav", "graviditet", "pensionsalder",
        "opfoelgning-paa-kontaktforloeb", "batchjob-til-oprydning-af-ikke-saghenfoerbare-haendelser-jobcenter",
        "sf1470-sf1490-sdy-deaktivering-af-inaktive-entiteter", "delete-reduced-persons", "hent-fra-sf0785-og-sf0786"]


@pytest.fixture
def demo_101(settings, tmp_path):
    settings.KY_SFTP_URL = ""
    settings.KY_DATA_DIR = tmp_path
    from debitor.underholdsbidrag import demo as ub_demo

    core_demo.build([101], 200, random.Random(1), today=timezone.localdate())
    ub_demo.seed([101], random.Random(2))
    out = demo.seed([101], random.Random(3))
    return out, tmp_path


def _state():
    return (Opgave.objects.count(), Abonnement.objects.count(), Kontaktforloeb.objects.count(),
            Skatteopgoerelse.objects.count(), CprHaendelse.objects.count())


@pytest.mark.parametrize("job", JOBS)
def test_job_does_visible_work_on_demo_data_and_dry_run_changes_nothing(demo_101, job):
    d = timezone.localdate()
    before = _state()
    dry = run_job(job, kommune=101, as_of=d, dry_run=True)
    assert dry.status == "succeeded", (dry.besked, dry.log)
    assert dry.counts["created"] + dry.counts["updated"] > 0, dry.log
    assert _state() == before
    k = run_job(job, kommune=101, as_of=d)
    assert k.status == "succeeded", (k.besked, k.log)
    assert k.counts["created"] + k.counts["updated"] == dry.counts["created"] + dry.counts["updated"], (k.log, dry.log)
    if job not in ("batchjob-til-oprydning-af-ikke-saghenfoerbare-haendelser-jobcenter", "delete-reduced-persons"):
        assert Opgave.objects.filter(type=job, kommune_id=101).count() >= k.counts["created"] > 0
    again = run_job(job, kommune=101, as_of=d)  # idempotent
    assert again.counts["created"] == 0


def test_cpr_haendelse_job_reads_the_demo_inbox(demo_101):
    out, base = demo_101
    assert out["CPR-hændelsesfiler"] == 1 and out["Stamdata"] > 100
    navn = next(p.name for p in (base / "sftp" / "IN").iterdir() if p.name.startswith("CPR_HAENDELSER_"))
    d = timezone.localdate()
    dry = run_job("cpr-haendelse", kommune=None, as_of=d, dry_run=True)
    assert dry.status == "succeeded" and dry.counts["created"] >= 5, dry.log
    assert not CprHaendelse.objects.exists() and (base / "sftp" / "IN" / navn).exists()
    k = run_job("cpr-haendelse", kommune=None, as_of=d)
    assert k.status == "succeeded", (k.besked, k.log)
    assert k.counts["created"] == dry.counts["created"] and k.counts["skipped"] >= 1  # the unsubscribed CPR
    assert (base / "sftp" / "IN" / "behandlet" / navn).exists()
    assert Opgave.objects.filter(type="cpr-haendelse", aarsag="doed").exists()
    assert Opgave.objects.filter(type="cpr-haendelse", aarsag="fraflyttet").exists()
    assert Stamdata.objects.filter(status="doed").count() >= 2


def test_cpr_haendelse_job_rejects_a_bad_file_whole(settings, tmp_path):
    from integrations import sftp
    from tests.factories import PersonFactory

    settings.KY_SFTP_URL = ""
    settings.KY_DATA_DIR = tmp_path
    p = PersonFactory(cpr="0101804321")
    Abonnement.objects.create(kommune_id=101, person=p)
    t = sftp.transport()
    good = {"haendelse_id": "g1", "cpr": p.cpr, "type": "navn", "dato": "2026-12-01", "data": {"navn": "Ny"}}
    bad = {"haendelse_id": "b1", "cpr": p.cpr, "type": "doed", "dato": "1970-01-01", "data": {}}
    t.put("IN/CPR_HAENDELSER_20261207_000001.json", json.dumps([good, bad]).encode())
    t.put("IN/CPR_HAENDELSER_20261207_000002.json", b"[{ikke json")
    t.put("IN/CPR_HAENDELSER_20261207_000003.json", json.dumps([good | {"haendelse_id": "g2"}]).encode())
    k = run_job("cpr-haendelse", kommune=None, as_of=dt.date(2026, 12, 7))
    assert k.counts["failed"] == 2 and k.counts["created"] == 1
    fejlet = sorted(x.name for x in (tmp_path / "sftp" / "IN" / "fejlet").iterdir())
    assert fejlet == ["CPR_HAENDELSER_20261207_000001.json", "CPR_HAENDELSER_20261207_000002.json"]
    assert list(CprHaendelse.objects.values_list("haendelse_id", flat=True)) == ["g2"]
    assert any("b1" in e["message"] and "fødsel" in e["message"] for e in k.errors), k.errors
