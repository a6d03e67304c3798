"""Demo data for debitor (DEMO_HOOK.md): a KMD Aktiv file waiting in each kommune's inbox, which the job
kmd-aktiv-import imports when run for the kommune without an upload (issue 21)."""

from cases.models import Sag
from debitor.kmd_aktiv import HEADER
from debitor.services import indbakke


def seed(kommuner, rng):
    n = 0
    for kommune in kommuner:
        cprs = list(Sag.objects.filter(kommune_id=kommune).order_by("pk").values_list("person__cpr", flat=True)
                    .distinct()[:20])
        if not cprs:
            continue
        lines = [";".join(HEADER)]
        for i, cpr in enumerate(cprs):
            hovedstol = rng.randint(500, 20000)
            rest = rng.randint(0, hovedstol)
            lines.append(f"{kommune};DEMO-{kommune}-{i:03d};{cpr};;KTH;DEMO-F-{kommune}-{i:03d};TILBAGEBETALING;"
                         f"{hovedstol},00;{rest},00;2026-10-01;2026-10-31;2026-11-15")
        folder = indbakke(kommune)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "demo-kmd-aktiv.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
        n += len(cprs)
    return {"kmd_aktiv_indbakke_linjer": n}
