"""Fejlnr/advisnr of 3.1.1.1–3.1.1.4 and 3.1.1.7 not covered elsewhere, fejl 226 in the run,
anmodning letters (3.2.1), automatic inactivation (3.1.1.5) and the 13-month clean-up (3.1.1.6)."""

import datetime as dt
from decimal import Decimal as D

import pytest

from batch.services import run_job
from debitor.underholdsbidrag import services
from debitor.underholdsbidrag.models import (Anmodning, Anmodningsbrev, Beregning, Bidrag, Bidragsperson,
                                             Bidragspligtig, Meddelelse, TillaegFradrag, UBSag)
from tests.underholdsbidrag.conftest import sag_body
from tests.underholdsbidrag.test_koersel import AS_OF, SLUG, opret

URL = "/api/v1/underholdsbidrag/"
pytestmark = pytest.mark.django_db
d = dt.date


def kode(resp):
    return [f["kode"] for f in resp.json()["fejl"]]


def advisnr(resp):
    return [a["nr"] for a in resp.json()["advis"]]


def to_bp_body():
    body = sag_body()
    body["bidragspersoner"].append(
        {"cpr": "0101125234", "statuskode": 0, "ab_kode": 0,
         "bidrag": [{"bidragsart": 11, "bpl": "0303701234", "forfaldsdato": "2026-09-02", "forfaldsfrekvens": "H"}]})
    return body


# ------------------------------------------------------------------ stamdata (3.1.1.1–3.1.1.4)
def test_190_other_kommune_and_171_173(api, sagsbehandler):
    c = api.as_user(sagsbehandler)
    r = c.post(URL + "sager/", sag_body(kommune=751), format="json")
    assert r.status_code == 400 and kode(r) == ["190"] and not UBSag.objects.exists()
    pk = c.post(URL + "sager/", sag_body(), format="json").json()["id"]
    r = c.patch(URL + f"sager/{pk}/", {"bb": {"cpr": "0505801234"}}, format="json")
    assert kode(r) == ["171"]
    r = c.patch(URL + f"sager/{pk}/", {"bidragspersoner": [{"cpr": "0909091234", "slet": True}]}, format="json")
    assert kode(r) == ["173"]


def test_373_active_bp_on_inactive_bb(api, sagsbehandler):
    body = sag_body()
    body["bb"]["statuskode"] = 1
    r = api.as_user(sagsbehandler).post(URL + "sager/", body, format="json")
    assert r.status_code == 201 and advisnr(r) == ["373"]
    assert r.json()["bidragspersoner"][0]["statuskode"] == 9
    assert Meddelelse.objects.filter(nr="373").exists()


def test_341_udbetalingsform_from_1(api, sagsbehandler):
    from debitor.underholdsbidrag.models import Tilslutning
    Tilslutning.objects.create(kommune_id=101, pbs_start=d(2020, 1, 1))  # else 370 makes it kontant
    body = sag_body()
    body["bb"].update(udbetalingsform=1, regnr="1234", kontonr="12345678")
    c = api.as_user(sagsbehandler)
    pk = c.post(URL + "sager/", body, format="json").json()["id"]
    r = c.patch(URL + f"sager/{pk}/", {"bb": {"udbetalingsform": 0}}, format="json")
    assert r.status_code == 200 and advisnr(r) == ["341"]
    assert r.json()["bb"]["regnr"] is None and r.json()["bb"]["kontonr"] is None


def test_802_and_193_deleting_a_bp(api, sagsbehandler):
    c = api.as_user(sagsbehandler)
    pk = c.post(URL + "sager/", to_bp_body(), format="json").json()["id"]
    c.patch(URL + f"sager/{pk}/", {"bidragspersoner": [{"cpr": "0101125234", "statuskode": 8}]}, format="json")
    Bidragsperson.objects.filter(cpr="0101125234").update(tilgodehavende_bb=D("12.50"))
    r = c.patch(URL + f"sager/{pk}/", {"bidragspersoner": [{"cpr": "0101125234", "slet": True}]}, format="json")
    assert r.status_code == 400 and kode(r) == ["193"]
    assert Bidragsperson.objects.filter(cpr="0101125234").exists()
    Bidragsperson.objects.filter(cpr="0101125234").update(tilgodehavende_bb=0)
    r = c.patch(URL + f"sager/{pk}/", {"bidragspersoner": [{"cpr": "0101125234", "slet": True}]}, format="json")
    assert r.status_code == 200 and "802" in advisnr(r) and "803" in advisnr(r)
    assert [bp["cpr"] for bp in r.json()["bidragspersoner"]] == ["1505091234"]


