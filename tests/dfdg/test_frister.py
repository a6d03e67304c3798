import pytest
from django.db import IntegrityError, transaction

from integrations.dfdg import states
from integrations.dfdg.models import Booking, Frist, Kontaktforloeb, FristStatus as S, FristStatusaendring, Fravaer, RequestId
from tests.dfdg.conftest import days, i_kontaktgruppe_for
from tests.factories import UserFactory, make_cpr

pytestmark = pytest.mark.django_db
URL = "/api/v1/dfdg/frister/"


def opret(client, cpr, samtaletype=7, fristdato=None, headers=None, **extra):
    i_kontaktgruppe_for(cpr, samtaletype)
    body = {"kommune": 101, "cpr": cpr, "samtaletype": samtaletype, "fristdato": str(fristdato or days(14)), **extra}
    return client.post(URL, body, format="json", headers=headers or {})


def historik(frist_id):
    return list(FristStatusaendring.objects.filter(frist_id=frist_id).order_by("tidspunkt", "id")
                .values_list("status", flat=True))


# --- CreateFrist -------------------------------------------------------------------------------

def test_create_without_activation_is_aktiv_today(jc, cpr, today):
    r = opret(jc, cpr)
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["status"] == 2 and body["status_tekst"] == "Aktiv frist"
    assert body["fristaktiveringsdato"] == str(today) and body["kommune"] == 101 and body["cpr"] == cpr
    assert set(body) == {"id", "kommune", "cpr", "samtaletype", "fristdato", "fristaktiveringsdato", "status",
                         "status_tekst", "oprettet", "aendret"}
    assert historik(body["id"]) == [2]


def test_create_with_activation_tomorrow_is_ikke_aktiveret(jc, cpr):
    r = opret(jc, cpr, fristaktiveringsdato=str(days(1)))
    assert r.status_code == 201 and r.json()["status"] == 1
    assert r.json()["status_tekst"] == "Ikke aktiveret frist"


@pytest.mark.parametrize("delta", [0, -1])
def test_create_with_activation_today_or_past_is_400(jc, cpr, delta):
    r = opret(jc, cpr, fristaktiveringsdato=str(days(delta)))
    assert r.status_code == 400 and r.json()["fejl"][0]["felt"] == "fristaktiveringsdato"
    assert not Frist.objects.exists()


@pytest.mark.parametrize("samtaletype", [1, 5, 18, "x"])
def test_create_other_samtaletype_is_400(jc, cpr, samtaletype):
    r = opret(jc, cpr, samtaletype=samtaletype)
    assert r.status_code == 400 and r.json()["fejl"][0]["felt"] == "samtaletype"


def test_create_with_future_booking_is_indfriet_activation_today(jc, cpr, today):
    Booking.objects.create(cpr=cpr, samtaletype=7, moededato=days(3))
    r = opret(jc, cpr, fristaktiveringsdato=str(days(5)))
    assert r.json()["status"] == 3 and r.json()["fristaktiveringsdato"] == str(today)


def test_booking_today_or_other_samtaletype_does_not_indfri(jc, cpr):
    Booking.objects.create(cpr=cpr, samtaletype=7, moededato=days(0))
    Booking.objects.create(cpr=cpr, samtaletype=4, moededato=days(3))
    assert opret(jc, cpr).json()["status"] == 2


EXPECTED_8301 = {"fejl": [{"felt": None, "kode": "8301",
                           "tekst": "Fristen kan ikke oprettes på grund af borgers fravær og fritagelser"}]}


def test_absence_75_active_today_gives_8301(jc, cpr):
    Fravaer.objects.create(cpr=cpr, fravaerstype=75, fra=days(-10), til=days(0))
    r = opret(jc, cpr)
    assert r.status_code == 400 and r.json() == EXPECTED_8301
    assert not Frist.objects.exists()


def test_absence_75_ended_yesterday_or_starting_tomorrow_is_ok(jc, cpr):
    Fravaer.objects.create(cpr=cpr, fravaerstype=75, fra=days(-10), til=days(-1))
    Fravaer.objects.create(cpr=cpr, fravaerstype=75, fra=days(1), til=None)
    assert opret(jc, cpr).status_code == 201


