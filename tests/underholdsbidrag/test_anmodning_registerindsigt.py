"""Issue 7 (seed 004): the anmodning count after calculation and advis 633 (3.2.2/4), surplus
anmodninger of an inactivated BP (3.1.1.3/3, 3.1.1.5), fejl 279 (3.1.1.3) and registerindsigt with
fejl 195 (3.1.1.1, 3.1.2/2, 3.9.2)."""

import datetime as dt

import pytest

from batch.services import run_job
from cases.models import Adgangslog, Person
from debitor.underholdsbidrag import services
from debitor.underholdsbidrag.models import (Adresse, Anmodning, Beregning, Bidrag, Bidragsperson, Bidragspligtig,
                                             Meddelelse, Registerindsigt, UBSag)
from tests.underholdsbidrag.conftest import sag_body
from tests.underholdsbidrag.test_koersel import AS_OF, SLUG, opret

URL = "/api/v1/underholdsbidrag/"
pytestmark = pytest.mark.django_db
d = dt.date


def kode(resp):
    return [f["kode"] for f in resp.json()["fejl"]]


def advisnr(resp):
    return [a["nr"] for a in resp.json()["advis"]]


def anmod(sag, *datoer, art=11):
    bp = sag.bidragspersoner.get()
    for x in datoer:
        Anmodning.objects.create(sag=sag, bp=bp, bidragsart=art, forfaldsdato=x)


# ------------------------------------------------------------------ 3.2.2/4 nedskrivning, advis 633
def test_633_surplus_deleted_when_next_forfald_is_after_the_anmodningsuge(satser):
    # production week 33: anmodningsuge = week 38 (from 14 Sep 2026); next forfald 2027-02-18 is later
    sag = opret(bp="1505095234")  # 17 years old: art 11 needs anmodning
    anmod(sag, d(2026, 8, 18), d(2027, 2, 18))
    k = run_job(SLUG, kommune=101, as_of=AS_OF)
    assert Beregning.objects.filter(sag=sag, type="bidrag").count() == 1
    assert list(Anmodning.objects.values_list("forfaldsdato", "brugt_af")) == [(d(2026, 8, 18), k.pk)]
    m = Meddelelse.objects.get(koersel=k, nr="633")
    assert m.sag_id == sag.pk and m.art == "advis" and "2027-02-18" in m.tekst
    assert m.tekst.startswith("Overskydende anmodninger er slettet")


def test_633_one_anmodning_kept_when_next_forfald_is_before_the_anmodningsuge(satser):
    # monthly art 21 (needs anmodning: "any other art"): next forfald 2026-09-10 < 2026-09-14
    sag = opret(art=21, frek="M", fast_bidrag="300.00", forfald="2026-08-10")
    anmod(sag, d(2026, 8, 10), d(2026, 9, 10), d(2026, 10, 10), art=21)
    k = run_job(SLUG, kommune=101, as_of=AS_OF)
    assert Beregning.objects.filter(sag=sag, type="bidrag").count() == 1
    assert {(a.forfaldsdato, a.brugt_af_id) for a in Anmodning.objects.all()} == {
        (d(2026, 8, 10), k.pk), (d(2026, 9, 10), None)}
    m = Meddelelse.objects.get(koersel=k, nr="633")
    assert "2026-10-10" in m.tekst and "2026-09-10" not in m.tekst
    # the kept anmodning is used by the run of the week the next forfald falls due
    k2 = run_job(SLUG, kommune=101, as_of=d(2026, 9, 2))
    assert Anmodning.objects.get(forfaldsdato=d(2026, 9, 10)).brugt_af_id == k2.pk
    assert not Meddelelse.objects.filter(koersel=k2, nr="633").exists()


def test_no_633_when_nothing_is_surplus(satser):
    kept = opret(art=21, frek="M", fast_bidrag="300.00", forfald="2026-08-10", bp="1505155234")
    anmod(kept, d(2026, 8, 10), d(2026, 9, 10), art=21)
    exact = opret(bp="1505095234", bb="0202801234")
    anmod(exact, d(2026, 8, 18))
    k = run_job(SLUG, kommune=101, as_of=AS_OF)
    assert Beregning.objects.filter(sag__in=[kept, exact], type="bidrag").count() == 2
    assert Anmodning.objects.count() == 3
    assert not Meddelelse.objects.filter(nr="633").exists()
    assert k.pk


