"""The document platform (contract breve.md): letters rendered to PDF with the kommune's letterhead,
Danish dates and amounts, page numbers, fonts embedded; kept as a Dokument; klar/fejlet + task."""

import datetime as dt
import subprocess
from decimal import Decimal

import pytest

from cases.breve import services
from cases.breve.models import Brev, BrevStatus, Kanal
from cases.models import Dokument, Opgave
from tests.breve.conftest import pdf_text
from tests.factories import PersonFactory, SagFactory, make_cpr

pytestmark = pytest.mark.django_db

MODTAGER = {"navn": "Anne Hansen", "adresse": ["Nørrebrogade 10, 2. th.", "2200 København N"]}


def test_a_letter_is_rendered_with_letterhead_danish_amounts_dates_and_page_numbers(brevhoveder):
    sag = SagFactory(kommune_id=101, person=PersonFactory(cpr=make_cpr(7), navn="Anne Hansen"))
    b = services.opret_brev("fritekst", kommune=101, sag=sag, as_of=dt.date(2026, 12, 7),
                            data={"overskrift": "Om din ydelse", "afsnit": [f"Du får {Decimal('1234.5')} kr."]},
                            modtager=MODTAGER)
    assert b.status == BrevStatus.KLAR and b.kanal == Kanal.DIGITAL_POST and b.cpr == sag.person.cpr
    d = Dokument.objects.get(pk=b.dokument_id)
    assert d.sag_id == sag.pk and d.person_id == sag.person_id and d.mimetype == "application/pdf"
    text = pdf_text(d.indhold)
    for s in ("Københavns Kommune", "Rådhuspladsen 1", "1599 København V", "7. december 2026", "Anne Hansen",
              "Nørrebrogade 10, 2. th.", "Om din ydelse", "Side 1 af 1", f"{sag.person.cpr[:6]}-{sag.person.cpr[6:]}"):
        assert s in text, s
    assert b.data == {"overskrift": "Om din ydelse", "afsnit": ["Du får 1234.5 kr."]}  # the data it was made from


def test_fonts_are_embedded_and_the_page_is_a4(brevhoveder):
    b = services.opret_brev("fritekst", kommune=101, cpr=make_cpr(8), data={"overskrift": "x", "afsnit": ["y"]})
    pdf = bytes(Dokument.objects.get(pk=b.dokument_id).indhold)
    fonts = subprocess.run(["pdffonts", "-"], input=pdf, capture_output=True).stdout.decode()
    rows = fonts.splitlines()[2:]
    assert rows and all(" yes " in r for r in rows), fonts  # emb yes
    info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True).stdout.decode()
    assert "595.276 x 841.89 pts (A4)" in info


def test_the_kr_and_dato_filters():
    from cases.breve.templatetags.breve import cpr, dato, kortdato, kr

    assert kr(Decimal("1234.5")) == "1.234,50 kr." and kr("1234567.005") == "1.234.567,01 kr." and kr(None) == ""
    assert dato("2026-01-31") == "31. januar 2026" and kortdato(dt.date(2026, 5, 4)) == "04.05.2026"
    assert cpr("0101801234") == "010180-1234"


def test_incomplete_data_is_fejlet_with_a_reason_and_a_task_never_sent_blank(brevhoveder):
    sag = SagFactory(kommune_id=101)
    b = services.opret_brev("fritekst", kommune=101, sag=sag, data={"overskrift": "Varsel"})
    assert b.status == BrevStatus.FEJLET and "afsnit" in b.fejl
    o = Opgave.objects.get(pk=b.opgave_id)
    assert o.type == "brev-fejlet" and o.sag_id == sag.pk and o.data["brev"] == b.pk and o.opgavepakke_id


def test_exempt_citizen_without_address_is_fejlet(brevhoveder):
    b = services.opret_brev("fritekst", kommune=101, cpr=make_cpr(9), data={"overskrift": "x", "afsnit": ["y"]},
                            modtager={"navn": "Ib", "adresse": [], "fritaget": True})
    assert b.status == BrevStatus.FEJLET and b.kanal == Kanal.PRINT and "adresse" in b.fejl
    assert Opgave.objects.filter(type="brev-fejlet", noegle=f"brev:{b.pk}").exists()


