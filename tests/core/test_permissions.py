"""One permission policy (issue 19): the role -> permission table behind has_perm, used by the API,
the screens, the templates and Django admin."""

import pytest

from ky.core.permissions import POLICY, Perm, role_has_perm
from ky.core.roles import Role
from tests.factories import UserFactory


def test_the_table_answers_has_perm_per_role():
    assert role_has_perm(Role.SAGSBEHANDLER, Perm.LOESE_OPGAVER)
    assert not role_has_perm(Role.KOMMUNEADMIN, Perm.LOESE_OPGAVER)
    assert role_has_perm(Role.KOMMUNEADMIN, Perm.AENDRE_BATCHKONSTANTER)
    assert role_has_perm(Role.DRIFT, "cases.view_sag") and not role_has_perm(Role.DRIFT, "cases.change_sag")
    assert role_has_perm(Role.DRIFT, "batch.change_koersel")
    assert not role_has_perm(Role.STAR, Perm.SE_SAGER) and not role_has_perm(None, Perm.SE_SAGER)
    assert set(POLICY) == set(Role.values)


@pytest.mark.django_db
def test_users_get_their_roles_permissions_and_nothing_from_rows():
    sb = UserFactory(kommuner=[101])
    assert sb.has_perm(Perm.LOESE_OPGAVER) and not sb.has_perm(Perm.DRIFT)
    assert sb.get_all_permissions() == set(POLICY[Role.SAGSBEHANDLER])
    sb.is_active = False
    assert not sb.has_perm(Perm.LOESE_OPGAVER)


@pytest.mark.django_db
def test_templates_and_admin_follow_the_policy(client):
    sb = UserFactory(username="sb", kommuner=[101])
    admin = UserFactory(username="ka", role=Role.KOMMUNEADMIN, kommuner=[101])
    drift = UserFactory(username="dr", drift=True)
    client.force_login(sb)
    page = client.get("/opgavepakker/").content.decode()
    assert "/batchkonstanter/" not in page and 'href="/admin/"' not in page
    assert client.get("/admin/cases/sag/").status_code == 302  # not staff: to the admin login
    client.force_login(admin)
    page = client.get("/opgavepakker/").content.decode()
    assert "/batchkonstanter/" in page and "KMD Aktiv-importer" in page
    client.force_login(drift)
    assert 'href="/admin/"' in client.get("/opgavepakker/").content.decode()
    assert client.get("/admin/cases/sag/").status_code == 200
    assert client.get("/admin/cases/sag/add/").status_code == 403  # drift reads, does not write


@pytest.mark.django_db
def test_the_api_asks_the_policy(api):
    admin = UserFactory(username="ka", role=Role.KOMMUNEADMIN, kommuner=[101])
    sb = UserFactory(username="sb", kommuner=[101])
    assert api.as_user(admin).get("/api/v1/batch/konstanter/").status_code != 403
    assert api.as_user(sb).get("/api/v1/batch/konstanter/").status_code == 403
