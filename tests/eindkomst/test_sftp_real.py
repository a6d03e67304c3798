"""eIndkomst over the real SFTP server on loopback: the whole round (file up with its trigger, SKAT's
receipt read and moved) and a worker whose database dies right after an upload (nothing sent twice)."""

import datetime as dt

import pytest

from batch.services import run_job
from integrations import sftp
from integrations.eindkomst.models import Indberetning
from integrations.models import Fil
from tests.eindkomst.test_eindkomst import DAG, betal, kvittering
from tests.factories import BevillingFactory
from tests.sf2520.test_sftp_real import _kill_db_after, _out, server  # noqa: F401


@pytest.mark.django_db
def test_round_over_sftp(server, tmp_path):
    b = BevillingFactory(bevilget_fra=dt.date(2026, 1, 1))
    betal(b, dt.date(2026, 11, 30), "3000.00")
    k = run_job("sf0770-b-indberet-eindkomst", kommune=101, as_of=DAG)
    assert k.status == "succeeded", k.besked
    fil = Fil.objects.get(art="SF0770B")
    assert _out(tmp_path) == [fil.filnavn, f"{fil.filnavn}.trigger"]
    assert (tmp_path / "remote" / "OUT" / fil.filnavn).read_bytes() == bytes(fil.indhold)
    name = kvittering(tmp_path / "remote", fil, [(Indberetning.objects.get().linje_id, "G")])
    k = run_job("sf0770-b-modtag-kvitteringer", kommune=101, as_of=DAG)
    assert k.status == "succeeded", k.besked
    assert (tmp_path / "remote" / "IN" / "behandlet" / name).exists() and Indberetning.objects.get().status == "godkendt"


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("efter", [".txt", ".trigger"])
def test_worker_dies_between_upload_and_commit(server, tmp_path, monkeypatch, efter):
    b = BevillingFactory(bevilget_fra=dt.date(2026, 1, 1))
    betal(b, dt.date(2026, 11, 30), "3000.00")
    monkeypatch.setattr(sftp, "transport", _kill_db_after(lambda p: p.endswith(efter)))
    assert run_job("sf0770-b-indberet-eindkomst", kommune=101, as_of=DAG).status == "failed"
    fil = Fil.objects.get(art="SF0770B")
    assert fil.status in ("sender", "uploadet") and Indberetning.objects.get().fil == fil  # journalled before upload
    monkeypatch.undo()
    k = run_job("sf0770-b-indberet-eindkomst", kommune=101, as_of=DAG)
    assert k.status == "succeeded" and "tidligere kørsel" in k.log, k.log
    fil.refresh_from_db()
    assert fil.status == "sendt" and Fil.objects.filter(art="SF0770B").count() == 1 and Indberetning.objects.count() == 1
    assert _out(tmp_path) == [fil.filnavn, f"{fil.filnavn}.trigger"]
