"""seed_demo leaves a KMD Aktiv file in kommune 101's inbox; kmd-aktiv-import run without an upload imports it
(a dry run shows what it would do and changes nothing) (issue 21)."""

import datetime as dt

import pytest
from django.core.management import call_command

from batch import services as batch_services
from debitor.models import Fordring
from debitor.services import indbakke

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _uploads(settings, tmp_path, monkeypatch):
    monkeypatch.setenv("KY_DATA_DIR", str(tmp_path))
    settings.MEDIA_ROOT = tmp_path / "uploads"


def test_seed_demo_file_is_imported_by_the_job_dry_run_first():
    call_command("seed_demo", "--kommuner", "101", "--borgere", "30")
    fil = indbakke(101) / "demo-kmd-aktiv.csv"
    assert fil.exists()
    before = Fordring.objects.filter(kommune_id=101).count()
    today = dt.date(2026, 12, 7)
    dry = batch_services.run_job("kmd-aktiv-import", kommune=101, as_of=today, dry_run=True)
    assert dry.status == "succeeded" and dry.counts["created"] > 0
    assert Fordring.objects.filter(kommune_id=101).count() == before and fil.exists()
    k = batch_services.run_job("kmd-aktiv-import", kommune=101, as_of=today)
    assert k.status == "succeeded" and k.counts["created"] == dry.counts["created"]
    assert Fordring.objects.filter(kommune_id=101).count() == before + k.counts["created"]
    assert not fil.exists() and (indbakke(101) / "behandlet" / fil.name).exists()
    again = batch_services.run_job("kmd-aktiv-import", kommune=101, as_of=today)
    assert again.status == "succeeded" and again.counts.get("created", 0) == 0
