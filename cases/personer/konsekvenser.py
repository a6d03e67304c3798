"""What a CPR event sets in motion (docs/personer.md). Called by services.anvend inside its transaction,
with the batch's new events in the temporary table ``personer_ph`` (person_id, type, dato, data, gl_kk):
set-based SQL over the whole batch, except ny_cpr (rare) which moves each person's links through the owner
apps' services."""

from __future__ import annotations

import datetime as dt

from cases.services import fordeling_lateral, standardpakke

from .services import OPGAVETYPE, STOP_TYPER

_TMP = "personer_ph"

# --- underholdsbidrag's P-data advis (seed 004, 3.1.1.8) -----------------------------------------------
# The three tables row by row: for each advis the A/B-kode columns with an X. BB: "A/B kode på mindst 1
# aktiv BP, udfyldt med"; BP: "A/B kode på denne BP"; BPL: "BPL afkrævningskommune udfyldt" JA/NEJ.
# Columns: Blank (A/B-kode 0), 1+2, 3+4, 5+8, 6, 7, 9.
KOLONNE = {0: "Blank", 1: "1+2", 2: "1+2", 3: "3+4", 4: "3+4", 5: "5+8", 8: "5+8", 6: "6", 7: "7", 9: "9"}
ALLE = ("Blank", "1+2", "3+4", "5+8", "6", "7", "9")
TABEL_BB = {
    "606": ("Blank", "1+2", "3+4", "6"),
    "607": ("Blank", "1+2", "3+4", "6"),
    "608": ("Blank", "1+2", "3+4", "5+8", "6", "9"),
    "609": ALLE,
    "621": ALLE,
    "622": ("Blank", "1+2", "3+4", "5+8", "6", "9"),
    "623": ("Blank", "1+2", "3+4", "6", "9"),
    "625": ("Blank", "1+2", "3+4", "6"),
}
TABEL_BP = {
    "606": ("Blank", "1+2", "3+4", "6", "7", "9"),
    "607": ("Blank", "6"),
    "608": ALLE,
    "609": ALLE,
    "621": ALLE,
    "622": ALLE,
    "623": ("Blank", "1+2", "3+4", "6", "7", "9"),
    "625": ("Blank", "6"),
}
TABEL_BPL = {  # afkrævningskommune udfyldt: True (JA) / False (NEJ)
    "606": (False,),
    "607": (),
    "608": (True, False),
    "609": (True, False),
    "621": (True, False),
    "622": (),
    "623": (),
    "625": (),
}
ADVIS_TEKST = {
    "606": "Ukendt i RC", "607": "Ukendt i egen kommune", "608": "Død", "609": "Tidligere dobbelt",
    "621": "Nyt personnummer", "622": "Forsvundet", "623": "Udvandret", "625": "Fraflyttet",
    "830": "BPL's bopælskommune i P-data er forskellig fra den registrerede afkrævningskommune.",
    "831": "Afkrævningskommunen er taget fra sagskommunen (ingen registreret og ingen bopælskommune i P-data).",
    "832": "Udvandringskommunen benyttes til afkrævning (BPL er udvandret).",
}


def ab_koder(kolonner) -> list[int]:
    return sorted(k for k, col in KOLONNE.items() if col in kolonner)


def _values(tabel: dict) -> str:
    """VALUES (nr, ab_kode) of a BB/BP table."""
    rows = [f"('{nr}', {k})" for nr, cols in tabel.items() for k in ab_koder(cols)]
    return "(VALUES " + ", ".join(rows) + ") AS t(nr, ab)"


# the advis nr of each event (per UB sag where it depends on the sag's kommune); SQL over h (the event)
# and the sag's kommune column ``sk``
def _event_nr(sk: str) -> str:
    return f"""CASE h.type WHEN 'doed' THEN '608' WHEN 'forsvundet' THEN '622' WHEN 'udrejst' THEN '623'
                WHEN 'ny_cpr' THEN CASE WHEN h.data->>'aarsag' = 'dobbelt' THEN '609' ELSE '621' END
                WHEN 'adresse' THEN CASE
                    WHEN (h.data->>'kommunekode')::int IS DISTINCT FROM {sk} AND h.gl_kk = {sk} THEN '625'
                    WHEN (h.data->>'kommunekode')::int IS DISTINCT FROM {sk}
                         AND h.gl_kk IS DISTINCT FROM {sk} THEN '607' END
               END"""


