"""Re-running dan-effektueringskladder after the bevilling changed (issue 6 review): un-approved,
uncorrected drafts are recomputed in place, drafts of a bevilling that no longer pays the month are
removed, and corrected drafts are kept but flagged for approval (docs/sf2520.md, "Stale drafts")."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from batch.services import run_job
from cases.models import Bevilling, Opgave
from integrations.sf2520 import services
from integrations.sf2520.models import Betalingsadministrationsaftale, BeloebKorrektion, Effektuering, Modregning
from tests.factories import BevillingFactory

pytestmark = pytest.mark.django_db
MARTS = dt.date(2026, 3, 5)
NOTE = "Bevillingen er ændret efter korrektionen"


def _bevilling(beloeb="10000.00", aftale="1500.00", **kw):
    b = BevillingFactory(bevilget_fra=dt.date(2026, 1, 1), maanedligt_beloeb=Decimal(beloeb), **kw)
    if aftale:
        Betalingsadministrationsaftale.objects.create(aftale_id=f"A{b.pk}", kommune_id=101, cpr=b.person.cpr,
                                                      maanedligt_beloeb=Decimal(aftale), gyldig_fra=dt.date(2026, 1, 1))
    return b


def _kladder(as_of=MARTS):
    k = run_job("dan-effektueringskladder", kommune=101, as_of=as_of)
    assert k.status == "succeeded", k.besked
    return k


def test_changed_amount_recomputes_the_draft_in_place():
    b = _bevilling()
    _kladder()
    eff = Effektuering.objects.get()
    linje = Modregning.objects.get()
    Bevilling.objects.filter(pk=b.pk).update(maanedligt_beloeb=Decimal("12000.00"))
    _kladder()
    e = Effektuering.objects.get()
    assert e.pk == eff.pk and (e.maanedligt_beloeb, e.brutto, e.modregning, e.netto) == (
        Decimal("12000.00"), Decimal("12000.00"), Decimal("1500.00"), Decimal("10500.00"))
    assert e.forklaring == (
        "31 af 31 dage (2026-03-01 til 2026-03-31): 12.000,00 kr. × 31 / 31 = 12.000,00 kr.\n"
        f"Modregning (aftale A{b.pk}): mindste af aftalens 1.500,00 kr. og udbetalingen 12.000,00 kr. = 1.500,00 kr.")
    m = Modregning.objects.get()
    assert (m.effektuering_id, m.beloeb, m.modregnings_id) == (e.pk, Decimal("1500.00"), linje.modregnings_id)
    # lowered below the agreement: the modregning follows the payout
    Bevilling.objects.filter(pk=b.pk).update(maanedligt_beloeb=Decimal("1000.00"), bevilget_til=dt.date(2026, 3, 15))
    _kladder()
    e = Effektuering.objects.get()
    assert (e.periode_til, e.dage, e.brutto, e.modregning, e.netto) == (
        dt.date(2026, 3, 15), 15, Decimal("483.87"), Decimal("483.87"), Decimal("0.00"))
    assert Modregning.objects.get().beloeb == Decimal("483.87")
    run_job("endeligjoer-effektueringer", kommune=101, as_of=MARTS)
    assert Effektuering.objects.get().status == "endelig"  # pays what the bevilling says now


def test_unchanged_rerun_touches_nothing():
    _bevilling()
    _kladder()
    before = list(Effektuering.objects.values()), list(Modregning.objects.values())
    k = _kladder()
    assert (list(Effektuering.objects.values()), list(Modregning.objects.values())) == before
    assert k.counts.get("created", 0) == 0 and k.counts.get("updated", 0) == 0


@pytest.mark.parametrize("aendring", [
    {"status": "ophoert"}, {"bevilget_til": dt.date(2026, 2, 28)}, {"bevilget_fra": dt.date(2026, 4, 1)},
    # issue 13: a KTH/UDH/HTF bevilling without an amount is computed by the rules (tests/ydelse); one of a type
    # the rules do not compute pays nothing without an amount
    {"maanedligt_beloeb": None, "ydelsestype": "APOE"},
])
def test_draft_of_a_bevilling_that_no_longer_pays_is_removed(aendring):
    b = _bevilling()
    andre = _bevilling()
    _kladder()
    Bevilling.objects.filter(pk=b.pk).update(**aendring)
    k = _kladder()
    assert k.counts["updated"] == 1
    assert list(Effektuering.objects.values_list("bevilling_id", flat=True)) == [andre.pk]
    assert list(Modregning.objects.values_list("effektuering__bevilling_id", flat=True)) == [andre.pk]
    run_job("endeligjoer-effektueringer", kommune=101, as_of=MARTS)
    assert list(Effektuering.objects.filter(status="endelig").values_list("bevilling_id", flat=True)) == [andre.pk]


def _afventer_i_februar(b):
    """January paid in full, February halved: the February draft awaits approval with a task."""
    _kladder(dt.date(2026, 1, 5))
    run_job("endeligjoer-effektueringer", kommune=101, as_of=dt.date(2026, 1, 5))
    Bevilling.objects.filter(pk=b.pk).update(bevilget_til=dt.date(2026, 2, 14))
    _kladder(dt.date(2026, 2, 5))
    run_job("endeligjoer-effektueringer", kommune=101, as_of=dt.date(2026, 2, 5))
    return Effektuering.objects.get(maaned=dt.date(2026, 2, 1)), Opgave.objects.get(type="godkend-effektuering")


def test_awaiting_draft_removed_when_its_bevilling_stops_and_its_task_is_cancelled():
    b = _bevilling(aftale=None)
    eff, opgave = _afventer_i_februar(b)
    assert eff.status == "afventer_godkendelse" and opgave.status == "aaben"
    Bevilling.objects.filter(pk=b.pk).update(status="ophoert", bevilget_til=dt.date(2026, 1, 31))
    _kladder(dt.date(2026, 2, 5))
    assert not Effektuering.objects.filter(maaned=dt.date(2026, 2, 1)).exists()
    opgave.refresh_from_db()
    assert opgave.status == "annulleret" and opgave.afsluttet is not None
    assert opgave.data["note"] == "Effektueringen er fjernet: bevillingen udbetaler ikke længere i måneden."


def test_awaiting_uncorrected_draft_is_recomputed_and_still_awaits_approval():
    b = _bevilling(aftale=None)
    eff, opgave = _afventer_i_februar(b)
    Bevilling.objects.filter(pk=b.pk).update(bevilget_til=dt.date(2026, 2, 7))
    _kladder(dt.date(2026, 2, 5))
    e = Effektuering.objects.get(pk=eff.pk)
    assert (e.status, e.dage, e.brutto) == ("afventer_godkendelse", 7, Decimal("2500.00"))
    opgave.refresh_from_db()
    assert opgave.status == "aaben"


@pytest.mark.parametrize("aendring", [{"maanedligt_beloeb": Decimal("12000.00")}, {"status": "ophoert"}])
def test_corrected_draft_is_kept_and_flagged_not_finalised_blindly(sagsbehandler, aendring):
    b = _bevilling()
    _kladder()
    eff = Effektuering.objects.get()
    c = Client()
    c.force_login(sagsbehandler)
    c.post(f"/effektueringer/{eff.pk}/korriger/", {"felt": "brutto", "beloeb": "9.000", "begrundelse": "Fradrag"})
    Bevilling.objects.filter(pk=b.pk).update(**aendring)
    for _ in range(2):  # twice: one task, one flag
        k = _kladder()
    e = Effektuering.objects.get()
    assert (e.brutto, e.modregning, e.netto, e.status) == (
        Decimal("9000.00"), Decimal("1500.00"), Decimal("7500.00"), "afventer_godkendelse")
    assert Modregning.objects.get().beloeb == Decimal("1500.00") and BeloebKorrektion.objects.count() == 1
    opgave = Opgave.objects.get(type="godkend-effektuering")
    assert (opgave.status, opgave.aarsag, opgave.data) == (
        "aaben", "bevilling-aendret", {"effektuering": e.pk, "note": NOTE})
    assert k.counts.get("updated", 0) == 0
    run_job("endeligjoer-effektueringer", kommune=101, as_of=MARTS)
    assert Effektuering.objects.get().status == "afventer_godkendelse"  # waits for the caseworker
    html = c.get(f"/opgaver/{opgave.pk}/").content.decode()
    assert NOTE in html and "9.000,00 kr." in html
    c.post(f"/effektueringer/{e.pk}/godkend/")
    assert Effektuering.objects.get().status == "endelig"
    opgave.refresh_from_db()
    assert opgave.status == "udfoert"
    _kladder()  # final: left alone
    assert Effektuering.objects.get().brutto == Decimal("9000.00")


def test_flag_on_a_draft_already_awaiting_approval_keeps_its_task_open(sagsbehandler):
    b = _bevilling(aftale=None)
    eff, opgave = _afventer_i_februar(b)
    c = Client()
    c.force_login(sagsbehandler)
    c.get(f"/opgaver/{opgave.pk}/")  # the caseworker takes the task (reserved)
    c.post(f"/effektueringer/{eff.pk}/korriger/", {"felt": "brutto", "beloeb": "5.100", "begrundelse": "x"})
    Bevilling.objects.filter(pk=b.pk).update(bevilget_til=dt.date(2026, 2, 20))
    _kladder(dt.date(2026, 2, 5))
    assert Opgave.objects.count() == 1
    opgave.refresh_from_db()
    e = Effektuering.objects.get(pk=eff.pk)
    assert (e.brutto, e.status) == (Decimal("5100.00"), "afventer_godkendelse")
    assert (opgave.status, opgave.aarsag, opgave.data["note"]) == ("reserveret", "bevilling-aendret", NOTE)


def test_rerun_is_set_based():
    """The same number of statements for 2 and 20 changed drafts (no per-row loop)."""
    def koer(n):
        bs = [_bevilling() for _ in range(n)]
        services.dan_effektueringskladder(101, MARTS)
        Bevilling.objects.filter(pk__in=[b.pk for b in bs[: n // 2]]).update(maanedligt_beloeb=Decimal("11000.00"))
        Bevilling.objects.filter(pk__in=[b.pk for b in bs[n // 2:]]).update(status="ophoert")
        with CaptureQueriesContext(connection) as q:
            res = services.dan_effektueringskladder(101, MARTS)
        return len(q), res

    few, res_few = koer(2)
    Modregning.objects.all().delete()
    Effektuering.objects.all().delete()
    many, res_many = koer(20)
    assert few == many
    assert (res_many["genberegnet"], res_many["fjernet"]) == (10, 10)


def test_flag_reopens_a_task_closed_outside_the_approval(sagsbehandler):
    """A task closed another way (e.g. by drift in Django admin) is opened again, free for anyone."""
    b = _bevilling(aftale=None)
    eff, opgave = _afventer_i_februar(b)
    BeloebKorrektion.objects.create(effektuering=eff, felt="brutto", gammel=eff.brutto, ny=eff.brutto,
                                    begrundelse="x", bruger=sagsbehandler)
    Opgave.objects.filter(pk=opgave.pk).update(status="annulleret", reserveret_af=sagsbehandler,
                                               afsluttet=dt.datetime(2026, 2, 6, tzinfo=dt.UTC))
    Bevilling.objects.filter(pk=b.pk).update(maanedligt_beloeb=Decimal("9000.00"))
    _kladder(dt.date(2026, 2, 5))
    opgave.refresh_from_db()
    assert (opgave.status, opgave.afsluttet, opgave.reserveret_af, opgave.aarsag, opgave.data["note"]) == (
        "aaben", None, None, "bevilling-aendret", NOTE)
    assert Effektuering.objects.get(pk=eff.pk).status == "afventer_godkendelse"