def test_two_bpl_share_the_bps_anmodninger(satser):
    """Two bidrag of the same art (two BPL) each use their own anmodning, not the same one twice."""
    sag = opret(art=21, frek="M", fast_bidrag="300.00", forfald="2026-08-10")
    services.aendr_sag(sag, {"bidragspersoner": [{"cpr": "1505155234", "bidrag": [
        {"bidragsart": 21, "bpl": "0303701234", "forfaldsdato": "2026-08-10", "forfaldsfrekvens": "M",
         "fast_bidrag": "200.00"}]}]})
    anmod(sag, d(2026, 8, 10), art=21)
    k = run_job(SLUG, kommune=101, as_of=AS_OF)
    assert Beregning.objects.filter(sag=sag, type="bidrag").count() == 1  # one anmodning, one bidrag
    assert Meddelelse.objects.filter(koersel=k, nr="611").count() == 1
    assert Anmodning.objects.get().brugt_af_id == k.pk


def test_markering_deleted_after_calculation_only(satser):
    beregnet = opret(bp="1505155234")  # 11 years old: anmodning only because of the markering
    uden = opret(bp="0101165234", bb="0202801234")
    Bidragsperson.objects.update(anmodning_kraeves=True)
    anmod(beregnet, d(2026, 8, 18))
    k = run_job(SLUG, kommune=101, as_of=AS_OF)
    assert Beregning.objects.filter(sag=beregnet).exists() and not Beregning.objects.filter(sag=uden).exists()
    assert not Bidragsperson.objects.get(sag=beregnet).anmodning_kraeves
    assert Bidragsperson.objects.get(sag=uden).anmodning_kraeves  # not calculated (611): marking kept
    assert Meddelelse.objects.filter(koersel=k, nr="611", sag=uden).exists()


# ------------------------------------------------------------------ 3.1.1.3/3: inactivation of a BP
def to_bp_sag():
    body = sag_body()
    body["bidragspersoner"].append(
        {"cpr": "0101125234", "statuskode": 0, "ab_kode": 0,
         "bidrag": [{"bidragsart": 21, "bpl": "0303701234", "forfaldsdato": "2026-09-02", "forfaldsfrekvens": "M",
                     "fast_bidrag": "100.00"}]})
    return services.opret_sag(user_kommuner=None, data=body)[0]


def test_633_when_a_caseworker_stops_a_bp_with_unused_anmodninger(api, sagsbehandler, satser):
    sag = to_bp_sag()
    bp = sag.bidragspersoner.get(cpr="0101125234")
    Anmodning.objects.create(sag=sag, bp=bp, bidragsart=21, forfaldsdato=d(2026, 9, 2))
    Anmodning.objects.create(sag=sag, bp=bp, bidragsart=21, forfaldsdato=d(2026, 8, 2), brugt_af=run_job(
        SLUG, kommune=101, as_of=d(2026, 6, 1)))
    c = api.as_user(sagsbehandler)
    r = c.patch(URL + f"sager/{sag.pk}/", {"bidragspersoner": [{"cpr": "0101125234", "statuskode": 8}]},
                format="json")
    assert r.status_code == 200 and advisnr(r) == ["633"], r.json()
    assert "2026-09-02" in r.json()["advis"][0]["tekst"]
    assert list(Anmodning.objects.values_list("forfaldsdato", flat=True)) == [d(2026, 8, 2)]  # used one stays
    assert Meddelelse.objects.filter(sag=sag, nr="633", koersel__isnull=True).count() == 1
    # the other BP stopped without anmodninger: no 633
    r = c.patch(URL + f"sager/{sag.pk}/", {"bidragspersoner": [{"cpr": "1505091234", "statuskode": 8}]},
                format="json")
    assert r.status_code == 200 and "633" not in advisnr(r)