def _lit(v: str) -> str:
    return "'" + v.replace("'", "''") + "'"


def _tekst(rolle: str, nr_sql: str) -> str:
    labels = " ".join(f"WHEN '{k}' THEN {_lit(v)}" for k, v in ADVIS_TEKST.items())
    return (f"'P-data: ' || CASE {nr_sql} {labels} END || ' ({rolle} ' || h.cpr || ', ' || h.dato || ', hændelse '"
            f" || h.haendelse_id || ')'")


def ub_advis(cur) -> int:
    """Advis 606–625 per 3.1.1.8's tables for the batch's events, on every UB sag where the CPR is BB, BP
    or BPL (any kommune: the advis goes to the sag's kommune), and 830/831/832 (3.4.1) for BPLs."""
    sql_bb = f"""
        SELECT s.kommune_id, x.nr, {_tekst('BB', 'x.nr')}, s.id, NULL::bigint
        FROM {_TMP} h JOIN underholdsbidrag_ubsag s ON s.bb_cpr = h.cpr
        CROSS JOIN LATERAL (SELECT {_event_nr('s.kommune_id')} AS nr) x
        WHERE x.nr IS NOT NULL AND EXISTS (
            SELECT 1 FROM underholdsbidrag_bidragsperson p JOIN {_values(TABEL_BB)} ON t.nr = x.nr AND t.ab = p.ab_kode
            WHERE p.sag_id = s.id AND p.statuskode = 0)"""
    sql_bp = f"""
        SELECT s.kommune_id, x.nr, {_tekst('BP', 'x.nr')}, s.id, p.id
        FROM {_TMP} h JOIN underholdsbidrag_bidragsperson p ON p.cpr = h.cpr AND p.statuskode = 0
        JOIN underholdsbidrag_ubsag s ON s.id = p.sag_id
        CROSS JOIN LATERAL (SELECT {_event_nr('s.kommune_id')} AS nr) x
        JOIN {_values(TABEL_BP)} ON t.nr = x.nr AND t.ab = p.ab_kode"""
    bpl_rows = [f"('{nr}', {str(ja).lower()})" for nr, jas in TABEL_BPL.items() for ja in jas]
    sql_bpl = f"""
        SELECT s.kommune_id, x.nr, {_tekst('BPL', 'x.nr')}, s.id, NULL::bigint
        FROM {_TMP} h JOIN underholdsbidrag_bidragspligtig l ON l.cpr = h.cpr
        JOIN underholdsbidrag_ubsag s ON s.id = l.sag_id
        CROSS JOIN LATERAL (SELECT {_event_nr('s.kommune_id')} AS nr) x
        JOIN (VALUES {", ".join(bpl_rows)}) AS t(nr, ja) ON t.nr = x.nr AND t.ja = (l.afkraevningskommune IS NOT NULL)"""
    # 3.4.1: 830 P-data kommune differs from the registered afkrævningskommune (not with diskretion);
    # 831 no registered one and no Danish bopælskommune -> the sagskommune; 832 udvandret, none registered
    sql_83x = f"""
        SELECT s.kommune_id, x.nr, 'Advis ' || x.nr || ': ' || CASE x.nr
                 WHEN '830' THEN {_lit(ADVIS_TEKST["830"])} WHEN '831' THEN {_lit(ADVIS_TEKST["831"])}
                 ELSE {_lit(ADVIS_TEKST["832"])} END
               || ' (BPL ' || h.cpr || ', ' || h.dato || coalesce(', bopælskommune ' || (h.data->>'kommunekode'), '')
               || coalesce(', afkrævningskommune ' || l.afkraevningskommune, '') || ')', s.id, NULL::bigint
        FROM {_TMP} h JOIN underholdsbidrag_bidragspligtig l ON l.cpr = h.cpr
        JOIN underholdsbidrag_ubsag s ON s.id = l.sag_id
        CROSS JOIN LATERAL (SELECT CASE
            WHEN h.type = 'adresse' AND l.afkraevningskommune IS NOT NULL AND NOT l.diskretion
                 AND (h.data->>'kommunekode')::int BETWEEN 101 AND 899
                 AND (h.data->>'kommunekode')::int <> l.afkraevningskommune THEN '830'
            WHEN h.type = 'adresse' AND l.afkraevningskommune IS NULL
                 AND coalesce((h.data->>'kommunekode')::int, 0) NOT BETWEEN 101 AND 899 THEN '831'
            WHEN h.type = 'udrejst' AND l.afkraevningskommune IS NULL THEN '832' END AS nr) x
        WHERE x.nr IS NOT NULL"""
    cur.execute(f"""INSERT INTO underholdsbidrag_meddelelse (kommune_id, art, nr, tekst, sag_id, bp_id, koersel_id, oprettet)
                    SELECT k, 'advis', nr, tekst, sag, bp, NULL, now()
                    FROM ({sql_bb} UNION ALL {sql_bp} UNION ALL {sql_bpl} UNION ALL {sql_83x}) a(k, nr, tekst, sag, bp)
                    ORDER BY sag, nr""")
    return cur.rowcount