@pytest.mark.parametrize("typ", [56, 57, 10, 47, 76])
def test_absence_containing_fristdato_gives_8301(jc, cpr, typ):
    Fravaer.objects.create(cpr=cpr, fravaerstype=typ, fra=days(10), til=days(14))
    assert opret(jc, cpr, fristdato=days(14)).json() == EXPECTED_8301
    Fravaer.objects.create(cpr=make_cpr(78), fravaerstype=typ, fra=days(14), til=None)
    assert opret(jc, make_cpr(78), fristdato=days(14)).status_code == 400


@pytest.mark.parametrize("typ", [56, 57, 10, 47, 76])
def test_absence_ending_day_before_fristdato_is_ok(jc, cpr, typ):
    Fravaer.objects.create(cpr=cpr, fravaerstype=typ, fra=days(5), til=days(13))
    assert opret(jc, cpr, fristdato=days(14)).status_code == 201


def test_other_absence_type_does_not_block(jc, cpr):
    Fravaer.objects.create(cpr=cpr, fravaerstype=11, fra=days(0), til=None)
    assert opret(jc, cpr).status_code == 201


@pytest.mark.parametrize("earlier,closed_as", [(S.IKKE_AKTIVERET, 4), (S.AKTIV, 4), (S.OVERSKREDET, 4),
                                               (S.INDFRIET, 5)])
def test_create_closes_earlier_open_frist(jc, cpr, earlier, closed_as):
    old = Frist.objects.create(kommune_id=751, cpr=cpr, samtaletype=7, fristdato=days(3),
                               fristaktiveringsdato=days(0), status=earlier)
    other_type = Frist.objects.create(kommune_id=101, cpr=cpr, samtaletype=4, fristdato=days(3),
                                      fristaktiveringsdato=days(0), status=S.AKTIV)
    r = opret(jc, cpr)
    assert r.status_code == 201
    old.refresh_from_db()
    other_type.refresh_from_db()
    assert old.status == closed_as and other_type.status == S.AKTIV
    assert historik(old.pk) == [closed_as]


def test_database_refuses_two_open_frister():
    cpr = make_cpr(5)
    kw = dict(kommune_id=101, cpr=cpr, samtaletype=7, fristdato=days(3), fristaktiveringsdato=days(0))
    Frist.objects.create(status=S.AKTIV, **kw)
    Frist.objects.create(status=S.ADMINISTRATIVT_LUKKET, **kw)
    with pytest.raises(IntegrityError), transaction.atomic():
        Frist.objects.create(status=S.IKKE_AKTIVERET, **kw)


def test_create_in_other_kommune_is_400(api, jobcenter, cpr):
    r = api.as_user(jobcenter).post(URL, {"kommune": 751, "cpr": cpr, "samtaletype": 7,
                                          "fristdato": str(days(3))}, format="json")
    assert r.status_code == 400 and r.json()["fejl"][0]["kode"] == "kommune_adgang"
    assert not Frist.objects.exists()


@pytest.mark.parametrize("kommune", [999, 0, -1, 10 ** 30])
def test_create_in_unknown_kommune_is_400(jc, cpr, kommune):
    r = jc.post(URL, {"kommune": kommune, "cpr": cpr, "samtaletype": 7, "fristdato": str(days(3))}, format="json")
    assert r.status_code == 400 and r.json()["fejl"][0]["felt"] == "kommune"
    assert not Frist.objects.exists()


def test_superuser_may_create_in_any_existing_kommune(api, cpr):
    # a user bound to no kommune (superuser) may create in any existing kommune, not in an unknown one
    admin = UserFactory(username="su", jobcenter=True, is_superuser=True, kommuner=[])
    c = api.as_user(admin)
    r = c.post(URL, {"kommune": 751, "cpr": cpr, "samtaletype": 7, "fristdato": str(days(3))}, format="json")
    assert r.status_code == 201 and r.json()["kommune"] == 751
    assert c.post(URL, {"kommune": 999, "cpr": cpr, "samtaletype": 4, "fristdato": str(days(3))},
                  format="json").json()["fejl"][0]["kode"] == "ukendt_kommune"


def test_create_accepts_cpr_with_dash(jc):
    cpr = make_cpr(9)
    r = opret(jc, f"{cpr[:6]}-{cpr[6:]}")
    assert r.status_code == 201 and r.json()["cpr"] == cpr


# --- UpdateFrist -------------------------------------------------------------------------------

def lav(status, cpr=None, kommune=101, **kw):
    values = dict(kommune_id=kommune, cpr=cpr or make_cpr(77), samtaletype=7, fristdato=days(10),
                  fristaktiveringsdato=days(2), status=status)
    values.update(kw)
    return Frist.objects.create(**values)


