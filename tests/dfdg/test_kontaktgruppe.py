"""CreateFrist's kontaktgruppe rule (seed 003, CreateFrist: "Der valideres imod at oprette frist som ikke vil kunne
indfries i borgerens nuværende kontaktgruppe") and the kontaktforløb the jobcentre register."""

import pytest

from integrations.dfdg import services
from integrations.dfdg.kontaktgrupper import KONTAKTGRUPPER
from integrations.dfdg.models import Besked, Frist, Kontaktforloeb, SamtaletypeKontaktgruppe
from tests.dfdg.conftest import days, klient, kontaktforloeb
from tests.factories import make_cpr

pytestmark = pytest.mark.django_db
URL = "/api/v1/dfdg/frister/"
KF_URL = "/api/v1/dfdg/kontaktforloeb/"

#: the specification, written out (not read from the table): which samtaletyper a frist may have in each group
TILLADT = {
    "dagpenge": {7, 17},
    "kontanthjaelp_jobparat": {7},
    "kontanthjaelp_aktivitetsparat": {7},
    "uddannelseshjaelp_uddannelsesparat": {7},
    "uddannelseshjaelp_aktivitetsparat": {7},
    "ledighedsydelse": {7},
    "sygedagpenge": {4},
    "jobafklaring": {4},
    "ressourceforloeb": {4},
}
NAVN = {kode: navn for kode, navn, _ in KONTAKTGRUPPER}
PAIRS = [(g, st) for g in TILLADT for st in (4, 7, 17)]


def opret(client, cpr, samtaletype):
    return client.post(URL, {"kommune": 101, "cpr": cpr, "samtaletype": samtaletype, "fristdato": str(days(14))},
                       format="json")


def test_the_table_is_the_specification():
    assert set(TILLADT) == set(NAVN)
    loaded = {}
    for regel in SamtaletypeKontaktgruppe.objects.filter(gyldig_til__isnull=True):
        loaded.setdefault(regel.kontaktgruppe_id, set()).add(regel.samtaletype)
    assert loaded == TILLADT


@pytest.mark.parametrize("gruppe,samtaletype", PAIRS)
def test_each_samtaletype_in_each_kontaktgruppe(jc, gruppe, samtaletype):
    cpr = make_cpr(300 + PAIRS.index((gruppe, samtaletype)))
    kontaktforloeb(cpr, gruppe)
    r = opret(jc, cpr, samtaletype)
    if samtaletype in TILLADT[gruppe]:
        assert r.status_code == 201, r.content
        assert Frist.objects.filter(cpr=cpr, samtaletype=samtaletype).count() == 1
    else:
        assert r.status_code == 400
        fejl = r.json()["fejl"]
        assert len(fejl) == 1 and fejl[0]["kode"] == "kontaktgruppe" and fejl[0]["felt"] is None
        assert NAVN[gruppe] in fejl[0]["tekst"] and f"samtaletype {samtaletype} (" in fejl[0]["tekst"]
        assert fejl[0]["tekst"].startswith("Fristen kan ikke oprettes: samtaletype")
        assert not Frist.objects.filter(cpr=cpr).exists() and not Besked.objects.filter(cpr=cpr).exists()


def test_no_current_kontaktforloeb_is_refused_with_its_own_kode(jc):
    ingen, sluttet, fremtidig = make_cpr(1), make_cpr(2), make_cpr(3)
    kontaktforloeb(sluttet, "dagpenge", fra=days(-60), til=days(-1))
    kontaktforloeb(fremtidig, "dagpenge", fra=days(1))
    for cpr in (ingen, sluttet, fremtidig):
        r = opret(jc, cpr, 7)
        assert r.status_code == 400 and r.json()["fejl"][0]["kode"] == "ingen_kontaktgruppe", r.content
        assert "ingen aktuel kontaktgruppe" in r.json()["fejl"][0]["tekst"]
    assert not Frist.objects.exists() and not Besked.objects.exists()


def test_the_current_kontaktgruppe_counts_and_a_forloeb_ending_today_still_does(jc):
    cpr = make_cpr(4)
    kontaktforloeb(cpr, "dagpenge", fra=days(-60), til=days(-1))
    kontaktforloeb(cpr, "sygedagpenge", fra=days(0), til=days(0))
    assert opret(jc, cpr, 7).status_code == 400
    assert opret(jc, cpr, 4).status_code == 201


def test_a_rule_that_has_ended_no_longer_allows(jc, cpr):
    SamtaletypeKontaktgruppe.objects.filter(kontaktgruppe_id="dagpenge", samtaletype=17).update(gyldig_til=days(-1))
    assert opret(jc, cpr, 17).status_code == 400
    assert opret(jc, cpr, 7).status_code == 201


