import csv
import datetime as dt
import io
import threading

import pytest
from django.db import connection

from cases.models import Opgave
from debitor.kmd_aktiv import HEADER, import_file
from debitor.models import Debitorkonto, Fordring
from tests.factories import BevillingFactory, PersonFactory, UserFactory

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


# --- the set-based SQL validation gives exactly the messages of the former Python validator ----------

VARIANTS = {
    "konto": ["D-1", "d-1", "", "D 1", "A" * 20, "A" * 21, "D_1", "Æ-1"],
    "cpr": ["0101801234", "010180-1234", "3201801234", "2902001234", "2902004234", "2902014234", "290200-4234",
            "0101994999", "01018012345", "0101-801234", "0113801234", "3104801234", "abcdefghij", "3112995000",
            "0101361234", "0101364234", "0101374234", "0101575234", "0101585234"],
    "bev": ["5550001", "", "12a", "1" * 20, "1" * 21, "-1"],
    "yt": ["KTH", "SAES", "XXX", "kth", ""],
    "fid": ["F-1", "F 1", "f-1", "F" * 30, "F" * 31, ""],
    "ft": ["TILBAGEBETALING", "MANUEL", "ANDET", ""],
    "hs": ["4500,00", "4.500,00", "-1,00", "1,0", "0,00", "999999999999,99", "9999999999999,99", "", "1,005", "-"],
    "rg": ["3200,00", "-1,00", "5000,00", "0,00", "abc", "3200.00"],
    "pf": ["2025-01-01", "2025-13-01", "2025-02-29", "2024-02-29", "1900-02-29", "2000-02-29", "0000-01-01",
           "0999-12-31", "2025-1-01", "2025-04-31", "2025-05-01", "20250101", ""],
    "pt": ["2025-03-31", "2025-00-10", "2025-06-31", "2025-12-31", "2024-12-31"],
    "sd": ["2025-04-15", "2999-01-01", "2025-02-30", "2026-12-03", "x"],
}


@pytest.mark.django_db
def test_sql_validation_matches_reference():
    import random

    from tests.debitor.reference_validator import validate_line

    rng = random.Random(2026)
    today = dt.date(2026, 12, 3)
    lines, expected = [], {}
    for i in range(600):
        kw = {k: rng.choice(v) if rng.random() < 0.3 else v[0] for k, v in VARIANTS.items()}
        kw["fid"] = kw["fid"] if kw["fid"] != "F-1" else f"F-{i}"
        kw["konto"] = kw["konto"] if kw["konto"] != "D-1" else f"D-{i}"
        if rng.random() < 0.1:  # spaces around values, a quoted field, a wrong number of fields
            kw["hs"] = rng.choice([" 4500,00 ", '"4500,00"', "4500,00;x"])
        text = line(**kw)
        row = next(csv.reader([text], delimiter=";"))
        values, errors = validate_line(row, "101", today)
        lines.append(text)
        expected[i + 2] = [(f, m) for f, m in errors]
    s, ok = run("\n".join([H, *lines]) + "\n", today=today)
    assert ok
    got = {}
    for e in s["errors"]:
        if "mere end én gang" in e["message"] or "forskellige værdier" in e["message"]:
            continue
        got.setdefault(e["line"], []).append((e["field"], e["message"]))
    assert len(got) > 250 and got == {k: v for k, v in expected.items() if v}


@pytest.mark.django_db
def test_quotes_and_line_endings():
    quoted = ('"101";"D-9";"0101801234";"";"KTH";"F-9";"TILBAGEBETALING";"10,00";"5,00";"2025-01-01";'
              '"2025-01-31";"2025-02-01"')
    broken = line(fid="F-8").replace(";F-8;", ';"F-8;')
    s, ok = run("\ufeff" + H + "\r\n" + line() + "\r\n" + quoted + "\r" + broken + "\r\n\r\n" + line(fid="F-7"))
    assert ok and (s["rows"], s["rejected"], s["fordringer_created"]) == (4, 1, 3)
    err = s["errors"][0]
    assert err["line"] == 4 and err["field"] is None and "anførselstegn" in err["message"]
    assert Fordring.objects.get(fordring_id="F-9").restgaeld == 5


@pytest.mark.django_db
@pytest.mark.parametrize("data,line_no", [
    ((H + "\n" + line() + "\n" + line(fid="F-2") + "\x00\n").encode(), 3),
    ((H + "\n" + line() + "\n\\.\n" + line(fid="F-2") + "\n").encode(), None),
    ((H + "\n" + line() + "\n").encode() + "101;Æ;".encode("latin-1") + b"\n", 3),
    ((H + "\n" + line() + "\n" + line(k="751", fid="F-2") + "\n").encode(), 3),
    (b"", 1),
])
def test_whole_file_rejected_with_line(data, line_no):
    s, ok = run(data)
    assert not ok and s["errors"][0]["line"] == line_no and Fordring.objects.count() == 0
    from debitor.models import KmdAktivImport
    imp = KmdAktivImport.objects.get()
    assert imp.status == "afvist" and len(imp.sha256) == 64


