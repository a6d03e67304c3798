import datetime as dt

import pytest
from django.utils import timezone

from tests.factories import UserFactory, make_cpr


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
def cpr():
    return make_cpr(77)


def days(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)
