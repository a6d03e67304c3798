"""Deterministic synthetic demo data for the core (commands.md: seed_demo).

Everything comes from one ``random.Random(seed)``: the same seed on an empty
database gives the same borgere (CPR, navn), sager, bevillinger, debitorkonti,
fordringer, opgavepakker, fordelingsnøgler and opgaver. Rows are generated in
Python chunk by chunk and loaded with PostgreSQL ``COPY`` (psycopg 3
``cursor.copy()``), so ``--borgere 1000000`` takes minutes, not hours.

Ids are allocated in blocks from each table's own sequence (``setval`` after
loading), so foreign keys can be written in the same COPY stream. Run it with
no other writer on the same tables (it is a demo loader, not a service).
"""

from __future__ import annotations

import datetime as dt
import json
import random
from decimal import Decimal
from collections.abc import Callable, Iterable

from django.db import connection, models

from cases.models import (
    Bevilling, BevillingStatus, Fordelingsnoegle, Kommune, Opgave, OpgaveStatus, Person, Sag,
    SagStatus, User,
)
from debitor.models import Debitorkonto, Fordring, Fordringstype, Kilde
from ky.core.roles import Role

CHUNK = 50_000

FORNAVNE = [
    "Anne", "Kirsten", "Mette", "Hanne", "Anna", "Helle", "Susanne", "Lene", "Maria", "Marianne", "Lone", "Camilla",
    "Pia", "Louise", "Inge", "Charlotte", "Bente", "Tina", "Karen", "Julie", "Ida", "Emma", "Sofie", "Freja", "Laura",
    "Peter", "Michael", "Lars", "Jens", "Henrik", "Thomas", "Søren", "Jan", "Christian", "Martin", "Niels", "Anders",
    "Morten", "Jesper", "Mads", "Rasmus", "Per", "Hans", "Ole", "Jørgen", "Kasper", "Mikkel", "Frederik", "William",
    "Noah", "Oscar", "Lucas", "Emil", "Victor", "Magnus", "Aksel", "Asger", "Bjørn", "Åse", "Ørjan", "Dorthe",
]
MELLEMNAVNE = ["", "", "", "Marie", "Louise", "Holm", "Bach", "Dahl", "Lund", "Juul", "Krogh", "Skov", "Møller"]
EFTERNAVNE = [
    "Nielsen", "Jensen", "Hansen", "Pedersen", "Andersen", "Christensen", "Larsen", "Sørensen", "Rasmussen",
    "Jørgensen", "Petersen", "Madsen", "Kristensen", "Olsen", "Thomsen", "Christiansen", "Poulsen", "Johansen",
    "Møller", "Mortensen", "Knudsen", "Jakobsen", "Mikkelsen", "Frederiksen", "Laursen", "Henriksen", "Lund",
    "Schmidt", "Eriksen", "Holm", "Kristiansen", "Clausen", "Simonsen", "Svendsen", "Andreasen", "Iversen",
    "Østergaard", "Jeppesen", "Vestergaard", "Nissen", "Lauridsen", "Kjær", "Jespersen", "Mogensen", "Nørgaard",
]

# (ydelsestype, weight, KLE-nummer, monthly amount range in kroner or None)
YDELSER = [
    ("KTH", 30, "32.18.02", (6000, 16000)),
    ("UDH", 15, "32.18.04", (3500, 11000)),
    ("HTF", 10, "32.18.10", (6000, 12000)),
    ("SAES", 10, "32.24.00", (500, 5000)),
    ("BOS", 15, "27.24.00", (500, 4000)),
    ("FLEKS", 8, "15.24.00", (2000, 9000)),
    ("APOE", 7, "32.36.00", None),
    ("MANUEL", 5, "32.00.00", None),
]
YDELSE_CODES = [y[0] for y in YDELSER]
YDELSE_WEIGHTS = [y[1] for y in YDELSER]
YDELSE_INFO = {y[0]: y for y in YDELSER}

