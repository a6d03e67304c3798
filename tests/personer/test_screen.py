"""The person page, linked from the sag page: who, where, relations, status, history, sager; scoped; logged."""

import datetime as dt

import pytest

from cases.models import Abonnement, Adgangslog
from cases.personer.models import Ophold, Relation, Stamdata
from cases.personer.services import modtag_haendelser
from tests.factories import PersonFactory, SagFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sag():
    s = SagFactory(kommune_id=101, person=PersonFactory(cpr="0101804321", navn="Anna Jensen"))
    Stamdata.objects.create(person=s.person, foedselsdato=dt.date(1980, 1, 1), vejnavn="Nørregade", husnr="12",
                            postnr=1165, by="København K", kommunekode=101, vejkode=4826, co="Hansen", civilstand="G")
    Relation.objects.create(person=s.person, type="barn", cpr="0203154325")
    Ophold.objects.create(person=s.person, fra=dt.date(1980, 1, 1), land="DK")
    Abonnement.objects.create(kommune_id=101, person=s.person)
    modtag_haendelser([{"haendelse_id": "h1", "cpr": s.person.cpr, "type": "navn", "dato": "2026-12-01",
                        "data": {"navn": "Anna Holm"}}], kilde="test")
    return s


def test_person_page_from_the_sag_page(client, sagsbehandler, sag):
    client.force_login(sagsbehandler)
    html = client.get(f"/sager/{sag.pk}/").content.decode()
    assert '/personer/0101804321/' in html
    r = client.get("/personer/0101804321/")
    assert r.status_code == 200
    html = r.content.decode()
    for tekst in ("Anna Holm", "Nørregade 12", "c/o Hansen", "København K", "Gift", "Barn", "0203154325", "Aktiv",
                  "Forsørger", "Opfyldt", f"Sag {sag.pk}", "Historik", "Anna Jensen", "CPR-hændelse (test) h1"):
        assert tekst in html, tekst
    assert Adgangslog.objects.filter(bruger=sagsbehandler, cpr="0101804321", visning="person 0101804321").exists()


def test_person_page_of_another_kommune_is_404(client, sagsbehandler_751, sag):
    client.force_login(sagsbehandler_751)
    assert client.get("/personer/0101804321/").status_code == 404
    assert client.get("/personer/ugyldig/").status_code == 404


def test_person_page_query_count(client, sagsbehandler, sag, django_assert_max_num_queries):
    for _ in range(5):
        SagFactory(kommune_id=101, person=sag.person)
    client.force_login(sagsbehandler)
    with django_assert_max_num_queries(14):
        assert client.get("/personer/0101804321/").status_code == 200
