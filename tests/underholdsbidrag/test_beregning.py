import datetime as dt
from decimal import Decimal as D

import pytest
from hypothesis import given, strategies as st

from debitor.underholdsbidrag import beregning as b

d = dt.date
SATSER = [
    b.SatsPeriode(11, d(2025, 7, 1), d(2026, 6, 30), D("3960.00")),  # 660/md
    b.SatsPeriode(11, d(2026, 7, 1), None, D("4038.00")),  # 673/md
    b.SatsPeriode(12, d(2025, 1, 1), None, D("3960.00")),
    b.SatsPeriode(15, d(2025, 1, 1), None, D("4200.00")),
    b.SatsPeriode(32, d(2025, 1, 1), None, D("1200.00")),
    b.SatsPeriode(31, d(2025, 1, 1), None, D("5000.00")),
]


def test_broken_period_seed_example():
    # seed 004, 3.2.2/3: forfald 02.01.87, 18 on 30.05.87 -> amount x 4/6 + amount x 28/180
    satser = [b.SatsPeriode(11, d(1986, 7, 1), None, D("3600.00"))]
    g = b.Bidragsgrundlag(11, d(1987, 1, 2), "H", foedselsdato=d(1969, 5, 30))
    r = b.beregn_en(g, d(1987, 1, 2), satser)
    assert r.poster[0].beloeb == b.rund(D(3600) * 4 / 6 + D(3600) * 28 / 180) == D("2960.00")
    assert "4 hele mdr, 28 dage" in r.poster[0].forklaring
    assert r.naeste_forfaldsdato == d(1987, 5, 30)
    # at the birthday nothing more; forfaldsdato null
    g2 = b.Bidragsgrundlag(11, d(1987, 5, 30), "H", foedselsdato=d(1969, 5, 30), forrige_forfaldsdato=d(1987, 1, 2))
    r2 = b.beregn_en(g2, d(1987, 5, 30), satser)
    assert r2.poster == [] and r2.naeste_forfaldsdato is None


def test_broken_month_across_month_end():
    n, dage = b.brudt_andel(d(2026, 1, 20), d(2026, 3, 10))
    assert (n, dage) == (1, 30 - 20 + 10)


def test_efterregulering_seed_example():
    # seed 004, 3.2.2: 660 -> 673 per month, 2 whole months (1/7 -> 21/9) = 26.00
    g = b.Bidragsgrundlag(11, d(2026, 9, 21), "H", foedselsdato=d(2015, 1, 1), forrige_forfaldsdato=d(2026, 3, 24))
    r = b.beregn_en(g, d(2026, 9, 21), SATSER)
    er = [p for p in r.poster if p.type == "efterregulering"]
    assert er[0].beloeb == D("26.00")
    assert "2 hele mdr" in er[0].forklaring
    bid = [p for p in r.poster if p.type == "bidrag"][0]
    assert bid.beloeb == D("4038.00")


def test_efterregulering_percentage():
    g = b.Bidragsgrundlag(13, d(2026, 9, 21), "H", foedselsdato=d(2015, 1, 1), procentsats=D(50),
                          forrige_forfaldsdato=d(2026, 3, 24))
    r = b.beregn_en(g, d(2026, 9, 21), SATSER)
    assert [p.beloeb for p in r.poster] == [D("13.00"), D("2019.00")]


def test_sats_scaling_and_art14_uses_11():
    for frek, exp in (("M", "673.00"), ("K", "2019.00"), ("H", "4038.00"), ("A", "8076.00")):
        g = b.Bidragsgrundlag(14, d(2026, 8, 1), frek, foedselsdato=d(2010, 1, 1))
        assert b.beregn_en(g, d(2026, 8, 1), SATSER).poster[0].beloeb == D(exp)
    g = b.Bidragsgrundlag(31, d(2026, 8, 1), "A")
    assert b.beregn_en(g, d(2026, 8, 1), SATSER).poster[0].beloeb == D("5000.00")
    g = b.Bidragsgrundlag(21, d(2026, 8, 1), "M", fast_bidrag=D("1234.56"))
    assert b.beregn_en(g, d(2026, 8, 1), SATSER).poster[0].beloeb == D("1234.56")
    with pytest.raises(b.BeregningsFejl):
        b.beregn_en(b.Bidragsgrundlag(11, d(2020, 1, 1), "H"), d(2020, 1, 1), SATSER)


