"""The letters of ydelsen on the document platform (docs/breve.md)."""

from cases.breve.registry import Dokumenttype, register

register(Dokumenttype(
    type="khl-afgoerelsesbrev", art="brev", titel="Afgørelse om kontanthjælpsloftet",
    template="ydelse/breve/loftsindplacering.html",
    kraevet=["maaned", "kategori_tekst", "forventet_hjaelpsbeloeb"], kilde="seed 000, nr. 57",
    beskrivelse="Sendes hver gang en borgers loftsindplacering ændres (khl-send-afgoerelsesbrev)."))
