"""T/F (seed 004, 3.2.3.2): period length with 31st/February ends, sats split, the six main types,
kommune payouts, inactive BP, fejl 219; all in the pure calculation and in the weekly run."""

import datetime as dt
from decimal import Decimal as D

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from batch.services import run_job
from debitor.underholdsbidrag import beregning as b
from debitor.underholdsbidrag import services
from debitor.underholdsbidrag.models import (Afkraevning, Beregning, Bidragsperson, Meddelelse, Postering, Sats,
                                             TillaegFradrag, Udbetaling)
from tests.underholdsbidrag.test_koersel import AS_OF, SLUG, opret

d = dt.date
SATSER = [
    b.SatsPeriode(11, d(2025, 7, 1), d(2026, 6, 30), D("3960.00")),
    b.SatsPeriode(11, d(2026, 7, 1), d(2026, 12, 31), D("4038.00")),
    b.SatsPeriode(11, d(2027, 1, 1), None, D("4100.00")),
    b.SatsPeriode(32, d(2025, 1, 1), None, D("1200.00")),
    b.SatsPeriode(31, d(2025, 1, 1), d(2026, 7, 31), D("5000.00")),
    b.SatsPeriode(31, d(2026, 8, 1), None, D("5100.00")),
]


# ------------------------------------------------------------------ pure: period length
@pytest.mark.parametrize("fra,til,dage", [
    (d(2026, 1, 1), d(2026, 6, 30), 180),  # a half year
    (d(2026, 1, 1), d(2026, 1, 31), 30),  # til the 31st counts as the 30th
    (d(2026, 1, 31), d(2026, 2, 28), 30),  # fra the 31st -> 1 Feb; til 28 Feb -> the 30th
    (d(2024, 2, 1), d(2024, 2, 29), 30),  # leap-year February end
    (d(2024, 2, 1), d(2024, 2, 28), 30),  # 28 February is the 30th in any year (seed's wording)
    (d(2026, 3, 1), d(2027, 2, 28), 360),
    (d(2026, 1, 15), d(2026, 3, 20), 66),  # 2 whole months + 6 days, first and last day included
    (d(2026, 1, 20), d(2026, 3, 10), 51),  # 1 whole month + (30 − 20 + 1) + 10
    (d(2026, 5, 31), d(2026, 7, 31), 60),
])
def test_tf_period_length(fra, til, dage):
    assert b.tf_dage(fra, til) == dage


def test_tf_sats_split_in_three_periods():
    # seed 004, 3.2.3.2's example: period I sats/180 × 60, period II the full sats, period III sats/180 × 100
    satser = [b.SatsPeriode(11, d(2025, 1, 1), d(2025, 12, 31), D("3600.00")),
              b.SatsPeriode(11, d(2026, 1, 1), d(2026, 6, 30), D("3960.00")),
              b.SatsPeriode(11, d(2026, 7, 1), None, D("4038.00"))]
    beloeb, raa, forkl = b.beregn_tf(11, 11, d(2025, 11, 1), d(2026, 10, 10), satser, d(2026, 8, 12))
    assert raa == D("3600") / 180 * 60 + D("3960") + D("4038") / 180 * 100
    assert beloeb == D("7403.33")
    assert "60 dage" in forkl and "180 dage" in forkl and "100 dage" in forkl and "= 7403.33" in forkl


def test_tf_31st_and_february_in_amount():
    beloeb, _, forkl = b.beregn_tf(11, 11, d(2026, 1, 31), d(2026, 2, 28), SATSER, d(2026, 8, 12))
    assert beloeb == D("660.00") and "30 dage" in forkl  # 3960/180 × 30


