"""Record layouts of the payment files, declared once (contract udbetaling.md; ky's own layouts
for SF1590_A in docs/formats/sf1590a.md). Start and end records are SF2520's (formats/sf2520.md)."""

from integrations.fixedwidth import Felt, Layout
from integrations.sf2520.formats import SLUT, START

# OUT/KY_SF1590E_<kommune>_<YYYYMMDD>_<løbenr>.txt, detail record 10 (udbetaling.md)
SF1590E_DETALJE = Layout("sf1590e_detalje", [
    Felt("posttype", 1, 2, "const", "10"),
    Felt("kommunekode", 3, 3, "num"),
    Felt("cpr", 6, 10, "text"),  # spaces for a kreditor (and a kommune)
    Felt("betalings_id", 16, 20, "text"),
    Felt("beloeb_oere", 36, 12, "num"),
    Felt("udbetalingsdato", 48, 8, "date"),
    Felt("posteringstekst", 56, 40, "text"),
    Felt("fyld", 96, 25, "const", " " * 25),
])

# IN/NEMKONTO_STATUS_<kommune>_<YYYYMMDD>_<løbenr>.txt, detail record 30 (udbetaling.md)
NEMKONTO_STATUS = Layout("nemkonto_status", [
    Felt("posttype", 1, 2, "const", "30"),
    Felt("kommunekode", 3, 3, "num"),
    Felt("betalings_id", 6, 20, "text"),
    Felt("status", 26, 1, "choice", choices=("G", "A")),
    Felt("aarsag", 27, 30, "text"),
    Felt("fyld", 57, 64, "const", " " * 64),
])

# IN/INDBETALING_<kommune>_<YYYYMMDD>_<løbenr>.txt, detail record 40 (udbetaling.md)
INDBETALING = Layout("indbetaling", [
    Felt("posttype", 1, 2, "const", "40"),
    Felt("kommunekode", 3, 3, "num"),
    Felt("cpr", 6, 10, "digits"),
    Felt("debitorkonto", 16, 20, "text"),
    Felt("beloeb_oere", 36, 12, "num"),
    Felt("indbetalingsdato", 48, 8, "date"),
    Felt("fyld", 56, 65, "const", " " * 65),
])

# OUT/KY_SF1590A_<kommune>_<YYYYMMDD>_<løbenr>.txt (ky's own, docs/formats/sf1590a.md):
# 20 bilag head, 21 line
SF1590A_BILAG = Layout("sf1590a_bilag", [
    Felt("posttype", 1, 2, "const", "20"),
    Felt("kommunekode", 3, 3, "num"),
    Felt("bilag_id", 6, 20, "text"),
    Felt("bogfoeringsdato", 26, 8, "date"),
    Felt("antal_linjer", 34, 9, "num"),
    Felt("sum_debet_oere", 43, 15, "num"),
    Felt("sum_kredit_oere", 58, 15, "num"),
    Felt("fyld", 73, 48, "const", " " * 48),
])
SF1590A_LINJE = Layout("sf1590a_linje", [
    Felt("posttype", 1, 2, "const", "21"),
    Felt("kommunekode", 3, 3, "num"),
    Felt("bilag_id", 6, 20, "text"),
    Felt("konto", 26, 20, "text"),
    Felt("side", 46, 1, "choice", choices=("D", "K")),
    Felt("beloeb_oere", 47, 15, "num"),
    Felt("cpr", 62, 10, "text"),
    Felt("tekst", 72, 40, "text"),
    Felt("fyld", 112, 9, "const", " " * 9),
])
# IN/SF1590A_KVITTERING_<kommune>_<YYYYMMDD>_<løbenr>.txt (ky's own): 22 per bilag
SF1590A_KVITTERING = Layout("sf1590a_kvittering", [
    Felt("posttype", 1, 2, "const", "22"),
    Felt("kommunekode", 3, 3, "num"),
    Felt("bilag_id", 6, 20, "text"),
    Felt("status", 26, 1, "choice", choices=("B", "A")),  # bogført / afvist
    Felt("aarsag", 27, 60, "text"),
    Felt("fyld", 87, 34, "const", " " * 34),
])

SF1590E_LAYOUTS = {"00": START, "10": SF1590E_DETALJE, "99": SLUT}
NEMKONTO_STATUS_LAYOUTS = {"00": START, "30": NEMKONTO_STATUS, "99": SLUT}
INDBETALING_LAYOUTS = {"00": START, "40": INDBETALING, "99": SLUT}
SF1590A_LAYOUTS = {"00": START, "20": SF1590A_BILAG, "21": SF1590A_LINJE, "99": SLUT}
SF1590A_KVITTERING_LAYOUTS = {"00": START, "22": SF1590A_KVITTERING, "99": SLUT}

# OUT/KY_KRAV_<kommune>_<YYYYMMDD>_<løbenr>.txt (ky's own, docs/formats/krav.md): 50 per fordring
KRAV = Layout("krav", [
    Felt("posttype", 1, 2, "const", "50"),
    Felt("kommunekode", 3, 3, "num"),
    Felt("cpr", 6, 10, "digits"),
    Felt("debitorkonto", 16, 20, "text"),
    Felt("fordring_id", 36, 30, "text"),
    Felt("fordringstype", 66, 20, "text"),
    Felt("restgaeld_oere", 86, 12, "num"),
    Felt("stiftelsesdato", 98, 8, "date", nullable=True),
    Felt("aendring", 106, 1, "choice", choices=("N", "A")),  # ny / ændret
    Felt("fyld", 107, 14, "const", " " * 14),
])
KRAV_LAYOUTS = {"00": START, "50": KRAV, "99": SLUT}
