"""Kontering (seed 004, 3.5.1.1) and ajourføring af tilgodehavende (3.5.1.2): the table of 3.5.1.1/4
row by row, personnr per 3.5.1.1/5, the kontoplan lookup, and a property test that every run's
posteringer balance and equal the table applied item by item."""

import datetime as dt
from collections import defaultdict
from decimal import Decimal as D

import pytest
from hypothesis import HealthCheck, event, given, settings, strategies as st

from batch.services import run_job
from debitor.underholdsbidrag import kontering as kt
from debitor.underholdsbidrag.models import (Beregning, Bidrag, Bidragsperson, Kontoplan, Meddelelse, Postering,
                                             Sats, Tilslutning, UBSag, Udbetaling)
from tests.factories import UserFactory
from tests.underholdsbidrag.test_koersel import AS_OF, SLUG, opret
from tests.underholdsbidrag.test_tf import tf

pytestmark = pytest.mark.django_db
d = dt.date
BB, BP = "0101801234", "1505155234"

# seed 004, 3.5.1.1/4, copied cell by cell: beløbstype -> {kontogruppe: cell}. "D" debet with +, "-K"
# kredit with −, for T/F 4x "+K" / "-D" (the normal a conto amount is negative).
SEED_TABEL = {
    "udb_bidrag": {"bidrag": "D", "afregning": "-K"},
    "udb_efterreg": {"bidrag": "D", "afregning": "-K"},
    "udb_rate": {"afregning": "-K", "mellemregning_rate": "D"},
    "afk_bidrag_01_02": {"tilgodehavende": "-K", "tilsvar": "D"},
    "afk_bidrag_03": {},
    "afk_efterreg_01_02": {"tilgodehavende": "-K", "tilsvar": "D"},
    "afk_efterreg_03": {},
    "ratevis_bidrag": {"bidrag": "D", "mellemregning_rate": "-K"},
    "tf1": {"bidrag": "D", "afregning": "-K", "tilgodehavende": "D", "tilsvar": "-K"},
    "tf2": {"tilgodehavende": "-K", "tilsvar": "D"},
    "tf3": {"bidrag": "D", "afregning": "-K"},
    "tf4": {"afregning": "+K", "mellemregning_aconto": "-D"},
    "tf56": {"tilgodehavende": "-K", "tilsvar": "D"},
}
NORMAL_FORTEGN = {"tf4": -1}  # the a conto fradrag is negative; every other amount positive normally


@pytest.mark.parametrize("bt", list(SEED_TABEL))
def test_kontering_table_row_by_row(bt):
    """Each row of 3.5.1.1/4: which groups, debet or kredit, and the sign in the account for the
    normal amount (debet adds the amount with its sign, kredit subtracts it)."""
    cells = {}
    for debet, kredit in kt.KONTERING[bt][1]:
        for gruppe, side in ((debet, "D"), (kredit, "K")):
            beloeb = NORMAL_FORTEGN.get(bt, 1) * 100
            virkning = beloeb if side == "D" else -beloeb
            cells[gruppe] = ("+" if virkning > 0 else "-") + side
    want = {g: (c if c[0] in "+-" else "+" + c) for g, c in SEED_TABEL[bt].items()}
    assert cells == want
    # every pair balances: as much debet as kredit
    assert all(len(p) == 2 for p in kt.KONTERING[bt][1])


