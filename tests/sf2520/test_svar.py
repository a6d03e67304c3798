"""SF2530 request and answer files: agreements stored/ended; every rejection rule stores nothing."""

import datetime as dt
from decimal import Decimal

import pytest

from batch.services import run_job
from integrations.fixedwidth import encode_file, read_file
from integrations.sf2520 import formats as f
from integrations.sf2520.models import Betalingsadministrationsaftale as A, SendtFil
from tests.factories import BevillingFactory
from tests.sf2520.test_sftp_local import meta

pytestmark = pytest.mark.django_db
NAME = "UDK_SF2530_SVAR_101_20260302_000001.txt"


def answer(details, antal=None, kommune=101):
    start = f.START.write({"kommunekode": kommune, "dato": dt.date(2026, 3, 2), "tid": "120000", "loebenummer": 1,
                           "afsender": "UDK"})
    slut = f.SLUT.write({"kommunekode": kommune, "antal": len(details) if antal is None else antal, "sum_oere": 0})
    return encode_file([start, *details, slut])


def aftale(cpr="0101801234", aid="A1", status="A"):
    return f.SF2530_AFTALE.write({"kommunekode": 101, "cpr": cpr, "aftale_id": aid, "beloeb_oere": 150000,
                                  "gyldig_fra": dt.date(2026, 1, 1), "gyldig_til": None, "status": status})


@pytest.fixture
def inn(settings, tmp_path):
    settings.KY_SFTP_URL = ""
    settings.KY_DATA_DIR = tmp_path
    d = tmp_path / "sftp" / "IN"
    (d / "behandlet").mkdir(parents=True)
    (d / "fejlet").mkdir()
    return d


def put(inn, data, name=NAME):
    (inn / name).write_bytes(data)
    (inn / f"{name}.metadata").write_bytes(meta(name))


def test_request_file(inn, tmp_path):
    b = BevillingFactory(bevilget_fra=dt.date(2026, 4, 1))
    BevillingFactory(bevilget_fra=dt.date(2026, 1, 1), bevilget_til=dt.date(2026, 3, 31))  # not in April
    BevillingFactory(bevilget_fra=dt.date(2026, 4, 30), ydelsestype="HTF", person=b.person, sag=b.sag)  # same CPR
    BevillingFactory(bevilget_fra=dt.date(2026, 1, 1), ydelsestype="BOS")  # not KTH/UDH/HTF
    BevillingFactory(bevilget_fra=dt.date(2026, 1, 1), status="afslag")  # not bevilget
    BevillingFactory(bevilget_fra=dt.date(2026, 5, 1))  # starts after April
    u = BevillingFactory(bevilget_fra=dt.date(2025, 1, 1), bevilget_til=dt.date(2026, 4, 1), ydelsestype="UDH")
    for _ in range(2):
        assert run_job("send-forespoergsel-til-betalingsadministration", kommune=101,
                       as_of=dt.date(2026, 3, 2)).status == "succeeded"
    fil = SendtFil.objects.get()
    recs = read_file((tmp_path / "sftp" / "OUT" / fil.filnavn).read_bytes(), f.SF2530_FORESP_LAYOUTS)
    assert [r["cpr"] for _, r in recs[1:-1]] == sorted([b.person.cpr, u.person.cpr]) and recs[-1][1]["sum_oere"] == 0
    assert recs[-1][1]["antal"] == 2 and recs[0][1]["afsender"] == "KY" and recs[0][1]["loebenummer"] == 1
    assert fil.filnavn == "KY_SF2530_FORESP_101_20260302_000001.txt" and fil.status == "sendt"
    assert (tmp_path / "sftp" / "OUT" / f"{fil.filnavn}.trigger").exists()
    from tests.sf2520.test_send import receipt  # the request's technical receipt is read too
    (inn / f"{fil.filnavn}.sftpreceipt").write_bytes(receipt(fil, "ACCEPTERET"))
    k = run_job("sftp-technical-receipt-batch-job", kommune=101, as_of=dt.date(2026, 3, 2))
    fil.refresh_from_db()
    assert k.counts["updated"] == 1 and fil.status == "kvitteret" and not (inn / f"{fil.filnavn}.sftpreceipt").exists()


