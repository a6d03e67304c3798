"""Dispatch (contract breve.md): the day's letters in OUT/KY_SF1601_/KY_PRINT_<kommune>_<YYYYMMDD>_<løbenr>.zip
with a manifest, journalled before upload; answers from IN/ (docs/formats/breve.md)."""

import datetime as dt
import hashlib
import io
import json
import zipfile

import pytest

from batch.services import run_job
from cases.breve import services
from cases.breve.models import Brev, BrevStatus, Kanal
from cases.models import Opgave
from integrations.sftp import LocalTransport
from tests.factories import make_cpr

pytestmark = pytest.mark.django_db

DAG = dt.date(2026, 12, 7)
ADR = {"navn": "Ib Holm", "adresse": ["Jagtvej 1", "2200 København N"]}


@pytest.fixture
def out(settings, tmp_path):
    settings.KY_DATA_DIR = tmp_path
    return LocalTransport(tmp_path / "sftp")


def _breve(n, **kw):
    return [services.opret_brev("fritekst", kommune=101, cpr=make_cpr(300 + i + kw.pop("o", 0)),
                                data={"overskrift": f"Brev {i}", "afsnit": [f"{i},00 kr."]}, as_of=DAG, **kw)
            for i in range(n)]


def _zip(t, name):
    return zipfile.ZipFile(io.BytesIO(t.get(f"OUT/{name}")))


def _svar(t, name, doc, sender):
    t.put(f"IN/{name}", json.dumps(doc).encode())
    t.put(f"IN/{name}.metadata", (
        '<?xml version="1.0"?><ns2:Metadata xmlns:ns2="x"><FileDescriptor>'
        f"<FileName>{name}</FileName><Sender>{sender}</Sender><Recipients><Recipient>KY</Recipient></Recipients>"
        "</FileDescriptor></ns2:Metadata>").encode())


def test_print_job_sends_digital_post_and_print_files_with_manifests(brevhoveder, out):
    dp = _breve(3)
    pr = _breve(2, o=50, modtager={**ADR, "fritaget": True})
    services.opret_brev("fritekst", kommune=101, cpr=make_cpr(99), data={"overskrift": "x"})  # fejlet: stays
    run = run_job("print", kommune=101, as_of=DAG)
    assert run.status == "succeeded", run.log
    assert run.counts["created"] == 5
    names = sorted(n for n in out.listdir("OUT") if n.endswith(".zip"))
    assert names == ["KY_PRINT_101_20261207_000001.zip", "KY_SF1601_101_20261207_000001.zip"]
    assert "KY_SF1601_101_20261207_000001.zip.trigger" in out.listdir("OUT")
    z = _zip(out, names[1])
    m = json.loads(z.read("manifest.json"))
    assert m["format"] == "KY-BREVE/1" and m["kanal"] == "digital_post" and m["kommune"] == 101
    assert m["loebenummer"] == 1 and m["antal"] == 3 and [b["brev_id"] for b in m["breve"]] == [b.pk for b in dp]
    first = m["breve"][0]
    assert hashlib.sha256(z.read(first["fil"])).hexdigest() == first["sha256"] and first["cpr"] == dp[0].cpr
    p = json.loads(_zip(out, names[0]).read("manifest.json"))
    assert p["kanal"] == "print" and p["breve"][0]["modtager"] == ADR
    for b in dp + pr:
        b.refresh_from_db()
        assert b.status == BrevStatus.SENDT and b.sendt and b.udsendelse in names
    # nothing left: the next run sends no file; the next day's file has løbenummer 2
    _breve(1, o=80)
    run_job("print", kommune=101, as_of=DAG + dt.timedelta(days=1))
    assert "KY_SF1601_101_20261208_000002.zip" in out.listdir("OUT")


def test_dry_run_counts_and_sends_nothing(brevhoveder, out):
    _breve(2)
    run = run_job("print", kommune=101, as_of=DAG, dry_run=True)
    assert run.status == "succeeded" and run.counts["created"] == 2
    assert not [n for n in out.listdir("OUT")] and Brev.objects.filter(status="klar").count() == 2


