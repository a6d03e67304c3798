"""Second review of issue 7: regressions for what the review found (each failed before its fix)."""

import datetime as dt
from decimal import Decimal as D

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from batch.services import run_job
from debitor.underholdsbidrag import beregning as b
from debitor.underholdsbidrag.models import Beregning, Meddelelse, Udbetaling
from tests.underholdsbidrag.test_koersel import AS_OF, SLUG, opret

pytestmark = pytest.mark.django_db
d = dt.date


def test_ratevis_monthly_rates_of_several_bidrag_are_all_kept(satser):
    # seed 004, 3.2.3.1: every bidrag of a ratevis sag is split into six rates. Monthly bidrag computed
    # in one run (past forfaldsdatoer) overlap in their rate months; no rate may be lost.
    sag = opret(forfald="2026-06-02", frek="M", ratevis=True)
    run_job(SLUG, kommune=101, as_of=AS_OF)
    bidrag = list(Beregning.objects.filter(sag=sag, type="bidrag"))
    rater = list(Beregning.objects.filter(sag=sag, type="rate"))
    assert len(bidrag) == 3 and len(rater) == 18
    assert sum(r.beloeb for r in rater) == sum(x.beloeb for x in bidrag)


def test_ratevis_quarterly_rates_across_runs_are_all_kept(satser):
    sag = opret(forfald="2026-08-18", frek="K", ratevis=True)
    run_job(SLUG, kommune=101, as_of=AS_OF)
    run_job(SLUG, kommune=101, as_of=d(2026, 11, 11))  # next forfald 18 Nov
    bidrag = list(Beregning.objects.filter(sag=sag, type="bidrag"))
    rater = list(Beregning.objects.filter(sag=sag, type="rate"))
    assert len(bidrag) == 2 and len(rater) == 12
    assert sum(r.beloeb for r in rater) == sum(x.beloeb for x in bidrag)


def test_broken_period_without_a_whole_month_is_one_rate():
    # seed 004, 3.2.3.1: a broken period at 18 is split into as many rates as it has whole months;
    # with none it is paid as one rate, not six
    post = b.Post("bidrag", 11, d(2026, 1, 2), d(2026, 1, 19), d(2026, 1, 2), D("396.00"), "", D("396.00"), 0)
    rs = b.rateposter(post, post.brudt_maaneder)
    assert [r.beloeb for r in rs] == [D("396.00")]


def test_payout_of_zero_without_a_negative_bp_gives_no_620(satser):
    # seed 004, 3.3.2: advis 620 when the total is ≥ 0 and one or more BP have a negative amount; a
    # payout that nets to 0 within one BP (a conto fradrag = the bidrag) has no negative BP amount
    from tests.underholdsbidrag.test_tf import tf
    sag = opret()
    tf(sag, tf_kode=41, beloeb="-4038.00")
    k = run_job(SLUG, kommune=101, as_of=AS_OF)
    u = Udbetaling.objects.get(koersel=k)
    assert u.beloeb == D("0.00") and u.udbetalingsform == 0  # ≤ 0: kontant
    assert not Meddelelse.objects.filter(koersel=k, nr="620").exists()


def test_payout_with_a_negative_bp_and_positive_total_gives_620(satser):
    from debitor.underholdsbidrag import services
    from debitor.underholdsbidrag.models import Bidragsperson
    sag = opret()
    bp2 = Bidragsperson.objects.create(sag=sag, cpr="0101165234", foedselsdato=d(2016, 1, 1))
    services.registrer_tf(sag, {"bp": bp2.cpr, "tf_kode": 41, "bidragsart": 11, "beloeb": "-100.00"}, as_of=AS_OF)
    k = run_job(SLUG, kommune=101, as_of=AS_OF)
    assert Udbetaling.objects.get(koersel=k).beloeb == D("3938.00")
    assert Meddelelse.objects.filter(koersel=k, nr="620").count() == 1


