import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from batch.services import run_job
from debitor.models import Fordring
from debitor.underholdsbidrag import services
from debitor.underholdsbidrag.models import (Afkraevning, Anmodning, Beregning, Bidrag, Kontoplan, Meddelelse,
                                             Postering, Udbetaling)
from tests.underholdsbidrag.conftest import sag_body

pytestmark = pytest.mark.django_db
SLUG = "underholdsbidrag-ugekoersel"
AS_OF = dt.date(2026, 8, 12)  # week 33; payout week 34 (17–23 Aug)


def opret(forfald="2026-08-18", art=11, frek="H", bp="1505155234", ratevis=False, bb="0101801234", **bidrag):
    body = sag_body()
    body["bb"]["cpr"] = bb
    body["bb"]["ratevis"] = ratevis
    body["bidragspersoner"][0]["cpr"] = bp
    body["bidragspersoner"][0]["bidrag"][0].update(bidragsart=art, forfaldsdato=forfald, forfaldsfrekvens=frek, **bidrag)
    sag, _ = services.opret_sag(user_kommuner=None, data=body)
    return sag


def test_weekly_run_computes_pays_claims_posts_once(satser):
    sag = opret()
    Kontoplan.objects.create(kommune_id=101, kontogruppe="bidrag", bidragskode="03", konto="5.57.72.1")
    Bidrag.objects.filter(bp__sag=sag).update(forrige_forfaldsdato=dt.date(2026, 2, 18))
    k = run_job(SLUG, kommune=101, as_of=AS_OF)
    assert k.status == "succeeded", (k.status, getattr(k, "besked", ""))
    rows = list(Beregning.objects.filter(sag=sag).order_by("type"))
    assert [(r.type, r.beloeb) for r in rows] == [("bidrag", Decimal("4038.00")),
                                                   ("efterregulering", Decimal("13.00"))]  # 1 whole month 1/7->18/8
    bid = rows[0]
    assert bid.bidragskode == "03" and bid.udbetales and bid.afkraeves
    assert bid.udbetalingsdato == dt.date(2026, 8, 19) and "sats art 11" in bid.forklaring
    b = Bidrag.objects.get(bp__sag=sag)
    assert b.forfaldsdato == dt.date(2027, 2, 18)
    u = Udbetaling.objects.get(koersel=k)
    assert u.beloeb == Decimal("4051.00") and u.modtager == "0101801234"
    a = Afkraevning.objects.get(koersel=k)
    assert a.bpl == "0202751234" and a.beloeb == Decimal("4051.00")
    f = Fordring.objects.get(pk=a.fordring_id)
    assert f.hovedstol == Decimal("4051.00") and f.fordringstype == "UNDERHOLDSBIDRAG"
    assert f.debitorkonto.kilde == "UNDERHOLDSBIDRAG" and f.debitorkonto.person.cpr == "0202751234"
    post = list(Postering.objects.filter(koersel=k))
    # seed 004, 3.5.1.1/4: bidrag and efterregulering paid (03): D bidrag / K afregning; the claim of a 03
    # bidrag has no kontering in the kreditor part
    assert sum(p.debet for p in post) == sum(p.kredit for p in post) == Decimal("4051.00")
    assert {p.konto for p in post if p.kontogruppe == "bidrag"} == {"5.57.72.1"}
    assert {p.konto for p in post if p.kontogruppe == "afregning"} == {"99999998-05"}
    # re-run of the same week computes nothing twice
    k2 = run_job(SLUG, kommune=101, as_of=AS_OF)
    assert k2.status == "succeeded"
    assert Beregning.objects.filter(sag=sag).count() == 2
    assert not Udbetaling.objects.filter(koersel=k2).exists() and not Afkraevning.objects.filter(koersel=k2).exists()
    assert Fordring.objects.count() == 1


def test_unique_constraint_ignores_duplicates(satser):
    """Even if forfaldsdato were rolled back, the same item is not stored twice."""
    sag = opret()
    run_job(SLUG, kommune=101, as_of=AS_OF)
    Bidrag.objects.filter(bp__sag=sag).update(forfaldsdato=dt.date(2026, 8, 18), forrige_forfaldsdato=None)
    run_job(SLUG, kommune=101, as_of=AS_OF)
    assert Beregning.objects.filter(sag=sag, type="bidrag").count() == 1


def test_anmodning_needed_advis_611_then_computed(satser):
    sag = opret(art=12, bp="1505091234")  # 17 years old: anmodning needed
    from debitor.underholdsbidrag.models import Sats
    Sats.objects.create(bidragsart=12, gyldig_fra=dt.date(2025, 1, 1), beloeb=Decimal("3000.00"))
    k = run_job(SLUG, kommune=101, as_of=AS_OF)
    assert set(Meddelelse.objects.filter(koersel=k).values_list("nr", flat=True)) == {"611", "631"}
    assert not Beregning.objects.filter(sag=sag).exists()
    assert "forfaldsdato 2026-08-18" in Meddelelse.objects.get(koersel=k, nr="611").tekst
    # a re-run of the same week writes no second 611
    k_igen = run_job(SLUG, kommune=101, as_of=AS_OF)
    assert not Meddelelse.objects.filter(koersel=k_igen).exists()
    assert Meddelelse.objects.filter(nr="611").count() == 1
    # the next week's run, still without an anmodning, advises again
    k_naeste = run_job(SLUG, kommune=101, as_of=AS_OF + dt.timedelta(days=7))
    assert Meddelelse.objects.filter(koersel=k_naeste, nr="611").count() == 1
    bp = sag.bidragspersoner.get()
    Anmodning.objects.create(sag=sag, bp=bp, bidragsart=12, forfaldsdato=dt.date(2026, 8, 18))
    k = run_job(SLUG, kommune=101, as_of=AS_OF)
    assert Beregning.objects.filter(sag=sag).count() == 1
    assert Anmodning.objects.get().brugt_af_id == k.pk
    assert "631" not in set(Meddelelse.objects.filter(koersel=k).values_list("nr", flat=True))


