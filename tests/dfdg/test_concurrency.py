"""Concurrent CreateFrist over HTTP against live_server keeps 'at most one not-closed frist'."""

import datetime as dt
import json
import threading
import urllib.error
import urllib.request

import pytest
from rest_framework.authtoken.models import Token

from integrations.dfdg.models import Frist, RequestId
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
    body = {"kommune": 101, "cpr": cpr, "samtaletype": 4, "fristdato": str(dt.date.today() + dt.timedelta(days=9))}
    codes = hammer(6, lambda i: post(f"{live_server.url}/api/v1/dfdg/frister/", token, body, {"x-requestId": "samme"}))
    assert sorted(codes) == [201] + [412] * 5, codes
    assert Frist.objects.filter(cpr=cpr).count() == 1 and RequestId.objects.filter(request_id="samme").count() == 1