# ------------------------------------------------------------------ bad input: 400 with a message, nothing stored
URL = "/api/v1/underholdsbidrag/"
BID = {"bidragsart": 11, "bpl": "0202751234", "forfaldsfrekvens": "H", "forfaldsdato": "2026-01-02"}


def _bid(**kw):
    return {**BID, **kw}


@pytest.mark.parametrize("mutate", [
    lambda b: b["bidragspersoner"][0]["bidrag"][0].update(forfaldsfrekvens=["H"]),
    lambda b: b["bidragspersoner"][0]["bidrag"][0].update(bidragsart=32, forfaldsfrekvens={"n": 3}),
    lambda b: b["bidragspersoner"][0].update(bidrag=5),
    lambda b: b.update(bidragspligtige=5),
    lambda b: b.update(bidragspligtige=[{"cpr": "0202751234", "diskretion": "ja"}]),
])
def test_create_with_unusable_types_is_400_and_stores_nothing(api, sagsbehandler, mutate):
    from debitor.underholdsbidrag.models import UBSag
    from tests.underholdsbidrag.conftest import sag_body
    body = sag_body()
    mutate(body)
    r = api.as_user(sagsbehandler).post(URL + "sager/", body, format="json")
    assert r.status_code == 400 and r.json()["fejl"][0]["tekst"], r.content[:300]
    assert not UBSag.objects.exists()


@pytest.mark.parametrize("patch,kode", [
    ({"bidragspersoner": [{"cpr": ["x"]}]}, "ugyldig"),
    ({"bidragspersoner": 5}, "ugyldig"),
    ({"bidragspersoner": [{"cpr": "1505091234", "bidrag": 5}]}, "ugyldig"),
    ({"bidragspersoner": [{"cpr": "1505091234", "bidrag": [_bid(bidragsart=[11])]}]}, None),
    ({"bidragspersoner": [{"cpr": "1505091234", "bidrag": [_bid(bpl=["x"], forfaldsdato="%",
                                                                forfaldsfrekvens="%")]}]}, "173"),
    ({"bidragspersoner": [{"cpr": "1505091234", "bidrag": [_bid(forfaldsfrekvens=["H"])]}]}, "ugyldig"),
    # the same bidrag or BP twice in one transaction (was an IntegrityError)
    ({"bidragspersoner": [{"cpr": "1505091234", "bidrag": [_bid(bidragsart=12), _bid(bidragsart=12)]}]}, "170"),
    ({"bidragspersoner": [{"cpr": "0101165234", "statuskode": 0}, {"cpr": "0101165234", "statuskode": 0}]}, "170"),
    ({"bidragspligtige": [{"cpr": ["x"]}]}, "180"),
    ({"bidragspligtige": 5}, "ugyldig"),
    ({"bidragspligtige": [{"cpr": "0202751234", "afkraevningskommune": "abc"}]}, "ugyldig"),
])
def test_patch_with_unusable_types_is_400_and_changes_nothing(api, sagsbehandler, patch, kode):
    from tests.underholdsbidrag.conftest import sag_body
    c = api.as_user(sagsbehandler)
    pk = c.post(URL + "sager/", sag_body(), format="json").json()["id"]
    before = c.get(URL + f"sager/{pk}/").json()
    r = c.patch(URL + f"sager/{pk}/", patch, format="json")
    assert r.status_code == 400, r.content[:300]
    if kode:
        assert kode in [x["kode"] for x in r.json()["fejl"]], r.json()
    assert c.get(URL + f"sager/{pk}/").json() == before


