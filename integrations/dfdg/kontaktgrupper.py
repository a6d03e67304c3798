"""The kontaktgrupper and the dated samtaletype <-> kontaktgruppe table, as data (seed 003, CreateFrist: "Se
sammenhæng imellem samtaletyper og kontaktgrupper på Afholdelse af samtaler og øvrige møder"). Loaded by migration
dfdg 0002; a change of the rules is a new row with its own ``gyldig_fra`` (and ``gyldig_til`` on the old one).
Sources and our reading: docs/dfdg.md, "Kontaktgruppe"."""

KILDE = ("STAR/DFDG 'Afholdelse af samtaler og øvrige møder' (henvist fra FristService, seed 003); kontaktgrupper: "
         "star.dk 'Oversigt over kontaktgrupper'; ky's læsning, se docs/dfdg.md")
#: seed 003, FristService "Kan anvendes af KSS fra 2022-4"
GYLDIG_FRA = "2022-10-01"

#: kode, navn, the samtaletyper whose frist can be indfriet in the group (4 opfølgningssamtale, 7 jobsamtale,
#: 17 fælles jobsamtale)
KONTAKTGRUPPER = [
    ("dagpenge", "Dagpengemodtagere", (7, 17)),
    ("kontanthjaelp_jobparat", "Jobparate kontanthjælpsmodtagere", (7,)),
    ("kontanthjaelp_aktivitetsparat", "Aktivitetsparate kontanthjælpsmodtagere", (7,)),
    ("uddannelseshjaelp_uddannelsesparat", "Uddannelsesparate uddannelseshjælpsmodtagere", (7,)),
    ("uddannelseshjaelp_aktivitetsparat", "Aktivitetsparate uddannelseshjælpsmodtagere", (7,)),
    ("ledighedsydelse", "Ledighedsydelsesmodtagere", (7,)),
    ("sygedagpenge", "Sygedagpengemodtagere", (4,)),
    ("jobafklaring", "Personer i jobafklaringsforløb", (4,)),
    ("ressourceforloeb", "Personer i ressourceforløb", (4,)),
]


def load(Kontaktgruppe=None, Regel=None) -> None:
    """Insert the groups and rules that are missing (idempotent)."""
    if Kontaktgruppe is None:
        from integrations.dfdg.models import Kontaktgruppe, SamtaletypeKontaktgruppe as Regel
    for kode, navn, typer in KONTAKTGRUPPER:
        Kontaktgruppe.objects.update_or_create(kode=kode, defaults={"navn": navn})
        for samtaletype in typer:
            Regel.objects.get_or_create(samtaletype=samtaletype, kontaktgruppe_id=kode, gyldig_fra=GYLDIG_FRA,
                                        defaults={"kilde": KILDE})