def test_633_automatic_inactivation_deletes_unused_anmodninger(satser):
    stoppet = opret(forfald="2026-12-01", bb="0101801234", bp="1505155234")
    Bidrag.objects.filter(bp__sag=stoppet).update(forfaldsdato=None, virkningsdato=d(2026, 5, 1))
    Bidragsperson.objects.filter(sag=stoppet).update(virkningsdato=d(2026, 5, 1))
    anmod(stoppet, d(2026, 12, 1))
    aktiv = opret(forfald="2026-12-01", bb="0202801234", bp="0101165234")
    anmod(aktiv, d(2026, 12, 1))
    k = run_job(SLUG, kommune=101, as_of=AS_OF)
    assert Bidragsperson.objects.get(sag=stoppet).statuskode == 8
    assert list(Anmodning.objects.values_list("sag_id", flat=True)) == [aktiv.pk]
    assert list(Meddelelse.objects.filter(koersel=k, nr="633").values_list("sag_id", flat=True)) == [stoppet.pk]


# ------------------------------------------------------------------ fejl 279 (3.1.1.3)
def inaktiv_bp_sag():
    sag = to_bp_sag()
    Bidragsperson.objects.filter(sag=sag, cpr="0101125234").update(statuskode=8, inaktiv_siden=d(2026, 5, 1))
    return sag


def start(c, sag, **bpl):
    body = {"bidragspersoner": [{"cpr": "0101125234", "statuskode": 0}]}
    if bpl:
        body["bidragspligtige"] = [{"cpr": "0303701234", **bpl}]
    return c.patch(URL + f"sager/{sag.pk}/", body, format="json")


def test_279_bpl_marked_invalid_by_p_data(api, sagsbehandler, satser):
    sag = inaktiv_bp_sag()
    c = api.as_user(sagsbehandler)
    r = c.patch(URL + f"sager/{sag.pk}/", {"bidragspligtige": [{"cpr": "0303701234", "pnr_ugyldig": True}]},
                format="json")
    assert r.status_code == 200
    assert {p["cpr"]: p["pnr_ugyldig"] for p in r.json()["bidragspligtige"]} == {
        "0202751234": False, "0303701234": True}
    r = start(c, sag)
    assert r.status_code == 400 and kode(r) == ["279"]
    assert r.json()["fejl"][0]["felt"] == "bidragspersoner[0].statuskode" and r.json()["fejl"][0]["tekst"]
    assert Bidragsperson.objects.get(cpr="0101125234").statuskode == 8  # nothing stored
    # cleared in the same transaction: started
    r = start(c, sag, pnr_ugyldig=False)
    assert r.status_code == 200, r.json()
    assert Bidragsperson.objects.get(cpr="0101125234").statuskode == 0
    assert not Bidragspligtig.objects.get(cpr="0303701234").pnr_ugyldig


def test_279_bpl_cpr_loaded_around_the_validation(api, sagsbehandler, satser):
    sag = inaktiv_bp_sag()
    Bidrag.objects.filter(bp__cpr="0101125234").update(bpl_cpr="3113701234")  # 31 Nov: no such date
    r = start(api.as_user(sagsbehandler), sag)
    assert kode(r) == ["279"]


def test_no_279_when_the_bpl_is_valid(api, sagsbehandler, satser):
    sag = inaktiv_bp_sag()
    r = start(api.as_user(sagsbehandler), sag)
    assert r.status_code == 200 and Bidragsperson.objects.get(cpr="0101125234").statuskode == 0
    # a BPL marked invalid on an active BP is no igangsætning: no 279
    r = api.as_user(sagsbehandler).patch(URL + f"sager/{sag.pk}/", {
        "bidragspligtige": [{"cpr": "0202751234", "pnr_ugyldig": True}],
        "bidragspersoner": [{"cpr": "1505091234", "indtaegt": "10.00"}]}, format="json")
    assert r.status_code == 200