@pytest.mark.parametrize("method,body", [
    ("patch", {"bidragsart": "abc", "beloeb": "1"}),
    ("patch", {"bidragsart": [11], "beloeb": "1"}),
    ("patch", ["x"]),
    ("post", ["x"]),
])
def test_sats_with_unusable_types_is_400(api, method, body):
    from debitor.underholdsbidrag.models import Sats
    from tests.factories import UserFactory
    Sats.objects.create(bidragsart=11, gyldig_fra=d(2026, 7, 1), beloeb=D("4038.00"))
    c = api.as_user(UserFactory(faggruppe=True))
    r = getattr(c, method)(URL + "satser/", body, format="json")
    assert r.status_code == 400 and r.json()["fejl"][0]["tekst"], r.content[:300]
    assert list(Sats.objects.values_list("beloeb", flat=True)) == [D("4038.00")]


# ------------------------------------------------------------------ kontering (3.5.1.1/3)
PLAN = [
    ("bidrag", None, None, "gruppe"),
    ("bidrag", None, 11, "art11"),
    ("bidrag", "02", None, "kode02"),
    ("bidrag", "02", 11, "kode02-art11"),
]


@pytest.mark.parametrize("plan,kode,art,konto", [
    (PLAN, "02", 11, "kode02-art11"),  # 1) bidragskode and bidragsart
    (PLAN, "02", 12, "kode02"),  # 2) bidragskode without bidragsart
    (PLAN, "03", 11, "art11"),  # 3) bidragsart without bidragskode
    (PLAN, "03", 12, "gruppe"),  # 4) the kontogruppe's account without either
    (PLAN[1:], "03", 12, "99999998-05"),  # no account: the fejl-konto
    (list(reversed(PLAN)), "02", 11, "kode02-art11"),  # the order of the rows does not matter
])
def test_konto_by_the_seeds_order(plan, kode, art, konto):
    # seed 004, 3.5.1.1/3 Udkontering: the account with the greatest match, bidragskode before bidragsart
    from debitor.underholdsbidrag.koersel import konto_for
    assert konto_for(plan, "bidrag", kode, art) == konto


def test_advis_634_when_the_bidragskode_changes(satser):
    # seed 004, 3.2.3.1: advis when the bidragskode differs from the latest calculation's
    from debitor.underholdsbidrag.models import Bidrag, Bidragsperson
    sag = opret(frek="M")
    k1 = run_job(SLUG, kommune=101, as_of=AS_OF)
    assert not Meddelelse.objects.filter(koersel=k1, nr="634").exists()
    assert Bidrag.objects.get(bp__sag=sag).bidragskode == "03"
    Bidragsperson.objects.filter(sag=sag).update(ab_kode=3)  # kommunen indtrådt: 02
    k2 = run_job(SLUG, kommune=101, as_of=d(2026, 9, 16))
    m = Meddelelse.objects.get(koersel=k2, nr="634")
    assert "03 → 02" in m.tekst
    assert Beregning.objects.get(sag=sag, forfaldsdato=d(2026, 9, 18), type="bidrag").bidragskode == "02"
    k3 = run_job(SLUG, kommune=101, as_of=d(2026, 10, 14))
    assert not Meddelelse.objects.filter(koersel=k3, nr="634").exists()


def test_form_shows_a_plain_fejl_without_a_fejlnr(client, sagsbehandler):
    # a fejl without a seed number is shown as "Fejl", not as "Fejlnr. ugyldig"
    client.force_login(sagsbehandler)
    r = client.post("/underholdsbidrag/ny/", {"kommune": "101", "bb_cpr": "0101801234", "bp_cpr": "1505155234",
                                              "bb_statuskode": "x"})
    html = r.content.decode()
    assert r.status_code == 200 and "Skal være et heltal 0–9." in html
    assert "Fejlnr. ugyldig" not in html and "Fejl (bb.statuskode)" in html
    r = client.post("/underholdsbidrag/ny/", {"kommune": "751", "bb_cpr": "0101801234", "bp_cpr": "1505155234"})
    assert "Fejlnr. 190 (kommune)" in r.content.decode()