ALLOWED = [(1, 4), (2, 4), (6, 4), (3, 5)]


@pytest.mark.parametrize("frm,to", ALLOWED)
def test_update_allowed_explicit_transitions(jc, frm, to):
    f = lav(frm)
    r = jc.patch(f"{URL}{f.pk}/", {"status": to}, format="json")
    assert r.status_code == 200 and r.json()["status"] == to, r.content
    assert historik(f.pk)[-1] == to


REFUSED = [(a, b) for a in (1, 2, 3, 6) for b in (1, 2, 3, 4, 5, 6) if (a, b) not in ALLOWED]


@pytest.mark.parametrize("frm,to", REFUSED)
def test_update_refused_explicit_transitions(jc, frm, to):
    f = lav(frm)
    r = jc.patch(f"{URL}{f.pk}/", {"status": to}, format="json")
    assert r.status_code == 400
    f.refresh_from_db()
    assert f.status == frm


@pytest.mark.parametrize("closed", [4, 5])
def test_closed_frist_cannot_change(jc, closed):
    f = lav(closed)
    for body in ({"status": 4}, {"fristdato": str(days(20))}, {"fristaktiveringsdato": str(days(0))}):
        assert jc.patch(f"{URL}{f.pk}/", body, format="json").status_code == 400


def test_activation_set_to_today_activates(jc, today):
    f = lav(S.IKKE_AKTIVERET)
    r = jc.patch(f"{URL}{f.pk}/", {"fristaktiveringsdato": str(today)}, format="json")
    assert r.json()["status"] == 2 and r.json()["fristaktiveringsdato"] == str(today)
    assert historik(f.pk) == [2]


def test_activation_set_to_tomorrow_stays_ikke_aktiveret(jc):
    f = lav(S.IKKE_AKTIVERET)
    r = jc.patch(f"{URL}{f.pk}/", {"fristaktiveringsdato": str(days(1))}, format="json")
    assert r.status_code == 200 and r.json()["status"] == 1 and r.json()["fristaktiveringsdato"] == str(days(1))


def test_activation_in_past_is_400(jc):
    f = lav(S.IKKE_AKTIVERET)
    assert jc.patch(f"{URL}{f.pk}/", {"fristaktiveringsdato": str(days(-1))}, format="json").status_code == 400


@pytest.mark.parametrize("typ", [10, 47, 76])
def test_fristdato_change_into_absence_gives_8301(jc, cpr, typ):
    f = lav(S.AKTIV, cpr)
    Fravaer.objects.create(cpr=cpr, fravaerstype=typ, fra=days(20), til=days(25))
    r = jc.patch(f"{URL}{f.pk}/", {"fristdato": str(days(20))}, format="json")
    assert r.json() == EXPECTED_8301
    assert jc.patch(f"{URL}{f.pk}/", {"fristdato": str(days(26))}, format="json").status_code == 200
    # closing is always allowed
    r = jc.patch(f"{URL}{f.pk}/", {"status": 4, "fristdato": str(days(21))}, format="json")
    assert r.status_code == 200 and r.json()["status"] == 4


def test_fristdato_change_with_absence_56_is_allowed(jc, cpr):
    f = lav(S.AKTIV, cpr)
    Fravaer.objects.create(cpr=cpr, fravaerstype=56, fra=days(20), til=days(25))
    assert jc.patch(f"{URL}{f.pk}/", {"fristdato": str(days(21))}, format="json").status_code == 200


# --- roles, kommune, reads ---------------------------------------------------------------------

def test_other_kommune_is_404_for_jobcenter_and_visible_to_star(api, jobcenter_751, star, cpr):
    f = lav(S.AKTIV, cpr)
    c = api.as_user(jobcenter_751)
    assert c.get(f"{URL}{f.pk}/").status_code == 404
    assert c.patch(f"{URL}{f.pk}/", {"status": 4}, format="json").status_code == 404
    assert c.get(URL, {"cpr": cpr}).json()["results"] == []
    s = api.as_user(star)
    assert s.get(f"{URL}{f.pk}/").json()["id"] == f.pk
    assert [x["id"] for x in s.get(URL, {"cpr": cpr}).json()["results"]] == [f.pk]


