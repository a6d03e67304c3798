"""Udbetalinger from their sources: finalised effektueringer (net of SF2520 modregning),
underholdsbidrag's payouts (seed 004, 3.3.2), kvikudbetalinger; each exactly once."""

import datetime as dt
from decimal import Decimal

import pytest

from cases.models import Bevilling
from debitor.udbetaling import services
from debitor.udbetaling.models import Udbetaling
from tests.udbetaling.helpers import effektuering, ub_udbetaling

pytestmark = pytest.mark.django_db


def test_effektuering_net_of_modregning_once():
    b = effektuering("10000.00", modregning="1500.00")
    n, fejl = services.dan_fra_effektueringer(101)
    assert (n, fejl) == (1, [])
    u = Udbetaling.objects.get()
    assert (u.beloeb, u.cpr, u.kilde, u.status, u.modtagertype, u.maade) == (
        Decimal("8500.00"), b.person.cpr, "effektuering", "klar", "borger", "nemkonto")
    assert u.udbetalingsdato == dt.date(2026, 12, 30) and u.sag_id == b.sag_id  # last bank day: 31/12 is closed
    assert u.posteringstekst == "KTH 01.12-31.12.2026"
    assert services.dan_fra_effektueringer(101) == (0, [])  # re-run: nothing twice
    assert Udbetaling.objects.count() == 1


def test_dry_run_counts_and_stores_nothing():
    effektuering()
    assert services.dan_fra_effektueringer(101, dry_run=True) == (1, [])
    assert not Udbetaling.objects.exists()


def test_closed_bevilling_is_a_per_item_error_rest_goes_on():
    b1 = effektuering()
    b2 = effektuering()
    Bevilling.objects.filter(pk=b1.pk).update(status="henlagt")
    n, fejl = services.dan_fra_effektueringer(101)
    assert n == 1 and Udbetaling.objects.get().bevilling_id == b2.pk
    assert len(fejl) == 1 and f"bevilling {b1.pk} er lukket (henlagt)" in fejl[0][1]


def test_underholdsbidrag_forms_and_recipients():
    bank = ub_udbetaling(form=1)
    check = ub_udbetaling(form=2, modtager="0202801234")
    kontant = ub_udbetaling(form=0, modtager="0303801234")
    kommunen = ub_udbetaling(form=0, modtager="kommune")
    negativ = ub_udbetaling(beloeb="-10.00", form=0, modtager="0404801234")
    uden_cpr = ub_udbetaling(modtager="12345")
    n, fejl = services.dan_fra_underholdsbidrag(101)
    assert n == 4
    got = {u.kilde_id: (u.maade, u.modtagertype, u.cpr) for u in Udbetaling.objects.all()}
    assert got == {bank.pk: ("nemkonto", "borger", "0101801234"), check.pk: ("standardcheck", "borger", "0202801234"),
                   kontant.pk: ("kontant", "borger", "0303801234"), kommunen.pk: ("kontant", "kommune", None)}
    tekster = dict(fejl)
    assert "advis 620" in tekster[f"underholdsbidrag-udbetaling {negativ.pk}"]
    assert "CPR-nummer mangler" in tekster[f"underholdsbidrag-udbetaling {uden_cpr.pk}"]
    assert services.dan_fra_underholdsbidrag(101)[0] == 0


def test_kvikudbetaling_and_bad_input(sagsbehandler):
    from ky.core.api import DomainError
    from tests.factories import BevillingFactory

    b = BevillingFactory(bevilget_fra=dt.date(2026, 1, 1))
    u = services.opret_kvikudbetaling(sagsbehandler, bevilling=b.pk, beloeb="1.500,50", begrundelse="Husleje",
                                      today=dt.date(2026, 12, 7))
    assert (u.beloeb, u.kilde, u.udbetalingsdato, u.status) == (Decimal("1500.50"), "kvikudbetaling",
                                                                dt.date(2026, 12, 7), "klar")
    for kw, kode in [(dict(beloeb="0"), "beloeb"), (dict(beloeb="-5"), "beloeb"), (dict(beloeb="abc"), "beloeb"),
                     (dict(begrundelse=" "), "begrundelse")]:
        args = dict(bevilling=b.pk, beloeb="100", begrundelse="x") | kw
        with pytest.raises(DomainError) as e:
            services.opret_kvikudbetaling(sagsbehandler, **args)
        assert e.value.fejl[0]["felt"] == kode
    lukket = BevillingFactory(bevilget_fra=dt.date(2026, 1, 1), bevilget_til=dt.date(2026, 6, 30))
    with pytest.raises(DomainError, match="ikke åben"):
        services.opret_kvikudbetaling(sagsbehandler, bevilling=lukket.pk, beloeb="100", begrundelse="x",
                                      today=dt.date(2026, 12, 7))
    anden = BevillingFactory(sag__kommune_id=751)
    with pytest.raises(DomainError, match="findes ikke"):
        services.opret_kvikudbetaling(sagsbehandler, bevilling=anden.pk, beloeb="100", begrundelse="x")
    assert Udbetaling.objects.count() == 1
