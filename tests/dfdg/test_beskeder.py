"""WSRM and WSB messages of every create and update of a frist, subscribers reading them in order with a cursor,
exactly once each, and GetCprChanged (seed 003, "WSRM", "WSB", "CPR-skiftere"; docs/dfdg.md)."""

import pytest

from integrations.dfdg import services
from integrations.dfdg.models import Abonnement, Besked, Frist, Kontaktforloeb
from tests.dfdg.conftest import days, klient, kontaktforloeb
from tests.factories import make_cpr

pytestmark = pytest.mark.django_db
URL = "/api/v1/dfdg/frister/"
AB = "/api/v1/dfdg/abonnementer/"


def opret(client, cpr, samtaletype=7, **extra):
    return client.post(URL, {"kommune": 101, "cpr": cpr, "samtaletype": samtaletype, "fristdato": str(days(14)),
                             **extra}, format="json")


def abonnent(client, navn="KSS", **body):
    r = client.post(AB, {"navn": navn, **body}, format="json")
    assert r.status_code == 201, r.content
    return r.json()


def laes(client, abonnement_id, **params):
    r = client.get(f"{AB}{abonnement_id}/beskeder/", params)
    assert r.status_code == 200, r.content
    return r.json()["beskeder"]


def kvitter(client, abonnement_id, position):
    return client.post(f"{AB}{abonnement_id}/kvitter/", {"position": position}, format="json")


# --- the messages ---------------------------------------------------------------------------------------------

def test_create_gives_wsrm_and_wsb_with_the_frist(jc, cpr):
    a = abonnent(jc, kommune=101)
    f = opret(jc, cpr).json()
    beskeder = laes(jc, a["id"])
    assert [(b["kanal"], b["navn"]) for b in beskeder] == [("WSRM", "FristOprettet"), ("WSB", "Frist")]
    wsrm, wsb = beskeder
    for b in beskeder:
        assert b["frist_id"] == f["id"] and b["cpr"] == cpr and b["kommune"] == 101
        i = b["indhold"]
        assert (i["frist_id"], i["cpr"], i["samtaletype"], i["status"], i["status_tekst"]) == \
            (f["id"], cpr, 7, 2, "Aktiv frist")
        assert i["fristdato"] == f["fristdato"] and i["fristaktiveringsdato"] == f["fristaktiveringsdato"]
    assert wsrm["indhold"]["aendring"] == {"handling": "oprettet"}
    assert "aendring" not in wsb["indhold"]
    assert wsrm["position"] < wsb["position"]


def test_update_gives_the_change(jc, cpr):
    f = opret(jc, cpr, fristaktiveringsdato=str(days(3))).json()
    a = abonnent(jc, kommune=101)
    r = jc.patch(f"{URL}{f['id']}/", {"fristdato": str(days(20)), "fristaktiveringsdato": str(days(0))},
                 format="json")
    assert r.status_code == 200 and r.json()["status"] == 2
    beskeder = laes(jc, a["id"])
    assert [(b["kanal"], b["navn"]) for b in beskeder] == [("WSRM", "FristOpdateret"), ("WSB", "Frist")]
    assert beskeder[0]["indhold"]["aendring"] == {
        "handling": "opdateret",
        "status": {"fra": 1, "til": 2},
        "fristdato": {"fra": str(days(14)), "til": str(days(20))},
        "fristaktiveringsdato": {"fra": str(days(3)), "til": str(days(0))},
    }
    assert beskeder[1]["indhold"]["status"] == 2