def test_star_writes_403(api, star, cpr):
    c = api.as_user(star)
    f = lav(S.AKTIV, cpr)
    assert opret(c, cpr).status_code == 403
    assert c.patch(f"{URL}{f.pk}/", {"status": 4}, format="json").status_code == 403
    for url, body in (("/api/v1/dfdg/fravaer/", {"cpr": cpr, "fravaerstype": 75, "fra": str(days(0))}),
                      ("/api/v1/dfdg/bookinger/", {"cpr": cpr, "samtaletype": 7, "moededato": str(days(2))}),
                      ("/api/v1/dfdg/cpr-skift/", {"gammel_cpr": cpr, "ny_cpr": make_cpr(1)})):
        assert c.post(url, body, format="json").status_code == 403
    assert c.get("/api/v1/dfdg/fravaer/", {"cpr": cpr}).status_code == 200
    assert c.get("/api/v1/dfdg/bookinger/", {"cpr": cpr}).status_code == 200


@pytest.mark.parametrize("role", ["sagsbehandler", "kommuneadmin", "drift", "faggruppe"])
def test_other_roles_403(api, role, cpr):
    user = UserFactory(username=f"r-{role}", role=role, kommuner=[101] if role in ("sagsbehandler", "kommuneadmin") else [])
    c = api.as_user(user)
    f = lav(S.AKTIV, cpr)
    assert c.get(URL, {"cpr": cpr}).status_code == 403
    assert c.get(f"{URL}{f.pk}/").status_code == 403
    assert opret(c, cpr).status_code == 403
    assert c.get("/api/v1/dfdg/fristhistorik/", {"cpr": cpr}).status_code == 403


def test_get_frister_lists_only_open(jc, cpr):
    a = lav(S.AKTIV, cpr)
    lav(S.ADMINISTRATIVT_LUKKET, cpr)
    b = lav(S.OVERSKREDET, cpr, samtaletype=4)
    r = jc.get(URL, {"cpr": cpr})
    assert sorted(x["id"] for x in r.json()["results"]) == sorted([a.pk, b.pk])
    assert jc.get(URL).status_code == 400


def test_fristhistorik_all_with_changes_oldest_first(jc, cpr):
    first = opret(jc, cpr).json()
    second = opret(jc, cpr, fristaktiveringsdato=str(days(1))).json()
    jc.post("/api/v1/dfdg/bookinger/", {"cpr": cpr, "samtaletype": 7, "moededato": str(days(3))}, format="json")
    r = jc.get("/api/v1/dfdg/fristhistorik/", {"cpr": cpr})
    rows = r.json()["results"]
    assert [x["id"] for x in rows] == [first["id"], second["id"]]
    assert [c["status"] for c in rows[0]["statusaendringer"]] == [2, 4]
    assert [c["status"] for c in rows[1]["statusaendringer"]] == [1, 3]
    assert set(rows[0]["statusaendringer"][0]) == {"status", "tidspunkt", "aarsag"}


def test_reads_are_access_logged(jc, cpr):
    from cases.models import Adgangslog

    lav(S.AKTIV, cpr)
    jc.get(URL, {"cpr": cpr})
    assert Adgangslog.objects.filter(cpr=cpr).exists()


# --- x-requestId -------------------------------------------------------------------------------

def test_repeated_request_id_is_412_and_changes_nothing(jc, cpr):
    h = {"x-requestId": "abc-123"}
    assert opret(jc, cpr, headers=h).status_code == 201
    r = opret(jc, cpr, headers=h)
    assert r.status_code == 412 and r.json()["fejl"][0]["kode"] == "request_id_genbrugt"
    assert Frist.objects.count() == 1 and RequestId.objects.count() == 1
    f = Frist.objects.get()
    assert jc.patch(f"{URL}{f.pk}/", {"status": 4}, format="json", headers=h).status_code == 412
    f.refresh_from_db()
    assert f.status == S.AKTIV
    assert jc.post("/api/v1/dfdg/fravaer/", {"cpr": cpr, "fravaerstype": 75, "fra": str(days(0))}, format="json",
                   headers=h).status_code == 412
    assert not Fravaer.objects.exists()


def test_seen_request_id_answers_412_before_the_rules(jc, cpr):
    h = {"x-requestId": "foer-8301"}
    assert opret(jc, cpr, headers=h).status_code == 201
    Fravaer.objects.create(cpr=cpr, fravaerstype=75, fra=days(-1), til=None)
    assert opret(jc, cpr, headers=h).status_code == 412  # not 8301: the request was seen
    assert opret(jc, cpr).json() == EXPECTED_8301


