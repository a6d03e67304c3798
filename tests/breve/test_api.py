"""/api/v1/breve/, /lister/, /rapporter/ (contract breve.md): fields, filters, scoping, PDF/CSV, orders."""

import pytest

from batch.services import run_job
from cases.breve import services
from cases.breve.models import Rapport, RapportStatus
from tests.breve.conftest import pdf_text
from tests.factories import OpgaveFactory, OpgavepakkeFactory, SagFactory, make_cpr

pytestmark = pytest.mark.django_db


def _brev(kommune, cpr, **kw):
    return services.opret_brev("fritekst", kommune=kommune, cpr=cpr, data={"overskrift": "Hej", "afsnit": ["x"]}, **kw)


def test_breve_list_has_the_contract_fields_filters_and_is_scoped(api, sagsbehandler, brevhoveder,
                                                                  django_assert_max_num_queries):
    sag = SagFactory(kommune_id=101)
    own = [_brev(101, make_cpr(i), sag=sag) for i in range(3)]
    other = _brev(751, make_cpr(99))
    failed = services.opret_brev("fritekst", kommune=101, cpr=make_cpr(5), data={"overskrift": "x"})
    client = api.as_user(sagsbehandler)
    with django_assert_max_num_queries(8):
        r = client.get("/api/v1/breve/")
    rows = r.json()["results"]
    assert {x["id"] for x in rows} == {b.pk for b in own} | {failed.pk}
    assert set(rows[0]) == {"id", "kommune", "type", "sag", "ub_sag", "cpr", "titel", "status", "dannet", "sendt",
                            "kanal", "fejl"}
    assert client.get(f"/api/v1/breve/{other.pk}/").status_code == 404
    assert client.get(f"/api/v1/breve/{other.pk}/pdf/").status_code == 404
    assert [x["id"] for x in client.get("/api/v1/breve/?status=fejlet").json()["results"]] == [failed.pk]
    assert client.get(f"/api/v1/breve/?sag={sag.pk}").json()["count"] == 3
    assert client.get(f"/api/v1/breve/?cpr={own[0].cpr}").json()["count"] == 1
    assert client.get("/api/v1/breve/?type=fritekst&kommune=101").json()["count"] == 4
    one = client.get(f"/api/v1/breve/{failed.pk}/").json()
    assert one["status"] == "fejlet" and one["fejl"] and one["kanal"] == "digital_post"
    pdf = client.get(f"/api/v1/breve/{own[0].pk}/pdf/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert "Københavns Kommune" in pdf_text(b"".join(pdf))


def test_order_a_report_produce_it_and_read_pdf_and_csv(api, brevhoveder, kommuneadmin):
    pakke = OpgavepakkeFactory(kommune_id=101, kode="P1", navn="Ydelse og fravær")
    import datetime as dt
    for i in range(3):
        OpgaveFactory(opgavepakke=pakke, frist=dt.date(2026, 11, 1 + i))
    client = api.as_user(kommuneadmin)
    r = client.post("/api/v1/rapporter/", {"type": "opgaver-overskredet", "kommune": 101, "parametre": {}},
                    format="json")
    assert r.status_code == 201, r.content
    rid = r.json()["id"]
    assert r.json()["status"] == "bestilt" and r.json()["liste"] is None
    assert client.get(f"/api/v1/rapporter/{rid}/pdf/").status_code == 404  # not produced yet
    run = run_job("fasterapporter", kommune=101, as_of=dt.date(2026, 12, 7))
    assert run.status == "succeeded", run.log
    body = client.get(f"/api/v1/rapporter/{rid}/").json()
    assert body["status"] == "faerdig" and body["sider"] == 1
    text = pdf_text(b"".join(client.get(f"/api/v1/rapporter/{rid}/pdf/")))
    assert "Ydelse og fravær" in text and "01.11.2026" in text
    csv = client.get(f"/api/v1/rapporter/{rid}/csv/").content.decode("utf-8-sig")
    assert csv.splitlines()[0] == "Opgavepakke;Åbne opgaver;Overskredet frist;Ældste frist"
    assert "Ydelse og fravær;3;3;01.11.2026" in csv
    liste = client.get("/api/v1/lister/").json()["results"][0]
    assert set(liste) == {"id", "kommune", "type", "titel", "koersel", "dannet", "sider"}
    assert client.get(f"/api/v1/lister/{liste['id']}/csv/").status_code == 200


def test_report_order_outside_the_users_kommune_is_404_and_bad_orders_400(api, kommuneadmin, brevhoveder):
    client = api.as_user(kommuneadmin)
    r = client.post("/api/v1/rapporter/", {"type": "sagsbelastning", "kommune": 751}, format="json")
    assert r.status_code == 404
    for body in ({"type": "findes-ikke", "kommune": 101}, {"type": "sagsbelastning", "kommune": "x"},
                 {"type": "udbetalinger-pr-maaned", "kommune": 101, "parametre": {"fra": "2026-13"}},
                 {"type": "udbetalinger-pr-maaned", "kommune": 101, "parametre": {"fra": "2020-01", "til": "2026-01"}},
                 {"type": "sagsbelastning", "kommune": 101, "parametre": "x"}, "ikke json", [1]):
        r = client.post("/api/v1/rapporter/", body, format="json")
        assert r.status_code == 400, (body, r.content)
        assert all(f["tekst"] for f in r.json()["fejl"])
    assert not Rapport.objects.exists()


def test_drift_reads_but_may_not_order_and_another_kommunes_report_is_404(api, brevhoveder, drift, sagsbehandler):
    other = Rapport.objects.create(kommune_id=751, type="sagsbelastning")
    assert api.as_user(drift).post("/api/v1/rapporter/", {"type": "sagsbelastning", "kommune": 101},
                                   format="json").status_code == 403
    assert api.as_user(drift).get(f"/api/v1/rapporter/{other.pk}/").status_code == 200
    assert api.as_user(sagsbehandler).get(f"/api/v1/rapporter/{other.pk}/").status_code == 404


def test_a_failing_report_is_fejlet_and_the_others_are_produced(brevhoveder):
    import datetime as dt
    bad = Rapport.objects.create(kommune_id=101, type="udbetalinger-pr-maaned", parametre={"fra": "x"})
    good = Rapport.objects.create(kommune_id=101, type="sagsbelastning")
    run = run_job("fasterapporter", kommune=101, as_of=dt.date(2026, 12, 7))
    bad.refresh_from_db(), good.refresh_from_db()
    assert bad.status == RapportStatus.FEJLET and "ÅÅÅÅ-MM" in bad.fejl
    assert good.status == RapportStatus.FAERDIG and run.counts["created"] == 1


def test_fasterapporter_dry_run_changes_nothing(brevhoveder):
    import datetime as dt
    Rapport.objects.create(kommune_id=101, type="sagsbelastning")
    run = run_job("fasterapporter", kommune=101, as_of=dt.date(2026, 12, 7), dry_run=True)
    assert run.counts["created"] == 1 and Rapport.objects.get().status == "bestilt"


def test_rapport_list_query_count(api, kommuneadmin, brevhoveder, django_assert_max_num_queries):
    import datetime as dt
    for _ in range(4):
        Rapport.objects.create(kommune_id=101, type="sagsbelastning")
    run_job("fasterapporter", kommune=101, as_of=dt.date(2026, 12, 7))
    with django_assert_max_num_queries(6):
        r = api.as_user(kommuneadmin).get("/api/v1/rapporter/")
    assert r.json()["count"] == 4 and all(x["sider"] == 1 for x in r.json()["results"])
