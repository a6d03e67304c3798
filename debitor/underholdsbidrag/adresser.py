"""Adresseringsgrundlaget of Underholdsbidrag – kreditor: addresses from P-data (CPR) and the
advis they give (seed 004: 372 at registration of the BB, 3.1.1.2; 632 and 605 in the
calculation, 3.2.2/4). The app registers no addresses of its own (seed 004, 3.6: "personnavne-
og adresseoplysninger registreres ikke i Underholdsbidragssystemet ... tilvejebringes maskinelt
fra P-datasystem"): the P-data integration feeds them (API PUT adresser/, command indlaes_adresser)."""

from __future__ import annotations

from django.db import connection, transaction

from cases.cpr import foedselsdato
from ky.core.api import DomainError

from .models import Adresse, Bidrag, Bidragsperson, Meddelelse, UBSag

# CPR kommunekoder of Greenland (Kujalleq 955, Sermersooq 956, Qeqqata 957, Qaasuitsup 958 until
# 2018, Qeqertalik 959, Avannaata 960, 961); CPR's myndighedskoder, see cpr.dk "Kommune opdeling i
# Grønland 2018" and Grønlands Adresseregister (kaqa.gl). Other codes ≥ 900 are no Danish kommune.
GROENLAND = range(955, 962)
DANSK = range(101, 900)

ADVIS_TEKST = {
    "372": "BB bor i udlandet eller Grønland, eller bopælskommunen er ukendt i adresseringsgrundlaget.",
    "632": "BB og BPL har samme adresse.",
    "605": "BB og BP har forskellig vejkode, og kode for anbringelse/bistand er 0.",
}
FELTER = ("kommunekode", "vejkode", "husnr", "etage", "side", "postnr", "udland")


def rens_cpr(v) -> str | None:
    """api.md: input may carry a dash (DDMMYY-SSSS), output never does."""
    if not isinstance(v, str):
        return None
    v = v.replace("-", "")
    if len(v) != 10 or not v.isdigit() or foedselsdato(v) is None:
        return None
    return v


def _valider(raw, felt: str, fejl: list[dict]) -> dict | None:
    def ugyldig(f, tekst):
        fejl.append({"felt": f"{felt}{f}" or None, "kode": "ugyldig", "tekst": tekst})

    if not isinstance(raw, dict):
        ugyldig("", "Skal være et objekt.")
        return None
    ukendte = set(raw) - set(FELTER) - {"cpr"}
    if ukendte:
        ugyldig("", f"Ukendte felter: {', '.join(sorted(ukendte))}.")
    out = {}

    def tal(navn, lo, hi):
        v = raw.get(navn)
        if v is None:
            return None
        if isinstance(v, bool) or not isinstance(v, int) or not lo <= v <= hi:
            ugyldig(f".{navn}" if felt else navn, f"Skal være et heltal {lo}–{hi} eller null.")
            return None
        return v

    def tekst(navn, maks):
        v = raw.get(navn)
        if v in (None, ""):
            return ""
        if not isinstance(v, str) or len(v.strip()) > maks:
            ugyldig(f".{navn}" if felt else navn, f"Skal være tekst på højst {maks} tegn.")
            return ""
        return v.strip().upper()

    out["kommunekode"] = tal("kommunekode", 1, 999)
    out["vejkode"] = tal("vejkode", 1, 9999)
    out["husnr"] = tekst("husnr", 4)
    out["etage"] = tekst("etage", 2)
    out["side"] = tekst("side", 4)
    out["postnr"] = tal("postnr", 1, 9999)
    udland = raw.get("udland", False)
    if not isinstance(udland, bool):
        ugyldig(".udland" if felt else "udland", "Skal være sand/falsk.")
        udland = False
    out["udland"] = udland
    if udland and (out["vejkode"] is not None or out["husnr"]):
        # an udrejst person has no Danish/Greenlandic vejadresse in CPR
        ugyldig(".vejkode" if felt else "vejkode", "Udland: vejkode og husnr. skal være tomme.")
    if out["kommunekode"] is None and out["vejkode"] is not None:
        ugyldig(".kommunekode" if felt else "kommunekode", "Vejkode kræver kommunekode (vejkoden gælder i kommunen).")
    return out


