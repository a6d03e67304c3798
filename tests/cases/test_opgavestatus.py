"""One task model (issue 19): statuses and transitions as data feeding Python and SQL; task types
registered in AppConfig.ready."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from cases import opgavestatus, opgavetyper, services
from cases.models import Opgave, OpgaveStatus as S
from cases.opgavestatus import Event
from tests.factories import SagFactory, UserFactory


def test_explicit_changes_come_from_the_table():
    assert services.ALLOWED_STATUS_CHANGES == {
        S.PLANLAGT: {S.AABEN, S.ANNULLERET},
        S.AABEN: {S.RESERVERET, S.UDFOERT, S.ANNULLERET},
        S.RESERVERET: {S.AABEN, S.UDFOERT, S.ANNULLERET},
        S.UDFOERT: set(),
        S.ANNULLERET: set(),
    }
    assert opgavestatus.case_sql(Event.FRIGIV) == "CASE status WHEN 'reserveret' THEN 'aaben' END"
    assert opgavestatus.target(Event.UDFOER, S.PLANLAGT) is None


@pytest.mark.django_db
def test_flyt_opgaver_moves_only_what_the_table_allows():
    sag = SagFactory(kommune_id=101)
    user = UserFactory(kommuner=[101])
    made = {st: Opgave.objects.create(kommune_id=101, sag=sag, type="x", status=st) for st in S.values}
    where = "o.kommune_id = %(k)s AND o.type = 'x'"
    # dry run: counts, changes nothing
    assert services.flyt_opgaver(Event.ANNULLER, where, {"k": 101}, dry_run=True) == 3
    assert Opgave.objects.filter(status=S.ANNULLERET).count() == 1
    assert services.flyt_opgaver(Event.UDFOER, where, {"k": 101}, bruger_id=user.pk) == 2
    for st, o in made.items():
        o.refresh_from_db()
        want = S.UDFOERT if st in (S.AABEN, S.RESERVERET) else st
        assert o.status == want
        if st in (S.AABEN, S.RESERVERET):
            assert o.afsluttet is not None and o.afsluttet_af_id == user.pk
    assert services.flyt_opgaver(Event.AKTIVER, where, {"k": 101}) == 1  # the planned one
    assert Opgave.objects.get(pk=made[S.PLANLAGT].pk).status == S.AABEN


@pytest.mark.django_db
def test_frigiv_drops_the_reservation_in_sql():
    sag = SagFactory(kommune_id=101)
    user = UserFactory(kommuner=[101])
    o = Opgave.objects.create(kommune_id=101, sag=sag, type="x", status=S.RESERVERET, reserveret_af=user)
    assert services.flyt_opgaver(Event.FRIGIV, "o.id = %(id)s", {"id": o.pk}) == 1
    o.refresh_from_db()
    assert (o.status, o.reserveret_af_id, o.reserveret_tid) == (S.AABEN, None, None)


def test_task_types_are_registered_at_startup_not_at_urlconf_import():
    """A worker or command never imports the URLconf: the registry must be complete after setup alone."""
    code = ("import sys; from cases import opgavetyper as t; "
            "assert 'ky.urls' not in sys.modules and 'debitor.urls' not in sys.modules; "
            "print(sorted(t.TYPE_CONTEXT), sorted(t.AFSLUTNING_KONTROL), 'mangler-ikke' in t.AARSAGER or len(t.AARSAGER))")
    root = Path(__file__).resolve().parents[2]
    r = subprocess.run([sys.executable, "manage.py", "shell", "-c", code], cwd=root, env=dict(os.environ),
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert "'mi32'" in r.stdout and "'godkend-effektuering'" in r.stdout and "'afvist-udbetaling'" in r.stdout
    assert opgavetyper.TYPE_CONTEXT["mi32"].__name__ == "mi32_context"
