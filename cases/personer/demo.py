"""seed_demo hook: the person register's demo data (DEMO_HOOK.md), relative to today so every job of the
register does visible work on the day the demo is loaded:

- stamdata (address in the kommune, civilstand), a residence period and a CPR subscription for every person
  with a sag, bevilling or debitorkonto in the kommune (set-based SQL), and subscriptions for the
  underholdsbidrag sager's BB/BP/BPL;
- per kommune a few scenario borgere: children turning 18 (#4), newly met opholdskrav (#6), pregnancies (#10),
  flekslønstilskud near folkepension (#33), kontaktforløb (#42, #68), an expired and a restarted bevilling
  (#22), a dead person with only a closed sag (#78);
- files in the local SFTP inbox: IN/CPR_HAENDELSER_<dato>_000001.json (#7) and
  IN/SKAT_SF0786_<kommune>_<dato>_000001.txt (#2)."""

from __future__ import annotations

import datetime as dt
import json
import random

from django.db import connection
from django.utils import timezone

from cases.models import Abonnement, Bevilling, Person, Sag

from . import regler
from .models import Graviditet, Kontaktforloeb, Ophold, Relation, Stamdata

VEJE = ["Nørregade", "Vestergade", "Østergade", "Søndergade", "Algade", "Kirkevej", "Skolevej", "Møllevej",
        "Bakkevej", "Strandvejen", "Åboulevarden", "Ringvejen"]


def _cpr(d: dt.date, n: int) -> str:
    seventh = "0" if d.year < 2000 else "4"
    return f"{d:%d%m%y}{seventh}{n % 1000:03d}"


def _ny_cpr(d: dt.date, rng: random.Random, brugt: set) -> str:
    while True:
        c = _cpr(d, rng.randrange(1000))
        if c not in brugt:
            brugt.add(c)
            return c


def _bulk_register(k: int) -> dict:
    with connection.cursor() as cur:
        cur.execute("""
            WITH p AS (
                SELECT DISTINCT p.id, p.cpr FROM cases_person p
                WHERE EXISTS (SELECT 1 FROM cases_sag s WHERE s.person_id = p.id AND s.kommune_id = %(k)s)
                   OR EXISTS (SELECT 1 FROM cases_bevilling b WHERE b.person_id = p.id AND b.kommune_id = %(k)s)
                   OR EXISTS (SELECT 1 FROM debitor_debitorkonto d WHERE d.person_id = p.id AND d.kommune_id = %(k)s))
            INSERT INTO personer_stamdata (person_id, foedselsdato, vejnavn, husnr, etage, side, postnr, by, kommunekode,
                vejkode, co, adresse_fra, civilstand, civilstand_dato, statsborgerskab, status, status_dato, ny_cpr,
                digital_post_fritaget, aendret)
            SELECT p.id, personer_foedt(p.cpr), (%(veje)s::text[])[1 + p.id %% 12], (1 + p.id %% 97)::text,
                   CASE WHEN p.id %% 3 = 0 THEN (p.id %% 5)::text ELSE '' END,
                   CASE WHEN p.id %% 3 = 0 THEN (CASE WHEN p.id %% 2 = 0 THEN 'TH' ELSE 'TV' END) ELSE '' END,
                   1000 + %(k)s, k.navn, %(k)s, 100 + p.id %% 900, '', personer_foedt(p.cpr) + 18 * 365,
                   (ARRAY['U', 'G', 'F', 'U', 'G'])[1 + p.id %% 5], NULL, 'DK', 'aktiv', NULL, NULL,
                   p.id %% 50 = 0, now()
            FROM p JOIN cases_kommune k ON k.kode = %(k)s
            ON CONFLICT (person_id) DO NOTHING""", {"k": k, "veje": VEJE})
        stam = cur.rowcount
        cur.execute("""INSERT INTO personer_ophold (person_id, fra, til, land)
                       SELECT s.person_id, s.foedselsdato, NULL, 'DK' FROM personer_stamdata s
                       WHERE s.kommunekode = %(k)s AND NOT EXISTS (SELECT 1 FROM personer_ophold o
                                                                   WHERE o.person_id = s.person_id)
                       ON CONFLICT DO NOTHING""", {"k": k})
        oph = cur.rowcount
        cur.execute("""INSERT INTO cases_abonnement (kommune_id, person_id, type, oprettet)
                       SELECT %(k)s, s.person_id, 'cpr', now() FROM personer_stamdata s WHERE s.kommunekode = %(k)s
                       ON CONFLICT DO NOTHING""", {"k": k})
        abo = cur.rowcount
    return {"Stamdata": stam, "Ophold": oph, "Abonnement": abo}


