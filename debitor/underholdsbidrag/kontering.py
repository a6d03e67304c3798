"""Kontering of the weekly run (seed 004, 3.5.1.1) and the tilgodehavende it moves (3.5.1.2).

The table of 3.5.1.1/4 is data here (`KONTERING`); the run turns it into one INSERT ... SELECT
(`bogfoer`) and one UPDATE (`ajourfoer_tilgodehavende`), so no item is handled row by row in Python.
`posteringer_for` is the same table applied to one item in Python: the tests' reference.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

FALLBACK_KONTO = "99999998-05"  # seed 004, 3.5.1.1/3: fejl-konto when the kontoplan lacks the account

# seed 004, 3.5.1.1/2 Underholdsbidragssystemets kontoplan: group -> (seed's group nr, Danish name,
# the parameters its accounts may be specified on, personbogføring)
KONTOGRUPPER: dict[str, tuple[int, str, tuple[str, ...], bool]] = {
    "bidrag": (11, "Bidragskonti", ("bidragskode", "bidragsart"), True),
    "afregning": (13, "Afregningskonti", ("udbetalingsform",), False),
    "mellemregning_rate": (14, "Mellemregning ratevis udbetaling", (), True),
    "mellemregning_aconto": (15, "Mellemregning a conto udbetaling", (), True),
    "tilgodehavende": (16, "Tilgodehavende", ("bidragskode", "bidragsart"), True),
    "tilsvar": (17, "Tilsvarskonto", (), False),
}

# seed 004, 3.5.1.1/4 Kontering i Underholdsbidragssystemet: beløbstype -> (the seed's row text,
# [(debet group, kredit group), ...]). Each pair takes the item's amount with its sign on both sides,
# so a negative amount (T/F 4x normally, any T/F, a negative efterregulering) debits and credits
# negative amounts: the seed's "-D"/"+K". Empty rows are empty in the seed (claims of bidragskode 03
# are booked by the debitor part, individ 159; 3.5.1.2's saldo has no 03 either).
KONTERING: dict[str, tuple[str, list[tuple[str, str]]]] = {
    "udb_bidrag": ("Udb. beregn. bidr. (03)", [("bidrag", "afregning")]),
    "udb_efterreg": ("Udb. beregn. efterreg. (03)", [("bidrag", "afregning")]),
    "udb_rate": ("Udb. ratebeløb (03)", [("mellemregning_rate", "afregning")]),
    "afk_bidrag_01_02": ("Beregn. afkrævn. (01,02)", [("tilsvar", "tilgodehavende")]),
    "afk_bidrag_03": ("Beregn. afkrævn. (03)", []),
    "afk_efterreg_01_02": ("Beregn. afkrævn. efterreg. (01, 02)", [("tilsvar", "tilgodehavende")]),
    "afk_efterreg_03": ("Beregn. afkrævn. efterreg. (03)", []),
    "ratevis_bidrag": ("Beregn. bidrag til ratevis udb. (03)", [("bidrag", "mellemregning_rate")]),
    "tf1": ("Tillæg/fradrag type 1 (01,02)", [("bidrag", "afregning"), ("tilgodehavende", "tilsvar")]),
    "tf2": ("Tillæg/fradrag type 2 (01,02)", [("tilsvar", "tilgodehavende")]),
    "tf3": ("Tillæg/fradrag type 3 (03)", [("bidrag", "afregning")]),
    "tf4": ("Tillæg/fradrag type 4 (03)", [("mellemregning_aconto", "afregning")]),
    "tf56": ("Tillæg/fradrag type 5/6 (01,02)", [("tilsvar", "tilgodehavende")]),
}

# seed 004, 3.5.1.1/5 Bogføringspersonnummer: on bidragskonti the BP's PNR, which for ægtefællebidrag,
# barselsfærd and 3 mdr.s underhold is the BB's own; mellemregning (ratevis, a conto) the BB's PNR;
# tilgodehavende the BP's PNR. Afregning and tilsvar are not personbogført (3.5.1.1/2): no PNR.
BB_ER_BP_ARTER = (21, 29, 31, 32)


def personnr(gruppe: str, bidragsart: int, bp_cpr: str, bb_cpr: str) -> str:
    if gruppe == "bidrag":
        return bb_cpr if bidragsart in BB_ER_BP_ARTER else bp_cpr
    if gruppe == "tilgodehavende":
        return bp_cpr
    if gruppe in ("mellemregning_rate", "mellemregning_aconto"):
        return bb_cpr
    return ""


def konto_for(plan: list[tuple], gruppe: str, kode: str | None, art: int | None, form: int | None = None) -> str:
    """seed 004, 3.5.1.1/3 Udkontering: the account with the greatest match, bidragskode before
    bidragsart: 1) kode and art, 2) kode without art, 3) art without kode, 4) the kontogruppe's
    account without either; afregning by udbetalingsform, else without. A missing account gives the
    fejl-konto 99999998-05. `plan` rows: (gruppe, bidragskode, bidragsart, konto) or
    (gruppe, bidragskode, bidragsart, udbetalingsform, konto)."""
    best, best_key = None, None
    for row in plan:
        g, k, a, f, konto = row if len(row) == 5 else (*row[:3], None, row[3])
        if g != gruppe or k not in (None, kode) or a not in (None, art) or f not in (None, form):
            continue
        key = (k is not None, a is not None, f is not None)
        if best_key is None or key > best_key:
            best, best_key = konto, key
    return best if best is not None else FALLBACK_KONTO


@dataclass
class Post:
    beloebstype: str
    gruppe: str
    side: str  # "D" or "K"
    beloeb: Decimal
    personnr: str


def beloebstyper(*, type: str, bidragskode: str, udbetales: bool, tf_kode: int | None, udbetalt: bool,
                 afkraevet: bool, beregnet: bool) -> list[str]:
    """The rows of 3.5.1.1/4 that one item takes in a run: `udbetalt` it was paid by the run,
    `afkraevet` claimed by it, `beregnet` computed by it (a ratevis bidrag's total; T/F 5x/6x)."""
    hoved = tf_kode // 10 if tf_kode is not None else None
    out = []
    if udbetalt:
        if type == "bidrag":
            out.append("udb_bidrag")
        elif type == "efterregulering":
            out.append("udb_efterreg")
        elif type == "rate":
            out.append("udb_rate")
        elif hoved in (1, 3, 4):
            out.append(f"tf{hoved}")
    if afkraevet:
        if type in ("bidrag", "efterregulering"):
            kort = "bidrag" if type == "bidrag" else "efterreg"
            out.append(f"afk_{kort}_{'03' if bidragskode == '03' else '01_02'}")
        elif hoved == 2:
            out.append("tf2")
    if beregnet:
        if type == "bidrag" and bidragskode == "03" and not udbetales:
            out.append("ratevis_bidrag")
        elif type == "tf" and hoved in (5, 6):
            out.append("tf56")
    return out


def posteringer_for(item: dict) -> list[Post]:
    """3.5.1.1/4 applied to one item (keys: type, bidragskode, bidragsart, udbetales, tf_kode, udbetalt,
    afkraevet, beregnet, beloeb, bp_cpr, bb_cpr). Python reference of `bogfoer`."""
    out = []
    for bt in beloebstyper(type=item["type"], bidragskode=item["bidragskode"], udbetales=item["udbetales"],
                           tf_kode=item["tf_kode"], udbetalt=item["udbetalt"], afkraevet=item["afkraevet"],
                           beregnet=item["beregnet"]):
        for debet, kredit in KONTERING[bt][1]:
            for gruppe, side in ((debet, "D"), (kredit, "K")):
                out.append(Post(bt, gruppe, side, item["beloeb"],
                                personnr(gruppe, item["bidragsart"], item["bp_cpr"], item["bb_cpr"])))
    return out


def tilgodehavende_bevaegelse(posts: list[Post], bidragskode: str) -> tuple[Decimal, Decimal]:
    """seed 004, 3.5.1.2: the tilgodehavende moves "efter samme regler som kontering på
    tilgodehavendekonti": kredit raises it, debet lowers it; bidragskode 01 is BB's, 02 det offentliges.
    Returns (BB, det offentlige)."""
    v = sum((p.beloeb if p.side == "K" else -p.beloeb for p in posts if p.gruppe == "tilgodehavende"), Decimal(0))
    return (v, Decimal(0)) if bidragskode == "01" else (Decimal(0), v) if bidragskode == "02" else (0, 0)


# ------------------------------------------------------------------ set-based: the run
def _items_sql() -> str:
    """One row per (item, beløbstype) of the run: the three events of an item (paid, claimed, computed)
    classified exactly as `beloebstyper` does. The payout's udbetalingsform (for the afregning account)
    comes from the run's Udbetaling by its grouping key (sag, modtager, udbetalingsdato); `koersel_id + 0`
    keeps the planner on the sag index there: on fresh tables it would otherwise AND in the koersel
    index and read every payout of the run once per item."""
    from .models import Beregning, Bidragsperson, TillaegFradrag, UBSag, Udbetaling
    ber, bp, sag = Beregning._meta.db_table, Bidragsperson._meta.db_table, UBSag._meta.db_table
    tf, udb = TillaegFradrag._meta.db_table, Udbetaling._meta.db_table
    fra = (f"FROM {ber} r JOIN {bp} p ON p.id = r.bp_id JOIN {sag} s ON s.id = r.sag_id "
           f"LEFT JOIN {tf} t ON t.id = r.tillaeg_fradrag_id")
    cols = ("r.id, r.bp_id, r.bidragsart AS art, r.bidragskode AS kode, r.beloeb, r.udbetalingsdato AS dato, "
            "p.cpr AS bp_cpr, s.bb_cpr, t.tf_kode")
    return f"""
        SELECT {cols}, u.udbetalingsform AS form,
               CASE WHEN r.type = 'bidrag' THEN 'udb_bidrag' WHEN r.type = 'efterregulering' THEN 'udb_efterreg'
                    WHEN r.type = 'rate' THEN 'udb_rate' WHEN t.tf_kode / 10 IN (1, 3, 4)
                    THEN 'tf' || (t.tf_kode / 10) END AS bt
        {fra}
        LEFT JOIN {udb} u ON u.koersel_id + 0 = %(k)s AND u.sag_id = r.sag_id AND u.udbetalingsdato = r.udbetalingsdato
             AND u.modtager = CASE WHEN r.bidragskode = '02' THEN 'kommune' ELSE s.bb_cpr END
        WHERE r.kommune_id = %(kommune)s AND r.udbetalt_af_id = %(k)s
        UNION ALL
        SELECT {cols}, NULL,
               CASE WHEN r.type IN ('bidrag', 'efterregulering')
                    THEN 'afk_' || CASE r.type WHEN 'bidrag' THEN 'bidrag' ELSE 'efterreg' END
                         || CASE WHEN r.bidragskode = '03' THEN '_03' ELSE '_01_02' END
                    WHEN t.tf_kode / 10 = 2 THEN 'tf2' END
        {fra}
        WHERE r.kommune_id = %(kommune)s AND r.afkraevet_af_id = %(k)s
        UNION ALL
        SELECT {cols}, NULL,
               CASE WHEN r.type = 'tf' THEN 'tf56' ELSE 'ratevis_bidrag' END
        {fra}
        WHERE r.kommune_id = %(kommune)s AND r.koersel_id = %(k)s
          AND ((r.type = 'tf' AND t.tf_kode / 10 IN (5, 6))
               OR (r.type = 'bidrag' AND r.bidragskode = '03' AND NOT r.udbetales))"""


def _regler_sql() -> str:
    """KONTERING as a VALUES list; its words are this module's constants, checked to be plain."""
    import re
    rows = []
    for bt, (_, par) in KONTERING.items():
        for nr, (debet, kredit) in enumerate(par):
            assert all(re.fullmatch(r"[a-z0-9_]+", w) for w in (bt, debet, kredit))
            rows.append(f"('{bt}', {nr}, '{debet}', '{kredit}')")
    return "VALUES " + ", ".join(rows)


def _with() -> str:
    """The shared CTEs: items (one row per beløbstype) and their postings (two rows per pair)."""
    return f"""
        WITH items AS ({_items_sql()}),
        regler(bt, nr, debet, kredit) AS ({_regler_sql()}),
        poster AS (
            SELECT i.*, g.gruppe, g.side,
                   CASE WHEN g.gruppe = 'bidrag' AND i.art IN ({", ".join(map(str, BB_ER_BP_ARTER))}) THEN i.bb_cpr
                        WHEN g.gruppe IN ('bidrag', 'tilgodehavende') THEN i.bp_cpr
                        WHEN g.gruppe IN ('mellemregning_rate', 'mellemregning_aconto') THEN i.bb_cpr
                        ELSE '' END AS personnr
            FROM items i JOIN regler ON regler.bt = i.bt
            CROSS JOIN LATERAL (VALUES (regler.debet, 'D'), (regler.kredit, 'K')) AS g(gruppe, side))"""


def bogfoer(kommune_id: int, koersel_id: int) -> int:
    """seed 004, 3.5.1.1 + 3.5.1.3: every item the run paid, claimed or booked, konteret per
    3.5.1.1/4 on the account of the kommune's kontoplan (3.5.1.1/3), summed per konto, kontogruppe,
    posteringsdato (= udbetalings-/effektueringsdato) and personnr. One INSERT ... SELECT."""
    from django.db import connection
    from .models import Kontoplan, Postering
    post, plan = Postering._meta.db_table, Kontoplan._meta.db_table
    spec = {g: s for g, (_, _, s, _) in KONTOGRUPPER.items()}
    med_kode = ", ".join(f"'{g}'" for g, s in spec.items() if "bidragskode" in s)
    med_form = ", ".join(f"'{g}'" for g, s in spec.items() if "udbetalingsform" in s)
    p = {"k": koersel_id, "kommune": kommune_id, "fejlkonto": FALLBACK_KONTO}
    with connection.cursor() as c:
        c.execute(_with() + f""",
        samlet AS (
            SELECT gruppe, personnr, dato,
                   CASE WHEN gruppe IN ({med_kode}) THEN kode END AS kode,
                   CASE WHEN gruppe IN ({med_kode}) THEN art END AS art,
                   CASE WHEN gruppe IN ({med_form}) THEN form END AS form,
                   sum(CASE WHEN side = 'D' THEN beloeb ELSE 0 END) AS debet,
                   sum(CASE WHEN side = 'K' THEN beloeb ELSE 0 END) AS kredit
            FROM poster GROUP BY 1, 2, 3, 4, 5, 6)
        INSERT INTO {post} (kommune_id, koersel_id, konto, kontogruppe, debet, kredit, posteringsdato, personnr)
        SELECT %(kommune)s, %(k)s, konto.konto, s.gruppe, sum(s.debet), sum(s.kredit), s.dato, s.personnr
        FROM samlet s CROSS JOIN LATERAL (
            SELECT coalesce((
                SELECT pl.konto FROM {plan} pl
                WHERE pl.kommune_id = %(kommune)s AND pl.kontogruppe = s.gruppe
                  AND (pl.bidragskode IS NULL OR pl.bidragskode = s.kode)
                  AND (pl.bidragsart IS NULL OR pl.bidragsart = s.art)
                  AND (pl.udbetalingsform IS NULL OR pl.udbetalingsform = s.form)
                ORDER BY pl.bidragskode IS NULL, pl.bidragsart IS NULL, pl.udbetalingsform IS NULL, pl.id
                LIMIT 1), %(fejlkonto)s) AS konto) konto
        GROUP BY konto.konto, s.gruppe, s.dato, s.personnr""", p)
        return c.rowcount


ADVIS_840 = "Tilgodehavende er negativt efter ugens bogføring"  # seed 004, 3.5.1.2 Kontrol af saldo


def ajourfoer_tilgodehavende(kommune_id: int, koersel_id: int, as_of) -> list[tuple]:
    """seed 004, 3.5.1.2: Ny saldo = gammel saldo + afkrævet bidrag og efterregulering (01, 02)
    − T/F 1 + T/F 2 + T/F 5 + T/F 6, i.e. the run's kontering on the tilgodehavende accounts
    (kredit raises, debet lowers), BB's for bidragskode 01, det offentliges for 02. T/F 6x also moves
    the primosaldo (3.2.3.2). tilgodehavende_dato: the last payout/claim (3.1.1.6). One UPDATE.
    Returns (sag_id, bp_id, tekst) of advis 840 (3.5.1.2 Kontrol af saldo): a saldo this run moved
    that is now below zero, BB's or det offentliges."""
    from django.db import connection
    from .models import Beregning, Bidragsperson
    bp, ber = Bidragsperson._meta.db_table, Beregning._meta.db_table
    p = {"k": koersel_id, "kommune": kommune_id, "d": as_of}
    with connection.cursor() as c:
        c.execute(_with() + f""",
        bev AS (
            SELECT bp_id,
                   CASE WHEN gruppe = 'tilgodehavende' AND kode = '01'
                        THEN CASE side WHEN 'K' THEN beloeb ELSE -beloeb END ELSE 0 END AS bb,
                   CASE WHEN gruppe = 'tilgodehavende' AND kode = '02'
                        THEN CASE side WHEN 'K' THEN beloeb ELSE -beloeb END ELSE 0 END AS off,
                   tf_kode BETWEEN 60 AND 69 AS primo, false AS eff
            FROM poster
            UNION ALL
            SELECT bp_id, 0, 0, false, true FROM {ber}
            WHERE kommune_id = %(kommune)s AND (udbetalt_af_id = %(k)s OR afkraevet_af_id = %(k)s)),
        x AS (
            SELECT bp_id, sum(bb) AS bb, sum(off) AS off, sum(CASE WHEN primo THEN bb ELSE 0 END) AS primo_bb,
                   sum(CASE WHEN primo THEN off ELSE 0 END) AS primo_off, bool_or(eff) AS eff
            FROM bev GROUP BY bp_id)
        UPDATE {bp} SET tilgodehavende_bb = {bp}.tilgodehavende_bb + x.bb,
                        tilgodehavende_off = {bp}.tilgodehavende_off + x.off,
                        primo_bb = {bp}.primo_bb + x.primo_bb, primo_off = {bp}.primo_off + x.primo_off,
                        tilgodehavende_dato = CASE WHEN x.eff THEN %(d)s ELSE {bp}.tilgodehavende_dato END
        FROM x
        WHERE {bp}.id = x.bp_id
        RETURNING {bp}.sag_id, {bp}.id, x.bb <> 0 AND {bp}.tilgodehavende_bb < 0, {bp}.tilgodehavende_bb,
                  x.off <> 0 AND {bp}.tilgodehavende_off < 0, {bp}.tilgodehavende_off""", p)
        rows = c.fetchall()
    out = []
    for sag_id, bp_id, neg_bb, bb, neg_off, off in rows:
        dele = ([f"bidragsberettiget {bb:.2f}"] if neg_bb else []) + ([f"det offentlige {off:.2f}"] if neg_off else [])
        if dele:
            out.append((sag_id, bp_id, f"{ADVIS_840} ({', '.join(dele)})."))
    return out
