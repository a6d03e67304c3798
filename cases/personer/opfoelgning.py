"""The jobs that follow a life (seed 000: #2, #4, #6, #10, #22, #33, #42, #68, #78), set-based per kommune.
Writes (services): each function does its work for one kommune as of D and returns counts
{created, updated, skipped}; a dry run is rolled back by the batch platform (batch.services.run_job), so the
counts of a dry run are what a real run would do. Tasks are of the job's own type (the job slug), idempotent
by (kommune, type, noegle)."""

from __future__ import annotations

import datetime as dt
import re

from django.db import connection

from cases.services import fordeling_lateral, standardpakke

from . import regler


def _opgaver(opgavetype: str, kommune_id: int, candidates_sql: str, params: dict) -> dict:
    """INSERT the candidates (kommune_id, titel, sag_id, person_id, frist, noegle, data) as tasks of
    ``opgavetype``; returns created/skipped."""
    params = {**params, "type": opgavetype, "pakke": standardpakke(kommune_id, opgavetype).pk}
    with connection.cursor() as cur:
        cur.execute(f"""WITH c AS ({candidates_sql}),
            ins AS (
                INSERT INTO cases_opgave (kommune_id, opgavepakke_id, type, titel, status, aarsag, sag_id, person_id,
                                          frist, noegle, data, oprettet)
                SELECT c.kommune_id, COALESCE(fn.opgavepakke_id, %(pakke)s), %(type)s, left(c.titel, 300), 'aaben',
                       '', c.sag_id, c.person_id, c.frist, left(c.noegle, 120), c.data, now()
                FROM c LEFT JOIN cases_sag s ON s.id = c.sag_id LEFT JOIN cases_person p ON p.id = c.person_id
                {fordeling_lateral("c.kommune_id", "%(type)s", "s.ydelsestype", "s.team", "p.cpr")}
                ON CONFLICT (kommune_id, type, noegle) WHERE noegle IS NOT NULL DO NOTHING RETURNING 1)
            SELECT (SELECT count(*) FROM c), (SELECT count(*) FROM ins)""", params)
        total, created = cur.fetchone()
    return {"created": created, "updated": 0, "skipped": total - created}


_BARN_UNDER = ("personer_foedt(r.cpr) > (%(d)s::date - make_interval(years => %(aar)s)) "
               "AND personer_foedt(r.cpr) <= %(d)s::date")


def overgaar_fra_forsoergersats(kommune_id: int, as_of: dt.date, barn_alder_aar: int, vindue_dage: int = 31) -> dict:
    """#4: a child of a borger with an aktiv KTH/UDH/HTF sag turned ``barn_alder_aar`` within the last
    ``vindue_dage`` days, and no other child under that age is left: the borger leaves the forsørgersats —
    a task per sag and child (the computation itself reads person_fakta(...).forsoerger)."""
    return _opgaver("overgaar-fra-forsoergersats", kommune_id, f"""
        SELECT s.kommune_id, 'Barnet ' || r.cpr || ' fylder ' || %(aar)s || ' år ' || f.dag
                             || ': borgeren overgår fra forsørgersats' AS titel,
               s.id AS sag_id, s.person_id, f.dag AS frist, s.id || ':' || r.cpr || ':' || %(aar)s AS noegle,
               jsonb_build_object('barn', r.cpr, 'fylder', f.dag) AS data
        FROM cases_sag s
        JOIN personer_relation r ON r.person_id = s.person_id AND r.type = 'barn' AND r.til IS NULL
        CROSS JOIN LATERAL (SELECT (personer_foedt(r.cpr) + make_interval(years => %(aar)s))::date AS dag) f
        WHERE s.kommune_id = %(k)s AND s.status = 'aktiv' AND s.ydelsestype IN ('KTH', 'UDH', 'HTF')
          AND f.dag <= %(d)s AND f.dag > %(d)s::date - %(vindue)s
          AND NOT EXISTS (SELECT 1 FROM personer_relation r WHERE r.person_id = s.person_id AND r.type = 'barn'
                          AND r.til IS NULL AND {_BARN_UNDER})""",
        {"k": kommune_id, "d": as_of, "aar": barn_alder_aar, "vindue": vindue_dage})