def test_files_are_split_at_the_batchkonstant(brevhoveder, out):
    from batch.models import Batchkonstant
    _breve(5)
    Batchkonstant.objects.create(kommune_id=101, job="print", noegle="maks_breve_pr_fil", vaerdi=2,
                                 gyldig_fra=dt.date(2026, 1, 1))
    run = run_job("print", kommune=101, as_of=DAG)
    assert sorted(n for n in out.listdir("OUT") if n.endswith(".zip"))[-1] == "KY_SF1601_101_20261207_000003.zip"
    assert run.counts["created"] == 5


def test_answers_digital_post_refused_goes_to_print_and_print_refused_is_fejlet_with_task(brevhoveder, out):
    dp = _breve(2)
    pr = _breve(1, o=40, modtager={**ADR, "fritaget": True})
    run_job("print", kommune=101, as_of=DAG)
    _svar(out, "KY_SF1601_KVIT_101_20261208_000001.json", {"fil": "KY_SF1601_101_20261207_000001.zip", "breve": [
        {"brev_id": dp[0].pk, "status": "leveret"},
        {"brev_id": dp[1].pk, "status": "afvist", "aarsag": "Modtageren er fritaget for Digital Post"}]}, "DIGITALPOST")
    _svar(out, "KY_PRINT_KVIT_101_20261208_000001.json", {"fil": "KY_PRINT_101_20261207_000001.zip", "breve": [
        {"brev_id": pr[0].pk, "status": "afvist", "aarsag": "Adressen findes ikke"}]}, "PRINT")
    run = run_job("print", kommune=101, as_of=DAG + dt.timedelta(days=1))
    assert run.status == "succeeded", run.log
    dp[1].refresh_from_db(), pr[0].refresh_from_db()
    assert dp[1].status == BrevStatus.FEJLET and "papirbrev" in dp[1].fejl and dp[1].opgave_id is None
    kopi = Brev.objects.get(noegle=f"print-af:{dp[1].pk}")
    # no address known for the copy (the person register has none): fejlet with a task, never sent blank
    assert kopi.kanal == Kanal.PRINT and kopi.status == BrevStatus.FEJLET and kopi.opgave_id
    assert pr[0].status == BrevStatus.FEJLET and "Adressen findes ikke" in pr[0].fejl
    assert Opgave.objects.filter(type="brev-fejlet", noegle=f"brev:{pr[0].pk}").exists()
    assert "KY_SF1601_KVIT_101_20261208_000001.json" in out.listdir("IN/behandlet")


def test_a_bad_answer_file_is_rejected_whole(brevhoveder, out):
    dp = _breve(1)
    run_job("print", kommune=101, as_of=DAG)
    _svar(out, "KY_SF1601_KVIT_101_20261208_000001.json", {"fil": "KY_SF1601_101_20261207_000001.zip", "breve": [
        {"brev_id": dp[0].pk, "status": "afvist"}]}, "DIGITALPOST")  # no aarsag
    run = run_job("print", kommune=101, as_of=DAG + dt.timedelta(days=1))
    assert run.status == "failed" and "aarsag" in run.besked
    dp[0].refresh_from_db()
    assert dp[0].status == BrevStatus.SENDT
    assert "KY_SF1601_KVIT_101_20261208_000001.json" in out.listdir("IN/fejlet")


def test_dispatch_files_are_in_the_exchange_journal(brevhoveder, out, api, drift):
    _breve(2)
    run_job("print", kommune=101, as_of=DAG)
    rows = api.as_user(drift).get("/api/v1/integrationer/filer/?art=SF1601").json()["results"]
    assert [(r["filnavn"], r["loebenummer"], r["antal"], r["status"]) for r in rows] == [
        ("KY_SF1601_101_20261207_000001.zip", 1, 2, "sendt")]
