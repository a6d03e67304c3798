"""The effektuering screens allow what the API allows (sf2520.md, API: `sagsbehandler` read and
approve, `drift` all): other roles get 403 and change nothing, even in their own kommune."""

import pytest
from django.test import Client

from cases.models import Opgave
from integrations.sf2520.models import BeloebKorrektion, Effektuering
from tests.sf2520.helpers import afventende_effektuering
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("traits", [
    {"star": True}, {"faggruppe": True}, {"jobcenter": True, "kommuner": [101]},
    {"kommuneadmin": True, "kommuner": [101]},
])
def test_other_roles_may_not_see_correct_or_approve(traits):
    eff = afventende_effektuering()
    c = Client()
    c.force_login(UserFactory(username="anden", **traits))
    assert c.get(f"/effektueringer/{eff.pk}/").status_code == 403
    assert c.post(f"/effektueringer/{eff.pk}/korriger/",
                  {"felt": "brutto", "beloeb": "1", "begrundelse": "x"}).status_code == 403
    assert c.post(f"/effektueringer/{eff.pk}/godkend/").status_code == 403
    again = Effektuering.objects.get(pk=eff.pk)
    assert (again.brutto, again.status) == (eff.brutto, "afventer_godkendelse")
    assert not BeloebKorrektion.objects.exists()


def test_task_page_shows_no_payout_to_other_roles():
    eff = afventende_effektuering()
    opgave = Opgave.objects.get(type="godkend-effektuering")
    c = Client()
    c.force_login(UserFactory(username="jc", jobcenter=True, kommuner=[101]))
    r = c.get(f"/opgaver/{opgave.pk}/")
    html = r.content.decode()
    assert r.status_code in (200, 403, 404)
    assert "14 af 28 dage" not in html and f"/effektueringer/{eff.pk}/" not in html
    if r.status_code == 200:
        assert "Kun sagsbehandlere og drift kan se og godkende effektueringer." in html


def test_drift_and_sagsbehandler_may(sagsbehandler, drift):
    eff = afventende_effektuering()
    for user in (drift, sagsbehandler):
        c = Client()
        c.force_login(user)
        assert c.get(f"/effektueringer/{eff.pk}/").status_code == 200
    r = c.post(f"/effektueringer/{eff.pk}/godkend/", follow=True)
    assert "Effektueringen er godkendt." in r.content.decode()