@pytest.mark.parametrize("item,types", [
    (dict(type="bidrag", bidragskode="03", udbetales=True, tf_kode=None, udbetalt=True, afkraevet=True,
          beregnet=True), ["udb_bidrag", "afk_bidrag_03"]),
    (dict(type="bidrag", bidragskode="03", udbetales=False, tf_kode=None, udbetalt=False, afkraevet=True,
          beregnet=True), ["afk_bidrag_03", "ratevis_bidrag"]),  # ratevis: the total
    (dict(type="rate", bidragskode="03", udbetales=True, tf_kode=None, udbetalt=True, afkraevet=False,
          beregnet=False), ["udb_rate"]),
    (dict(type="bidrag", bidragskode="02", udbetales=False, tf_kode=None, udbetalt=False, afkraevet=True,
          beregnet=True), ["afk_bidrag_01_02"]),
    (dict(type="efterregulering", bidragskode="01", udbetales=False, tf_kode=None, udbetalt=False,
          afkraevet=True, beregnet=True), ["afk_efterreg_01_02"]),
    (dict(type="efterregulering", bidragskode="03", udbetales=True, tf_kode=None, udbetalt=True,
          afkraevet=True, beregnet=True), ["udb_efterreg", "afk_efterreg_03"]),
    (dict(type="tf", bidragskode="01", udbetales=True, tf_kode=11, udbetalt=True, afkraevet=False,
          beregnet=True), ["tf1"]),
    (dict(type="tf", bidragskode="02", udbetales=False, tf_kode=22, udbetalt=False, afkraevet=True,
          beregnet=True), ["tf2"]),
    (dict(type="tf", bidragskode="03", udbetales=True, tf_kode=31, udbetalt=True, afkraevet=True,
          beregnet=True), ["tf3"]),  # the claim of a 3x: no kontering
    (dict(type="tf", bidragskode="03", udbetales=True, tf_kode=41, udbetalt=True, afkraevet=False,
          beregnet=True), ["tf4"]),
    (dict(type="tf", bidragskode="01", udbetales=False, tf_kode=52, udbetalt=False, afkraevet=False,
          beregnet=True), ["tf56"]),
    (dict(type="tf", bidragskode="02", udbetales=False, tf_kode=61, udbetalt=False, afkraevet=False,
          beregnet=True), ["tf56"]),
    # a later run that pays a rate computed earlier: only the rate
    (dict(type="bidrag", bidragskode="03", udbetales=False, tf_kode=None, udbetalt=False, afkraevet=False,
          beregnet=False), []),
])
def test_item_to_beloebstyper(item, types):
    assert kt.beloebstyper(**item) == types


@pytest.mark.parametrize("gruppe,art,want", [
    ("bidrag", 11, BP), ("bidrag", 19, BP), ("bidrag", 33, BP), ("bidrag", 39, BP),
    ("bidrag", 21, BB), ("bidrag", 29, BB), ("bidrag", 31, BB), ("bidrag", 32, BB),  # BP = BB
    ("mellemregning_rate", 11, BB), ("mellemregning_aconto", 12, BB),
    ("tilgodehavende", 11, BP), ("tilgodehavende", 31, BP),
    ("afregning", 11, ""), ("tilsvar", 11, ""),  # not personbogført (3.5.1.1/2)
])
def test_personnr_per_3_5_1_1_5(gruppe, art, want):
    assert kt.personnr(gruppe, art, BP, BB) == want


def test_konto_for_afregning_by_udbetalingsform():
    plan = [("afregning", None, None, None, "afr"), ("afregning", None, None, 1, "afr-bank"),
            ("bidrag", "03", None, None, "bid03")]
    assert kt.konto_for(plan, "afregning", None, None, 1) == "afr-bank"
    assert kt.konto_for(plan, "afregning", None, None, 0) == "afr"
    assert kt.konto_for(plan, "tilsvar", None, None) == "99999998-05"
    assert kt.konto_for(plan, "bidrag", "03", 11) == "bid03"


# ------------------------------------------------------------------ the run, row by row
def poster(k):
    """{(kontogruppe, personnr): (debet, kredit)} of a run."""
    out = defaultdict(lambda: [D(0), D(0)])
    for p in Postering.objects.filter(koersel=k):
        out[(p.kontogruppe, p.personnr)][0] += p.debet
        out[(p.kontogruppe, p.personnr)][1] += p.kredit
    return {key: tuple(v) for key, v in out.items()}


