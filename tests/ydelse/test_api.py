"""The API of ydelse.md: satser (faggruppe), beregning, indtaegter, sanktioner; bad input stores nothing."""

import datetime as dt
from decimal import Decimal

import pytest

from cases.ydelse.models import Indtaegt, Sanktion, Sats
from integrations.sf2520.models import Effektuering
from tests.factories import BevillingFactory, PersonFactory, SagFactory, UserFactory, make_cpr

pytestmark = pytest.mark.django_db


@pytest.fixture
def faggruppe(db):
    return UserFactory(username="fag1", faggruppe=True)


@pytest.fixture
def regel_bevilling():
    person = PersonFactory(cpr=make_cpr(77, dt.date(1980, 5, 5)))
    return BevillingFactory(sag=SagFactory(kommune_id=101, person=person), maanedligt_beloeb=None,
                            bevilget_fra=dt.date(2026, 1, 1))


def test_satser_read_by_all_written_by_faggruppe(api, sagsbehandler, faggruppe):
    r = api.as_user(sagsbehandler).get("/api/v1/satser/")
    assert r.status_code == 200 and len(r.json()["results"]) == Sats.objects.count() > 50
    row = r.json()["results"][0]
    assert set(row) == {"id", "ydelsestype", "kategori", "gyldig_fra", "gyldig_til", "beloeb", "kilde"}
    body = {"ydelsestype": "KTH", "kategori": "forhoejet_sats", "gyldig_fra": "2030-01-01", "beloeb": "14000.00",
            "kilde": "test"}
    assert api.as_user(sagsbehandler).post("/api/v1/satser/", body, format="json").status_code == 403
    # the open 2026 period overlaps: refused, nothing stored
    n = Sats.objects.count()
    r = api.as_user(faggruppe).post("/api/v1/satser/", body, format="json")
    assert r.status_code == 400 and r.json()["fejl"][0]["felt"] == "gyldig_fra" and Sats.objects.count() == n
    aaben = Sats.objects.get(ydelsestype="KTH", kategori="forhoejet_sats", gyldig_til__isnull=True)
    r = api.as_user(faggruppe).patch(f"/api/v1/satser/{aaben.pk}/", {"gyldig_til": "2029-12-31"}, format="json")
    assert r.status_code == 200 and r.json()["gyldig_til"] == "2029-12-31"
    r = api.as_user(faggruppe).post("/api/v1/satser/", body, format="json")
    assert r.status_code == 201 and r.json()["beloeb"] == "14000.00"


def test_overlap_is_refused_by_the_database_too():
    from django.db import IntegrityError, transaction

    s = Sats.objects.filter(gyldig_til__isnull=True).first()
    with pytest.raises(IntegrityError), transaction.atomic():
        Sats.objects.create(ydelsestype=s.ydelsestype, kategori=s.kategori, gyldig_fra=s.gyldig_fra,
                            beloeb=Decimal(1), kilde="x")


@pytest.mark.parametrize("body,felt", [
    ({"ydelsestype": "XYZ", "kategori": "a", "gyldig_fra": "2030-01-01", "beloeb": "1", "kilde": "k"}, "ydelsestype"),
    ({"ydelsestype": "KTH", "kategori": "a", "gyldig_fra": "2030-13-01", "beloeb": "1", "kilde": "k"}, "gyldig_fra"),
    ({"ydelsestype": "KTH", "kategori": "a", "gyldig_fra": "2030-01-01", "beloeb": "-1", "kilde": "k"}, "beloeb"),
    ({"ydelsestype": "KTH", "kategori": "a", "gyldig_fra": "2030-01-01", "beloeb": "1.234", "kilde": "k"}, "beloeb"),
    ({"ydelsestype": "KTH", "kategori": "a", "gyldig_fra": "2030-01-01", "beloeb": "1"}, "kilde"),
    ({"ydelsestype": "KTH", "kategori": "A B", "gyldig_fra": "2030-01-01", "beloeb": "1", "kilde": "k"}, "kategori"),
])
def test_bad_sats_input(api, faggruppe, body, felt):
    n = Sats.objects.count()
    r = api.as_user(faggruppe).post("/api/v1/satser/", body, format="json")
    assert r.status_code == 400 and felt in [f["felt"] for f in r.json()["fejl"]]
    assert Sats.objects.count() == n


def test_beregning_endpoint(api, sagsbehandler, regel_bevilling):
    r = api.as_user(sagsbehandler).get(f"/api/v1/bevillinger/{regel_bevilling.pk}/beregning/?maaned=2026-12")
    assert r.status_code == 200, r.content
    b = r.json()
    assert {"bevilling", "maaned", "dage", "sats", "fradrag", "beloeb", "forklaring"} <= set(b)
    assert b["maaned"] == "2026-12" and b["dage"] == 31
    assert all(set(t) == {"trin", "regel", "parameter", "beloeb"} for t in b["forklaring"])
    assert b["forklaring"][-1]["beloeb"] == b["beloeb"]


def test_beregning_bad_input_and_other_kommune(api, sagsbehandler, sagsbehandler_751, regel_bevilling):
    c = api.as_user(sagsbehandler)
    for q in ("", "?maaned=2026-13", "?maaned=dec"):
        r = c.get(f"/api/v1/bevillinger/{regel_bevilling.pk}/beregning/{q}")
        assert r.status_code == 400 and r.json()["fejl"][0]["felt"] == "maaned"
    assert api.as_user(sagsbehandler_751).get(
        f"/api/v1/bevillinger/{regel_bevilling.pk}/beregning/?maaned=2026-12").status_code == 404
    bos = BevillingFactory(kommune_id=101, ydelsestype="BOS", maanedligt_beloeb=None)
    r = api.as_user(sagsbehandler).get(f"/api/v1/bevillinger/{bos.pk}/beregning/?maaned=2026-12")
    assert r.status_code == 400 and r.json()["fejl"][0]["felt"] == "ydelsestype"


