import datetime as dt

import pytest
from django.utils import timezone

from tests.factories import UserFactory, make_cpr


@pytest.fixture(autouse=True)
def _kontaktgrupper_after_flush(request):
    """A transactional test flushes the kontaktgrupper migration dfdg 0002 loads (as the kommuner, tests/conftest.py):
    put them back before every transactional test."""
    marker = request.node.get_closest_marker("django_db")
    if (marker and marker.kwargs.get("transaction")) or any(
            name in request.fixturenames for name in ("transactional_db", "live_server")):
        request.getfixturevalue("transactional_db")
        from integrations.dfdg.kontaktgrupper import load

        load()
    yield


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def jobcenter(db):
    return UserFactory(username="jc101", jobcenter=True, kommuner=[101])


@pytest.fixture
def jobcenter_751(db):
    return UserFactory(username="jc751", jobcenter=True, kommuner=[751])


@pytest.fixture
def star(db):
    return UserFactory(username="star1", star=True)


@pytest.fixture
def jc(api, jobcenter):
    return api.as_user(jobcenter)


@pytest.fixture
def cpr(db):
    """A citizen in kontaktgruppe dagpenge since 30 days (frister of samtaletype 7 and 17 can be indfriet)."""
    value = make_cpr(77)
    kontaktforloeb(value, "dagpenge")
    return value


def days(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)


#: a kontaktgruppe in which a frist of the samtaletype can be indfriet (migration 0002's table)
GRUPPE_FOR = {4: "sygedagpenge", 7: "dagpenge", 17: "dagpenge"}


def kontaktforloeb(cpr: str, kontaktgruppe: str = "dagpenge", kommune: int = 101, fra=None, til=None, akasse=None):
    from integrations.dfdg.models import Kontaktforloeb

    return Kontaktforloeb.objects.create(kommune_id=kommune, cpr=cpr, kontaktgruppe_id=kontaktgruppe,
                                         fra=fra or days(-30), til=til, akasse=akasse)


def i_kontaktgruppe_for(cpr: str, samtaletype) -> None:
    """Give the CPR a current kontaktforløb allowing the samtaletype, unless it has one already (tests of rules
    other than the kontaktgruppe rule)."""
    from integrations.dfdg.models import Kontaktforloeb

    cpr = cpr.replace("-", "")
    if samtaletype in GRUPPE_FOR and not Kontaktforloeb.objects.filter(cpr=cpr).exists():
        kontaktforloeb(cpr, GRUPPE_FOR[samtaletype])


def klient(user):
    """A client of its own for ``user`` (the ``api`` fixture is one client: ``as_user`` re-authenticates it)."""
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(user)
    return client