def test_pnr_ugyldig_must_be_boolean(api, sagsbehandler, satser):
    sag = to_bp_sag()
    r = api.as_user(sagsbehandler).patch(URL + f"sager/{sag.pk}/", {
        "bidragspligtige": [{"cpr": "0303701234", "pnr_ugyldig": "ja"}]}, format="json")
    assert r.status_code == 400 and r.json()["fejl"][0]["felt"] == "bidragspligtige[0].pnr_ugyldig"


# ------------------------------------------------------------------ registerindsigt, fejl 195
def test_registerindsigt_ordered_produced_by_the_run_and_logged(api, sagsbehandler, satser):
    sag = to_bp_sag()
    Person.objects.create(cpr="0101801234", navn="Bente Berettiget")
    Person.objects.create(cpr="0303701234", navn="Poul Pligtig")
    c = api.as_user(sagsbehandler)
    r = c.post(URL + "registerindsigt/", {"kommune": 101, "cpr": "030370-1234"}, format="json")
    assert r.status_code == 201, r.json()
    assert r.json()["status"] == "bestilt" and r.json()["cpr"] == "0303701234" and r.json()["advis"] == []
    pk = r.json()["id"]
    assert c.get(URL + f"registerindsigt/{pk}/").json()["indhold"] is None
    assert c.get(URL + f"registerindsigt/{pk}.pdf").status_code == 404  # not produced yet
    ukendt = c.post(URL + "registerindsigt/", {"kommune": 101, "cpr": "0404701234"}, format="json").json()["id"]
    k = run_job(SLUG, kommune=101, as_of=AS_OF)
    Adgangslog.objects.all().delete()
    r = c.get(URL + f"registerindsigt/{pk}/")
    body = r.json()
    assert body["status"] == "dannet" and body["koersel"] == k.pk and not body["blank"]
    [paa] = body["indhold"]["sager"]
    assert paa["sag"] == sag.pk and paa["roller"] == ["BPL"]
    assert paa["bidragspligtig"]["bidrag"] == [
        {"bidragsart": 21, "forfaldsdato": "2026-09-02", "forfaldsfrekvens": "M", "fast_bidrag": "100.00",
         "procentsats": None}]
    # the other persons on the sag: role and name only, never their personnummer
    assert {"rolle": "BB", "navn": "Bente Berettiget"} in paa["oevrige"]
    assert "0101801234" not in str(body) and "1505091234" not in str(body)
    assert list(Adgangslog.objects.values_list("cpr", flat=True)) == ["0303701234"]
    blank = c.get(URL + f"registerindsigt/{ukendt}/").json()
    assert blank["blank"] and blank["indhold"] == {"cpr": "0404701234", "navn": "", "sager": [],
                                                   "tekst": "Ingen oplysninger registreret."}
    # the PDF (WeasyPrint, like the stamkort), logged as a read of the requested CPR
    Adgangslog.objects.all().delete()
    for x in (pk, ukendt):
        r = c.get(URL + f"registerindsigt/{x}.pdf")
        assert r.status_code == 200 and r.content[:4] == b"%PDF"
    assert sorted(Adgangslog.objects.values_list("cpr", flat=True)) == ["0303701234", "0404701234"]
    from django.template.loader import render_to_string
    r_obj = Registerindsigt.objects.get(pk=pk)
    html = render_to_string("underholdsbidrag/registerindsigt_pdf.html", {"r": r_obj, "i": r_obj.indhold})
    assert "Poul Pligtig" in html and "BB Bente Berettiget" in html and "0101801234" not in html
    r_obj = Registerindsigt.objects.get(pk=ukendt)
    html = render_to_string("underholdsbidrag/registerindsigt_pdf.html", {"r": r_obj, "i": r_obj.indhold})
    assert "Ingen oplysninger registreret." in html
    out = c.get(URL + f"koersler/{k.pk}/").json()
    assert out["registerindsigter"] == [{"id": pk, "cpr": "0303701234", "blank": False},
                                        {"id": ukendt, "cpr": "0404701234", "blank": True}]
    # produced: a new request for the same CPR is no duplicate; a re-run produces nothing again
    assert c.post(URL + "registerindsigt/", {"kommune": 101, "cpr": "0303701234"}, format="json").status_code == 201
    k2 = run_job(SLUG, kommune=101, as_of=AS_OF)
    assert Registerindsigt.objects.filter(koersel=k2).count() == 1
    assert Registerindsigt.objects.get(pk=pk).koersel_id == k.pk


