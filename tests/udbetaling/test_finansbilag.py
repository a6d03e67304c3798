"""Finansbilag: the day's movements as double entry per the kommune's kontoplan; debet = kredit
by construction (property test) and by the database (CHECK + deferred trigger); booked once;
an afvist bilag is a task and its movements go in the next bilag."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from hypothesis import HealthCheck, given, settings, strategies as st

from cases.models import Opgave
from debitor.models import Fordringspostering
from debitor.udbetaling import finans
from debitor.udbetaling.models import Finansbilag, FinansbilagLinje, Finanskonto, Udbetaling
from tests.factories import FordringFactory, PersonFactory

pytestmark = pytest.mark.django_db
D = dt.date(2026, 12, 7)
oere = st.integers(min_value=1, max_value=10**11).map(lambda n: Decimal(n) / 100)


def _udbetaling(beloeb, kilde="effektuering", i=[0]):
    i[0] += 1
    return Udbetaling.objects.create(kommune_id=101, cpr="0101801234", beloeb=beloeb, udbetalingsdato=D, kilde=kilde,
                                     kilde_id=i[0], status="gennemfoert", posteringstekst="KTH 12.2026")


def _fordring(beloeb, kilde="KY"):
    f = FordringFactory(debitorkonto__kilde=kilde, hovedstol=beloeb, restgaeld=beloeb)
    return f


def _immediate():
    with connection.cursor() as cur:
        cur.execute("SET CONSTRAINTS ALL IMMEDIATE")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(udb=st.lists(st.tuples(oere, st.sampled_from(["effektuering", "underholdsbidrag", "kvikudbetaling"])),
                    max_size=6),
       fordringer=st.lists(oere, max_size=4),
       daekninger=st.lists(st.tuples(oere, st.sampled_from(["daekning", "afskrivning", "nedregulering"])), max_size=4))
def test_bilag_balances_by_construction(udb, fordringer, daekninger):
    with transaction.atomic():
        for b, kilde in udb:
            _udbetaling(b, kilde)
        for b in fordringer:
            _fordring(b)
        for b, typ in daekninger:
            f = _fordring(b)
            Fordringspostering.objects.create(kommune_id=101, fordring=f, type=typ, beloeb=b, dato=D,
                                              restgaeld_foer=b, restgaeld_efter=0)
        bilag = finans.dan_finansbilag(101, D)
        n = len(udb) + len(fordringer) + 2 * len(daekninger)
        if n == 0:
            assert bilag is None
        else:
            _immediate()  # the deferred trigger checks now, not at a commit the test never makes
            # each dækning's fordring is booked too (stiftet in ky), so it counts twice
            total = sum([b for b, _ in udb] + fordringer + [b for b, _ in daekninger] * 2)
            assert bilag.sum_debet == bilag.sum_kredit == total
            linjer = list(bilag.linjer.all())
            assert len(linjer) == 2 * n
            assert sum(x.debet for x in linjer) == sum(x.kredit for x in linjer) == total
            assert all((x.debet == 0) != (x.kredit == 0) for x in linjer)
            assert finans.dan_finansbilag(101, D) is None  # booked once
        transaction.set_rollback(True)


def test_database_refuses_an_unbalanced_bilag():
    _udbetaling(Decimal("100.00"))
    bilag = finans.dan_finansbilag(101, D)
    with pytest.raises(IntegrityError, match="balancerer ikke"), transaction.atomic():
        FinansbilagLinje.objects.create(bilag=bilag, konto="1", debet=Decimal("0.01"))
        _immediate()
    with pytest.raises(IntegrityError), transaction.atomic():
        Finansbilag.objects.filter(pk=bilag.pk).update(sum_debet=Decimal("1"))  # header CHECK
    with pytest.raises(IntegrityError, match="balancerer ikke"), transaction.atomic():
        Finansbilag.objects.filter(pk=bilag.pk).update(sum_debet=Decimal("1"), sum_kredit=Decimal("1"))
        _immediate()


def test_kontoplan_lines_and_kmd_aktiv_fordringer_not_booked():
    Finanskonto.objects.create(kommune_id=101, noegle="nemkonto", konto="9.99.99.9")
    _udbetaling(Decimal("8500.00"))
    _fordring(Decimal("4500.00"), kilde="KMD_AKTIV")  # migrated: booked in KMD Aktiv already
    f = _fordring(Decimal("1200.00"), kilde="UNDERHOLDSBIDRAG")
    bilag = finans.dan_finansbilag(101, D)
    rows = [(x.konto, x.debet, x.kredit, x.cpr) for x in bilag.linjer.order_by("id")]
    cpr = f.debitorkonto.person.cpr
    assert sorted(rows) == sorted([
        ("5.46.61.1", Decimal("8500.00"), Decimal("0.00"), "0101801234"),
        ("9.99.99.9", Decimal("0.00"), Decimal("8500.00"), "0101801234"),
        ("8.32.23.1", Decimal("1200.00"), Decimal("0.00"), cpr),
        ("5.46.61.8", Decimal("0.00"), Decimal("1200.00"), cpr)])  # tilbagebetaling
    assert finans.dan_finansbilag(101, D, dry_run=True) == (0, Decimal("0"))


def test_afvist_bilag_gives_task_and_rebooks_in_next():
    _udbetaling(Decimal("10.00"))
    b1 = finans.dan_finansbilag(101, D)
    assert finans.dan_finansbilag(101, D) is None
    finans.marker_kvittering(b1, False, "ukendt konto 5.46.61.1")
    b1.refresh_from_db()
    assert b1.status == "afvist"
    o = Opgave.objects.get(type="afvist-finansbilag")
    assert o.opgavepakke.navn == "Afviste finansbilag" and "ukendt konto" in o.titel
    Finanskonto.objects.create(kommune_id=101, noegle="udgift:effektuering", konto="5.46.61.3")  # corrected
    b2 = finans.dan_finansbilag(101, D)
    assert b2.nr == 2 and b2.sum_debet == Decimal("10.00")
    assert b2.linjer.filter(konto="5.46.61.3").exists()
    finans.marker_kvittering(b2, True)
    b2.refresh_from_db()
    assert b2.status == "bogfoert"


def test_api(api, sagsbehandler, django_assert_max_num_queries):
    for i in range(3):
        _udbetaling(Decimal("10.00") + i)
        finans.dan_finansbilag(101, D + dt.timedelta(days=i))
    c = api.as_user(sagsbehandler)
    with django_assert_max_num_queries(6):
        r = c.get("/api/v1/finansbilag/")
    assert r.status_code == 200 and r.data["count"] == 3
    one = r.data["results"][0]
    assert set(one) == {"id", "kommune", "bogfoeringsdato", "status", "linjer"}
    assert set(one["linjer"][0]) == {"konto", "debet", "kredit", "cpr", "tekst"}
    assert sum(Decimal(x["debet"]) for x in one["linjer"]) == sum(Decimal(x["kredit"]) for x in one["linjer"])
    assert c.get(f"/api/v1/finansbilag/{one['id']}/").status_code == 200
    PersonFactory()
    from tests.factories import UserFactory
    assert api.as_user(UserFactory(username="x751", kommuner=[751])).get(
        f"/api/v1/finansbilag/{one['id']}/").status_code == 404