def test_tf_art32_art31_art13_fradrag():
    # art 32: monthly sats / 30 per day
    assert b.beregn_tf(31, 32, d(2026, 1, 1), d(2026, 2, 15), SATSER, d(2026, 8, 12))[0] == D("1800.00")
    # art 31 once; with fra/til the sats is looked up on the kørselsdato
    assert b.beregn_tf(31, 31, d(2026, 1, 1), d(2026, 2, 15), SATSER, d(2026, 8, 12))[0] == D("5100.00")
    assert b.beregn_tf(31, 31, None, None, SATSER, d(2026, 8, 12), dato=d(2026, 7, 1))[0] == D("5000.00")
    # art 13: percentage of normalbidrag
    assert b.beregn_tf(11, 13, d(2026, 7, 1), d(2026, 9, 30), SATSER, d(2026, 8, 12),
                       procentsats=D(50))[0] == D("1009.50")
    # 4x a conto fradrag: negative
    assert b.beregn_tf(41, 11, d(2026, 7, 1), d(2026, 7, 31), SATSER, d(2026, 8, 12))[0] == D("-673.00")


@pytest.mark.parametrize("args,msg", [
    ((11, 11, d(2025, 6, 1), d(2025, 8, 1)), "158"),  # fra before the oldest sats
    ((11, 21, d(2026, 1, 1), d(2026, 2, 1)), "beløb"),  # no sats for art 21
    ((11, 11, None, None), "fra-dato"),
    ((11, 13, d(2026, 7, 1), d(2026, 7, 31)), "procentsats"),
])
def test_tf_calculation_errors(args, msg):
    with pytest.raises(b.BeregningsFejl, match=msg):
        b.beregn_tf(*args, SATSER, d(2026, 8, 12))


@pytest.mark.parametrize("tf_kode,modtager,exp", [
    (11, 1, ("01", True, False)), (12, 0, ("02", True, False)),  # 1x: payout of ikke forskudsvise
    (21, 1, ("01", False, True)), (29, 0, ("02", False, True)),  # 2x: claim
    (31, 1, ("03", True, True)), (35, 0, ("03", True, True)),  # 3x: payout and claim, 03
    (41, 1, ("03", True, False)),  # 4x: a conto fradrag, payout only
    (51, 1, ("01", False, False)), (61, 0, ("02", False, False)),  # 5x/6x: bookkeeping only
])
def test_tf_routing_table(tf_kode, modtager, exp):
    assert b.tf_routing(tf_kode, modtager) == exp


# ------------------------------------------------------------------ in the weekly run
def tf(sag, **data):
    data.setdefault("bp", sag.bidragspersoner.get().cpr)
    data.setdefault("bidragsart", 11)
    return services.registrer_tf(sag, data, as_of=AS_OF)[0]


def test_run_computes_tf_without_amount_with_forklaring(satser):
    sag = opret(forfald="2026-12-01")
    Sats.objects.filter(bidragsart=11, gyldig_til__isnull=True).update(beloeb=D("4038.00"))
    t = tf(sag, tf_kode=31, fra_dato="2026-05-31", til_dato="2026-07-31", beloebsmodtager=1)
    run_job(SLUG, kommune=101, as_of=AS_OF)
    r = Beregning.objects.get(tillaeg_fradrag=t)
    # 1 Jun–30 Jun at 3960 (30 days) + 1 Jul–30 Jul at 4038 (30 days)
    assert r.beloeb == D("660.00") + D("673.00")
    assert "3960.00/180 × 30 dage" in r.forklaring and "4038.00/180 × 30 dage" in r.forklaring
    assert r.bidragskode == "03" and r.udbetales and r.afkraeves and r.bpl_cpr == "0202751234"
    assert r.periode_fra == d(2026, 5, 31) and r.periode_til == d(2026, 7, 31)


def test_two_equal_tf_are_both_computed(satser):
    sag = opret(forfald="2026-12-01")
    tf(sag, tf_kode=31, beloeb="100.00")
    tf(sag, tf_kode=31, beloeb="100.00")
    k = run_job(SLUG, kommune=101, as_of=AS_OF)
    assert Beregning.objects.filter(sag=sag, type="tf").count() == 2
    assert Udbetaling.objects.get(koersel=k).beloeb == D("200.00")


