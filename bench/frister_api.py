"""Bench of the DFDG FristService API over HTTP (issue 5).

Starts gunicorn (2 workers, ky.wsgi) on 127.0.0.1 against $DATABASE_URL, then drives, in the same run,
the trivial authenticated endpoint GET /api/v1/dfdg/ping/ (baseline) and CreateFrist + GetFrist
(POST /api/v1/dfdg/frister/, GET /api/v1/dfdg/frister/{id}/) with a few client threads, and prints
requests/s and p95 for each. Target: CreateFrist >= 50 % of the trivial endpoint's requests/s.

The endpoints are driven in alternating slices (``--slice`` seconds each, round-robin until every endpoint has
had ``--seconds``), so a change in the machine's other load during the run hits all of them alike and the
ratio stays meaningful on a shared machine.

    .venv/bin/python bench/frister_api.py [--seconds 30] [--threads 8] [--slice 3]
"""

import argparse
import datetime as dt
import http.client
import itertools
import json
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ky.settings")

import django  # noqa: E402

django.setup()

from django.utils import timezone  # noqa: E402
from rest_framework.authtoken.models import Token  # noqa: E402

from ky.core.models import User  # noqa: E402
from integrations.dfdg.models import Frist  # noqa: E402
from ky.core.roles import Role  # noqa: E402


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def make_cpr(n: int) -> str:
    day = dt.date(1950, 1, 1) + dt.timedelta(days=n % 18000)
    return f"{day:%d%m%y}{(n // 18000) % 4}{n % 1000:03d}"


def seed_kontaktforloeb(start: int, count: int, kontaktgruppe: str) -> None:
    """Give the CPRs make_cpr(start .. start+count-1) a current kontaktforløb (CreateFrist refuses a citizen with
    no kontaktgruppe, issue 22): one INSERT ... SELECT, make_cpr in SQL."""
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("""
            INSERT INTO dfdg_kontaktforloeb (kommune_id, cpr, kontaktgruppe_id, fra, oprettet)
            SELECT 101, to_char(date '1950-01-01' + (n %% 18000)::int, 'DDMMYY') || ((n / 18000) %% 4)::text
                        || lpad((n %% 1000)::text, 3, '0'),
                   %s, current_date - 30, now()
            FROM generate_series(%s::bigint, %s::bigint) AS n""", [kontaktgruppe, start, start + count - 1])


class Load:
    """One endpoint's request function and its accumulated figures over all its slices."""

    def __init__(self, request_fn, per_iteration=1):
        self.request_fn, self.per_iteration = request_fn, per_iteration
        self.lat, self.nreq, self.errors, self.elapsed = [], 0, 0, 0.0
        self.numbers = itertools.count()  # a number per iteration, unique in the run (next() is atomic)

    def result(self):
        lat = sorted(self.lat)
        p95 = lat[int(len(lat) * 0.95) - 1] * 1000 if lat else 0
        return self.nreq / self.elapsed, p95, self.nreq, self.errors


def drive(port, token, seconds, threads, load: Load):
    """Drive ``load`` for ``seconds`` with ``threads`` client threads; adds to its figures (requests/s counts HTTP
    requests, p95 is of one iteration of ``per_iteration`` requests)."""
    stop, lock = time.monotonic() + seconds, threading.Lock()

    def worker(tid):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        local, errors = [], 0
        while time.monotonic() < stop:
            t0 = time.perf_counter()
            status = load.request_fn(conn, token, next(load.numbers))
            local.append(time.perf_counter() - t0)
            errors += status >= 400
        conn.close()
        with lock:
            load.lat.extend(local)
            load.nreq += len(local) * load.per_iteration
            load.errors += errors

    ts = [threading.Thread(target=worker, args=(t,)) for t in range(threads)]
    start = time.monotonic()
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    load.elapsed += time.monotonic() - start