def test_193_deleting_an_inactive_sag_with_tilgodehavende(api, sagsbehandler):
    c = api.as_user(sagsbehandler)
    pk = c.post(URL + "sager/", sag_body(), format="json").json()["id"]
    c.patch(URL + f"sager/{pk}/", {"bidragspersoner": [{"cpr": "1505091234", "statuskode": 8}]}, format="json")
    Bidragsperson.objects.filter(sag_id=pk).update(tilgodehavende_off=D("1.00"))
    r = c.delete(URL + f"sager/{pk}/")
    assert r.status_code == 400 and kode(r) == ["193"] and UBSag.objects.filter(pk=pk).exists()


def test_177_last_bp_and_179_bp_on_inactive_sag(api, sagsbehandler):
    c = api.as_user(sagsbehandler)
    pk = c.post(URL + "sager/", sag_body(), format="json").json()["id"]
    # 177: an active BB whose only BP is inactive (e.g. set by the register) cannot lose that BP
    Bidragsperson.objects.filter(sag_id=pk).update(statuskode=8)
    r = c.patch(URL + f"sager/{pk}/", {"bidragspersoner": [{"cpr": "1505091234", "slet": True}]}, format="json")
    assert kode(r) == ["177"]
    # 179: igangsætning of the BP on an inactive sag without igangsætning of the BB
    UBSag.objects.filter(pk=pk).update(bb_statuskode=9)
    r = c.patch(URL + f"sager/{pk}/", {"bidragspersoner": [{"cpr": "1505091234", "statuskode": 0}]}, format="json")
    assert kode(r) == ["179"]
    assert Bidragsperson.objects.get(sag_id=pk).statuskode == 8
    # with the BB it is a genoptagelse
    r = c.patch(URL + f"sager/{pk}/", {"bb": {"statuskode": 0},
                                       "bidragspersoner": [{"cpr": "1505091234", "statuskode": 0}]}, format="json")
    assert r.status_code == 200 and r.json()["bb"]["statuskode"] == 0


# ------------------------------------------------------------------ T/F and anmodninger (3.1.1.7)
def test_188_omraade_on_tf_and_anmodning(api, sagsbehandler, satser):
    c = api.as_user(sagsbehandler)
    pk = c.post(URL + "sager/", sag_body(), format="json").json()["id"]
    r = c.post(URL + f"sager/{pk}/tillaeg-fradrag/", {"omraade": 2, "bp": "1505091234", "tf_kode": 31,
                                                       "bidragsart": 11, "beloeb": "1.00"}, format="json")
    assert kode(r) == ["188"]
    r = c.post(URL + f"sager/{pk}/anmodninger/", {"omraade": 2, "bp": "1505091234", "bidragsart": 11,
                                                   "forfaldsdato": "2026-01-02"}, format="json")
    assert "188" in kode(r)
    r = c.post(URL + f"sager/{pk}/tillaeg-fradrag/", {"omraade": 1, "bp": "1505091234", "tf_kode": 31,
                                                       "bidragsart": 11, "beloeb": "1.00"}, format="json")
    assert r.status_code == 201 and advisnr(r) == ["900"]
    assert not TillaegFradrag.objects.filter(beloeb__isnull=True).exists()


