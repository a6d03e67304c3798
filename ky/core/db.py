"""Database helpers of the bottom layer (issue 19): the one COPY helper."""

from __future__ import annotations

from collections.abc import Iterable, Sequence


def _raw(cursor):
    """psycopg's cursor behind Django's cursor wrapper (or the raw cursor itself)."""
    return getattr(cursor, "cursor", cursor)


def copy_rows(cursor, table: str, columns: Sequence[str], rows: Iterable[Sequence], *, analyze: bool = True) -> int:
    """COPY ``rows`` into ``table (columns)`` in one stream (psycopg's ``write_row``: values adapted
    by type, NULL for None) and ANALYZE the table after, so the statements that read it are planned
    on its real size (a temp table has no statistics otherwise). ``table`` and ``columns`` are code,
    never user input. Returns the number of rows written."""
    n = 0
    cols = ", ".join(f'"{c}"' for c in columns)
    with _raw(cursor).copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
            n += 1
    if analyze:
        cursor.execute(f"ANALYZE {table}")
    return n
