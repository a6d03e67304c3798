import io

import pytest
from playwright.sync_api import expect

from cases.models import Opgave
from debitor.kmd_aktiv import HEADER, import_file
from tests.browser.conftest import login
from tests.factories import BevillingFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_mi32_flow(page, live_server):
    UserFactory(username="sofie", kommuner=[101])
    import_file(io.BytesIO((";".join(HEADER) + "\n101;D-1;0101801234;;KTH;F-1;TILBAGEBETALING;10,00;5,00;"
                            "2025-01-01;2025-01-31;2025-02-01\n").encode()), kommune=101)
    opgave = Opgave.objects.get(type="mi32")
    BevillingFactory(person=opgave.person, sag__person=opgave.person)
    login(page, live_server, "sofie")
    page.get_by_role("link", name="MI 32 Manuel tilknytning af debitorkonti fra KMD Aktiv").click()
    page.get_by_role("link", name=opgave.titel).click()
    page.get_by_role("button", name="Tilknyt", exact=True).first.click()
    expect(page.get_by_text("Debitorkontoen er tilknyttet")).to_be_visible()
    assert page.get_by_role("link", name=opgave.titel).count() == 0
    expect(page.get_by_text("KLIK-opgave kan markeres som fuldført")).to_be_visible()