def test_registerindsigt_shows_the_requested_persons_address_only(api, sagsbehandler, satser):
    """seed 004, 3.9.1: name and address of the requested personnummer (from P-data, here the
    adresseringsgrundlag); the other persons on the sag by name only, so never their address."""
    to_bp_sag()
    Adresse.objects.create(cpr="0303701234", kommunekode=101, vejkode=1234, husnr="12A", etage="2", side="TH",
                           postnr=1620)
    Adresse.objects.create(cpr="0101801234", kommunekode=147, vejkode=999, husnr="7", postnr=2000)  # the BB
    Adresse.objects.create(cpr="1505091234", udland=True)  # a BP, udrejst
    c = api.as_user(sagsbehandler)
    ids = {cpr: c.post(URL + "registerindsigt/", {"kommune": 101, "cpr": cpr}, format="json").json()["id"]
           for cpr in ("0303701234", "1505091234", "0101125234", "0404701234")}
    run_job(SLUG, kommune=101, as_of=AS_OF)
    i = {cpr: c.get(URL + f"registerindsigt/{pk}/").json()["indhold"] for cpr, pk in ids.items()}
    assert i["0303701234"]["adresse"] == {"kommunekode": 101, "vejkode": 1234, "husnr": "12A", "etage": "2",
                                          "side": "TH", "postnr": 1620, "groenland": False}
    assert i["1505091234"]["adresse"] == {"adressefelt": "ukendt adresse", "udland": True}
    assert i["0101125234"]["adresse"] == {"adressefelt": "ukendt adresse", "udland": False}  # not fed
    assert "adresse" not in i["0404701234"]  # blank: "ingen oplysninger registreret"
    from django.template.loader import render_to_string
    r_obj = Registerindsigt.objects.get(pk=ids["0303701234"])
    html = render_to_string("underholdsbidrag/registerindsigt_pdf.html", {"r": r_obj, "i": r_obj.indhold})
    assert "vejkode 1234" in html and "husnr. 12A" in html and "postnr. 1620" in html


def test_195_identical_pending_request(api, sagsbehandler, satser):
    c = api.as_user(sagsbehandler)
    assert c.post(URL + "registerindsigt/", {"kommune": 101, "cpr": "0101801234"}, format="json").status_code == 201
    r = c.post(URL + "registerindsigt/", {"kommune": 101, "cpr": "010180-1234"}, format="json")
    assert r.status_code == 400 and kode(r) == ["195"] and r.json()["fejl"][0]["felt"] == "cpr"
    assert r.json()["fejl"][0]["tekst"] == services.FEJL["195"]
    assert Registerindsigt.objects.count() == 1
    # not identical: another CPR
    assert c.post(URL + "registerindsigt/", {"kommune": 101, "cpr": "0202801234"}, format="json").status_code == 201


def test_registerindsigt_bad_input_and_other_kommune(api, sagsbehandler, sagsbehandler_751, satser):
    c = api.as_user(sagsbehandler)
    r = c.post(URL + "registerindsigt/", {"kommune": 101, "cpr": "3113701234"}, format="json")
    assert r.status_code == 400 and r.json()["fejl"][0]["felt"] == "cpr"
    r = c.post(URL + "registerindsigt/", {"kommune": 751, "cpr": "0101801234"}, format="json")
    assert r.status_code == 400 and r.json()["fejl"][0]["felt"] == "kommune"
    r = c.post(URL + "registerindsigt/", ["x"], format="json")
    assert r.status_code == 400
    assert not Registerindsigt.objects.exists()
    mine = c.post(URL + "registerindsigt/", {"kommune": 101, "cpr": "0101801234"}, format="json").json()["id"]
    andre = api.as_user(sagsbehandler_751)
    assert andre.get(URL + f"registerindsigt/{mine}/").status_code == 404
    assert andre.get(URL + "registerindsigt/").json()["results"] == []
    assert UBSag.objects.count() == 0