def test_undated_tf_follows_the_bidrag_due_in_the_week(satser):
    sag = opret(forfald="2026-08-18")
    t = tf(sag, tf_kode=31, beloeb="50.00")
    run_job(SLUG, kommune=101, as_of=AS_OF)
    r = Beregning.objects.get(tillaeg_fradrag=t)
    assert r.forfaldsdato == d(2026, 8, 18) and r.udbetalingsdato == d(2026, 8, 19)
    # dated T/F: first bank day after its date
    t2 = tf(sag, tf_kode=31, beloeb="10.00", dato="2026-08-26")
    run_job(SLUG, kommune=101, as_of=d(2026, 8, 19))
    assert Beregning.objects.get(tillaeg_fradrag=t2).udbetalingsdato == d(2026, 8, 27)


def test_payout_to_kommune_for_1x_with_det_offentlige(satser):
    sag = opret(forfald="2026-12-01")
    bp = sag.bidragspersoner.get()
    Bidragsperson.objects.filter(pk=bp.pk).update(tilgodehavende_off=D("1000.00"), tilgodehavende_individ=True)
    tf(sag, tf_kode=11, beloeb="300.00", beloebsmodtager=0)
    tf(sag, tf_kode=11, beloeb="200.00", beloebsmodtager=1)
    k = run_job(SLUG, kommune=101, as_of=AS_OF)
    u = {x.modtager: x for x in Udbetaling.objects.filter(koersel=k)}
    assert set(u) == {"kommune", "0101801234"}
    assert u["kommune"].beloeb == D("300.00") and u["kommune"].udbetalingsform == 0
    assert u["0101801234"].beloeb == D("200.00")
    assert not Afkraevning.objects.filter(koersel=k).exists()
    bp.refresh_from_db()
    # the public's tilgodehavende falls with what is passed on; BB's with what BB got
    assert bp.tilgodehavende_off == D("700.00") and bp.tilgodehavende_bb == D("-200.00")
    assert bp.tilgodehavende_dato == AS_OF
    out = {p.kontogruppe for p in Postering.objects.filter(koersel=k)}
    assert out == {"bidrag", "afregning", "tilgodehavende", "tilsvar"}  # seed 004, 3.5.1.1/4 T/F type 1


def test_2x_claimed_only_4x_paid_only_5x_6x_bookkeeping(satser):
    sag = opret(forfald="2026-08-18")
    tf(sag, tf_kode=21, beloeb="400.00", beloebsmodtager=1)
    tf(sag, tf_kode=41, fra_dato="2026-07-01", til_dato="2026-07-31")  # a conto: -673
    tf(sag, tf_kode=51, beloeb="25.00", beloebsmodtager=0)
    tf(sag, tf_kode=61, beloeb="80.00", beloebsmodtager=1)
    k = run_job(SLUG, kommune=101, as_of=AS_OF)
    r = {x.tillaeg_fradrag.tf_kode: x for x in Beregning.objects.filter(sag=sag, type="tf").select_related(
        "tillaeg_fradrag")}
    assert (r[21].bidragskode, r[21].udbetales, r[21].afkraeves) == ("01", False, True)
    assert (r[41].bidragskode, r[41].udbetales, r[41].afkraeves, r[41].beloeb) == ("03", True, False, D("-673.00"))
    assert not (r[51].udbetales or r[51].afkraeves) and not (r[61].udbetales or r[61].afkraeves)
    u = Udbetaling.objects.get(koersel=k)
    assert u.beloeb == D("4038.00") - D("673.00")
    a = Afkraevning.objects.get(koersel=k)
    assert a.beloeb == D("4038.00") + D("400.00") and a.afkraevningskommune == 101  # the sagskommune
    bp = sag.bidragspersoner.get()
    assert bp.tilgodehavende_bb == D("400.00") + D("80.00")  # claimed 01 + 6x
    assert bp.tilgodehavende_off == D("25.00")  # 5x; a claimed 03 is no tilgodehavende (3.5.1.2)
    assert bp.primo_bb == D("80.00") and bp.primo_off == 0
    run_job(SLUG, kommune=101, as_of=AS_OF)
    bp.refresh_from_db()
    assert bp.tilgodehavende_bb == D("480.00")  # a re-run changes nothing