def test_189_maskinel_tf_against_primo(api, sagsbehandler, satser):
    c = api.as_user(sagsbehandler)
    pk = c.post(URL + "sager/", sag_body(), format="json").json()["id"]
    url = URL + f"sager/{pk}/tillaeg-fradrag/"

    def maskinel(beloeb, modtager=1):
        return c.post(url, {"maskinel": True, "omraade": 99, "bp": "1505091234", "tf_kode": 11, "bidragsart": 11,
                            "beloeb": beloeb, "beloebsmodtager": modtager}, format="json")
    # a new BP has no primo individ (240) until the weekly run: all rejected, negative too
    assert kode(maskinel("-5.00")) == ["189"]
    run_job(SLUG, kommune=101, as_of=AS_OF)
    assert kode(maskinel("10.00")) == ["189"]  # primo 0
    assert maskinel("-5.00").status_code == 201  # negatives always pass (no 188 for maskinelle)
    Bidragsperson.objects.filter(sag_id=pk).update(primo_bb=D("100.00"))
    assert maskinel("60.00").status_code == 201
    assert kode(maskinel("50.00")) == ["189"]  # 60 + 50 > 100
    assert maskinel("40.00").status_code == 201  # 60 + 40 = 100
    assert kode(maskinel("1.00", modtager=0)) == ["189"]  # det offentliges primo is 0
    assert TillaegFradrag.objects.filter(maskinel=True).count() == 3


def test_192_218_tf(api, sagsbehandler, satser):
    c = api.as_user(sagsbehandler)
    pk = c.post(URL + "sager/", to_bp_body(), format="json").json()["id"]
    url = URL + f"sager/{pk}/tillaeg-fradrag/"
    c.patch(URL + f"sager/{pk}/", {"bidragspersoner": [{"cpr": "0101125234", "statuskode": 8}]}, format="json")
    r = c.post(url, {"bp": "0101125234", "tf_kode": 31, "bidragsart": 11, "beloeb": "1", "dato": "2026-09-01"},
               format="json")
    assert kode(r) == ["192"]
    for _ in range(50):
        assert c.post(url, {"bp": "1505091234", "tf_kode": 31, "bidragsart": 11, "beloeb": "1"},
                      format="json").status_code == 201
    r = c.post(url, {"bp": "1505091234", "tf_kode": 31, "bidragsart": 11, "beloeb": "1"}, format="json")
    assert kode(r) == ["218"] and TillaegFradrag.objects.count() == 50


def test_tf_bad_input_changes_nothing(api, sagsbehandler, satser):
    c = api.as_user(sagsbehandler)
    pk = c.post(URL + "sager/", sag_body(), format="json").json()["id"]
    url = URL + f"sager/{pk}/tillaeg-fradrag/"
    for body in ({"bp": "1505091234", "tf_kode": 71, "bidragsart": 11, "beloeb": "1"},
                 {"bp": "1505091234", "tf_kode": 31, "bidragsart": 11},  # neither amount nor period
                 {"bp": "1505091234", "tf_kode": 31, "bidragsart": 21, "fra_dato": "2026-01-01",
                  "til_dato": "2026-02-01"}):  # art 21 has no sats
        r = c.post(url, body, format="json")
        assert r.status_code == 400 and r.json()["fejl"][0]["tekst"], body
    assert not TillaegFradrag.objects.exists()


def test_186_223_901_anmodninger(api, sagsbehandler, satser):
    c = api.as_user(sagsbehandler)
    body = to_bp_body()
    body["bidragspersoner"][0]["bidrag"][0].update(bidragsart=21, fast_bidrag="500.00", forfaldsfrekvens="M")
    pk = c.post(URL + "sager/", body, format="json").json()["id"]
    url = URL + f"sager/{pk}/anmodninger/"
    for k in range(9):
        r = c.post(url, {"bp": "1505091234", "bidragsart": 21, "forfaldsdato": f"2026-{k + 1:02d}-02"},
                   format="json")
        assert r.status_code == 201 and advisnr(r) == ["901"], r.json()
    r = c.post(url, {"bp": "1505091234", "bidragsart": 21, "forfaldsdato": "2026-10-02"}, format="json")
    assert kode(r) == ["223"]
    c.patch(URL + f"sager/{pk}/", {"bidragspersoner": [{"cpr": "0101125234", "statuskode": 8}]}, format="json")
    r = c.post(url, {"bp": "0101125234", "bidragsart": 11, "forfaldsdato": "2026-09-02"}, format="json")
    assert "186" in kode(r)
    assert Anmodning.objects.count() == 9


