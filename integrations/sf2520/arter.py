"""SF2520/SF2530's file kinds in the exchange layer (integrations.exchange; formats/sf2520.md,
formats/sf2530.md). Imported by the app's ready()."""

from integrations import exchange


def _frigiv_modregninger(fil) -> None:
    """AFVIST: the file's modregninger are free to go again in the next SF2520 run, in a new file."""
    from integrations.sf2520.models import Modregning

    Modregning.objects.filter(sendt_fil=fil).update(sendt_fil=None)


def _send_modregninger_igen(fil, transport, log=None):
    from integrations.sf2520.services import send_modregninger_igen

    return send_modregninger_igen(fil, transport, log)


SF2520 = exchange.registrer(exchange.Art(
    "SF2520", "SF2520 modregninger til UDK", "ud", "KY_SF2520_{kommune:03d}_{dato:%Y%m%d}_{loebenummer:06d}.txt",
    ved_afvisning=_frigiv_modregninger, afvist_tekst="modregningerne sendes igen i en ny fil",
    send_igen=_send_modregninger_igen, job="sf2520-send-fub-modregninger"))
SF2530_FORESP = exchange.registrer(exchange.Art(
    "SF2530_FORESP", "SF2530 forespørgsel til UDK", "ud",
    "KY_SF2530_FORESP_{kommune:03d}_{dato:%Y%m%d}_{loebenummer:06d}.txt",
    afvist_tekst="forespørgslen gentages ved næste kørsel", job="send-forespoergsel-til-betalingsadministration"))
SF2530_SVAR = exchange.registrer(exchange.Art(
    "SF2530_SVAR", "SF2530 svar fra UDK", "ind", "UDK_SF2530_SVAR_{kommune:03d}_{dato:%Y%m%d}_{loebenummer:06d}.txt",
    job="modtag-svar-fra-betalingsadministration"))