@pytest.mark.django_db
def test_reimport_keeps_ky_posteringer(api):
    """restgæld in KY = the file's restgæld minus KY's posteringer (debitor.kmd_aktiv module doc)."""
    from debitor.services import registrer_postering
    p = PersonFactory(cpr="0101801234")
    BevillingFactory(person=p, sag__person=p, kmd_aktiv_bevillingsnr="111")
    text = "\n".join([H, line(bev="111")])
    run(text)
    f = Fordring.objects.get()
    user = UserFactory(username="sbx", kommuner=[101])
    registrer_postering(user, f, type="daekning", beloeb="200,00", dato=dt.date(2026, 1, 1))
    s, _ = run(text)
    f.refresh_from_db()
    assert f.restgaeld == 3000 and s["fordringer_updated"] == 0
    s, _ = run(text.replace("3200,00", "3100,00"))  # KMD Aktiv lowered it: still minus KY's dækning
    f.refresh_from_db()
    assert f.restgaeld == 2900 and s["fordringer_updated"] == 1


@pytest.mark.django_db
def test_rows_touching_another_sources_konto_or_fordring_are_rejected():
    """The KMD Aktiv import owns only kilde KMD_AKTIV: a line naming an underholdsbidrag debitorkonto or
    fordring is rejected with its line (it moved the fordring to a KMD konto and rewrote the konto)."""
    from decimal import Decimal

    from tests.factories import FordringFactory

    ub = FordringFactory(debitorkonto__kontonr="UB0202801234", debitorkonto__kilde="UNDERHOLDSBIDRAG",
                         debitorkonto__person=PersonFactory(cpr="0202801234"), fordring_id="UB7-1",
                         fordringstype="UNDERHOLDSBIDRAG", hovedstol=Decimal("900.00"), restgaeld=Decimal("900.00"))
    s, ok = run("\n".join([H, line(konto="D-1", fid="F-1"), line(konto="D-1", fid="UB7-1"),
                           line(konto="UB0202801234", fid="F-3", bev="")]))
    assert ok and (s["rows"], s["rejected"], s["fordringer_created"], s["debitorkonti"]) == (3, 2, 1, 1)
    assert {(e["line"], e["field"]) for e in s["errors"]} == {(3, "fordring_id"), (4, "debitorkonto")}
    assert all("anden kilde" in e["message"] for e in s["errors"])
    ub.refresh_from_db()
    konto = ub.debitorkonto
    konto.refresh_from_db()
    assert ub.debitorkonto.kontonr == "UB0202801234" and ub.restgaeld == 900 and konto.ydelsestype == ""
    assert not Opgave.objects.filter(debitorkonto_id=konto.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_import_does_not_overwrite_a_concurrent_manual_attachment():
    """A caseworker attaches the konto while a re-import runs that would attach it automatically: the
    caseworker's sag stays (the import's UPDATE re-checks that the konto still has no sag)."""
    import time

    import psycopg
    from django.conf import settings

    from tests.factories import SagFactory

    text = "\n".join([H, line(bev="999")])
    run(text)
    konto = Debitorkonto.objects.get()
    BevillingFactory(person=konto.person, sag__person=konto.person, kmd_aktiv_bevillingsnr="999")
    caseworkers_sag = SagFactory(person=konto.person)
    db = settings.DATABASES["default"]
    other = psycopg.connect(host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432, user=db["USER"],
                            password=db["PASSWORD"] or None, dbname=db["NAME"])
    done = []

    def reimport():
        done.append(run(text)[0])
        connection.close()

    try:
        other.execute("UPDATE debitor_debitorkonto SET sag_id = %s WHERE id = %s", [caseworkers_sag.pk, konto.pk])
        t = threading.Thread(target=reimport)
        t.start()
        time.sleep(1.5)  # the import has read the konto as unattached and waits for its row lock
        other.commit()
        t.join(30)
    finally:
        other.close()
    konto.refresh_from_db()
    assert done and konto.sag_id == caseworkers_sag.pk and konto.bevilling_id is None


@pytest.mark.django_db
def test_mi32_task_cannot_be_patched_udfoert_without_attaching(api):
    """An MI 32 task is done when its debitorkonto has a sag (mi32.md); PATCH status=udfoert on an
    unattached one would empty the package with the konto still unattached: 400, nothing changed."""
    user = UserFactory(username="sbp", kommuner=[101])
    run("\n".join([H, line(bev="")]))
    opgave = Opgave.objects.get(type="mi32")
    r = api.as_user(user).patch(f"/api/v1/opgaver/{opgave.pk}/", {"status": "udfoert"}, format="json")
    assert r.status_code == 400 and "Tilknyt" in r.json()["fejl"][0]["tekst"]
    opgave.refresh_from_db()
    assert opgave.status == "aaben"


@pytest.mark.django_db(transaction=True)
def test_a_fordring_lies_in_its_debitorkontos_kommune():
    """One database key (debitorkonto, kommune) guards both columns (debitor migration 0003)."""
    from django.db import IntegrityError, transaction

    s, ok = run(H + "\n" + line() + "\n")
    assert ok and s["fordringer_created"] == 1
    konto = Debitorkonto.objects.get(kontonr="D-1")
    with pytest.raises(IntegrityError), transaction.atomic():
        Fordring.objects.create(kommune_id=751, debitorkonto=konto, fordring_id="F-X", fordringstype="MANUEL",
                                hovedstol=1, restgaeld=1, periode_fra=dt.date(2025, 1, 1), periode_til=dt.date(2025, 1, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        Fordring.objects.create(kommune_id=101, debitorkonto_id=konto.pk + 1000, fordring_id="F-Y",
                                fordringstype="MANUEL", hovedstol=1, restgaeld=1, periode_fra=dt.date(2025, 1, 1),
                                periode_til=dt.date(2025, 1, 1))
    assert Fordring.objects.count() == 1