def test_every_automatic_change_gives_messages(jc, cpr):
    first = opret(jc, cpr).json()
    a = abonnent(jc, kommune=101)
    second = opret(jc, cpr).json()  # closes the first
    jc.post("/api/v1/dfdg/bookinger/", {"cpr": cpr, "samtaletype": 7, "moededato": str(days(3))}, format="json")
    jc.post("/api/v1/dfdg/fravaer/", {"cpr": cpr, "fravaerstype": 56, "fra": str(days(0))}, format="json")
    wsrm = [(b["frist_id"], b["navn"], {k: v for k, v in b["indhold"]["aendring"].items() if k != "handling"})
            for b in laes(jc, a["id"]) if b["kanal"] == "WSRM"]
    assert wsrm == [
        (first["id"], "FristOpdateret", {"status": {"fra": 2, "til": 4}}),
        (second["id"], "FristOprettet", {}),
        (second["id"], "FristOpdateret", {"status": {"fra": 2, "til": 3}, "booking_id": wsrm[2][2]["booking_id"]}),
        (second["id"], "FristOpdateret", {"status": {"fra": 3, "til": 5}}),
    ]
    assert wsrm[2][2]["booking_id"]["fra"] is None


def test_daily_job_changes_give_messages(jc, cpr):
    f = opret(jc, cpr, fristaktiveringsdato=str(days(2))).json()
    a = abonnent(jc, kommune=101)
    services.opdater_frister(days(2))
    beskeder = laes(jc, a["id"])
    assert [(b["frist_id"], b["navn"], b["indhold"]["status"]) for b in beskeder] == \
        [(f["id"], "FristOpdateret", 2), (f["id"], "Frist", 2)]


def test_a_save_that_changes_nothing_the_message_carries_gives_none(jc, cpr):
    f = opret(jc, cpr).json()
    a = abonnent(jc, kommune=101)
    from django.utils import timezone

    Frist.objects.filter(pk=f["id"]).update(aendret=timezone.now())
    assert laes(jc, a["id"]) == []


# --- subscribers: order, cursor, exactly once -----------------------------------------------------------------

def test_two_subscribers_in_order_exactly_once_with_a_crash_between_read_and_acknowledge(jc, api, jobcenter_751):
    one, two = abonnent(jc, "KSS 1", kommune=101), abonnent(jc, "KSS 2", kommune=101)
    other = abonnent(klient(jobcenter_751), "Aarhus", kommune=751)
    cprs = [make_cpr(40 + i) for i in range(3)]
    ids = []
    for c in cprs:
        kontaktforloeb(c, "dagpenge")
        ids.append(opret(jc, c).json()["id"])
    jc.patch(f"{URL}{ids[0]}/", {"status": 4}, format="json")

    forventet = [(i, n) for i in ids for n in ("FristOprettet", "Frist")] + [(ids[0], "FristOpdateret"),
                                                                          (ids[0], "Frist")]
    # subscriber 1 reads everything, then "crashes" before acknowledging: the same messages come again
    first = laes(jc, one["id"])
    assert [(b["frist_id"], b["navn"]) for b in first] == forventet
    positions = [b["position"] for b in first]
    assert positions == sorted(positions) and len(set(positions)) == len(positions)
    again = laes(jc, one["id"])
    assert again == first
    # it acknowledges the first three (it processed them), then crashes again: it gets the rest, once
    assert kvitter(jc, one["id"], positions[2]).json()["kvitteret_til"] == positions[2]
    rest = laes(jc, one["id"])
    assert [b["position"] for b in rest] == positions[3:]
    assert kvitter(jc, one["id"], positions[-1]).status_code == 200
    assert laes(jc, one["id"]) == []
    # acknowledging an earlier position again (a retry) does not move the cursor back
    assert kvitter(jc, one["id"], positions[0]).json()["kvitteret_til"] == positions[-1]
    assert laes(jc, one["id"]) == []
    # subscriber 2 is independent: it gets every message once, in the same order
    assert [b["position"] for b in laes(jc, two["id"], antal=2)] == positions[:2]
    assert [b["position"] for b in laes(jc, two["id"])] == positions
    kvitter(jc, two["id"], positions[-1])
    assert laes(jc, two["id"]) == []
    # Aarhus' subscriber gets none of København's messages
    assert laes(klient(jobcenter_751), other["id"]) == []
    # a later change: both get exactly that one pair
    jc.patch(f"{URL}{ids[1]}/", {"status": 4}, format="json")
    for a in (one, two):
        ny = laes(jc, a["id"])
        assert [(b["frist_id"], b["navn"]) for b in ny] == [(ids[1], "FristOpdateret"), (ids[1], "Frist")]
        assert ny[0]["position"] > positions[-1]