# ------------------------------------------------------------------ the weekly run
def test_226_bidrag_that_do_not_combine(satser):
    alene13 = opret(art=13, procentsats="50", bb="0101801234", bp="1505155234")
    med11 = opret(bb="0202801234", bp="0101165234")
    services.aendr_sag(med11, {"bidragspersoner": [{"cpr": "0101165234", "bidrag": [
        {"bidragsart": 13, "bpl": "0202751234", "forfaldsdato": "2026-08-18", "forfaldsfrekvens": "H",
         "procentsats": "50"}]}]})
    blandet = opret(bb="0303801234", bp="0202165234")
    services.aendr_sag(blandet, {"bidragspersoner": [{"cpr": "0202165234", "bidrag": [
        {"bidragsart": 21, "bpl": "0202751234", "forfaldsdato": "2026-08-18", "forfaldsfrekvens": "M",
         "fast_bidrag": "100.00"}]}]})
    k = run_job(SLUG, kommune=101, as_of=AS_OF)
    fejl = Meddelelse.objects.filter(koersel=k, art="fejl", nr="226")
    assert {m.sag_id for m in fejl} == {alene13.pk, blandet.pk}
    assert not Bidrag.objects.filter(bp__sag__in=[alene13, blandet], forfaldsdato__isnull=False).exists()
    assert not Beregning.objects.filter(sag__in=[alene13, blandet]).exists()
    # 11 with 13 combine (13 itself needs an anmodning: "any other art")
    assert Beregning.objects.filter(sag=med11, bidragsart=11).exists()
    assert Bidrag.objects.get(bp__sag=med11, bidragsart=13).forfaldsdato == d(2026, 8, 18)
    k2 = run_job(SLUG, kommune=101, as_of=AS_OF)
    assert not Meddelelse.objects.filter(koersel=k2, nr="226").exists()  # stopped: reported once


def test_704_income_over_three_times(satser):
    sag = opret(bp="1505155234")
    bp = sag.bidragspersoner.get()
    Bidragsperson.objects.filter(pk=bp.pk).update(indtaegt=D("20000.00"))
    Anmodning.objects.create(sag=sag, bp=bp, bidragsart=11, forfaldsdato=d(2026, 8, 18))
    k = run_job(SLUG, kommune=101, as_of=AS_OF)
    assert Meddelelse.objects.filter(koersel=k, nr="704").exists()
    r = Beregning.objects.get(sag=sag, type="bidrag")
    assert r.bidragskode == "01" and not r.udbetales and r.afkraeves


def test_anmodning_letters_five_weeks_ahead(satser):
    # production week 33 (10–16 Aug 2026): the letter week is week 38, 14–20 Sep
    over15 = opret(forfald="2026-09-15", bp="1505105234", bb="0101801234")
    under15 = opret(forfald="2026-09-15", bp="1505155234", bb="0202801234")
    maaned = opret(forfald="2026-07-15", art=21, frek="M", fast_bidrag="300.00", bp="0101165234",
                   bb="0303801234")
    haag = opret(forfald="2026-09-20", bp="0202165234", bb="0404801234")
    Bidragsperson.objects.filter(sag=haag).update(ab_kode=8)
    efter = opret(forfald="2026-09-21", art=21, frek="M", fast_bidrag="1.00", bp="0303165234", bb="0505801234")
    k = run_job(SLUG, kommune=101, as_of=AS_OF)
    breve = {(x.sag_id, x.forfaldsdato) for x in Anmodningsbrev.objects.filter(koersel=k)}
    assert breve == {(over15.pk, d(2026, 9, 15)), (maaned.pk, d(2026, 9, 15)), (haag.pk, d(2026, 9, 20))}
    assert under15.pk and efter.pk
    assert Meddelelse.objects.filter(koersel=k, nr="631", sag=over15).count() == 1
    assert Bidragsperson.objects.get(sag=over15).advis_631_givet
    k2 = run_job(SLUG, kommune=101, as_of=AS_OF)
    assert not Anmodningsbrev.objects.filter(koersel=k2).exists()
    assert not Meddelelse.objects.filter(koersel=k2, nr="631").exists()


