import io
import threading

import pytest
from django.db import connection

from cases.models import Opgave
from debitor.kmd_aktiv import HEADER, import_file
from debitor.models import Debitorkonto, Fordring
from tests.factories import BevillingFactory, OpgaveFactory, PersonFactory, UserFactory

H = ";".join(HEADER)


def run(text, kommune=101, **kw):
    data = text if isinstance(text, bytes) else text.encode()
    return import_file(io.BytesIO(data), kommune=kommune, **kw)


def line(konto="D-1", cpr="0101801234", bev="5550001", yt="KTH", fid="F-1", ft="TILBAGEBETALING",
         hs="4500,00", rg="3200,00", pf="2025-01-01", pt="2025-03-31", sd="2025-04-15", k="101"):
    return ";".join([k, konto, cpr, bev, yt, fid, ft, hs, rg, pf, pt, sd])


@pytest.mark.django_db
@pytest.mark.parametrize("kw,field", [
    ({"konto": "d-1"}, "debitorkonto"), ({"cpr": "3201801234"}, "cpr"), ({"bev": "12a"}, "kmd_aktiv_bevillingsnr"),
    ({"yt": "XXX"}, "ydelsestype"), ({"fid": "F 1"}, "fordring_id"), ({"ft": "ANDET"}, "fordringstype"),
    ({"hs": "4.500,00"}, "hovedstol"), ({"rg": "-1,00"}, "restgaeld"), ({"rg": "5000,00"}, "restgaeld"),
    ({"pf": "2025-13-01"}, "periode_fra"), ({"pf": "2025-05-01"}, "periode_til"),
    ({"sd": "2999-01-01"}, "stiftelsesdato"),
])
def test_one_failing_line_per_rule(kw, field):
    s, ok = run("\n".join([H, line(fid="F-0", konto="D-0"), line(**kw)]) + "\n")
    assert ok and s["rejected"] == 1 and s["rows"] == 2
    assert s["errors"][0]["line"] == 3 and s["errors"][0]["field"] == field and s["errors"][0]["message"]
    assert Fordring.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("data", [
    (H + "\n" + line()).encode("latin-1") + "\n101;Æ".encode("latin-1"),
    ("x;" + H + "\n" + line()).encode(),
    (H + "\n" + line() + "\n" + line(k="751", fid="F-2")).encode(),
])
def test_whole_file_rejected(data):
    s, ok = run(data)
    assert not ok and s["errors"]
    assert Debitorkonto.objects.count() == 0 and Fordring.objects.count() == 0


@pytest.mark.django_db
def test_duplicate_and_disagreeing_konto():
    s, ok = run("\r\n".join(["\ufeff" + H, line(), line(), line(konto="D-2", fid="F-3"),
                            line(konto="D-2", fid="F-4", yt="UDH")]))
    assert s["rejected"] == 3 and s["debitorkonti"] == 1 and s["fordringer_created"] == 1


@pytest.mark.django_db
def test_routes_idempotent_update_and_dry_run():
    p1, p2 = PersonFactory(cpr="0101801234"), PersonFactory(cpr="0202801234")
    BevillingFactory(person=p1, sag__person=p1, kmd_aktiv_bevillingsnr="111")
    b2 = BevillingFactory(uden_sag=True, person=p2, kmd_aktiv_bevillingsnr="222")
    text = "\n".join([H, line(bev="111"), line(konto="D-2", cpr="0202801234", bev="222", fid="F-2"),
                      line(konto="D-3", bev="", fid="F-3"), line(konto="D-4", bev="999", fid="F-4")])
    s, _ = run(text, dry_run=True)
    assert s["sagstilknytning"] == 1 and Debitorkonto.objects.count() == 0
    s, _ = run(text)
    assert (s["sagstilknytning"], s["sagsoprettelse"], s["manual"], s["fordringer_created"]) == (1, 1, 2, 4)
    b2.refresh_from_db()
    assert b2.sag and b2.sag.startdato == b2.bevilget_fra
    assert Debitorkonto.objects.get(kontonr="D-2").sag_id == b2.sag_id
    aarsager = set(Opgave.objects.filter(type="mi32").values_list("aarsag", flat=True))
    assert aarsager == {"mangler_bevillingsnr", "ukendt_bevillingsnr"}
    s, _ = run(text)
    assert (s["fordringer_created"], s["fordringer_updated"], s["sagstilknytning"]) == (0, 0, 0)
    assert Opgave.objects.filter(type="mi32").count() == 2
    s, _ = run(text.replace("3200,00", "3100,00", 1))
    assert s["fordringer_updated"] == 1


@pytest.mark.django_db
def test_tilknyt_api_and_postering(api):
    user = UserFactory(username="sb", kommuner=[101])
    run("\n".join([H, line(bev="")]))
    opgave = Opgave.objects.get(type="mi32")
    konto = Debitorkonto.objects.get()
    url = f"/api/v1/debitorkonti/{konto.pk}/fordringer/F-1/daekning/"
    r = api.as_user(user).post(url, {"beloeb": "100.00", "dato": "2026-01-01"}, format="json")
    assert r.status_code == 400 and "sag" in r.json()["fejl"][0]["tekst"]
    b = BevillingFactory(person=konto.person, sag__person=konto.person)
    r = api.post(f"/api/v1/opgaver/{opgave.pk}/tilknyt/", {"bevilling": b.pk}, format="json")
    assert r.status_code == 200 and r.json()["sag"] == b.sag_id
    r = api.post(f"/api/v1/opgaver/{opgave.pk}/tilknyt/", {"sag": b.sag_id}, format="json")
    assert r.status_code == 409
    r = api.post(url, {"beloeb": "100.00", "dato": "2026-01-01"}, format="json")
    assert r.status_code == 201 and r.json()["restgaeld_efter"] == "3100.00"
    other = UserFactory(username="sb7", kommuner=[751])
    assert api.as_user(other).get(f"/api/v1/debitorkonti/{konto.pk}/").status_code == 404
    assert api.post(f"/api/v1/opgaver/{opgave.pk}/tilknyt/", {"sag": 1}, format="json").status_code == 404


@pytest.mark.django_db(transaction=True)
def test_concurrent_tilknyt(api):
    from rest_framework.test import APIClient
    u1, u2 = UserFactory(username="a1", kommuner=[101]), UserFactory(username="a2", kommuner=[101])
    run("\n".join([H, line(bev="")]))
    opgave = Opgave.objects.get(type="mi32")
    konto = Debitorkonto.objects.get()
    b = BevillingFactory(person=konto.person, sag__person=konto.person)
    codes, barrier = [], threading.Barrier(2)

    def go(u):
        c = APIClient()
        c.force_authenticate(u)
        barrier.wait()
        codes.append(c.post(f"/api/v1/opgaver/{opgave.pk}/tilknyt/", {"bevilling": b.pk}, format="json").status_code)
        connection.close()

    ts = [threading.Thread(target=go, args=(u,)) for u in (u1, u2)]
    [t.start() for t in ts]
    [t.join() for t in ts]
    assert sorted(codes) == [200, 409]
