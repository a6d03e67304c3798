"""Every job of issue 14 does visible work on seed_demo data for kommune 101 today (2026-12-07),
and as a dry run changes nothing."""

import datetime as dt

import pytest
from django.core.management import call_command

from batch.services import run_job
from cases.models import Opgave
from debitor.udbetaling.models import Finansbilag, Indbetaling, Udbetaling
from integrations.models import Fil

pytestmark = pytest.mark.django_db
D = dt.date(2026, 12, 7)
JOBS = ["sf1590-e-transfer-payment-arbejdstid", "sf1590-e-transfer-payment", "nemkonto-collect-status",
        "sf1590-a-send-finansbilag", "sf1590-a-modtag-finansbilag-kvittering", "debitor-indbetaling",
        "debitor-send-krav", "opkraevning-af-periodekrav", "overdragelse-af-debitorkonto"]


@pytest.fixture
def demo_data(settings, tmp_path):
    settings.KY_SFTP_URL = ""
    settings.KY_DATA_DIR = tmp_path
    call_command("seed_demo", "--kommuner", "101", "--borgere", "400", "--seed", "2026")
    return tmp_path / "sftp"


def _snapshot():
    return (list(Udbetaling.objects.order_by("id").values_list("id", "status")),
            Finansbilag.objects.count(), Indbetaling.objects.count(), Fil.objects.count(), Opgave.objects.count())


def test_dry_runs_change_nothing(demo_data):
    before = _snapshot()
    files = sorted(p.name for p in (demo_data / "IN").iterdir())
    for job in JOBS:
        k = run_job(job, kommune=101, as_of=D, dry_run=True)
        assert k.status == "succeeded", (job, k.besked)
        assert "tørkørsel" in k.log, job
    assert _snapshot() == before
    assert sorted(p.name for p in (demo_data / "IN").iterdir()) == files
    assert not any((demo_data / "OUT").iterdir())


def test_every_job_does_visible_work(demo_data):
    assert Udbetaling.objects.filter(kommune_id=101, status="afvist").exists()
    k = run_job("overdragelse-af-debitorkonto", kommune=101, as_of=D)
    assert k.status == "succeeded" and k.counts["updated"] >= 1, k.besked  # the konto sent to inddrivelse
    k = run_job("sf1590-e-transfer-payment-arbejdstid", kommune=101, as_of=D)
    assert k.status == "succeeded" and k.counts["updated"] == 2, k.log  # today's two kvikudbetalinger
    k = run_job("sf1590-e-transfer-payment", kommune=101, as_of=D)
    assert k.status == "succeeded", k.besked
    assert k.counts["created"] == 3 and k.counts["updated"] == 3, k.log  # November's three effektueringer
    assert Udbetaling.objects.filter(kilde="kvikudbetaling", status="klar").count() == 1  # due 10/12
    k = run_job("nemkonto-collect-status", kommune=101, as_of=D)
    assert k.status == "succeeded" and k.counts["updated"] == 2, k.besked
    assert Opgave.objects.filter(kommune_id=101, type="afvist-udbetaling", status="aaben").count() == 2
    k = run_job("sf1590-a-modtag-finansbilag-kvittering", kommune=101, as_of=D)
    assert k.status == "succeeded" and k.counts["updated"] == 1, k.besked
    assert Finansbilag.objects.get(bogfoeringsdato=dt.date(2026, 12, 4)).status == "bogfoert"
    k = run_job("debitor-indbetaling", kommune=101, as_of=D)
    assert k.status == "succeeded" and k.counts["created"] >= 2, k.besked
    assert Opgave.objects.filter(type="indbetaling-overskud").count() == 1
    k = run_job("sf1590-a-send-finansbilag", kommune=101, as_of=D)
    assert k.status == "succeeded" and k.counts["created"] == 1, k.besked  # today's bilag: the status's G, dækninger
    b = Finansbilag.objects.get(bogfoeringsdato=D)
    assert b.status == "sendt" and b.sum_debet == b.sum_kredit > 0
    k = run_job("debitor-send-krav", kommune=101, as_of=D)
    assert k.status == "succeeded" and k.counts["created"] > 0, k.besked
    assert Fil.objects.filter(art="KRAV").count() == 1
    k = run_job("opkraevning-af-periodekrav", kommune=101, as_of=D)
    assert k.status == "succeeded" and k.counts["created"] == 2, k.besked
