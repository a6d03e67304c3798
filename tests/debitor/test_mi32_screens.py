import io

import pytest

from cases.models import Opgave
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