def test_a_message_committed_late_with_a_lower_id_is_not_skipped(jc, cpr):
    """Positions are handed out when messages are read, in the order they became visible: a message whose
    transaction committed after a reader passed later ids still comes after the reader's cursor."""
    a = abonnent(jc, kommune=101)
    opret(jc, cpr)
    seen = laes(jc, a["id"])
    kvitter(jc, a["id"], seen[-1]["position"])
    lowest = Besked.objects.order_by("id").first().id
    late = Besked.objects.create(id=lowest - 1, kanal="WSRM", navn="FristOpdateret", kommune_id=101, cpr=cpr,
                                 indhold={"sen": True}, oprettet=seen[0]["oprettet"])
    got = laes(jc, a["id"])
    assert [b["indhold"] for b in got] == [{"sen": True}] and got[0]["position"] > seen[-1]["position"]
    assert Besked.objects.get(pk=late.pk).position == got[0]["position"]


def test_a_new_subscriber_starts_at_the_newest_message(jc, cpr):
    opret(jc, cpr)
    a = abonnent(jc, kommune=101)
    assert a["kvitteret_til"] == Besked.objects.order_by("-position").first().position
    assert laes(jc, a["id"]) == []


def test_reading_messages_is_flat_in_queries(jc):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    a = abonnent(jc, kommune=101)
    for i in range(2):
        kontaktforloeb(make_cpr(60 + i), "dagpenge")
        opret(jc, make_cpr(60 + i))
    with CaptureQueriesContext(connection) as few:
        assert len(laes(jc, a["id"])) == 4
    for i in range(2, 22):
        kontaktforloeb(make_cpr(60 + i), "dagpenge")
        opret(jc, make_cpr(60 + i))
    with CaptureQueriesContext(connection) as many:
        assert len(laes(jc, a["id"], antal=1000)) == 44
    assert len(many.captured_queries) == len(few.captured_queries) <= 12


# --- bad input: 400, nothing stored -----------------------------------------------------------------------------

@pytest.mark.parametrize("body,felt", [
    ({"kommune": 751}, "kommune"),
    ({"kommune": 999}, "kommune"),
    ({"akasse": 12}, "akasse"),
    ({"kommune": 101, "akasse": 12}, "kommune"),
    ({}, "kommune"),
    ({"kommune": "x"}, "kommune"),
])
def test_bad_subscription_is_400_nothing_stored(jc, body, felt):
    r = jc.post(AB, {"navn": "x", **body}, format="json")
    assert r.status_code == 400 and r.json()["fejl"][0]["felt"] == felt, r.content
    assert r.json()["fejl"][0]["tekst"]
    assert not Abonnement.objects.exists()


def test_acknowledging_a_cursor_from_the_future_is_400_and_changes_nothing(jc, cpr):
    a = abonnent(jc, kommune=101)
    opret(jc, cpr)
    last = laes(jc, a["id"])[-1]["position"]
    for position in (last + 1, 10 ** 12):
        r = kvitter(jc, a["id"], position)
        assert r.status_code == 400 and r.json()["fejl"][0]["kode"] == "position_fremtid", r.content
        assert "ikke udleveret" in r.json()["fejl"][0]["tekst"]
    for bad in (-1, "x", None):
        assert kvitter(jc, a["id"], bad).status_code == 400
    assert Abonnement.objects.get(pk=a["id"]).kvitteret_til == a["kvitteret_til"]
    assert len(laes(jc, a["id"])) == 2