def test_negative_payout_620_and_negative_claim_630(satser):
    sag = opret(forfald="2026-12-01")
    tf(sag, tf_kode=41, beloeb="-100.00")
    tf(sag, tf_kode=21, beloeb="-50.00")
    k = run_job(SLUG, kommune=101, as_of=AS_OF)
    nr = set(Meddelelse.objects.filter(koersel=k).values_list("nr", flat=True))
    assert {"620", "630"} <= nr
    assert Udbetaling.objects.get(koersel=k).udbetalingsform == 0


def test_inactive_bp_tf_617_618_and_bb_status_3_kontant(satser):
    sag = opret(forfald="2026-12-01")
    sag.udbetalingsform = 1
    sag.regnr, sag.kontonr = "1234", "12345678"
    sag.save()
    tf(sag, tf_kode=31, beloeb="100.00", dato="2026-08-14")
    tf(sag, tf_kode=31, beloeb="100.00", dato="2026-09-30")
    Bidragsperson.objects.filter(sag=sag).update(statuskode=8)
    type(sag).objects.filter(pk=sag.pk).update(bb_statuskode=3)
    k = run_job(SLUG, kommune=101, as_of=AS_OF)
    nr = list(Meddelelse.objects.filter(koersel=k).values_list("nr", flat=True))
    assert "617" in nr and "618" in nr
    assert "626" not in nr  # seed 004, 3.3.2: status 3 is paid kontant without advis
    assert TillaegFradrag.objects.filter(sag=sag).count() == 1  # the future one is deleted
    u = Udbetaling.objects.get(koersel=k)
    assert u.beloeb == D("100.00") and u.udbetalingsform == 0  # BB status 3: kontant


def test_tf_rejected_in_run_158(satser):
    sag = opret(forfald="2026-12-01")
    t = TillaegFradrag.objects.create(sag=sag, bp=sag.bidragspersoner.get(), tf_kode=31, bidragsart=11,
                                      fra_dato=d(2024, 1, 1), til_dato=d(2024, 3, 1))
    k = run_job(SLUG, kommune=101, as_of=AS_OF)
    assert Meddelelse.objects.filter(koersel=k, art="fejl", nr="158").exists()
    assert not TillaegFradrag.objects.filter(pk=t.pk).exists()


def test_more_than_50_future_elements_rejects_tf_219(satser):
    sag = opret(forfald="2026-08-18", ratevis=True)  # 5 future rates after this run
    for i in range(46):
        tf(sag, tf_kode=31, beloeb="1.00", dato=(d(2026, 10, 1) + dt.timedelta(days=i)).isoformat())
    k = run_job(SLUG, kommune=101, as_of=AS_OF)
    assert Meddelelse.objects.filter(koersel=k, art="fejl", nr="219").count() == 1
    assert TillaegFradrag.objects.filter(sag=sag).count() == 45
    # the last registered is the one rejected
    assert not TillaegFradrag.objects.filter(sag=sag, dato=d(2026, 11, 15)).exists()
    k2 = run_job(SLUG, kommune=101, as_of=AS_OF)
    assert not Meddelelse.objects.filter(koersel=k2, nr="219").exists()


def test_rates_of_inactive_bp_paid_at_once_619(satser):
    sag = opret(forfald="2026-08-18", ratevis=True)
    run_job(SLUG, kommune=101, as_of=AS_OF)
    assert Beregning.objects.filter(sag=sag, type="rate", udbetalt_af__isnull=True).count() == 5
    Bidragsperson.objects.filter(sag=sag).update(statuskode=8)
    type(sag).objects.filter(pk=sag.pk).update(bb_statuskode=9)
    k = run_job(SLUG, kommune=101, as_of=d(2026, 8, 19))
    assert Meddelelse.objects.filter(koersel=k, nr="619").count() == 1
    u = Udbetaling.objects.get(koersel=k)
    assert u.beloeb == 5 * D("673.00") and u.udbetalingsdato == d(2026, 8, 24)
    assert not Beregning.objects.filter(sag=sag, type="rate", udbetalt_af__isnull=True).exists()


