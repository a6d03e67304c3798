"""The person register (personer.md): GET /api/v1/personer/{cpr}/ scoped and access-logged, person_fakta."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.models import Abonnement, Adgangslog
from cases.personer import selectors
from cases.personer.models import Ophold, Relation, Stamdata
from tests.factories import BevillingFactory, DebitorkontoFactory, PersonFactory, SagFactory, UserFactory, make_cpr

pytestmark = pytest.mark.django_db

D = dt.date(2026, 12, 7)


def stamdata(person, **kw):
    from cases.cpr import birth_date

    defaults = dict(foedselsdato=birth_date(person.cpr), vejnavn="Nørregade", husnr="12", etage="2", side="TV",
                    postnr=1165, by="København K", kommunekode=101, vejkode=4826, co="", civilstand="U")
    defaults.update(kw)
    return Stamdata.objects.create(person=person, **defaults)


@pytest.fixture
def borger():
    sag = SagFactory(kommune_id=101, person=PersonFactory(cpr="0101804321", navn="Anna Jensen"))
    stamdata(sag.person, civilstand="G", co="Hansen")
    Relation.objects.create(person=sag.person, type="barn", cpr="0203154325", fra=dt.date(2015, 3, 2))
    Ophold.objects.create(person=sag.person, fra=dt.date(1980, 1, 1), land="DK")
    Abonnement.objects.create(kommune_id=101, person=sag.person)
    return sag.person


def test_get_person_gives_the_contract_shape_and_logs_the_read(api, sagsbehandler, borger):
    r = api.as_user(sagsbehandler).get("/api/v1/personer/010180-4321/")
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["cpr"] == "0101804321" and body["navn"] == "Anna Jensen"
    assert body["adresse"] == {"vejnavn": "Nørregade", "husnr": "12", "etage": "2", "side": "TV", "postnr": 1165,
                               "by": "København K", "kommunekode": 101, "vejkode": 4826, "co": "Hansen"}
    assert body["civilstand"] == "G" and body["statsborgerskab"] == "DK"
    assert body["status"] == "aktiv" and body["status_dato"] is None and body["ny_cpr"] is None
    assert body["relationer"] == [{"type": "barn", "cpr": "0203154325", "fra": "2015-03-02", "til": None}]
    assert body["ophold"] == [{"fra": "1980-01-01", "til": None, "land": "DK"}]
    assert set(Adgangslog.objects.filter(bruger=sagsbehandler).values_list("cpr", flat=True)) == {
        "0101804321", "0203154325"}


def test_person_of_another_kommune_is_404(api, sagsbehandler_751, sagsbehandler, borger):
    assert api.as_user(sagsbehandler_751).get("/api/v1/personer/0101804321/").status_code == 404
    assert api.as_user(sagsbehandler).get("/api/v1/personer/0101809999/").status_code == 404  # unknown
    assert api.as_user(sagsbehandler).get("/api/v1/personer/abc/").status_code == 404  # not a CPR
    assert not Adgangslog.objects.filter(bruger=sagsbehandler_751).exists()


@pytest.mark.parametrize("via", ["bevilling", "debitorkonto", "ub_bb", "ub_bp", "ub_bpl"])
def test_person_is_seen_through_each_kind_of_link(api, sagsbehandler, sagsbehandler_751, via):
    from debitor.underholdsbidrag.models import Bidrag, Bidragsperson, Bidragspligtig, UBSag

    p = PersonFactory(cpr=make_cpr(77))
    if via == "bevilling":
        BevillingFactory(uden_sag=True, kommune_id=751, person=p)
    elif via == "debitorkonto":
        DebitorkontoFactory(kommune_id=751, person=p)
    else:
        sag = UBSag.objects.create(kommune_id=751, bb_cpr=p.cpr if via == "ub_bb" else make_cpr(78))
        bp = Bidragsperson.objects.create(sag=sag, cpr=p.cpr if via == "ub_bp" else make_cpr(79, dt.date(2015, 1, 1)),
                                          foedselsdato=dt.date(2015, 1, 1))
        bpl = p.cpr if via == "ub_bpl" else make_cpr(80)
        Bidrag.objects.create(kommune_id=751, bp=bp, bidragsart=11, bpl_cpr=bpl, forfaldsfrekvens="H")
        Bidragspligtig.objects.create(sag=sag, cpr=bpl)
    assert api.as_user(sagsbehandler_751).get(f"/api/v1/personer/{p.cpr}/").status_code == 200
    assert api.as_user(sagsbehandler).get(f"/api/v1/personer/{p.cpr}/").status_code == 404


def test_drift_sees_everyone_and_jobcenter_may_not(api, drift, borger):
    assert api.as_user(drift).get("/api/v1/personer/0101804321/").status_code == 200
    jc = UserFactory(username="jc", jobcenter=True, kommuner=[101])
    assert api.as_user(jc).get("/api/v1/personer/0101804321/").status_code == 403


def test_get_person_query_count(api, sagsbehandler, borger, django_assert_max_num_queries):
    for i in range(10):
        Relation.objects.create(person=borger, type="barn", cpr=make_cpr(200 + i, dt.date(2010, 1, 1)))
    client = api.as_user(sagsbehandler)
    with django_assert_max_num_queries(8):
        assert client.get("/api/v1/personer/0101804321/").status_code == 200


# --- person_fakta -------------------------------------------------------------------------------------------

def test_person_fakta_is_one_query_for_many_cprs(borger):
    others = [PersonFactory(cpr=make_cpr(300 + i)) for i in range(30)]
    with CaptureQueriesContext(connection) as q:
        fakta = selectors.person_fakta([borger.cpr] + [o.cpr for o in others] + ["0101800000"], D)
    assert len(q.captured_queries) == 1
    assert len(fakta) == 31 and "0101800000" not in fakta  # unknown to ky: missing
    assert fakta[others[0].cpr].kendt is False and fakta[others[0].cpr].boern == ()


def test_person_fakta_of_a_forsoerger(borger):
    f = selectors.person_fakta([borger.cpr], D)[borger.cpr]
    assert f.foedselsdato == dt.date(1980, 1, 1) and f.alder == 46
    assert f.status == "aktiv" and f.civilstand == "G" and f.gift_samlevende
    assert [(b.cpr, b.foedselsdato, b.alder) for b in f.boern] == [("0203154325", dt.date(2015, 3, 2), 11)]
    assert f.forsoerger is True
    assert f.kommunekode == 101 and f.adresse["vejkode"] == 4826 and f.adresse["co"] == "Hansen"
    assert f.opholdskrav_opfyldt is True and "§ 11, stk. 3" in f.opholdskrav_kilde
    assert f.digital_post_fritaget is False and f.hjemmeboende is False


def test_forsoerger_ends_when_the_child_turns_18(borger):
    f = selectors.person_fakta([borger.cpr], dt.date(2033, 3, 1))[borger.cpr]
    assert f.boern[0].alder == 17 and f.forsoerger
    f = selectors.person_fakta([borger.cpr], dt.date(2033, 3, 2))[borger.cpr]
    assert f.boern[0].alder == 18 and not f.forsoerger
    assert not selectors.person_fakta([borger.cpr], dt.date(2033, 3, 2), barn_alder_aar=18)[borger.cpr].forsoerger
    # a child not yet born on the date is no child
    assert selectors.person_fakta([borger.cpr], dt.date(2015, 3, 1))[borger.cpr].boern == ()


def test_hjemmeboende_is_a_parent_at_the_same_address(borger):
    barn = PersonFactory(cpr="0203154325")
    stamdata(barn)  # Nørregade 12, 2. TV like the parent
    Relation.objects.create(person=barn, type="forælder", cpr=borger.cpr)
    assert selectors.person_fakta([barn.cpr], D)[barn.cpr].hjemmeboende is True
    Stamdata.objects.filter(person=barn).update(husnr="14")
    assert selectors.person_fakta([barn.cpr], D)[barn.cpr].hjemmeboende is False


def test_opholdskrav_nine_of_ten_years():
    p = PersonFactory(cpr=make_cpr(400))
    stamdata(p)
    Ophold.objects.create(person=p, fra=dt.date(1990, 1, 1), til=dt.date(2017, 12, 6), land="SE")
    Ophold.objects.create(person=p, fra=dt.date(2017, 12, 8), land="DK")  # exactly 9 years up to and incl. D
    f = selectors.person_fakta([p.cpr], D)[p.cpr]
    assert f.opholdskrav_opfyldt is True and f.ophold_i_riget_dage == (D - dt.date(2017, 12, 8)).days + 1
    Ophold.objects.filter(person=p, land="DK").update(fra=dt.date(2017, 12, 9))
    assert selectors.person_fakta([p.cpr], D)[p.cpr].opholdskrav_opfyldt is False
    # Greenland counts as riget
    Ophold.objects.create(person=p, fra=dt.date(2017, 1, 1), til=dt.date(2017, 12, 8), land="GL")
    assert selectors.person_fakta([p.cpr], D)[p.cpr].opholdskrav_opfyldt is True
    # before 2019 the requirement was 7 of 8 years
    assert "lov nr. 1000" in selectors.person_fakta([p.cpr], dt.date(2018, 6, 1))[p.cpr].opholdskrav_kilde


def test_folkepensionsalder_table():
    from cases.personer import regler

    assert regler.folkepensionsdato(dt.date(1953, 12, 31)) == dt.date(2018, 12, 31)
    assert regler.folkepensionsdato(dt.date(1954, 1, 1)) == dt.date(2019, 7, 1)
    assert regler.folkepensionsdato(dt.date(1954, 7, 1)) == dt.date(2020, 7, 1)
    assert regler.folkepensionsdato(dt.date(1955, 6, 30)) == dt.date(2021, 12, 30)
    assert regler.folkepensionsdato(dt.date(1962, 12, 31)) == dt.date(2029, 12, 31)
    assert regler.folkepensionsdato(dt.date(1963, 1, 1)) == dt.date(2031, 1, 1)
    assert regler.folkepensionsdato(dt.date(1970, 12, 31)) == dt.date(2039, 12, 31)
    assert regler.folkepensionsdato(dt.date(1971, 1, 1)) == dt.date(2041, 1, 1)


def test_delete_persons_takes_the_register_rows_along():
    from django.utils import timezone

    from batch.services import run_job
    from cases.models import Person, Sletningslog

    p = PersonFactory(cpr=make_cpr(500))
    stamdata(p)
    Relation.objects.create(person=p, type="barn", cpr=make_cpr(501, dt.date(2010, 1, 1)))
    Ophold.objects.create(person=p, fra=dt.date(2000, 1, 1), land="DK")
    Person.objects.filter(pk=p.pk).update(oprettet=timezone.now() - dt.timedelta(days=30))
    k = run_job("delete-persons", kommune=None, as_of=timezone.localdate())
    assert k.status == "succeeded", k.besked
    assert not Person.objects.filter(pk=p.pk).exists() and not Stamdata.objects.exists()
    assert {"person", "stamdata", "relation", "ophold"} <= set(Sletningslog.objects.values_list("kind", flat=True))
