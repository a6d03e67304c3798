"""dan-effektueringskladder: pro rata months, modregning capped by the payout, idempotent."""

import datetime as dt
from decimal import Decimal

import pytest

from batch.services import run_job
from integrations.sf2520.models import Betalingsadministrationsaftale, Effektuering, Modregning
from tests.factories import BevillingFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("as_of, fra, til, dage, dim, brutto", [
    (dt.date(2026, 2, 10), dt.date(2026, 2, 15), None, 14, 28, "5000.00"),
    (dt.date(2028, 2, 10), dt.date(2028, 2, 15), None, 15, 29, "5172.41"),
    (dt.date(2026, 4, 10), dt.date(2026, 1, 1), dt.date(2026, 4, 10), 10, 30, "3333.33"),
    (dt.date(2026, 3, 10), dt.date(2026, 3, 16), dt.date(2026, 3, 20), 5, 31, "1612.90"),
    (dt.date(2026, 1, 10), dt.date(2026, 1, 1), None, 31, 31, "10000.00"),
])
def test_pro_rata(as_of, fra, til, dage, dim, brutto):
    b = BevillingFactory(bevilget_fra=fra, bevilget_til=til, maanedligt_beloeb=Decimal("10000.00"))
    k = run_job("dan-effektueringskladder", kommune=101, as_of=as_of)
    assert k.status == "succeeded", k.besked
    e = Effektuering.objects.get(bevilling=b)
    assert (e.dage, e.dage_i_maaned, e.brutto, e.netto) == (dage, dim, Decimal(brutto), Decimal(brutto))
    assert f"{dage} af {dim} dage" in e.forklaring


def test_modregning_capped_by_payout_and_idempotent():
    b = BevillingFactory(bevilget_fra=dt.date(2026, 3, 30), maanedligt_beloeb=Decimal("3100.00"))
    b2 = BevillingFactory(bevilget_fra=dt.date(2026, 1, 1), maanedligt_beloeb=Decimal("3100.00"))
    for bev, aid in ((b, "A1"), (b2, "A2")):
        Betalingsadministrationsaftale.objects.create(aftale_id=aid, kommune_id=101, cpr=bev.person.cpr,
                                                      maanedligt_beloeb=Decimal("1500.00"), gyldig_fra=dt.date(2026, 1, 1))
    run_job("dan-effektueringskladder", kommune=101, as_of=dt.date(2026, 3, 5))
    e = Effektuering.objects.get(bevilling=b)
    assert (e.brutto, e.modregning, e.netto) == (Decimal("200.00"), Decimal("200.00"), Decimal("0.00"))
    e2 = Effektuering.objects.get(bevilling=b2)
    assert (e2.modregning, e2.netto) == (Decimal("1500.00"), Decimal("1600.00"))
    assert Modregning.objects.get(effektuering=e2).modregnings_id == f"KY{e2.pk:018d}"
    k = run_job("dan-effektueringskladder", kommune=101, as_of=dt.date(2026, 3, 20))
    assert k.counts["created"] == 0
    assert Effektuering.objects.count() == 2 and Modregning.objects.count() == 2


@pytest.mark.parametrize("as_of, udbetalingsdato", [
    (dt.date(2026, 3, 10), dt.date(2026, 3, 31)),  # a Tuesday: the month's last day
    (dt.date(2026, 1, 10), dt.date(2026, 1, 30)),  # 31st is a Saturday
    (dt.date(2026, 2, 10), dt.date(2026, 2, 27)),  # 28th is a Saturday
    (dt.date(2026, 5, 10), dt.date(2026, 5, 29)),  # 31st is a Sunday
    (dt.date(2025, 5, 10), dt.date(2025, 5, 28)),  # Kristi himmelfart 29th, bank holiday 30th, Saturday 31st
    (dt.date(2026, 12, 10), dt.date(2026, 12, 30)),  # 31 December is a bank holiday
    (dt.date(2027, 12, 10), dt.date(2027, 12, 30)),  # 31 December (a Friday) likewise
])
def test_udbetalingsdato_is_the_months_last_bank_day(as_of, udbetalingsdato):
    """Kontanthjælp is paid in arrears on the month's last bank day (docs/sf2520.md)."""
    b = BevillingFactory(bevilget_fra=dt.date(2025, 1, 1), maanedligt_beloeb=Decimal("10000.00"))
    run_job("dan-effektueringskladder", kommune=101, as_of=as_of)
    e = Effektuering.objects.get(bevilling=b)
    assert e.udbetalingsdato == udbetalingsdato and e.periode_til.month == as_of.month