def graviditet(kommune_id: int, as_of: dt.date, overskredet_uger: int) -> dict:
    """#10: the caseworker decides when the terminsdato is exceeded by ``overskredet_uger`` weeks with no
    birth registered, and when the barselsperiode ends. Task on the pregnancy's sag (or the person's aktiv
    sag in the kommune)."""
    return _opgaver("graviditet", kommune_id, """
        SELECT g.kommune_id, x.titel, coalesce(g.sag_id, (SELECT s.id FROM cases_sag s WHERE s.person_id = g.person_id
               AND s.kommune_id = g.kommune_id AND s.status = 'aktiv' ORDER BY s.id LIMIT 1)) AS sag_id,
               g.person_id, x.dag AS frist, 'g' || g.id || ':' || x.art AS noegle,
               jsonb_build_object('graviditet', g.id, 'terminsdato', g.terminsdato, 'art', x.art) AS data
        FROM personer_graviditet g
        CROSS JOIN LATERAL (
            SELECT 'termin' AS art, (g.terminsdato + %(uger)s * 7) AS dag,
                   'Terminsdatoen ' || g.terminsdato || ' er overskredet med ' || %(uger)s || ' uger: tag stilling' AS titel
            WHERE g.foedt IS NULL AND g.terminsdato + %(uger)s * 7 <= %(d)s
            UNION ALL
            SELECT 'barsel', g.barsel_slut, 'Barselsperioden slutter ' || g.barsel_slut || ': tag stilling til forsørgelsen'
            WHERE g.barsel_slut IS NOT NULL AND g.barsel_slut <= %(d)s) x
        WHERE g.kommune_id = %(k)s""", {"k": kommune_id, "d": as_of, "uger": overskredet_uger})


def _pension_sql(col: str) -> str:
    """SQL: the folkepensionsdato of a birth date column, from regler.FOLKEPENSIONSALDER (dated table)."""
    whens = []
    for fra, til, aar, mdr, _ in regler.FOLKEPENSIONSALDER:
        cond = " AND ".join(c for c in (f"{col} >= '{fra}'" if fra else "", f"{col} <= '{til}'" if til else "") if c)
        whens.append(f"WHEN {cond} THEN ({col} + interval '{aar} years {mdr} months')::date")
    return "CASE " + " ".join(whens) + " END"


def pensionsalder(kommune_id: int, as_of: dt.date, varsel_maaneder: int) -> dict:
    """#33: borgere with an aktiv flekslønstilskud sag who reach folkepensionsalderen (pensionsloven § 1 a, by
    birth date) within ``varsel_maaneder`` months: a task to inform the borger (once per sag and date)."""
    pdato = _pension_sql("personer_foedt(p.cpr)")
    return _opgaver("pensionsalder", kommune_id, f"""
        SELECT s.kommune_id, 'Borgeren når folkepensionsalderen ' || x.dag
                             || ': informér borgeren og afslut flekslønstilskuddet' AS titel,
               s.id AS sag_id, s.person_id, (x.dag - interval '1 day')::date AS frist,
               s.id || ':' || x.dag AS noegle, jsonb_build_object('folkepensionsdato', x.dag) AS data
        FROM cases_sag s JOIN cases_person p ON p.id = s.person_id
        CROSS JOIN LATERAL (SELECT {pdato} AS dag) x
        WHERE s.kommune_id = %(k)s AND s.status = 'aktiv' AND s.ydelsestype = 'FLEKS'
          AND x.dag > %(d)s AND (x.dag - make_interval(months => %(m)s))::date <= %(d)s""",
        {"k": kommune_id, "d": as_of, "m": varsel_maaneder})


def opfyldelse_af_opholdskrav(kommune_id: int, as_of: dt.date, vindue_dage: int = 31) -> dict:
    """#6: borgere on an aktiv KTH/UDH/HTF sag who now meet the opholdskrav (aktivloven § 11, stk. 3, from
    the register's residence periods) and did not ``vindue_dage`` days ago: the ydelse changes (sats) —
    a task per sag. The facts come from person_fakta (one query per date)."""
    from cases.models import Sag

    from .selectors import person_fakta

    sager = list(Sag.objects.filter(kommune_id=kommune_id, status="aktiv", ydelsestype__in=("KTH", "UDH", "HTF"))
                 .values_list("id", "person_id", "person__cpr"))
    cprs = {c for _, _, c in sager}
    nu = person_fakta(cprs, as_of)
    foer = person_fakta(cprs, as_of - dt.timedelta(days=vindue_dage))
    nye = [(sid, pid, c) for sid, pid, c in sager
           if nu.get(c) and nu[c].opholdskrav_opfyldt and foer.get(c) and foer[c].opholdskrav_opfyldt is False]
    if not nye:
        return {"created": 0, "updated": 0, "skipped": 0}
    import json

    rows = json.dumps([{"s": s, "p": p, "kilde": nu[c].opholdskrav_kilde} for s, p, c in nye])
    return _opgaver("opfyldelse-af-opholdskrav", kommune_id, """
        SELECT %(k)s AS kommune_id, 'Borgeren opfylder nu opholdskravet (' || x.kilde || '): ydelsen ændres' AS titel,
               x.s AS sag_id, x.p AS person_id, NULL::date AS frist, x.s || ':opholdskrav' AS noegle,
               jsonb_build_object('kilde', x.kilde) AS data
        FROM jsonb_to_recordset(%(rows)s::jsonb) AS x(s bigint, p bigint, kilde text)""",
        {"k": kommune_id, "rows": rows})