def test_answer_creates_updates_and_21_ends(inn):
    put(inn, answer([aftale(), aftale(cpr="0202801234", aid="A2")]))
    assert run_job("modtag-svar-fra-betalingsadministration", kommune=101, as_of=dt.date(2026, 3, 2)).status == "succeeded"
    assert A.objects.filter(status="aktiv").count() == 2 and (inn / "behandlet" / NAME).exists()
    put(inn, answer([f.SF2530_INGEN_AFTALE.write({"kommunekode": 101, "cpr": "0101801234"})]),
        "UDK_SF2530_SVAR_101_20260303_000002.txt")
    run_job("modtag-svar-fra-betalingsadministration", kommune=101, as_of=dt.date(2026, 3, 3))
    assert A.objects.get(aftale_id="A1").status == "ophoert" and A.objects.get(aftale_id="A2").status == "aktiv"
    # an update in place (amount, gyldig til, status O), and a 21 ending every agreement of a CPR
    opd = f.SF2530_AFTALE.write({"kommunekode": 101, "cpr": "0202801234", "aftale_id": "A2", "beloeb_oere": 99,
                                 "gyldig_fra": dt.date(2026, 1, 1), "gyldig_til": dt.date(2026, 6, 30), "status": "O"})
    put(inn, answer([opd, aftale(cpr="0303801234", aid="A3"), aftale(cpr="0303801234", aid="A4")]),
        "UDK_SF2530_SVAR_101_20260304_000003.txt")
    k = run_job("modtag-svar-fra-betalingsadministration", kommune=101, as_of=dt.date(2026, 3, 4))
    assert (k.counts["created"], k.counts["updated"]) == (2, 1)
    a2 = A.objects.get(aftale_id="A2")
    assert (a2.maanedligt_beloeb, a2.gyldig_til, a2.status) == (Decimal("0.99"), dt.date(2026, 6, 30), "ophoert")
    put(inn, answer([f.SF2530_INGEN_AFTALE.write({"kommunekode": 101, "cpr": "0303801234"})]),
        "UDK_SF2530_SVAR_101_20260305_000004.txt")
    k = run_job("modtag-svar-fra-betalingsadministration", kommune=101, as_of=dt.date(2026, 3, 5))
    assert k.counts["updated"] == 2 and set(A.objects.filter(cpr="0303801234").values_list("status", flat=True)) == {"ophoert"}
    assert A.objects.count() == 4


@pytest.mark.parametrize("data, linje", [
    (answer([aftale()], antal=2), 3),  # end count mismatch
    (answer([aftale()[:-1]]), 2),  # wrong length
    (answer([aftale()[:40] + "x" + aftale()[41:]]), 2),  # non-digits
    (answer([aftale()[:47] + "20261301" + aftale()[55:]]), 2),  # bad date
    (answer([aftale(), aftale()[:63] + "X" + aftale()[64:]]), 3),  # bad status letter
    (answer([aftale()[:100] + "X" + aftale()[101:]]), 2),  # wrong constant
    (answer([aftale()], kommune=751), 1),  # another kommune's records
    (answer([aftale()])[:-2], 3),  # no final CRLF
    (answer([aftale()]).replace(b"\r\n", b"\n"), 1),  # LF instead of CRLF
    (answer(["10101" + "0101801234" + " " * 105]), 2),  # a request record in an answer
    (answer([f.SF2530_INGEN_AFTALE.write({"kommunekode": 101, "cpr": "0101801234"})[:15] + "A1".ljust(20)
             + f.SF2530_INGEN_AFTALE.write({"kommunekode": 101, "cpr": "0101801234"})[35:]]), 2),  # 21 with aftale-id
    (answer([aftale()]).split(b"\r\n", 1)[1], 1),  # no start record
    (b"\r\n".join(answer([aftale()]).split(b"\r\n")[:2]) + b"\r\n", 2),  # no end record
    (answer([aftale(), aftale()[:63] + " " + aftale()[64:]]), 3),  # 20 without status letter
    (b"", None),  # empty file
    (answer([aftale(), aftale(cpr="0202801234")]), 3),  # the same aftale-id twice (was a raw database error)
    (answer([aftale(aid="")]), 2),  # a `20` agreement without an aftale-id
])
def test_rejected_whole(inn, data, linje):
    put(inn, data)
    k = run_job("modtag-svar-fra-betalingsadministration", kommune=101, as_of=dt.date(2026, 3, 2))
    assert k.status == "failed" and NAME in k.besked and (linje is None or f"linje {linje}" in k.besked), k.besked
    assert A.objects.count() == 0
    assert (inn / "fejlet" / NAME).exists() and not (inn / NAME).exists()
    assert (inn / "fejlet" / f"{NAME}.metadata").exists()


