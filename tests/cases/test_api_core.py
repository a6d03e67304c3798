import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.models import Adgangslog, Sag
from tests.factories import BevillingFactory, OpgaveFactory, SagFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_create_sag_creates_person_and_strips_dash(api, sagsbehandler):
    r = api.as_user(sagsbehandler).post("/api/v1/sager/", {"kommune": 101, "cpr": "010180-1234", "navn": "Anne Jensen",
                                                          "ydelsestype": "KTH"}, format="json")
    assert r.status_code == 201, r.content
    assert r.json()["cpr"] == "0101801234"
    assert r.json()["navn"] == "Anne Jensen"
    assert r.json()["status"] == "aktiv"


@pytest.mark.parametrize("body,felt", [
    ({"kommune": 101, "cpr": "3202801234", "ydelsestype": "KTH"}, "cpr"),
    ({"kommune": 999, "cpr": "0101801234", "ydelsestype": "KTH"}, "kommune"),
    ({"kommune": 751, "cpr": "0101801234", "ydelsestype": "KTH"}, "kommune"),
    ({"kommune": 101, "cpr": "0101801234", "ydelsestype": "XXX"}, "ydelsestype"),
    ({"kommune": "abc", "cpr": "0101801234", "ydelsestype": "KTH"}, "kommune"),
])
def test_bad_input_is_400_with_error_shape_and_writes_nothing(api, sagsbehandler, body, felt):
    r = api.as_user(sagsbehandler).post("/api/v1/sager/", body, format="json")
    assert r.status_code == 400
    fejl = r.json()["fejl"]
    assert fejl and fejl[0]["felt"] == felt and fejl[0]["tekst"]
    assert not Sag.objects.exists()


def test_other_kommune_is_404_and_not_listed(api, sagsbehandler):
    own = SagFactory(kommune_id=101)
    other = SagFactory(kommune_id=751)
    client = api.as_user(sagsbehandler)
    ids = [s["id"] for s in client.get("/api/v1/sager/").json()["results"]]
    assert ids == [own.pk]
    assert client.get(f"/api/v1/sager/{other.pk}/").status_code == 404
    assert client.patch(f"/api/v1/sager/{other.pk}/", {"status": "lukket"}, format="json").status_code == 404


def test_role_without_access_gets_403(api):
    jc = UserFactory(jobcenter=True)
    assert api.as_user(jc).get("/api/v1/sager/").status_code == 403


def test_reads_are_access_logged(api, sagsbehandler):
    sag = SagFactory()
    api.as_user(sagsbehandler).get(f"/api/v1/sager/{sag.pk}/")
    log = Adgangslog.objects.get()
    assert log.cpr == sag.person.cpr and log.bruger == sagsbehandler and "sager" in log.visning


@pytest.mark.parametrize("path,factory", [
    ("/api/v1/sager/", SagFactory),
    ("/api/v1/bevillinger/", BevillingFactory),
    ("/api/v1/opgaver/", OpgaveFactory),
])
def test_list_query_count_does_not_grow(api, sagsbehandler, path, factory):
    client = api.as_user(sagsbehandler)
    factory()
    client.get(path)  # warm per-user caches
    with CaptureQueriesContext(connection) as one:
        assert client.get(path).status_code == 200
    factory.create_batch(10)
    with CaptureQueriesContext(connection) as many:
        assert client.get(path).status_code == 200
    assert len(many) == len(one)


def test_bevilling_without_sag_and_filter(api, sagsbehandler):
    BevillingFactory(uden_sag=True, kmd_aktiv_bevillingsnr="777")
    BevillingFactory()
    r = api.as_user(sagsbehandler).get("/api/v1/bevillinger/?uden_sag=true")
    assert [b["kmd_aktiv_bevillingsnr"] for b in r.json()["results"]] == ["777"]


def test_health(client):
    r = client.get("/health/")
    assert r.status_code == 200 and r.json() == {"db": "ok", "redis": "ok"}


def test_schema_generates(api, drift):
    r = api.as_user(drift).get("/api/schema/?format=json")
    assert r.status_code == 200
    assert "/api/v1/sager/" in r.json()["paths"]
