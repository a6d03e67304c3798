"""The chain end to end over a REAL SFTP server on loopback (asyncssh, as tests/sf2520):
bevilling -> effektuering -> udbetaling -> SF1590E file -> NemKonto status -> gennemført / afvist
-> task -> resend in a new file; and a worker killed between upload and commit never pays twice."""

import datetime as dt
from decimal import Decimal

import pytest

from batch.services import run_job
from cases.models import Opgave
from debitor.udbetaling import demo, formats, services
from debitor.udbetaling.models import Udbetaling
from integrations import sftp
from integrations.fixedwidth import read_file
from integrations.models import Fil
from tests.sf2520.test_sftp_real import _kill_db_after, _out, server  # noqa: F401 - the fixture
from tests.udbetaling.helpers import effektuering

D = dt.date(2026, 12, 29)  # next bank day 30/12: December's kontanthjælp is due


def _status(remote, navn, rows):
    (remote / "IN" / navn).write_bytes(demo.fil(101, formats.NEMKONTO_STATUS, rows, dt.datetime(2026, 12, 30, 7, 0)))
    (remote / "IN" / f"{navn}.metadata").write_bytes(demo.metadata_xml(navn, "NEMKONTO"))


@pytest.mark.django_db
def test_chain_over_sftp(server, tmp_path, sagsbehandler):  # noqa: F811
    remote = tmp_path / "remote"
    b1 = effektuering("10000.00", modregning="1500.00")  # bevilling -> effektuering (net of SF2520)
    b2 = effektuering("6000.00")
    k = run_job("sf1590-e-transfer-payment", kommune=101, as_of=D)
    assert k.status == "succeeded", k.besked
    fil = Fil.objects.get(art="SF1590E")
    data = (remote / "OUT" / fil.filnavn).read_bytes()
    assert data == bytes(fil.indhold) and (remote / "OUT" / f"{fil.filnavn}.trigger").exists()
    recs = read_file(data, formats.SF1590E_LAYOUTS)
    u1, u2 = Udbetaling.objects.get(bevilling=b1), Udbetaling.objects.get(bevilling=b2)
    assert sorted((r["betalings_id"], r["beloeb_oere"]) for _, r in recs[1:-1]) == sorted(
        [(str(u1.pk), 850000), (str(u2.pk), 600000)])
    _status(remote, "NEMKONTO_STATUS_101_20261230_000001.txt", [
        {"betalings_id": str(u1.pk), "status": "G", "aarsag": ""},
        {"betalings_id": str(u2.pk), "status": "A", "aarsag": "Ingen NemKonto"}])
    k = run_job("nemkonto-collect-status", kommune=101, as_of=dt.date(2026, 12, 30))
    assert k.status == "succeeded", k.besked
    assert (remote / "IN" / "behandlet" / "NEMKONTO_STATUS_101_20261230_000001.txt").exists()
    u1.refresh_from_db()
    u2.refresh_from_db()
    assert (u1.status, u2.status, u2.afvist_aarsag) == ("gennemfoert", "afvist", "Ingen NemKonto")
    opgave = Opgave.objects.get(type="afvist-udbetaling")
    assert opgave.data["udbetaling"] == u2.pk and opgave.opgavepakke.navn == "Afviste udbetalinger"
    # the borger registers a NemKonto; the caseworker resends: a new udbetaling, same kilde, new file
    ny = services.send_igen(sagsbehandler, u2, today=dt.date(2026, 12, 30))
    k = run_job("sf1590-e-transfer-payment", kommune=101, as_of=dt.date(2026, 12, 30))
    assert k.status == "succeeded", k.besked
    fil2 = Fil.objects.get(art="SF1590E", loebenummer=2)
    recs = read_file((remote / "OUT" / fil2.filnavn).read_bytes(), formats.SF1590E_LAYOUTS)
    assert [r["betalings_id"] for _, r in recs[1:-1]] == [str(ny.pk)]
    _status(remote, "NEMKONTO_STATUS_101_20261231_000002.txt", [
        {"betalings_id": str(ny.pk), "status": "G", "aarsag": ""}])
    assert run_job("nemkonto-collect-status", kommune=101, as_of=dt.date(2026, 12, 31)).status == "succeeded"
    ny.refresh_from_db()
    assert ny.status == "gennemfoert" and (ny.kilde, ny.kilde_id) == (u2.kilde, u2.kilde_id)
    assert Udbetaling.objects.filter(kilde="effektuering", status="gennemfoert").count() == 2
    assert sum(Udbetaling.objects.filter(status="gennemfoert").values_list("beloeb", flat=True)) == Decimal("14500.00")


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("kill_after", [".txt", ".trigger"])
def test_worker_killed_between_upload_and_commit_never_pays_twice(server, tmp_path, monkeypatch, kill_after):  # noqa: F811
    """The database connection is terminated (pg_terminate_backend) right after the data file
    (or its trigger) is uploaded: the run fails, the next run finishes the same file, and no
    payment is ever in two files."""
    effektuering("10000.00")
    monkeypatch.setattr(sftp, "transport", _kill_db_after(lambda p: p.endswith(kill_after)))
    k = run_job("sf1590-e-transfer-payment", kommune=101, as_of=D)
    assert k.status == "failed" and "terminat" in k.besked, k.besked
    fil = Fil.objects.get(art="SF1590E")
    u = Udbetaling.objects.get()
    assert u.status == "sendt" and u.fil_id == fil.pk  # committed with the journal, before the upload
    assert fil.status in ("sender", "uploadet")
    monkeypatch.undo()
    for _ in range(2):
        k = run_job("sf1590-e-transfer-payment", kommune=101, as_of=D)
        assert k.status == "succeeded", k.besked
    fil = Fil.objects.get(art="SF1590E")
    assert fil.status == "sendt" and fil.loebenummer == 1
    assert _out(tmp_path) == [fil.filnavn, f"{fil.filnavn}.trigger"]
    assert (tmp_path / "remote" / "OUT" / fil.filnavn).read_bytes() == bytes(fil.indhold)
    assert Udbetaling.objects.count() == 1 and Udbetaling.objects.get().fil_id == fil.pk
