"""CreateFrist's hot path (bench/frister_api.py): one prepared statement, serializers reused per thread.

The shortcuts must give exactly what the plain DRF path gives, and survive a lost prepared statement."""

import threading

import pytest
from django.db import connection, transaction
from rest_framework.exceptions import ValidationError

from integrations.dfdg import services
from integrations.dfdg.api import serializers as s
from integrations.dfdg.models import Frist, FristStatus as S, FristStatusaendring, Fravaer
from tests.dfdg.conftest import days, kontaktforloeb
from tests.factories import UserFactory, make_cpr

pytestmark = pytest.mark.django_db
URL = "/api/v1/dfdg/frister/"


def body(cpr, **extra):
    return {"kommune": 101, "cpr": cpr, "samtaletype": 7, "fristdato": str(days(14)), **extra}


def test_represent_equals_the_serializer(jc):
    frister = [Frist.objects.create(kommune_id=101, cpr=make_cpr(10 + st), samtaletype=7, fristdato=days(5),
                                    fristaktiveringsdato=days(1), status=st) for st in S.values]
    for f in frister:
        assert s.represent(s.FristSerializer, f) == s.FristSerializer(f).data
    kontaktforloeb(make_cpr(30), "dagpenge")
    created = jc.post(URL, body(make_cpr(30)), format="json").json()
    assert created == s.FristSerializer(Frist.objects.get(pk=created["id"])).data


@pytest.mark.parametrize("data", [
    body("0101801234"),
    body("010180-1234", fristaktiveringsdato=None),
    body("0101801234", fristaktiveringsdato="2030-01-01"),
    {"kommune": "x", "cpr": "123", "samtaletype": 5, "fristdato": "2026-02-30"},
    {"kommune": None, "cpr": None, "samtaletype": None, "fristdato": None},
    {},
    "ikke json",
    [1, 2],
])
def test_validate_equals_is_valid(data):
    plain = s.FristCreateSerializer(data=data)
    if plain.is_valid():
        assert s.validate(s.FristCreateSerializer, data) == plain.validated_data
    else:
        with pytest.raises(ValidationError) as exc:
            s.validate(s.FristCreateSerializer, data)
        assert exc.value.detail == plain.errors


def test_reused_serializers_are_per_thread():
    frister = [Frist(id=i, kommune_id=101, cpr=make_cpr(i), samtaletype=7, fristdato=days(i),
                     fristaktiveringsdato=days(0), status=S.AKTIV) for i in range(1, 9)]
    seen, errors = {}, []

    def run(f):
        try:
            for _ in range(200):
                out = s.represent(s.FristSerializer, f)
                assert out["id"] == f.id and out["cpr"] == f.cpr and out["fristdato"] == str(f.fristdato)
            seen[f.id] = id(s._reused(s.FristSerializer))
        except AssertionError as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(f,)) for f in frister]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and len(set(seen.values())) == len(frister)


def test_lost_prepared_statement_is_prepared_again(jc):
    kontaktforloeb(make_cpr(40), "dagpenge")
    kontaktforloeb(make_cpr(41), "dagpenge")
    assert jc.post(URL, body(make_cpr(40)), format="json").status_code == 201
    with connection.cursor() as cur:
        cur.execute("DEALLOCATE ALL")  # as a pooler's DISCARD ALL would
    r = jc.post(URL, body(make_cpr(41)), format="json")
    assert r.status_code == 201, r.content
    assert Frist.objects.filter(cpr=make_cpr(41)).count() == 1
    assert FristStatusaendring.objects.filter(frist_id=r.json()["id"]).count() == 1


def test_refused_create_keeps_the_callers_transaction(jobcenter):
    cpr = make_cpr(42)
    Fravaer.objects.create(cpr=cpr, fravaerstype=75, fra=days(-1), til=None)
    with transaction.atomic():
        other = Frist.objects.create(kommune_id=101, cpr=make_cpr(43), samtaletype=4, fristdato=days(5),
                                     fristaktiveringsdato=days(0), status=S.AKTIV)
        with pytest.raises(services.DomainError):
            services.opret_frist(jobcenter, kommune=101, cpr=cpr, samtaletype=7, fristdato=days(9))
        # the caller's transaction still works and keeps its row
        assert Frist.objects.filter(pk=other.pk).exists()
    assert not Frist.objects.filter(cpr=cpr).exists()


@pytest.mark.django_db(transaction=True)
def test_create_in_autocommit_closes_the_earlier_and_survives_lost_statement():
    user = UserFactory(username="jc-auto", jobcenter=True, kommuner=[101])
    cpr = make_cpr(44)
    kontaktforloeb(cpr, "dagpenge")
    assert not connection.in_atomic_block
    first = services.opret_frist(user, kommune=101, cpr=cpr, samtaletype=7, fristdato=days(9))
    with connection.cursor() as cur:
        cur.execute("DEALLOCATE ALL")
    second = services.opret_frist(user, kommune=101, cpr=cpr, samtaletype=7, fristdato=days(10),
                                  fristaktiveringsdato=days(2), request_id="auto-1")
    assert Frist.objects.get(pk=first.pk).status == S.ADMINISTRATIVT_LUKKET
    assert Frist.objects.get(pk=second.pk).status == S.IKKE_AKTIVERET == second.status
    with pytest.raises(services.RequestIdSeen):
        services.opret_frist(user, kommune=101, cpr=cpr, samtaletype=7, fristdato=days(11), request_id="auto-1")
    assert Frist.objects.filter(cpr=cpr).count() == 2