def match_kontaktforloeb(kommune_id: int) -> int:
    """A kontaktforløb event is matched to the person (by CPR) and its aktiv sag in the kommune when there is
    one; the rest are 'ikke saghenførbare'."""
    with connection.cursor() as cur:
        cur.execute("""UPDATE personer_kontaktforloeb k SET person_id = p.id,
                              sag_id = (SELECT s.id FROM cases_sag s WHERE s.person_id = p.id AND s.kommune_id = k.kommune_id
                                        AND s.status = 'aktiv' ORDER BY s.id LIMIT 1)
                       FROM cases_person p WHERE p.cpr = k.cpr AND k.kommune_id = %(k)s AND k.sag_id IS NULL""",
                    {"k": kommune_id})
        cur.execute("""UPDATE personer_kontaktforloeb SET sag_id = NULL WHERE kommune_id = %(k)s AND sag_id IS NOT NULL
                       AND NOT EXISTS (SELECT 1 FROM cases_sag s WHERE s.id = sag_id)""", {"k": kommune_id})
        cur.execute("SELECT count(*) FROM personer_kontaktforloeb WHERE kommune_id = %(k)s AND sag_id IS NOT NULL",
                    {"k": kommune_id})
        return cur.fetchone()[0]


def opfoelgning_paa_kontaktforloeb(kommune_id: int, as_of: dt.date, dage: int) -> dict:
    """#42: kontaktforløb matched to a sag with no activity for ``dage`` days: a task (once per forløb and
    activity date, so new activity followed by a new pause gives a new task)."""
    match_kontaktforloeb(kommune_id)
    return _opgaver("opfoelgning-paa-kontaktforloeb", kommune_id, """
        SELECT k.kommune_id, 'Kontaktforløb (' || k.haendelse || ') uden aktivitet siden ' || k.seneste_aktivitet AS titel,
               k.sag_id, k.person_id, NULL::date AS frist, 'kf' || k.id || ':' || k.seneste_aktivitet AS noegle,
               jsonb_build_object('kontaktforloeb', k.id, 'modtaget', k.modtaget) AS data
        FROM personer_kontaktforloeb k
        WHERE k.kommune_id = %(k)s AND k.sag_id IS NOT NULL AND k.seneste_aktivitet <= %(d)s::date - %(dage)s""",
        {"k": kommune_id, "d": as_of, "dage": dage})


def oprydning_kontaktforloeb(kommune_id: int, as_of: dt.date, dage: int, *, job: str, koersel_id=None) -> dict:
    """#68: ikke-saghenførbare kontaktforløb events (no sag in the kommune) without activity for ``dage``
    days are deleted (logged in cases.Sletningslog without personal data)."""
    match_kontaktforloeb(kommune_id)
    with connection.cursor() as cur:
        cur.execute("""WITH d AS (DELETE FROM personer_kontaktforloeb WHERE kommune_id = %(k)s AND sag_id IS NULL
                                  AND seneste_aktivitet <= %(d)s::date - %(dage)s RETURNING id)
                       INSERT INTO cases_sletningslog (kind, objekt_id, kommune_id, job, koersel_id, tidspunkt)
                       SELECT 'kontaktforloeb', id, %(k)s, %(job)s, %(koersel)s, now() FROM d""",
                    {"k": kommune_id, "d": as_of, "dage": dage, "job": job, "koersel": koersel_id})
        return {"created": 0, "updated": cur.rowcount, "skipped": 0}


