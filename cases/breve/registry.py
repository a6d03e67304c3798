"""Document types (docs/breve.md). An app declares its letters and lists in ``<app>/dokumenttyper.py``::

    from cases.breve.registry import Dokumenttype, register

    register(Dokumenttype(
        type="afgoerelsesbrev", art="brev", titel="Afgørelse om {ydelse}",
        template="ydelse/breve/afgoerelse.html", kraevet=["ydelse", "beloeb", "fra"],
    ))

``art`` is ``brev`` (to a citizen/party: sent by Digital Post or print), ``liste`` (for the staff) or
``rapport`` (a list a user can order; ``lav`` computes its data from the order's parametre).
``kraevet`` names the data keys a letter cannot be sent without (missing or empty: the letter is
``fejlet`` with a reason and a task, never sent blank). ``titel`` is formatted with the data.
``kolonner`` makes a list tabular: ``[(key, header), ...]`` over ``data["rows"]`` gives its CSV.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from collections.abc import Callable

ARTER = ("brev", "liste", "rapport")


@dataclass
class Dokumenttype:
    type: str
    art: str
    titel: str
    template: str
    kraevet: list[str] = field(default_factory=list)
    kolonner: list[tuple[str, str]] | None = None
    # rapport: (kommune_id, parametre, as_of) -> data (with "rows" when tabular); raises ValueError on bad parametre
    lav: Callable | None = None
    # rapport: validates/normalises parametre -> dict; raises breve.services.Ugyldig with a Danish text
    parametre: Callable | None = None
    beskrivelse: str = ""
    kilde: str = ""  # seed section, e.g. "seed 004, 3.4.2"
    liggende: bool = False  # landscape A4 for wide lists

    def __post_init__(self):
        if self.art not in ARTER:
            raise ValueError(f"art skal være en af {ARTER}: {self.art!r}")

    def titel_for(self, data: dict) -> str:
        try:
            return self.titel.format(**data)
        except (KeyError, IndexError, ValueError):
            return self.titel


_TYPES: dict[str, Dokumenttype] = {}


def register(dt: Dokumenttype) -> Dokumenttype:
    _TYPES[dt.type] = dt
    return dt


def get(type_: str) -> Dokumenttype:
    try:
        return _TYPES[type_]
    except KeyError:
        raise KeyError(f"ukendt dokumenttype {type_!r}") from None


def all_types(art: str | None = None) -> list[Dokumenttype]:
    return sorted((t for t in _TYPES.values() if art is None or t.art == art), key=lambda t: t.type)


def autodiscover() -> None:
    from django.apps import apps

    for app in apps.get_app_configs():
        try:
            importlib.import_module(f"{app.name}.dokumenttyper")
        except ModuleNotFoundError as exc:
            if exc.name != f"{app.name}.dokumenttyper":
                raise