def ub_adresser(cur) -> int:
    """Feed underholdsbidrag's adresseringsgrundlag (seed 004, 3.9.1) from the register: the CPR's current
    address after the batch, for CPRs that are BB, BP or BPL on some UB sag. udrejst = udland."""
    cur.execute(f"""
        INSERT INTO underholdsbidrag_adresse (cpr, kommunekode, vejkode, husnr, etage, side, postnr, udland, opdateret)
        SELECT p.cpr, CASE WHEN s.status = 'udrejst' THEN NULL ELSE s.kommunekode END,
               CASE WHEN s.status = 'udrejst' THEN NULL ELSE s.vejkode END,
               CASE WHEN s.status = 'udrejst' THEN '' ELSE upper(left(s.husnr, 4)) END,
               CASE WHEN s.status = 'udrejst' THEN '' ELSE upper(left(s.etage, 2)) END,
               CASE WHEN s.status = 'udrejst' THEN '' ELSE upper(left(s.side, 4)) END,
               CASE WHEN s.status = 'udrejst' THEN NULL ELSE s.postnr END, s.status = 'udrejst', now()
        FROM (SELECT DISTINCT person_id FROM {_TMP} WHERE type IN ('adresse', 'udrejst', 'indrejst')) h
        JOIN cases_person p ON p.id = h.person_id
        JOIN personer_stamdata s ON s.person_id = h.person_id
        WHERE p.cpr IN (SELECT bb_cpr FROM underholdsbidrag_ubsag UNION ALL SELECT cpr FROM underholdsbidrag_bidragsperson
                        UNION ALL SELECT cpr FROM underholdsbidrag_bidragspligtig)
        ON CONFLICT (cpr) DO UPDATE SET kommunekode = EXCLUDED.kommunekode, vejkode = EXCLUDED.vejkode,
            husnr = EXCLUDED.husnr, etage = EXCLUDED.etage, side = EXCLUDED.side, postnr = EXCLUDED.postnr,
            udland = EXCLUDED.udland, opdateret = now()""")
    return cur.rowcount


# --- tasks ------------------------------------------------------------------------------------------------

def opret_opgaver(cur, candidates_sql: str, params: dict | None = None) -> int:
    """INSERT the tasks ``candidates_sql`` selects (kommune_id, titel, sag_id, person_id, noegle, data jsonb,
    aarsag) as type cpr-haendelse, placed by the kommune's fordelingsnøgler or the type's default package;
    idempotent by (kommune, type, noegle)."""
    params = dict(params or {})
    cur.execute(f"SELECT DISTINCT kommune_id FROM ({candidates_sql}) c", params)
    kommuner = [r[0] for r in cur.fetchall()]
    if not kommuner:
        return 0
    pakker = {k: standardpakke(k, OPGAVETYPE).pk for k in kommuner}
    params["type"] = OPGAVETYPE
    values = ", ".join(f"({k}, {p})" for k, p in pakker.items())
    cur.execute(f"""
        INSERT INTO cases_opgave (kommune_id, opgavepakke_id, type, titel, status, aarsag, sag_id, person_id, frist,
                                  noegle, data, oprettet)
        SELECT c.kommune_id, COALESCE(fn.opgavepakke_id, dp.pakke), %(type)s, left(c.titel, 300), 'aaben', c.aarsag,
               c.sag_id, c.person_id, NULL, left(c.noegle, 120), c.data, now()
        FROM ({candidates_sql}) c
        JOIN (VALUES {values}) dp(k, pakke) ON dp.k = c.kommune_id
        LEFT JOIN cases_sag s ON s.id = c.sag_id
        LEFT JOIN cases_person p ON p.id = c.person_id
        {fordeling_lateral("c.kommune_id", "%(type)s", "s.ydelsestype", "s.team", "p.cpr")}
        ON CONFLICT (kommune_id, type, noegle) WHERE noegle IS NOT NULL DO NOTHING""", params)
    return cur.rowcount


