import io

import pytest

from cases.models import Opgave
from debitor.models import Debitorkonto
from debitor.kmd_aktiv import HEADER, import_file
from tests.factories import BevillingFactory, UserFactory

H = ";".join(HEADER)


@pytest.mark.django_db
def test_task_page_and_tilknyt(client):
    UserFactory(username="sb", kommuner=[101])
    import_file(io.BytesIO((H + "\n101;D-1;0101801234;;KTH;F-1;TILBAGEBETALING;10,00;5,00;2025-01-01;2025-01-31;"
                            "2025-02-01\n").encode()), kommune=101)
    opgave = Opgave.objects.get(type="mi32")
    b = BevillingFactory(person=opgave.person, sag__person=opgave.person)
    client.login(username="sb", password="hemmelig-kode")
    r = client.get(f"/opgaver/{opgave.pk}/")
    html = r.content.decode()
    assert r.status_code == 200 and "D-1" in html and "Tilknyt</button>" in html and "Opret ny sag" in html
    r = client.post(f"/debitor/opgaver/{opgave.pk}/tilknyt/", {"bevilling": b.pk}, follow=True)
    html = r.content.decode()
    assert "Debitorkontoen er tilknyttet" in html and "KLIK-opgave kan markeres som fuldført" in html


def _import(n: int, kommune=101, start=0):
    lines = [f"{kommune};D-{i};0101801234;;KTH;F-{kommune}-{i};TILBAGEBETALING;10,00;5,00;2025-01-01;2025-01-31;"
             "2025-02-01" for i in range(start, start + n)]
    lines.append(f"{kommune};S-{start};0202801234;;SAES;G-{kommune}-{start};MANUEL;10,00;5,00;2025-01-01;2025-01-31;"
                 "2025-02-01")
    import_file(io.BytesIO((H + "\n" + "\n".join(lines) + "\n").encode()), kommune=kommune)


