"""Adresseringsgrundlaget (seed 004, 3.9.1) and its advis: 372 at registration of the BB
(3.1.1.2), 632 and 605 in the weekly calculation (3.2.2/4)."""

import pytest
from django.core.management import CommandError, call_command

from batch.services import run_job
from cases.models import Adgangslog
from debitor.underholdsbidrag import selectors, services
from debitor.underholdsbidrag.adresser import gem_adresser
from debitor.underholdsbidrag.models import Adresse, Bidragsperson, Meddelelse
from tests.underholdsbidrag.conftest import sag_body
from tests.underholdsbidrag.test_koersel import AS_OF, SLUG, opret

URL = "/api/v1/underholdsbidrag/adresser/"
pytestmark = pytest.mark.django_db
BB, BP, BPL = "0101801234", "1505155234", "0202751234"


def adr(cpr, kommunekode=101, vejkode=1234, husnr="12", etage="", side="", postnr=2100, udland=False):
    return {"cpr": cpr, "kommunekode": kommunekode, "vejkode": vejkode, "husnr": husnr, "etage": etage,
            "side": side, "postnr": postnr, "udland": udland}


# ---------------------------------------------------------------- API (addition to the contract)
def test_drift_writes_one_and_many_sagsbehandler_may_not(api, drift, sagsbehandler):
    c = api.as_user(drift)
    r = c.put(URL + "0101801234/", {"kommunekode": 956, "vejkode": 82, "husnr": "7", "side": "0002"}, format="json")
    assert r.status_code == 200, r.json()
    assert r.json()["groenland"] is True and r.json()["advis"] == []
    a = Adresse.objects.get(cpr=BB)
    assert (a.kommunekode, a.vejkode, a.husnr, a.side, a.udland) == (956, 82, "7", "0002", False)
    # the dash of api.md is accepted; PUT replaces the whole address
    r = c.put(URL + "010180-1234/", {"kommunekode": None, "udland": True}, format="json")
    assert r.status_code == 200
    a.refresh_from_db()
    assert a.udland and a.kommunekode is None and a.vejkode is None and a.husnr == ""
    r = c.put(URL, {"results": [adr(BP), adr("0202751234", vejkode=99)]}, format="json")
    assert r.status_code == 200 and r.json()["antal"] == 2
    assert Adresse.objects.get(cpr=BPL).vejkode == 99
    assert api.as_user(sagsbehandler).put(URL + f"{BB}/", adr(BB), format="json").status_code == 403
    assert api.as_user(sagsbehandler).put(URL, {"results": [adr(BB)]}, format="json").status_code == 403


def test_invalid_address_stores_nothing(api, drift):
    c = api.as_user(drift)
    r = c.put(URL, {"results": [adr(BP), adr("0202751234", vejkode=0), adr("123")]}, format="json")
    assert r.status_code == 400
    felter = {f["felt"] for f in r.json()["fejl"]}
    assert felter == {"results[1].vejkode", "results[2].cpr"} and all(f["kode"] == "ugyldig" for f in r.json()["fejl"])
    assert not Adresse.objects.exists()
    r = c.put(URL + f"{BB}/", {"udland": "ja"}, format="json")
    assert r.status_code == 400 and r.json()["fejl"][0]["felt"] == "udland"
    r = c.put(URL + f"{BB}/", {"vejkode": 12}, format="json")  # a vejkode is per kommune
    assert r.status_code == 400 and r.json()["fejl"][0]["felt"] == "kommunekode"
    assert c.put(URL + "3213991234/", adr(BB), format="json").status_code == 400
    assert not Adresse.objects.exists()


def test_read_is_scoped_and_access_logged(api, drift, sagsbehandler, sagsbehandler_751):
    gem_adresser([adr(BB), adr("0303801234")])
    services.opret_sag(user_kommuner=None, data=sag_body())
    r = api.as_user(sagsbehandler).get(URL + f"{BB}/")
    assert r.status_code == 200 and r.json()["kommunekode"] == 101
    assert Adgangslog.objects.filter(cpr=BB, bruger=sagsbehandler, visning=f"API {URL}{BB}/").exists()
    # a CPR on no sag of the user's kommuner is as if it did not exist
    assert api.as_user(sagsbehandler_751).get(URL + f"{BB}/").status_code == 404
    assert api.as_user(sagsbehandler).get(URL + "0303801234/").status_code == 404
    assert not Adgangslog.objects.filter(cpr="0303801234").exists()
    assert api.as_user(drift).get(URL + "0303801234/").status_code == 200
    assert Adgangslog.objects.filter(cpr="0303801234", bruger=drift).exists()


