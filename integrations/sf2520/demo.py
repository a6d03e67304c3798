"""seed_demo hook: betalingsadministrationsaftaler for some KTH borgere (DEMO_HOOK.md)."""

import datetime as dt
from decimal import Decimal


def seed(kommuner: list[int], rng) -> dict[str, int]:
    from cases.models import Bevilling
    from integrations.sf2520.models import Betalingsadministrationsaftale as A

    rows = (Bevilling.objects.filter(kommune_id__in=kommuner, ydelsestype="KTH", status="bevilget")
            .order_by("id").values_list("kommune_id", "person__cpr", "person_id").distinct())
    aftaler, seen = [], set()
    for kommune_id, cpr, person_id in rows.iterator(chunk_size=10000):
        if (kommune_id, cpr) in seen or rng.random() >= 0.1:  # about one in ten
            continue
        seen.add((kommune_id, cpr))
        aftaler.append(A(aftale_id=f"UDK{kommune_id:03d}{len(aftaler) + 1:010d}", kommune_id=kommune_id, cpr=cpr,
                         person_id=person_id, maanedligt_beloeb=Decimal(rng.choice([1263, 1548, 1725, 2090])),
                         gyldig_fra=dt.date(2026, 1, 1)))
    A.objects.bulk_create(aftaler, batch_size=5000, ignore_conflicts=True)
    return {"Betalingsadministrationsaftale": len(aftaler)}