# ------------------------------------------------------------------ property: the run's outputs reconcile
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(
    st.sampled_from([(11, "H", None), (11, "K", None), (11, "M", None), (12, "H", None), (32, "3", None),
                     (21, "M", "750.00"), (13, "H", None)]),
    st.integers(0, 27),  # forfald offset
    st.sampled_from([0, 0, 1, 3, 8]),  # A/B-kode
    st.booleans(),  # ratevis
    st.lists(st.tuples(st.sampled_from([11, 12, 21, 31, 41, 51, 61]), st.integers(-300, 900), st.booleans()),
             max_size=3),  # T/F (kode, amount, beløbsmodtager BB)
), min_size=1, max_size=6))
def test_paid_and_claimed_reconcile_with_computed_items(satser, sager):
    from django.db import transaction

    from debitor.models import Fordring
    from debitor.underholdsbidrag.models import Bidrag as BidragModel, Sats as SatsModel, UBSag
    with transaction.atomic():
        SatsModel.objects.get_or_create(bidragsart=12, gyldig_fra=d(2025, 1, 1), defaults={"beloeb": D("3960.00")})
        for i, ((art, frek, fast), off, ab, ratevis, tfs) in enumerate(sager):
            extra = {"fast_bidrag": fast} if fast else ({"procentsats": "40"} if art == 13 else {})
            s = opret(forfald=(d(2026, 8, 1) + dt.timedelta(days=off)).isoformat(), art=art, frek=frek,
                      ratevis=ratevis, bb=f"0{i + 1}0180{i}234", bp=f"0{i + 1}0115{i}234", **extra)
            Bidragsperson.objects.filter(sag=s).update(ab_kode=ab)
            if art == 13:
                BidragModel.objects.create(kommune_id=101, bp=s.bidragspersoner.get(), bidragsart=11,
                                           bpl_cpr="0202751234", forfaldsdato=d(2026, 12, 1), forfaldsfrekvens="H")
            for kode, beloeb, bb in tfs:
                tf(s, tf_kode=kode, beloeb=str(beloeb), beloebsmodtager=1 if bb else 0)
        k = run_job(SLUG, kommune=101, as_of=AS_OF)
        assert k.status == "succeeded", k.log
        paid = Beregning.objects.filter(udbetalt_af=k)
        claimed = Beregning.objects.filter(afkraevet_af=k)
        assert sum(u.beloeb for u in Udbetaling.objects.filter(koersel=k)) == sum(x.beloeb for x in paid)
        assert sum(a.beloeb for a in Afkraevning.objects.filter(koersel=k)) == sum(x.beloeb for x in claimed)
        assert all(x.udbetales for x in paid) and all(x.afkraeves for x in claimed)
        # every computed item of the week is either paid, claimed, a future rate, a bookkeeping T/F, or
        # a ratevis total (claimed, its rates paid)
        for x in Beregning.objects.filter(koersel=k):
            assert (x.udbetalt_af_id == k.pk or x.afkraevet_af_id == k.pk
                    or x.type == "rate" and x.udbetalingsdato > d(2026, 8, 23)
                    or x.type == "tf" and not (x.udbetales or x.afkraeves)), x.forklaring
            assert x.forklaring
        positive = [a.beloeb for a in Afkraevning.objects.filter(koersel=k) if a.beloeb > 0]
        assert sorted(f.hovedstol for f in Fordring.objects.filter(fordring_id__startswith=f"UB{k.pk}-")) == \
            sorted(positive)
        post = Postering.objects.filter(koersel=k)
        assert sum(p.debet for p in post) == sum(p.kredit for p in post)
        k2 = run_job(SLUG, kommune=101, as_of=AS_OF)
        assert not Beregning.objects.filter(koersel=k2).exists() and not Udbetaling.objects.filter(koersel=k2)
        assert UBSag.objects.count() == len(sager)
        transaction.set_rollback(True)
