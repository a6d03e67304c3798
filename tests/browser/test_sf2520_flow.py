"""The caseworker's approval of a payout in a real browser (Playwright, Debian's Chromium):
package "Godkend effektueringer" -> task -> how the amounts came about -> correct with a
reason -> approve."""

import datetime as dt
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from batch.services import run_job
from cases.models import Bevilling, Opgave
from integrations.sf2520.models import BeloebKorrektion, Effektuering
from tests.browser.conftest import login
from tests.factories import BevillingFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_approve_payout_flow(page, live_server):
    sofie = UserFactory(username="sofie", kommuner=[101])
    b = BevillingFactory(bevilget_fra=dt.date(2026, 1, 1), maanedligt_beloeb=Decimal("10000.00"))
    for d in (dt.date(2026, 1, 5), dt.date(2026, 2, 5)):
        if d.month == 2:
            Bevilling.objects.filter(pk=b.pk).update(bevilget_til=dt.date(2026, 2, 14))
        run_job("dan-effektueringskladder", kommune=101, as_of=d)
        run_job("endeligjoer-effektueringer", kommune=101, as_of=d)
    opgave = Opgave.objects.get(type="godkend-effektuering")
    login(page, live_server, "sofie")
    page.goto(f"{live_server.url}/opgavepakker/")
    page.get_by_role("link", name="Godkend effektueringer").click()
    page.get_by_role("link", name=opgave.titel).click()
    expect(page.get_by_text("14 af 28 dage")).to_be_visible()
    assert page.get_by_text("10.000,00 kr. netto (01-2026)").is_visible()  # Danish amounts
    page.get_by_label("Nyt beløb").fill("5.100")  # Danish: five thousand one hundred
    page.get_by_label("Begrundelse").fill("Efterregulering")
    page.get_by_role("button", name="Ret beløb").click()
    expect(page.get_by_text("Beløbet er rettet.")).to_be_visible()
    expect(page.get_by_text("Efterregulering")).to_be_visible()
    expect(page.get_by_text("brutto 5.000,00 kr. → 5.100,00 kr.")).to_be_visible()
    page.get_by_role("button", name="Godkend").click()
    expect(page.get_by_text("Effektueringen er godkendt.")).to_be_visible()
    eff = Effektuering.objects.get(maaned=dt.date(2026, 2, 1))
    assert (eff.status, eff.brutto, eff.godkendt_af) == ("endelig", Decimal("5100.00"), sofie)
    assert BeloebKorrektion.objects.get().begrundelse == "Efterregulering"
    opgave.refresh_from_db()
    assert opgave.status == "udfoert"
    page.goto(f"{live_server.url}/opgavepakker/{opgave.opgavepakke_id}/")
    assert page.get_by_role("link", name=opgave.titel).count() == 0
