"""Danish dates, amounts and CPR numbers in letters and lists (docs/breve.md)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django import template

from ky.core.beloeb import format_kr

register = template.Library()

MAANEDER = ["januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober",
            "november", "december"]


def as_date(v) -> dt.date | None:
    if v in (None, ""):
        return None
    if isinstance(v, dt.datetime):
        from django.utils import timezone
        return timezone.localtime(v).date() if timezone.is_aware(v) else v.date()
    if isinstance(v, dt.date):
        return v
    try:
        return dt.date.fromisoformat(str(v)[:10])
    except ValueError:
        return None


@register.filter
def dato(v) -> str:
    """2026-12-07 -> '7. december 2026'."""
    d = as_date(v)
    return f"{d.day}. {MAANEDER[d.month - 1]} {d.year}" if d else ""


@register.filter
def kortdato(v) -> str:
    """2026-12-07 -> '07.12.2026'."""
    d = as_date(v)
    return f"{d:%d.%m.%Y}" if d else ""


@register.filter
def maaned(v) -> str:
    """2026-12-07 -> 'december 2026'."""
    d = as_date(v)
    return f"{MAANEDER[d.month - 1]} {d.year}" if d else ""


def _dec(v):
    if v in (None, ""):
        return None
    try:
        return Decimal(str(v))
    except InvalidOperation:
        return None


@register.filter
def kr(v) -> str:
    """1234.5 -> '1.234,50 kr.' (rounded half up to øre)."""
    d = _dec(v)
    return format_kr(d) if d is not None else ""


@register.filter
def beloeb(v) -> str:
    """1234.5 -> '1.234,50' (no unit; for table columns)."""
    d = _dec(v)
    return format_kr(d, enhed=False) if d is not None else ""


@register.filter
def tal(v) -> str:
    """12345 -> '12.345'."""
    try:
        return f"{int(v):,}".replace(",", ".")
    except (TypeError, ValueError):
        return "" if v is None else str(v)


@register.filter
def cpr(v) -> str:
    """'0102031234' -> '010203-1234'."""
    s = str(v or "")
    return f"{s[:6]}-{s[6:]}" if len(s) == 10 and s.isdigit() else s


@register.filter
def felt(row, key):
    """row|felt:"navn" — a dict's value by a key held in a variable."""
    try:
        return row.get(key)
    except AttributeError:
        return None