def test_request_id_of_failed_request_is_not_stored(jc, cpr):
    h = {"x-requestId": "fejl-1"}
    assert opret(jc, cpr, samtaletype=7, fristaktiveringsdato=str(days(0)), headers=h).status_code == 400
    assert opret(jc, cpr, headers=h).status_code == 201


def test_request_id_too_long_is_400(jc, cpr):
    assert opret(jc, cpr, headers={"x-requestId": "x" * 47}).status_code == 400
    assert opret(jc, cpr, headers={"x-requestId": "x" * 46}).status_code == 201


# --- automatic rules ---------------------------------------------------------------------------

@pytest.mark.parametrize("typ", [75, 56, 57])
def test_absence_closes_open_frister(jc, cpr, typ):
    a = lav(S.AKTIV, cpr)
    b = lav(S.INDFRIET, cpr, samtaletype=4)
    c = lav(S.OVERSKREDET, cpr, samtaletype=17)
    other = lav(S.AKTIV, make_cpr(3))
    r = jc.post("/api/v1/dfdg/fravaer/", {"cpr": cpr, "fravaerstype": typ, "fra": str(days(0))}, format="json")
    assert r.status_code == 201
    assert [Frist.objects.get(pk=x.pk).status for x in (a, b, c, other)] == [4, 5, 4, 2]


def test_absence_10_does_not_close(jc, cpr):
    a = lav(S.AKTIV, cpr)
    jc.post("/api/v1/dfdg/fravaer/", {"cpr": cpr, "fravaerstype": 10, "fra": str(days(0))}, format="json")
    a.refresh_from_db()
    assert a.status == S.AKTIV


def test_absence_til_before_fra_is_400(jc, cpr):
    r = jc.post("/api/v1/dfdg/fravaer/", {"cpr": cpr, "fravaerstype": 10, "fra": str(days(2)),
                                          "til": str(days(1))}, format="json")
    assert r.status_code == 400


@pytest.mark.parametrize("frm", [1, 2, 6])
def test_booking_indfrier(jc, cpr, frm):
    f = lav(frm, cpr)
    other = lav(S.AKTIV, cpr, samtaletype=4)
    r = jc.post("/api/v1/dfdg/bookinger/", {"cpr": cpr, "samtaletype": 7, "moededato": str(days(3))}, format="json")
    assert r.status_code == 201
    f.refresh_from_db()
    other.refresh_from_db()
    assert f.status == S.INDFRIET and f.booking_id == r.json()["id"] and other.status == S.AKTIV


def test_cpr_change_moves_everything(jc, cpr):
    ny = make_cpr(500)
    f = opret(jc, cpr).json()
    opret(jc, cpr, samtaletype=17)
    jc.patch(f"{URL}{f['id']}/", {"status": 4}, format="json")
    Booking.objects.create(cpr=cpr, samtaletype=17, moededato=days(4))
    Fravaer.objects.create(cpr=cpr, fravaerstype=10, fra=days(40), til=days(50))
    nyf = lav(S.AKTIV, ny, samtaletype=17)  # newer than the old CPR's open frist of samtaletype 4? no: created later
    r = jc.post("/api/v1/dfdg/cpr-skift/", {"gammel_cpr": cpr, "ny_cpr": ny}, format="json")
    assert r.status_code == 200, r.content
    assert r.json() == {"gammel_cpr": cpr, "ny_cpr": ny, "frister": 2, "bookinger": 1, "fravaer": 1,
                        "kontaktforloeb": 1}
    for model in (Frist, Booking, Fravaer, Kontaktforloeb):
        assert not model.objects.filter(cpr=cpr).exists()
    assert historik(f["id"]) == [2, 4]
    assert Frist.objects.filter(cpr=ny).exclude(status__in=[4, 5]).count() == 1
    assert Frist.objects.get(pk=nyf.pk).status == S.AKTIV
    assert jc.post("/api/v1/dfdg/cpr-skift/", {"gammel_cpr": ny, "ny_cpr": ny}, format="json").status_code == 400


def test_transition_table_is_the_only_source():
    assert states.case_sql("luk") == "CASE status WHEN 1 THEN 4 WHEN 2 THEN 4 WHEN 3 THEN 5 WHEN 6 THEN 4 END"
    assert states.explicit_allowed(3, 5) and not states.explicit_allowed(3, 4)