@transaction.atomic
def gem_adresser(rows: list) -> list[Adresse]:
    """Upsert of one or more addresses (the P-data feed): all valid or nothing stored."""
    if not isinstance(rows, list) or not rows:
        raise DomainError("Angiv en liste af adresser.", felt="results")
    fejl: list[dict] = []
    data: dict[str, dict] = {}
    for i, raw in enumerate(rows):
        felt = f"results[{i}]"
        cpr = rens_cpr(raw.get("cpr") if isinstance(raw, dict) else None)
        if cpr is None:
            fejl.append({"felt": f"{felt}.cpr", "kode": "ugyldig", "tekst": "Ugyldigt CPR-nummer."})
        elif cpr in data:
            fejl.append({"felt": f"{felt}.cpr", "kode": "ugyldig", "tekst": "CPR-nummeret står flere gange."})
        v = _valider(raw, felt, fejl)
        if cpr and v is not None:
            data[cpr] = v
    if fejl:
        raise DomainError.many(fejl)
    objs = [Adresse(cpr=c, **v) for c, v in data.items()]
    Adresse.objects.bulk_create(objs, batch_size=5000, update_conflicts=True, unique_fields=["cpr"],
                                update_fields=[*FELTER, "opdateret"])
    return objs


def gem_adresse(cpr: str, raw) -> Adresse:
    """PUT adresser/{cpr}/: the whole current address of one CPR."""
    c = rens_cpr(cpr)
    if c is None:
        raise DomainError("Ugyldigt CPR-nummer.", felt="cpr")
    if not isinstance(raw, dict):
        raise DomainError("Ugyldig forespørgsel.")
    if "cpr" in raw and rens_cpr(raw["cpr"]) != c:
        raise DomainError("CPR-nummeret i adressen skal være det samme som i stien.", felt="cpr")
    fejl: list[dict] = []
    v = _valider({k: val for k, val in raw.items() if k != "cpr"}, "", fejl)
    if fejl:
        raise DomainError.many(fejl)
    obj, _ = Adresse.objects.update_or_create(cpr=c, defaults=v)
    return obj


def adresse_dict(a: Adresse) -> dict:
    return {"cpr": a.cpr, **{f: getattr(a, f) for f in FELTER}, "groenland": er_groenland(a.kommunekode),
            "opdateret": a.opdateret.isoformat()}


def registerindsigt_adresse(a: Adresse | None) -> dict:
    """seed 004, 3.9.1: "For personnr., der anfordres registerindsigt for, udskrives navn og adresse ...
    Oplysningerne findes i P-data": the requested person's own current address from the
    adresseringsgrundlag, shaped as on the run's payouts (3.3.1): not fed, no bopælskommune or udland
    (we hold no foreign address) -> "ukendt adresse"; a Greenland address is the person's own and is shown."""
    if a is None or a.udland or a.kommunekode is None:
        return {"adressefelt": "ukendt adresse", "udland": bool(a and a.udland)}
    return {f: getattr(a, f) for f in FELTER if f != "udland"} | {"groenland": er_groenland(a.kommunekode)}


def er_groenland(kommunekode) -> bool:
    return kommunekode in GROENLAND


def synlig_for(user, cpr: str) -> bool:
    """A kommune-bound user reads the address of a CPR on a sag of its own kommuner only (BB, BP or
    BPL); drift (unbound) reads all."""
    from ky.core.scoping import user_kommune_codes
    codes = user_kommune_codes(user)
    if codes is None:
        return True
    return (UBSag.objects.filter(kommune_id__in=codes, bb_cpr=cpr).exists()
            or Bidragsperson.objects.filter(sag__kommune_id__in=codes, cpr=cpr).exists()
            or Bidrag.objects.filter(kommune_id__in=codes, bpl_cpr=cpr).exists())


# ------------------------------------------------------------------ advis 372 (3.1.1.2)
def advis_372(bb_cpr: str) -> dict | None:
    """seed 004, 3.1.1.2 Oprettelse: "Hvis BB bor i udlandet eller Grønland eller bopælskommune er
    ukendt i adresseringsgrundlag, udskrives Advis 372". Our reading: a CPR P-data has not been fed
    for gives no advis (the grundlag is not there to say anything); a fed address without a Danish
    bopælskommune (null, Grønland 955–961, other ≥ 900) or marked udland gives it."""
    a = Adresse.objects.filter(cpr=bb_cpr).values("kommunekode", "udland").first()
    if a is None:
        return None
    if a["udland"]:
        grund = "BB bor i udlandet"
    elif a["kommunekode"] is None:
        grund = "bopælskommunen er ukendt"
    elif er_groenland(a["kommunekode"]):
        grund = "BB bor i Grønland"
    elif a["kommunekode"] not in DANSK:
        grund = f"bopælskommunen ({a['kommunekode']}) er ikke en dansk kommune"
    else:
        return None
    return {"nr": "372", "tekst": f"{ADVIS_TEKST['372']} ({grund})."}