# kode, navn, fordelingsnøgle (opgavetype, foedselsdag_fra, foedselsdag_til, prioritet)
PAKKER = [
    ("OPF1", "Opfølgning, fødselsdage 1.-15.", ("opfoelgning", 1, 15, 10)),
    ("OPF2", "Opfølgning, fødselsdage 16.-31.", ("opfoelgning", 16, 31, 20)),
    ("REVURDERING", "Revurdering af bevillinger", ("revurdering", None, None, 30)),
    ("DIVERSE", "Øvrige opgaver", ("", None, None, 1000)),
]
OPGAVE_TITLER = {
    "opfoelgning": ["Opfølgning på sagen", "Ring til borger", "Indhent lægeerklæring", "Vurder rådighed"],
    "revurdering": ["Revurder bevilling", "Bevillingen udløber snart"],
}


# --- CPR ----------------------------------------------------------------------------------------

def random_cpr(rng: random.Random) -> str:
    """A CPR with a real birth date and a 7th digit that gives that date's century
    (api.md; the rule python-stdnum checks): 1900-1999 → 0-3, 2000-2036 → 4 or 9,
    2000-2057 → 5-8. Modulus 11 is not used (numbers since 2007 need not satisfy it)."""
    year = rng.randint(1945, 2007)
    day = dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(365 + (year % 4 == 0)))
    if year < 2000:
        seventh = rng.choice("0123")
    else:
        seventh = rng.choice("4956785")
    return f"{day:%d%m%y}{seventh}{rng.randrange(1000):03d}"


def random_navn(rng: random.Random) -> str:
    mellem = rng.choice(MELLEMNAVNE)
    parts = [rng.choice(FORNAVNE)] + ([mellem] if mellem else []) + [rng.choice(EFTERNAVNE)]
    return " ".join(parts)


# --- COPY helpers ------------------------------------------------------------------------------------

def _text(value) -> str:
    if value is None:
        return r"\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, (dict, list)):
        value = json.dumps(value, ensure_ascii=False)
    s = str(value)
    if "\\" in s or "\t" in s or "\n" in s or "\r" in s:
        s = s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return s


class Copier:
    """Rows of one model as COPY text. Columns the caller does not give get the
    field's default, so a column added to the model later does not break the load."""

    def __init__(self, model, given: list[str], now: dt.datetime):
        self.model = model
        self.table = model._meta.db_table
        fields = [f for f in model._meta.concrete_fields]
        by_attname = {f.attname: f for f in fields}
        unknown = [g for g in given if g not in by_attname]
        if unknown:
            raise ValueError(f"{model.__name__}: unknown columns {unknown}")
        self.columns = list(given)
        extra = []
        for f in fields:
            if f.attname in given:
                continue
            if isinstance(f, (models.DateTimeField,)) and (getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)):
                extra.append((f.column, _text(now.isoformat())))
            elif f.has_default():
                extra.append((f.column, _text(f.get_default())))
            elif f.null:
                extra.append((f.column, r"\N"))
            elif getattr(f, "db_default", models.NOT_PROVIDED) is not models.NOT_PROVIDED:
                continue  # the database fills it
            else:
                extra.append((f.column, _text(f.get_default())))
        self.db_columns = [by_attname[g].column for g in given] + [c for c, _ in extra]
        self.suffix = "".join("\t" + v for _, v in extra) + "\n"
        self.lines: list[str] = []
        self.total = 0

    def add(self, *values) -> None:
        self.lines.append("\t".join(map(_text, values)) + self.suffix)

    def flush(self, cursor) -> None:
        if not self.lines:
            return
        sql = f'COPY "{self.table}" ({", ".join(chr(34) + c + chr(34) for c in self.db_columns)}) FROM STDIN'
        with cursor.copy(sql) as copy:
            buf: list[str] = []
            size = 0
            for line in self.lines:
                buf.append(line)
                size += len(line)
                if size > 1 << 20:
                    copy.write("".join(buf).encode())
                    buf, size = [], 0
            if buf:
                copy.write("".join(buf).encode())
        self.total += len(self.lines)
        self.lines = []


