"""MI 32 task deadlines (seed 002, the KLIK task header): "Opgavevarighed: 15 dage", "Slutdato: 1 måned efter
startdato", "senest jf. deadline for KLIK-opgaven"; the package page's overdue tasks and the KLIK block."""

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases.models import Opgave
from debitor import klik, selectors, services
from debitor.kmd_aktiv import HEADER, import_file
from debitor.models import KlikOpgave
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
H = ";".join(HEADER)


def _import(n: int, kommune=101, start=0):
    lines = [f"{kommune};D-{i};0101801234;;KTH;F-{kommune}-{i};TILBAGEBETALING;10,00;5,00;2025-01-01;2025-01-31;"
             "2025-02-01" for i in range(start, start + n)]
    summary, ok = import_file(io.BytesIO((H + "\n" + "\n".join(lines) + "\n").encode()), kommune=kommune)
    assert ok and summary["manual"] == n


def tasks(kommune=101):
    return Opgave.objects.filter(type="mi32", kommune_id=kommune).order_by("id")


def test_every_task_gets_its_frist_15_days_and_the_package_a_klik_deadline_one_month_on():
    today = timezone.localdate()
    _import(5)
    assert {o.frist for o in tasks()} == {today + dt.timedelta(days=15)}
    k = KlikOpgave.objects.get(kommune_id=101)
    assert (k.startdato, k.deadline) == (today, klik.slutdato(today))
    assert klik.slutdato(dt.date(2026, 1, 31)) == dt.date(2026, 2, 28)  # one month on, the month's last day
    # a later import keeps the package's startdato and deadline
    _import(2, start=50)
    assert KlikOpgave.objects.get(kommune_id=101).startdato == today


def test_a_task_frist_is_never_after_the_klik_deadline():
    today = timezone.localdate()
    admin = UserFactory(username="ka", role="kommuneadmin", kommuner=[101])
    _import(3)
    services.saet_klik_deadline(admin, kommune=101, deadline=today + dt.timedelta(days=5))
    assert {o.frist for o in tasks()} == {today + dt.timedelta(days=5)}
    _import(2, start=10)  # tasks made after the deadline was moved in
    assert {o.frist for o in tasks()} == {today + dt.timedelta(days=5)}
    # a later deadline gives the open tasks their 15 days back; a resolved task keeps its frist
    first = tasks().first()
    Opgave.objects.filter(pk=first.pk).update(status="udfoert")
    services.saet_klik_deadline(admin, kommune=101, deadline=today + dt.timedelta(days=60))
    assert {o.frist for o in tasks().exclude(pk=first.pk)} == {today + dt.timedelta(days=15)}
    assert Opgave.objects.get(pk=first.pk).frist == today + dt.timedelta(days=5)


def test_setting_the_deadline_bad_input_changes_nothing():
    today = timezone.localdate()
    admin = UserFactory(username="ka", role="kommuneadmin", kommuner=[101])
    sb = UserFactory(username="sb", kommuner=[101])
    _import(2)
    for user, kw in ((admin, {"kommune": 751}), (admin, {"kommune": 101, "deadline": today - dt.timedelta(days=1)}),
                     (sb, {"kommune": 101})):
        with pytest.raises(services.DomainError):
            services.saet_klik_deadline(user, **{"deadline": today + dt.timedelta(days=3), **kw})
    assert KlikOpgave.objects.get().deadline == klik.slutdato(today)
    assert {o.frist for o in tasks()} == {today + dt.timedelta(days=15)}


def test_package_page_overdue_first_with_count_and_query_count_flat(client):
    today = timezone.localdate()
    UserFactory(username="sb", kommuner=[101])
    client.login(username="sb", password="hemmelig-kode")
    _import(30)
    ids = list(tasks().values_list("id", flat=True))
    Opgave.objects.filter(id__in=ids[:2]).update(frist=today - dt.timedelta(days=3))
    Opgave.objects.filter(id=ids[2]).update(frist=today - dt.timedelta(days=9))
    pakke_id = tasks().first().opgavepakke_id
    url = f"/opgavepakker/{pakke_id}/"
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        html = client.get(url).content.decode()
    assert '<strong data-testid="antal-overskredne">3</strong>' in html
    section = html[html.index("Overskredne opgaver (3)"):html.index("</section>", html.index("Overskredne opgaver"))]
    # the oldest frist first, and the overdue tasks come before the package's list
    titler = dict(Opgave.objects.filter(id__in=ids[:3]).values_list("id", "titel"))
    assert section.index(titler[ids[2]] + "<") < section.index(titler[ids[0]] + "<")
    assert section.index(titler[ids[0]] + "<") < section.index(titler[ids[1]] + "<")
    assert html.index("Overskredne opgaver (3)") < html.index("<th>Type</th>")
    Opgave.objects.filter(id__in=ids[3:25]).update(frist=today - dt.timedelta(days=1))
    with CaptureQueriesContext(connection) as many:
        html = client.get(url).content.decode()
    assert '<strong data-testid="antal-overskredne">25</strong>' in html
    assert "Vis alle 25 overskredne opgaver" in html and len(many) == len(few)
    # the filter shows them all; a resolved task is not overdue
    Opgave.objects.filter(id=ids[0]).update(status="udfoert")
    listed = client.get(url + "?overskredet=on").content.decode()
    assert listed.count("<tr><td><a href=\"/opgaver/") - min(10, 24) == 24