def deaktivering_af_inaktive(kommune_id: int, as_of: dt.date, vindue_dage: int = 31) -> dict:
    """#22 (SF1470/SF1490 SDY): bevilgede ydelser that expired (bevilget_til passed, still bevilget, on an aktiv
    sag) or started again (a new bevilling of the same ydelsestype on the sag after an earlier one ended)
    within ``vindue_dage`` days: a task to the caseworker."""
    return _opgaver("sf1470-sf1490-sdy-deaktivering-af-inaktive-entiteter", kommune_id, """
        SELECT b.kommune_id, 'Bevilget ydelse ' || b.ydelsestype || ' udløb ' || b.bevilget_til
                             || ': deaktivér eller forlæng' AS titel,
               b.sag_id, b.person_id, NULL::date AS frist, 'b' || b.id || ':udloebet:' || b.bevilget_til AS noegle,
               jsonb_build_object('bevilling', b.id, 'art', 'udloebet') AS data
        FROM cases_bevilling b JOIN cases_sag s ON s.id = b.sag_id AND s.status = 'aktiv'
        WHERE b.kommune_id = %(k)s AND b.status = 'bevilget' AND b.bevilget_til < %(d)s
          AND b.bevilget_til >= %(d)s::date - %(vindue)s
        UNION ALL
        SELECT b.kommune_id, 'Bevilget ydelse ' || b.ydelsestype || ' er startet igen ' || b.bevilget_fra,
               b.sag_id, b.person_id, NULL::date, 'b' || b.id || ':genstartet', jsonb_build_object('bevilling', b.id,
               'art', 'genstartet')
        FROM cases_bevilling b
        WHERE b.kommune_id = %(k)s AND b.status = 'bevilget' AND b.sag_id IS NOT NULL
          AND b.bevilget_fra <= %(d)s AND b.bevilget_fra > %(d)s::date - %(vindue)s
          AND EXISTS (SELECT 1 FROM cases_bevilling o WHERE o.sag_id = b.sag_id AND o.id <> b.id
                      AND o.ydelsestype = b.ydelsestype AND o.bevilget_til < b.bevilget_fra)""",
        {"k": kommune_id, "d": as_of, "vindue": vindue_dage})


def delete_reduced_persons(kommune_id: int, as_of: dt.date, *, job: str, koersel_id=None) -> dict:
    """#78: the kommune's CPR subscriptions on persons CPR has reduced (status doed or ny_cpr before D) that
    the kommune has no business with any more — no aktiv sag, no running bevilling, no debitorkonto with
    restgæld, no underholdsbidrag sag as BB/BP/BPL — are ended (deleted, logged without personal data)."""
    with connection.cursor() as cur:
        cur.execute("""WITH c AS (
                SELECT a.id FROM cases_abonnement a
                JOIN cases_person p ON p.id = a.person_id
                JOIN personer_stamdata st ON st.person_id = a.person_id
                WHERE a.kommune_id = %(k)s AND a.type = 'cpr' AND st.status IN ('doed', 'ny_cpr')
                  AND st.status_dato < %(d)s
                  AND NOT EXISTS (SELECT 1 FROM cases_sag s WHERE s.person_id = a.person_id AND s.kommune_id = %(k)s
                                  AND s.status = 'aktiv')
                  AND NOT EXISTS (SELECT 1 FROM cases_bevilling b WHERE b.person_id = a.person_id
                                  AND b.kommune_id = %(k)s AND b.status = 'bevilget'
                                  AND (b.bevilget_til IS NULL OR b.bevilget_til >= %(d)s))
                  AND NOT EXISTS (SELECT 1 FROM debitor_debitorkonto d JOIN debitor_fordring f ON f.debitorkonto_id = d.id
                                  WHERE d.person_id = a.person_id AND d.kommune_id = %(k)s AND f.restgaeld > 0)
                  AND NOT EXISTS (SELECT 1 FROM underholdsbidrag_ubsag u WHERE u.kommune_id = %(k)s AND u.bb_cpr = p.cpr)
                  AND NOT EXISTS (SELECT 1 FROM underholdsbidrag_bidragsperson u JOIN underholdsbidrag_ubsag us
                                  ON us.id = u.sag_id WHERE us.kommune_id = %(k)s AND u.cpr = p.cpr)
                  AND NOT EXISTS (SELECT 1 FROM underholdsbidrag_bidragspligtig u JOIN underholdsbidrag_ubsag us
                                  ON us.id = u.sag_id WHERE us.kommune_id = %(k)s AND u.cpr = p.cpr)),
            d AS (DELETE FROM cases_abonnement WHERE id IN (SELECT id FROM c) RETURNING id)
            INSERT INTO cases_sletningslog (kind, objekt_id, kommune_id, job, koersel_id, tidspunkt)
            SELECT 'abonnement', id, %(k)s, %(job)s, %(koersel)s, now() FROM d""",
                    {"k": kommune_id, "d": as_of, "job": job, "koersel": koersel_id})
        return {"created": 0, "updated": cur.rowcount, "skipped": 0}