def balanced(k):
    ps = Postering.objects.filter(koersel=k)
    return sum(p.debet for p in ps) == sum(p.kredit for p in ps)


def test_run_paid_bidrag_and_efterregulering_03(satser):
    sag = opret()
    Bidrag.objects.filter(bp__sag=sag).update(forrige_forfaldsdato=d(2026, 2, 18))
    k = run_job(SLUG, kommune=101, as_of=AS_OF)
    # 4038 + efterregulering 13: D bidrag (BP) / K afregning; the 03 claim: nothing
    assert poster(k) == {("bidrag", BP): (D("4051.00"), 0), ("afregning", ""): (0, D("4051.00"))}
    bp = sag.bidragspersoner.get()
    assert (bp.tilgodehavende_bb, bp.tilgodehavende_off) == (0, 0)  # 3.5.1.2: 03 claims do not count


def test_run_ratevis_bidrag_and_rates_clear_the_mellemregning(satser):
    sag = opret(ratevis=True)
    k = run_job(SLUG, kommune=101, as_of=AS_OF)
    # the total: D bidrag / K mellemregning ratevis (BB's PNR); rate 1 paid: D mellemregning / K afregning
    assert poster(k) == {("bidrag", BP): (D("4038.00"), 0), ("mellemregning_rate", BB): (D("673.00"), D("4038.00")),
                         ("afregning", ""): (0, D("673.00"))}
    # the other five rates: paid at once when the BP goes inactive (3.2.1/4): the mellemregning clears
    Bidragsperson.objects.filter(sag=sag).update(statuskode=8)
    k2 = run_job(SLUG, kommune=101, as_of=d(2026, 8, 19))
    assert poster(k2) == {("mellemregning_rate", BB): (5 * D("673.00"), 0), ("afregning", ""): (0, 5 * D("673.00"))}
    saldo = sum((p.debet - p.kredit for p in Postering.objects.filter(kontogruppe="mellemregning_rate")), D(0))
    assert saldo == 0


def test_run_claimed_bidrag_and_efterregulering_02(satser):
    sag = opret()
    Bidrag.objects.filter(bp__sag=sag).update(forrige_forfaldsdato=d(2026, 2, 18))
    Bidragsperson.objects.filter(sag=sag).update(ab_kode=3)  # bidragskode 02, claimed only
    k = run_job(SLUG, kommune=101, as_of=AS_OF)
    assert poster(k) == {("tilsvar", ""): (D("4051.00"), 0), ("tilgodehavende", BP): (0, D("4051.00"))}
    bp = sag.bidragspersoner.get()
    assert (bp.tilgodehavende_bb, bp.tilgodehavende_off) == (0, D("4051.00"))


