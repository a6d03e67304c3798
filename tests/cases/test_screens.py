"""Screens: kommune isolation (404), login redirect, CPR access log, and query
counts that do not grow with rows (issue 2)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.models import Adgangslog
from tests.factories import (
    BevillingFactory, DebitorkontoFactory, FordringFactory, OpgaveFactory, OpgavepakkeFactory, SagFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def logged_in(client, sagsbehandler):
    client.force_login(sagsbehandler)
    return client


def _objects(kommune):
    sag = SagFactory(kommune_id=kommune)
    pakke = OpgavepakkeFactory(kommune_id=kommune, kode=f"P{kommune}", navn=f"Pakke {kommune}")
    opgave = OpgaveFactory(opgavepakke=pakke, sag=sag, person=sag.person)
    return sag, pakke, opgave


def test_another_kommunes_screens_are_404(logged_in):
    sag, pakke, opgave = _objects(751)
    for url in (f"/sager/{sag.pk}/", f"/opgavepakker/{pakke.pk}/", f"/opgaver/{opgave.pk}/"):
        assert logged_in.get(url).status_code == 404, url
    assert "Pakke 751" not in logged_in.get("/opgavepakker/").content.decode()


def test_anonymous_is_sent_to_login(client):
    sag, pakke, opgave = _objects(101)
    for url in ("/opgavepakker/", f"/opgavepakker/{pakke.pk}/", f"/sager/{sag.pk}/", f"/opgaver/{opgave.pk}/", "/"):
        r = client.get(url)
        assert r.status_code == 302 and r["Location"].startswith("/accounts/login/"), url


def test_login_page_has_the_danish_labels(client):
    html = client.get("/accounts/login/").content.decode()
    assert "Brugernavn" in html and "Adgangskode" in html and "Log ind" in html


def test_sag_page_shows_bevillinger_debitorkonti_and_tasks_and_logs_the_cpr(logged_in, sagsbehandler):
    sag, pakke, opgave = _objects(101)
    BevillingFactory(sag=sag, kmd_aktiv_bevillingsnr="4711")
    FordringFactory(debitorkonto=DebitorkontoFactory(kommune_id=101, person=sag.person, sag=sag, kontonr="D-9"),
                    fordring_id="F-77")
    html = logged_in.get(f"/sager/{sag.pk}/").content.decode()
    for text in ("4711", "D-9", "F-77", opgave.titel, "Bevillinger", "Debitorkonti", "Opgaver"):
        assert text in html
    log = Adgangslog.objects.get(visning=f"sag {sag.pk}")
    assert log.cpr == sag.person.cpr and log.bruger == sagsbehandler


def test_package_page_filters_and_logs(logged_in):
    sag, pakke, opgave = _objects(101)
    OpgaveFactory(opgavepakke=pakke, titel="Lukket opgave", udfoert=True)
    OpgaveFactory(opgavepakke=pakke, titel="Anden type", type="revurdering", aarsag="ukendt_bevillingsnr")
    html = logged_in.get(f"/opgavepakker/{pakke.pk}/").content.decode()
    assert opgave.titel in html and "Anden type" in html and "Lukket opgave" not in html  # open ones by default
    html = logged_in.get(f"/opgavepakker/{pakke.pk}/?status=udfoert").content.decode()
    assert "Lukket opgave" in html and opgave.titel not in html
    html = logged_in.get(f"/opgavepakker/{pakke.pk}/?type=revurdering&aarsag=ukendt_bevillingsnr").content.decode()
    assert "Anden type" in html and opgave.titel not in html
    html = logged_in.get(f"/opgavepakker/{pakke.pk}/?cpr={sag.person.cpr[:6]}-{sag.person.cpr[6:]}").content.decode()
    assert opgave.titel in html and "Anden type" not in html
    assert Adgangslog.objects.filter(cpr=sag.person.cpr, visning=f"opgavepakke {pakke.pk}").exists()
    assert logged_in.get(f"/opgavepakker/{pakke.pk}/?side=abc").status_code == 200
    assert logged_in.get(f"/opgavepakker/{pakke.pk}/?status=xyz").status_code == 200


def test_package_page_paginates(logged_in):
    pakke = OpgavepakkeFactory(kommune_id=101, kode="MANGE")
    OpgaveFactory.create_batch(55, opgavepakke=pakke)
    html = logged_in.get(f"/opgavepakker/{pakke.pk}/").content.decode()
    assert "Næste" in html and "Forrige" not in html
    html = logged_in.get(f"/opgavepakker/{pakke.pk}/?side=2").content.decode()
    assert "Forrige" in html and "Næste" not in html


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def test_screen_query_counts_do_not_grow_with_rows(logged_in):
    sag, pakke, opgave = _objects(101)
    konto = DebitorkontoFactory(kommune_id=101, person=sag.person, sag=sag)
    FordringFactory(debitorkonto=konto)
    BevillingFactory(sag=sag)
    urls = ["/opgavepakker/", f"/opgavepakker/{pakke.pk}/", f"/sager/{sag.pk}/", f"/opgaver/{opgave.pk}/"]
    for url in urls:
        logged_in.get(url)  # warm caches; the task page reserves the task on first open
    before = {url: _count(logged_in, url) for url in urls}
    for i in range(10):
        OpgavepakkeFactory(kommune_id=101, kode=f"X{i}")
        o = OpgaveFactory(opgavepakke=pakke, sag=sag, person=sag.person)
        BevillingFactory(sag=sag)
        k = DebitorkontoFactory(kommune_id=101, person=sag.person, sag=sag)
        FordringFactory.create_batch(2, debitorkonto=k)
        FordringFactory(debitorkonto=konto)
        logged_in.get(f"/opgaver/{o.pk}/")
    after = {url: _count(logged_in, url) for url in urls}
    assert after == before


def test_package_page_keyset_links(logged_in):
    import re

    pakke = OpgavepakkeFactory(kommune_id=101, kode="KEYSET")
    ids = sorted((o.pk for o in OpgaveFactory.create_batch(120, opgavepakke=pakke)), reverse=True)

    def shown(html):
        return [int(x) for x in re.findall(r'href="/opgaver/(\d+)/"', html)]

    def link(html, text):
        return re.search(r'<a href="(\?[^"]*)">' + text, html).group(1).replace("&amp;", "&")

    html = logged_in.get(f"/opgavepakker/{pakke.pk}/").content.decode()
    assert shown(html) == ids[:50]
    html = logged_in.get(f"/opgavepakker/{pakke.pk}/" + link(html, "Næste")).content.decode()
    assert shown(html) == ids[50:100] and "Side 2" in html
    html = logged_in.get(f"/opgavepakker/{pakke.pk}/" + link(html, "Næste")).content.decode()
    assert shown(html) == ids[100:] and "Næste" not in html and "Side 3" in html
    html = logged_in.get(f"/opgavepakker/{pakke.pk}/" + link(html, "‹ Forrige")).content.decode()
    assert shown(html) == ids[50:100] and "Side 2" in html
    html = logged_in.get(f"/opgavepakker/{pakke.pk}/" + link(html, "‹ Forrige")).content.decode()
    assert shown(html) == ids[:50] and "Forrige" not in html
