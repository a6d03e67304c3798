"""eIndkomst's file kinds in the exchange layer (docs/formats/sf0770b.md)."""

from integrations import exchange


def _send_igen(fil, transport, log=None):
    """A file SKAT rejected whole: its person-months are no longer reported, so the next
    indberetning sends them again; send-igen runs it now for the file's kommune."""
    import django.utils.timezone as tz

    from integrations.eindkomst.services import indberet

    ny = indberet(fil.kommune_id, tz.localdate(), transport, log=log, erstatter=fil)
    if ny is None:
        raise exchange.Afvisning("Filens linjer er allerede indberettet igen.", "allerede_sendt_igen")
    return ny


SF0770B = exchange.registrer(exchange.Art(
    "SF0770B", "eIndkomst-indberetning til SKAT", "ud", "KY_SF0770B_{kommune:03d}_{dato:%Y%m%d}_{loebenummer:06d}.txt",
    modpart="SKAT", afvist_tekst="linjerne indberettes igen ved næste kørsel", send_igen=_send_igen,
    job="sf0770-b-indberet-eindkomst"))
SF0770B_KVIT = exchange.registrer(exchange.Art(
    "SF0770B_KVIT", "eIndkomst-kvitteringer fra SKAT", "ind",
    "SKAT_SF0770B_KVIT_{kommune:03d}_{dato:%Y%m%d}_{loebenummer:06d}.txt", modpart="SKAT",
    job="sf0770-b-modtag-kvitteringer"))
