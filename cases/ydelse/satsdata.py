"""The rates and rules ky ships (loaded by migration 0002; maintained afterwards by faggruppe through
/api/v1/satser/ and the admin). Every figure's source is in ``kilde`` and in docs/ydelse.md, with the date
it was read. A figure we could not verify in a public source says so in its ``kilde`` ("IKKE VERIFICERET").
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

D = dt.date
LAES = "læst 2026-12-07"

K_REFORM = ("Lov nr. 1655 af 30.12.2024 (L 13 2024/25, 'Reform af kontanthjælpssystemet, ophævelse af "
            "225-timersreglen og kontanthjælpsloftet'); STAR: 'Aktiviteter og tidslinje for implementering af nyt "
            "kontanthjælpssystem' (star.dk): får virkning 1. juli 2025; ft.dk/samling/20241/lovforslag/l13 "
            f"({LAES})")
K_LOFT_225_START = f"bm.dk 'Kontanthjælpsloft': loftet og 225-timersreglen trådte i kraft april 2016 ({LAES})"

REGLER = [
    # (noegle, vaerdi, fra, til, kilde)
    ("regelsaet", "las_foer_reform", D(2016, 4, 1), D(2025, 6, 30), K_REFORM),
    ("regelsaet", "reform_2025", D(2025, 7, 1), None, K_REFORM),
    ("kontanthjaelpsloft", "i_kraft", D(2016, 4, 1), D(2025, 6, 30), K_LOFT_225_START + "; ophævet: " + K_REFORM),
    ("225_timer", "i_kraft", D(2016, 4, 1), D(2025, 6, 30), K_LOFT_225_START + "; ophævet: " + K_REFORM),
]

K_KTH_2024 = f"detfagligehus.dk 'Kontanthjælpens størrelse', Satser 2024 (LAS § 25, stk. 2-3) ({LAES})"
K_LOFT_2024 = f"bm.dk/satser/satser-for-2024/kontanthjaelpsloft (LAS § 25 b, stk. 1-3) ({LAES})"
K_UDH_2023 = f"bm.dk/satser/satser-for-2023/uddannelseshjaelp (LAS § 23, stk. 2) ({LAES})"
K_TILLAEG_2025 = f"kalundborg.dk 'Tillæg til kontanthjælp', Satser 2025 ({LAES})"
K_225_2016 = f"sn.dk 'FAKTA: Effekten af kontanthjælpsloft og 225-timersregel' (2019): ugifte trækkes 508-1016 kr. ({LAES})"
REGULERING = Decimal("1.024")  # satsreguleringsprocent 2,4 % (IKKE VERIFICERET), used for 2025 and 2026
UV = "IKKE VERIFICERET: "


def _reg(beloeb: int | Decimal, gange: int = 1) -> Decimal:
    x = Decimal(beloeb)
    for _ in range(gange):
        x = (x * REGULERING).quantize(Decimal("1"), rounding=ROUND_HALF_UP)
    return x


# LAS § 25 (kontanthjælp) before the reform, 2024 level (verified)
KTH_2024 = {
    "over30_forsoerger": 16382,          # § 25, stk. 2, nr. 1
    "over30_ikke_forsoerger": 12326,     # § 25, stk. 2, nr. 2
    "under30_enlig_forsoerger": 15658,   # § 25, stk. 3, nr. 1
    "under30_forsoerger": 10955,         # § 25, stk. 3, nr. 2
    "under30_udeboende": 7945,           # § 25, stk. 3, nr. 6 og 8
    "under30_hjemmeboende": 3834,        # § 25, stk. 3, nr. 7 og 9
}
# LAS § 23 (uddannelseshjælp), 2023 level (verified)
UDH_2023 = {"under30_enlig_forsoerger": 13090, "under30_forsoerger": 9161, "under30_udeboende": 6545,
            "under30_hjemmeboende": 2820}
KTH_2024_FAKTOR = Decimal(16382) / Decimal(15874)  # 2023 -> 2024 of § 25, stk. 2, nr. 1 (both verified)

# LAS § 25 b (kontanthjælpsloft), 2024 level (verified). stk. 1: § 25, stk. 2-rates; stk. 2: § 25, stk. 3; stk. 3: §§ 23-24
LOFT_2024 = {
    "loft_25b1_gift_forsoerger_1": 16382, "loft_25b1_gift_forsoerger_2": 16382,
    "loft_25b1_gift_ikke_forsoerger": 12326,
    "loft_25b1_enlig_forsoerger_1": 17080, "loft_25b1_enlig_forsoerger_2": 17483,
    "loft_25b1_enlig_ikke_forsoerger": 14909,
    "loft_25b2_gift_forsoerger_1": 13987, "loft_25b2_gift_forsoerger_2": 13848,
    "loft_25b2_gift_ikke_forsoerger": 10623,
    "loft_25b2_enlig_forsoerger_1": 16742, "loft_25b2_enlig_forsoerger_2": 17146,
    "loft_25b2_enlig_ikke_forsoerger": 11414,
    "loft_25b3_gift_forsoerger_1": 13339, "loft_25b3_gift_forsoerger_2": 13159,
    "loft_25b3_gift_ikke_forsoerger": 10179,
    "loft_25b3_enlig_forsoerger_1": 15930, "loft_25b3_enlig_forsoerger_2": 16331,
    "loft_25b3_enlig_ikke_forsoerger": 10963,
}

# the reform's rates (LAS §§ 16-18 as amended by lov nr. 1655/2024), 2. half of 2025. The tillæg are verified;
# the four main rates are NOT: estimates (forhøjet sats at the old § 25, stk. 2, nr. 2 level) to be confirmed
REFORM_2025_UV = {"forhoejet_sats": 12622, "grundsats": 7086, "mindstesats": 6715, "hjemmeboende": 3926}
REFORM_TILLAEG_2025 = {"tillaeg_boern": 2784, "tillaeg_enlig_forsoerger": 1638, "tillaeg_enlig_ikke_forsoerger": 1092}

# rule parameters (ydelsestype PARAM) without a verified public figure in ky's sources
FRIBELOEB_UV = Decimal("1005.60")  # 33,52 kr./time x 30 timer/måned: rate and hours both unverified (docs/ydelse.md)
NEDS_225_UGIFT = {"nedsaettelse_225_ugift_under30": 508, "nedsaettelse_225_ugift_over30": 1016}


def satser() -> list[tuple]:
    """(ydelsestype, kategori, gyldig_fra, gyldig_til, beloeb, kilde) for 2024 to the open end."""
    rows = []
    h1_25, h2_25 = (D(2025, 1, 1), D(2025, 6, 30)), (D(2025, 7, 1), D(2025, 12, 31))
    for kat, b in KTH_2024.items():
        rows.append(("KTH", kat, D(2024, 1, 1), D(2024, 12, 31), Decimal(b), K_KTH_2024))
        rows.append(("KTH", kat, *h1_25, _reg(b), UV + "2024-satsen x 1,024 (satsregulering 2025 ikke verificeret); "
                     + K_KTH_2024))
    for kat, b in UDH_2023.items():
        b24 = (Decimal(b) * KTH_2024_FAKTOR).quantize(Decimal("1"), rounding=ROUND_HALF_UP)
        rows.append(("UDH", kat, D(2023, 1, 1), D(2023, 12, 31), Decimal(b), K_UDH_2023))
        rows.append(("UDH", kat, *h1_25, _reg(b24), UV + "2023-satsen reguleret som § 25, stk. 2, nr. 1 (2024) "
                     "og x 1,024 (2025); " + K_UDH_2023))
    for kat, b in LOFT_2024.items():
        rows.append(("PARAM", kat, D(2024, 1, 1), D(2024, 12, 31), Decimal(b), K_LOFT_2024))
        rows.append(("PARAM", kat, *h1_25, _reg(b), UV + "2024-loftet x 1,024; " + K_LOFT_2024))
    for kat, b in NEDS_225_UGIFT.items():
        rows.append(("PARAM", kat, D(2024, 1, 1), D(2025, 6, 30), Decimal(b),
                     UV + "2016-niveau, ikke reguleret; " + K_225_2016))
    rows.append(("PARAM", "fribeloeb_arbejdsindtaegt", D(2024, 1, 1), None, FRIBELOEB_UV,
                 UV + "LAS § 30, stk. 2 fribeløb pr. arbejdstime; ky har ikke timetal og antager 30 timer/måned"))
    for kat, b in REFORM_2025_UV.items():
        rows.append(("KTH", kat, *h2_25, Decimal(b), UV + "skøn for 2. halvår 2025; " + K_REFORM))
        rows.append(("KTH", kat, D(2026, 1, 1), None, _reg(b), UV + "skøn 2025 x 1,024; " + K_REFORM))
    for kat, b in REFORM_TILLAEG_2025.items():
        rows.append(("KTH", kat, *h2_25, Decimal(b), K_TILLAEG_2025))
        rows.append(("KTH", kat, D(2026, 1, 1), None, _reg(b), UV + "2025-satsen x 1,024; " + K_TILLAEG_2025))
    return rows
