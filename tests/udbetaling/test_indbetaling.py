"""debitor-indbetaling: dækninger oldest stiftelsesdato first, overpayment as credit + task,
unplaceable payments kept with a task, a file line covers once."""

import datetime as dt
from decimal import Decimal

import pytest

from cases.models import Opgave
from debitor.models import Fordringspostering
from debitor.udbetaling import indbetaling
from debitor.udbetaling.models import Indbetaling
from tests.factories import DebitorkontoFactory, FordringFactory

pytestmark = pytest.mark.django_db
D = dt.date(2026, 12, 7)


def _post(linje, konto, oere, cpr=None):
    return {"linje": linje, "cpr": cpr or konto.person.cpr, "debitorkonto": konto.kontonr, "beloeb_oere": oere,
            "indbetalingsdato": D}


def test_oldest_first_then_credit_and_task():
    konto = DebitorkontoFactory()
    ny = FordringFactory(debitorkonto=konto, restgaeld=Decimal("300.00"), stiftelsesdato=dt.date(2026, 5, 1))
    gammel = FordringFactory(debitorkonto=konto, restgaeld=Decimal("200.00"), stiftelsesdato=dt.date(2025, 1, 1))
    mellem = FordringFactory(debitorkonto=konto, restgaeld=Decimal("100.00"), stiftelsesdato=dt.date(2026, 1, 1))
    # 250 then 400: the first covers gammel (200) and 50 of mellem; the second mellem's 50, ny's 300, 50 over
    res = indbetaling.registrer(101, "IND_1.txt", [_post(2, konto, 25000), _post(3, konto, 40000)])
    assert res == {"indbetalinger": 2, "daekninger": 4, "daekket": Decimal("600.00"), "overskud": Decimal("50.00"),
                   "uplaceret": 0}
    for f in (ny, gammel, mellem):
        f.refresh_from_db()
        assert f.restgaeld == 0
    poster = [(p.fordring_id, p.beloeb, p.restgaeld_foer, p.restgaeld_efter, p.type)
              for p in Fordringspostering.objects.order_by("id")]
    assert sorted(poster) == sorted([
        (gammel.pk, Decimal("200.00"), Decimal("200.00"), Decimal("0.00"), "daekning"),
        (mellem.pk, Decimal("50.00"), Decimal("100.00"), Decimal("50.00"), "daekning"),
        (mellem.pk, Decimal("50.00"), Decimal("50.00"), Decimal("0.00"), "daekning"),
        (ny.pk, Decimal("300.00"), Decimal("300.00"), Decimal("0.00"), "daekning")])
    assert indbetaling.kredit(konto.pk) == Decimal("50.00")
    o = Opgave.objects.get(type="indbetaling-overskud")
    assert o.debitorkonto_id == konto.pk and "50.00 kr." in o.titel and o.opgavepakke.navn == "Indbetalinger til opfølgning"
    # the same file read again covers nothing twice
    assert indbetaling.registrer(101, "IND_1.txt", [_post(2, konto, 25000), _post(3, konto, 40000)])["indbetalinger"] == 0
    assert Fordringspostering.objects.count() == 4


def test_unplaceable_kept_with_task_rest_goes_on():
    konto = DebitorkontoFactory()
    f = FordringFactory(debitorkonto=konto, restgaeld=Decimal("100.00"))
    res = indbetaling.registrer(101, "IND_2.txt", [
        {"linje": 2, "cpr": konto.person.cpr, "debitorkonto": "UKENDT", "beloeb_oere": 1000, "indbetalingsdato": D},
        _post(3, konto, 1000, cpr="0101801234"),
        _post(4, konto, 4000)])
    assert (res["indbetalinger"], res["uplaceret"], res["daekket"]) == (3, 2, Decimal("40.00"))
    f.refresh_from_db()
    assert f.restgaeld == Decimal("60.00")
    fejl = sorted(Indbetaling.objects.exclude(fejl="").values_list("fejl", flat=True))
    assert fejl == ["CPR-nummeret 0101801234 er ikke debitorkontoens", "ukendt debitorkonto UKENDT"]
    assert Opgave.objects.filter(type="indbetaling-uplaceret").count() == 2


def test_underholdsbidrag_konto_takes_daekninger(sagsbehandler):
    """seed 004, 3.4.2: the BPL's claim lands on a konto (kilde UNDERHOLDSBIDRAG) without a cases sag; a
    caseworker can post a dækning on it (a KMD Aktiv konto without a sag still cannot: MI 32)."""
    from debitor import services
    from ky.core.api import DomainError

    ub = FordringFactory(debitorkonto__kilde="UNDERHOLDSBIDRAG", restgaeld=Decimal("500.00"))
    p = services.registrer_postering(sagsbehandler, ub, type="daekning", beloeb="200,00", dato=D)
    assert p.restgaeld_efter == Decimal("300.00")
    kmd = FordringFactory(debitorkonto__kilde="KMD_AKTIV")
    with pytest.raises(DomainError, match="ikke tilknyttet en sag"):
        services.registrer_postering(sagsbehandler, kmd, type="daekning", beloeb="1,00", dato=D)
