"""The KMD Aktiv upload screen (issue 21): the request stores the file and records a batch run; an RQ worker
imports it in the background; the screen links to the run's status."""

from pathlib import Path

import django_rq
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from batch import tasks
from batch.models import Koersel
from debitor.kmd_aktiv import HEADER
from debitor.models import Fordring, ImportStatus, KmdAktivImport, KmdAktivUpload
from ky.core.roles import Role
from tests.batch.test_platform_worker import start_worker, wait_for
from tests.factories import UserFactory

H = ";".join(HEADER)
QUEUE = "integration-ind"


def _fil(n=3, header=H, name="kmd.csv"):
    lines = [f"101;U-{i // 3};0101801234;;KTH;UF-{i};TILBAGEBETALING;100,00;50,00;2025-01-01;2025-01-31;2025-02-01"
             for i in range(n)]
    return SimpleUploadedFile(name, ("\n".join([header, *lines]) + "\n").encode(), content_type="text/csv")


def _admin(username="kadmin101", kommuner=(101,)):
    return UserFactory(username=username, role=Role.KOMMUNEADMIN, kommuner=list(kommuner))


@pytest.fixture(autouse=True)
def _uploads(settings, tmp_path, monkeypatch):
    """Stored files go to a temporary KY_DATA_DIR (also for a worker subprocess, which reads the environment)."""
    monkeypatch.setenv("KY_DATA_DIR", str(tmp_path))
    settings.MEDIA_ROOT = tmp_path / "uploads"


@pytest.fixture
def queue():
    q = django_rq.get_queue(QUEUE)
    q.empty()
    yield q
    q.empty()


@pytest.mark.django_db(transaction=True)
def test_upload_is_a_background_run_a_real_worker_imports(client, queue):
    admin = _admin()
    client.force_login(admin)
    r = client.post(reverse("debitor:kmd_aktiv_upload"), {"fil": _fil(6), "kommune": "101"})
    k = Koersel.objects.get(job="kmd-aktiv-import")
    assert r.status_code == 302 and r.url == reverse("debitor:kmd_aktiv_koersel", args=[k.pk])
    # recorded, queued, nothing imported inside the request
    assert (k.status, k.kommune_id, k.startet_af_id, k.trigger) == ("queued", 101, admin.pk, "admin")
    upload = KmdAktivUpload.objects.get(koersel=k)
    assert Path(upload.sti).exists() and upload.stoerrelse > 0 and not upload.dry_run
    assert Fordring.objects.count() == 0 and KmdAktivImport.objects.count() == 0
    assert queue.count == 1
    page = client.get(r.url).content.decode()
    assert "er modtaget. Importen kører i baggrunden som kørsel" in page and "I kø" in page
    assert 'hx-trigger="every 3s"' in page  # the status refreshes itself while the run is not done

    worker = start_worker()
    try:
        assert wait_for(lambda: Koersel.objects.filter(pk=k.pk, status__in=["succeeded", "failed"]).exists(), 120)
    finally:
        worker.wait(timeout=60)
    k.refresh_from_db()
    upload.refresh_from_db()
    assert k.status == "succeeded", (k.besked, k.log)
    assert k.counts["created"] == 6 and k.startet and k.afsluttet and "Resumé:" in k.log
    assert Fordring.objects.filter(kommune_id=101).count() == 6
    assert upload.kmd_import.status == ImportStatus.GENNEMFOERT and upload.kmd_import.bruger_id == admin.pk
    assert not Path(upload.sti).exists()  # the stored file is removed after the import
    page = client.get(reverse("debitor:kmd_aktiv_koersel", args=[k.pk])).content.decode()
    assert "Gennemført" in page and reverse("debitor:kmd_aktiv_import", args=[upload.kmd_import_id]) in page
    assert 'hx-trigger' not in page


