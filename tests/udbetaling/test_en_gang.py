"""Money never goes out twice for the same kilde: the database says so (partial unique index),
the state table drives every change, an afvist payment becomes a task and is resent as a new
udbetaling with the same kilde."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from cases.models import Opgave
from debitor.udbetaling import services, states
from debitor.udbetaling.models import Status, Udbetaling
from ky.core.api import Conflict, DomainError
from tests.udbetaling.helpers import afvist, effektuering, sendt

pytestmark = pytest.mark.django_db


def _u():
    effektuering()
    services.dan_fra_effektueringer(101)
    return Udbetaling.objects.get()


def test_db_refuses_a_second_live_payment_of_a_kilde():
    u = _u()
    twin = dict(kommune_id=101, cpr=u.cpr, beloeb=u.beloeb, udbetalingsdato=u.udbetalingsdato, kilde=u.kilde,
                kilde_id=u.kilde_id)
    with pytest.raises(IntegrityError), transaction.atomic():
        Udbetaling.objects.create(**twin, forsoeg=2, forrige=u)  # same kilde while the first is not afvist
    with pytest.raises(IntegrityError), transaction.atomic():
        Udbetaling.objects.create(**twin | {"beloeb": Decimal("0")})


def test_state_table_feeds_python_and_sql():
    assert states.target(states.Event.SEND, "klar") == "sendt"
    assert states.target(states.Event.AFVIS, "klar") is None
    assert states.target(states.Event.GENNEMFOER, "afvist") is None
    assert states.case_sql(states.Event.AFVIS) == "CASE status WHEN 'sendt' THEN 'afvist' END"
    assert states.from_sql(states.Event.GENNEMFOER) == "('sendt')"
    u = _u()
    with pytest.raises(Conflict):
        services.skift(u, states.Event.GENNEMFOER)  # klar cannot be gennemført by NemKonto


def test_status_records_checked_then_applied():
    u = _u()
    assert services.kontroller_status(101, [(2, u.pk, "G", ""), (3, 999999, "A", "x")]) == [
        (2, f"betaling {u.pk} er ikke sendt"), (3, "ukendt betalings-id 999999")]
    sendt(u)
    assert services.kontroller_status(101, [(2, u.pk, "G", "")]) == []
    assert services.kontroller_status(751, [(2, u.pk, "G", "")]) == [(2, f"ukendt betalings-id {u.pk}")]
    assert services.anvend_status(101, [(2, u.pk, "G", "")]) == (1, 0)
    assert services.kontroller_status(101, [(2, u.pk, "G", "")]) == []  # a repeat is fine
    assert services.anvend_status(101, [(2, u.pk, "G", "")]) == (0, 0)
    assert services.kontroller_status(101, [(2, u.pk, "A", "x")]) == [(2, f"betaling {u.pk} har allerede status gennemfoert")]


def test_afvist_gives_task_and_resend_after_correction(sagsbehandler):
    u = afvist(_u(), "Ingen NemKonto")
    assert (u.status, u.afvist_aarsag) == ("afvist", "Ingen NemKonto")
    o = Opgave.objects.get(type="afvist-udbetaling")
    assert o.opgavepakke.navn == "Afviste udbetalinger" and o.data == {"udbetaling": u.pk} and o.sag_id == u.sag_id
    assert o.aarsag == "afvist-nemkonto" and "Ingen NemKonto" in o.titel
    # the task is not closed by a plain status change
    from cases.services import opdater_opgave
    with pytest.raises(DomainError, match="sende udbetalingen igen"):
        opdater_opgave(sagsbehandler, o, status="udfoert")
    ny = services.send_igen(sagsbehandler, u, today=dt.date(2026, 12, 7))
    assert (ny.kilde, ny.kilde_id, ny.forsoeg, ny.forrige_id, ny.status, ny.beloeb) == (
        u.kilde, u.kilde_id, 2, u.pk, Status.KLAR, u.beloeb)
    o.refresh_from_db()
    assert o.status == "udfoert" and o.data["genudbetaling"] == ny.pk
    with pytest.raises(Conflict):
        services.send_igen(sagsbehandler, u)  # once
    with pytest.raises(Conflict):
        services.send_igen(sagsbehandler, ny)  # only an afvist one
    # the source job never recreates it by itself
    assert services.dan_fra_effektueringer(101) == (0, [])


def test_other_kommune_cannot_resend(sagsbehandler_751):
    u = afvist(_u())
    with pytest.raises(Udbetaling.DoesNotExist):
        services.send_igen(sagsbehandler_751, u)


def test_kontant_paid_at_kasse(sagsbehandler):
    from tests.udbetaling.helpers import ub_udbetaling

    ub_udbetaling(form=0)
    services.dan_fra_underholdsbidrag(101)
    u = Udbetaling.objects.get()
    assert services.registrer_kontant(sagsbehandler, u).status == "gennemfoert"