def test_next_forfaldsdato_rules():
    g = b.Bidragsgrundlag(11, d(2026, 1, 2), "H", foedselsdato=d(2008, 3, 15))
    assert b.naeste_forfaldsdato(g, d(2026, 1, 2))[0] == d(2026, 3, 15)  # 18th birthday first
    g = b.Bidragsgrundlag(11, d(2026, 1, 2), "M", foedselsdato=d(2008, 1, 15))
    assert b.naeste_forfaldsdato(g, d(2026, 1, 2))[0] is None  # monthly -> 0
    g = b.Bidragsgrundlag(11, d(2026, 1, 2), "H", fast_bidrag=D(1), foedselsdato=d(2008, 3, 15))
    assert b.naeste_forfaldsdato(g, d(2026, 1, 2))[0] is None  # fixed -> 0
    g = b.Bidragsgrundlag(14, d(2026, 1, 2), "H", foedselsdato=d(2002, 3, 15))
    assert b.naeste_forfaldsdato(g, d(2026, 1, 2)) == (None, "H", ["616"])
    g = b.Bidragsgrundlag(11, d(2026, 1, 2), "K", foedselsdato=d(2015, 1, 1))
    assert b.naeste_forfaldsdato(g, d(2026, 1, 2))[0] == d(2026, 4, 2)


def test_art32_counter_repeats():
    g = b.Bidragsgrundlag(32, d(2026, 1, 5), "3")
    r = b.beregn(g, SATSER, d(2026, 12, 31))
    assert [p.forfaldsdato for p in r.poster] == [d(2026, 1, 5), d(2026, 2, 5), d(2026, 3, 5)]
    assert all(p.beloeb == D("1200.00") for p in r.poster)
    assert r.naeste_forfaldsdato is None and r.forfaldsfrekvens == "0"


def test_repeat_inside_period():
    g = b.Bidragsgrundlag(11, d(2026, 7, 2), "M", foedselsdato=d(2015, 1, 1))
    r = b.beregn(g, SATSER, d(2026, 9, 3))
    assert [p.forfaldsdato for p in r.poster] == [d(2026, 7, 2), d(2026, 8, 2), d(2026, 9, 2)]
    assert r.naeste_forfaldsdato == d(2026, 10, 2)


@pytest.mark.parametrize("ab,art,over,kode", [
    (0, 11, False, "03"), (1, 12, False, "03"), (2, 15, False, "03"),
    (0, 11, True, "01"), (2, 15, True, "01"),
    (0, 32, False, "03"), (1, 21, False, "01"), (2, 14, False, "01"),
    (3, 11, False, "02"), (4, 32, False, "02"), (6, 21, True, "02"), (7, 11, False, "02"), (9, 13, False, "02"),
    (5, 11, False, "02"), (8, 11, False, "01"), (8, 32, False, "01"),
])
def test_bidragskode_table(ab, art, over, kode):
    assert b.bidragskode(ab, art, over) == kode


def test_payout_claim():
    assert b.udbetales_afkraeves("01") == (False, True)
    assert b.udbetales_afkraeves("02") == (False, True)
    assert b.udbetales_afkraeves("03") == (True, True)


@pytest.mark.parametrize("ab,art,over,alder,mark,exp", [
    (0, 11, False, 10, False, (False, None)),
    (1, 12, False, 10, True, (True, None)),
    (2, 15, True, 10, False, (True, None)),
    (0, 11, False, 15, False, (True, "631")),
    (0, 32, False, 16, False, (False, None)),
    (0, 21, False, 10, False, (True, None)),
    (3, 11, True, 16, True, (False, None)), (5, 21, False, 1, False, (False, None)),
    (8, 11, False, 1, False, (True, None)),
])
def test_anmodning_table(ab, art, over, alder, mark, exp):
    assert b.anmodning_kraeves(ab, art, over, alder, mark) == exp


def test_rates_remainder():
    assert b.rater(D("100.00")) == [D("16.66")] * 5 + [D("16.70")]
    assert b.rater(D("4038.00")) == [D("673.00")] * 6
    post = b.Post("bidrag", 11, d(2026, 1, 2), d(2026, 5, 29), d(2026, 1, 2), D("2960.00"), "")
    rs = b.rateposter(post, brudt_maaneder=4)
    assert [r.beloeb for r in rs] == [D("740.00")] * 4
    assert rs[-1].forfaldsdato == d(2026, 4, 2)


def test_bank_days_easter_christmas():
    # Easter 2026 = 5 April
    for x in (d(2026, 4, 2), d(2026, 4, 3), d(2026, 4, 6), d(2026, 5, 14), d(2026, 5, 15), d(2026, 5, 25),
              d(2026, 6, 5), d(2026, 12, 24), d(2026, 12, 25), d(2026, 12, 31), d(2027, 1, 1)):
        assert not b.er_bankdag(x), x
    assert b.er_bankdag(d(2026, 4, 1)) and b.er_bankdag(d(2026, 4, 7))
    assert b.foerste_bankdag_efter(d(2026, 4, 1)) == d(2026, 4, 7)
    assert b.foerste_bankdag_efter(d(2026, 12, 23)) == d(2026, 12, 28)
    assert b.foerste_bankdag_efter(d(2026, 12, 28)) == d(2026, 12, 29)
    assert b.foerste_bankdag_efter(d(2026, 12, 30)) == d(2027, 1, 4)