def _ub_abonnementer(k: int) -> int:
    from debitor.underholdsbidrag.models import Bidragsperson, Bidragspligtig, UBSag

    from .services import abonner

    cprs = set(UBSag.objects.filter(kommune_id=k).values_list("bb_cpr", flat=True))
    cprs |= set(Bidragsperson.objects.filter(sag__kommune_id=k).values_list("cpr", flat=True))
    cprs |= set(Bidragspligtig.objects.filter(sag__kommune_id=k).values_list("cpr", flat=True))
    return abonner(k, cprs)


def _borger(k, cpr, navn, ydelse, d, rng, start_dage=400, **stam):
    person = Person.objects.create(cpr=cpr, navn=navn)
    from cases.cpr import birth_date

    Stamdata.objects.create(person=person, foedselsdato=birth_date(cpr), vejnavn=rng.choice(VEJE),
                            husnr=str(rng.randint(1, 99)), postnr=1000 + k, kommunekode=k,
                            vejkode=rng.randint(100, 999), civilstand="U", **stam)
    Abonnement.objects.create(kommune_id=k, person=person)
    sag = None
    if ydelse:
        sag = Sag.objects.create(kommune_id=k, person=person, ydelsestype=ydelse, startdato=d - dt.timedelta(days=start_dage))
    return person, sag


