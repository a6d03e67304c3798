"""Dry runs of the six SF2520/SF2530 jobs (batch.md): each reports what it would do and changes
nothing — no rows, no løbenummer, no file uploaded, moved or deleted. The real run that follows
does what the dry run reported."""

import datetime as dt
import hashlib
from decimal import Decimal

import pytest

from batch.services import run_job
from cases.models import Bevilling, Opgave
from integrations.sf2520.models import (Betalingsadministrationsaftale as A, BeloebKorrektion, Effektuering,
                                        Loebenummer, ModtagetFil, Modregning, ModregningFil, SendtFil)
from tests.factories import BevillingFactory
from tests.sf2520.test_send import receipt
from tests.sf2520.test_svar import NAME, aftale, answer, put

pytestmark = pytest.mark.django_db
D = dt.date(2026, 3, 2)


@pytest.fixture
def root(settings, tmp_path):
    settings.KY_SFTP_URL = ""
    settings.KY_DATA_DIR = tmp_path
    for d in ("OUT", "IN/behandlet", "IN/fejlet"):
        (tmp_path / "sftp" / d).mkdir(parents=True, exist_ok=True)
    return tmp_path / "sftp"


def snapshot(root):
    rows = {m.__name__: sorted(map(str, m.objects.values_list()))
            for m in (A, Effektuering, Modregning, ModregningFil, Loebenummer, ModtagetFil, BeloebKorrektion)}
    rows["SendtFil"] = sorted(map(str, SendtFil.objects.values_list("id", "filnavn", "status", "sendt", "kvitteret")))
    rows["Opgave"] = sorted(map(str, Opgave.objects.values_list("id", "status", "noegle")))
    rows["files"] = sorted((str(p.relative_to(root)), hashlib.sha256(p.read_bytes()).hexdigest())
                           for p in root.rglob("*") if p.is_file())
    return rows


def dry(job, root, **kw):
    before = snapshot(root)
    k = run_job(job, kommune=101, as_of=kw.pop("as_of", D), dry_run=True)
    assert k.dry_run and snapshot(root) == before, f"{job}: the dry run changed something"
    return k


def test_send_forespoergsel_dry_run(root):
    BevillingFactory(bevilget_fra=dt.date(2026, 4, 1))
    k = dry("send-forespoergsel-til-betalingsadministration", root)
    assert k.status == "succeeded" and k.counts["created"] == 1 and "1 CPR-numre" in k.log
    assert not list((root / "OUT").iterdir()) and not Loebenummer.objects.exists()
    real = run_job("send-forespoergsel-til-betalingsadministration", kommune=101, as_of=D)
    assert real.counts["created"] == 1 and SendtFil.objects.get().antal == 1
    assert dry("send-forespoergsel-til-betalingsadministration", root).counts["created"] == 0  # already sent today


def test_modtag_svar_dry_run(root):
    inn = root / "IN"
    A.objects.create(aftale_id="A9", kommune_id=101, cpr="0303801234", maanedligt_beloeb=Decimal("100.00"),
                     gyldig_fra=dt.date(2026, 1, 1))
    from integrations.sf2520 import formats as f
    put(inn, answer([aftale(), aftale(cpr="0202801234", aid="A2"),
                     f.SF2530_INGEN_AFTALE.write({"kommunekode": 101, "cpr": "0303801234"})]))
    k = dry("modtag-svar-fra-betalingsadministration", root)
    assert k.status == "succeeded" and k.counts["created"] == 2 and k.counts["updated"] == 1, k.log
    assert "tørkørsel" in k.log and (inn / NAME).exists() and A.objects.count() == 1
    real = run_job("modtag-svar-fra-betalingsadministration", kommune=101, as_of=D)
    assert (real.counts["created"], real.counts["updated"]) == (2, 1)
    assert A.objects.get(aftale_id="A9").status == "ophoert" and (inn / "behandlet" / NAME).exists()


