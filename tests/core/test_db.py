"""The one COPY helper (issue 19)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection

from ky.core.db import copy_rows


@pytest.mark.django_db
def test_copy_rows_writes_typed_values_and_analyzes():
    with connection.cursor() as cur:
        cur.execute("CREATE TEMP TABLE t_copy (id bigint, d date, b numeric(12,2), s text) ON COMMIT DROP")
        n = copy_rows(cur, "t_copy", ("id", "d", "b", "s"),
                      [(1, dt.date(2026, 12, 7), Decimal("1234.50"), "a\tb"), (2, None, None, None)])
        assert n == 2
        cur.execute("SELECT id, d, b, s FROM t_copy ORDER BY id")
        assert cur.fetchall() == [(1, dt.date(2026, 12, 7), Decimal("1234.50"), "a\tb"), (2, None, None, None)]
        cur.execute("SELECT reltuples FROM pg_class WHERE relname = 't_copy'")
        assert cur.fetchone()[0] == 2  # analyzed: planned on its real size
