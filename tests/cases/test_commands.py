"""create_user and seed_demo (commands.md): output, exit codes, determinism."""

import hashlib
import io
import json

import pytest
from django.core.management import CommandError, load_command_class
from django.db import transaction
from rest_framework.authtoken.models import Token

from cases.cpr import normalize_cpr
from cases.models import Bevilling, Opgave, Opgavepakke, Person, Sag, User
from debitor.models import Debitorkonto, Fordring

pytestmark = pytest.mark.django_db


def run(name, *argv):
    """Run a command as from the command line: (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    cmd = load_command_class("cases", name)
    cmd.stdout._out = out  # OutputWrapper
    cmd.stderr._out = err
    # as BaseCommand.run_from_argv, minus its closing of the test's database connection
    cmd._called_from_command_line = True
    parser = cmd.create_parser("manage.py", name)
    code = 0
    try:
        options = vars(parser.parse_args(list(argv)))
        args = options.pop("args", ())
        cmd.execute(*args, **options)
    except SystemExit as exc:
        code = exc.code
    except CommandError as exc:
        code = exc.returncode
    return code, out.getvalue(), err.getvalue()


def test_create_user_with_token_prints_the_token_last():
    code, out, _ = run("create_user", "anna", "--role", "sagsbehandler", "--kommune", "101,751", "--token",
                       "--password", "hemmeligt-1")
    assert code == 0
    user = User.objects.get(username="anna")
    assert out.strip().splitlines()[-1] == Token.objects.get(user=user).key
    assert sorted(user.kommuner.values_list("kode", flat=True)) == [101, 751]
    assert user.check_password("hemmeligt-1")
    code, out2, _ = run("create_user", "anna", "--role", "kommuneadmin", "--kommune", "101", "--token")
    assert code == 0 and out2.strip() == out.strip()  # same token returned
    user.refresh_from_db()
    assert user.role == "kommuneadmin" and list(user.kommuner.values_list("kode", flat=True)) == [101]


@pytest.mark.parametrize("argv,code", [
    (["x", "--role", "konge", "--kommune", "101"], 2),
    (["x"], 2),
    (["x", "--role", "sagsbehandler", "--kommune", "999"], 1),
    (["x", "--role", "sagsbehandler"], 1),
    (["x", "--role", "sagsbehandler", "--kommune", "abc"], 2),
])
def test_create_user_exit_codes(argv, code):
    got, out, err = run("create_user", *argv)
    assert got == code
    assert not User.objects.filter(username="x").exists()
    assert out == ""


def test_drift_user_is_staff_and_unbound():
    assert run("create_user", "ops", "--role", "drift")[0] == 0
    user = User.objects.get(username="ops")
    assert user.is_staff and not user.kommuner.exists()


def _seed(*argv):
    code, out, err = run("seed_demo", *argv)
    assert code == 0, err
    counts = json.loads(out.strip().splitlines()[-1])
    cprs = list(Person.objects.order_by("id").values_list("cpr", "navn"))
    digest = hashlib.sha256(repr(cprs).encode()).hexdigest()
    return counts, digest


class _Rollback(Exception):
    pass


def _seed_into_empty_db(*argv):
    result = {}
    try:
        with transaction.atomic():
            result["value"] = _seed(*argv)
            raise _Rollback
    except _Rollback:
        pass
    assert not Person.objects.exists()
    return result["value"]


def test_seed_demo_is_deterministic_and_valid():
    a = _seed_into_empty_db("--borgere", "400", "--seed", "11")
    b = _seed_into_empty_db("--borgere", "400", "--seed", "11")
    c = _seed_into_empty_db("--borgere", "400", "--seed", "12")
    assert a == b
    assert a[1] != c[1]
    counts, _ = a
    assert counts["Person"] == 400 and counts["Sag"] > 300 and counts["Bevilling"] > 300
    assert counts["Debitorkonto"] > 20 and counts["Fordring"] >= counts["Debitorkonto"] and counts["Opgave"] > 0


def test_seed_demo_data_is_realistic():
    counts, _ = _seed("--borgere", "500", "--seed", "3", "--kommuner", "101,751")
    # --borgere is the core's count; app hooks (person register, ydelse) add borgere with the exact facts their
    # jobs act on
    assert counts["Person"] == 500 <= Person.objects.count()
    assert counts["Sag"] <= Sag.objects.count() and counts["Opgave"] <= Opgave.objects.count()
    for cpr in Person.objects.values_list("cpr", flat=True):
        assert normalize_cpr(cpr) == cpr
    assert set(Sag.objects.values_list("kommune_id", flat=True)) == {101, 751}
    assert Sag.objects.values("ydelsestype").distinct().count() >= 5
    assert Bevilling.objects.filter(sag__isnull=True).exists()
    assert Bevilling.objects.filter(kmd_aktiv_bevillingsnr__isnull=True).exists()
    assert Bevilling.objects.filter(kmd_aktiv_bevillingsnr__isnull=False, sag__isnull=True).exists()
    assert Debitorkonto.objects.filter(sag__isnull=True).exists() and Debitorkonto.objects.filter(sag__isnull=False).exists()
    assert Fordring.objects.count() == counts["Fordring"]
    assert Opgavepakke.objects.filter(kommune_id=751).count() >= 4
    assert all(o.opgavepakke.kommune_id == o.kommune_id for o in Opgave.objects.select_related("opgavepakke")[:50])
    assert Person.objects.exclude(navn="").count() >= 500
    # the sequences were moved past the loaded ids: the ORM can insert after a seed
    from tests.factories import SagFactory

    SagFactory()


def test_seed_demo_if_empty_and_exit_codes():
    _seed("--borgere", "50")
    n = Person.objects.count()
    code, out, _ = run("seed_demo", "--if-empty", "--borgere", "50")
    assert code == 0 and Person.objects.count() == n
    json.loads(out.strip().splitlines()[-1])
    assert run("seed_demo", "--kommuner", "999", "--borgere", "5")[0] == 1
    assert Person.objects.count() == n  # nothing stored
    assert run("seed_demo", "--kommuner", "abc")[0] == 2
    assert run("seed_demo", "--borgere", "-3")[0] == 2
