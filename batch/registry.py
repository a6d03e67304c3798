"""The batch job catalogue (batch.md).

The 82 KY jobs of seed 000 come from ``catalogue.tsv`` (a copy of
shared/catalogue/batchjobs.tsv); jobs of the other seeds are declared where
they are implemented. An app implements a job with the ``@batchjob`` decorator
in its ``jobs.py``::

    @batchjob("regelmaessig-opfoelgning")
    def regelmaessig_opfoelgning(ctx: JobContext) -> None:
        interval = ctx.konstant("interval_maaneder")
        ...
        ctx.count("created", n)

A job function does its work for ``ctx.kommune`` (None for national jobs) as of
``ctx.as_of``; with ``ctx.dry_run`` it computes and counts but changes nothing.
It raises to fail the run. A catalogue job without a function is "not
implemented" and its runs fail with "ikke implementeret".
"""

from __future__ import annotations

import csv
import datetime as dt
import importlib
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol
from collections.abc import Callable

CATALOGUE_TSV = Path(__file__).with_name("catalogue.tsv")


@dataclass(frozen=True)
class KonstantSpec:
    noegle: str
    type: str  # "int", "bool", "duration" (days)
    standard: Any
    beskrivelse: str = ""


AKTIV = KonstantSpec("aktiv", "bool", True, "Jobbet kører for kommunen (false: kørsler registreres som sprunget over).")


@dataclass
class JobSpec:
    slug: str
    navn: str
    kategori: str
    kadence: str
    beskrivelse: str = ""
    per_kommune: bool = True
    konstanter: list[KonstantSpec] = field(default_factory=list)
    func: Callable | None = None
    nr: int | None = None
    kilde: str = "seed 000"
    # False: the job manages its own transactions (e.g. it must commit a journal row before
    # touching a remote system); a dry run is still rolled back, and the job must not act remotely
    atomic: bool = True

    @property
    def implementeret(self) -> bool:
        return self.func is not None

    @property
    def queue(self) -> str:
        return self.kategori

    def all_konstanter(self) -> list[KonstantSpec]:
        return [AKTIV, *[k for k in self.konstanter if k.noegle != "aktiv"]]

    def konstant_spec(self, noegle: str) -> KonstantSpec:
        for k in self.all_konstanter():
            if k.noegle == noegle:
                return k
        raise KeyError(f"{self.slug} har ingen batchkonstant {noegle!r}")


class JobContext(Protocol):
    """What a job function gets (implemented by batch.services)."""

    job: JobSpec
    kommune: Any  # cases.Kommune or None
    as_of: dt.date
    dry_run: bool

    def konstant(self, noegle: str) -> Any: ...
    def count(self, key: str, n: int = 1) -> None: ...
    def log(self, message: str) -> None: ...
    def error(self, item: str, message: str) -> None: ...
    def progress(self, done: int, total: int | None = None) -> None: ...


def ascii_key(text: str) -> str:
    text = text.replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
    text = text.replace("Æ", "Ae").replace("Ø", "Oe").replace("Å", "Aa")
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def _parse_konstanter(text: str) -> list[KonstantSpec]:
    specs = []
    for part in filter(None, (p.strip() for p in (text or "").split(","))):
        key, _, value = part.partition("=")
        key = ascii_key(key.strip())
        value = value.strip()
        if value.lower() in {"true", "false"}:
            specs.append(KonstantSpec(key, "bool", value.lower() == "true"))
        elif key.endswith("_dage"):
            specs.append(KonstantSpec(key, "duration", int(value)))
        else:
            specs.append(KonstantSpec(key, "int", int(value)))
    return specs


_REGISTRY: dict[str, JobSpec] = {}


def _load_catalogue() -> None:
    with open(CATALOGUE_TSV, encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            spec = JobSpec(
                slug=row["slug"],
                navn=row["navn"],
                kategori=row["kategori"],
                kadence=row["kadence (forslag)"],
                beskrivelse=row["beskrivelse (fra kilden)"],
                konstanter=_parse_konstanter(row["batchkonstanter (forslag)"]),
                nr=int(row["nr"]),
            )
            _REGISTRY[spec.slug] = spec


_load_catalogue()


def batchjob(
    slug: str,
    *,
    navn: str | None = None,
    kategori: str | None = None,
    kadence: str | None = None,
    beskrivelse: str | None = None,
    per_kommune: bool | None = None,
    konstanter: list[KonstantSpec] | None = None,
    kilde: str | None = None,
    atomic: bool = True,
):
    """Register ``func`` as the implementation of catalogue job ``slug``; a slug
    not in seed 000's catalogue is added (then navn, kategori, kadence are required)."""

    def decorate(func):
        spec = _REGISTRY.get(slug)
        if spec is None:
            if not (navn and kategori and kadence):
                raise ValueError(f"new batch job {slug!r} needs navn, kategori and kadence")
            spec = JobSpec(slug=slug, navn=navn, kategori=kategori, kadence=kadence, beskrivelse=beskrivelse or "")
            _REGISTRY[slug] = spec
        for attr, value in (("navn", navn), ("kategori", kategori), ("kadence", kadence),
                            ("beskrivelse", beskrivelse), ("per_kommune", per_kommune), ("kilde", kilde)):
            if value is not None:
                setattr(spec, attr, value)
        if konstanter is not None:
            spec.konstanter = list(konstanter)
        spec.func = func
        spec.atomic = atomic
        return func

    return decorate


def get(slug_or_name: str) -> JobSpec:
    if slug_or_name in _REGISTRY:
        return _REGISTRY[slug_or_name]
    for spec in _REGISTRY.values():
        if spec.navn == slug_or_name:
            return spec
    raise KeyError(slug_or_name)


def all_jobs() -> list[JobSpec]:
    return sorted(_REGISTRY.values(), key=lambda s: (s.nr is None, s.nr or 0, s.slug))


def autodiscover() -> None:
    from django.apps import apps

    for app in apps.get_app_configs():
        try:
            importlib.import_module(f"{app.name}.jobs")
        except ModuleNotFoundError as exc:
            if exc.name != f"{app.name}.jobs":
                raise