def test_another_kommunes_subscription_is_404(jc, api, jobcenter_751):
    a = abonnent(klient(jobcenter_751), kommune=751)
    for r in (jc.get(f"{AB}{a['id']}/"), jc.get(f"{AB}{a['id']}/beskeder/"), kvitter(jc, a["id"], 0)):
        assert r.status_code == 404
    assert [x["id"] for x in jc.get(AB).json()["results"]] == []


def test_star_registers_an_akasse_subscriber(api, star):
    r = klient(star).post(AB, {"navn": "A-kasse 12", "akasse": 12}, format="json")
    assert r.status_code == 201 and r.json()["akasse"] == 12 and r.json()["kommune"] is None


# --- GetCprChanged ----------------------------------------------------------------------------------------------

def test_cpr_change_is_seen_by_subscribers_and_followed_by_every_frist(jc, api, star, jobcenter_751, cpr):
    ny = make_cpr(501)
    Kontaktforloeb.objects.filter(cpr=cpr).update(akasse=12)
    f7 = opret(jc, cpr, 7).json()
    f17 = opret(jc, cpr, 17).json()
    jc.patch(f"{URL}{f17['id']}/", {"status": 4}, format="json")
    kss = abonnent(jc, kommune=101)
    s = klient(star)
    akasse12 = abonnent(s, "A-kasse 12", akasse=12)
    akasse13 = abonnent(s, "A-kasse 13", akasse=13)
    aarhus = abonnent(klient(jobcenter_751), kommune=751)

    # the person register's call on a ny_cpr event (issue 15): the existing service, no user
    result = services.cpr_skift(None, gammel_cpr=cpr, ny_cpr=ny)
    assert result == {"gammel_cpr": cpr, "ny_cpr": ny, "frister": 2, "bookinger": 0, "fravaer": 0,
                      "kontaktforloeb": 1}

    # every frist and the kontaktforløb follow the new number
    assert set(Frist.objects.filter(cpr=ny).values_list("id", flat=True)) == {f7["id"], f17["id"]}
    assert not Frist.objects.filter(cpr=cpr).exists() and not Kontaktforloeb.objects.filter(cpr=cpr).exists()
    assert [x["id"] for x in jc.get(URL, {"cpr": ny}).json()["results"]] == [f7["id"]]
    assert jc.get(URL, {"cpr": cpr}).json()["results"] == []
    # the kontaktgruppe followed too: a new frist for the new CPR is allowed
    assert opret(jc, ny, 17).status_code == 201

    cpr_skift = [b for b in laes(jc, kss["id"]) if b["navn"] == "GetCprChanged"]
    assert len(cpr_skift) == 1 and cpr_skift[0]["kanal"] == "WSRM" and cpr_skift[0]["cpr"] == ny
    assert cpr_skift[0]["indhold"]["gammel_cpr"] == cpr and cpr_skift[0]["indhold"]["ny_cpr"] == ny
    fulgt = [b for b in laes(jc, kss["id"]) if b["navn"] == "FristOpdateret" and "cpr" in b["indhold"]["aendring"]]
    assert {b["frist_id"] for b in fulgt} == {f7["id"], f17["id"]}
    assert all(b["indhold"]["aendring"]["cpr"] == {"fra": cpr, "til": ny} for b in fulgt)

    got12 = laes(s, akasse12["id"])
    assert [(b["navn"], b["akasse"], b["indhold"]["ny_cpr"]) for b in got12] == [("GetCprChanged", 12, ny)]
    assert laes(s, akasse13["id"]) == []
    assert laes(klient(jobcenter_751), aarhus["id"]) == []


def test_cpr_change_api_also_notifies(jc, cpr):
    kss = abonnent(jc, kommune=101)
    ny = make_cpr(502)
    r = jc.post("/api/v1/dfdg/cpr-skift/", {"gammel_cpr": cpr, "ny_cpr": ny}, format="json")
    assert r.status_code == 200 and r.json()["kontaktforloeb"] == 1
    assert [b["navn"] for b in laes(jc, kss["id"])] == ["GetCprChanged"]