# ------------------------------------------------------------------ advis 632/605 (3.2.2/4)
_ADVIS_SQL = f"""
    SELECT b.id, p.id, s.id, b.bpl_cpr,
           (b.bpl_cpr <> s.bb_cpr AND abb.kommunekode = abpl.kommunekode AND abb.vejkode = abpl.vejkode
            AND abb.husnr = abpl.husnr AND abb.etage = abpl.etage AND abb.side = abpl.side) AS ens_632,
           (p.ab_kode = 0 AND p.cpr <> s.bb_cpr
            AND (abb.kommunekode, abb.vejkode) <> (abp.kommunekode, abp.vejkode)) AS forskellig_605
    FROM {Bidrag._meta.db_table} b
    JOIN {Bidragsperson._meta.db_table} p ON p.id = b.bp_id
    JOIN {UBSag._meta.db_table} s ON s.id = p.sag_id
    JOIN {Adresse._meta.db_table} abb ON abb.cpr = s.bb_cpr
         AND NOT abb.udland AND abb.kommunekode IS NOT NULL AND abb.vejkode IS NOT NULL
    LEFT JOIN {Adresse._meta.db_table} abpl ON abpl.cpr = b.bpl_cpr
         AND NOT abpl.udland AND abpl.kommunekode IS NOT NULL AND abpl.vejkode IS NOT NULL
    LEFT JOIN {Adresse._meta.db_table} abp ON abp.cpr = p.cpr
         AND NOT abp.udland AND abp.kommunekode IS NOT NULL AND abp.vejkode IS NOT NULL
    WHERE b.id = ANY(%s::bigint[])
"""


def adresse_advis(kommune_id: int, koersel, beregnede_bidrag: set[int], periode_start, meddel: list[dict]) -> None:
    """seed 004, 3.2.2/4: "Hvis BB og BPL's adresser er ens, udskrives Advisnr. 632"; "Hvis BB og
    BP's vejkode er forskellig og kode for anbringelse/bistand er lig med 0, så udskrives Advisnr.
    605". Given for the bidrag calculated in this run; one 632 per BP and BPL, one 605 per BP; a
    re-run of the same payout week writes none again. One joined query (addresses by CPR), one
    query for the week's earlier advis. Only addresses with kommunekode and vejkode compare (udland
    and unknown give neither); vejkode is compared with its kommunekode (a vejkode is per kommune)."""
    if not beregnede_bidrag:
        return
    with connection.cursor() as c:
        c.execute(_ADVIS_SQL, [sorted(beregnede_bidrag)])
        rows = c.fetchall()
    if not rows:
        return
    uge = f"udbetalingsuge {periode_start.isoformat()})"
    givet = set(Meddelelse.objects.filter(kommune_id=kommune_id, art="advis", nr__in=("632", "605"),
                                          tekst__endswith=uge).values_list("bp_id", "tekst"))
    for _, bp_id, sag_id, bpl, ens, forskellig in sorted(rows):
        kandidater = []
        if ens:
            kandidater.append(("632", f"{ADVIS_TEKST['632']} (BPL {bpl}, {uge}"))
        if forskellig:
            kandidater.append(("605", f"{ADVIS_TEKST['605']} ({uge}"))
        for nr, tekst in kandidater:
            if (bp_id, tekst) in givet:
                continue
            givet.add((bp_id, tekst))
            meddel.append({"kommune_id": kommune_id, "koersel_id": koersel.pk, "art": "advis", "nr": nr,
                           "tekst": tekst, "sag_id": sag_id, "bp_id": bp_id})


# ------------------------------------------------------------------ advis 830 (3.4.1)
ADVIS_TEKST["830"] = "BPL's bopælskommune i P-data er forskellig fra den registrerede afkrævningskommune."


