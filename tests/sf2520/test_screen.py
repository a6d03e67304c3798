import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client

from batch.services import run_job
from cases.models import Bevilling, Opgave
from integrations.sf2520.models import BeloebKorrektion, Effektuering
from tests.factories import BevillingFactory

pytestmark = pytest.mark.django_db


def test_task_page_explains_corrects_and_approves(sagsbehandler):
    b = BevillingFactory(bevilget_fra=dt.date(2026, 1, 1), maanedligt_beloeb=Decimal("10000.00"))
    run_job("dan-effektueringskladder", kommune=101, as_of=dt.date(2026, 1, 5))
    run_job("endeligjoer-effektueringer", kommune=101, as_of=dt.date(2026, 1, 5))
    Bevilling.objects.filter(pk=b.pk).update(bevilget_til=dt.date(2026, 2, 14))
    run_job("dan-effektueringskladder", kommune=101, as_of=dt.date(2026, 2, 5))
    run_job("endeligjoer-effektueringer", kommune=101, as_of=dt.date(2026, 2, 5))
    c = Client()
    c.force_login(sagsbehandler)
    opgave = Opgave.objects.get(type="godkend-effektuering")
    html = c.get(f"/opgaver/{opgave.pk}/").content.decode()
    assert "14 af 28 dage" in html and "Godkend" in html and "kr. netto (01-2026)" in html
    eff = Effektuering.objects.get(maaned=dt.date(2026, 2, 1))
    c.post(f"/effektueringer/{eff.pk}/korriger/", {"felt": "brutto", "beloeb": "5100,00", "begrundelse": "Efterregulering"})
    eff.refresh_from_db()
    assert eff.brutto == Decimal("5100.00") and eff.netto == Decimal("5100.00")
    k = BeloebKorrektion.objects.get()
    assert (k.gammel, k.ny, k.bruger, k.begrundelse) == (Decimal("5000.00"), Decimal("5100.00"), sagsbehandler, "Efterregulering")
    c.post(f"/effektueringer/{eff.pk}/godkend/")
    eff.refresh_from_db()
    assert eff.status == "endelig"


def test_bad_input_gives_a_danish_message_and_changes_nothing(sagsbehandler, sagsbehandler_751):
    b = BevillingFactory(bevilget_fra=dt.date(2026, 1, 1), maanedligt_beloeb=Decimal("10000.00"))
    run_job("dan-effektueringskladder", kommune=101, as_of=dt.date(2026, 1, 5))
    eff = Effektuering.objects.get(bevilling=b)
    c = Client()
    c.force_login(sagsbehandler)
    url = f"/effektueringer/{eff.pk}/korriger/"
    for data, besked in [
        ({"felt": "brutto", "beloeb": "abc", "begrundelse": "x"}, "Beløbet er ikke et tal."),
        ({"felt": "brutto", "beloeb": "100", "begrundelse": " "}, "Angiv en begrundelse."),
        ({"felt": "modregning", "beloeb": "20000", "begrundelse": "x"}, "Modregningen skal ligge mellem 0 og udbetalingen."),
        ({"felt": "brutto", "beloeb": "-1", "begrundelse": "x"}, "Beløbet må ikke være negativt."),
        ({"felt": "brutto", "beloeb": "99999999999", "begrundelse": "x"}, "Beløbet er for stort."),
        ({"felt": "brutto", "beloeb": "Infinity", "begrundelse": "x"}, "Beløbet er ikke et tal."),
        ({"felt": "modregning", "beloeb": "-0,01", "begrundelse": "x"}, "Modregningen skal ligge mellem 0 og udbetalingen."),
        ({"felt": "netto", "beloeb": "1", "begrundelse": "x"}, "Kun brutto eller modregning kan rettes."),
    ]:
        r = c.post(url, data, follow=True)
        assert r.status_code == 200 and besked in r.content.decode(), data
    r = c.post(f"/effektueringer/{eff.pk}/godkend/", follow=True)
    assert r.status_code == 200 and "Effektueringen afventer ikke godkendelse." in r.content.decode()
    run_job("endeligjoer-effektueringer", kommune=101, as_of=dt.date(2026, 1, 5))
    r = c.post(url, {"felt": "brutto", "beloeb": "1", "begrundelse": "x"}, follow=True)
    assert "Effektueringen er endelig og kan ikke rettes." in r.content.decode()
    eff2 = Effektuering.objects.get(pk=eff.pk)
    assert (eff2.brutto, eff2.modregning, eff2.netto, eff2.status) == (eff.brutto, eff.modregning, eff.netto, "endelig")
    assert not BeloebKorrektion.objects.exists()
    other = Client()
    other.force_login(sagsbehandler_751)
    assert other.get(f"/effektueringer/{eff.pk}/").status_code == 404
    assert other.post(url, {"felt": "brutto", "beloeb": "1", "begrundelse": "x"}).status_code == 404
    assert other.post(f"/effektueringer/{eff.pk}/godkend/").status_code == 404


def test_drift_admin_lists_open():
    from cases.accounts import create_or_update_user

    drift, _, _ = create_or_update_user("drift-sf2520", role="drift")
    c = Client()
    c.force_login(drift)
    b = BevillingFactory(bevilget_fra=dt.date(2026, 1, 1))
    run_job("dan-effektueringskladder", kommune=101, as_of=dt.date(2026, 1, 5))
    for model in ("betalingsadministrationsaftale", "effektuering", "sendtfil", "modtagetfil"):
        assert c.get(f"/admin/sf2520/{model}/").status_code == 200, model
    assert c.get(f"/admin/sf2520/effektuering/{Effektuering.objects.get(bevilling=b).pk}/change/").status_code == 200
