"""sf2520-send-fub-modregninger over the local transport: one file + trigger, idempotent."""

import datetime as dt
from decimal import Decimal

import pytest

from batch.services import run_job
from integrations.fixedwidth import read_file
from integrations.sf2520 import formats
from integrations.sf2520.models import Betalingsadministrationsaftale, Modregning, SendtFil
from tests.factories import BevillingFactory

pytestmark = pytest.mark.django_db


def test_send_file_and_rerun(settings, tmp_path):
    settings.KY_SFTP_URL = ""
    settings.KY_DATA_DIR = tmp_path
    b = BevillingFactory(bevilget_fra=dt.date(2026, 1, 1), maanedligt_beloeb=Decimal("10000.00"))
    Betalingsadministrationsaftale.objects.create(aftale_id="Å1", kommune_id=101, cpr=b.person.cpr,
                                                  maanedligt_beloeb=Decimal("1500.50"), gyldig_fra=dt.date(2026, 1, 1))
    d = dt.date(2026, 3, 2)
    run_job("dan-effektueringskladder", kommune=101, as_of=d)
    run_job("endeligjoer-effektueringer", kommune=101, as_of=d)
    for _ in range(2):
        k = run_job("sf2520-send-fub-modregninger", kommune=101, as_of=d)
        assert k.status == "succeeded", k.besked
    fil = SendtFil.objects.get()
    assert fil.filnavn == "KY_SF2520_101_20260302_000001.txt" and fil.antal == 1 and fil.sum_beloeb == Decimal("1500.50")
    out = tmp_path / "sftp" / "OUT"
    assert (out / (fil.filnavn + ".trigger")).exists()
    recs = read_file((out / fil.filnavn).read_bytes(), formats.SF2520_LAYOUTS)
    assert recs[1][1]["beloeb_oere"] == 150050 and recs[1][1]["aftale_id"] == "Å1"
    assert recs[1][1]["udbetalingsdato"] == dt.date(2026, 3, 31)  # the month's last bank day
    assert (recs[1][1]["periode_fra"], recs[1][1]["periode_til"]) == (dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    assert recs[2][1]["antal"] == 1 and recs[2][1]["sum_oere"] == 150050
    assert Modregning.objects.get().sendt_fil == fil


def receipt(fil, status, name=None, fid=None):
    from integrations.sftp import NS
    return (f'<ns2:Receipt xmlns:ns2="{NS}"><FileName>{name or fil.filnavn}</FileName>'
            f"<SendersFileId>{fid or fil.senders_file_id}</SendersFileId><Status>{status}</Status>"
            f"<Reason>fejl</Reason></ns2:Receipt>").encode()


def test_receipts_rejected_resent_in_new_file_accepted_and_unknown(settings, tmp_path):
    test_send_file_and_rerun(settings, tmp_path)
    inn = tmp_path / "sftp" / "IN"
    fil = SendtFil.objects.get()
    (inn / "KY_SF2520_101_20260302_999999.txt.sftpreceipt").write_bytes(
        receipt(fil, "ACCEPTERET", name="KY_SF2520_101_20260302_999999.txt", fid="4f0c2c0e-0000-4000-8000-000000000000"))
    (inn / (fil.filnavn + ".sftpreceipt")).write_bytes(receipt(fil, "AFVIST"))
    d = dt.date(2026, 3, 3)
    assert run_job("sftp-technical-receipt-batch-job", kommune=101, as_of=d).status == "succeeded"
    fil.refresh_from_db()
    assert fil.status == "fejlet" and not (inn / (fil.filnavn + ".sftpreceipt")).exists()
    assert (inn / "KY_SF2520_101_20260302_999999.txt.sftpreceipt").exists()  # unknown: left alone
    run_job("sf2520-send-fub-modregninger", kommune=101, as_of=d)
    ny = SendtFil.objects.exclude(pk=fil.pk).get()
    assert ny.loebenummer == 2 and ny.filnavn == "KY_SF2520_101_20260303_000002.txt"
    assert Modregning.objects.get().sendt_fil == ny and Modregning.objects.get().filer.count() == 2
    (inn / (ny.filnavn + ".sftpreceipt")).write_bytes(receipt(ny, "ACCEPTERET"))
    run_job("sftp-technical-receipt-batch-job", kommune=101, as_of=d)
    run_job("sftp-technical-receipt-batch-job", kommune=101, as_of=d)
    ny.refresh_from_db()
    assert ny.status == "kvitteret" and ny.kvitteret is not None
    run_job("sf2520-send-fub-modregninger", kommune=101, as_of=d)
    assert SendtFil.objects.count() == 2
