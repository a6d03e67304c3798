"""regelmaessig-opfoelgning, opfoelgning-af-inaktive-sager, dan-opfoelgingsopgave (batch.md)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from batch.models import Batchkonstant
from batch.services import run_job
from cases.models import Opgave, Opgavepakke, OpgaveStatus, Sag
from tests.factories import OpgaveFactory, OpgavepakkeFactory, PersonFactory, SagFactory, make_cpr

pytestmark = pytest.mark.django_db

D = dt.date
REG = "regelmaessig-opfoelgning"


def run(slug, as_of, kommune=101, **kw):
    koersel = run_job(slug, kommune=kommune, as_of=as_of, **kw)
    assert koersel.status in ("succeeded", "skipped"), (koersel.status, koersel.besked, koersel.log)
    return koersel


def frister(sag, type_=REG):
    return sorted(Opgave.objects.filter(sag=sag, type=type_).values_list("frist", flat=True))


def konstant(job, noegle, vaerdi, gyldig_fra=D(2000, 1, 1), kommune=101):
    return Batchkonstant.objects.create(kommune_id=kommune, job=job, noegle=noegle, vaerdi=vaerdi, gyldig_fra=gyldig_fra)


# --- regelmaessig-opfoelgning ----------------------------------------------------------------------

@pytest.mark.parametrize(
    "start, interval, as_of, expected",
    [
        # month end clamping: 2026-01-31 + 1 month = 2026-02-28, + 2 months = 2026-03-31 (from S, not cumulative)
        (D(2026, 1, 31), 1, D(2026, 2, 27), None),
        (D(2026, 1, 31), 1, D(2026, 2, 28), D(2026, 2, 28)),
        (D(2026, 1, 31), 1, D(2026, 3, 30), D(2026, 2, 28)),
        (D(2026, 1, 31), 1, D(2026, 3, 31), D(2026, 3, 31)),
        (D(2026, 1, 31), 1, D(2026, 4, 29), D(2026, 3, 31)),
        (D(2026, 1, 31), 1, D(2026, 4, 30), D(2026, 4, 30)),
        # leap years: 2024-02-29 + 12 months = 2025-02-28, + 48 months = 2028-02-29
        (D(2024, 2, 29), 12, D(2025, 2, 27), None),
        (D(2024, 2, 29), 12, D(2025, 2, 28), D(2025, 2, 28)),
        (D(2024, 2, 29), 12, D(2028, 2, 28), D(2027, 2, 28)),
        (D(2024, 2, 29), 12, D(2028, 2, 29), D(2028, 2, 29)),
        (D(2024, 2, 29), 3, D(2024, 5, 29), D(2024, 5, 29)),
        (D(2023, 11, 30), 3, D(2024, 2, 29), D(2024, 2, 29)),
        (D(2023, 11, 30), 3, D(2024, 2, 28), None),
        # default interval 3; the latest due date only (missed ones are not filled in)
        (D(2026, 1, 1), 3, D(2026, 3, 31), None),
        (D(2026, 1, 1), 3, D(2026, 4, 1), D(2026, 4, 1)),
        (D(2026, 1, 1), 3, D(2027, 1, 15), D(2027, 1, 1)),
        (D(2025, 12, 15), 3, D(2026, 3, 14), None),
        (D(2025, 12, 15), 3, D(2026, 3, 15), D(2026, 3, 15)),
        # started on D / in the future: nothing
        (D(2026, 5, 1), 3, D(2026, 5, 1), None),
        (D(2026, 6, 1), 3, D(2026, 5, 1), None),
    ],
)
def test_due_date(start, interval, as_of, expected):
    sag = SagFactory(startdato=start)
    if interval != 3:
        konstant(REG, "interval_maaneder", interval)
    k = run(REG, as_of)
    assert frister(sag) == ([expected] if expected else [])
    assert k.counts["created"] == (1 if expected else 0)
    if expected:
        opgave = Opgave.objects.get(sag=sag, type=REG)
        assert opgave.noegle == f"{sag.pk}:{expected.isoformat()}"
        assert opgave.status == OpgaveStatus.AABEN
        assert opgave.person_id == sag.person_id
        assert opgave.kommune_id == 101


def test_month_end_series_each_from_start():
    sag = SagFactory(startdato=D(2026, 1, 31))
    konstant(REG, "interval_maaneder", 1)
    for day in (D(2026, 2, 28), D(2026, 3, 31), D(2026, 4, 30), D(2026, 5, 31), D(2026, 6, 30)):
        run(REG, day)
    assert frister(sag) == [D(2026, 2, 28), D(2026, 3, 31), D(2026, 4, 30), D(2026, 5, 31), D(2026, 6, 30)]


def test_idempotent_and_only_aktive_sager():
    aktiv = SagFactory(startdato=D(2026, 1, 1))
    SagFactory(startdato=D(2026, 1, 1), lukket=True)
    first = run(REG, D(2026, 4, 10))
    assert first.counts["created"] == 1
    second = run(REG, D(2026, 4, 10))
    assert second.counts["created"] == 0
    assert second.counts["skipped"] == 1
    third = run(REG, D(2026, 5, 10))  # same due date 2026-04-01
    assert third.counts["created"] == 0
    assert frister(aktiv) == [D(2026, 4, 1)]
    assert Opgave.objects.filter(type=REG).count() == 1


def test_interval_change_planned_ahead():
    sag = SagFactory(startdato=D(2026, 1, 1))
    # 3 months until 2026-06-30, then 2 months from 2026-07-01 (planned ahead)
    konstant(REG, "interval_maaneder", 2, gyldig_fra=D(2026, 7, 1))
    run(REG, D(2026, 6, 30))
    assert frister(sag) == [D(2026, 4, 1)]
    run(REG, D(2026, 7, 1))  # interval 2: due dates 03-01, 05-01, 07-01
    assert frister(sag) == [D(2026, 4, 1), D(2026, 7, 1)]
    run(REG, D(2026, 8, 31))
    assert frister(sag) == [D(2026, 4, 1), D(2026, 7, 1)]
    run(REG, D(2026, 9, 1))
    assert frister(sag) == [D(2026, 4, 1), D(2026, 7, 1), D(2026, 9, 1)]


def test_deactivated_is_skipped():
    SagFactory(startdato=D(2026, 1, 1))
    konstant(REG, "aktiv", False)
    k = run(REG, D(2026, 4, 1))
    assert k.status == "skipped"
    assert not Opgave.objects.exists()


def test_deactivation_planned_ahead():
    SagFactory(startdato=D(2026, 1, 1))
    konstant(REG, "aktiv", False, gyldig_fra=D(2026, 5, 1))
    assert run(REG, D(2026, 4, 1)).status == "succeeded"
    assert run(REG, D(2026, 7, 1)).status == "skipped"
    assert Opgave.objects.count() == 1


def test_dry_run_counts_and_writes_nothing():
    for _ in range(3):
        SagFactory(startdato=D(2026, 1, 1))
    SagFactory(startdato=D(2026, 3, 1))  # not due yet
    k = run(REG, D(2026, 4, 1), dry_run=True)
    assert k.dry_run
    assert k.counts["created"] == 3
    assert not Opgave.objects.exists()
    assert not Opgavepakke.objects.filter(kode="REGELMAESSIG-OPFOELGNING").exists()
    run(REG, D(2026, 4, 1))
    k = run(REG, D(2026, 4, 1), dry_run=True)
    assert (k.counts["created"], k.counts["skipped"]) == (0, 3)


def test_kommune_isolation():
    s101 = SagFactory(startdato=D(2026, 1, 1))
    s751 = SagFactory(startdato=D(2026, 1, 1), kommune_id=751)
    k = run(REG, D(2026, 4, 1))
    assert k.counts["created"] == 1
    assert frister(s101) == [D(2026, 4, 1)]
    assert frister(s751) == []
    assert not Opgavepakke.objects.filter(kommune_id=751).exists()


def test_set_based_query_count():
    run(REG, D(2025, 1, 1))  # first run creates the type's default package
    for i in range(30):
        SagFactory(startdato=D(2026, 1, 1) + dt.timedelta(days=i))
    with CaptureQueriesContext(connection) as q1:
        run(REG, D(2026, 6, 1))
    for i in range(60):
        SagFactory(startdato=D(2025, 1, 1) + dt.timedelta(days=i))
    with CaptureQueriesContext(connection) as q2:
        run(REG, D(2026, 6, 1))
    assert Opgave.objects.filter(type=REG).count() == 90
    assert len(q2) == len(q1)  # independent of the number of sager


def test_new_tasks_routed_by_fordelingsnoegler():
    from cases.models import Fordelingsnoegle

    pakke_a = OpgavepakkeFactory(kode="A")
    pakke_b = OpgavepakkeFactory(kode="B")
    pakke_team = OpgavepakkeFactory(kode="TEAM")
    # birthdays 1-15 → A, 16-31 → B; team "Nord" before both (lower prioritet wins)
    Fordelingsnoegle.objects.create(kommune_id=101, opgavepakke=pakke_a, prioritet=20, opgavetype=REG,
                                    foedselsdag_fra=1, foedselsdag_til=15)
    Fordelingsnoegle.objects.create(kommune_id=101, opgavepakke=pakke_b, prioritet=20, opgavetype=REG,
                                    foedselsdag_fra=16, foedselsdag_til=31)
    Fordelingsnoegle.objects.create(kommune_id=101, opgavepakke=pakke_team, prioritet=10, team="Nord")
    early = SagFactory(person=PersonFactory(cpr=make_cpr(0, born=D(1980, 3, 5))))
    late = SagFactory(person=PersonFactory(cpr=make_cpr(0, born=D(1980, 3, 20))))
    nord = SagFactory(person=PersonFactory(cpr=make_cpr(0, born=D(1981, 3, 20))), team="Nord")
    other = SagFactory(ydelsestype="UDH")
    Fordelingsnoegle.objects.filter(opgavepakke=pakke_b).update(ydelsestype="KTH")
    other.person.cpr = make_cpr(1, born=D(1982, 3, 20))
    other.person.save()
    run(REG, D(2026, 4, 1))
    pakke = {o.sag_id: o.opgavepakke.kode for o in Opgave.objects.select_related("opgavepakke")}
    assert pakke[early.pk] == "A"
    assert pakke[late.pk] == "B"
    assert pakke[nord.pk] == "TEAM"
    # no rule matches (UDH, birthday 20): the type's default package
    assert pakke[other.pk] == "REGELMAESSIG-OPFOELGNING"
    assert Opgavepakke.objects.get(kommune_id=101, kode="REGELMAESSIG-OPFOELGNING").navn == "Regelmæssig opfølgning"


# --- opfoelgning-af-inaktive-sager -----------------------------------------------------------------

INAKTIV = "opfoelgning-af-inaktive-sager"


def _set_aendret(sag, when):
    Sag.objects.filter(pk=sag.pk).update(aendret=when)


def test_inaktive_sager():
    from django.utils import timezone

    tz = timezone.get_current_timezone()
    gammel = SagFactory()
    grænse = SagFactory()
    ny = SagFactory()
    lukket = SagFactory(lukket=True)
    _set_aendret(gammel, dt.datetime(2026, 1, 10, 12, tzinfo=tz))
    _set_aendret(grænse, dt.datetime(2026, 1, 31, 23, 30, tzinfo=tz))  # local date 01-31 (UTC 22:30)
    _set_aendret(ny, dt.datetime(2026, 2, 1, 0, 30, tzinfo=tz))  # local 02-01, UTC still 01-31
    _set_aendret(lukket, dt.datetime(2025, 1, 1, tzinfo=tz))
    # D = 2026-07-31: D − 6 months = 2026-01-31; unchanged since then or earlier → a task
    k = run(INAKTIV, D(2026, 7, 31))
    assert k.counts["created"] == 2
    assert set(Opgave.objects.filter(type=INAKTIV).values_list("sag_id", flat=True)) == {gammel.pk, grænse.pk}
    # not again while unchanged
    assert run(INAKTIV, D(2026, 9, 1)).counts["created"] == 1  # only `ny` is now old enough
    assert run(INAKTIV, D(2026, 10, 1)).counts["created"] == 0
    # after a change and another 6 months: a new task
    _set_aendret(gammel, dt.datetime(2026, 8, 1, 12, tzinfo=tz))
    assert run(INAKTIV, D(2027, 1, 31)).counts["created"] == 0
    assert run(INAKTIV, D(2027, 2, 1)).counts["created"] == 1
    assert Opgave.objects.filter(type=INAKTIV, sag=gammel).count() == 2


def test_inaktive_interval_konstant_dry_run_and_isolation():
    from django.utils import timezone

    tz = timezone.get_current_timezone()
    sag = SagFactory()
    anden = SagFactory(kommune_id=751)
    _set_aendret(sag, dt.datetime(2026, 3, 1, 12, tzinfo=tz))
    _set_aendret(anden, dt.datetime(2026, 1, 1, 12, tzinfo=tz))
    konstant(INAKTIV, "inaktiv_maaneder", 2)
    k = run(INAKTIV, D(2026, 5, 1), dry_run=True)
    assert k.counts["created"] == 1
    assert not Opgave.objects.exists()
    assert run(INAKTIV, D(2026, 5, 1)).counts["created"] == 1
    assert not Opgave.objects.filter(kommune_id=751).exists()


# --- dan-opfoelgingsopgave -------------------------------------------------------------------------

DAN = "dan-opfoelgingsopgave"


def test_dan_opfoelgingsopgave_activates_on_date():
    paa_dagen = OpgaveFactory(planlagt=True, aktiveringsdato=D(2026, 5, 1), opgavepakke=None)
    foer = OpgaveFactory(planlagt=True, aktiveringsdato=D(2026, 4, 1))
    senere = OpgaveFactory(planlagt=True, aktiveringsdato=D(2026, 5, 2))
    andet = OpgaveFactory(planlagt=True, aktiveringsdato=D(2026, 4, 1), kommune_id=751, opgavepakke=None)
    k = run(DAN, D(2026, 5, 1), dry_run=True)
    assert k.counts["updated"] == 2
    assert Opgave.objects.filter(status="planlagt").count() == 4
    k = run(DAN, D(2026, 5, 1))
    assert k.counts["updated"] == 2
    status = dict(Opgave.objects.values_list("pk", "status"))
    assert status[paa_dagen.pk] == status[foer.pk] == "aaben"
    assert status[senere.pk] == status[andet.pk] == "planlagt"
    # an activated task without a package lands in its type's default package
    paa_dagen.refresh_from_db()
    assert paa_dagen.opgavepakke.kode == "OPFOELGNING"
    assert run(DAN, D(2026, 5, 1)).counts["updated"] == 0
