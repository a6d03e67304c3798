"""The payment files through the exchange layer (local SFTP folder): SF1590E layout exactly per
udbetaling.md, one file per kommune, due by the next bank day, kvik every half hour; NEMKONTO_STATUS
validated whole; INDBETALING; SF1590A finansbilag and its kvittering; dry runs change nothing."""

import datetime as dt
from decimal import Decimal

import pytest

from batch.services import run_job
from cases.models import Opgave
from debitor.udbetaling import demo, formats
from debitor.udbetaling.models import Finansbilag, Udbetaling
from integrations.models import Fil
from tests.udbetaling.helpers import effektuering

pytestmark = pytest.mark.django_db
D = dt.date(2026, 12, 7)


@pytest.fixture
def root(settings, tmp_path):
    settings.KY_SFTP_URL = ""
    settings.KY_DATA_DIR = tmp_path
    from integrations import sftp

    sftp.transport()
    return tmp_path / "sftp"


def _out(root):
    return sorted(p.name for p in (root / "OUT").iterdir() if not p.name.startswith("."))


def _in(root, navn, kommune, layout, rows, sender="NEMKONTO", antal=None):
    data = demo.fil(kommune, layout, rows, dt.datetime(2026, 12, 7, 8, 0), antal=antal)
    (root / "IN" / navn).write_bytes(data)
    (root / "IN" / f"{navn}.metadata").write_bytes(demo.metadata_xml(navn, sender))


def _kvik(sagsbehandler, dato=D):
    from debitor.udbetaling import services
    from tests.factories import BevillingFactory

    return services.opret_kvikudbetaling(sagsbehandler, bevilling=BevillingFactory().pk, beloeb=Decimal("1234.56"),
                                         begrundelse="x", today=dato)


def test_sf1590e_file_exact_layout_and_once(root):
    b1 = effektuering("10000.00", modregning="1500.00")
    effektuering("5000.00")
    k = run_job("sf1590-e-transfer-payment", kommune=101, as_of=dt.date(2026, 12, 29))
    assert k.status == "succeeded", k.besked
    assert k.counts["created"] == 2 and k.counts["updated"] == 2
    navn = "KY_SF1590E_101_20261229_000001.txt"
    assert _out(root) == [navn, f"{navn}.trigger"]
    data = (root / "OUT" / navn).read_bytes()
    lines = data.decode("iso-8859-1").split("\r\n")
    assert lines[-1] == "" and all(len(x) == 120 for x in lines[:-1]) and len(lines) == 5
    u = Udbetaling.objects.get(bevilling=b1)
    d = lines[1]
    assert d[0:2] == "10" and d[2:5] == "101" and d[5:15] == b1.person.cpr
    assert d[15:35] == str(u.pk).ljust(20) and d[35:47] == "000000850000" and d[47:55] == "20261230"
    assert d[55:95] == "KTH 01.12-31.12.2026".ljust(40) and d[95:120] == " " * 25
    assert lines[3][:2] == "99" and lines[3][5:14] == "000000002" and lines[3][14:29] == f"{1350000:015d}"
    assert lines[0][19:25] == "000001"
    assert set(Udbetaling.objects.values_list("status", flat=True)) == {"sendt"}
    fil = Fil.objects.get(art="SF1590E")
    assert set(Udbetaling.objects.values_list("fil_id", flat=True)) == {fil.pk} and fil.antal == 2
    assert fil.sum_beloeb == Decimal("13500.00")
    k = run_job("sf1590-e-transfer-payment", kommune=101, as_of=dt.date(2026, 12, 29))
    assert k.status == "succeeded" and "ingen betalinger" in k.log and len(_out(root)) == 2


def test_due_by_next_bank_day_and_dry_run(root):
    effektuering()  # paid 2026-12-30
    k = run_job("sf1590-e-transfer-payment", kommune=101, as_of=D, dry_run=True)
    assert k.status == "succeeded" and "ingen betalinger" in k.log and not Udbetaling.objects.exists()
    assert run_job("sf1590-e-transfer-payment", kommune=101, as_of=D).status == "succeeded"
    assert Udbetaling.objects.get().status == "klar" and _out(root) == []  # not due yet
    # 2026-12-29 (tuesday): next bank day 30/12 -> due
    k = run_job("sf1590-e-transfer-payment", kommune=101, as_of=dt.date(2026, 12, 29), dry_run=True)
    assert "ville sende 1 betalinger" in k.log and Udbetaling.objects.get().status == "klar"
    assert run_job("sf1590-e-transfer-payment", kommune=101, as_of=dt.date(2026, 12, 29)).status == "succeeded"
    assert Udbetaling.objects.get().status == "sendt"