def test_create_and_get_query_counts(jc, cpr):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    opret(jc, cpr)
    with CaptureQueriesContext(connection) as q:
        r = opret(jc, cpr)  # closes the earlier frist too
    assert r.status_code == 201
    # CreateFrist is one prepared statement; the savepoint is there only because the test holds a transaction
    sql = [x["sql"] for x in q.captured_queries if "SAVEPOINT" not in x["sql"]
           and "dfdg_kontaktforloeb" not in x["sql"]]  # the test helper's check that the CPR has a kontaktforløb
    assert len(sql) == 1 and sql[0].startswith("EXECUTE dfdg_opret_frist("), sql
    assert Frist.objects.filter(cpr=cpr).exclude(status__in=[4, 5]).count() == 1
    for n in range(3):
        lav(S.AKTIV, make_cpr(900 + n))
    lav(S.AKTIV, make_cpr(900), samtaletype=4)
    with CaptureQueriesContext(connection) as q:
        rows = jc.get("/api/v1/dfdg/fristhistorik/", {"cpr": make_cpr(900)}).json()["results"]
    assert len(rows) == 2 and len(q.captured_queries) <= 6


@pytest.mark.parametrize("body", [
    {"kommune": 10 ** 30, "cpr": "0101801234", "samtaletype": 7, "fristdato": "2026-12-01"},
    {"kommune": -1, "cpr": "0101801234", "samtaletype": 7, "fristdato": "9999-12-31"},
    {"kommune": 101, "cpr": "0101801234", "samtaletype": 7, "fristdato": "0001-01-01",
     "fristaktiveringsdato": "9999-12-31"},
    {"kommune": None, "cpr": None, "samtaletype": None, "fristdato": None},
    "ikke json",
])
def test_bad_create_input_is_400(jc, body):
    r = jc.post(URL, body, format="json")
    assert r.status_code in (201, 400), r.content


# --- contract re-check (dfdg-frister.md, rule by rule) -------------------------------------------

def test_status_texts_are_the_contracts():
    assert {int(v): label for v, label in S.choices} == {
        1: "Ikke aktiveret frist", 2: "Aktiv frist", 3: "Indfriet frist", 4: "Administrativt lukket frist",
        5: "Indfriet afholdt frist", 6: "Overskredet frist",
    }


@pytest.mark.parametrize("status", [1, 2, 3, 4, 5, 6])
def test_get_frist_carries_status_and_its_text(jc, cpr, status):
    f = lav(status, cpr)
    body = jc.get(f"{URL}{f.pk}/").json()
    assert body["status"] == status and body["status_tekst"] == S(status).label


def test_create_ignores_a_given_status(jc, cpr):
    r = opret(jc, cpr, status=4)
    assert r.status_code == 201 and r.json()["status"] == 2


def test_create_with_future_booking_links_it_and_the_job_closes_at_moededato(jc, cpr, today):
    from batch.services import run_job

    b = Booking.objects.create(cpr=cpr, samtaletype=7, moededato=days(3))
    f = opret(jc, cpr).json()
    assert f["status"] == 3 and Frist.objects.get(pk=f["id"]).booking_id == b.pk
    run_job("dfdg-opdater-frister", as_of=days(2))
    assert Frist.objects.get(pk=f["id"]).status == 3
    run_job("dfdg-opdater-frister", as_of=days(3))
    assert Frist.objects.get(pk=f["id"]).status == 4 and historik(f["id"]) == [3, 4]


@pytest.mark.parametrize("typ", [56, 57, 10, 47, 76])
def test_absence_starting_day_after_fristdato_is_ok(jc, cpr, typ):
    Fravaer.objects.create(cpr=cpr, fravaerstype=typ, fra=days(15), til=None)
    assert opret(jc, cpr, fristdato=days(14)).status_code == 201


def test_absence_75_blocks_only_when_active_today_not_by_fristdato(jc, cpr):
    # 75 counts "today"; one that starts later but covers fristdato does not block
    Fravaer.objects.create(cpr=cpr, fravaerstype=75, fra=days(10), til=days(20))
    assert opret(jc, cpr, fristdato=days(14)).status_code == 201


@pytest.mark.parametrize("typ", [56, 57, 75])
def test_fristdato_change_into_other_absences_is_allowed(jc, cpr, typ):
    f = lav(S.AKTIV, cpr)
    Fravaer.objects.create(cpr=cpr, fravaerstype=typ, fra=days(20), til=days(25))
    r = jc.patch(f"{URL}{f.pk}/", {"fristdato": str(days(21))}, format="json")
    assert r.status_code == 200 and r.json()["fristdato"] == str(days(21))


