"""sf2520-send-fub-modregninger over the local transport: one file + trigger, idempotent."""

import datetime as dt
from decimal import Decimal

import pytest

from batch.services import run_job
from integrations.fixedwidth import read_file
from integrations.sf2520 import formats
from integrations.sf2520.models import Betalingsadministrationsaftale, Modregning, ModregningFil, SendtFil
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
    # the trigger (sf2520.md, Transport)
    import uuid
    import xml.etree.ElementTree as ET

    from integrations.sftp import NS
    root = ET.fromstring((out / (fil.filnavn + ".trigger")).read_bytes())
    fd = root.find("FileDescriptor")
    assert root.tag == f"{{{NS}}}Trigger" and fd.findtext("FileName") == fil.filnavn
    assert int(fd.findtext("SizeInBytes")) == (out / fil.filnavn).stat().st_size == 3 * 122
    assert fd.findtext("Sender") == "KY" and [r.text for r in fd.find("Recipients")] == ["UDK"]
    assert uuid.UUID(fd.findtext("SendersFileId")) == fil.senders_file_id and fil.senders_file_id.version == 4
    assert root.find("FileContentDescriptor") is not None and len(root.find("FileContentDescriptor")) == 0


def test_zero_modregning_and_unfinished_drafts_are_not_sent(settings, tmp_path):
    from integrations.sf2520 import services
    from tests.factories import UserFactory

    settings.KY_SFTP_URL = ""
    settings.KY_DATA_DIR = tmp_path
    for aid in ("A1", "A2"):
        b = BevillingFactory(bevilget_fra=dt.date(2026, 1, 1), maanedligt_beloeb=Decimal("10000.00"))
        Betalingsadministrationsaftale.objects.create(aftale_id=aid, kommune_id=101, cpr=b.person.cpr,
                                                      maanedligt_beloeb=Decimal("1000.00"), gyldig_fra=dt.date(2026, 1, 1))
    d = dt.date(2026, 3, 2)
    run_job("dan-effektueringskladder", kommune=101, as_of=d)
    k = run_job("sf2520-send-fub-modregninger", kommune=101, as_of=d)
    assert k.status == "succeeded" and k.counts["created"] == 0  # drafts: nothing final yet
    e = Modregning.objects.get(aftale__aftale_id="A1").effektuering
    services.korriger_beloeb(UserFactory(username="sbx", kommuner=[101]), e, "modregning", "0", "Aftalen er sat i bero")
    run_job("endeligjoer-effektueringer", kommune=101, as_of=d)
    run_job("sf2520-send-fub-modregninger", kommune=101, as_of=d)
    fil = SendtFil.objects.get()
    recs = read_file((tmp_path / "sftp" / "OUT" / fil.filnavn).read_bytes(), formats.SF2520_LAYOUTS)
    assert [r["aftale_id"] for _, r in recs[1:-1]] == ["A2"] and fil.antal == 1


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
    (inn / "KY_SF2520_101_20260302_000001.txt.kopi.sftpreceipt").write_bytes(  # our file, another SendersFileId
        receipt(fil, "ACCEPTERET", fid="4f0c2c0e-0000-4000-8000-000000000001"))
    (inn / "KY_SF2520_101_20260302_000001.txt.brudt.sftpreceipt").write_bytes(b"<ikke xml")
    (inn / (fil.filnavn + ".sftpreceipt")).write_bytes(receipt(fil, "AFVIST"))
    d = dt.date(2026, 3, 3)
    assert run_job("sftp-technical-receipt-batch-job", kommune=101, as_of=d).status == "succeeded"
    fil.refresh_from_db()
    assert fil.status == "fejlet" and not (inn / (fil.filnavn + ".sftpreceipt")).exists()
    for name in ("KY_SF2520_101_20260302_999999.txt.sftpreceipt", "KY_SF2520_101_20260302_000001.txt.kopi.sftpreceipt",
                 "KY_SF2520_101_20260302_000001.txt.brudt.sftpreceipt"):
        assert (inn / name).exists(), name  # unknown or unreadable: logged and left alone
    k = run_job("sftp-technical-receipt-batch-job", kommune=101, as_of=d)
    assert "KY har ikke sendt" in k.log and "kan ikke læses" in k.log
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


@pytest.mark.django_db(transaction=True)
def test_concurrent_send_runs_put_each_modregning_in_one_file(settings, tmp_path):
    """Two send runs for the same kommune at once (different as-of dates, so the batch platform
    lets both run): each modregning ends up in exactly one file."""
    import threading

    from django.db import connection

    settings.KY_SFTP_URL = ""
    settings.KY_DATA_DIR = tmp_path
    for i in range(20):
        b = BevillingFactory(bevilget_fra=dt.date(2026, 1, 1), maanedligt_beloeb=Decimal("10000.00"))
        Betalingsadministrationsaftale.objects.create(aftale_id=f"A{i}", kommune_id=101, cpr=b.person.cpr,
                                                      maanedligt_beloeb=Decimal("100.00"), gyldig_fra=dt.date(2026, 1, 1))
    run_job("dan-effektueringskladder", kommune=101, as_of=dt.date(2026, 3, 2))
    run_job("endeligjoer-effektueringer", kommune=101, as_of=dt.date(2026, 3, 2))
    barrier, runs = threading.Barrier(2), []

    def send(day):
        try:
            barrier.wait()
            runs.append(run_job("sf2520-send-fub-modregninger", kommune=101, as_of=dt.date(2026, 3, day)))
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(day,)) for day in (2, 3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(k.status for k in runs) == ["succeeded", "succeeded"], [k.besked for k in runs]
    assert sum(k.counts["created"] for k in runs) == 1 and SendtFil.objects.count() == 1
    fil = SendtFil.objects.get()
    assert fil.status == "sendt" and fil.antal == 20
    assert Modregning.objects.filter(sendt_fil=fil).count() == 20 and ModregningFil.objects.count() == 20
    out = tmp_path / "sftp" / "OUT"
    assert sorted(p.name for p in out.iterdir()) == [fil.filnavn, f"{fil.filnavn}.trigger"]