@pytest.mark.django_db
def test_package_page_query_count_flat_and_aarsag_choices(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    UserFactory(username="sb", kommuner=[101])
    client.login(username="sb", password="hemmelig-kode")
    _import(3)
    pakke_id = Opgave.objects.filter(type="mi32").first().opgavepakke_id
    url = f"/opgavepakker/{pakke_id}/"
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        html = client.get(url).content.decode()
    assert "Åbne opgaver: <strong>4</strong>" in html
    _import(40, start=100)
    with CaptureQueriesContext(connection) as many:
        html = client.get(url).content.decode()
    assert "Åbne opgaver: <strong>45</strong>" in html and len(many) == len(few)
    # årsag is a choice list of the registered reasons, shown by their labels
    assert '<option value="manuel_ydelsestype">Særlig støtte eller manuel fordring</option>' in html
    html = client.get(url + "?aarsag=manuel_ydelsestype").content.decode()
    assert html.count("Tilknyt debitorkonto S-") == 2 and "Tilknyt debitorkonto D-1<" not in html
    assert "Ugyldigt filter" in client.get(url + "?aarsag=findes_ikke").content.decode()


@pytest.mark.django_db
def test_other_kommune_sees_404_and_reservation_shown(client):
    UserFactory(username="sb", kommuner=[101])
    UserFactory(username="sb2", kommuner=[101])
    UserFactory(username="aarhus", kommuner=[751])
    _import(1)
    opgave = Opgave.objects.filter(type="mi32").first()
    client.login(username="aarhus", password="hemmelig-kode")
    assert client.get(f"/opgaver/{opgave.pk}/").status_code == 404
    assert client.get(f"/opgavepakker/{opgave.opgavepakke_id}/").status_code == 404
    assert client.post(f"/debitor/opgaver/{opgave.pk}/tilknyt/", {"ydelsestype": "KTH"}).status_code == 404
    client.login(username="sb", password="hemmelig-kode")
    client.get(f"/opgaver/{opgave.pk}/")  # opening reserves it
    client.login(username="sb2", password="hemmelig-kode")
    html = client.get(f"/opgaver/{opgave.pk}/").content.decode()
    assert "opgaven er reserveret af en anden sagsbehandler" in html


@pytest.mark.django_db
def test_fordring_operations_on_sag_page(client):
    from debitor.models import Debitorkonto, Fordring, Fordringspostering

    UserFactory(username="sb", kommuner=[101])
    UserFactory(username="aarhus", kommuner=[751])
    _import(1)
    konto = Debitorkonto.objects.get(kontonr="D-0")
    f = Fordring.objects.get(debitorkonto=konto)
    client.login(username="sb", password="hemmelig-kode")
    # no sag yet: refused with a clear message, nothing changes
    html = client.post(f"/debitor/fordringer/{f.pk}/postering/", {"type": "daekning", "beloeb": "1,00",
                                                                  "dato": "2026-01-05"}, follow=True).content.decode()
    assert "ikke tilknyttet en sag" in html and not Fordringspostering.objects.exists()
    b = BevillingFactory(person=konto.person, sag__person=konto.person)
    client.post(f"/debitor/opgaver/{Opgave.objects.get(debitorkonto_id=konto.pk).pk}/tilknyt/", {"bevilling": b.pk})
    sag_url = f"/sager/{b.sag_id}/"
    html = client.get(sag_url).content.decode()
    assert "Registrér</button>" in html and 'name="beloeb"' in html
    for data, fejl in [({"type": "daekning", "beloeb": "9,00", "dato": "2026-01-05"}, "større end restgælden"),
                       ({"type": "daekning", "beloeb": "0", "dato": "2026-01-05"}, "større end 0"),
                       ({"type": "daekning", "beloeb": "abc", "dato": "2026-01-05"}, "ikke et tal"),
                       ({"type": "daekning", "beloeb": "1,00", "dato": "05-01-2026"}, "ÅÅÅÅ-MM-DD"),
                       ({"type": "gave", "beloeb": "1,00", "dato": "2026-01-05"}, "Ukendt type")]:
        r = client.post(f"/debitor/fordringer/{f.pk}/postering/", data, follow=True)
        assert r.status_code == 200 and fejl in r.content.decode(), fejl
    assert not Fordringspostering.objects.exists()
    r = client.post(f"/debitor/fordringer/{f.pk}/postering/", {"type": "afskrivning", "beloeb": "1,50",
                                                               "dato": "2026-01-05"}, follow=True)
    html = r.content.decode()
    assert r.redirect_chain[-1][0] == sag_url and "Restgælden er nu 3,50 kr." in html
    assert "Afskrivning 1,50 den 2026-01-05" in html
    f.refresh_from_db()
    assert f.restgaeld == 3.5
    client.login(username="aarhus", password="hemmelig-kode")
    assert client.post(f"/debitor/fordringer/{f.pk}/postering/", {"type": "daekning", "beloeb": "1,00",
                                                                  "dato": "2026-01-05"}).status_code == 404


@pytest.mark.django_db
def test_postering_form_reads_danish_amounts(client):
    """'1.000' typed on the sag page is 1000 kr. (ky.core.beloeb), never 1 kr.; '2.50' is ambiguous and refused."""
    from debitor.models import Debitorkonto, Fordring, Fordringspostering

    UserFactory(username="sb", kommuner=[101])
    _import(1)
    konto = Debitorkonto.objects.get(kontonr="D-0")
    f = Fordring.objects.get(debitorkonto=konto)
    b = BevillingFactory(person=konto.person, sag__person=konto.person)
    client.login(username="sb", password="hemmelig-kode")
    client.post(f"/debitor/opgaver/{Opgave.objects.get(debitorkonto_id=konto.pk).pk}/tilknyt/", {"bevilling": b.pk})
    url = f"/debitor/fordringer/{f.pk}/postering/"
    html = client.post(url, {"type": "daekning", "beloeb": "1.000", "dato": "2026-01-05"}, follow=True).content.decode()
    assert "større end restgælden" in html
    html = client.post(url, {"type": "daekning", "beloeb": "2.50", "dato": "2026-01-05"}, follow=True).content.decode()
    assert "kan ikke læses" in html
    assert not Fordringspostering.objects.exists()
    client.post(url, {"type": "daekning", "beloeb": "1,25 kr.", "dato": "2026-01-05"})
    f.refresh_from_db()
    assert str(f.restgaeld) == "3.75"


@pytest.mark.django_db
def test_task_page_candidates_are_the_borgers_in_the_kontos_kommune(client):
    """mi32.md: the borger's bevillinger and sager (the search by bevillingsnr among them), in the
    debitorkonto's kommune — a candidate the attach service would refuse gets no "Tilknyt" button."""
    from tests.factories import PersonFactory, SagFactory

    UserFactory(username="sb2k", kommuner=[101, 751])
    _import(1)
    opgave = Opgave.objects.get(type="mi32", debitorkonto_id=Debitorkonto.objects.get(kontonr="D-0").pk)
    egen = BevillingFactory(person=opgave.person, sag__person=opgave.person, kmd_aktiv_bevillingsnr="777")
    aarhus_bev = BevillingFactory(uden_sag=True, kommune_id=751, person=opgave.person, kmd_aktiv_bevillingsnr="778")
    aarhus_sag = SagFactory(kommune_id=751, person=opgave.person)
    fremmed = BevillingFactory(person=PersonFactory(cpr="0303801234"), kmd_aktiv_bevillingsnr="777")
    client.login(username="sb2k", password="hemmelig-kode")
    html = client.get(f"/opgaver/{opgave.pk}/").content.decode()
    assert f'name="bevilling" value="{egen.pk}"' in html and f'name="sag" value="{egen.sag_id}"' in html
    assert f'name="bevilling" value="{aarhus_bev.pk}"' not in html and f'name="sag" value="{aarhus_sag.pk}"' not in html
    html = client.get(f"/opgaver/{opgave.pk}/?bevillingsnr=777").content.decode()
    assert f'name="bevilling" value="{egen.pk}"' in html and f'name="bevilling" value="{fremmed.pk}"' not in html


@pytest.mark.django_db
@pytest.mark.parametrize("q", ["side=99999999999999999999", "foer=99999999999999999999", "efter=99999999999999999999",
                               "side=-5", "foer=abc"])
def test_package_page_odd_paging_parameters_do_not_500(client, q):
    UserFactory(username="sb", kommuner=[101])
    _import(1)
    pakke_id = Opgave.objects.filter(type="mi32").first().opgavepakke_id
    client.login(username="sb", password="hemmelig-kode")
    r = client.get(f"/opgavepakker/{pakke_id}/?{q}")
    assert r.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("data", [{"bevilling": "abc"}, {"sag": "1x"}, {"ydelsestype": "XXX"}, {}])
def test_tilknyt_screen_bad_input_is_a_message_not_a_500(client, data):
    from debitor.models import Debitorkonto

    UserFactory(username="sb", kommuner=[101])
    _import(1)
    opgave = Opgave.objects.get(type="mi32", debitorkonto_id=Debitorkonto.objects.get(kontonr="D-0").pk)
    client.login(username="sb", password="hemmelig-kode")
    r = client.post(f"/debitor/opgaver/{opgave.pk}/tilknyt/", data, follow=True)
    assert r.status_code in (200, 404)
    assert Debitorkonto.objects.get(pk=opgave.debitorkonto_id).sag_id is None


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["kommuneadmin", "jobcenter"])
def test_tilknyt_screen_only_for_sagsbehandlere(client, role):
    """mi32.md: a caseworker (role sagsbehandler) resolves a task — on the screen as in the API (403)."""
    from debitor.models import Debitorkonto

    UserFactory(username="adm", role=role, kommuner=[101])
    _import(1)
    opgave = Opgave.objects.get(type="mi32", debitorkonto_id=Debitorkonto.objects.get(kontonr="D-0").pk)
    client.login(username="adm", password="hemmelig-kode")
    assert "Opret ny sag</button>" not in client.get(f"/opgaver/{opgave.pk}/").content.decode()
    r = client.post(f"/debitor/opgaver/{opgave.pk}/tilknyt/", {"ydelsestype": "KTH"})
    assert r.status_code in (403, 404)
    assert Debitorkonto.objects.get(pk=opgave.debitorkonto_id).sag_id is None