@pytest.mark.parametrize("kode,beloeb,modtager,want,tilg", [
    # T/F 1x, BB: D bidrag / K afregning + D tilgodehavende / K tilsvar; BB's tilgodehavende falls
    (11, "200.00", 1, {("bidrag", BP): ("200.00", 0), ("afregning", ""): (0, "200.00"),
                       ("tilgodehavende", BP): ("200.00", 0), ("tilsvar", ""): (0, "200.00")}, ("-200.00", 0)),
    # the same for det offentlige (bidragskode 02, paid to the kommune)
    (12, "300.00", 0, {("bidrag", BP): ("300.00", 0), ("afregning", ""): (0, "300.00"),
                       ("tilgodehavende", BP): ("300.00", 0), ("tilsvar", ""): (0, "300.00")}, (0, "-300.00")),
    # T/F 2x: D tilsvar / K tilgodehavende
    (21, "400.00", 1, {("tilsvar", ""): ("400.00", 0), ("tilgodehavende", BP): (0, "400.00")}, ("400.00", 0)),
    # T/F 3x: paid D bidrag / K afregning, the claim nothing
    (31, "50.00", 1, {("bidrag", BP): ("50.00", 0), ("afregning", ""): (0, "50.00")}, (0, 0)),
    # T/F 4x, negative as normal: D mellemregning a conto (BB's PNR) −, K afregning −
    (41, "-100.00", 1, {("mellemregning_aconto", BB): ("-100.00", 0), ("afregning", ""): (0, "-100.00")}, (0, 0)),
    # T/F 5x/6x: D tilsvar / K tilgodehavende, either sign
    (51, "25.00", 0, {("tilsvar", ""): ("25.00", 0), ("tilgodehavende", BP): (0, "25.00")}, (0, "25.00")),
    (52, "-25.00", 1, {("tilsvar", ""): ("-25.00", 0), ("tilgodehavende", BP): (0, "-25.00")}, ("-25.00", 0)),
    (61, "80.00", 1, {("tilsvar", ""): ("80.00", 0), ("tilgodehavende", BP): (0, "80.00")}, ("80.00", 0)),
])
def test_run_tf_rows(satser, kode, beloeb, modtager, want, tilg):
    sag = opret(forfald="2026-12-01")  # no bidrag due: only the T/F
    tf(sag, tf_kode=kode, beloeb=beloeb, beloebsmodtager=modtager)
    k = run_job(SLUG, kommune=101, as_of=AS_OF)
    assert poster(k) == {key: (D(a), D(b)) for key, (a, b) in want.items()}
    assert balanced(k)
    bp = sag.bidragspersoner.get()
    assert (bp.tilgodehavende_bb, bp.tilgodehavende_off) == (D(tilg[0]), D(tilg[1]))
    assert (bp.primo_bb, bp.primo_off) == ((D(beloeb), 0) if kode == 61 else (0, 0))
    # 3.5.1.2 Kontrol af saldo: advis 840 exactly when a saldo the run moved is negative
    assert Meddelelse.objects.filter(koersel=k, nr="840").exists() == (min(D(tilg[0]), D(tilg[1])) < 0)


def test_advis_840_only_when_the_run_moves_a_saldo_below_zero(satser):
    sag = opret(forfald="2026-12-01")
    tf(sag, tf_kode=11, beloeb="200.00", beloebsmodtager=1)  # BB's tilgodehavende -200
    k = run_job(SLUG, kommune=101, as_of=AS_OF)
    m = Meddelelse.objects.get(koersel=k, nr="840")
    assert m.art == "advis" and m.bp_id == sag.bidragspersoner.get().pk
    assert m.tekst == "Tilgodehavende er negativt efter ugens bogføring (bidragsberettiget -200.00)."
    # next week nothing moves the saldo: no new 840
    k2 = run_job(SLUG, kommune=101, as_of=d(2026, 8, 19))
    assert not Meddelelse.objects.filter(koersel=k2, nr="840").exists()
    # a claim of 500 (T/F 2x) lifts it to 300: fine, no 840
    tf(sag, tf_kode=21, beloeb="500.00", beloebsmodtager=1)
    k3 = run_job(SLUG, kommune=101, as_of=d(2026, 8, 26))
    assert sag.bidragspersoner.get().tilgodehavende_bb == D("300.00")
    assert not Meddelelse.objects.filter(koersel=k3, nr="840").exists()


def test_run_barselsfaerd_bidragskonto_on_bb(satser):
    Sats.objects.create(bidragsart=31, gyldig_fra=d(2025, 1, 1), beloeb=D("5100.00"))
    sag = opret(forfald="2026-12-01")
    tf(sag, tf_kode=31, bidragsart=31, beloeb="5100.00")
    k = run_job(SLUG, kommune=101, as_of=AS_OF)
    assert poster(k) == {("bidrag", BB): (D("5100.00"), 0), ("afregning", ""): (0, D("5100.00"))}


