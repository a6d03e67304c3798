"""Issue 21: the KMD Aktiv import's statements are plan-stable. A file big enough that a quadratic plan
(the former NOT EXISTS anti-join, planned against a table that was empty at plan time as a nested loop
over a sequential scan re-reading every page the INSERT itself wrote: ≈ 20 s for this file on an idle
machine, 93 s for 100,000 lines) runs into statement_timeout, while a good plan needs about a second per
statement. Autovacuum is off for the tables, so their statistics stay as the test leaves them: saying
"empty" while the tables fill up, and saying "full" while they are empty."""

import datetime as dt
import io

import pytest
from django.db import connection

from cases.models import Opgave
from debitor.kmd_aktiv import HEADER, import_file
from debitor.models import Debitorkonto, Fordring

LINES = 60_000  # 20,000 kontos with 3 fordringer each, every konto a manual MI 32 task
EXTRA = 6_000  # new fordringer on the known kontos in the second file
TIMEOUT = "10s"  # per statement; a good plan's slowest statement takes ≈ 1 s here (≈ 3 s under load)
TABLES = ("cases_person", "cases_sag", "cases_bevilling", "cases_opgave", "debitor_debitorkonto",
          "debitor_fordring", "debitor_fordringspostering")


def _cpr(k):
    d = dt.date(1950, 1, 1) + dt.timedelta(days=k % 18000)
    return f"{d:%d%m%y}{'0' if d.year < 2000 else '4'}{k % 1000:03d}"


def _file(restgaeld="3200,00", extra=0) -> bytes:
    out = [";".join(HEADER)]
    for i in range(LINES + extra):
        k = (i // 3) % (LINES // 3)
        out.append(f"101;P-{k};{_cpr(k)};;KTH;PF-{i};TILBAGEBETALING;4500,00;{restgaeld};2025-01-01;2025-03-31;"
                   "2025-04-15")
    return ("\n".join(out) + "\n").encode()


def _import(data: bytes) -> dict:
    summary, ok = import_file(io.BytesIO(data), kommune=101, filename="plan.csv")
    assert ok and summary["rejected"] == 0, summary["errors"][:3]
    return summary


def _analyze():
    with connection.cursor() as cur:
        for t in TABLES:
            cur.execute(f"ANALYZE {t}")


@pytest.fixture
def statement_timeout():
    with connection.cursor() as cur:
        for t in TABLES:  # the statistics stay what this test makes them
            cur.execute(f"ALTER TABLE {t} SET (autovacuum_enabled = off)")
        cur.execute(f"SET LOCAL statement_timeout = '{TIMEOUT}'")  # a bad plan fails instead of hanging
    yield
    with connection.cursor() as cur:  # not for the teardown's check of the deferred keys of 66,000 rows
        cur.execute("SET LOCAL statement_timeout = 0")


@pytest.mark.django_db
def test_import_is_plan_stable_on_stale_statistics(statement_timeout):
    first = _file()

    # 1. an empty database whose statistics say "empty" (as after migrate and an autovacuum)
    _analyze()
    s = _import(first)
    assert (s["debitorkonti"], s["fordringer_created"], s["manual"]) == (LINES // 3, LINES, LINES // 3)
    assert Opgave.objects.filter(kommune_id=101, type="mi32").count() == LINES // 3

    # 2. the same kontos already there, statistics of debitor_fordring and cases_opgave still "empty":
    #    every fordring changed and some new ones
    s = _import(_file(restgaeld="3100,00", extra=EXTRA))
    assert (s["fordringer_updated"], s["fordringer_created"]) == (LINES, EXTRA)
    assert s["manual"] == LINES // 3 and Opgave.objects.filter(kommune_id=101, type="mi32").count() == LINES // 3
    assert Fordring.objects.filter(kommune_id=101, restgaeld=3100).count() == LINES + EXTRA

    # 3. statistics say "full", the tables are empty again
    _analyze()
    Opgave.objects.filter(kommune_id=101, type="mi32").delete()
    Fordring.objects.filter(kommune_id=101).delete()
    Debitorkonto.objects.filter(kommune_id=101).delete()
    s = _import(first)
    assert (s["debitorkonti"], s["fordringer_created"], s["fordringer_updated"]) == (LINES // 3, LINES, 0)
    assert Fordring.objects.filter(kommune_id=101).count() == LINES