class IdBlock:
    """Ids for one table handed out locally and claimed from its sequence at the end."""

    def __init__(self, cursor, model):
        self.table = model._meta.db_table
        cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [self.table])
        self.seq = cursor.fetchone()[0]
        cursor.execute(f'SELECT GREATEST((SELECT COALESCE(MAX(id), 0) FROM "{self.table}"), '
                       f"(SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END FROM {self.seq}))")
        self.last = cursor.fetchone()[0]

    def next(self) -> int:
        self.last += 1
        return self.last

    def claim(self, cursor) -> None:
        if self.last > 0:
            cursor.execute("SELECT setval(%s, %s, true)", [self.seq, self.last])


# --- the builder -------------------------------------------------------------------------------------

def _users(kommuner: list[int]) -> dict[int, list[int]]:
    """Three demo sagsbehandlere per kommune (no password: the people the sager are assigned to)."""
    out = {}
    for kode in kommuner:
        ids = []
        for i, (fornavn, efternavn) in enumerate([("Birgitte", "Berg"), ("Claus", "Dam"), ("Eva", "Friis")], start=1):
            user, created = User.objects.get_or_create(
                username=f"sb{kode}-{i}",
                defaults={"role": Role.SAGSBEHANDLER, "first_name": fornavn, "last_name": efternavn},
            )
            if created:
                user.set_unusable_password()
                user.save(update_fields=["password"])
            user.kommuner.add(kode)
            ids.append(user.pk)
        out[kode] = ids
    return out


def _pakker(kommuner: list[int]) -> dict[tuple[int, str], int]:
    from cases.services import opgavepakke

    out = {}
    for kode in kommuner:
        for pk_kode, navn, (opgavetype, fra, til, prio) in PAKKER:
            pakke = opgavepakke(kode, pk_kode, navn)
            Fordelingsnoegle.objects.get_or_create(
                kommune_id=kode, opgavepakke=pakke, prioritet=prio,
                defaults={"opgavetype": opgavetype, "foedselsdag_fra": fra, "foedselsdag_til": til},
            )
            out[(kode, pk_kode)] = pakke.pk
    return out


def _route(kommune: int, opgavetype: str, foedselsdag: int, pakker) -> int:
    """The package a task lands in, by the fordelingsnøgler made above (lowest prioritet wins)."""
    for pk_kode, _navn, (ot, fra, til, _prio) in PAKKER:
        if ot and ot != opgavetype:
            continue
        if fra is not None and not (fra <= foedselsdag <= til):
            continue
        return pakker[(kommune, pk_kode)]
    return pakker[(kommune, "DIVERSE")]


def build(kommuner: list[int], borgere: int, rng: random.Random,
          progress: Callable[[int, int], None] | None = None, today: dt.date = dt.date(2026, 4, 1)) -> dict[str, int]:
    """Load the core demo data; returns counts per model. Call inside a transaction."""
    known = set(Kommune.objects.filter(kode__in=kommuner).values_list("kode", flat=True))
    missing = [k for k in kommuner if k not in known]
    if missing:
        raise ValueError(f"Ukendt kommunekode: {', '.join(map(str, missing))}")
    users = _users(kommuner)
    pakker = _pakker(kommuner)
    counts = {"Kommune": len(kommuner), "User": sum(len(v) for v in users.values()),
              "Opgavepakke": len(pakker), "Fordelingsnoegle": len(pakker)}

    with connection.cursor() as wrapper:
        cur = wrapper.cursor  # psycopg 3 cursor
        cur.execute("SELECT now()")
        now = cur.fetchone()[0]
        existing = set()
        if Person.objects.exists():
            existing = set(Person.objects.values_list("cpr", flat=True).iterator(chunk_size=100_000))
        ids = {m: IdBlock(cur, m) for m in (Person, Sag, Bevilling, Debitorkonto, Fordring, Opgave)}

        person_c = Copier(Person, ["id", "cpr", "navn"], now)
        sag_c = Copier(Sag, ["id", "kommune_id", "person_id", "ydelsestype", "status", "startdato", "lukket_dato",
                             "kle_nummer", "team", "sagsbehandler_id"], now)
        bev_c = Copier(Bevilling, ["id", "kommune_id", "person_id", "sag_id", "ydelsestype", "kmd_aktiv_bevillingsnr",
                                   "bevilget_fra", "bevilget_til", "maanedligt_beloeb", "status"], now)
        deb_c = Copier(Debitorkonto, ["id", "kommune_id", "kontonr", "person_id", "sag_id", "bevilling_id", "kilde",
                                      "kmd_aktiv_bevillingsnr", "ydelsestype"], now)
        ford_c = Copier(Fordring, ["id", "kommune_id", "debitorkonto_id", "fordring_id", "fordringstype", "hovedstol",
                                   "restgaeld", "periode_fra", "periode_til", "stiftelsesdato"], now)
        opg_c = Copier(Opgave, ["id", "kommune_id", "opgavepakke_id", "type", "titel", "status", "sag_id",
                                "person_id", "frist", "afsluttet", "data"], now)
        copiers = [person_c, sag_c, bev_c, deb_c, ford_c, opg_c]

        done = 0
        while done < borgere:
            n = min(CHUNK, borgere - done)
            for _ in range(n):
                _one_borger(rng, kommuner, users, pakker, existing, ids, person_c, sag_c, bev_c, deb_c, ford_c,
                            opg_c, today, now)
            for c in copiers:
                c.flush(cur)
            done += n
            if progress:
                progress(done, borgere)
        for block in ids.values():
            block.claim(cur)

    counts.update({"Person": person_c.total, "Sag": sag_c.total, "Bevilling": bev_c.total,
                   "Debitorkonto": deb_c.total, "Fordring": ford_c.total, "Opgave": opg_c.total})
    return counts