def test_anmodning_letters_in_koersel_api(api, sagsbehandler, satser):
    opret(forfald="2026-09-15", bp="1505105234")
    k = run_job(SLUG, kommune=101, as_of=AS_OF)
    out = api.as_user(sagsbehandler).get(URL + f"koersler/{k.pk}/").json()
    assert [(x["bp"], x["forfaldsdato"]) for x in out["anmodningsbreve"]] == [("1505105234", "2026-09-15")]


def test_automatic_inactivation(satser):
    stoppet = opret(forfald="2026-12-01", bb="0101801234", bp="1505155234")
    Bidrag.objects.filter(bp__sag=stoppet).update(forfaldsdato=None, virkningsdato=d(2026, 5, 1))
    Bidragsperson.objects.filter(sag=stoppet).update(virkningsdato=d(2026, 5, 1))
    roert = opret(forfald="2026-12-01", bb="0202801234", bp="0101165234")
    Bidrag.objects.filter(bp__sag=roert).update(forfaldsdato=None, virkningsdato=d(2026, 8, 1))
    Bidragsperson.objects.filter(sag=roert).update(virkningsdato=d(2026, 5, 1))
    tilgode = opret(forfald="2026-12-01", bb="0303801234", bp="0202165234")
    Bidrag.objects.filter(bp__sag=tilgode).update(forfaldsdato=None, virkningsdato=d(2026, 5, 1))
    Bidragsperson.objects.filter(sag=tilgode).update(virkningsdato=d(2026, 5, 1), tilgodehavende_bb=D("5.00"))
    fremtid = opret(forfald="2026-12-01", bb="0404801234", bp="0303165234")
    Bidrag.objects.filter(bp__sag=fremtid).update(forfaldsdato=None, virkningsdato=d(2026, 5, 1))
    Bidragsperson.objects.filter(sag=fremtid).update(virkningsdato=d(2026, 5, 1))
    TillaegFradrag.objects.create(sag=fremtid, bp=fremtid.bidragspersoner.get(), tf_kode=31, bidragsart=11,
                                  beloeb=D(1), dato=d(2026, 10, 1))
    loebende = opret(forfald="2026-12-01", bb="0505801234", bp="0404165234")
    Bidragsperson.objects.filter(sag=loebende).update(virkningsdato=d(2026, 5, 1))
    k = run_job(SLUG, kommune=101, as_of=AS_OF)
    status = {s.pk: (s.bb_statuskode, s.bidragspersoner.get().statuskode) for s in UBSag.objects.all()}
    assert status[stoppet.pk] == (9, 8)
    assert status[roert.pk] == status[tilgode.pk] == status[fremtid.pk] == status[loebende.pk] == (0, 0)
    assert UBSag.objects.get(pk=stoppet.pk).inaktiv_siden == AS_OF
    assert "inaktiveret_bp=1" in k.log and "inaktiveret_bb=1" in k.log


