"""Reads of ydelsen: the dated tables, the inputs of a month's computation (one bevilling, or a batch in a
fixed number of queries per chunk), and the API's dict shapes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import connection

from cases.models import Bevilling
from cases.ydelse import beregning
from cases.ydelse.fakta import person_fakta
from cases.ydelse.models import Indtaegt, Regel, Sanktion, Sats


def satstabel() -> beregning.Satstabel:
    return beregning.Satstabel.fra_rows(
        Sats.objects.values_list("ydelsestype", "kategori", "gyldig_fra", "gyldig_til", "beloeb", "id", "kilde"),
        Regel.objects.values_list("noegle", "vaerdi", "gyldig_fra", "gyldig_til", "kilde"))


def sats_dict(s: Sats) -> dict:
    return {"id": s.pk, "ydelsestype": s.ydelsestype, "kategori": s.kategori, "gyldig_fra": s.gyldig_fra.isoformat(),
            "gyldig_til": s.gyldig_til.isoformat() if s.gyldig_til else None, "beloeb": f"{s.beloeb:.2f}",
            "kilde": s.kilde}


def indtaegt_dict(i: Indtaegt) -> dict:
    return {"id": i.pk, "person": i.person.cpr, "maaned": f"{i.maaned:%Y-%m}", "art": i.art,
            "beloeb": f"{i.beloeb:.2f}", "kilde": i.kilde}


def sanktion_dict(s: Sanktion) -> dict:
    return {"id": s.pk, "bevilling": s.bevilling_id, "art": s.art, "fra": s.fra.isoformat(), "til": s.til.isoformat(),
            "beloeb": f"{s.beloeb:.2f}" if s.beloeb is not None else None, "begrundelse": s.begrundelse}


def _maaned_slut(start: dt.date) -> dt.date:
    return beregning.maaned_graenser(start)[1]


def grundlag_for(bevilling: Bevilling, maaned: dt.date) -> beregning.Grundlag:
    """The inputs of one bevilling's month (a handful of queries)."""
    start, slut, _ = beregning.maaned_graenser(maaned)
    cpr = bevilling.person.cpr
    fakta = person_fakta([cpr], start)[cpr]
    return beregning.Grundlag(
        bevilling_id=bevilling.pk, ydelsestype=bevilling.ydelsestype, bevilget_fra=bevilling.bevilget_fra,
        bevilget_til=bevilling.bevilget_til, maanedligt_beloeb=bevilling.maanedligt_beloeb, status=bevilling.status,
        fakta=fakta,
        indtaegter=list(Indtaegt.objects.filter(person_id=bevilling.person_id, maaned=start)
                        .order_by("id").values_list("art", "beloeb", "kilde")),
        sanktioner=list(Sanktion.objects.filter(bevilling=bevilling, fra__lte=slut, til__gte=start)
                        .order_by("fra").values_list("id", "art", "fra", "til", "beloeb", "begrundelse")),
        saerlig_stoette=list(bevilling.saerlig_stoette.filter(fra__lte=slut).exclude(til__lt=start)
                             .values_list("fra", "til", "beloeb")),
    )


def beregning_for(bevilling: Bevilling, maaned: dt.date, tabel: beregning.Satstabel | None = None) -> dict:
    return beregning.beregn(grundlag_for(bevilling, maaned), maaned, tabel or satstabel())