def _one_borger(rng, kommuner, users, pakker, existing, ids, person_c, sag_c, bev_c, deb_c, ford_c, opg_c,
                today, now):
    cpr = random_cpr(rng)
    while cpr in existing:
        cpr = random_cpr(rng)
    existing.add(cpr)
    person_id = ids[Person].next()
    person_c.add(person_id, cpr, random_navn(rng))
    kommune = rng.choice(kommuner)
    foedselsdag = int(cpr[:2])

    # sager: most borgere have one, some two, some none (only a migrated bevilling or a debt)
    r = rng.random()
    n_sager = 0 if r < 0.08 else (2 if r > 0.85 else 1)
    sager = []
    for _ in range(n_sager):
        ydelse = rng.choices(YDELSE_CODES, YDELSE_WEIGHTS)[0]
        start = today - dt.timedelta(days=rng.randrange(30, 3000))
        lukket = rng.random() < 0.15
        lukket_dato = start + dt.timedelta(days=rng.randrange(30, 400)) if lukket else None
        if lukket_dato and lukket_dato > today:
            lukket_dato = today
        sag_id = ids[Sag].next()
        sag_c.add(sag_id, kommune, person_id, ydelse, SagStatus.LUKKET if lukket else SagStatus.AKTIV, start,
                  lukket_dato, YDELSE_INFO[ydelse][2], rng.choice(["", "Team Nord", "Team Syd", "Team Vest"]),
                  rng.choice(users[kommune]))
        sager.append((sag_id, ydelse, start, lukket_dato))

    # bevillinger: one per sag (MANUEL has none); KMD Aktiv number on most
    bevillinger = []
    for sag_id, ydelse, start, lukket_dato in sager:
        if ydelse == "MANUEL":
            continue
        bevillinger.append(_bevilling(rng, ids, bev_c, kommune, person_id, sag_id, ydelse, start, lukket_dato,
                                      rng.random() < 0.7))
    # migrated from KMD Aktiv, not yet in a KY sag (api.md)
    if not sager or rng.random() < 0.05:
        ydelse = rng.choice(["KTH", "UDH", "HTF", "BOS", "FLEKS", "SAES"])
        start = today - dt.timedelta(days=rng.randrange(60, 2500))
        bevillinger.append(_bevilling(rng, ids, bev_c, kommune, person_id, None, ydelse, start, None, True))

    # debitorkonti with fordringer (about one borger in six)
    if rng.random() < 0.16:
        kind = rng.random()
        sag_id = bev_id = nr = None
        ydelse = rng.choice(YDELSE_CODES)
        if kind < 0.5 and bevillinger:
            bev_id, sag_id, ydelse, nr = rng.choice(bevillinger)
        elif kind < 0.75 and bevillinger:  # delivered with a bevillingsnr. but not attached yet (MI 32)
            _b, _s, ydelse, nr = rng.choice(bevillinger)
        deb_id = ids[Debitorkonto].next()
        deb_c.add(deb_id, kommune, f"{kommune}{deb_id:09d}", person_id, sag_id, bev_id, Kilde.KMD_AKTIV, nr, ydelse)
        for _ in range(rng.choice((1, 1, 2, 3))):
            ford_id = ids[Fordring].next()
            fra = dt.date(rng.randint(2019, 2025), rng.randint(1, 12), 1)
            til = (fra + dt.timedelta(days=rng.choice((30, 90, 180)))).replace(day=1) - dt.timedelta(days=1)
            if til < fra:
                til = fra
            hovedstol = Decimal(rng.randrange(20000, 4000000)) / 100
            restgaeld = (hovedstol * Decimal(rng.choice((100, 100, 75, 50, 10, 0))) / 100).quantize(Decimal("0.01"))
            ford_c.add(ford_id, kommune, deb_id, f"F{kommune}-{ford_id:09d}",
                       rng.choice([Fordringstype.TILBAGEBETALING, Fordringstype.TILBAGEBETALING,
                                   Fordringstype.FORSKUD, Fordringstype.SANKTION]),
                       hovedstol, restgaeld, fra, til, til + dt.timedelta(days=rng.randrange(5, 60)))

    # opgaver on active sager, routed by the fordelingsnøgler
    for sag_id, _ydelse, _start, lukket_dato in sager:
        if lukket_dato is None and rng.random() < 0.12:
            opgavetype = "revurdering" if rng.random() < 0.2 else "opfoelgning"
            status = rng.choices([OpgaveStatus.AABEN, OpgaveStatus.UDFOERT, OpgaveStatus.ANNULLERET], [7, 2, 1])[0]
            opg_c.add(ids[Opgave].next(), kommune, _route(kommune, opgavetype, foedselsdag, pakker), opgavetype,
                      rng.choice(OPGAVE_TITLER[opgavetype]), status, sag_id, person_id,
                      today + dt.timedelta(days=rng.randrange(-20, 60)),
                      now if status != OpgaveStatus.AABEN else None, {})