# --- #2 SF0785/SF0786 ------------------------------------------------------------------------------------

FILNAVN = re.compile(r"^SKAT_(SF0785|SF0786)_(\d{3})_(\d{8})_(\d{6})\.txt$")


def laes_skattefil(navn: str, data: bytes, kommune_id: int) -> list[dict]:
    """Validate a whole SF0785/SF0786 file (ky's layout, docs/formats/skatteopgoerelser.md); LayoutFejl names
    file line and field."""
    from integrations.fixedwidth import LayoutFejl, read_file

    from .formats import ART, LAYOUTS

    m = FILNAVN.match(navn)
    if not m:
        raise LayoutFejl("filnavnet følger ikke SKAT_SF0785|SF0786_<kommune>_<ÅÅÅÅMMDD>_<løbenr>.txt")
    if int(m.group(2)) != kommune_id:
        raise LayoutFejl(f"filnavnets kommunekode {m.group(2)} er ikke kørslens {kommune_id}")
    recs = read_file(data, LAYOUTS)
    detaljer = recs[1:-1]
    if recs[-1][1]["antal"] != len(detaljer):
        raise LayoutFejl(f"slutposten tæller {recs[-1][1]['antal']}, filen har {len(detaljer)} detaljeposter",
                         linje=recs[-1][0], felt="antal")
    out = []
    from decimal import Decimal

    from .services import _cpr_foedt

    for linje, r in detaljer:
        if r["kommunekode"] != kommune_id:
            raise LayoutFejl(f"kommunekode {r['kommunekode']} passer ikke til filens", linje=linje, felt="kommunekode")
        if _cpr_foedt(r["cpr"]) is None:
            raise LayoutFejl("ugyldigt CPR-nummer", linje=linje, felt="cpr")
        oere = r["resultat_oere"] * (-1 if r["fortegn"] == "-" else 1)
        out.append({"cpr": r["cpr"], "art": ART[m.group(1)], "indkomstaar": r["indkomstaar"], "dannet": r["dannet"],
                    "resultat": Decimal(oere) / 100, "fil": navn})
    return out


def gem_skatteopgoerelser(kommune_id: int, rows: list[dict]) -> dict:
    """Store the file's opgørelser for persons ky knows (others are skipped), and a task on the person's aktiv
    sag for a new årsopgørelse (with the amount when the borger gets tax back). Idempotent: a re-read file
    creates nothing twice (unique person/art/year/date, task key)."""
    import json

    if not rows:
        return {"created": 0, "updated": 0, "skipped": 0}
    with connection.cursor() as cur:
        cur.execute("""WITH r AS (SELECT * FROM jsonb_to_recordset(%(rows)s::jsonb)
                                  AS x(cpr text, art text, indkomstaar int, dannet date, resultat numeric, fil text))
                       INSERT INTO personer_skatteopgoerelse (kommune_id, person_id, art, indkomstaar, dannet, resultat, fil)
                       SELECT %(k)s, p.id, r.art, r.indkomstaar, r.dannet, r.resultat, r.fil
                       FROM r JOIN cases_person p ON p.cpr = r.cpr
                       ON CONFLICT (person_id, art, indkomstaar, dannet) DO NOTHING""",
                    {"k": kommune_id, "rows": json.dumps(rows, default=str)})
        gemt = cur.rowcount
    res = _opgaver("hent-fra-sf0785-og-sf0786", kommune_id, """
        SELECT o.kommune_id, CASE WHEN o.resultat > 0
                   THEN 'Ny årsopgørelse ' || o.indkomstaar || ': borgeren får ' || o.resultat || ' kr. i skat tilbage'
                   ELSE 'Ny årsopgørelse ' || o.indkomstaar || ' er modtaget' END AS titel,
               s.id AS sag_id, o.person_id, NULL::date AS frist, 'skat' || o.id AS noegle,
               jsonb_build_object('opgoerelse', o.id, 'resultat', o.resultat::text) AS data
        FROM personer_skatteopgoerelse o
        JOIN LATERAL (SELECT s.id FROM cases_sag s WHERE s.person_id = o.person_id AND s.kommune_id = o.kommune_id
                      AND s.status = 'aktiv' ORDER BY s.id LIMIT 1) s ON true
        WHERE o.kommune_id = %(k)s AND o.art = 'A'""", {"k": kommune_id})
    res["updated"] = gemt
    res["skipped"] += len(rows) - gemt
    return res