def test_arbejdstid_sends_only_kvik(root, sagsbehandler):
    effektuering()
    run_job("sf1590-e-transfer-payment", kommune=101, as_of=D)  # makes the effektuering's payment (not due)
    kvik = _kvik(sagsbehandler)
    k = run_job("sf1590-e-transfer-payment-arbejdstid", kommune=101, as_of=D)
    assert k.status == "succeeded", k.besked
    assert Udbetaling.objects.get(pk=kvik.pk).status == "sendt"
    assert Udbetaling.objects.get(kilde="effektuering").status == "klar"
    assert len(_out(root)) == 2


def test_status_file_applied_and_afvist_task(root, sagsbehandler):
    a, b = _kvik(sagsbehandler), _kvik(sagsbehandler)
    run_job("sf1590-e-transfer-payment-arbejdstid", kommune=101, as_of=D)
    _in(root, "NEMKONTO_STATUS_101_20261207_000001.txt", 101, formats.NEMKONTO_STATUS, [
        {"betalings_id": str(a.pk), "status": "G", "aarsag": ""},
        {"betalings_id": str(b.pk), "status": "A", "aarsag": "Ingen NemKonto"}])
    k = run_job("nemkonto-collect-status", kommune=101, as_of=D, dry_run=True)
    assert k.status == "succeeded" and Udbetaling.objects.get(pk=b.pk).status == "sendt"
    assert (root / "IN" / "NEMKONTO_STATUS_101_20261207_000001.txt").exists()
    k = run_job("nemkonto-collect-status", kommune=101, as_of=D)
    assert k.status == "succeeded", k.besked
    assert k.counts["updated"] == 2
    assert Udbetaling.objects.get(pk=a.pk).status == "gennemfoert"
    u = Udbetaling.objects.get(pk=b.pk)
    assert (u.status, u.afvist_aarsag) == ("afvist", "Ingen NemKonto")
    assert Opgave.objects.filter(type="afvist-udbetaling", data__udbetaling=b.pk).exists()
    assert (root / "IN" / "behandlet" / "NEMKONTO_STATUS_101_20261207_000001.txt").exists()
    assert Fil.objects.get(art="NEMKONTO_STATUS").status == "behandlet"


@pytest.mark.parametrize("problem", ["ukendt", "antal", "ikke_sendt"])
def test_status_file_rejected_whole(root, sagsbehandler, problem):
    a, b = _kvik(sagsbehandler), _kvik(sagsbehandler)
    run_job("sf1590-e-transfer-payment-arbejdstid", kommune=101, as_of=D)
    c = _kvik(sagsbehandler)  # klar, never sent
    rows = [{"betalings_id": str(a.pk), "status": "G", "aarsag": ""},
            {"betalings_id": {"ukendt": "987654321", "antal": str(b.pk), "ikke_sendt": str(c.pk)}[problem],
             "status": "A", "aarsag": "x"}]
    navn = "NEMKONTO_STATUS_101_20261207_000002.txt"
    _in(root, navn, 101, formats.NEMKONTO_STATUS, rows, antal=5 if problem == "antal" else None)
    k = run_job("nemkonto-collect-status", kommune=101, as_of=D)
    assert k.status == "failed"
    expect = {"ukendt": "linje 3, felt betalings_id: ukendt betalings-id 987654321",
              "antal": "linje 4, felt antal: slutposten tæller 5, filen har 2 detaljeposter",
              "ikke_sendt": f"linje 3, felt betalings_id: betaling {c.pk} er ikke sendt"}[problem]
    assert navn in k.besked and expect in k.besked, k.besked
    assert set(Udbetaling.objects.filter(pk__in=[a.pk, b.pk]).values_list("status", flat=True)) == {"sendt"}
    assert (root / "IN" / "fejlet" / navn).exists()
    assert Fil.objects.get(art="NEMKONTO_STATUS").status == "fejlet"