def test_modregning_only_for_kth_udh_htf_and_an_agreement_in_force():
    """seed 001: modregning in kontanthjælp (KTH, UDH, HTF) for an agreement active in the month."""
    def med_aftale(aid, ydelse="KTH", **aftale):
        b = BevillingFactory(bevilget_fra=dt.date(2026, 1, 1), maanedligt_beloeb=Decimal("5000.00"), ydelsestype=ydelse)
        Betalingsadministrationsaftale.objects.create(aftale_id=aid, kommune_id=101, cpr=b.person.cpr,
                                                      maanedligt_beloeb=Decimal("1000.00"),
                                                      **{"gyldig_fra": dt.date(2026, 1, 1), **aftale})
        return b

    bos = med_aftale("A1", "BOS")
    ophoert = med_aftale("A2", status="ophoert")
    udloebet = med_aftale("A3", gyldig_til=dt.date(2026, 2, 28))
    fremtid = med_aftale("A4", gyldig_fra=dt.date(2026, 4, 1))
    udh = med_aftale("A5", "UDH", gyldig_til=dt.date(2026, 3, 1))  # in force one day of the month: counts
    run_job("dan-effektueringskladder", kommune=101, as_of=dt.date(2026, 3, 5))
    assert Effektuering.objects.count() == 5
    for b in (bos, ophoert, udloebet, fremtid):
        assert Effektuering.objects.get(bevilling=b).modregning == 0
    assert Effektuering.objects.get(bevilling=udh).modregning == Decimal("1000.00")


def test_agreement_arriving_after_the_draft_is_added_on_rerun():
    b = BevillingFactory(bevilget_fra=dt.date(2026, 1, 1), maanedligt_beloeb=Decimal("5000.00"))
    run_job("dan-effektueringskladder", kommune=101, as_of=dt.date(2026, 3, 5))
    assert Effektuering.objects.get().modregning == 0
    Betalingsadministrationsaftale.objects.create(aftale_id="A1", kommune_id=101, cpr=b.person.cpr,
                                                  maanedligt_beloeb=Decimal("1000.00"), gyldig_fra=dt.date(2026, 1, 1))
    k = run_job("dan-effektueringskladder", kommune=101, as_of=dt.date(2026, 3, 6))
    assert k.counts["created"] == 0 and "1 modregninger" in k.log
    e = Effektuering.objects.get()
    assert (e.modregning, e.netto) == (Decimal("1000.00"), Decimal("4000.00")) and "Modregning (aftale A1)" in e.forklaring


def test_draft_shows_the_previous_payout_before_finalisation(sagsbehandler):
    """The screen shows a draft's previous payout (issue 6) from the moment the draft exists,
    not only once endeligjoer-effektueringer has looked at it."""
    from django.test import Client

    b = BevillingFactory(bevilget_fra=dt.date(2026, 1, 1), maanedligt_beloeb=Decimal("10000.00"))
    run_job("dan-effektueringskladder", kommune=101, as_of=dt.date(2026, 1, 5))
    run_job("endeligjoer-effektueringer", kommune=101, as_of=dt.date(2026, 1, 5))
    run_job("dan-effektueringskladder", kommune=101, as_of=dt.date(2026, 2, 5))
    jan = Effektuering.objects.get(bevilling=b, maaned=dt.date(2026, 1, 1))
    feb = Effektuering.objects.get(bevilling=b, maaned=dt.date(2026, 2, 1))
    assert feb.status == "kladde" and feb.forrige == jan and jan.forrige is None
    c = Client()
    c.force_login(sagsbehandler)
    html = c.get(f"/effektueringer/{feb.pk}/").content.decode()
    assert "10.000,00 kr. netto (01-2026)" in html, html


@pytest.mark.parametrize("beloeb, brutto", [("10000.01", "5000.01"), ("10000.03", "5000.02"), ("0.01", "0.01")])
def test_pro_rata_rounds_half_up_once(beloeb, brutto):
    """15 of 30 days of an odd øre amount lands exactly on half an øre: half up (not to even)."""
    b = BevillingFactory(bevilget_fra=dt.date(2026, 4, 16), maanedligt_beloeb=Decimal(beloeb))
    run_job("dan-effektueringskladder", kommune=101, as_of=dt.date(2026, 4, 20))
    e = Effektuering.objects.get(bevilling=b)
    assert (e.dage, e.dage_i_maaned, e.brutto, e.netto) == (15, 30, Decimal(brutto), Decimal(brutto))


def test_forklaring_shows_danish_amounts():
    """The calculation on the screen reads like the amounts around it: "10.000,00 kr." (issue 6 review)."""
    b = BevillingFactory(bevilget_fra=dt.date(2026, 2, 15), maanedligt_beloeb=Decimal("10000.00"))
    Betalingsadministrationsaftale.objects.create(aftale_id="A1", kommune_id=101, cpr=b.person.cpr,
                                                  maanedligt_beloeb=Decimal("1500.50"), gyldig_fra=dt.date(2026, 1, 1))
    run_job("dan-effektueringskladder", kommune=101, as_of=dt.date(2026, 2, 10))
    e = Effektuering.objects.get(bevilling=b)
    assert e.forklaring == (
        "14 af 28 dage (2026-02-15 til 2026-02-28): 10.000,00 kr. × 14 / 28 = 5.000,00 kr.\n"
        "Modregning (aftale A1): mindste af aftalens 1.500,50 kr. og udbetalingen 5.000,00 kr. = 1.500,50 kr.")