def stop_betalinger(cur, as_of: dt.date) -> dict:
    """doed/udrejst/forsvundet (seed 000 nr. 7; issue 15): from the (earliest) date on,
    - running bevillinger end on the date (bevilget_til), ones starting later are ophørt: dan-effektueringskladder
      then pays nothing after the date and removes drafts of later months (its stale-draft rule, sf2520.md);
    - final (sent) effektueringer covering days after the date become a tilbagebetalingskrav: a fordring of
      the days after the date (brutto × days / dage, half-up to øre) on a KY debitorkonto of the person;
    - a task per aktiv sag (and per running bevilling without a sag) to the caseworker."""
    stop = (f"(SELECT person_id, min(dato) AS dato, (array_agg(type ORDER BY dato, ord))[1] AS type, "
            f"(array_agg(haendelse_id ORDER BY dato, ord))[1] AS hid FROM {_TMP} "
            f"WHERE type IN ('doed', 'udrejst', 'forsvundet') GROUP BY person_id)")
    cur.execute(f"""UPDATE cases_bevilling b SET bevilget_til = h.dato, aendret = now() FROM {stop} h
                    WHERE b.person_id = h.person_id AND b.status = 'bevilget' AND b.bevilget_fra <= h.dato
                      AND (b.bevilget_til IS NULL OR b.bevilget_til > h.dato)""")
    n_bev = cur.rowcount
    cur.execute(f"""UPDATE cases_bevilling b SET status = 'ophoert', bevilget_til = b.bevilget_fra, aendret = now()
                    FROM {stop} h WHERE b.person_id = h.person_id AND b.status = 'bevilget' AND b.bevilget_fra > h.dato""")
    n_bev += cur.rowcount
    # unsent payments (udbetalinger klar, udbetaling.md) of periods wholly after the date are cancelled: the
    # udbetaling has no cancelled state, so the row is deleted; with the bevilling ended before the period,
    # dan_fra_effektueringer does not make it again
    cur.execute(f"""DELETE FROM udbetaling_udbetaling u USING {stop} h, sf2520_effektuering e
                    WHERE u.person_id = h.person_id AND u.status = 'klar' AND u.kilde = 'effektuering'
                      AND e.id = u.kilde_id AND e.periode_fra > h.dato""")
    n_annulleret = cur.rowcount
    # payments after the date that went (or will go) out -> claim (one debitorkonto + fordring per effektuering,
    # idempotent by ids): a final effektuering covering days after the date, paid or still to be paid
    krav = f"""SELECT e.id AS eid, e.kommune_id, e.person_id, b.sag_id, e.bevilling_id, b.ydelsestype,
                      greatest(h.dato + 1, e.periode_fra) AS fra, e.periode_til AS til,
                      round(e.brutto * (e.periode_til - greatest(h.dato, e.periode_fra - 1)) / e.dage, 2) AS beloeb
               FROM {stop} h JOIN sf2520_effektuering e ON e.person_id = h.person_id AND e.status = 'endelig'
                    AND e.periode_til > h.dato AND e.dage > 0
               JOIN cases_bevilling b ON b.id = e.bevilling_id
               WHERE EXISTS (SELECT 1 FROM udbetaling_udbetaling u WHERE u.kilde = 'effektuering' AND u.kilde_id = e.id
                             AND u.status IN ('klar', 'sendt', 'gennemfoert'))
                  OR (e.periode_fra <= h.dato AND NOT EXISTS (SELECT 1 FROM udbetaling_udbetaling u
                                                             WHERE u.kilde = 'effektuering' AND u.kilde_id = e.id))"""
    cur.execute(f"""
        WITH k AS ({krav}),
        konto AS (
            INSERT INTO debitor_debitorkonto (kommune_id, kontonr, person_id, sag_id, bevilling_id, kilde,
                                              kmd_aktiv_bevillingsnr, ydelsestype, oprettet, aendret)
            SELECT kommune_id, kommune_id || '-TB-' || eid, person_id, sag_id, bevilling_id, 'KY', NULL,
                   ydelsestype, now(), now() FROM k WHERE beloeb > 0
            ON CONFLICT (kommune_id, kontonr) DO NOTHING RETURNING id, kommune_id, kontonr)
        INSERT INTO debitor_fordring (kommune_id, debitorkonto_id, fordring_id, fordringstype, hovedstol, restgaeld,
                                      periode_fra, periode_til, stiftelsesdato, oprettet, aendret)
        SELECT k.kommune_id, konto.id, 'TB-' || k.eid, 'TILBAGEBETALING', k.beloeb, k.beloeb, k.fra, k.til,
               %(d)s, now(), now()
        FROM k JOIN konto ON konto.kommune_id = k.kommune_id AND konto.kontonr = k.kommune_id || '-TB-' || k.eid
        ON CONFLICT (kommune_id, fordring_id) DO NOTHING""", {"d": as_of})
    n_krav = cur.rowcount
    titel = """CASE h.type WHEN 'doed' THEN 'Borgeren er død ' || h.dato
                           WHEN 'udrejst' THEN 'Borgeren er udrejst ' || h.dato
                           ELSE 'Borgeren er forsvundet ifølge CPR ' || h.dato END
               || ': ydelsen er standset fra datoen – kontrollér sagen og udbetalingerne'"""
    data = """jsonb_build_object('haendelse_id', h.hid, 'haendelse', h.type, 'dato', h.dato,
                 'tilbagebetalingskrav', (SELECT coalesce(sum(f.hovedstol), 0)::text FROM debitor_fordring f
                                          JOIN debitor_debitorkonto d ON d.id = f.debitorkonto_id
                                          WHERE d.person_id = h.person_id AND d.kommune_id = {k}
                                            AND d.kontonr LIKE '%%-TB-%%'))"""
    cands = f"""
        SELECT s.kommune_id, {titel} AS titel, s.id AS sag_id, s.person_id, h.hid || ':' || s.id AS noegle,
               {data.format(k='s.kommune_id')} AS data, h.type AS aarsag
        FROM {stop} h JOIN cases_sag s ON s.person_id = h.person_id AND s.status = 'aktiv'
        UNION ALL
        SELECT b.kommune_id, {titel}, NULL, b.person_id, h.hid || ':b' || b.id, {data.format(k='b.kommune_id')},
               h.type
        FROM {stop} h JOIN cases_bevilling b ON b.person_id = h.person_id AND b.sag_id IS NULL
             AND b.bevilget_til = h.dato"""
    n_opg = opret_opgaver(cur, cands)
    return {"stoppede_bevillinger": n_bev, "krav": n_krav, "annullerede_udbetalinger": n_annulleret, "opgaver": n_opg}


