"""Django admin for drift: every changelist of the app answers, with a query count that does not
grow with the rows shown."""

import pytest
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.db import connection

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
MODELLER = ["udbetaling", "kvikudbetaling", "finansbilag", "indbetaling", "inddrivelseskrav", "periodekrav",
            "finanskonto", "afdragsordning", "overdragelse"]


def test_changelists(settings, tmp_path):
    from django.core.management import call_command

    settings.KY_SFTP_URL = ""
    settings.KY_DATA_DIR = tmp_path
    call_command("seed_demo", "--kommuner", "101", "--borgere", "300", "--seed", "7")
    c = Client()
    c.force_login(UserFactory(username="drift9", drift=True, is_superuser=True))
    for model in MODELLER:
        with CaptureQueriesContext(connection) as q:
            r = c.get(f"/admin/udbetaling/{model}/")
        assert r.status_code == 200, model
        assert len(q) <= 12, (model, len(q))
    from debitor.udbetaling.models import Finansbilag
    b = Finansbilag.objects.first()
    assert c.get(f"/admin/udbetaling/finansbilag/{b.pk}/change/").status_code == 200
