"""Jobs 8 (varsel, partshøring) and 9 (oplysningspligt) on a known case: the figures in the PDF's text."""

import datetime as dt
from decimal import Decimal

import pytest

from batch.services import run_job
from cases.breve.models import Brev
from cases.models import Opgave
from tests.breve.conftest import pdf_text
from tests.factories import BevillingFactory, PersonFactory, SagFactory, make_cpr

pytestmark = pytest.mark.django_db

DAG = dt.date(2026, 12, 7)
JOB8 = "varsling-bortfald-nedsaettelse-eller-partshoering"


def _bevilling(**kw):
    sag = SagFactory(kommune_id=101, person=PersonFactory(cpr=make_cpr(kw.pop("n", 1)), navn="Mette Juul"),
                     ydelsestype="KTH")
    return BevillingFactory(sag=sag, ydelsestype="KTH", status="bevilget", maanedligt_beloeb=Decimal("12345.67"), **kw)


def _text(b):
    return " ".join(pdf_text(b.dokument.indhold).split())


def test_varsel_six_months_before_bevilget_til_with_figures_and_a_task(brevhoveder):
    inside = _bevilling(bevilget_fra=dt.date(2026, 1, 1), bevilget_til=dt.date(2027, 6, 7))
    outside = _bevilling(n=2, bevilget_fra=dt.date(2026, 1, 1), bevilget_til=dt.date(2027, 6, 8))
    run = run_job(JOB8, kommune=101, as_of=DAG)
    assert run.status == "succeeded", run.log
    b = Brev.objects.get(type="varsel-bortfald")
    assert b.sag_id == inside.sag_id and b.noegle == f"varsel:{inside.pk}:2027-06-07"
    text = _text(b)
    for s in ("Mette Juul", "7. juni 2027", "1. januar 2026", "12.345,67 kr.", "6 måneder før", "Københavns Kommune"):
        assert s in text, s
    o = Opgave.objects.get(type=JOB8)
    assert o.sag_id == inside.sag_id and o.frist == dt.date(2027, 5, 24)
    assert not Brev.objects.filter(sag=outside.sag).exists()
    # the batchkonstant moves the window
    from batch.models import Batchkonstant
    Batchkonstant.objects.create(kommune_id=101, job=JOB8, noegle="varsel_maaneder_foer_bortfald", vaerdi=7,
                                 gyldig_fra=dt.date(2026, 1, 1))
    assert run_job(JOB8, kommune=101, as_of=DAG).counts["created"] == 1


def test_partshoering_before_a_nedsaettelse(brevhoveder):
    from cases.ydelse.models import Sanktion
    bev = _bevilling(bevilget_fra=dt.date(2026, 1, 1))
    s = Sanktion.objects.create(bevilling=bev, kommune_id=101, art="sanktion", fra=dt.date(2027, 1, 1),
                                til=dt.date(2027, 1, 31), beloeb=Decimal("1500.50"), begrundelse="Udeblevet fra samtale.")
    Sanktion.objects.create(bevilling=bev, kommune_id=101, art="sanktion", fra=dt.date(2026, 11, 1),
                            til=dt.date(2026, 11, 30), begrundelse="Allerede i kraft.")
    run = run_job(JOB8, kommune=101, as_of=DAG)
    b = Brev.objects.get(type="partshoering-nedsaettelse")
    assert b.noegle == f"partshoering:{s.pk}" and run.counts["created"] == 1
    text = _text(b)
    for s_ in ("1.500,50 kr.", "1. januar 2027", "31. januar 2027", "21. december 2026", "Udeblevet fra samtale.",
               "forvaltningslovens § 19"):
        assert s_ in text, s_
    assert Opgave.objects.get(type=JOB8, noegle=f"partshoering:{s.pk}").frist == dt.date(2026, 12, 21)


def test_oplysningspligt_once_per_new_bevilling(brevhoveder):
    new = _bevilling(bevilget_fra=dt.date(2026, 11, 20))
    _bevilling(n=2, bevilget_fra=dt.date(2026, 10, 1))  # older than 30 days
    assert run_job("oplysningspligt", kommune=101, as_of=DAG).counts["created"] == 1
    b = Brev.objects.get(type="oplysningspligt")
    assert b.sag_id == new.sag_id
    text = _text(b)
    assert "20. november 2026" in text and "12.345,67 kr." in text and "retssikkerhedslovens § 11" in text
    assert run_job("oplysningspligt", kommune=101, as_of=DAG).counts["created"] == 0
