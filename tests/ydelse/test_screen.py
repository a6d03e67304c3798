"""The bevilling's beregning screen: scoped (another kommune 404), roles, bad month in Danish."""

import datetime as dt

import pytest

from tests.factories import BevillingFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_screen_scoping_roles_and_bad_month(client, django_assert_max_num_queries):
    b = BevillingFactory(kommune_id=101, maanedligt_beloeb=None, bevilget_fra=dt.date(2026, 1, 1))
    client.force_login(UserFactory(username="sb", kommuner=[101]))
    with django_assert_max_num_queries(15):
        r = client.get(f"/bevillinger/{b.pk}/beregning/?maaned=2026-12")
    assert r.status_code == 200 and "Månedens beløb" in r.content.decode()
    r = client.get(f"/bevillinger/{b.pk}/beregning/?maaned=2026-99")
    assert r.status_code == 200 and "Måneden skal angives som ÅÅÅÅ-MM." in r.content.decode()
    client.force_login(UserFactory(username="sb751", kommuner=[751]))
    assert client.get(f"/bevillinger/{b.pk}/beregning/").status_code == 404
    client.force_login(UserFactory(username="jc", jobcenter=True, kommuner=[101]))
    assert client.get(f"/bevillinger/{b.pk}/beregning/").status_code == 403