def _scenarier(k: int, d: dt.date, rng: random.Random, brugt: set) -> dict:
    n = {"Relation": 0, "Graviditet": 0, "Kontaktforloeb": 0}
    # #4: a child turns 18 within the last weeks; one borger still has a younger child (no task)
    for i, navn in enumerate(["Mette Lund", "Jesper Holm", "Sofie Dahl"]):
        p, _ = _borger(k, _ny_cpr(dt.date(1982, 3, 1 + i), rng, brugt), navn, "KTH", d, rng)
        Ophold.objects.create(person=p, fra=p.stamdata.foedselsdato, land="DK")
        barn = _ny_cpr(regler.years_before(d, 18) - dt.timedelta(days=3 + 5 * i), rng, brugt)
        Relation.objects.create(person=p, type="barn", cpr=barn, fra=p.stamdata.foedselsdato + dt.timedelta(days=9000))
        n["Relation"] += 1
        if i == 2:
            Relation.objects.create(person=p, type="barn", cpr=_ny_cpr(dt.date(2016, 5, 5), rng, brugt))
            n["Relation"] += 1
    # #6: residence in riget for 9 years reached 10 days ago (came from Sweden)
    for i, navn in enumerate(["Ahmed Hassan", "Olga Petrova"]):
        p, _ = _borger(k, _ny_cpr(dt.date(1985, 6, 10 + i), rng, brugt), navn, "KTH", d, rng)
        indrejst = regler.years_before(d, 9) - dt.timedelta(days=9)
        Ophold.objects.create(person=p, fra=p.stamdata.foedselsdato, til=indrejst - dt.timedelta(days=1), land="SE")
        Ophold.objects.create(person=p, fra=indrejst, land="DK")
    # #10: terminsdato exceeded by 5 weeks; a barselsperiode that ended two days ago
    for i, (termin, barsel) in enumerate([(d - dt.timedelta(weeks=5), None),
                                          (d - dt.timedelta(weeks=40), d - dt.timedelta(days=2))]):
        p, sag = _borger(k, _ny_cpr(dt.date(1994, 2, 3 + i), rng, brugt), ["Camilla Berg", "Ida Krogh"][i], "KTH", d, rng)
        Graviditet.objects.create(kommune_id=k, person=p, sag=sag, terminsdato=termin,
                                  foedt=termin if barsel else None, barsel_slut=barsel)
        n["Graviditet"] += 1
    # #33: flekslønstilskud, folkepension in about a month (pensionsloven § 1 a: 67 years for 1955-07..1962)
    for i in range(2):
        foedt = regler.add_months(d + dt.timedelta(days=20 + 15 * i), -67 * 12)
        _borger(k, _ny_cpr(foedt, rng, brugt), ["Hans Mogensen", "Bente Skov"][i], "FLEKS", d, rng)
    # #42 / #68: kontaktforløb from the jobcentre
    kf_personer = [_borger(k, _ny_cpr(dt.date(1990, 9, 1 + i), rng, brugt), f"Kontakt Borger {i + 1}", "UDH", d, rng)[0]
                   for i in range(3)]
    rows = [(p.cpr, "samtale afholdt", 25, 20) for p in kf_personer[:2]] + [(kf_personer[2].cpr, "tilbud startet", 5, 3)]
    rows += [(_ny_cpr(dt.date(1988, 11, 11 + i), rng, brugt), "ikke saghenførbar henvendelse", 50, 40) for i in range(2)]
    for cpr, h, modtaget, aktivitet in rows:
        Kontaktforloeb.objects.create(kommune_id=k, cpr=cpr, haendelse=h, modtaget=d - dt.timedelta(days=modtaget),
                                      seneste_aktivitet=d - dt.timedelta(days=aktivitet))
        n["Kontaktforloeb"] += 1
    # #22: an expired bevilget ydelse and one started again
    p, sag = _borger(k, _ny_cpr(dt.date(1979, 4, 4), rng, brugt), "Lars Vestergaard", "KTH", d, rng)
    Bevilling.objects.create(kommune_id=k, person=p, sag=sag, ydelsestype="KTH", bevilget_fra=d - dt.timedelta(days=300),
                             bevilget_til=d - dt.timedelta(days=10))
    p, sag = _borger(k, _ny_cpr(dt.date(1979, 4, 5), rng, brugt), "Pia Nørgaard", "UDH", d, rng)
    Bevilling.objects.create(kommune_id=k, person=p, sag=sag, ydelsestype="UDH", bevilget_fra=d - dt.timedelta(days=300),
                             bevilget_til=d - dt.timedelta(days=60))
    Bevilling.objects.create(kommune_id=k, person=p, sag=sag, ydelsestype="UDH", bevilget_fra=d - dt.timedelta(days=5))
    # #78: dead two months ago, only a closed sag left
    p, sag = _borger(k, _ny_cpr(dt.date(1950, 1, 2), rng, brugt), "Jørgen Iversen", "KTH", d, rng,
                     status="doed", status_dato=d - dt.timedelta(days=60))
    Sag.objects.filter(pk=sag.pk).update(status="lukket", lukket_dato=d - dt.timedelta(days=50))
    return n


