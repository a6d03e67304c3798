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