def test_clean_up_after_13_months(satser):
    gammel = opret(forfald="2026-12-01", bb="0101801234", bp="1505155234")
    tilgode = opret(forfald="2026-12-01", bb="0202801234", bp="0101165234")
    nylig_betalt = opret(forfald="2026-12-01", bb="0303801234", bp="0202165234")
    for s in (gammel, tilgode, nylig_betalt):
        UBSag.objects.filter(pk=s.pk).update(bb_statuskode=9, inaktiv_siden=d(2025, 6, 1))
        Bidragsperson.objects.filter(sag=s).update(statuskode=8, inaktiv_siden=d(2025, 6, 1))
        Bidrag.objects.filter(bp__sag=s).update(forfaldsdato=None)
    Bidragsperson.objects.filter(sag=tilgode).update(tilgodehavende_off=D("10.00"))
    Bidragsperson.objects.filter(sag=nylig_betalt).update(tilgodehavende_dato=d(2026, 1, 5))
    # an active sag with a second BP inactive for 13 months (own BPL)
    aktiv = services.opret_sag(user_kommuner=None, data={**to_bp_body(), "bb": {**sag_body()["bb"],
                                                                                 "cpr": "0404801234"}})[0]
    Bidragsperson.objects.filter(sag=aktiv, cpr="0101125234").update(statuskode=8, inaktiv_siden=d(2025, 7, 1))
    k = run_job(SLUG, kommune=101, as_of=AS_OF)
    assert not UBSag.objects.filter(pk=gammel.pk).exists()
    assert UBSag.objects.filter(pk__in=[tilgode.pk, nylig_betalt.pk, aktiv.pk]).count() == 3
    assert list(aktiv.bidragspersoner.values_list("cpr", flat=True)) == ["1505091234"]
    assert list(Bidragspligtig.objects.filter(sag=aktiv).values_list("cpr", flat=True)) == ["0202751234"]
    nr = {m.nr: m for m in Meddelelse.objects.filter(koersel=k)}
    assert {"601", "800", "801"} <= set(nr)
    assert nr["601"].sag_id is None and "0101801234" in nr["601"].tekst
    assert "0303701234" in nr["801"].tekst


def test_brugeradvis_163_and_in_run(api, sagsbehandler, satser, client):
    c = api.as_user(sagsbehandler)
    r = c.post(URL + "sager/", sag_body(brugeradvis={"tekst": "Ring til BB"}), format="json")
    assert r.status_code == 400 and kode(r) == ["163"] and not UBSag.objects.exists()
    r = c.post(URL + "sager/", sag_body(brugeradvis={"tekst": "%", "dato": "2026-08-20", "frekvens": "M"}),
               format="json")
    assert kode(r) == ["163"]
    r = c.post(URL + "sager/", sag_body(brugeradvis={"tekst": "Ring til BB", "dato": "2026-08-20",
                                                     "frekvens": "M"}), format="json")
    assert r.status_code == 201 and r.json()["brugeradvis"]["dato"] == "2026-08-20"
    pk = r.json()["id"]
    k = run_job(SLUG, kommune=101, as_of=AS_OF)
    m = Meddelelse.objects.get(koersel=k, nr="211")
    assert m.sag_id == pk and "Ring til BB" in m.tekst
    assert UBSag.objects.get(pk=pk).brugeradvis_dato == d(2026, 9, 20)  # moved on by the frekvens
    r = c.patch(URL + f"sager/{pk}/", {"brugeradvis": {"tekst": "Ny tekst"}}, format="json")
    assert r.json()["brugeradvis"] == {"tekst": "Ny tekst", "frekvens": "M", "dato": "2026-09-20"}
    client.force_login(sagsbehandler)
    page = client.get(f"/underholdsbidrag/{pk}/").content.decode()
    assert "Ny tekst" in page and "Tilgodehavende BB" in page and "Anmodningsbreve" in page
    r = c.patch(URL + f"sager/{pk}/", {"brugeradvis": {"tekst": "%", "frekvens": "%"}}, format="json")
    assert r.status_code == 200 and r.json()["brugeradvis"] is None


def test_612_no_letter_when_the_kommune_is_recipient(satser, monkeypatch):
    """Unreachable under the contract's two tables (every A/B-kode giving bidragskode 02 needs no
    anmodning); the rule is kept and tested with the bidragskode table patched."""
    from debitor.underholdsbidrag import beregning
    sag = opret(forfald="2026-09-15", bp="1505105234")
    monkeypatch.setattr(beregning, "bidragskode", lambda ab, art, over: "02")
    k = run_job(SLUG, kommune=101, as_of=AS_OF)
    assert Meddelelse.objects.filter(koersel=k, nr="612", sag=sag).exists()
    assert not Anmodningsbrev.objects.exists()