def _cpr_fil(kommuner: list[int], d: dt.date, rng: random.Random, brugt: set) -> list[dict]:
    """A day's events from the beskedfordeler for demo borgere of the first kommune (one of each kind)."""
    k = kommuner[0]
    aktive = list(Sag.objects.filter(kommune_id=k, status="aktiv", ydelsestype__in=("KTH", "UDH"),
                                     person__abonnementer__kommune_id=k, bevillinger__status="bevilget")
                  .values_list("person__cpr", flat=True).distinct().order_by("person__cpr")[:6])
    from debitor.underholdsbidrag.models import UBSag

    ub = list(UBSag.objects.filter(kommune_id=k).order_by("id").values_list("bb_cpr", flat=True)[:1])
    dag = f"{d:%Y%m%d}"
    ev = []

    def add(cpr, typ, data, dage=1):
        ev.append({"haendelse_id": f"DEMO-{dag}-{len(ev) + 1:04d}", "cpr": cpr, "type": typ,
                   "dato": (d - dt.timedelta(days=dage)).isoformat(), "data": data})

    if len(aktive) >= 5:
        andre = 751 if k != 751 else 101
        add(aktive[0], "adresse", {"vejnavn": "Banegårdspladsen", "husnr": "2", "postnr": 8000, "by": "Aarhus C",
                                   "kommunekode": andre, "vejkode": 1234})
        add(aktive[1], "doed", {}, dage=10)
        add(aktive[2], "relation", {"type": "barn", "cpr": _ny_cpr(d - dt.timedelta(days=30), rng, brugt)})
        add(aktive[3], "navn", {"navn": "Maria Louise Andersen"})
        add(aktive[4], "civilstand", {"civilstand": "G"})
    for cpr in ub:
        add(cpr, "doed", {}, dage=3)
    add(_ny_cpr(dt.date(1970, 7, 7), rng, brugt), "navn", {"navn": "Ikke fulgt"})  # no subscription: skipped
    return ev


def _skat_fil(k: int, d: dt.date) -> bytes:
    from integrations.fixedwidth import encode_file

    from .formats import DETALJE, SLUT, START

    cprs = list(Person.objects.filter(sager__kommune_id=k, sager__status="aktiv", abonnementer__kommune_id=k)
                .order_by("cpr").values_list("cpr", flat=True).distinct()[:3])
    lines = [START.write({"kommunekode": k, "dato": d, "tid": "020000", "loebenummer": 1, "afsender": "SKAT"})]
    for i, cpr in enumerate(cprs):
        beloeb = [312550, -120000, 0][i % 3]
        lines.append(DETALJE.write({"kommunekode": k, "cpr": cpr, "indkomstaar": d.year - 1, "dannet": d,
                                    "fortegn": "-" if beloeb < 0 else "+", "resultat_oere": abs(beloeb)}))
    lines.append(SLUT.write({"kommunekode": k, "antal": len(cprs), "sum_oere": 0}))
    return encode_file(lines)


def seed(kommuner: list[int], rng: random.Random) -> dict[str, int]:
    from django.conf import settings

    d = timezone.localdate()
    out: dict[str, int] = {}
    brugt = set(Person.objects.values_list("cpr", flat=True))
    for k in kommuner:
        for key, v in _bulk_register(k).items():
            out[key] = out.get(key, 0) + v
        out["Abonnement"] = out.get("Abonnement", 0) + _ub_abonnementer(k)
        if Graviditet.objects.filter(kommune_id=k).exists():
            continue
        for key, v in _scenarier(k, d, rng, brugt).items():
            out[key] = out.get(key, 0) + v
    if kommuner and not settings.KY_SFTP_URL:  # files only into the local inbox, never to a real server
        from integrations import sftp

        t = sftp.transport()
        navn = f"CPR_HAENDELSER_{d:%Y%m%d}_000001.json"
        if navn not in t.listdir("IN") and navn not in t.listdir("IN/behandlet"):
            t.put(f"IN/{navn}", json.dumps(_cpr_fil(kommuner, d, rng, brugt), ensure_ascii=False, indent=1).encode())
            out["CPR-hændelsesfiler"] = 1
        for k in kommuner:
            navn = f"SKAT_SF0786_{k:03d}_{d:%Y%m%d}_000001.txt"
            if navn not in t.listdir("IN") and navn not in t.listdir("IN/behandlet"):
                t.put(f"IN/{navn}", _skat_fil(k, d))
                out["SKAT-filer"] = out.get("SKAT-filer", 0) + 1
        t.close()
    return out