def grundlag_batch(kommune_id: int, maaned: dt.date, *, after_id: int = 0, limit: int = 5000,
                   kun_regel: bool = True, ydelsestyper=beregning.REGEL_YDELSER, bevilling_ids=None):
    """The inputs of up to ``limit`` bevillinger (id > after_id) paying in the month: 4 queries per chunk,
    whatever the chunk's size (bevillinger with their CPR, income, sanktioner, særlig støtte)."""
    start, slut, _ = beregning.maaned_graenser(maaned)
    p = {"k": kommune_id, "start": start, "slut": slut, "after": after_id, "limit": limit,
         "yt": list(ydelsestyper)}
    extra = " AND b.maanedligt_beloeb IS NULL" if kun_regel else ""
    if bevilling_ids is not None:
        extra += " AND b.id = ANY(%(ids)s)"
        p["ids"] = list(bevilling_ids)
    with connection.cursor() as cur:
        cur.execute(f"""
            SELECT b.id, b.ydelsestype, b.bevilget_fra, b.bevilget_til, b.maanedligt_beloeb, b.status, b.person_id,
                   p.cpr, b.kommune_id
            FROM cases_bevilling b JOIN cases_person p ON p.id = b.person_id
            WHERE b.kommune_id = %(k)s AND b.status = 'bevilget' AND b.ydelsestype = ANY(%(yt)s){extra}
              AND b.bevilget_fra <= %(slut)s AND (b.bevilget_til IS NULL OR b.bevilget_til >= %(start)s)
              AND b.id > %(after)s
            ORDER BY b.id LIMIT %(limit)s""", p)
        bev = cur.fetchall()
        if not bev:
            return []
        ids = [r[0] for r in bev]
        persons = list({r[6] for r in bev})
        cur.execute("""SELECT person_id, art, beloeb, kilde FROM ydelse_indtaegt
                       WHERE person_id = ANY(%(p)s) AND maaned = %(start)s ORDER BY id""",
                    {"p": persons, "start": start})
        ind: dict[int, list] = {}
        for pid, art, beloeb, kilde in cur.fetchall():
            ind.setdefault(pid, []).append((art, beloeb, kilde))
        cur.execute("""SELECT bevilling_id, id, art, fra, til, beloeb, begrundelse FROM ydelse_sanktion
                       WHERE bevilling_id = ANY(%(ids)s) AND fra <= %(slut)s AND til >= %(start)s ORDER BY fra""",
                    {"ids": ids, "start": start, "slut": slut})
        sank: dict[int, list] = {}
        for bid, *row in cur.fetchall():
            sank.setdefault(bid, []).append(tuple(row))
        cur.execute("""SELECT bevilling_id, fra, til, beloeb FROM ydelse_saerligstoette
                       WHERE bevilling_id = ANY(%(ids)s) AND fra <= %(slut)s AND (til IS NULL OR til >= %(start)s)""",
                    {"ids": ids, "start": start, "slut": slut})
        saes: dict[int, list] = {}
        for bid, *row in cur.fetchall():
            saes.setdefault(bid, []).append(tuple(row))
    fakta = person_fakta([r[7] for r in bev], start)
    return [(r[8], r[6], beregning.Grundlag(
        bevilling_id=r[0], ydelsestype=r[1], bevilget_fra=r[2], bevilget_til=r[3],
        maanedligt_beloeb=Decimal(r[4]) if r[4] is not None else None, status=r[5], fakta=fakta[r[7]],
        indtaegter=ind.get(r[6], []), sanktioner=sank.get(r[0], []), saerlig_stoette=saes.get(r[0], [])))
        for r in bev]


def beregn_chunks(kommune_id: int, maaned: dt.date, *, chunk: int = 5000, **kw):
    """Yield, chunk by chunk (flat memory), lists of (kommune_id, person_id, Grundlag, result or None,
    BeregningsFejl or None) for every bevilling of the batch: the same ``beregning.beregn`` as the API."""
    tabel = satstabel()
    after = 0
    while True:
        rows = grundlag_batch(kommune_id, maaned, after_id=after, limit=chunk, **kw)
        if not rows:
            return
        out = []
        for kid, pid, g in rows:
            try:
                out.append((kid, pid, g, beregning.beregn(g, maaned, tabel), None))
            except beregning.BeregningsFejl as exc:
                out.append((kid, pid, g, None, exc))
        yield out
        after = rows[-1][2].bevilling_id


def beregn_batch(kommune_id: int, maaned: dt.date, **kw):
    for chunk in beregn_chunks(kommune_id, maaned, **kw):
        yield from chunk
