"""ky's layout of SKAT's forskudsopgørelser (SF0785) and årsopgørelser (SF0786) as read by job #2
hent-fra-sf0785-og-sf0786 (docs/formats/skatteopgoerelser.md): Serviceplatformen's fixed-width
conventions (ISO-8859-1, 120-character records, CRLF, start 00 / end 99 as formats/sf2520.md)."""

from integrations.fixedwidth import Felt, Layout
from integrations.sf2520.formats import SLUT, START

DETALJE = Layout("skat_opgoerelse", [
    Felt("posttype", 1, 2, "const", "10"),
    Felt("kommunekode", 3, 3, "num"),
    Felt("cpr", 6, 10, "digits"),
    Felt("indkomstaar", 16, 4, "num"),
    Felt("dannet", 20, 8, "date"),
    Felt("fortegn", 28, 1, "choice", choices=("+", "-")),
    Felt("resultat_oere", 29, 12, "num"),
    Felt("fyld", 41, 80, "const", " " * 80),
])
LAYOUTS = {"00": START, "10": DETALJE, "99": SLUT}
ART = {"SF0785": "F", "SF0786": "A"}  # forskudsopgørelse, årsopgørelse
