"""seed_demo hook (DEMO_HOOK.md): borgere whose ydelse is computed by the rules, with the facts, income,
sanktioner and særlig støtte the jobs of issue 13 act on today (2026-12-07):

- a borger turning 30 on 15 January 2027 (borgers-alder: task in December, the sats changes mid-January);
- income for November/December 2026 and boligstøtte (indtægtsfradrag, loft);
- a skærpet sanktion in force the last month (skaerpetsanktion-opfoelgning) and a sanktion in January;
- særlig støtte (§ 34) granted (dan-saes-anvisninger) and a loftsindplacering from June 2025, the last month
  kontanthjælpsloftet was in force, so the coming month's indplacering changes (dan-loftsinformation,
  khl-send-afgoerelsesbrev);
- a former uddannelseshjælp recipient, computed as kontanthjælp since the reform of 1 July 2025.
Flekslønstilskud bevillinger (start-indtaegtregistrering) come from the core demo data."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

D = dt.date

BORGERE = [
    # (cpr day+month+year, navn, ydelsestype)
    ("150197", "Jonas Vestergaard", "KTH"),   # fylder 30 den 15-01-2027
    ("050580", "Mette Lauridsen", "KTH"),     # indtægt og boligstøtte
    ("030385", "Kasper Nørgaard", "KTH"),     # skærpet sanktion
    ("080878", "Hanne Østergaard", "KTH"),    # særlig støtte, loft i juni 2025
    ("020202", "Freja Holm", "UDH"),          # tidligere uddannelseshjælp
]


def _cpr(ddmmyy: str, kommune: int, i: int) -> str:
    yy = int(ddmmyy[4:])
    seventh = "4" if yy <= 36 else "1"  # cases/cpr.py's century rule: 2000s for 4 with yy <= 36, 1900s for 1
    return f"{ddmmyy}{seventh}{(kommune + i) % 1000:03d}"


def seed(kommuner: list[int], rng) -> dict[str, int]:
    from cases.models import Bevilling, Person, Sag
    from cases.ydelse.models import Indtaegt, Loftsindplacering, Loftsinformation, SaerligStoette, Sanktion

    counts = {"ydelse_personer": 0, "Sag": 0, "Bevilling": 0, "Indtaegt": 0, "Sanktion": 0, "SaerligStoette": 0, "Loftsindplacering": 0}
    for kommune in kommuner:
        bev = {}
        for i, (ddmmyy, navn, yt) in enumerate(BORGERE):
            person, ny = Person.objects.get_or_create(cpr=_cpr(ddmmyy, kommune, i), defaults={"navn": navn})
            counts["ydelse_personer"] += int(ny)  # on top of --borgere: they need these exact birth dates
            sag = Sag.objects.create(kommune_id=kommune, person=person, ydelsestype=yt, startdato=D(2025, 1, 1),
                                     kle_nummer="32.18.02", team="Ydelse")
            bev[i] = Bevilling.objects.create(kommune_id=kommune, person=person, sag=sag, ydelsestype=yt,
                                              bevilget_fra=D(2025, 1, 1), maanedligt_beloeb=None)
            counts["Sag"] += 1
            counts["Bevilling"] += 1
        p1 = bev[1].person
        ind = [Indtaegt(kommune_id=kommune, person=p1, maaned=D(2026, 11, 1), art="anden", beloeb=Decimal("500.00"),
                        kilde="demo: underholdsbidrag"),
               Indtaegt(kommune_id=kommune, person=p1, maaned=D(2026, 12, 1), art="loen",
                        beloeb=Decimal(rng.choice([3200, 4000, 4750])), kilde="demo: eIndkomst"),
               Indtaegt(kommune_id=kommune, person=p1, maaned=D(2026, 12, 1), art="boligstoette",
                        beloeb=Decimal("1800.00"), kilde="demo: UDK boligstøtte")]
        Indtaegt.objects.bulk_create(ind)
        Sanktion.objects.bulk_create([
            Sanktion(bevilling=bev[2], kommune_id=kommune, art="skaerpet", fra=D(2026, 11, 25), til=D(2026, 12, 24),
                     begrundelse="Udeblevet fra tilbud uden rimelig grund (demo)."),
            Sanktion(bevilling=bev[2], kommune_id=kommune, art="sanktion", fra=D(2027, 1, 5), til=D(2027, 1, 7),
                     begrundelse="Udeblevet fra jobsamtale (demo)."),
        ])
        SaerligStoette.objects.create(bevilling=bev[3], kommune_id=kommune, fra=D(2025, 1, 1), beloeb=Decimal("2500.00"))
        juni = Loftsindplacering.objects.create(bevilling=bev[3], kommune_id=kommune, person=bev[3].person, maaned=D(2025, 6, 1),
                                         kategori="loft_25b1_enlig_ikke_forsoerger", loft=Decimal("15267.00"),
                                         forventet_hjaelpsbeloeb=Decimal("12622.00"),
                                         saerlig_stoette=Decimal("2500.00"), aendret=False)
        Loftsinformation.objects.create(loftsindplacering=juni, kommune_id=kommune, dannet_dato=D(2025, 5, 20),
                                        sendt=dt.datetime(2025, 5, 20, 22, 0, tzinfo=dt.UTC))
        counts["Indtaegt"] += len(ind)
        counts["Sanktion"] += 2
        counts["SaerligStoette"] += 1
        counts["Loftsindplacering"] += 1
    return counts