def test_one_bad_file_stores_nothing_of_the_run_and_the_good_file_waits(inn):
    good = "UDK_SF2530_SVAR_101_20260302_000002.txt"
    put(inn, answer([aftale()], antal=5))
    put(inn, answer([aftale(cpr="0202801234", aid="A2")]), good)
    k = run_job("modtag-svar-fra-betalingsadministration", kommune=101, as_of=dt.date(2026, 3, 2))
    assert k.status == "failed" and NAME in k.besked and good not in k.besked
    assert A.objects.count() == 0 and (inn / "fejlet" / NAME).exists() and (inn / good).exists()
    k = run_job("modtag-svar-fra-betalingsadministration", kommune=101, as_of=dt.date(2026, 3, 2))
    assert k.status == "succeeded" and A.objects.get().aftale_id == "A2" and (inn / "behandlet" / good).exists()


def test_answer_of_another_kommune_is_not_read_by_this_kommunes_run(inn):
    other = "UDK_SF2530_SVAR_751_20260302_000001.txt"
    put(inn, answer([aftale()], kommune=751), other)
    assert run_job("modtag-svar-fra-betalingsadministration", kommune=101, as_of=dt.date(2026, 3, 2)).status == "succeeded"
    assert (inn / other).exists() and A.objects.count() == 0


def test_wrong_sender_left_alone(inn):
    (inn / NAME).write_bytes(answer([aftale()]))
    (inn / f"{NAME}.metadata").write_bytes(meta(NAME, sender="ANDEN"))
    k = run_job("modtag-svar-fra-betalingsadministration", kommune=101, as_of=dt.date(2026, 3, 2))
    assert k.status == "succeeded" and "afsender" in k.log and (inn / NAME).exists() and A.objects.count() == 0


def test_rerun_and_same_answer_again_store_nothing_twice(inn):
    """Idempotent re-runs (sf2520.md): a second run finds no new file; the same answer
    delivered again updates the agreements in place instead of adding rows."""
    put(inn, answer([aftale(), aftale(cpr="0202801234", aid="A2")]))
    as_of = dt.date(2026, 3, 2)
    assert run_job("modtag-svar-fra-betalingsadministration", kommune=101, as_of=as_of).status == "succeeded"
    before = sorted(A.objects.values_list("aftale_id", "cpr", "status", "maanedligt_beloeb"))
    again = run_job("modtag-svar-fra-betalingsadministration", kommune=101, as_of=as_of)
    assert again.status == "succeeded" and again.counts["created"] == 0
    put(inn, answer([aftale(), aftale(cpr="0202801234", aid="A2")]))  # redelivered by UDK
    third = run_job("modtag-svar-fra-betalingsadministration", kommune=101, as_of=as_of)
    assert third.status == "succeeded" and third.counts["created"] == 0
    assert sorted(A.objects.values_list("aftale_id", "cpr", "status", "maanedligt_beloeb")) == before
    assert len(before) == 2


def test_national_run_rejects_an_answer_for_an_unknown_kommune(inn):
    """A run without a kommune reads every kommune's answers: a kommunekode that is no kommune
    is a rejection (IN/fejlet/, nothing stored), not a database error that fails every run."""
    name = "UDK_SF2530_SVAR_999_20260302_000001.txt"
    put(inn, answer([aftale().replace("20101", "20999", 1)], kommune=999), name)
    k = run_job("modtag-svar-fra-betalingsadministration", kommune=None, as_of=dt.date(2026, 3, 2))
    assert k.status == "failed" and name in k.besked and "kommunekode 999" in k.besked, k.besked
    assert A.objects.count() == 0 and (inn / "fejlet" / name).exists() and not (inn / name).exists()
    from integrations.sf2520.models import ModtagetFil
    assert ModtagetFil.objects.get().status == "fejlet"
