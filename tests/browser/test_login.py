import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login
from tests.factories import OpgaveFactory, OpgavepakkeFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_login_and_open_package(page, live_server):
    UserFactory(username="sofie", kommuner=[101])
    pakke = OpgavepakkeFactory(kommune_id=101, kode="OPF", navn="Opfølgning")
    OpgaveFactory(opgavepakke=pakke, titel="Ring til borger")
    OpgaveFactory(opgavepakke=OpgavepakkeFactory(kommune_id=751, kode="X", navn="Aarhus' pakke"))
    login(page, live_server, "sofie")
    expect(page.get_by_role("heading", name="Opgavepakker")).to_be_visible()
    assert page.get_by_role("link", name="Aarhus' pakke").count() == 0
    page.get_by_role("link", name="Opfølgning").click()
    expect(page.get_by_role("heading", name="Opfølgning")).to_be_visible()
    expect(page.get_by_role("link", name="Ring til borger")).to_be_visible()