def req(conn, method, path, token, body=None):
    headers = {"Authorization": f"Token {token}"}
    if body is not None:
        headers["Content-Type"] = "application/json"
        body = json.dumps(body)
    conn.request(method, path, body=body, headers=headers)
    r = conn.getresponse()
    data = r.read()
    return r.status, data


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=30)
    ap.add_argument("--threads", type=int, default=8, help="client threads")
    ap.add_argument("--server-threads", type=int, default=4, help="gunicorn threads per worker (gthread)")
    ap.add_argument("--slice", type=float, default=3, help="seconds per endpoint before switching to the next")
    args = ap.parse_args()

    user, _ = User.objects.get_or_create(username="bench-jobcenter", defaults={"role": Role.JOBCENTER})
    user.role = Role.JOBCENTER
    user.save()
    user.kommuner.set([101])
    token, _ = Token.objects.get_or_create(user=user)
    run_id = int(time.time()) % 100000
    fristdato = str(timezone.localdate() + dt.timedelta(days=14))
    # the citizens' kontaktgruppe (issue 22): dagpenge, where jobsamtale (7, create_get) and fælles jobsamtale
    # (17, create_only) can be indfriet; the two loads share CPRs, each with its own samtaletype
    seed_kontaktforloeb(run_id * 1000, 100_000, "dagpenge")
    seed_kontaktforloeb(run_id * 1000 + 5_000_000, 20_000, "dagpenge")

    port = free_port()
    proc = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "ky.wsgi", "-w", "2", "--threads", str(args.server_threads), "-b", f"127.0.0.1:{port}", "--log-level", "warning"],
        cwd=ROOT, env=os.environ.copy(),
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        time.sleep(0.5)

        def ping(conn, tok, i):
            return req(conn, "GET", "/api/v1/dfdg/ping/", tok)[0]

        def create_get(conn, tok, i):
            # a fresh CPR per request for most, every 4th re-creates (closing the earlier frist)
            n = run_id * 1000 + (i // 4 if i % 4 == 3 else i)
            body = {"kommune": 101, "cpr": make_cpr(n), "samtaletype": 7, "fristdato": fristdato}
            status, data = req(conn, "POST", "/api/v1/dfdg/frister/", tok, body)
            if status == 201:
                fid = json.loads(data)["id"]
                status = max(status, req(conn, "GET", f"/api/v1/dfdg/frister/{fid}/", tok)[0])
            return status

        def create_only(conn, tok, i):
            n = run_id * 1000 + i
            body = {"kommune": 101, "cpr": make_cpr(n), "samtaletype": 17, "fristdato": fristdato}
            return req(conn, "POST", "/api/v1/dfdg/frister/", tok, body)[0]

        loads = {
            "GET /dfdg/ping/ (trivial DRF)": Load(ping),
            "POST CreateFrist": Load(create_only),
            "CreateFrist + GetFrist{id} (mixed)": Load(create_get, 2),
        }
        drive(port, token.key, 2, args.threads, Load(ping))  # warm-up
        warm = Load(create_only)
        warm.numbers = itertools.count(5_000_000)
        drive(port, token.key, 1, args.threads, warm)
        done = 0.0
        while done < args.seconds - 1e-9:
            piece = min(args.slice, args.seconds - done)
            for load in loads.values():
                drive(port, token.key, piece, args.threads, load)
            done += piece
    finally:
        proc.terminate()
        proc.wait(10)
    rows = [(name, load.result()) for name, load in loads.items()]
    base = rows[0][1][0]
    print(f"gunicorn 2 workers x {args.server_threads} threads, {args.threads} client threads, "
          f"{args.seconds:g} s per endpoint in slices of {args.slice:g} s, load average {os.getloadavg()[0]:.1f}")
    print(f"{'endpoint':40} {'req/s':>9} {'p95 ms':>8} {'n':>7} {'errors':>6} {'% of trivial':>12}")
    for name, (rps, p95, n, err) in rows:
        print(f"{name:40} {rps:9.1f} {p95:8.1f} {n:7d} {err:6d} {100 * rps / base:11.0f}%")
    print(f"frister in db: {Frist.objects.count()}")


if __name__ == "__main__":
    main()