def test_run_kontoplan_lookup_and_posteringsdato(satser):
    Tilslutning.objects.create(kommune_id=101, pbs_start=d(2020, 1, 1))  # 3.3.2: bankoverførsel needs PBS
    sag = opret()
    UBSag.objects.filter(pk=sag.pk).update(udbetalingsform=1, regnr="1234", kontonr="12345678")
    Kontoplan.objects.bulk_create([
        Kontoplan(kommune_id=101, kontogruppe="bidrag", konto="bid"),
        Kontoplan(kommune_id=101, kontogruppe="bidrag", bidragsart=11, konto="bid-11"),
        Kontoplan(kommune_id=101, kontogruppe="bidrag", bidragskode="03", konto="bid-03"),
        Kontoplan(kommune_id=101, kontogruppe="afregning", konto="afr"),
        Kontoplan(kommune_id=101, kontogruppe="afregning", udbetalingsform=1, konto="afr-bank")])
    k = run_job(SLUG, kommune=101, as_of=AS_OF)
    got = {(p.kontogruppe, p.konto, p.posteringsdato) for p in Postering.objects.filter(koersel=k)}
    # bidragskode before bidragsart; afregning by the payout's form; posteringsdato = udbetalingsdato
    assert got == {("bidrag", "bid-03", d(2026, 8, 19)), ("afregning", "afr-bank", d(2026, 8, 19))}
    assert Udbetaling.objects.get(koersel=k).udbetalingsform == 1


@pytest.mark.parametrize("registreret,tilslutning,form,konto,n626", [
    # seed 004, 3.3.2: a registered 1 the kommune is not connected to (PBS) is paid kontant with advis 626;
    # the afregning account is the kontant one (3.5.1.1/3 by the form actually used), not the bank account
    (1, {"standardcheck_start": d(2020, 1, 1)}, 0, "afr-kontant", 1),
    (2, {}, 0, "afr-kontant", 1),
    (1, {"pbs_start": d(2020, 1, 1)}, 1, "afr-bank", 0),
    # no form registered (null): standardcheck when connected, else kontant; no 626
    (None, {"standardcheck_start": d(2020, 1, 1)}, 2, "afr-check", 0),
    (None, {"pbs_start": d(2020, 1, 1)}, 0, "afr-kontant", 0),
])
def test_run_afregning_account_follows_the_final_payout_form(satser, registreret, tilslutning, form, konto, n626):
    """The afregning account is looked up from the run's Udbetaling row, i.e. after 3.3.2 decided the
    form (626 -> kontant, null -> standardcheck/kontant), not from the sag's registered form."""
    if tilslutning:
        Tilslutning.objects.create(kommune_id=101, **tilslutning)
    sag = opret()
    UBSag.objects.filter(pk=sag.pk).update(udbetalingsform=registreret, regnr="1234", kontonr="12345678")
    Kontoplan.objects.bulk_create([
        Kontoplan(kommune_id=101, kontogruppe="afregning", konto="afr"),
        Kontoplan(kommune_id=101, kontogruppe="afregning", udbetalingsform=0, konto="afr-kontant"),
        Kontoplan(kommune_id=101, kontogruppe="afregning", udbetalingsform=1, konto="afr-bank"),
        Kontoplan(kommune_id=101, kontogruppe="afregning", udbetalingsform=2, konto="afr-check")])
    k = run_job(SLUG, kommune=101, as_of=AS_OF)
    assert k.status == "succeeded", k.log
    u = Udbetaling.objects.get(koersel=k)
    assert u.udbetalingsform == form
    assert Meddelelse.objects.filter(koersel=k, nr="626", sag=sag).count() == n626
    afr = list(Postering.objects.filter(koersel=k, kontogruppe="afregning").values_list("konto", "kredit"))
    assert afr == [(konto, u.beloeb)]
    assert balanced(k)


