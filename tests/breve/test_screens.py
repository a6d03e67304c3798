"""Screens: a sag's letters and documents (open the PDF); a kommuneadmin orders a report and sees it appear."""

import datetime as dt

import pytest

from batch.services import run_job
from cases.breve import services
from cases.breve.models import Rapport
from tests.factories import SagFactory

pytestmark = pytest.mark.django_db


def test_the_sag_shows_its_letters_and_opens_the_pdf(client, sagsbehandler, brevhoveder, django_assert_max_num_queries):
    sag = SagFactory(kommune_id=101)
    b = services.opret_brev("fritekst", kommune=101, sag=sag, data={"overskrift": "Om din sag", "afsnit": ["x"]})
    client.force_login(sagsbehandler)
    r = client.get(f"/sager/{sag.pk}/")
    html = r.content.decode()
    assert "Om din sag" in html and f"/dokumenter/{b.dokument_id}.pdf" in html and "Klar" in html
    pdf = client.get(f"/dokumenter/{b.dokument_id}.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    other = services.opret_brev("fritekst", kommune=751, sag=SagFactory(kommune_id=751),
                                data={"overskrift": "x", "afsnit": ["y"]})
    assert client.get(f"/dokumenter/{other.dokument_id}.pdf").status_code == 404


def test_kommuneadmin_orders_a_report_and_sees_it_appear(client, kommuneadmin, brevhoveder):
    client.force_login(kommuneadmin)
    r = client.post("/rapporter/", {"type": "sagsbelastning", "kommune": "101"})
    assert r.status_code == 302
    page = client.get("/rapporter/").content.decode()
    assert "Bestilt" in page and 'hx-trigger="every 3s"' in page  # polls while it is being made
    run_job("fasterapporter", kommune=101, as_of=dt.date(2026, 12, 7))
    tabel = client.get("/rapporter/tabel/").content.decode()
    rap = Rapport.objects.get()
    assert "Færdig" in tabel and f"/dokumenter/{rap.liste.dokument_id}.pdf" in tabel and "every 3s" not in tabel
    bad = client.post("/rapporter/", {"type": "udbetalinger-pr-maaned", "kommune": "101", "fra": "2026-13"}, follow=True)
    assert "ÅÅÅÅ-MM" in bad.content.decode() and Rapport.objects.count() == 1