def test_8301_is_checked_before_the_kontaktgruppe(jc):
    from integrations.dfdg.models import Fravaer

    cpr = make_cpr(5)
    kontaktforloeb(cpr, "sygedagpenge")
    Fravaer.objects.create(cpr=cpr, fravaerstype=75, fra=days(-1))
    assert opret(jc, cpr, 7).json()["fejl"][0]["kode"] == "8301"


def test_create_is_still_one_statement(jc, cpr):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as q:
        assert opret(jc, cpr, 7).status_code == 201
        assert opret(jc, cpr, 4).status_code == 400
    sql = [x["sql"] for x in q.captured_queries if "SAVEPOINT" not in x["sql"]]
    assert len(sql) == 2 and all(s.startswith("EXECUTE dfdg_opret_frist(") for s in sql), sql


# --- kontaktforløb --------------------------------------------------------------------------------------------

def test_register_kontaktforloeb_ends_the_running_one(jc, today):
    cpr = make_cpr(6)
    r = jc.post(KF_URL, {"kommune": 101, "cpr": cpr, "kontaktgruppe": "dagpenge", "fra": str(days(-40)),
                         "akasse": 12}, format="json")
    assert r.status_code == 201, r.content
    assert r.json()["kontaktgruppe_navn"] == "Dagpengemodtagere" and r.json()["akasse"] == 12
    r = jc.post(KF_URL, {"kommune": 101, "cpr": cpr, "kontaktgruppe": "sygedagpenge", "fra": str(today)}, format="json")
    assert r.status_code == 201
    rows = list(Kontaktforloeb.objects.filter(cpr=cpr).order_by("fra").values_list("kontaktgruppe_id", "fra", "til"))
    assert rows == [("dagpenge", days(-40), days(-1)), ("sygedagpenge", today, None)]
    listed = jc.get(KF_URL, {"cpr": cpr}).json()["results"]
    assert [x["kontaktgruppe"] for x in listed] == ["dagpenge", "sygedagpenge"]
    assert opret(jc, cpr, 4).status_code == 201 and opret(jc, cpr, 7).status_code == 400


@pytest.mark.parametrize("body,felt", [
    ({"kontaktgruppe": "ukendt"}, "kontaktgruppe"),
    ({"kontaktgruppe": ""}, "kontaktgruppe"),
    ({"kommune": 751}, "kommune"),
    ({"kommune": 999}, "kommune"),
    ({"til": "2000-01-01"}, "til"),
    ({"cpr": "123"}, "cpr"),
])
def test_kontaktforloeb_bad_input_is_400_nothing_stored(jc, body, felt):
    cpr = make_cpr(7)
    base = {"kommune": 101, "cpr": cpr, "kontaktgruppe": "dagpenge", "fra": str(days(-5))}
    r = jc.post(KF_URL, {**base, **body}, format="json")
    assert r.status_code == 400 and r.json()["fejl"][0]["felt"] == felt, r.content
    assert r.json()["fejl"][0]["tekst"]
    assert not Kontaktforloeb.objects.exists()


def test_kontaktforloeb_starting_on_or_after_a_known_one_is_400(jc):
    cpr = make_cpr(8)
    kontaktforloeb(cpr, "dagpenge", fra=days(-5))
    r = jc.post(KF_URL, {"kommune": 101, "cpr": cpr, "kontaktgruppe": "sygedagpenge", "fra": str(days(-5))},
                format="json")
    assert r.status_code == 400 and r.json()["fejl"][0]["kode"] == "kontaktforloeb_overlap"
    assert Kontaktforloeb.objects.get(cpr=cpr).til is None


def test_kontaktforloeb_reads_are_scoped(api, jobcenter_751, jc):
    cpr = make_cpr(9)
    kontaktforloeb(cpr, "dagpenge")
    assert klient(jobcenter_751).get(KF_URL, {"cpr": cpr}).json()["results"] == []
    assert len(jc.get(KF_URL, {"cpr": cpr}).json()["results"]) == 1


def test_kontaktgrupper_lists_the_dated_table(jc):
    r = jc.get("/api/v1/dfdg/kontaktgrupper/")
    assert r.status_code == 200
    by = {g["kode"]: g for g in r.json()}
    assert {x["samtaletype"] for x in by["dagpenge"]["samtaletyper"]} == {7, 17}
    assert by["dagpenge"]["samtaletyper"][0]["gyldig_fra"] == "2022-10-01"
    assert "Afholdelse af samtaler" in by["dagpenge"]["samtaletyper"][0]["kilde"]


def test_service_refusal_text(jobcenter):
    with pytest.raises(services.DomainError) as exc:
        services.opret_frist(jobcenter, kommune=101, cpr=make_cpr(10), samtaletype=17, fristdato=days(3))
    assert exc.value.fejl[0]["kode"] == "ingen_kontaktgruppe"