def test_kontoplan_put_rejects_specification_the_group_does_not_have(api):
    c = api.as_user(UserFactory(kommuneadmin=True, kommuner=[101]))
    url = "/api/v1/underholdsbidrag/kontoplan/"
    for row in ({"kontogruppe": "mellemregning_rate", "bidragskode": "03", "konto": "x"},
                {"kontogruppe": "afregning", "bidragsart": 11, "konto": "x"},
                {"kontogruppe": "tilgodehavende", "udbetalingsform": 1, "konto": "x"},
                {"kontogruppe": "udbetaling", "konto": "x"}):  # the old name is gone
        r = c.put(url, [row], format="json")
        assert r.status_code == 400, row
        assert r.json()["fejl"][0]["kode"] == "ugyldig"
    assert not Kontoplan.objects.exists()
    ok = [{"kontogruppe": g, "konto": g} for g in kt.KONTOGRUPPER]
    assert c.put(url, ok, format="json").status_code == 200
    assert Kontoplan.objects.count() == 6


# ------------------------------------------------------------------ property: balance and the table item by item
KONTOPLAN_RAEKKER = st.lists(st.one_of(
    st.tuples(st.sampled_from(["bidrag", "tilgodehavende"]), st.sampled_from([None, "01", "02", "03"]),
              st.sampled_from([None, 11, 12, 31, 32]), st.just(None)),
    st.tuples(st.just("afregning"), st.just(None), st.just(None), st.sampled_from([None, 0, 1, 2])),
    st.tuples(st.sampled_from(["mellemregning_rate", "mellemregning_aconto", "tilsvar"]), st.just(None),
              st.just(None), st.just(None)),
), max_size=10)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(
    st.sampled_from([(11, "H", None), (11, "M", None), (32, "3", None), (13, "H", None)]),
    st.integers(0, 27),  # forfald offset
    st.sampled_from([0, 0, 3]),  # A/B-kode: bidragskode 03 or 02
    st.booleans(),  # ratevis
    st.sampled_from([0, 1, 2, None]),  # registered udbetalingsform (3.3.2 decides the payout's)
    st.booleans(),  # efterregulering
    st.lists(st.tuples(st.sampled_from([11, 12, 21, 31, 41, 51, 61]), st.integers(-500, 900), st.booleans()),
             max_size=3),
), min_size=1, max_size=5), KONTOPLAN_RAEKKER,
       st.sampled_from([{}, {"pbs_start": d(2020, 1, 1)}, {"standardcheck_start": d(2020, 1, 1)},
                        {"pbs_start": d(2020, 1, 1), "standardcheck_start": d(2020, 1, 1)}]))