def fraflytning(cur) -> int:
    """adresse: the person moved out of the kommune of an aktiv sag (new bopælskommune differs, the old one
    was the sag's or unknown) -> a task on that sag (kommune of residence changed: mellemkommunal flytning)."""
    return opret_opgaver(cur, f"""
        SELECT s.kommune_id, 'Borgeren er flyttet til kommune ' || coalesce(h.data->>'kommunekode', 'ukendt')
                             || ' pr. ' || h.dato || ': vurder sagens videre forløb' AS titel,
               s.id AS sag_id, s.person_id, h.haendelse_id || ':' || s.id AS noegle,
               jsonb_build_object('haendelse_id', h.haendelse_id, 'haendelse', 'adresse', 'dato', h.dato,
                                  'fra_kommune', h.gl_kk, 'til_kommune', (h.data->>'kommunekode')::int) AS data,
               'fraflyttet' AS aarsag
        FROM {_TMP} h JOIN cases_sag s ON s.person_id = h.person_id AND s.status = 'aktiv'
        WHERE h.type = 'adresse' AND (h.data->>'kommunekode')::int IS DISTINCT FROM s.kommune_id
          AND (h.gl_kk = s.kommune_id OR h.gl_kk IS NULL)""")


def forsoerger(cur, foer: dict, efter: dict) -> int:
    """relation (barn): the person's forsørger status changed -> a task on its aktiv sager of the forsørger-
    dependent kinds (KTH, UDH, HTF), so the sats is recomputed (the ydelse reads person_fakta)."""
    skiftet = [pid for pid in set(foer) | set(efter) if bool(foer.get(pid)) != bool(efter.get(pid))]
    if not skiftet:
        return 0
    return opret_opgaver(cur, f"""
        SELECT s.kommune_id, CASE WHEN %(efter)s::jsonb ? (s.person_id::text)
                                  THEN 'Borgeren er nu forsørger (barn under 18 år ifølge CPR): genberegn ydelsen'
                                  ELSE 'Borgeren er ikke længere forsørger ifølge CPR: genberegn ydelsen' END AS titel,
               s.id AS sag_id, s.person_id, h.hid || ':' || s.id AS noegle,
               jsonb_build_object('haendelse_id', h.hid, 'haendelse', 'relation') AS data, 'forsoerger' AS aarsag
        FROM (SELECT person_id, max(haendelse_id) AS hid FROM {_TMP}
              WHERE type = 'relation' AND person_id = ANY(%(p)s) GROUP BY person_id) h
        JOIN cases_sag s ON s.person_id = h.person_id AND s.status = 'aktiv' AND s.ydelsestype IN ('KTH', 'UDH', 'HTF')""",
        {"p": skiftet, "efter": _json_keys([p for p in skiftet if efter.get(p)])})