@pytest.mark.parametrize("samtaletype", [1, 5, 18])
def test_booking_other_samtaletype_is_400(jc, cpr, samtaletype):
    r = jc.post("/api/v1/dfdg/bookinger/", {"cpr": cpr, "samtaletype": samtaletype, "moededato": str(days(3))},
                format="json")
    assert r.status_code == 400 and r.json()["fejl"][0]["felt"] == "samtaletype" and not Booking.objects.exists()


def test_booking_leaves_closed_frister_alone(jc, cpr):
    f = lav(S.ADMINISTRATIVT_LUKKET, cpr)
    assert jc.post("/api/v1/dfdg/bookinger/", {"cpr": cpr, "samtaletype": 7, "moededato": str(days(3))},
                   format="json").status_code == 201
    f.refresh_from_db()
    assert f.status == 4 and f.booking_id is None and historik(f.pk) == []


@pytest.mark.parametrize("path,make_body", [
    ("/api/v1/dfdg/bookinger/", lambda cpr: {"cpr": cpr, "samtaletype": 7, "moededato": str(days(3))}),
    ("/api/v1/dfdg/cpr-skift/", lambda cpr: {"gammel_cpr": cpr, "ny_cpr": make_cpr(501)}),
    ("/api/v1/dfdg/fravaer/", lambda cpr: {"cpr": cpr, "fravaerstype": 10, "fra": str(days(1))}),
])
def test_every_write_answers_412_on_a_seen_request_id(jc, cpr, path, make_body):
    h = {"x-requestId": "set-foer"}
    assert jc.post(path, make_body(cpr), format="json", headers=h).status_code in (200, 201)
    counts = [m.objects.count() for m in (Frist, Booking, Fravaer, FristStatusaendring)]
    f = lav(S.AKTIV, make_cpr(502))
    r = jc.post(path, make_body(make_cpr(502)), format="json", headers=h)
    assert r.status_code == 412 and r.json()["fejl"][0]["kode"] == "request_id_genbrugt"
    assert [m.objects.count() for m in (Frist, Booking, Fravaer, FristStatusaendring)] == [counts[0] + 1, *counts[1:]]
    assert Frist.objects.get(pk=f.pk).cpr == make_cpr(502) and Frist.objects.get(pk=f.pk).status == S.AKTIV


def test_patch_request_id_too_long_is_400(jc, cpr):
    f = lav(S.AKTIV, cpr)
    r = jc.patch(f"{URL}{f.pk}/", {"status": 4}, format="json", headers={"x-requestId": "y" * 47})
    assert r.status_code == 400
    f.refresh_from_db()
    assert f.status == S.AKTIV


def test_fristhistorik_is_scoped_to_the_users_kommuner(api, jobcenter_751, star, cpr):
    f = lav(S.AKTIV, cpr)
    assert api.as_user(jobcenter_751).get("/api/v1/dfdg/fristhistorik/", {"cpr": cpr}).json()["results"] == []
    assert [x["id"] for x in api.as_user(star).get("/api/v1/dfdg/fristhistorik/", {"cpr": cpr}).json()["results"]] \
        == [f.pk]


def test_cpr_change_keeps_history_rows_and_old_cpr_has_nothing_in_reads(jc, cpr):
    ny = make_cpr(503)
    f = opret(jc, cpr).json()
    jc.post("/api/v1/dfdg/bookinger/", {"cpr": cpr, "samtaletype": 7, "moededato": str(days(3))}, format="json")
    before = historik(f["id"])
    assert jc.post("/api/v1/dfdg/cpr-skift/", {"gammel_cpr": cpr, "ny_cpr": ny}, format="json").status_code == 200
    assert historik(f["id"]) == before == [2, 3]
    assert jc.get("/api/v1/dfdg/fristhistorik/", {"cpr": cpr}).json()["results"] == []
    rows = jc.get("/api/v1/dfdg/fristhistorik/", {"cpr": ny}).json()["results"]
    assert [x["id"] for x in rows] == [f["id"]] and [c["status"] for c in rows[0]["statusaendringer"]] == [2, 3]
    assert jc.get("/api/v1/dfdg/bookinger/", {"cpr": ny}).json()["results"][0]["cpr"] == ny