@pytest.mark.django_db
def test_import_log_screen_for_the_kommunes_admins(client):
    """Issue 4: the outcome of every import (who, when, file, hash, summary, errors) is shown to the
    kommune's admins; another kommune's import answers 404; caseworkers have no access."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from debitor.models import KmdAktivImport

    admin = UserFactory(username="adm", role="kommuneadmin", kommuner=[101])
    UserFactory(username="adm7", role="kommuneadmin", kommuner=[751])
    UserFactory(username="sb", kommuner=[101])
    import_file(io.BytesIO((H + "\n101;D-1;0101801234;;KTH;F-1;TILBAGEBETALING;10,00;50,00;2025-01-01;2025-01-31;"
                            "2025-02-01\n").encode()), kommune=101, user=admin, filename="aktiv.csv")
    imp = KmdAktivImport.objects.get()
    client.login(username="adm", password="hemmelig-kode")
    html = client.get("/debitor/kmd-aktiv-importer/").content.decode()
    assert "aktiv.csv" in html and imp.sha256[:12] in html and "adm" in html and "Gennemført" in html
    for i in range(5):
        import_file(io.BytesIO(b"x"), kommune=101, user=admin, filename=f"f{i}.csv")
    with CaptureQueriesContext(connection) as q:
        assert client.get("/debitor/kmd-aktiv-importer/").status_code == 200
    assert len(q) <= 6
    html = client.get(f"/debitor/kmd-aktiv-importer/{imp.pk}/").content.decode()
    assert "restgaeld må ikke være større end hovedstol" in html and "Linje" in html
    client.login(username="adm7", password="hemmelig-kode")
    assert client.get(f"/debitor/kmd-aktiv-importer/{imp.pk}/").status_code == 404
    assert "aktiv.csv" not in client.get("/debitor/kmd-aktiv-importer/").content.decode()
    client.login(username="sb", password="hemmelig-kode")
    assert client.get("/debitor/kmd-aktiv-importer/").status_code == 403


@pytest.mark.django_db
def test_task_page_shows_the_reason_in_danish_once(client):
    UserFactory(username="sb", kommuner=[101])
    _import(1)
    opgave = Opgave.objects.get(type="mi32", debitorkonto_id=Debitorkonto.objects.get(kontonr="D-0").pk)
    client.login(username="sb", password="hemmelig-kode")
    html = client.get(f"/opgaver/{opgave.pk}/").content.decode()
    assert html.count("Bevillingsnummer mangler (tabt ved migrering)") == 1 and "mangler_bevillingsnr" not in html
