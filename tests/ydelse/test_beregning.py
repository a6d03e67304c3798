"""The month's computation, rule by rule, with worked examples (issue 13): one per row of each rate table,
part months, age 30 mid-month, the loft reached, the rules before and after the reform of 2025-07-01."""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

import pytest

from cases.ydelse import beregning, selectors
from cases.ydelse.fakta import PersonFakta
from cases.ydelse.models import Sats

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def tabel():
    return selectors.satstabel()


def sats(yt, kat, d):
    return Sats.objects.get(ydelsestype=yt, kategori=kat, gyldig_fra__lte=d, gyldig_til__gte=d).beloeb \
        if Sats.objects.filter(ydelsestype=yt, kategori=kat, gyldig_fra__lte=d, gyldig_til__gte=d).exists() \
        else Sats.objects.get(ydelsestype=yt, kategori=kat, gyldig_fra__lte=d, gyldig_til__isnull=True).beloeb


def fakta(alder_paa: dt.date, alder: int, *, boern=0, gift=False, hjemme=False, ophold=True):
    born = alder_paa.replace(year=alder_paa.year - alder - 1, month=1, day=2) if alder_paa.month == 1 \
        else D(alder_paa.year - alder, 1, 1)
    return PersonFakta(cpr="0101800000", foedselsdato=born, gift_samlevende=gift, hjemmeboende=hjemme,
                       opholdskrav_opfyldt=ophold, boern_foedt=tuple(D(2015, 1, 1) for _ in range(boern)))


def grundlag(f, yt="KTH", fra=D(2020, 1, 1), til=None, beloeb=None, **kw):
    return beregning.Grundlag(bevilling_id=1, ydelsestype=yt, bevilget_fra=fra, bevilget_til=til,
                              maanedligt_beloeb=beloeb, status="bevilget", fakta=f, **kw)


