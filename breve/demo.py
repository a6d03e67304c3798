"""seed_demo hook (DEMO_HOOK.md): the demo kommuner's letterheads and a few ordered reports, so the
document jobs have work on demo data (docs/breve.md)."""

from __future__ import annotations

import random

from breve.models import Brevhoved, Rapport

# the kommuner's real postal addresses (their websites)
BREVHOVEDER = {
    101: dict(afsender="Københavns Kommune", adresse="Rådhuspladsen 1", postnr="1599", by="København V",
              telefon="33 66 33 66", email="borgerservice@kk.dk", cvr="64942212"),
    751: dict(afsender="Aarhus Kommune", adresse="Rådhuspladsen 2", postnr="8000", by="Aarhus C",
              telefon="89 40 20 00", email="borgerservice@aarhus.dk", cvr="55133018"),
}


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
    return out
