"""SF2520 and SF2530 record layouts, declared once (formats/sf2520.md, formats/sf2530.md)."""

from integrations.fixedwidth import Felt, Layout

START = Layout("start", [
    Felt("posttype", 1, 2, "const", "00"),
    Felt("kommunekode", 3, 3, "num"),
    Felt("dato", 6, 8, "date"),
    Felt("tid", 14, 6, "digits"),
    Felt("loebenummer", 20, 6, "num"),
    Felt("afsender", 26, 10, "text"),
    Felt("fyld", 36, 85, "const", " " * 85),
])

SLUT = Layout("slut", [
    Felt("posttype", 1, 2, "const", "99"),
    Felt("kommunekode", 3, 3, "num"),
    Felt("antal", 6, 9, "num"),
    Felt("sum_oere", 15, 15, "num"),
    Felt("fyld", 30, 91, "const", " " * 91),
])

# SF2520 KontanthjaelpsudbetalingSend detail record
SF2520_DETALJE = Layout("sf2520_detalje", [
    Felt("posttype", 1, 2, "const", "10"),
    Felt("kommunekode", 3, 3, "num"),
    Felt("cpr", 6, 10, "digits"),
    Felt("aftale_id", 16, 20, "text"),
    Felt("udbetalingsdato", 36, 8, "date"),
    Felt("periode_fra", 44, 8, "date"),
    Felt("periode_til", 52, 8, "date"),
    Felt("beloeb_oere", 60, 12, "num"),
    Felt("modregnings_id", 72, 20, "text"),
    Felt("fyld", 92, 29, "const", " " * 29),
])

# SF2530 request detail (KY -> UDK)
SF2530_FORESP = Layout("sf2530_foresp", [
    Felt("posttype", 1, 2, "const", "10"),
    Felt("kommunekode", 3, 3, "num"),
    Felt("cpr", 6, 10, "digits"),
    Felt("fyld", 16, 105, "const", " " * 105),
])

# SF2530 answer details (UDK -> KY)
SF2530_AFTALE = Layout("sf2530_aftale", [
    Felt("posttype", 1, 2, "const", "20"),
    Felt("kommunekode", 3, 3, "num"),
    Felt("cpr", 6, 10, "digits"),
    Felt("aftale_id", 16, 20, "text"),
    Felt("beloeb_oere", 36, 12, "num"),
    Felt("gyldig_fra", 48, 8, "date"),
    Felt("gyldig_til", 56, 8, "date", nullable=True),
    Felt("status", 64, 1, "choice", choices=("A", "O")),
    Felt("fyld", 65, 56, "const", " " * 56),
])

SF2530_INGEN_AFTALE = Layout("sf2530_ingen_aftale", [
    Felt("posttype", 1, 2, "const", "21"),
    Felt("kommunekode", 3, 3, "num"),
    Felt("cpr", 6, 10, "digits"),
    Felt("aftale_id", 16, 20, "const", " " * 20),
    Felt("beloeb_oere", 36, 12, "const", "0" * 12),
    Felt("gyldig_fra", 48, 8, "const", "0" * 8),
    Felt("gyldig_til", 56, 8, "const", "0" * 8),
    Felt("status", 64, 1, "const", " "),
    Felt("fyld", 65, 56, "const", " " * 56),
])

SF2520_LAYOUTS = {"00": START, "10": SF2520_DETALJE, "99": SLUT}
SF2530_FORESP_LAYOUTS = {"00": START, "10": SF2530_FORESP, "99": SLUT}
SF2530_SVAR_LAYOUTS = {"00": START, "20": SF2530_AFTALE, "21": SF2530_INGEN_AFTALE, "99": SLUT}
