"""The platform's own document types (docs/breve.md). Other apps declare theirs in <app>/dokumenttyper.py."""

from cases.breve.registry import Dokumenttype, register

register(Dokumenttype(
    type="fritekst", art="brev", titel="{overskrift}", template="breve/fritekst.html", kraevet=["overskrift", "afsnit"],
    beskrivelse="Et brev med sagsbehandlerens egen tekst: data {overskrift, afsnit: [tekst, ...]}."))

# --- reports a user orders (seed 000, nr. 66 fasterapporter) ---------------------------------------
from cases.breve import rapporter  # noqa: E402

register(Dokumenttype(
    type="sagsbelastning", art="rapport", titel="Sagsbelastning pr. sagsbehandler", template="breve/tabel.html",
    kolonner=[("navn", "Sagsbehandler"), ("aktive", "Aktive sager", "tal"), ("lukkede", "Lukkede sager", "tal"),
              ("nye_30_dage", "Nye sager, 30 dage", "tal"), ("reserverede_opgaver", "Reserverede opgaver", "tal")],
    parametre=rapporter.ingen_parametre, lav=rapporter.lav_sagsbelastning, kilde="seed 000, nr. 66",
    beskrivelse="Aktive og lukkede sager og reserverede opgaver pr. sagsbehandler."))
register(Dokumenttype(
    type="udbetalinger-pr-maaned", art="rapport", titel="Udbetalinger pr. måned", template="breve/tabel.html",
    kolonner=[("maaned", "Måned"), ("kilde", "Kilde"), ("antal", "Antal", "tal"), ("beloeb", "Beløb (kr.)", "kr")],
    parametre=rapporter.parametre_udbetalinger, lav=rapporter.lav_udbetalinger, kilde="seed 000, nr. 66",
    beskrivelse="Antal og beløb pr. måned og kilde; parametre {fra, til} som ÅÅÅÅ-MM (standard: 12 måneder)."))
register(Dokumenttype(
    type="opgaver-overskredet", art="rapport", titel="Opgaver med overskredet frist pr. opgavepakke",
    template="breve/tabel.html",
    kolonner=[("pakke", "Opgavepakke"), ("aabne", "Åbne opgaver", "tal"), ("overskredet", "Overskredet frist", "tal"),
              ("aeldste_frist", "Ældste frist", "dato")],
    parametre=rapporter.ingen_parametre, lav=rapporter.lav_opgaver_overskredet, kilde="seed 000, nr. 66",
    beskrivelse="Åbne opgaver med frist før kørselsdatoen, pr. opgavepakke."))

# --- letters about a citizen's benefits (seed 000, nr. 8 and 9; breve/ydelsesbreve.py) ---------------
register(Dokumenttype(
    type="varsel-bortfald", art="brev", titel="Varsel om ophør af {ydelse}", template="breve/varsel_bortfald.html",
    kraevet=["navn", "ydelse", "bevilget_fra", "bevilget_til"], kilde="seed 000, nr. 8",
    beskrivelse="Varsel før bevillingens bortfaldsdato (batchkonstant varsel_maaneder_foer_bortfald)."))
register(Dokumenttype(
    type="partshoering-nedsaettelse", art="brev", titel="Partshøring om nedsættelse af {ydelse}",
    template="breve/partshoering.html", kraevet=["navn", "art", "fra", "til", "begrundelse", "svarfrist"],
    kilde="seed 000, nr. 8; forvaltningsloven § 19", beskrivelse="Partshøring før en sanktion/nedsættelse træder i kraft."))
register(Dokumenttype(
    type="oplysningspligt", art="brev", titel="Din pligt til at oplyse om ændringer", template="breve/oplysningspligt.html",
    kraevet=["navn", "ydelse", "bevilget_fra"], kilde="seed 000, nr. 9; retssikkerhedsloven § 11",
    beskrivelse="Oplysningsbrev til borgere med en ny bevilling."))