def test_exempt_citizen_with_address_gets_print_and_no_print_channel_is_fejlet(brevhoveder):
    b = services.opret_brev("fritekst", kommune=101, cpr=make_cpr(10), data={"overskrift": "x", "afsnit": ["y"]},
                            modtager={**MODTAGER, "fritaget": True})
    assert b.status == BrevStatus.KLAR and b.kanal == Kanal.PRINT
    brevhoveder[0].print_kanal = False
    brevhoveder[0].save()
    b = services.opret_brev("fritekst", kommune=101, cpr=make_cpr(11), data={"overskrift": "x", "afsnit": ["y"]},
                            modtager={**MODTAGER, "fritaget": True})
    assert b.status == BrevStatus.FEJLET and "printkanal" in b.fejl


def test_kommune_without_letterhead_is_fejlet(db):
    b = services.opret_brev("fritekst", kommune=147, cpr=make_cpr(12), data={"overskrift": "x", "afsnit": ["y"]})
    assert b.status == BrevStatus.FEJLET and "brevhovedet" in b.fejl


def test_noegle_makes_a_letter_once_and_batches_use_few_queries(brevhoveder, django_assert_max_num_queries):
    nye = [services.NytBrev(type="fritekst", kommune_id=101, cpr=make_cpr(100 + i), noegle=f"t:{i}",
                            data={"overskrift": f"Brev {i}", "afsnit": ["a"]}) for i in range(12)]
    with django_assert_max_num_queries(12):
        res = services.opret_breve(nye)
    assert res.oprettet == 12 and res.sider == 12
    again = services.opret_breve(nye)
    assert again.oprettet == 0 and again.sprunget_over == 12
    assert Brev.objects.count() == 12


def test_dry_run_stores_nothing(brevhoveder):
    res = services.opret_breve([services.NytBrev(type="fritekst", kommune_id=101, cpr=make_cpr(5),
                                                 data={"overskrift": "x", "afsnit": ["y"]})], dry_run=True)
    assert res.oprettet == 1 and not Brev.objects.exists() and not Dokument.objects.exists()


def test_a_renderer_is_reused_per_worker():
    from cases.breve.render import renderer

    assert renderer() is renderer()
    before = renderer().documents
    renderer().render("<html><body><p>x</p></body></html>")
    assert renderer().documents == before + 1


def test_the_fetcher_refuses_the_network_and_other_files():
    from cases.breve.render import renderer

    f = renderer().fetcher
    for url in ("http://example.com/x.css", "file:///etc/passwd"):
        with pytest.raises(ValueError):
            f.fetch(url)
    assert f.fetch(renderer().base_url + "hus.css").read().startswith(b"/*")


def test_the_person_register_gives_name_address_and_fritaget(brevhoveder):
    from cases.personer.models import Stamdata

    p = PersonFactory(cpr=make_cpr(21), navn="Bo Bach")
    Stamdata.objects.create(person=p, foedselsdato=dt.date(1980, 1, 1), vejnavn="Jagtvej", husnr="12", etage="3",
                            side="tv", postnr=2200, by="København N", kommunekode=101, digital_post_fritaget=True)
    b = services.opret_brev("fritekst", kommune=101, cpr=p.cpr, data={"overskrift": "x", "afsnit": ["y"]})
    assert b.status == BrevStatus.KLAR and b.kanal == Kanal.PRINT
    assert b.modtager["adresse"] == ["Jagtvej 12, 3. tv.", "2200 København N"] and b.modtager["navn"] == "Bo Bach"
    assert "Jagtvej 12, 3. tv." in pdf_text(Dokument.objects.get(pk=b.dokument_id).indhold)
    q = PersonFactory(cpr=make_cpr(22), navn="Død Person")
    Stamdata.objects.create(person=q, foedselsdato=dt.date(1980, 1, 1), status="doed", status_dato=dt.date(2026, 1, 1))
    d = services.opret_brev("fritekst", kommune=101, cpr=q.cpr, data={"overskrift": "x", "afsnit": ["y"]})
    assert d.status == BrevStatus.FEJLET and "død" in d.fejl