def _json_keys(ids) -> str:
    import json

    return json.dumps({str(i): True for i in ids})


def ny_cpr(cur, as_of: dt.date) -> dict:
    """ny_cpr: every link follows the new number, each through its owner's service — cases.services.flyt_person
    (every foreign key to the person: sager, bevillinger, debitorkonti, opgaver, abonnementer, effektueringer …),
    integrations.dfdg.services.cpr_skift (frister, bookinger, fravær), underholdsbidrag's cpr_skift (BB, BP, BPL,
    adresseringsgrundlag), plus the register's own rows (stamdata, relationer, ophold copied to the new
    number; other persons' relations point to it). The old number keeps its record with status ny_cpr."""
    from cases.models import Person
    from cases.services import flyt_person
    from debitor.underholdsbidrag.services import cpr_skift as ub_cpr_skift
    from integrations.dfdg.services import cpr_skift as dfdg_cpr_skift

    cur.execute(f"SELECT person_id, cpr, data->>'ny_cpr', haendelse_id, dato FROM {_TMP} WHERE type = 'ny_cpr' ORDER BY dato, ord")
    flyttet, konflikter = 0, []
    for person_id, gammel, ny, hid, dato in cur.fetchall():
        gl = Person.objects.get(pk=person_id)
        ny_person, _ = Person.objects.get_or_create(cpr=ny, defaults={"navn": gl.navn})
        cur.execute("""INSERT INTO personer_stamdata (person_id, foedselsdato, vejnavn, husnr, etage, side, postnr, by,
                           kommunekode, vejkode, co, adresse_fra, civilstand, civilstand_dato, statsborgerskab, status,
                           status_dato, ny_cpr, digital_post_fritaget, aendret)
                       SELECT %(ny)s, personer_foedt(%(nycpr)s), vejnavn, husnr, etage, side, postnr, by, kommunekode,
                              vejkode, co, adresse_fra, civilstand, civilstand_dato, statsborgerskab, 'aktiv', %(d)s,
                              NULL, digital_post_fritaget, now()
                       FROM personer_stamdata WHERE person_id = %(gl)s
                       ON CONFLICT (person_id) DO NOTHING""",
                    {"ny": ny_person.pk, "nycpr": ny, "gl": person_id, "d": dato})
        cur.execute("""INSERT INTO personer_relation (person_id, type, cpr, fra, til)
                       SELECT %(ny)s, type, cpr, fra, til FROM personer_relation r WHERE person_id = %(gl)s
                         AND NOT EXISTS (SELECT 1 FROM personer_relation o WHERE o.person_id = %(ny)s
                                         AND o.type = r.type AND o.cpr = r.cpr)""", {"ny": ny_person.pk, "gl": person_id})
        cur.execute("""INSERT INTO personer_ophold (person_id, fra, til, land)
                       SELECT %(ny)s, fra, til, land FROM personer_ophold WHERE person_id = %(gl)s
                       ON CONFLICT DO NOTHING""", {"ny": ny_person.pk, "gl": person_id})
        cur.execute("""UPDATE personer_relation r SET cpr = %(ny)s WHERE r.cpr = %(gammel)s
                         AND NOT EXISTS (SELECT 1 FROM personer_relation o WHERE o.person_id = r.person_id
                                         AND o.type = r.type AND o.cpr = %(ny)s)""", {"ny": ny, "gammel": gammel})
        cur.execute("UPDATE personer_kontaktforloeb SET cpr = %(ny)s WHERE cpr = %(gammel)s", {"ny": ny, "gammel": gammel})
        cur.execute("UPDATE sf2520_betalingsadministrationsaftale SET cpr = %(ny)s WHERE cpr = %(gammel)s",
                    {"ny": ny, "gammel": gammel})
        cur.execute("""INSERT INTO personer_historik (person_id, felt, gammel, ny, dato, tidspunkt, kilde, haendelse_id)
                       VALUES (%(ny)s, 'cpr', %(gammel)s, %(nycpr)s, %(d)s, now(), 'CPR-hændelse ' || %(hid)s, %(hid)s)""",
                    {"ny": ny_person.pk, "gammel": gammel, "nycpr": ny, "d": dato, "hid": hid})
        # the register's rows stay with the old number (its record); everything else moves
        moved = flyt_person(person_id, ny_person.pk, undtagen={
            "personer_stamdata.person_id", "personer_relation.person_id", "personer_ophold.person_id",
            "personer_historik.person_id"})
        dfdg = dfdg_cpr_skift(None, gammel_cpr=gammel, ny_cpr=ny)
        ub = ub_cpr_skift(gammel, ny)
        flyttet += sum(v for k, v in moved.items() if k != "konflikter") + sum(
            v for k, v in {**dfdg, **ub}.items() if isinstance(v, int))
        for k in moved["konflikter"] + ub["konflikter"]:
            konflikter.append((hid, ny_person.pk, k))
    n_opg = 0
    if konflikter:
        import json

        rows = json.dumps([{"hid": h, "p": p, "k": k} for h, p, k in konflikter])
        n_opg = opret_opgaver(cur, """
            SELECT DISTINCT ON (s.kommune_id, x.hid) s.kommune_id,
                   'Nyt CPR-nummer: ikke alt kunne flyttes automatisk (' || x.k || ')' AS titel, s.id AS sag_id,
                   s.person_id, x.hid || ':konflikt' AS noegle, jsonb_build_object('konflikt', x.k) AS data,
                   'ny_cpr' AS aarsag
            FROM jsonb_to_recordset(%(rows)s::jsonb) AS x(hid text, p bigint, k text)
            JOIN cases_sag s ON s.person_id = x.p""", {"rows": rows})
    return {"ny_cpr_flyttet": flyttet, "opgaver": n_opg}


def anvend(cur, as_of: dt.date, forsoerger_foer: dict, res: dict) -> dict:
    from .services import _forsoergere

    out = {"opgaver": 0}
    stop = stop_betalinger(cur, as_of)
    out["opgaver"] += stop.pop("opgaver")
    out.update(stop)
    out["opgaver"] += fraflytning(cur)
    out["opgaver"] += forsoerger(cur, forsoerger_foer, _forsoergere(cur, as_of))
    out["advis"] = ub_advis(cur)
    out["ub_adresser"] = ub_adresser(cur)
    ny = ny_cpr(cur, as_of)
    out["opgaver"] += ny["opgaver"]
    out["ny_cpr_flyttet"] = ny["ny_cpr_flyttet"]
    return out


__all__ = ["ub_advis", "stop_betalinger", "fraflytning", "forsoerger", "ny_cpr", "opret_opgaver", "STOP_TYPER"]