@pytest.mark.django_db
def test_rejected_file_fails_the_run_with_the_reason(client):
    client.force_login(_admin())
    client.post(reverse("debitor:kmd_aktiv_upload"), {"fil": _fil(header="forkert;overskrift"), "kommune": "101"})
    k = Koersel.objects.get(job="kmd-aktiv-import")
    assert tasks.execute_run(k.pk) == "failed"  # what the RQ worker calls
    k.refresh_from_db()
    assert k.besked.startswith("Første linje skal være overskriften")
    imp = KmdAktivImport.objects.get()
    assert imp.status == ImportStatus.AFVIST and Fordring.objects.count() == 0
    page = client.get(reverse("debitor:kmd_aktiv_koersel", args=[k.pk])).content.decode()
    assert "Kørslen fejlede: Første linje skal være overskriften" in page and "Traceback" not in page


@pytest.mark.django_db
def test_dry_run_upload_stores_nothing(client):
    client.force_login(_admin())
    client.post(reverse("debitor:kmd_aktiv_upload"), {"fil": _fil(3), "kommune": "101", "dry_run": "on"})
    k = Koersel.objects.get(job="kmd-aktiv-import")
    assert tasks.execute_run(k.pk) == "succeeded"
    assert Fordring.objects.count() == 0 and KmdAktivImport.objects.get().status == ImportStatus.PROEVEKOERSEL


@pytest.mark.django_db
@pytest.mark.parametrize("data,message", [
    ({"kommune": "101"}, "Vælg en KMD Aktiv-fil."),
    ({"kommune": "751", "fil": True}, "Du har ikke adgang til kommune 751."),
    ({"kommune": "abc", "fil": True}, "Du har ikke adgang til kommune abc."),
    ({"fil": True}, "Vælg en kommune."),
    ({"kommune": "101", "fil": "tom"}, "Den valgte fil er tom."),
])
def test_bad_input_a_danish_message_and_nothing_stored(client, data, message):
    client.force_login(_admin())
    if data.get("fil") is True:
        data["fil"] = _fil()
    elif data.get("fil") == "tom":
        data["fil"] = SimpleUploadedFile("tom.csv", b"")
    r = client.post(reverse("debitor:kmd_aktiv_upload"), data)
    assert r.status_code == 200 and message in r.content.decode()
    assert not Koersel.objects.exists() and not KmdAktivUpload.objects.exists()


@pytest.mark.django_db
def test_one_import_per_kommune_at_a_time(client):
    client.force_login(_admin())
    client.post(reverse("debitor:kmd_aktiv_upload"), {"fil": _fil(), "kommune": "101"})
    r = client.post(reverse("debitor:kmd_aktiv_upload"), {"fil": _fil(), "kommune": "101"})
    k = Koersel.objects.get()
    assert r.status_code == 200
    assert f"Der kører allerede en KMD Aktiv-import for kommune 101 (kørsel {k.pk})" in r.content.decode()
    assert KmdAktivUpload.objects.count() == 1


@pytest.mark.django_db
def test_roles_and_scoping(client):
    client.force_login(_admin())
    client.post(reverse("debitor:kmd_aktiv_upload"), {"fil": _fil(), "kommune": "101"})
    k = Koersel.objects.get()
    client.force_login(_admin("kadmin751", (751,)))
    assert client.get(reverse("debitor:kmd_aktiv_koersel", args=[k.pk])).status_code == 404
    client.force_login(UserFactory(username="sb101", role=Role.SAGSBEHANDLER))
    assert client.post(reverse("debitor:kmd_aktiv_upload"), {"fil": _fil(), "kommune": "101"}).status_code == 403
    assert client.get(reverse("debitor:kmd_aktiv_koersel", args=[k.pk])).status_code == 403
    assert Koersel.objects.count() == 1


@pytest.mark.django_db
def test_list_page_queries_do_not_grow(client, django_assert_max_num_queries):
    admin = _admin()
    client.force_login(admin)
    client.post(reverse("debitor:kmd_aktiv_upload"), {"fil": _fil(), "kommune": "101"})
    for k in Koersel.objects.all():
        tasks.execute_run(k.pk)
    for i in range(5):
        client.post(reverse("debitor:kmd_aktiv_upload"), {"fil": _fil(name=f"f{i}.csv"), "kommune": "101"})
        tasks.execute_run(Koersel.objects.order_by("-id").first().pk)
    with django_assert_max_num_queries(8):
        page = client.get(reverse("debitor:kmd_aktiv_importer")).content.decode()
    assert page.count("kmd-aktiv-importer/koersler/") == 6 and "Importér" in page