def test_income_changes_the_computation(api, sagsbehandler, regel_bevilling):
    c = api.as_user(sagsbehandler)
    url = f"/api/v1/bevillinger/{regel_bevilling.pk}/beregning/?maaned=2026-12"
    foer = Decimal(c.get(url).json()["beloeb"])
    r = c.post("/api/v1/indtaegter/", {"person": regel_bevilling.person.cpr, "maaned": "2026-12", "art": "anden",
                                       "beloeb": "700.00", "kilde": "eIndkomst"}, format="json")
    assert r.status_code == 201, r.content
    assert set(r.json()) == {"id", "person", "maaned", "art", "beloeb", "kilde"}
    assert Decimal(c.get(url).json()["beloeb"]) == foer - 700
    rows = c.get(f"/api/v1/indtaegter/?cpr={regel_bevilling.person.cpr}&maaned=2026-12").json()["results"]
    assert [x["beloeb"] for x in rows] == ["700.00"]


def test_income_in_a_closed_month_is_refused(api, sagsbehandler, regel_bevilling):
    Effektuering.objects.create(bevilling=regel_bevilling, kommune_id=101, person=regel_bevilling.person,
                                maaned=dt.date(2026, 11, 1), periode_fra=dt.date(2026, 11, 1),
                                periode_til=dt.date(2026, 11, 30), dage=30, dage_i_maaned=30,
                                maanedligt_beloeb=1, brutto=1, netto=1, status="endelig",
                                udbetalingsdato=dt.date(2026, 11, 30))
    r = api.as_user(sagsbehandler).post("/api/v1/indtaegter/", {
        "person": regel_bevilling.person.cpr, "maaned": "2026-11", "art": "loen", "beloeb": "100"}, format="json")
    assert r.status_code == 400 and r.json()["fejl"][0]["felt"] == "maaned"
    assert not Indtaegt.objects.exists()


def test_income_for_a_person_outside_my_kommuner(api, sagsbehandler_751, regel_bevilling):
    r = api.as_user(sagsbehandler_751).post("/api/v1/indtaegter/", {
        "person": regel_bevilling.person.cpr, "maaned": "2026-12", "art": "loen", "beloeb": "100"}, format="json")
    assert r.status_code == 400 and r.json()["fejl"][0]["felt"] == "person"
    assert not Indtaegt.objects.exists()


def test_sanktioner_create_overlap_delete(api, sagsbehandler, regel_bevilling):
    c = api.as_user(sagsbehandler)
    body = {"bevilling": regel_bevilling.pk, "art": "sanktion", "fra": "2026-12-01", "til": "2026-12-05",
            "begrundelse": "Udeblevet fra samtale"}
    r = c.post("/api/v1/sanktioner/", body, format="json")
    assert r.status_code == 201 and r.json()["beloeb"] is None
    r = c.post("/api/v1/sanktioner/", {**body, "fra": "2026-12-05", "til": "2026-12-09"}, format="json")
    assert r.status_code == 400 and r.json()["fejl"][0]["felt"] == "fra" and Sanktion.objects.count() == 1
    r = c.post("/api/v1/sanktioner/", {**body, "art": "ukendt", "fra": "2027-01-01", "til": "2027-01-02"},
               format="json")
    assert r.status_code == 400 and r.json()["fejl"][0]["felt"] == "art"
    beregning = c.get(f"/api/v1/bevillinger/{regel_bevilling.pk}/beregning/?maaned=2026-12").json()
    assert any(t["regel"].startswith("Sanktion") for t in beregning["forklaring"])
    sid = Sanktion.objects.get().pk
    assert c.delete(f"/api/v1/sanktioner/{sid}/").status_code == 204
    assert not Sanktion.objects.exists()


def test_sanktion_on_another_kommunes_bevilling(api, sagsbehandler_751, regel_bevilling):
    r = api.as_user(sagsbehandler_751).post("/api/v1/sanktioner/", {
        "bevilling": regel_bevilling.pk, "art": "sanktion", "fra": "2026-12-01", "til": "2026-12-05",
        "begrundelse": "x"}, format="json")
    assert r.status_code == 400 and r.json()["fejl"][0]["felt"] == "bevilling"


def test_lists_have_bounded_queries(api, sagsbehandler, regel_bevilling, django_assert_max_num_queries):
    for i in range(5):
        Indtaegt.objects.create(kommune_id=101, person=regel_bevilling.person, maaned=dt.date(2026, i + 1, 1),
                                art="loen", beloeb=100)
        Sanktion.objects.create(bevilling=regel_bevilling, kommune_id=101, art="sanktion",
                                fra=dt.date(2026, i + 1, 1), til=dt.date(2026, i + 1, 2), begrundelse="x")
    c = api.as_user(sagsbehandler)
    with django_assert_max_num_queries(8):
        assert len(c.get("/api/v1/indtaegter/").json()["results"]) == 5
    with django_assert_max_num_queries(8):
        assert len(c.get("/api/v1/sanktioner/").json()["results"]) == 5
    with django_assert_max_num_queries(6):
        c.get("/api/v1/satser/")