def advis_830(kommune_id: int, koersel, meddel: list[dict]) -> None:
    """seed 004, 3.4.1 Behandle adresseoplysninger: "Hvis P-data er forskellig fra registreret
    afkrævningskommune (individ 250) adviseres. Advis 830. Undtagen hvis der samtidig er registreret
    diskretion for den bidragspligtige." For each BPL (per sag) claimed in this run with a
    registered afkrævningskommune; P-data's bopælskommune counts only when it is a Danish kommune
    (3.4.1: "bopælskommunenr. fra P-data excl. Grønland"; udland has none). One query; a re-run
    claims nothing and so writes none."""
    from .models import Beregning, Bidragspligtig
    with connection.cursor() as c:
        c.execute(f"""
            SELECT DISTINCT bpl.sag_id, bpl.cpr, bpl.afkraevningskommune, a.kommunekode
            FROM {Bidragspligtig._meta.db_table} bpl
            JOIN {UBSag._meta.db_table} s ON s.id = bpl.sag_id
            JOIN {Adresse._meta.db_table} a ON a.cpr = bpl.cpr
            WHERE s.kommune_id = %s AND bpl.afkraevningskommune IS NOT NULL AND NOT bpl.diskretion
              AND NOT a.udland AND a.kommunekode BETWEEN %s AND %s
              AND a.kommunekode <> bpl.afkraevningskommune
              AND EXISTS (SELECT 1 FROM {Beregning._meta.db_table} r
                          WHERE r.sag_id = bpl.sag_id AND r.bpl_cpr = bpl.cpr AND r.afkraevet_af_id = %s)
            ORDER BY bpl.sag_id, bpl.cpr""",
                  [kommune_id, DANSK.start, DANSK.stop - 1, koersel.pk])
        rows = c.fetchall()
    for sag_id, cpr, afk, bopael in rows:
        meddel.append({"kommune_id": kommune_id, "koersel_id": koersel.pk, "art": "advis", "nr": "830",
                       "sag_id": sag_id, "bp_id": None,
                       "tekst": f"{ADVIS_TEKST['830']} (BPL {cpr}: bopælskommune {bopael}, "
                                f"afkrævningskommune {afk})."})


# ------------------------------------------------------------------ address of the run's outputs (3.3.1, 3.4.1)
_UKENDT = "jsonb_build_object('adressefelt', 'ukendt adresse', 'udland', coalesce(a.udland, false))"
_KENDT = ("jsonb_build_object('kommunekode', a.kommunekode, 'vejkode', a.vejkode, 'husnr', a.husnr, "
          "'etage', a.etage, 'side', a.side, 'postnr', a.postnr)")


def adresser_til_uddata(koersel) -> None:
    """The address of each payout and claim of the run, as the adresseringsgrundlag has it now.
    Payout (seed 004, 3.3.1, 3.3.2): the BB's address; "På udbetalinger til bidragsberettigede med
    ukendt adresse skrives ukendt adresse i adressefelt. Øvrige adresseringsfelter er blanke" (not
    fed, no bopælskommune or udland: we hold no foreign address); a payout to the kommune carries
    the kommune's name instead. Claim (3.4.1): the BPL's "adresse fra P-data excl. Grønland" (a
    Greenland address gives only groenland: true). Two UPDATEs."""
    from ky.core.models import Kommune

    from .models import Afkraevning, Udbetaling
    ukendt = "a.cpr IS NULL OR a.udland OR a.kommunekode IS NULL"
    groenland = f"a.kommunekode BETWEEN {GROENLAND.start} AND {GROENLAND.stop - 1}"
    with connection.cursor() as c:
        c.execute(f"""
            UPDATE {Udbetaling._meta.db_table} u SET adresse = x.adr
            FROM (SELECT u2.id, CASE WHEN u2.modtager = 'kommune' THEN jsonb_build_object('navn', k.navn)
                                     WHEN {ukendt} THEN {_UKENDT} ELSE {_KENDT} END AS adr
                  FROM {Udbetaling._meta.db_table} u2
                  JOIN {Kommune._meta.db_table} k ON k.kode = u2.kommune_id
                  LEFT JOIN {Adresse._meta.db_table} a ON a.cpr = u2.modtager
                  WHERE u2.koersel_id = %s) x
            WHERE u.id = x.id""", [koersel.pk])
        c.execute(f"""
            UPDATE {Afkraevning._meta.db_table} f SET adresse = x.adr
            FROM (SELECT f2.id, CASE WHEN {ukendt} THEN {_UKENDT}
                                     WHEN {groenland} THEN jsonb_build_object('groenland', true)
                                     ELSE {_KENDT} END AS adr
                  FROM {Afkraevning._meta.db_table} f2
                  LEFT JOIN {Adresse._meta.db_table} a ON a.cpr = f2.bpl
                  WHERE f2.koersel_id = %s) x
            WHERE f.id = x.id""", [koersel.pk])