@pytest.mark.parametrize("method,body", [
    ("post", {"bidragsart": 11, "gyldig_fra": "2027-07-01", "beloeb": "-4100.00"}),
    ("post", {"bidragsart": 11, "gyldig_fra": "2027-07-01", "beloeb": "0"}),
    ("patch", {"bidragsart": 11, "beloeb": "-1"}),
])
def test_sats_must_be_positive(api, method, body):
    from debitor.underholdsbidrag.models import Sats
    from tests.factories import UserFactory
    Sats.objects.create(bidragsart=11, gyldig_fra=d(2026, 7, 1), beloeb=D("4038.00"))
    r = getattr(api.as_user(UserFactory(faggruppe=True)), method)(URL + "satser/", body, format="json")
    assert r.status_code == 400 and r.json()["fejl"][0]["tekst"] == "Satsen skal være større end 0."
    assert list(Sats.objects.values_list("beloeb", "gyldig_til")) == [(D("4038.00"), None)]


def test_afkraevningskommune_is_the_sags_bpl_individ(satser):
    # seed 004, 3.4.2/4: the registered afkrævningskommune, else the sagskommune. The BPL individ belongs
    # to the sag, so one BPL on two sager with different registrations gives two claims.
    from debitor.underholdsbidrag.models import Afkraevning, Bidragspligtig
    s1 = opret()
    s2 = opret(bb="0202801234", bp="0101165234")
    Bidragspligtig.objects.filter(sag=s2).update(afkraevningskommune=751)
    for _ in range(2):  # whichever sag the lookup meets first
        Bidragspligtig.objects.filter(sag=s1).update(afkraevningskommune=None)
        k = run_job(SLUG, kommune=101, as_of=AS_OF)
        afk = sorted(Afkraevning.objects.filter(koersel=k).values_list("afkraevningskommune", "beloeb"))
        assert afk == [(101, D("4038.00")), (751, D("4038.00"))]
        Beregning.objects.all().delete()
        from debitor.underholdsbidrag.models import Bidrag
        Bidrag.objects.update(forfaldsdato=d(2026, 8, 18), forrige_forfaldsdato=None)
        s1, s2 = s2, s1
        Bidragspligtig.objects.filter(sag=s2).update(afkraevningskommune=751)


@pytest.mark.parametrize("data,kode,tekst", [
    # art 13 without amount needs the BP's art-13 procentsats
    ({"bidragsart": 13, "fra_dato": "2026-01-01", "til_dato": "2026-03-31"}, "ugyldig", "procentsats"),
    # no sats for art 12 at all: the fra-dato is before its oldest sats period
    ({"bidragsart": 12, "fra_dato": "2026-01-01", "til_dato": "2026-03-31"}, "158", "Fra-dato"),
    # art 11's satser start 2025-07-01
    ({"bidragsart": 11, "fra_dato": "2025-06-01", "til_dato": "2025-08-31"}, "158", "Fra-dato"),
])
def test_tf_without_amount_that_cannot_be_computed_is_refused_at_registration(api, sagsbehandler, satser,
                                                                               data, kode, tekst):
    from debitor.underholdsbidrag.models import Sats, TillaegFradrag
    Sats.objects.create(bidragsart=31, gyldig_fra=d(2020, 1, 1), beloeb=D("5000.00"))  # the oldest sats
    sag = opret(bp="1505091234")
    r = api.as_user(sagsbehandler).post(URL + f"sager/{sag.pk}/tillaeg-fradrag/",
                                        {"bp": "1505091234", "tf_kode": 31, **data}, format="json")
    assert r.status_code == 400, r.json()
    f = r.json()["fejl"][0]
    assert f["kode"] == kode and tekst in f["tekst"], f
    assert not TillaegFradrag.objects.exists()


