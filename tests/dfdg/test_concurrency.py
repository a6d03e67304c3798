"""Concurrent CreateFrist over HTTP against live_server keeps 'at most one not-closed frist'."""

import datetime as dt
import json
import threading
import urllib.error
import urllib.request

import pytest
from rest_framework.authtoken.models import Token

from integrations.dfdg.models import Frist, RequestId
from tests.dfdg.conftest import kontaktforloeb
from tests.factories import UserFactory, make_cpr

pytestmark = pytest.mark.django_db(transaction=True)


def post(url, token, body, headers=None):
    req = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                 headers={"Authorization": f"Token {token}", "Content-Type": "application/json",
                                          **(headers or {})})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status
    except urllib.error.HTTPError as e:
        return e.code


def hammer(n, fn):
    barrier = threading.Barrier(n)
    results = []

    def run(i):
        barrier.wait()
        results.append(fn(i))

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_concurrent_creates_keep_one_open_frist(live_server):
    user = UserFactory(username="jc-conc", jobcenter=True, kommuner=[101])
    token = Token.objects.create(user=user).key
    cpr = make_cpr(321)
    kontaktforloeb(cpr, "dagpenge")
    body = {"kommune": 101, "cpr": cpr, "samtaletype": 7, "fristdato": str(dt.date.today() + dt.timedelta(days=9))}
    codes = hammer(8, lambda i: post(f"{live_server.url}/api/v1/dfdg/frister/", token, body))
    assert all(c in (201, 409) for c in codes), codes
    assert codes.count(201) >= 1
    assert Frist.objects.filter(cpr=cpr).exclude(status__in=[4, 5]).count() == 1
    assert Frist.objects.filter(cpr=cpr).count() == codes.count(201)


def test_concurrent_same_request_id_creates_once(live_server):
    user = UserFactory(username="jc-conc2", jobcenter=True, kommuner=[101])
    token = Token.objects.create(user=user).key
    cpr = make_cpr(654)
    kontaktforloeb(cpr, "sygedagpenge")
    body = {"kommune": 101, "cpr": cpr, "samtaletype": 4, "fristdato": str(dt.date.today() + dt.timedelta(days=9))}
    codes = hammer(6, lambda i: post(f"{live_server.url}/api/v1/dfdg/frister/", token, body, {"x-requestId": "samme"}))
    assert sorted(codes) == [201] + [412] * 5, codes
    assert Frist.objects.filter(cpr=cpr).count() == 1 and RequestId.objects.filter(request_id="samme").count() == 1


def test_concurrent_creates_over_an_open_frist_close_each_other_with_history(live_server):
    from integrations.dfdg.models import FristStatusaendring

    user = UserFactory(username="jc-conc3", jobcenter=True, kommuner=[101])
    token = Token.objects.create(user=user).key
    cpr = make_cpr(987)
    kontaktforloeb(cpr, "dagpenge")
    first = Frist.objects.create(kommune_id=101, cpr=cpr, samtaletype=17, fristdato=dt.date.today(),
                                 fristaktiveringsdato=dt.date.today(), status=3)  # Indfriet: closes as 5
    body = {"kommune": 101, "cpr": cpr, "samtaletype": 17, "fristdato": str(dt.date.today() + dt.timedelta(days=9))}
    codes = hammer(8, lambda i: post(f"{live_server.url}/api/v1/dfdg/frister/", token, body))
    assert all(c in (201, 409) for c in codes), codes
    frister = list(Frist.objects.filter(cpr=cpr).order_by("id"))
    assert len(frister) == 1 + codes.count(201)
    assert [f.status for f in frister if f.status not in (4, 5)] == [2]
    assert Frist.objects.get(pk=first.pk).status == 5
    for f in frister[1:]:
        hist = list(FristStatusaendring.objects.filter(frist=f).order_by("tidspunkt", "id")
                    .values_list("status", flat=True))
        assert hist == ([2] if f.status == 2 else [2, 4]), (f.pk, hist)
