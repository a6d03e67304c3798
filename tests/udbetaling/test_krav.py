"""debitor-send-krav: new or changed fordringer at or above the threshold and overdue by N days
(batchkonstanter) go to inddrivelse in one file; status, date and restgæld kept on the fordring."""

import datetime as dt
from decimal import Decimal

import pytest

from batch.models import Batchkonstant
from batch.services import run_job
from debitor.udbetaling import formats
from debitor.udbetaling.models import Inddrivelseskrav
from integrations.fixedwidth import read_file
from integrations.models import Fil
from tests.factories import FordringFactory
from tests.udbetaling.test_filer import root  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db
D = dt.date(2026, 12, 7)


def test_threshold_days_and_changed(root):  # noqa: F811
    gammel = FordringFactory(restgaeld=Decimal("500.00"), stiftelsesdato=dt.date(2026, 10, 1))
    FordringFactory(restgaeld=Decimal("99.99"), stiftelsesdato=dt.date(2026, 10, 1))  # under 100 kr.
    FordringFactory(restgaeld=Decimal("900.00"), stiftelsesdato=dt.date(2026, 11, 20))  # not 30 days yet
    FordringFactory(restgaeld=Decimal("0.00"), stiftelsesdato=dt.date(2026, 1, 1))
    k = run_job("debitor-send-krav", kommune=101, as_of=D, dry_run=True)
    assert "ville sende 1 krav" in k.log and not Inddrivelseskrav.objects.exists()
    k = run_job("debitor-send-krav", kommune=101, as_of=D)
    assert k.status == "succeeded" and k.counts["created"] == 1, k.besked
    fil = Fil.objects.get(art="KRAV")
    recs = read_file((root / "OUT" / fil.filnavn).read_bytes(), formats.KRAV_LAYOUTS)
    r = recs[1][1]
    assert (r["fordring_id"], r["restgaeld_oere"], r["aendring"]) == (gammel.fordring_id, 50000, "N")
    krav = Inddrivelseskrav.objects.get()
    assert (krav.fordring_id, krav.sendt_dato, krav.restgaeld_sendt, krav.status) == (
        gammel.pk, D, Decimal("500.00"), "sendt")
    assert run_job("debitor-send-krav", kommune=101, as_of=D).counts["created"] == 0  # nothing twice
    gammel.restgaeld = Decimal("400.00")
    gammel.save()
    Batchkonstant.objects.create(kommune_id=101, job="debitor-send-krav", noegle="forfalden_dage", vaerdi=10,
                                 gyldig_fra=dt.date(2026, 1, 1))
    k = run_job("debitor-send-krav", kommune=101, as_of=dt.date(2026, 12, 8))
    assert k.counts["created"] == 2, k.log  # the changed one, and the 20/11 one now 18 days old
    krav.refresh_from_db()
    assert (krav.restgaeld_sendt, krav.gange, krav.sendt_dato) == (Decimal("400.00"), 2, dt.date(2026, 12, 8))
    fil2 = Fil.objects.get(art="KRAV", loebenummer=2)
    aendring = {r["fordring_id"]: r["aendring"]
                for _, r in read_file(bytes(fil2.indhold), formats.KRAV_LAYOUTS)[1:-1]}
    assert aendring[gammel.fordring_id] == "A"
