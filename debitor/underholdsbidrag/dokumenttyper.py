"""Underholdsbidrag's documents on the document platform (docs/breve.md; seed 004)."""

from cases.breve.registry import Dokumenttype, register

register(Dokumenttype(
    type="ub-stamkort", art="liste", titel="Stamkort – underholdsbidrag", template="underholdsbidrag/stamkort_pdf.html",
    kilde="seed 004, 3.1.2", beskrivelse="Sagens stamkort; * ved ændrede felter."))
register(Dokumenttype(
    type="ub-registerindsigt", art="brev", titel="Registerindsigt – underholdsbidrag",
    template="underholdsbidrag/registerindsigt_pdf.html", kilde="seed 004, 3.1.1.1, 3.9.2",
    beskrivelse="Det registrerede om et personnummer (dannes af ugekørslen)."))