def kr(x):
    return str(Decimal(x).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


# --- one example per row of the rate tables --------------------------------------------------------------

FOER = D(2025, 3, 1)  # before the reform (LAS §§ 23, 25)
OLD_ROWS = [
    ("KTH", "over30_forsoerger", dict(alder=40, boern=1)),
    ("KTH", "over30_ikke_forsoerger", dict(alder=40)),
    ("KTH", "under30_enlig_forsoerger", dict(alder=25, boern=1)),
    ("KTH", "under30_forsoerger", dict(alder=25, boern=1, gift=True)),
    ("KTH", "under30_udeboende", dict(alder=25)),
    ("KTH", "under30_hjemmeboende", dict(alder=22, hjemme=True)),
    ("UDH", "under30_enlig_forsoerger", dict(alder=25, boern=1)),
    ("UDH", "under30_forsoerger", dict(alder=25, boern=2, gift=True)),
    ("UDH", "under30_udeboende", dict(alder=19)),
    ("UDH", "under30_hjemmeboende", dict(alder=19, hjemme=True)),
]


@pytest.mark.parametrize("yt,kat,f", OLD_ROWS, ids=[f"{a}-{b}" for a, b, _ in OLD_ROWS])
def test_each_row_before_the_reform(tabel, yt, kat, f):
    r = beregning.beregn(grundlag(fakta(FOER, **f), yt=yt), FOER, tabel)
    assert f"{yt} {kat} " in r["forklaring"][0]["parameter"]
    assert r["beloeb"] == kr(sats(yt, kat, FOER))
    assert r["dage"] == 31 and r["sats"] == kr(sats(yt, kat, FOER))


def test_worked_example_2024_over_30_verified_rate(tabel):
    # detfagligehus.dk 2024: fyldt 30 år uden forsørgerpligt 12.326 kr.
    r = beregning.beregn(grundlag(fakta(D(2024, 3, 1), 40)), D(2024, 3, 1), tabel)
    assert r["beloeb"] == "12326.00"


EFTER = D(2026, 3, 1)  # under the reform (LAS §§ 16-17 as amended by lov nr. 1655/2024)
NEW_ROWS = [
    (["forhoejet_sats", "tillaeg_enlig_ikke_forsoerger"], dict(alder=40)),
    (["forhoejet_sats"], dict(alder=40, gift=True)),
    (["forhoejet_sats", "tillaeg_boern"], dict(alder=40, gift=True, boern=2)),
    (["grundsats", "tillaeg_enlig_ikke_forsoerger"], dict(alder=25)),
    (["grundsats", "tillaeg_boern", "tillaeg_enlig_forsoerger"], dict(alder=25, boern=1)),
    (["hjemmeboende"], dict(alder=20, hjemme=True)),
    (["mindstesats"], dict(alder=40, gift=True, ophold=False)),
]


@pytest.mark.parametrize("kats,f", NEW_ROWS, ids=["+".join(k) for k, _ in NEW_ROWS])
def test_each_row_after_the_reform(tabel, kats, f):
    r = beregning.beregn(grundlag(fakta(EFTER, **f)), EFTER, tabel)
    assert r["beloeb"] == kr(sum(sats("KTH", k, EFTER) for k in kats))
    used = [t["parameter"].split()[1] for t in r["forklaring"] if t["regel"].startswith(("Sats", "Tillæg"))]
    assert used == kats
    assert "loft" not in r  # kontanthjælpsloftet is abolished


LOFT_ROWS = [  # (ydelsestype, alder, gift, børn) -> kategori of § 25 b
    ("KTH", 40, True, 1, "loft_25b1_gift_forsoerger_1"), ("KTH", 40, True, 2, "loft_25b1_gift_forsoerger_2"),
    ("KTH", 40, True, 0, "loft_25b1_gift_ikke_forsoerger"), ("KTH", 40, False, 1, "loft_25b1_enlig_forsoerger_1"),
    ("KTH", 40, False, 3, "loft_25b1_enlig_forsoerger_2"), ("KTH", 40, False, 0, "loft_25b1_enlig_ikke_forsoerger"),
    ("KTH", 25, True, 1, "loft_25b2_gift_forsoerger_1"), ("KTH", 25, True, 2, "loft_25b2_gift_forsoerger_2"),
    ("KTH", 25, True, 0, "loft_25b2_gift_ikke_forsoerger"), ("KTH", 25, False, 1, "loft_25b2_enlig_forsoerger_1"),
    ("KTH", 25, False, 2, "loft_25b2_enlig_forsoerger_2"), ("KTH", 25, False, 0, "loft_25b2_enlig_ikke_forsoerger"),
    ("UDH", 25, True, 1, "loft_25b3_gift_forsoerger_1"), ("UDH", 25, True, 2, "loft_25b3_gift_forsoerger_2"),
    ("UDH", 25, True, 0, "loft_25b3_gift_ikke_forsoerger"), ("UDH", 25, False, 1, "loft_25b3_enlig_forsoerger_1"),
    ("UDH", 25, False, 2, "loft_25b3_enlig_forsoerger_2"), ("UDH", 25, False, 0, "loft_25b3_enlig_ikke_forsoerger"),
]


@pytest.mark.parametrize("yt,alder,gift,boern,kat", LOFT_ROWS, ids=[r[4] for r in LOFT_ROWS])
def test_each_row_of_the_loft_table(tabel, yt, alder, gift, boern, kat):
    g = grundlag(fakta(FOER, alder, gift=gift, boern=boern), yt=yt,
                 saerlig_stoette=[(D(2025, 1, 1), None, Decimal("99999"))])
    r = beregning.beregn(g, FOER, tabel)
    loft = sats("PARAM", kat, FOER)
    assert r["loft"]["kategori"] == kat and r["loft"]["loft"] == kr(loft)
    # særlig støtte fills the room up to the loft exactly
    assert r["beloeb"] == kr(loft) and r["loft"]["naaet"] is True


# --- worked examples of the rules ----------------------------------------------------------------------

def test_loft_reached_with_boligstoette(tabel):
    # 2025-03, enlig 40 år: hjælp 12.622; loft § 25 b, stk. 1, nr. 5 15.267; boligstøtte 2.000 -> plads 645
    g = grundlag(fakta(FOER, 40), indtaegter=[("boligstoette", Decimal("2000"), "UDK")],
                 saerlig_stoette=[(D(2025, 1, 1), None, Decimal("1500"))])
    r = beregning.beregn(g, FOER, tabel)
    hjaelp = sats("KTH", "over30_ikke_forsoerger", FOER)
    loft = sats("PARAM", "loft_25b1_enlig_ikke_forsoerger", FOER)
    plads = loft - hjaelp - 2000
    assert plads == Decimal(645)
    assert r["loft"] == {"kategori": "loft_25b1_enlig_ikke_forsoerger", "loft": kr(loft),
                         "forventet_hjaelpsbeloeb": kr(hjaelp), "boligstoette": "2000.00", "raadighed": kr(plads),
                         "naaet": True}
    assert r["saerlig_stoette"] == {"bevilget": "1500.00", "beloeb": "645.00"}
    assert r["beloeb"] == kr(hjaelp + plads)


def test_loft_not_reached_pays_all_saerlig_stoette(tabel):
    g = grundlag(fakta(FOER, 40), saerlig_stoette=[(D(2025, 1, 1), None, Decimal("1000"))])
    r = beregning.beregn(g, FOER, tabel)
    assert r["saerlig_stoette"]["beloeb"] == "1000.00" and r["loft"]["naaet"] is False


def test_part_month_prorated_by_days_and_rounded_once(tabel):
    # forhøjet sats + tillæg enlig ikke-forsørger from 10-02-2026: 19 of 28 days
    g = grundlag(fakta(D(2026, 2, 1), 40), fra=D(2026, 2, 10))
    r = beregning.beregn(g, D(2026, 2, 1), tabel)
    m = sats("KTH", "forhoejet_sats", D(2026, 2, 1)) + sats("KTH", "tillaeg_enlig_ikke_forsoerger", D(2026, 2, 1))
    assert r["dage"] == 19
    assert r["beloeb"] == kr(m * 19 / 28)


def test_age_30_mid_month_splits_the_month(tabel):
    f = PersonFakta(cpr="1501970000", foedselsdato=D(1997, 1, 15))  # 30 on 15-01-2027
    r = beregning.beregn(grundlag(f), D(2027, 1, 1), tabel)
    d = D(2027, 1, 1)
    t = sats("KTH", "tillaeg_enlig_ikke_forsoerger", d)
    expected = (sats("KTH", "grundsats", d) + t) * 14 / 31 + (sats("KTH", "forhoejet_sats", d) + t) * 17 / 31
    assert r["beloeb"] == kr(expected)
    steps = [s["parameter"] for s in r["forklaring"] if s["regel"].startswith("Sats")]
    assert "grundsats" in steps[0] and "01-01-2027 til 14-01-2027" in steps[0]
    assert "forhoejet_sats" in steps[1] and "15-01-2027 til 31-01-2027" in steps[1]


def test_age_30_mid_month_before_the_reform(tabel):
    f = PersonFakta(cpr="1503950000", foedselsdato=D(1995, 3, 15))
    r = beregning.beregn(grundlag(f), FOER, tabel)
    expected = (sats("KTH", "under30_udeboende", FOER) * 14 / 31
                + sats("KTH", "over30_ikke_forsoerger", FOER) * 17 / 31)
    assert r["beloeb"] == kr(expected)


def test_income_after_fribeloeb_and_other_income(tabel):
    g = grundlag(fakta(EFTER, 40, gift=True), indtaegter=[("loen", Decimal("3000"), "eIndkomst"),
                                                          ("anden", Decimal("500"), "")])
    r = beregning.beregn(g, EFTER, tabel)
    fri = sats("PARAM", "fribeloeb_arbejdsindtaegt", EFTER)
    assert r["fradrag"][0] == {"art": "loen", "beloeb": kr(3000 - fri), "forklaring": r["fradrag"][0]["forklaring"]}
    assert r["fradrag"][1]["beloeb"] == "500.00"
    assert r["beloeb"] == kr(sats("KTH", "forhoejet_sats", EFTER) - (3000 - fri) - 500)


def test_income_never_makes_the_hjaelp_negative(tabel):
    g = grundlag(fakta(EFTER, 40, gift=True), indtaegter=[("anden", Decimal("50000"), "")])
    assert beregning.beregn(g, EFTER, tabel)["beloeb"] == "0.00"


def test_sanktion_days_lapse_and_fixed_amount(tabel):
    g = grundlag(fakta(EFTER, 40, gift=True), sanktioner=[(7, "sanktion", D(2026, 3, 2), D(2026, 3, 4), None, "x")])
    r = beregning.beregn(g, EFTER, tabel)
    s = sats("KTH", "forhoejet_sats", EFTER)
    assert r["beloeb"] == kr(s - s * 3 / 31)
    g = grundlag(fakta(EFTER, 40, gift=True),
                 sanktioner=[(8, "skaerpet", D(2026, 2, 1), D(2026, 4, 30), Decimal("1000"), "x")])
    assert beregning.beregn(g, EFTER, tabel)["beloeb"] == kr(s - 1000)


def test_225_rule_applies_before_and_not_after_the_reform(tabel):
    s225 = [(9, "nedsaettelse_225", D(2025, 6, 1), D(2025, 7, 31), None, "225 timer")]
    juni = beregning.beregn(grundlag(fakta(D(2025, 6, 1), 40), sanktioner=s225), D(2025, 6, 1), tabel)
    assert juni["beloeb"] == kr(sats("KTH", "over30_ikke_forsoerger", D(2025, 6, 1))
                                - sats("PARAM", "nedsaettelse_225_ugift_over30", D(2025, 6, 1)))
    juli = beregning.beregn(grundlag(fakta(D(2025, 7, 1), 40), sanktioner=s225), D(2025, 7, 1), tabel)
    assert any("ikke i kraft" in t["parameter"] for t in juli["forklaring"])
    assert juli["beloeb"] == kr(sats("KTH", "forhoejet_sats", D(2025, 7, 1))
                                + sats("KTH", "tillaeg_enlig_ikke_forsoerger", D(2025, 7, 1)))


def test_225_rule_for_gift_takes_the_whole_hjaelp(tabel):
    s225 = [(9, "nedsaettelse_225", D(2025, 3, 1), D(2025, 3, 31), None, "225 timer")]
    r = beregning.beregn(grundlag(fakta(FOER, 40, gift=True), sanktioner=s225), FOER, tabel)
    assert r["beloeb"] == "0.00"


def test_reform_month_june_vs_july_2025(tabel):
    f = fakta(D(2025, 6, 1), 40)
    juni = beregning.beregn(grundlag(f, yt="UDH"), D(2025, 6, 1), tabel)
    juli = beregning.beregn(grundlag(f, yt="UDH"), D(2025, 7, 1), tabel)
    assert "las_foer_reform" in juni["forklaring"][1]["parameter"]  # fyldt 30: UDH -> KTH § 25, stk. 2
    assert any("bortfaldet pr. 1.7.2025" in t["parameter"] for t in juli["forklaring"])
    assert "reform_2025" in [t for t in juli["forklaring"] if t["regel"].startswith("Sats")][0]["parameter"]
    assert "loft" not in juli


def test_fixed_amount_is_its_one_step(tabel):
    r = beregning.beregn(grundlag(fakta(EFTER, 40), beloeb=Decimal("9000"), fra=D(2026, 3, 11)), EFTER, tabel)
    assert len(r["forklaring"]) == 1 and r["forklaring"][0]["regel"].startswith("Fast beløb")
    assert r["beloeb"] == kr(Decimal(9000) * 21 / 31)


def test_not_paying_month_is_zero(tabel):
    r = beregning.beregn(grundlag(fakta(EFTER, 40), fra=D(2026, 4, 1)), EFTER, tabel)
    assert r["beloeb"] == "0.00" and r["dage"] == 0


def test_unknown_ydelsestype_and_month_without_sats_are_errors(tabel):
    with pytest.raises(beregning.BeregningsFejl) as e:
        beregning.beregn(grundlag(fakta(EFTER, 40), yt="BOS"), EFTER, tabel)
    assert e.value.felt == "ydelsestype"
    with pytest.raises(beregning.BeregningsFejl) as e:  # no HTF rates before the reform are loaded
        beregning.beregn(grundlag(fakta(FOER, 40), yt="HTF"), FOER, tabel)
    assert "ingen sats i kraft" in e.value.tekst and e.value.felt == "maaned"