def test_klik_block_and_the_kommuneadmin_sets_the_deadline(client):
    today = timezone.localdate()
    UserFactory(username="ka", role="kommuneadmin", kommuner=[101])
    _import(4)
    pakke_id = tasks().first().opgavepakke_id
    client.login(username="ka", password="hemmelig-kode")
    html = client.get(f"/opgavepakker/{pakke_id}/").content.decode()
    assert "KLIK-deadline: <strong>" + klik.slutdato(today).strftime("%d-%m-%Y") in html
    # nothing resolved yet: at this pace the package does not make it
    assert "Pakken når ikke KLIK-deadline med det nuværende tempo" in html and "Gem KLIK-deadline" in html
    ny = today + dt.timedelta(days=10)
    r = client.post("/debitor/mi32/klik-deadline/", {"kommune": 101, "deadline": ny.isoformat()}, follow=True)
    html = r.content.decode()
    assert f"KLIK-deadline er sat til {ny:%d-%m-%Y}" in html and KlikOpgave.objects.get().deadline == ny
    assert KlikOpgave.objects.get().deadline_sat_af == "ka"
    r = client.post("/debitor/mi32/klik-deadline/", {"kommune": 101, "deadline": "2000-01-01"}, follow=True)
    assert "kan ikke ligge før pakkens startdato" in r.content.decode() and KlikOpgave.objects.get().deadline == ny
    r = client.post("/debitor/mi32/klik-deadline/", {"kommune": 101, "deadline": "ikke-en-dato"}, follow=True)
    assert "Angiv en gyldig dato" in r.content.decode() and KlikOpgave.objects.get().deadline == ny


def test_a_caseworker_sees_the_block_but_cannot_set_it(client):
    UserFactory(username="sb", kommuner=[101])
    _import(2)
    client.login(username="sb", password="hemmelig-kode")
    html = client.get(f"/opgavepakker/{tasks().first().opgavepakke_id}/").content.decode()
    assert "KLIK-deadline:" in html and "Gem KLIK-deadline" not in html
    r = client.post("/debitor/mi32/klik-deadline/", {"kommune": 101, "deadline": "2030-01-01"})
    assert r.status_code == 403


def test_the_forecast_follows_the_pace():
    today = timezone.localdate()
    _import(10)
    pakke = selectors_pakke()
    status = selectors.klik_status(pakke, today)
    assert status["aabne"] == 10 and status["tempo_per_dag"] == 0 and not status["naar_deadline"]
    # 7 resolved in the last 14 days: 0.5 a day, 3 left -> 6 days, within the month
    done = list(tasks().values_list("id", flat=True)[:7])
    Opgave.objects.filter(id__in=done).update(status="udfoert", afsluttet=timezone.now())
    status = selectors.klik_status(selectors_pakke(), today)
    assert status["tempo_per_dag"] == 0.5 and status["forventet_faerdig"] == today + dt.timedelta(days=6)
    assert status["naar_deadline"]
    # the deadline in 3 days: 6 days needed, it does not make it; it needs 1 a day
    KlikOpgave.objects.update(deadline=today + dt.timedelta(days=3))
    status = selectors.klik_status(selectors_pakke(), today)
    assert not status["naar_deadline"] and status["kraevet_tempo_per_dag"] == 1.0
    # all resolved: fuldført, it makes it
    Opgave.objects.filter(type="mi32").update(status="udfoert", afsluttet=timezone.now())
    assert selectors.klik_status(selectors_pakke(), today)["naar_deadline"]


def selectors_pakke():
    from cases import selectors as cs

    admin = UserFactory.build(username="x")
    admin.is_superuser = True
    return cs.opgavepakker_for(admin).get(kode="MI32", kommune_id=101)
