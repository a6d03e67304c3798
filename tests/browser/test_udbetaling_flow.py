"""A caseworker sees a sag's payments and their status, and an afvist payment's task leads to
correcting and resending it (Playwright, Debian's Chromium)."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from cases.models import Opgave
from debitor.udbetaling import services
from debitor.udbetaling.models import Udbetaling
from tests.browser.conftest import login
from tests.factories import UserFactory
from tests.udbetaling.helpers import afvist, effektuering

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_afvist_payment_task_to_resend(page, live_server):
    UserFactory(username="sofie", kommuner=[101])
    b = effektuering("10000.00", modregning="1500.00")
    services.dan_fra_effektueringer(101)
    u = afvist(Udbetaling.objects.get(), "Ingen NemKonto")
    opgave = Opgave.objects.get(type="afvist-udbetaling")
    login(page, live_server, "sofie")
    page.goto(f"{live_server.url}/sager/{b.sag_id}/")
    row = page.locator("tr", has_text="Effektuering")
    assert row.get_by_text("8.500,00 kr.").is_visible() and row.get_by_text("Afvist").is_visible()
    assert row.get_by_text("Ingen NemKonto").is_visible()
    page.goto(f"{live_server.url}/opgavepakker/")
    page.get_by_role("link", name="Afviste udbetalinger").click()
    page.get_by_role("link", name=opgave.titel).click()
    expect(page.get_by_text("Ingen NemKonto").first).to_be_visible()
    page.get_by_label("Ny udbetalingsdato (tom: i dag)").fill("2020-01-01")
    page.get_by_role("button", name="Send igen").click()
    expect(page.get_by_text("Udbetalingsdatoen kan ikke ligge før i dag.")).to_be_visible()
    assert not Udbetaling.objects.filter(forrige=u).exists()
    page.get_by_label("Ny udbetalingsdato (tom: i dag)").fill("")
    page.get_by_role("button", name="Send igen").click()
    ny = Udbetaling.objects.get(forrige=u)
    expect(page.get_by_text(f"Udbetalingen er sendt igen som udbetaling {ny.pk}")).to_be_visible()
    assert (ny.status, ny.kilde_id, ny.forsoeg, ny.udbetalingsdato) == ("klar", u.kilde_id, 2, dt.date.today())
    opgave.refresh_from_db()
    assert opgave.status == "udfoert"
    page.goto(f"{live_server.url}/sager/{b.sag_id}/")
    assert page.locator("tr", has_text="Klar").count() == 1
    assert page.get_by_role("button", name="Send igen").count() == 0
