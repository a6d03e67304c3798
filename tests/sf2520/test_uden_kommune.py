"""The four per-kommune jobs of the chain run without a kommune fail with a Danish message
(not "'NoneType' object has no attribute 'pk'") and change nothing."""

import datetime as dt

import pytest

from batch.services import run_job
from integrations.sf2520.models import Effektuering, SendtFil

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("job", ["dan-effektueringskladder", "endeligjoer-effektueringer",
                                 "sf2520-send-fub-modregninger", "send-forespoergsel-til-betalingsadministration"])
@pytest.mark.parametrize("dry_run", [False, True])
def test_job_without_kommune(job, dry_run, settings, tmp_path):
    settings.KY_SFTP_URL = ""
    settings.KY_DATA_DIR = tmp_path
    k = run_job(job, kommune=None, as_of=dt.date(2026, 3, 2), dry_run=dry_run)
    assert k.status == "failed" and k.besked == "Jobbet kører pr. kommune; der er ikke angivet nogen kommune."
    assert not Effektuering.objects.exists() and not SendtFil.objects.exists()
