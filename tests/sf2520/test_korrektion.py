"""Corrections on the approval screen (issue 6): a withholding needs an agreement to be reported
to UDK under, and every amount a correction changes is kept in the audit."""

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client

from batch.services import run_job
from integrations.sf2520.models import Betalingsadministrationsaftale, BeloebKorrektion, Effektuering, Modregning
from tests.factories import BevillingFactory

pytestmark = pytest.mark.django_db


def test_modregning_without_agreement_is_refused_and_changes_nothing(sagsbehandler):
    """A withheld amount with no Modregning line would never go to UDK in an SF2520 file."""
    BevillingFactory(bevilget_fra=dt.date(2026, 1, 1), maanedligt_beloeb=Decimal("10000.00"))
    run_job("dan-effektueringskladder", kommune=101, as_of=dt.date(2026, 3, 5))
    eff = Effektuering.objects.get()
    c = Client()
    c.force_login(sagsbehandler)
    r = c.post(f"/effektueringer/{eff.pk}/korriger/", {"felt": "modregning", "beloeb": "500", "begrundelse": "x"},
               follow=True)
    assert r.status_code == 200
    assert "Effektueringen har ingen betalingsadministrationsaftale at modregne for." in r.content.decode()
    again = Effektuering.objects.get()
    assert (again.brutto, again.modregning, again.netto) == (Decimal("10000.00"), 0, Decimal("10000.00"))
    assert not BeloebKorrektion.objects.exists() and not Modregning.objects.exists()


def test_brutto_below_modregning_audits_the_modregning_it_lowers(sagsbehandler):
    b = BevillingFactory(bevilget_fra=dt.date(2026, 1, 1), maanedligt_beloeb=Decimal("10000.00"))
    Betalingsadministrationsaftale.objects.create(aftale_id="A1", kommune_id=101, cpr=b.person.cpr,
                                                  maanedligt_beloeb=Decimal("1500.00"), gyldig_fra=dt.date(2026, 1, 1))
    run_job("dan-effektueringskladder", kommune=101, as_of=dt.date(2026, 3, 5))
    eff = Effektuering.objects.get()
    c = Client()
    c.force_login(sagsbehandler)
    c.post(f"/effektueringer/{eff.pk}/korriger/", {"felt": "brutto", "beloeb": "1000,00", "begrundelse": "Ophør"})
    eff.refresh_from_db()
    assert (eff.brutto, eff.modregning, eff.netto) == (Decimal("1000.00"), Decimal("1000.00"), Decimal("0.00"))
    assert Modregning.objects.get().beloeb == Decimal("1000.00")
    assert sorted(BeloebKorrektion.objects.values_list("felt", "gammel", "ny", "bruger", "begrundelse")) == [
        ("brutto", Decimal("10000.00"), Decimal("1000.00"), sagsbehandler.pk, "Ophør"),
        ("modregning", Decimal("1500.00"), Decimal("1000.00"), sagsbehandler.pk,
         "Ophør (modregningen kan ikke overstige udbetalingen)"),
    ]
    # a brutto correction that leaves the modregning alone audits only brutto
    c.post(f"/effektueringer/{eff.pk}/korriger/", {"felt": "brutto", "beloeb": "2000", "begrundelse": "Igen"})
    assert BeloebKorrektion.objects.count() == 3


@pytest.mark.parametrize("tekst, brutto", [("5.100", "5100.00"), ("5.100,50", "5100.50"), ("5100,5", "5100.50"),
                                           ("5100", "5100.00")])
def test_danish_amounts_are_read_as_danish(sagsbehandler, tekst, brutto):
    """'5.100' is five thousand one hundred kroner, not 5,10 (issue 6 review)."""
    BevillingFactory(bevilget_fra=dt.date(2026, 1, 1), maanedligt_beloeb=Decimal("10000.00"))
    run_job("dan-effektueringskladder", kommune=101, as_of=dt.date(2026, 3, 5))
    eff = Effektuering.objects.get()
    c = Client()
    c.force_login(sagsbehandler)
    r = c.post(f"/effektueringer/{eff.pk}/korriger/", {"felt": "brutto", "beloeb": tekst, "begrundelse": "x"},
               follow=True)
    eff.refresh_from_db()
    assert (eff.brutto, eff.netto) == (Decimal(brutto), Decimal(brutto))
    html = r.content.decode()
    assert "Beløbet er rettet." in html
    vist = f"{Decimal(brutto):,.2f}".translate(str.maketrans(",.", ".,"))  # 5.100,50
    assert f"<dt>Brutto</dt><dd>{vist} kr.</dd>" in html and f"10.000,00 kr. → {vist} kr." in html


@pytest.mark.parametrize("tekst", ["5.10", "5100.50", "5,100", "5100,505", "1.00.000"])
def test_ambiguous_amounts_are_refused_and_change_nothing(sagsbehandler, tekst):
    BevillingFactory(bevilget_fra=dt.date(2026, 1, 1), maanedligt_beloeb=Decimal("10000.00"))
    run_job("dan-effektueringskladder", kommune=101, as_of=dt.date(2026, 3, 5))
    eff = Effektuering.objects.get()
    c = Client()
    c.force_login(sagsbehandler)
    r = c.post(f"/effektueringer/{eff.pk}/korriger/", {"felt": "brutto", "beloeb": tekst, "begrundelse": "x"},
               follow=True)
    assert r.status_code == 200
    assert "Beløbet kan ikke læses: skriv det med komma før ører" in r.content.decode()
    again = Effektuering.objects.get()
    assert (again.brutto, again.netto) == (Decimal("10000.00"), Decimal("10000.00"))
    assert not BeloebKorrektion.objects.exists()