def test_receipt_afvist_releases_payments_to_next_file(root, sagsbehandler):
    from integrations.sftp import NS

    u = _kvik(sagsbehandler)
    run_job("sf1590-e-transfer-payment-arbejdstid", kommune=101, as_of=D)
    fil = Fil.objects.get(art="SF1590E")
    (root / "IN" / f"{fil.filnavn}.sftpreceipt").write_bytes(
        (f'<ns2:Receipt xmlns:ns2="{NS}"><FileName>{fil.filnavn}</FileName><SendersFileId>{fil.senders_file_id}'
         "</SendersFileId><Status>AFVIST</Status><Reason>skema</Reason></ns2:Receipt>").encode())
    assert run_job("sftp-technical-receipt-batch-job", kommune=101, as_of=D).status == "succeeded"
    assert Udbetaling.objects.get(pk=u.pk).status == "klar"
    run_job("sf1590-e-transfer-payment-arbejdstid", kommune=101, as_of=D)
    assert Udbetaling.objects.get(pk=u.pk).fil_id == Fil.objects.get(art="SF1590E", loebenummer=2).pk


def test_indbetaling_file(root):
    from tests.factories import FordringFactory

    f = FordringFactory(restgaeld=Decimal("100.00"))
    konto = f.debitorkonto
    _in(root, "INDBETALING_101_20261207_000001.txt", 101, formats.INDBETALING, [
        {"cpr": konto.person.cpr, "debitorkonto": konto.kontonr, "beloeb_oere": 15000, "indbetalingsdato": D}])
    k = run_job("debitor-indbetaling", kommune=101, as_of=D)
    assert k.status == "succeeded", k.besked
    f.refresh_from_db()
    assert f.restgaeld == 0 and Opgave.objects.filter(type="indbetaling-overskud").count() == 1
    _in(root, "INDBETALING_101_20261207_000002.txt", 101, formats.INDBETALING, [
        {"cpr": konto.person.cpr, "debitorkonto": konto.kontonr, "beloeb_oere": 0, "indbetalingsdato": D}])
    k = run_job("debitor-indbetaling", kommune=101, as_of=D)
    assert k.status == "failed" and "linje 2, felt beloeb_oere: beløbet skal være større end 0" in k.besked


def test_finansbilag_file_and_kvittering(root, sagsbehandler):
    u = _kvik(sagsbehandler)
    Udbetaling.objects.filter(pk=u.pk).update(status="gennemfoert")
    k = run_job("sf1590-a-send-finansbilag", kommune=101, as_of=D, dry_run=True)
    assert "1 bevægelser (1234.56 kr.)" in k.log and not Finansbilag.objects.exists()
    k = run_job("sf1590-a-send-finansbilag", kommune=101, as_of=D)
    assert k.status == "succeeded", k.besked
    b = Finansbilag.objects.get()
    assert b.status == "sendt"
    fil = Fil.objects.get(art="SF1590A")
    lines = bytes(fil.indhold).decode("iso-8859-1").split("\r\n")
    assert [x[:2] for x in lines[:-1]] == ["00", "20", "21", "21", "99"]
    assert lines[1][5:25] == f"KY{b.pk}".ljust(20) and lines[1][42:57] == f"{123456:015d}" == lines[1][57:72]
    _in(root, "SF1590A_KVITTERING_101_20261207_000001.txt", 101, formats.SF1590A_KVITTERING, [
        {"bilag_id": f"KY{b.pk}", "status": "A", "aarsag": "Konto 5.46.61.2 lukket"}], sender="OEKONOMI")
    k = run_job("sf1590-a-modtag-finansbilag-kvittering", kommune=101, as_of=D)
    assert k.status == "succeeded", k.besked
    b.refresh_from_db()
    assert b.status == "afvist" and Opgave.objects.filter(type="afvist-finansbilag").exists()
    # sent again: the movement is booked in the next bilag, in a new file
    assert run_job("sf1590-a-send-finansbilag", kommune=101, as_of=D).status == "succeeded"
    assert Finansbilag.objects.filter(status="sendt", nr=2).exists()
    assert Fil.objects.filter(art="SF1590A").count() == 2