def test_command_loads_file(tmp_path):
    f = tmp_path / "pdata.csv"
    f.write_text("cpr;kommunekode;vejkode;husnr;etage;side;postnr;udland\n"
                 f"{BB};101;1234;12;2;TH;2100;0\n{BP};;;;;;;ja\n", encoding="utf-8")
    call_command("indlaes_adresser", str(f))
    assert Adresse.objects.get(cpr=BB).etage == "2" and Adresse.objects.get(cpr=BB).side == "TH"
    assert Adresse.objects.get(cpr=BP).udland
    f.write_text(f"cpr;kommunekode\n{BPL};x\n", encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("indlaes_adresser", str(f))
    assert not Adresse.objects.filter(cpr=BPL).exists()


# ---------------------------------------------------------------- advis 372 (3.1.1.2)
@pytest.mark.parametrize("adresse, grund", [
    ({"kommunekode": None, "vejkode": None, "husnr": "", "udland": True}, "udlandet"),
    ({"kommunekode": 956}, "Grønland"),
    ({"kommunekode": 961}, "Grønland"),
    ({"kommunekode": None, "vejkode": None}, "ukendt"),
    ({"kommunekode": 999, "vejkode": None}, "ikke en dansk kommune"),
])
def test_advis_372_at_creation(api, sagsbehandler, adresse, grund):
    gem_adresser([{**adr(BB), **adresse}])
    r = api.as_user(sagsbehandler).post("/api/v1/underholdsbidrag/sager/", sag_body(), format="json")
    assert r.status_code == 201, r.json()
    advis = r.json()["advis"]
    assert [a["nr"] for a in advis] == ["372"] and grund in advis[0]["tekst"]
    assert Meddelelse.objects.get(sag_id=r.json()["id"]).nr == "372"


@pytest.mark.parametrize("adresser", [[adr(BB)], [adr(BB, kommunekode=860)], []])
def test_no_advis_372_for_danish_address_or_none_fed(api, sagsbehandler, adresser):
    if adresser:
        gem_adresser(adresser)
    r = api.as_user(sagsbehandler).post("/api/v1/underholdsbidrag/sager/", sag_body(), format="json")
    assert r.status_code == 201 and r.json()["advis"] == []
    assert not Meddelelse.objects.filter(nr="372").exists()


def test_failed_creation_stores_no_advis_372(api, sagsbehandler):
    gem_adresser([adr(BB, kommunekode=956)])
    r = api.as_user(sagsbehandler).post("/api/v1/underholdsbidrag/sager/", sag_body(bidragspersoner=[]),
                                        format="json")
    assert r.status_code == 400 and r.json()["fejl"][0]["kode"] == "175"
    assert not Meddelelse.objects.exists()


# ---------------------------------------------------------------- advis 632 / 605 (3.2.2/4)
def _advis(k):
    return sorted(Meddelelse.objects.filter(koersel=k, nr__in=("632", "605")).values_list("nr", flat=True))


def test_advis_632_when_bb_and_bpl_share_address_once_per_week(satser, drift):
    sag = opret()
    gem_adresser([adr(BB, etage="1", side="TV"), adr(BPL, etage="1", side="tv"), adr(BP)])
    k = run_job(SLUG, kommune=101, as_of=AS_OF)
    assert k.status == "succeeded"
    assert _advis(k) == ["632"]
    m = Meddelelse.objects.get(koersel=k, nr="632")
    assert m.sag_id == sag.pk and m.bp_id == sag.bidragspersoner.get().pk and BPL in m.tekst
    out = selectors.koersel_output(drift, k.pk)
    assert [a["nr"] for a in out["advis"] if a["nr"] == "632"] == ["632"]
    # a re-run of the same week writes it no more
    k2 = run_job(SLUG, kommune=101, as_of=AS_OF)
    assert k2.status == "succeeded" and _advis(k2) == []


@pytest.mark.parametrize("bpl_adresse", [
    adr(BPL, husnr="14"),  # another house on the same street
    adr(BPL, etage="2"),
    adr(BPL, kommunekode=751),  # same vejkode, other kommune
    adr(BPL, kommunekode=None, vejkode=None, husnr="", udland=True),
    None,  # BPL not fed
])
def test_no_advis_632_for_different_or_unknown_address(satser, bpl_adresse):
    opret()
    gem_adresser([adr(BB), adr(BP)] + ([bpl_adresse] if bpl_adresse else []))
    k = run_job(SLUG, kommune=101, as_of=AS_OF)
    assert k.status == "succeeded" and _advis(k) == []


def test_advis_605_when_bp_on_other_street_and_ab_kode_0(satser):
    sag = opret()
    gem_adresser([adr(BB), adr(BP, vejkode=4321), adr(BPL, vejkode=777)])
    k = run_job(SLUG, kommune=101, as_of=AS_OF)
    assert k.status == "succeeded" and _advis(k) == ["605"]
    assert Meddelelse.objects.get(koersel=k, nr="605").bp_id == sag.bidragspersoner.get().pk
    assert _advis(run_job(SLUG, kommune=101, as_of=AS_OF)) == []


def test_no_advis_605_same_vejkode_or_ab_kode_not_0_or_unknown(satser):
    opret()  # same vejkode (other house number): no 605
    gem_adresser([adr(BB), adr(BP, husnr="40"), adr(BPL, vejkode=777)])
    assert _advis(run_job(SLUG, kommune=101, as_of=AS_OF)) == []

    opret(bb="0101811234", bp="1505165234")  # placed child (A/B-kode 3): no 605
    Bidragsperson.objects.filter(cpr="1505165234").update(ab_kode=3)
    gem_adresser([adr("0101811234"), adr("1505165234", vejkode=4321)])
    opret(bb="0101821234", bp="1505175234")  # BP abroad: no vejkode to compare
    gem_adresser([adr("0101821234"), adr("1505175234", kommunekode=None, vejkode=None, husnr="", udland=True)])
    k = run_job(SLUG, kommune=101, as_of=AS_OF.replace(day=19))
    assert k.status == "succeeded"
    assert Meddelelse.objects.filter(nr__in=("605", "632")).count() == 0


def test_632_and_605_together_in_one_query(satser):
    """The addresses are joined in one query whatever the number of sager (set-based run); the
    other three reading addresses are advis 830's and the payout's and claim's address UPDATEs."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    for i in range(3):
        bb, bp = f"01018{i}1234", f"15051{5 + i}5234"
        opret(bb=bb, bp=bp)
        gem_adresser([adr(bb), adr(bp, vejkode=9000 + i), adr(BPL)])
    with CaptureQueriesContext(connection) as q:
        k = run_job(SLUG, kommune=101, as_of=AS_OF)
    assert _advis(k) == ["605"] * 3 + ["632"] * 3
    assert sum("underholdsbidrag_adresse" in x["sql"] for x in q.captured_queries) == 4


# ---------------------------------------------------------------- advis 830 (3.4.1)
def _opret_med_afk(bb, bp, afk, diskretion=False):
    body = sag_body()
    body["bb"]["cpr"] = bb
    body["bidragspersoner"][0]["cpr"] = bp
    body["bidragspersoner"][0]["bidrag"][0].update(forfaldsdato="2026-08-18")
    body["bidragspligtige"][0].update(afkraevningskommune=afk, diskretion=diskretion)
    return services.opret_sag(user_kommuner=None, data=body)[0]


def test_advis_830_when_pdata_bopaelskommune_differs_from_afkraevningskommune(satser):
    sag = _opret_med_afk(BB, BP, 751)
    _opret_med_afk("0101811234", "1505165234", 101)  # same kommune: no 830
    _opret_med_afk("0101821234", "1505175234", 751, diskretion=True)  # diskretion: no 830
    # the BPL of all three lives in 101 per P-data
    gem_adresser([adr(BPL)])
    k = run_job(SLUG, kommune=101, as_of=AS_OF)
    assert k.status == "succeeded"
    m = list(Meddelelse.objects.filter(koersel=k, nr="830"))
    assert [(x.sag_id, x.bp_id) for x in m] == [(sag.pk, None)]
    assert "bopælskommune 101, afkrævningskommune 751" in m[0].tekst
    assert not Meddelelse.objects.filter(koersel=run_job(SLUG, kommune=101, as_of=AS_OF), nr="830").exists()


@pytest.mark.parametrize("bpl_adresse", [adr(BPL, kommunekode=956), adr(BPL, kommunekode=None, vejkode=None, husnr="",
                                                                         udland=True), None])
def test_no_advis_830_for_greenland_abroad_or_unfed_bpl(satser, bpl_adresse):
    _opret_med_afk(BB, BP, 751)
    if bpl_adresse:
        gem_adresser([bpl_adresse])
    k = run_job(SLUG, kommune=101, as_of=AS_OF)
    assert k.status == "succeeded" and not Meddelelse.objects.filter(nr="830").exists()


# ---------------------------------------------------------------- addresses on the run's outputs (3.3.1/3.3.2, 3.4.1)
def test_payout_and_claim_carry_the_address(satser, drift):
    opret()
    gem_adresser([adr(BB, etage="st", side="th")])  # BPL not fed
    k = run_job(SLUG, kommune=101, as_of=AS_OF)
    out = selectors.koersel_output(drift, k.pk)
    assert out["udbetalinger"][0]["adresse"] == {"kommunekode": 101, "vejkode": 1234, "husnr": "12", "etage": "ST",
                                                 "side": "TH", "postnr": 2100}
    assert out["afkraevninger"][0]["adresse"] == {"adressefelt": "ukendt adresse", "udland": False}


@pytest.mark.parametrize("bb_adresse, bpl_adresse, udb, afk", [
    (None, adr(BPL, kommunekode=956), {"adressefelt": "ukendt adresse", "udland": False}, {"groenland": True}),
    (adr(BB, kommunekode=None, vejkode=None, husnr="", udland=True), adr(BPL, kommunekode=None, vejkode=None),
     {"adressefelt": "ukendt adresse", "udland": True}, {"adressefelt": "ukendt adresse", "udland": False}),
])
def test_unknown_abroad_and_greenland_addresses_on_outputs(satser, bb_adresse, bpl_adresse, udb, afk):
    from debitor.underholdsbidrag.models import Afkraevning, Udbetaling
    opret()
    gem_adresser([x for x in (bb_adresse, bpl_adresse) if x])
    k = run_job(SLUG, kommune=101, as_of=AS_OF)
    assert Udbetaling.objects.get(koersel=k).adresse == udb
    assert Afkraevning.objects.get(koersel=k).adresse == afk


def test_payout_to_the_kommune_carries_its_name(satser):
    from decimal import Decimal

    from debitor.underholdsbidrag.models import Udbetaling
    sag = opret(forfald="2026-12-01")
    bp = sag.bidragspersoner.get()
    Bidragsperson.objects.filter(pk=bp.pk).update(tilgodehavende_off=Decimal("1000.00"), tilgodehavende_individ=True)
    services.registrer_tf(sag, {"bp": bp.cpr, "tf_kode": 11, "bidragsart": 11, "beloeb": "300.00",
                                "beloebsmodtager": 0}, as_of=AS_OF)
    k = run_job(SLUG, kommune=101, as_of=AS_OF)
    assert Udbetaling.objects.get(koersel=k, modtager="kommune").adresse == {"navn": "København"}


def test_admin_lists_addresses_read_only(client):
    from cases.accounts import create_or_update_user
    gem_adresser([adr(BB)])
    client.force_login(create_or_update_user("drift-adr", role="drift")[0])
    r = client.get("/admin/underholdsbidrag/adresse/")
    assert r.status_code == 200 and BB in r.content.decode()
    assert client.get("/admin/underholdsbidrag/adresse/add/").status_code == 403


def test_unknown_field_is_a_fejl_without_felt(api, drift):
    r = api.as_user(drift).put(URL + f"{BB}/", {"kommunekode": 101, "vejnavn": "Nørregade"}, format="json")
    assert r.status_code == 400 and r.json()["fejl"] == [
        {"felt": None, "kode": "ugyldig", "tekst": "Ukendte felter: vejnavn."}]
    assert not Adresse.objects.exists()