def test_sag_page_and_api_query_counts_do_not_grow_with_the_sag(client, api, sagsbehandler, satser):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from debitor.underholdsbidrag import services
    from debitor.underholdsbidrag.models import Bidrag, Bidragsperson

    sag = opret(frek="M")
    run_job(SLUG, kommune=101, as_of=AS_OF)
    client.force_login(sagsbehandler)
    c = api.as_user(sagsbehandler)

    def count():
        with CaptureQueriesContext(connection) as q:
            assert client.get(f"/underholdsbidrag/{sag.pk}/").status_code == 200
            assert c.get(URL + f"sager/{sag.pk}/").status_code == 200
            assert c.get(URL + f"sager/{sag.pk}/beregninger/").status_code == 200
            assert c.get(URL + f"sager/{sag.pk}/tillaeg-fradrag/").status_code == 200
            assert c.get(URL + "sager/").status_code == 200
        return len(q.captured_queries)
    count()  # warm up (session, first access-log rows)
    small = count()
    for i in range(4):
        bp = Bidragsperson.objects.create(sag=sag, cpr=f"0{i + 1}0116{i}234", foedselsdato=d(2016, 1, 1))
        Bidrag.objects.create(kommune_id=101, bp=bp, bidragsart=11, bpl_cpr="0202751234",
                              forfaldsdato=d(2026, 8, 3), forfaldsfrekvens="M")
        services.registrer_tf(sag, {"bp": bp.cpr, "tf_kode": 31, "bidragsart": 11, "beloeb": "10"}, as_of=AS_OF)
    run_job(SLUG, kommune=101, as_of=d(2026, 9, 16))
    opret(bb="0202801234", bp="0101175234")
    assert count() == small


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from(["M", "K", "H", "A"]), st.integers(0, 90), st.sampled_from(["1505155234", "1505085234"]))
def test_ratevis_rates_reconcile_with_the_bidrag_over_several_runs(satser, frek, off, bp):
    # every ratevis bidrag (claimed in full) is paid exactly by its rates, whatever the frequency, also
    # when the bidrag's rate months overlap and across runs; a BP born 2008 meets the broken period at 18
    from django.db import transaction
    with transaction.atomic():
        sag = opret(forfald=(d(2026, 5, 1) + dt.timedelta(days=off)).isoformat(), frek=frek, ratevis=True, bp=bp)
        for uger in (0, 4, 8, 12):
            k = run_job(SLUG, kommune=101, as_of=AS_OF + dt.timedelta(weeks=uger))
            assert k.status == "succeeded", k.log
        bidrag = Beregning.objects.filter(sag=sag, type="bidrag")
        rater = Beregning.objects.filter(sag=sag, type="rate")
        assert sum(r.beloeb for r in rater) == sum(x.beloeb for x in bidrag)
        assert all(not x.udbetales and x.afkraeves for x in bidrag)
        transaction.set_rollback(True)


def test_158_compares_with_the_oldest_sats_of_the_tfs_own_art(api, sagsbehandler, satser):
    # seed 004, 3.2.3.2 fejl 158: art 32's satser start 2025-01-01, art 11's 2025-07-01
    from debitor.underholdsbidrag.models import TillaegFradrag
    sag = opret(bp="1505091234")
    c = api.as_user(sagsbehandler)
    url = URL + f"sager/{sag.pk}/tillaeg-fradrag/"
    tf = {"bp": "1505091234", "tf_kode": 31, "beloeb": "100.00", "fra_dato": "2025-03-01",
          "til_dato": "2025-03-31"}
    r = c.post(url, {**tf, "bidragsart": 11}, format="json")  # before art 11's oldest sats
    assert r.status_code == 400 and [f["kode"] for f in r.json()["fejl"]] == ["158"], r.json()
    assert not TillaegFradrag.objects.exists()
    r = c.post(url, {**tf, "bidragsart": 13}, format="json")  # art 13 follows art 11
    assert r.status_code == 400 and [f["kode"] for f in r.json()["fejl"]] == ["158"], r.json()
    r = c.post(url, {**tf, "bidragsart": 32}, format="json")  # after art 32's oldest sats
    assert r.status_code == 201, r.json()
