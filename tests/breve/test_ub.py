"""Underholdsbidrag's PDFs on the platform (seed 004): the stamkort with the kommune's letterhead,
page numbers and '*' on changed fields."""

import random

import pytest

from debitor.underholdsbidrag import demo
from debitor.underholdsbidrag.models import UBSag
from tests.breve.conftest import pdf_text

pytestmark = pytest.mark.django_db


def test_stamkort_is_rendered_by_the_platform(api, sagsbehandler, brevhoveder):
    demo.bulk_sager(101, 2, random.Random(1), __import__("datetime").date(2026, 12, 1))
    sag = UBSag.objects.filter(kommune_id=101).first()
    sag.aendrede_felter = ["omraade"]
    sag.save()
    r = api.as_user(sagsbehandler).get(f"/api/v1/underholdsbidrag/sager/{sag.pk}/stamkort.pdf")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    text = pdf_text(r.content)
    flat = " ".join(text.split())
    assert "Københavns Kommune" in text and "Stamkort – underholdsbidrag" in text and "Side 1 af 1" in text
    assert f"Sag {sag.pk} · kommune 101 · område {sag.omraade} *" in flat
    assert sag.bb_cpr in flat