def test_ratevis_six_rates_and_art32(satser):
    sag = opret(ratevis=True)
    sag32 = opret(art=32, frek="3", forfald="2026-06-10", bb="0202801234", bp="0101165234")
    k = run_job(SLUG, kommune=101, as_of=AS_OF)
    rater = list(Beregning.objects.filter(sag=sag, type="rate").order_by("forfaldsdato"))
    assert [r.beloeb for r in rater] == [Decimal("673.00")] * 6
    assert not Beregning.objects.get(sag=sag, type="bidrag").udbetales
    # only the first rate is paid this week
    assert Udbetaling.objects.get(koersel=k, sag=sag).beloeb == Decimal("673.00")
    b32 = list(Beregning.objects.filter(sag=sag32).order_by("forfaldsdato"))
    assert [r.forfaldsdato for r in b32] == [dt.date(2026, 6, 10), dt.date(2026, 7, 10), dt.date(2026, 8, 10)]
    assert Bidrag.objects.get(bp__sag=sag32).forfaldsfrekvens == "0"
    assert Bidrag.objects.get(bp__sag=sag32).forfaldsdato is None


def test_query_count_independent_of_size(satser):
    for i in range(3):
        opret(bb=f"01018{i}1234", bp=f"15051{i}5234")
    with CaptureQueriesContext(connection) as small:
        run_job(SLUG, kommune=101, as_of=AS_OF)
    for i in range(3, 12):
        opret(bb=f"0101{80 + i}1234", bp=f"1505{10 + i}5234")
    with CaptureQueriesContext(connection) as big:
        run_job(SLUG, kommune=101, as_of=AS_OF)
    assert len(big.captured_queries) <= len(small.captured_queries) + 2


def test_api_koersel_output_and_beregninger(api, sagsbehandler, sagsbehandler_751, satser):
    sag = opret()
    k = run_job(SLUG, kommune=101, as_of=AS_OF)
    c = api.as_user(sagsbehandler)
    out = c.get(f"/api/v1/underholdsbidrag/koersler/{k.pk}/").json()
    assert set(out) >= {"udbetalinger", "afkraevninger", "posteringer", "advis", "fejl"}
    assert out["udbetalinger"][0]["beloeb"] == "4038.00"
    ber = c.get(f"/api/v1/underholdsbidrag/sager/{sag.pk}/beregninger/").json()["results"]
    assert ber[0]["forklaring"] and ber[0]["bidragskode"] == "03" and ber[0]["koersel"] == k.pk
    assert api.as_user(sagsbehandler_751).get(f"/api/v1/underholdsbidrag/koersler/{k.pk}/").status_code == 404


def test_tf_in_run_paid_to_bb(satser):
    sag = opret(forfald="2026-12-01")  # no bidrag due this week
    services.registrer_tf(sag, {"bp": "1505155234", "tf_kode": 31, "bidragsart": 11, "beloeb": "250.00",
                                "beloebsmodtager": 1}, as_of=AS_OF)
    k = run_job(SLUG, kommune=101, as_of=AS_OF)
    tf = Beregning.objects.get(sag=sag, type="tf")
    assert tf.beloeb == Decimal("250.00") and tf.udbetalingsdato == dt.date(2026, 8, 17) and tf.bidragskode == "03"
    assert Udbetaling.objects.get(koersel=k).beloeb == Decimal("250.00")
    run_job(SLUG, kommune=101, as_of=AS_OF)
    assert Beregning.objects.filter(sag=sag, type="tf").count() == 1


def test_percentage_bidrag_from_the_sags_normalbidrag(satser):
    # seed 004, 3.2.2: art 13 at 50 % on a sag whose normalbidrag is art 15 (sats 4,200 per half year)
    from debitor.underholdsbidrag.models import Sats
    Sats.objects.create(bidragsart=15, gyldig_fra=dt.date(2025, 1, 1), beloeb=Decimal("4200.00"))
    sag = opret(art=15)
    services.aendr_sag(sag, {"bidragspersoner": [{"cpr": "1505155234", "bidrag": [
        {"bidragsart": 13, "bpl": "0202751234", "forfaldsdato": "2026-08-18", "forfaldsfrekvens": "H",
         "procentsats": "50"}]}]})
    bp = sag.bidragspersoner.get()
    Anmodning.objects.create(sag=sag, bp=bp, bidragsart=13, forfaldsdato=dt.date(2026, 8, 18))
    k = run_job(SLUG, kommune=101, as_of=AS_OF)
    assert k.status == "succeeded"
    b13 = Beregning.objects.get(sag=sag, bidragsart=13, type="bidrag")
    assert b13.beloeb == Decimal("2100.00") and "normalbidrag art 15" in b13.forklaring
    assert Beregning.objects.get(sag=sag, bidragsart=15, type="bidrag").beloeb == Decimal("4200.00")