def _bevilling(rng, ids, bev_c, kommune, person_id, sag_id, ydelse, start, slut, med_nummer):
    bev_id = ids[Bevilling].next()
    nr = str(40_000_000 + bev_id) if med_nummer else None
    amount_range = YDELSE_INFO[ydelse][3]
    beloeb = Decimal(rng.randrange(amount_range[0] * 100, amount_range[1] * 100)) / 100 if amount_range else None
    status = BevillingStatus.OPHOERT if slut else rng.choices(
        [BevillingStatus.BEVILGET, BevillingStatus.AFSLAG, BevillingStatus.HENLAGT], [90, 7, 3])[0]
    bev_c.add(bev_id, kommune, person_id, sag_id, ydelse, nr, start, slut, beloeb, status)
    return bev_id, sag_id, ydelse, nr


def app_hooks(kommuner: list[int], seed: int, skip: Iterable[str] = ("cases",)) -> dict[str, int]:
    """DEMO_HOOK.md: ``<app>.demo.seed(kommuner, rng)`` for every installed app that has one."""
    import importlib

    from django.apps import apps

    counts: dict[str, int] = {}
    for config in apps.get_app_configs():
        if config.name in skip:
            continue
        try:
            module = importlib.import_module(f"{config.name}.demo")
        except ModuleNotFoundError as exc:
            if exc.name == f"{config.name}.demo":
                continue  # this app has no demo data
            raise
        seed_fn = getattr(module, "seed", None)
        if seed_fn is None:
            continue
        result = seed_fn(list(kommuner), random.Random(f"{seed}:{config.name}")) or {}
        for key, value in result.items():
            counts[key] = counts.get(key, 0) + int(value)
    return counts
