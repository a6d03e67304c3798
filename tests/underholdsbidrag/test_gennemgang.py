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