def test_udbetalingsdato_and_period():
    as_of = d(2026, 8, 12)  # Wednesday week 33; W+1 = 17..23 Aug
    assert b.sidste_forfaldsdato(as_of) == d(2026, 8, 20)  # Thursday (seed 004, 3.2.1)
    assert b.udbetalingsdato(d(2026, 8, 1), as_of) == d(2026, 8, 17)  # past -> first bank day W+1
    assert b.udbetalingsdato(d(2026, 8, 18), as_of) == d(2026, 8, 19)


@given(st.decimals(min_value=0, max_value=100000, places=2), st.integers(1, 12))
def test_rates_reconcile(beloeb, antal):
    rs = b.rater(beloeb, antal)
    assert sum(rs) == beloeb and len(rs) == antal and all(r >= 0 for r in rs)
    assert max(rs) - min(rs) < D("0.01") * antal


@given(st.sampled_from(["M", "K", "H", "A"]), st.sampled_from([11, 12, 15, 14]),
       st.dates(d(2025, 7, 1), d(2027, 6, 1)), st.dates(d(2005, 1, 1), d(2012, 1, 1)))
def test_paid_claimed_reconcile(frek, art, forfald, foedt):
    g = b.Bidragsgrundlag(art, forfald, frek, foedselsdato=foedt)
    r = b.beregn(g, SATSER, forfald + dt.timedelta(days=400))
    kode = b.bidragskode(0, art, False)
    ud, af = b.udbetales_afkraeves(kode)
    total = sum((p.beloeb for p in r.poster), D(0))
    paid = sum((p.beloeb for p in r.poster if ud), D(0))
    claimed = sum((p.beloeb for p in r.poster if af), D(0))
    assert claimed == total and paid in (D(0), total)
    for p in r.poster:
        assert p.beloeb == b.rund(p.raa) and p.beloeb >= 0 and p.forklaring


def test_percentage_uses_the_sags_normalbidrag():
    # seed 004, 3.2.2: "Procentdel af bidrag og procenttillægget beregnes på grundlag af
    # normalbidraget på den pågældende sag": normalbidrag × procentsats / 100
    satser = SATSER + [b.SatsPeriode(12, d(2026, 7, 1), None, D("4200.00"))]
    satser = [s for s in satser if not (s.bidragsart == 12 and s.gyldig_til is None and s.beloeb == D("3960.00"))]
    satser.append(b.SatsPeriode(12, d(2025, 1, 1), d(2026, 6, 30), D("3960.00")))
    g = b.Bidragsgrundlag(13, d(2026, 9, 21), "H", foedselsdato=d(2015, 1, 1), procentsats=D(50),
                          normalbidrag=b.Normalbidrag(12))
    bid = [p for p in b.beregn_en(g, d(2026, 9, 21), satser).poster if p.type == "bidrag"][0]
    assert bid.beloeb == D("2100.00") and "normalbidrag art 12" in bid.forklaring
    # art 15's sats
    g = b.Bidragsgrundlag(13, d(2026, 8, 1), "K", foedselsdato=d(2015, 1, 1), procentsats=D(40),
                          normalbidrag=b.Normalbidrag(15))
    bid = b.beregn_en(g, d(2026, 8, 1), SATSER).poster[0]
    assert bid.beloeb == D("4200.00") * 3 / 6 * 40 / 100 == D("840.00") and "normalbidrag art 15" in bid.forklaring
    # efterregulering follows the normalbidrag's art: art 12 3960 -> 4200 on 1/7, 2 whole months to 21/9
    g = b.Bidragsgrundlag(13, d(2026, 9, 21), "H", foedselsdato=d(2015, 1, 1), procentsats=D(50),
                          forrige_forfaldsdato=d(2026, 3, 24), normalbidrag=b.Normalbidrag(12))
    er = [p for p in b.beregn_en(g, d(2026, 9, 21), satser).poster if p.type == "efterregulering"]
    assert er[0].beloeb == D("40.00")  # 2 × (700 − 660) × 50/100


def test_percentage_of_a_fixed_normalbidrag():
    # a fixed normalbidrag of 1,200.00 monthly; art 13 at 50 % half-yearly = 1,200 × 6 × 50/100
    g = b.Bidragsgrundlag(13, d(2026, 9, 21), "H", foedselsdato=d(2015, 1, 1), procentsats=D(50),
                          forrige_forfaldsdato=d(2026, 3, 24),
                          normalbidrag=b.Normalbidrag(11, D("1200.00"), "M"))
    r = b.beregn_en(g, d(2026, 9, 21), SATSER)
    assert [(p.type, p.beloeb) for p in r.poster] == [("bidrag", D("3600.00"))]  # no efterregulering of a fixed one
    assert "normalbidrag art 11 fast bidrag 1200.00" in r.poster[0].forklaring
    # without a normalbidrag on the sag the standard normalbidrag (art 11's sats) is the base, and it says so
    g = b.Bidragsgrundlag(13, d(2026, 9, 21), "H", foedselsdato=d(2015, 1, 1), procentsats=D(50))
    p = b.beregn_en(g, d(2026, 9, 21), SATSER).poster[0]
    assert p.beloeb == D("2019.00") and "intet normalbidrag på sagen: art 11" in p.forklaring
