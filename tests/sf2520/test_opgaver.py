"""The approval task "godkend-effektuering" in the cases task machinery (issue 6 review): its
reasons are in the task-reason choice list, and it cannot be closed without approving."""

import pytest
from django.test import Client

from cases.filters import AARSAGER
from cases.models import Opgave
from integrations.sf2520.models import Effektuering
from tests.sf2520.helpers import afventende_effektuering

pytestmark = pytest.mark.django_db


def _afventer():
    eff = afventende_effektuering()
    return eff, Opgave.objects.get(type="godkend-effektuering")


def test_sf2520_reasons_are_registered_with_danish_labels(sagsbehandler):
    eff, opgave = _afventer()
    assert opgave.aarsag == "netto-afvigelse"
    assert AARSAGER["netto-afvigelse"] == "Netto afviger fra forrige udbetaling"
    assert AARSAGER["bevilling-aendret"] == "Bevillingen er ændret efter korrektionen"
    c = Client()
    c.force_login(sagsbehandler)
    html = c.get(f"/opgavepakker/{opgave.opgavepakke_id}/?aarsag=netto-afvigelse").content.decode()
    assert "Ugyldigt filter" not in html
    assert '<option value="netto-afvigelse" selected>Netto afviger fra forrige udbetaling</option>' in html
    assert f">{opgave.titel}</a>" in html and "<td>Netto afviger fra forrige udbetaling</td>" in html


@pytest.mark.parametrize("status", ["udfoert", "annulleret"])
def test_task_cannot_be_closed_through_the_api_without_approving(api, sagsbehandler, status):
    """Closed without approving, the effektuering would wait forever with no open task."""
    eff, opgave = _afventer()
    r = api.as_user(sagsbehandler).patch(f"/api/v1/opgaver/{opgave.pk}/", {"status": status}, format="json")
    assert r.status_code == 409, r.content
    assert r.json()["fejl"] == [{"felt": "status", "kode": "effektuering_afventer",
                                 "tekst": "Opgaven lukkes ved at godkende effektueringen."}]
    opgave.refresh_from_db()
    eff.refresh_from_db()
    assert (opgave.status, opgave.afsluttet, eff.status) == ("aaben", None, "afventer_godkendelse")
    # reserving and releasing it stays possible, and approving closes it
    assert api.patch(f"/api/v1/opgaver/{opgave.pk}/", {"status": "reserveret"}, format="json").status_code == 200
    assert api.patch(f"/api/v1/opgaver/{opgave.pk}/", {"status": "aaben"}, format="json").status_code == 200
    assert api.post(f"/api/v1/effektueringer/{eff.pk}/godkend/").status_code == 200
    opgave.refresh_from_db()
    assert opgave.status == "udfoert"


def test_task_of_an_approved_effektuering_can_be_closed(api, sagsbehandler):
    """Only an effektuering still awaiting approval holds its task open (e.g. a leftover task of an
    effektuering approved through the API before the task was made)."""
    eff, opgave = _afventer()
    Effektuering.objects.filter(pk=eff.pk).update(status="endelig")
    r = api.as_user(sagsbehandler).patch(f"/api/v1/opgaver/{opgave.pk}/", {"status": "annulleret"}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "annulleret"