def test_modtag_svar_dry_run_of_a_rejected_file_moves_nothing(root):
    put(root / "IN", answer([aftale()], antal=2))
    k = dry("modtag-svar-fra-betalingsadministration", root)
    assert k.status == "failed" and "tørkørsel" in k.besked and NAME in k.besked and "linje 3" in k.besked
    assert (root / "IN" / NAME).exists() and not (root / "IN" / "fejlet" / NAME).exists()


def test_dan_and_endeligjoer_dry_run(root):
    b = BevillingFactory(bevilget_fra=dt.date(2026, 1, 1), maanedligt_beloeb=Decimal("10000.00"))
    BevillingFactory(bevilget_fra=dt.date(2026, 1, 1), maanedligt_beloeb=Decimal("8000.00"))
    A.objects.create(aftale_id="A1", kommune_id=101, cpr=b.person.cpr, maanedligt_beloeb=Decimal("1500.00"),
                     gyldig_fra=dt.date(2026, 1, 1))
    k = dry("dan-effektueringskladder", root, as_of=dt.date(2026, 1, 5))
    assert k.status == "succeeded" and k.counts["created"] == 2 and "1 modregninger" in k.log
    assert run_job("dan-effektueringskladder", kommune=101, as_of=dt.date(2026, 1, 5)).counts["created"] == 2
    k = dry("endeligjoer-effektueringer", root, as_of=dt.date(2026, 1, 5))
    assert k.status == "succeeded" and k.counts["updated"] == 2 and "2 endeligjort" in k.log
    run_job("endeligjoer-effektueringer", kommune=101, as_of=dt.date(2026, 1, 5))
    # February: half the month -> awaits approval; the dry run makes no task
    Bevilling.objects.filter(pk=b.pk).update(bevilget_til=dt.date(2026, 2, 14))
    run_job("dan-effektueringskladder", kommune=101, as_of=dt.date(2026, 2, 5))
    k = dry("endeligjoer-effektueringer", root, as_of=dt.date(2026, 2, 5))
    assert "1 endeligjort, 1 afventer godkendelse" in k.log and not Opgave.objects.exists()
    run_job("endeligjoer-effektueringer", kommune=101, as_of=dt.date(2026, 2, 5))
    assert Opgave.objects.filter(type="godkend-effektuering").count() == 1


def test_send_and_receipt_dry_run(root):
    b = BevillingFactory(bevilget_fra=dt.date(2026, 1, 1), maanedligt_beloeb=Decimal("10000.00"))
    A.objects.create(aftale_id="A1", kommune_id=101, cpr=b.person.cpr, maanedligt_beloeb=Decimal("1500.00"),
                     gyldig_fra=dt.date(2026, 1, 1))
    run_job("dan-effektueringskladder", kommune=101, as_of=D)
    run_job("endeligjoer-effektueringer", kommune=101, as_of=D)
    k = dry("sf2520-send-fub-modregninger", root)
    assert k.status == "succeeded" and k.counts["created"] == 1 and "ville sende 1 modregninger, 1500.00 kr." in k.log
    assert not list((root / "OUT").iterdir()) and not SendtFil.objects.exists()
    assert run_job("sf2520-send-fub-modregninger", kommune=101, as_of=D).counts["created"] == 1
    fil = SendtFil.objects.get()
    (root / "IN" / f"{fil.filnavn}.sftpreceipt").write_bytes(receipt(fil, "AFVIST"))
    k = dry("sftp-technical-receipt-batch-job", root)
    assert k.status == "succeeded" and k.counts["updated"] == 1 and "afvist" in k.log and "tørkørsel" in k.log
    assert (root / "IN" / f"{fil.filnavn}.sftpreceipt").exists() and Modregning.objects.get().sendt_fil == fil
    assert run_job("sftp-technical-receipt-batch-job", kommune=101, as_of=D).counts["updated"] == 1
    fil.refresh_from_db()
    assert fil.status == "fejlet" and Modregning.objects.get().sendt_fil is None
    assert dry("sf2520-send-fub-modregninger", root).counts["created"] == 1  # would resend it
