"""frigiv-reservation, afslutning-af-sag, task-filter (batch.md)."""

import datetime as dt

import pytest
from django.utils import timezone

from cases.models import Fordelingsnoegle, Opgave, Sag
from tests.batch.test_jobs_opfoelgning import D, konstant, run
from tests.factories import (
    BevillingFactory, OpgaveFactory, OpgavepakkeFactory, PersonFactory, SagFactory, UserFactory, make_cpr,
)

pytestmark = pytest.mark.django_db


def local(y, m, d, h=12, mi=0):
    return dt.datetime(y, m, d, h, mi, tzinfo=timezone.get_current_timezone())


# --- frigiv-reservation ----------------------------------------------------------------------------

def test_frigiv_reservation_before_d_only():
    user = UserFactory()
    foer = OpgaveFactory(status="reserveret", reserveret_af=user, reserveret_tid=local(2026, 4, 30, 23, 59))
    samme_dag = OpgaveFactory(status="reserveret", reserveret_af=user, reserveret_tid=local(2026, 5, 1, 0, 5))
    andet = OpgaveFactory(status="reserveret", reserveret_af=user, reserveret_tid=local(2026, 4, 1), kommune_id=751,
                          opgavepakke=None)
    aaben = OpgaveFactory()
    k = run("frigiv-reservation", D(2026, 5, 1), dry_run=True)
    assert k.counts["updated"] == 1
    assert Opgave.objects.filter(status="reserveret").count() == 3
    k = run("frigiv-reservation", D(2026, 5, 1))
    assert k.counts["updated"] == 1
    for o in (foer, samme_dag, andet, aaben):
        o.refresh_from_db()
    assert (foer.status, foer.reserveret_af, foer.reserveret_tid) == ("aaben", None, None)
    assert samme_dag.status == "reserveret" and samme_dag.reserveret_af == user
    assert andet.status == "reserveret"
    assert aaben.status == "aaben"
    assert run("frigiv-reservation", D(2026, 5, 1)).counts["updated"] == 0


# --- afslutning-af-sag -----------------------------------------------------------------------------

AFS = "afslutning-af-sag"


def test_afslutning_af_sag():
    D0 = D(2026, 6, 1)
    alle_slut = SagFactory()
    BevillingFactory(sag=alle_slut, status="afslag")
    BevillingFactory(sag=alle_slut, status="henlagt")
    BevillingFactory(sag=alle_slut, status="ophoert")
    BevillingFactory(sag=alle_slut, bevilget_til=D(2026, 5, 31))
    loeber_til_d = SagFactory()
    BevillingFactory(sag=loeber_til_d, bevilget_til=D0)  # ends on D: still running
    BevillingFactory(sag=loeber_til_d, status="afslag")
    loeber = SagFactory()
    BevillingFactory(sag=loeber, bevilget_til=None)
    uden = SagFactory()  # no bevillinger: left open
    andet = SagFactory(kommune_id=751)
    BevillingFactory(sag=andet, status="afslag")
    k = run(AFS, D0, dry_run=True)
    assert k.counts["updated"] == 1
    assert Sag.objects.filter(status="lukket").count() == 0
    k = run(AFS, D0)
    assert k.counts["updated"] == 1
    status = {s.pk: (s.status, s.lukket_dato) for s in Sag.objects.all()}
    assert status[alle_slut.pk] == ("lukket", D0)
    assert status[loeber_til_d.pk] == ("aktiv", None)
    assert status[loeber.pk][0] == status[uden.pk][0] == status[andet.pk][0] == "aktiv"
    assert run(AFS, D0).counts["updated"] == 0
    assert run(AFS, D(2026, 6, 2)).counts["updated"] == 1  # loeber_til_d ended on 06-01


def test_afslutning_deactivated():
    sag = SagFactory()
    BevillingFactory(sag=sag, status="afslag")
    konstant(AFS, "aktiv", False)
    assert run(AFS, D(2026, 6, 1)).status == "skipped"
    sag.refresh_from_db()
    assert sag.status == "aktiv"


# --- task-filter -----------------------------------------------------------------------------------

TF = "task-filter"


def test_task_filter_rules():
    a, b, catch = OpgavepakkeFactory(kode="A"), OpgavepakkeFactory(kode="B"), OpgavepakkeFactory(kode="ALLE_MI32")
    Fordelingsnoegle.objects.create(kommune_id=101, opgavepakke=a, prioritet=10, ydelsestype="UDH")
    Fordelingsnoegle.objects.create(kommune_id=101, opgavepakke=b, prioritet=5, team="Syd", foedselsdag_fra=1,
                                    foedselsdag_til=10)
    Fordelingsnoegle.objects.create(kommune_id=101, opgavepakke=catch, prioritet=50, opgavetype="mi32")
    udh = SagFactory(ydelsestype="UDH", person=PersonFactory(cpr=make_cpr(0, born=D(1990, 1, 20))))
    syd_udh = SagFactory(ydelsestype="UDH", team="Syd", person=PersonFactory(cpr=make_cpr(0, born=D(1990, 1, 5))))
    syd_sen = SagFactory(team="Syd", person=PersonFactory(cpr=make_cpr(0, born=D(1991, 1, 25))))
    gammel = OpgavepakkeFactory(kode="GAMMEL")
    t_udh = OpgaveFactory(sag=udh, person=udh.person, opgavepakke=None)
    t_syd = OpgaveFactory(sag=syd_udh, person=syd_udh.person, opgavepakke=gammel)  # b (prio 5) beats a
    t_sen = OpgaveFactory(sag=syd_sen, person=syd_sen.person, opgavepakke=gammel)  # no rule: stays
    t_ingen = OpgaveFactory(sag=syd_sen, opgavepakke=None)  # no rule, no package: default package
    t_mi32 = OpgaveFactory(type="mi32", opgavepakke=None)
    t_udfoert = OpgaveFactory(sag=udh, udfoert=True, opgavepakke=None)  # closed tasks are not placed
    t_751 = OpgaveFactory(kommune_id=751, opgavepakke=None, type="mi32")
    k = run(TF, D(2026, 5, 1), dry_run=True)
    assert k.counts["updated"] == 4
    assert Opgave.objects.filter(opgavepakke__isnull=True).count() == 5
    k = run(TF, D(2026, 5, 1))
    assert k.counts["updated"] == 4
    pakke = {o.pk: (o.opgavepakke.kode if o.opgavepakke else None) for o in Opgave.objects.select_related("opgavepakke")}
    assert pakke[t_udh.pk] == "A"
    assert pakke[t_syd.pk] == "B"
    assert pakke[t_sen.pk] == "GAMMEL"
    assert pakke[t_ingen.pk] == "OPFOELGNING"
    assert pakke[t_mi32.pk] == "ALLE_MI32"
    assert pakke[t_udfoert.pk] is None
    assert pakke[t_751.pk] is None
    assert any("Opgavepakke A: 1 åbne af 1" in line for line in k.log.splitlines())
    assert run(TF, D(2026, 5, 1)).counts["updated"] == 0
    # a new rule moves open tasks on the next run
    Fordelingsnoegle.objects.create(kommune_id=101, opgavepakke=catch, prioritet=1)
    assert run(TF, D(2026, 5, 1)).counts["updated"] == 4  # t_mi32 is already there
