"""SF0770_B eIndkomst layouts, ky's own (docs/formats/sf0770b.md): sf2520's start/end records."""

from integrations.fixedwidth import Felt, Layout
from integrations.sf2520.formats import SLUT, START

LINJE = Layout("sf0770b_linje", [
    Felt("posttype", 1, 2, "const", "10"),
    Felt("kommunekode", 3, 3, "num"),
    Felt("cpr", 6, 10, "digits"),
    Felt("periode", 16, 6, "digits"),  # YYYYMM
    Felt("a_indkomst_oere", 22, 12, "num"),
    Felt("a_skat_oere", 34, 12, "num"),
    Felt("art", 46, 1, "choice", choices=("N", "R")),
    Felt("linje_id", 47, 20, "text"),
    Felt("erstatter_id", 67, 20, "text"),
    Felt("fyld", 87, 34, "const", " " * 34),
])

# receipts from SKAT (IN/SKAT_SF0770B_KVIT_<kommune>_<YYYYMMDD>_<løbenr>.txt)
FORRETNING = Layout("sf0770b_forretningskvittering", [
    Felt("posttype", 1, 2, "const", "20"),
    Felt("kommunekode", 3, 3, "num"),
    Felt("filnavn", 6, 40, "text"),
    Felt("status", 46, 1, "choice", choices=("G", "A")),
    Felt("aarsag", 47, 40, "text"),
    Felt("fyld", 87, 34, "const", " " * 34),
])
DETALJE = Layout("sf0770b_detaljeret_kvittering", [
    Felt("posttype", 1, 2, "const", "30"),
    Felt("kommunekode", 3, 3, "num"),
    Felt("linje_id", 6, 20, "text"),
    Felt("status", 26, 1, "choice", choices=("G", "A")),
    Felt("aarsag", 27, 40, "text"),
    Felt("fyld", 67, 54, "const", " " * 54),
])

INDBERETNING_LAYOUTS = {"00": START, "10": LINJE, "99": SLUT}
KVITTERING_LAYOUTS = {"00": START, "20": FORRETNING, "30": DETALJE, "99": SLUT}
