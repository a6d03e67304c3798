"""seed_demo hook (DEMO_HOOK.md): the demo kommuner's letterheads and a few ordered reports, so the
document jobs have work on demo data (docs/breve.md)."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from cases.breve.models import Brevhoved, Rapport
from cases.models import Bevilling

# the kommuner's real postal addresses (their websites)
BREVHOVEDER = {
    101: dict(afsender="Københavns Kommune", adresse="Rådhuspladsen 1", postnr="1599", by="København V",
              telefon="33 66 33 66", email="borgerservice@kk.dk", cvr="64942212"),
    751: dict(afsender="Aarhus Kommune", adresse="Rådhuspladsen 2", postnr="8000", by="Aarhus C",
              telefon="89 40 20 00", email="borgerservice@aarhus.dk", cvr="55133018"),
}


def _bevillinger_til_breve(k: int, today: dt.date) -> dict[str, int]:
    """Give the letter jobs work on demo data (the core's demo bevillinger are open-ended and older
    than 30 days): 8 active bevillinger end within the next 6 months (varsel, nr. 8), 4 were granted
    in the last weeks (oplysningspligt, nr. 9), and 3 get a sanktion from next month (partshøring, nr. 8).
    Deterministic: the lowest ids of active KTH/UDH/HTF bevillinger on a sag."""
    from django.apps import apps
    from django.db import connection

    ids = list(Bevilling.objects.filter(kommune_id=k, status="bevilget", bevilget_til__isnull=True,
                                        sag__isnull=False, ydelsestype__in=["KTH", "UDH", "HTF"],
                                        maanedligt_beloeb__isnull=False)
               .order_by("id").values_list("id", flat=True)[:15])
    with connection.cursor() as cur:
        for i, b in enumerate(ids[:8]):
            cur.execute("UPDATE cases_bevilling SET bevilget_til = %s WHERE id = %s",
                        [today + dt.timedelta(days=20 + 21 * i), b])
        for i, b in enumerate(ids[8:12]):
            cur.execute("UPDATE cases_bevilling SET bevilget_fra = %s WHERE id = %s",
                        [today - dt.timedelta(days=3 + 5 * i), b])
    n = 0
    try:
        Sanktion = apps.get_model("ydelse", "Sanktion")
    except LookupError:
        Sanktion = None
    if Sanktion is not None:
        fra = (today.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
        til = (fra + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
        for b in Bevilling.objects.filter(pk__in=ids[12:15]):
            Sanktion.objects.create(bevilling=b, kommune_id=k, art="sanktion", fra=fra, til=til,
                                    beloeb=Decimal("1000.00"),
                                    begrundelse="Du udeblev uden rimelig grund fra samtalen i jobcentret den "
                                                f"{today - dt.timedelta(days=10):%d.%m.%Y}.")
            n += 1
    return {"Bevilling (varsel/oplysning)": len(ids[:12]), "Sanktion": n}


def seed(kommuner: list[int], rng: random.Random) -> dict[str, int]:
    out = {"Brevhoved": 0, "Rapport": 0}
    for k in kommuner:
        felter = BREVHOVEDER.get(k)
        if felter and not Brevhoved.objects.filter(kommune_id=k).exists():
            Brevhoved.objects.create(kommune_id=k, **felter)
            out["Brevhoved"] += 1
        if not Rapport.objects.filter(kommune_id=k).exists():
            Rapport.objects.bulk_create([
                Rapport(kommune_id=k, type="sagsbelastning"),
                Rapport(kommune_id=k, type="udbetalinger-pr-maaned"),
                Rapport(kommune_id=k, type="opgaver-overskredet"),
            ])
            out["Rapport"] += 3
        for key, n in _bevillinger_til_breve(k, dt.date.today()).items():
            out[key] = out.get(key, 0) + n
    return out
