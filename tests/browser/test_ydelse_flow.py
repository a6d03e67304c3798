"""The caseworker opens a bevilling from the sag and reads the month's forklaring (issue 13), in a real
browser (Playwright, Debian's Chromium): sag -> bevilling -> month -> steps, a bad month answered in Danish."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from cases.ydelse.models import Indtaegt
from tests.browser.conftest import login
from tests.factories import BevillingFactory, PersonFactory, SagFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_caseworker_reads_the_months_forklaring(page, live_server):
    UserFactory(username="sofie", kommuner=[101])
    person = PersonFactory(cpr="1501974123", navn="Jonas Vestergaard")  # turns 30 on 15-01-2027
    sag = SagFactory(kommune_id=101, person=person)
    b = BevillingFactory(sag=sag, maanedligt_beloeb=None, bevilget_fra=dt.date(2026, 1, 1))
    Indtaegt.objects.create(kommune_id=101, person=person, maaned=dt.date(2027, 1, 1), art="anden", beloeb=300)
    login(page, live_server, "sofie")
    page.goto(f"{live_server.url}/sager/{sag.pk}/")
    page.get_by_role("link", name=str(b.pk), exact=True).click()
    expect(page.get_by_role("heading", name=f"Månedens beregning · bevilling {b.pk}")).to_be_visible()
    page.get_by_label("Måned").fill("2027-01")
    page.get_by_role("button", name="Vis beregning").click()
    expect(page.get_by_role("heading", name="Forklaring for 2027-01")).to_be_visible()
    expect(page.get_by_text("Sats: LAS § 16 (grundsats: under 30 år)")).to_be_visible()
    expect(page.get_by_text("Sats: LAS § 16 (forhøjet sats: fyldt 30 år)")).to_be_visible()
    expect(page.get_by_text("15-01-2027 til 31-01-2027", exact=False).first).to_be_visible()
    expect(page.get_by_text("anden indtægt 300,00 kr. fradrages fuldt").first).to_be_visible()
    beloeb = page.locator("#maanedens-beloeb").inner_text()
    assert beloeb.endswith(" kr.") and "," in beloeb  # Danish amount
    page.get_by_label("Måned").fill("januar")
    page.get_by_role("button", name="Vis beregning").click()
    assert page.get_by_role("alert").inner_text() == "Måneden skal angives som ÅÅÅÅ-MM."
