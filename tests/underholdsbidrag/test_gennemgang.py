"""Second review of issue 7: regressions for what the review found (each failed before its fix)."""

import datetime as dt
from decimal import Decimal as D

import pytest

from batch.services import run_job
from debitor.underholdsbidrag import beregning as b
from debitor.underholdsbidrag.models import Beregning, Meddelelse, Udbetaling
from tests.underholdsbidrag.test_koersel import AS_OF, SLUG, opret

pytestmark = pytest.mark.django_db
d = dt.date


def test_ratevis_monthly_rates_of_several_bidrag_are_all_kept(satser):
    # seed 004, 3.2.3.1: every bidrag of a ratevis sag is split into six rates. Monthly bidrag computed
    # in one run (past forfaldsdatoer) overlap in their rate months; no rate may be lost.
    sag = opret(forfald="2026-06-02", frek="M", ratevis=True)
    run_job(SLUG, kommune=101, as_of=AS_OF)
    bidrag = list(Beregning.objects.filter(sag=sag, type="bidrag"))
    rater = list(Beregning.objects.filter(sag=sag, type="rate"))
    assert len(bidrag) == 3 and len(rater) == 18
    assert sum(r.beloeb for r in rater) == sum(x.beloeb for x in bidrag)


def test_ratevis_quarterly_rates_across_runs_are_all_kept(satser):
    sag = opret(forfald="2026-08-18", frek="K", ratevis=True)
    run_job(SLUG, kommune=101, as_of=AS_OF)
    run_job(SLUG, kommune=101, as_of=d(2026, 11, 11))  # next forfald 18 Nov
    bidrag = list(Beregning.objects.filter(sag=sag, type="bidrag"))
    rater = list(Beregning.objects.filter(sag=sag, type="rate"))
    assert len(bidrag) == 2 and len(rater) == 12
    assert sum(r.beloeb for r in rater) == sum(x.beloeb for x in bidrag)


def test_broken_period_without_a_whole_month_is_one_rate():
    # seed 004, 3.2.3.1: a broken period at 18 is split into as many rates as it has whole months;
    # with none it is paid as one rate, not six
    post = b.Post("bidrag", 11, d(2026, 1, 2), d(2026, 1, 19), d(2026, 1, 2), D("396.00"), "", D("396.00"), 0)
    rs = b.rateposter(post, post.brudt_maaneder)
    assert [r.beloeb for r in rs] == [D("396.00")]


def test_payout_of_zero_without_a_negative_bp_gives_no_620(satser):
    # seed 004, 3.3.2: advis 620 when the total is ≥ 0 and one or more BP have a negative amount; a
    # payout that nets to 0 within one BP (a conto fradrag = the bidrag) has no negative BP amount
    from tests.underholdsbidrag.test_tf import tf
    sag = opret()
    tf(sag, tf_kode=41, beloeb="-4038.00")
    k = run_job(SLUG, kommune=101, as_of=AS_OF)
    u = Udbetaling.objects.get(koersel=k)
    assert u.beloeb == D("0.00") and u.udbetalingsform == 0  # ≤ 0: kontant
    assert not Meddelelse.objects.filter(koersel=k, nr="620").exists()


def test_payout_with_a_negative_bp_and_positive_total_gives_620(satser):
    from debitor.underholdsbidrag import services
    from debitor.underholdsbidrag.models import Bidragsperson
    sag = opret()
    bp2 = Bidragsperson.objects.create(sag=sag, cpr="0101165234", foedselsdato=d(2016, 1, 1))
    services.registrer_tf(sag, {"bp": bp2.cpr, "tf_kode": 41, "bidragsart": 11, "beloeb": "-100.00"}, as_of=AS_OF)
    k = run_job(SLUG, kommune=101, as_of=AS_OF)
    assert Udbetaling.objects.get(koersel=k).beloeb == D("3938.00")
    assert Meddelelse.objects.filter(koersel=k, nr="620").count() == 1
