import datetime as dt
import random

import pytest

from batch.services import run_job
from debitor.underholdsbidrag import demo
from debitor.underholdsbidrag.models import Beregning, UBSag

pytestmark = pytest.mark.django_db


def test_demo_seed_and_run():
    out = demo.seed([101], random.Random(1))
    assert out["UBSag"] == 40 and out["Sats"] == len(demo.SATSER)
    k = run_job("underholdsbidrag-ugekoersel", kommune=101, as_of=dt.date.today())
    assert k.status == "succeeded"
    assert Beregning.objects.filter(kommune_id=101).exists()


def test_screens(client, sagsbehandler):
    demo.seed([101], random.Random(2))
    run_job("underholdsbidrag-ugekoersel", kommune=101, as_of=dt.date.today())
    client.force_login(sagsbehandler)
    sag = UBSag.objects.filter(kommune_id=101).first()
    r = client.get(f"/underholdsbidrag/{sag.pk}/")
    assert r.status_code == 200 and "Stamkort" in r.content.decode() and "Næste forfaldsdatoer" in r.content.decode()
    assert client.get("/underholdsbidrag/").status_code == 200
    r = client.post("/underholdsbidrag/ny/", {"kommune": "101", "bb_cpr": "0101801234", "bp_cpr": "1505155234",
                                              "bidragsart": "21", "bpl": "0202751234", "forfaldsdato": "2026-01-02",
                                              "forfaldsfrekvens": "M"})
    assert r.status_code == 200 and "Fejlnr. 169" in r.content.decode()
    r = client.post("/underholdsbidrag/ny/", {"kommune": "101", "bb_cpr": "0101801234", "bp_cpr": "1505155234",
                                              "bidragsart": "11", "bpl": "0202751234", "forfaldsdato": "2026-01-02",
                                              "forfaldsfrekvens": "H"})
    assert r.status_code == 302


def test_stamkort_pdf(api, sagsbehandler):
    demo.seed([101], random.Random(3))
    sag = UBSag.objects.filter(kommune_id=101).first()
    r = api.as_user(sagsbehandler).get(f"/api/v1/underholdsbidrag/sager/{sag.pk}/stamkort.pdf")
    assert r.status_code == 200 and r.content[:4] == b"%PDF"
