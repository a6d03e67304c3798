import pytest
from rest_framework.test import APIClient

from tests.factories import UserFactory


@pytest.fixture
def api():
    """An API client; ``api.as_user(user)`` authenticates it."""

    client = APIClient()

    def as_user(user):
        client.force_authenticate(user)
        return client

    client.as_user = as_user
    return client


@pytest.fixture
def sagsbehandler(db):
    return UserFactory(username="sb101", kommuner=[101])


@pytest.fixture
def sagsbehandler_751(db):
    return UserFactory(username="sb751", kommuner=[751])


@pytest.fixture
def drift(db):
    return UserFactory(username="drift1", drift=True)


@pytest.fixture(autouse=True)
def _kommuner_after_flush(request):
    """A transactional test (live_server, transaction=True) flushes the database after
    itself, and with it the 98 kommuner the first migration loads (api.md) and ydelse's shipped
    rates and rules. Put them back before every transactional test so every test sees the same world."""
    marker = request.node.get_closest_marker("django_db")
    transactional = bool(marker and marker.kwargs.get("transaction")) or any(
        name in request.fixturenames for name in ("transactional_db", "live_server")
    )
    if transactional:
        request.getfixturevalue("transactional_db")
        from ky.core.kommuner import KOMMUNER
        from ky.core.models import Kommune

        Kommune.objects.bulk_create([Kommune(kode=k, navn=n) for k, n in KOMMUNER.items()], ignore_conflicts=True)
        # ydelse's data migration (0002) ships the rates and rules; a flush takes them too
        from cases.ydelse import satsdata
        from cases.ydelse.models import Regel, Sats

        if not Regel.objects.exists():
            Regel.objects.bulk_create([Regel(noegle=n, vaerdi=v, gyldig_fra=f, gyldig_til=t, kilde=k)
                                       for n, v, f, t, k in satsdata.REGLER])
        if not Sats.objects.exists():
            Sats.objects.bulk_create([Sats(ydelsestype=y, kategori=c, gyldig_fra=f, gyldig_til=t, beloeb=b, kilde=k)
                                      for y, c, f, t, b, k in satsdata.satser()])
    yield
