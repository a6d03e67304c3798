import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from batch.services import run_job
from integrations.dfdg.models import Booking, Frist, FristStatus as S, FristStatusaendring
from tests.dfdg.conftest import kontaktforloeb
from tests.factories import make_cpr

pytestmark = pytest.mark.django_db
D0 = dt.date(2026, 3, 2)


def frist(n, status, fristdato, aktivering, samtaletype=7, booking=None):
    return Frist.objects.create(kommune_id=101, cpr=make_cpr(n), samtaletype=samtaletype, fristdato=fristdato,
                                fristaktiveringsdato=aktivering, status=status, booking=booking)


def statuses(*frister):
    return [Frist.objects.get(pk=f.pk).status for f in frister]


def hist(f):
    return list(FristStatusaendring.objects.filter(frist=f).order_by("tidspunkt", "id").values_list("status", flat=True))


def test_daily_job_over_a_range_of_dates():
    d = dt.timedelta
    ikke = frist(1, S.IKKE_AKTIVERET, D0 + d(10), D0 + d(2))
    aktiv = frist(2, S.AKTIV, D0 + d(3), D0)
    b = Booking.objects.create(cpr=make_cpr(3), samtaletype=7, moededato=D0 + d(5))
    indfriet = frist(3, S.INDFRIET, D0 + d(4), D0, booking=b)
    booket_aktiv = frist(5, S.AKTIV, D0 + d(1), D0)
    Booking.objects.create(cpr=make_cpr(5), samtaletype=7, moededato=D0 + d(20))  # unlinked future booking
    lukket = frist(4, S.ADMINISTRATIVT_LUKKET, D0, D0)

    k = run_job("dfdg-opdater-frister", as_of=D0 + d(1))
    assert k.status == "succeeded", k.besked
    assert statuses(ikke, aktiv, indfriet, booket_aktiv, lukket) == [1, 2, 3, 2, 4]

    run_job("dfdg-opdater-frister", as_of=D0 + d(2))  # activation date reached (edge: == D)
    assert statuses(ikke, aktiv, indfriet, booket_aktiv) == [2, 2, 3, 2]

    run_job("dfdg-opdater-frister", as_of=D0 + d(3))  # fristdato == D: not yet overskredet
    assert statuses(aktiv) == [2]

    k = run_job("dfdg-opdater-frister", as_of=D0 + d(4))  # fristdato < D: overskredet (not the one with a booking)
    assert statuses(aktiv, indfriet, booket_aktiv) == [6, 3, 2]
    assert k.counts["updated"] == 1

    run_job("dfdg-opdater-frister", as_of=D0 + d(5))  # mødedato reached: indfriet then administrativt lukket
    assert statuses(indfriet) == [4]
    assert hist(indfriet) == [4]  # it was already Indfriet (its 3 came from the booking service)
    assert hist(ikke) == [2] and hist(aktiv) == [6]

    run_job("dfdg-opdater-frister", as_of=D0 + d(11))
    assert statuses(ikke) == [6]


def test_booked_aktiv_frist_gets_both_changes_in_history():
    b = Booking.objects.create(cpr=make_cpr(9), samtaletype=4, moededato=D0)
    f = frist(9, S.AKTIV, D0 + dt.timedelta(days=9), D0, samtaletype=4, booking=b)
    run_job("dfdg-opdater-frister", as_of=D0)
    assert statuses(f) == [4]
    assert hist(f) == [3, 4]


def test_booking_via_service_then_job_closes(api):
    from integrations.dfdg import services
    from tests.factories import UserFactory

    user = UserFactory(username="jcj", jobcenter=True, kommuner=[101])
    cpr = make_cpr(11)
    kontaktforloeb(cpr, "dagpenge")
    today = dt.date.today()
    f = services.opret_frist(user, kommune=101, cpr=cpr, samtaletype=7, fristdato=today + dt.timedelta(days=9))
    services.registrer_booking(user, cpr=cpr, samtaletype=7, moededato=today + dt.timedelta(days=2))
    run_job("dfdg-opdater-frister", as_of=today + dt.timedelta(days=1))
    assert statuses(f) == [3]
    run_job("dfdg-opdater-frister", as_of=today + dt.timedelta(days=2))
    assert statuses(f) == [4] and hist(f) == [2, 3, 4]


def test_dry_run_changes_nothing_and_job_is_set_based():
    for n in range(50):
        frist(100 + n, S.IKKE_AKTIVERET, D0 + dt.timedelta(days=5), D0)
    k = run_job("dfdg-opdater-frister", as_of=D0, dry_run=True)
    assert k.counts["updated"] == 50 and Frist.objects.filter(status=1).count() == 50
    with CaptureQueriesContext(connection) as q:
        run_job("dfdg-opdater-frister", as_of=D0)
    assert Frist.objects.filter(status=2).count() == 50
    assert len(q.captured_queries) < 20