def test_posteringer_balance_and_follow_the_table(satser, sager, plan_rows, tilslutning):
    from django.db import transaction
    with transaction.atomic():
        if tilslutning:  # 3.11.2: which registered forms the run may pay (else kontant, advis 626)
            Tilslutning.objects.create(kommune_id=101, **tilslutning)
        Kontoplan.objects.bulk_create([Kontoplan(kommune_id=101, kontogruppe=g, bidragskode=k, bidragsart=a,
                                                 udbetalingsform=f, konto=f"{g[:4]}{k or ''}{a or ''}{f}-{i}")
                                       for i, (g, k, a, f) in enumerate(plan_rows)])
        for i, ((art, frek, _fast), off, ab, ratevis, udb_form, efterreg, tfs) in enumerate(sager):
            extra = {"procentsats": "40"} if art == 13 else {}
            s = opret(forfald=(d(2026, 8, 1) + dt.timedelta(days=off)).isoformat(), art=art, frek=frek,
                      ratevis=ratevis, bb=f"0{i + 1}0180{i}234", bp=f"0{i + 1}0115{i}234", **extra)
            Bidragsperson.objects.filter(sag=s).update(ab_kode=ab)
            if udb_form != 0:
                UBSag.objects.filter(pk=s.pk).update(udbetalingsform=udb_form, regnr="1234", kontonr="12345678")
            if efterreg:
                Bidrag.objects.filter(bp__sag=s).update(forrige_forfaldsdato=d(2026, 2, 1))
            if art == 13:
                Bidrag.objects.create(kommune_id=101, bp=s.bidragspersoner.get(), bidragsart=11,
                                      bpl_cpr="0202751234", forfaldsdato=d(2026, 12, 1), forfaldsfrekvens="H")
            for kode, beloeb, bb in tfs:
                tf(s, tf_kode=kode, beloeb=str(beloeb), beloebsmodtager=1 if bb else 0)
        foer = {x.pk: (x.tilgodehavende_bb, x.tilgodehavende_off, x.primo_bb, x.primo_off)
                for x in Bidragsperson.objects.all()}
        k = run_job(SLUG, kommune=101, as_of=AS_OF)
        assert k.status == "succeeded", k.log
        # a second week pays rates computed in the first
        k2 = run_job(SLUG, kommune=101, as_of=d(2026, 9, 16))
        assert k2.status == "succeeded", k2.log
        plan = list(Kontoplan.objects.filter(kommune_id=101).order_by("id").values_list(
            "kontogruppe", "bidragskode", "bidragsart", "udbetalingsform", "konto"))
        spec = {g: s for g, (_, _, s, _) in kt.KONTOGRUPPER.items()}
        bevaeg = defaultdict(lambda: [D(0)] * 4)
        for run in (k, k2):
            ps = list(Postering.objects.filter(koersel=run))
            assert sum(p.debet for p in ps) == sum(p.kredit for p in ps)  # per run
            form = {(u.sag_id, u.modtager, u.udbetalingsdato): u.udbetalingsform
                    for u in Udbetaling.objects.filter(koersel=run)}
            want = defaultdict(lambda: [D(0), D(0)])
            items = Beregning.objects.filter(kommune_id=101).select_related("bp", "sag", "tillaeg_fradrag")
            for r in items:
                item = dict(type=r.type, bidragskode=r.bidragskode, bidragsart=r.bidragsart, udbetales=r.udbetales,
                            tf_kode=r.tillaeg_fradrag.tf_kode if r.tillaeg_fradrag else None,
                            udbetalt=r.udbetalt_af_id == run.pk, afkraevet=r.afkraevet_af_id == run.pk,
                            beregnet=r.koersel_id == run.pk, beloeb=r.beloeb, bp_cpr=r.bp.cpr, bb_cpr=r.sag.bb_cpr)
                posts = kt.posteringer_for(item)
                for bt in {p.beloebstype for p in posts}:
                    event(bt)
                # per item: as much debet as kredit
                assert sum(p.beloeb for p in posts if p.side == "D") == sum(p.beloeb for p in posts if p.side == "K")
                modtager = "kommune" if r.bidragskode == "02" else r.sag.bb_cpr
                for p in posts:
                    g = p.gruppe
                    konto = kt.konto_for(plan, g, r.bidragskode if "bidragskode" in spec[g] else None,
                                         r.bidragsart if "bidragsart" in spec[g] else None,
                                         form.get((r.sag_id, modtager, r.udbetalingsdato))
                                         if "udbetalingsform" in spec[g] else None)
                    w = want[(konto, g, r.udbetalingsdato, p.personnr)]
                    w[0 if p.side == "D" else 1] += p.beloeb
                bb, off = kt.tilgodehavende_bevaegelse(posts, r.bidragskode)
                primo = item["tf_kode"] is not None and 60 <= item["tf_kode"] <= 69
                v = bevaeg[r.bp_id]
                v[0] += bb
                v[1] += off
                v[2] += bb if primo else 0
                v[3] += off if primo else 0
            got = {(p.konto, p.kontogruppe, p.posteringsdato, p.personnr): (p.debet, p.kredit) for p in ps}
            assert got == {key: tuple(v) for key, v in want.items()}
        # 3.5.1.2: the tilgodehavende moved exactly with the kontering on the tilgodehavende accounts
        for x in Bidragsperson.objects.all():
            f = foer[x.pk]
            assert (x.tilgodehavende_bb, x.tilgodehavende_off, x.primo_bb, x.primo_off) == tuple(
                f[i] + bevaeg[x.pk][i] for i in range(4))
        transaction.set_rollback(True)
