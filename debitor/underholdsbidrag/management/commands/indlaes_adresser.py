"""indlaes_adresser PATH [--delimiter ;]: loads P-data addresses into the adresseringsgrundlag
(seed 004, 3.9.1). CSV with a header: cpr;kommunekode;vejkode;husnr;etage;side;postnr;udland
(udland: 1/0, ja/nej, true/false; empty numbers = ukendt). All rows or none; JSON summary last."""

import csv
import json

from django.core.management.base import BaseCommand, CommandError

from debitor.underholdsbidrag.adresser import FELTER, gem_adresser
from ky.core.api import DomainError

SAND = {"1", "ja", "j", "true", "sand", "x"}


def _raekke(r: dict) -> dict:
    out = {"cpr": (r.get("cpr") or "").strip()}
    for k in FELTER:
        v = (r.get(k) or "").strip()
        if k == "udland":
            out[k] = v.lower() in SAND
        elif k in ("kommunekode", "vejkode", "postnr"):
            out[k] = int(v) if v.isdigit() else (None if v == "" else v)
        else:
            out[k] = v
    return out


class Command(BaseCommand):
    help = "Indlæser adresser fra P-data (CSV) i underholdsbidrags adresseringsgrundlag."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--delimiter", default=";")

    def handle(self, *args, path, delimiter, **options):
        try:
            with open(path, encoding="utf-8-sig", newline="") as fh:
                rows = [_raekke(r) for r in csv.DictReader(fh, delimiter=delimiter)]
        except (OSError, UnicodeDecodeError, csv.Error) as exc:
            raise CommandError(f"Filen kan ikke læses: {exc}") from None
        try:
            objs = gem_adresser(rows)
        except DomainError as exc:
            fejl = getattr(exc, "fejl", None) or [str(exc)]
            raise CommandError(json.dumps({"fejl": fejl[:20]}, ensure_ascii=False, default=str)) from None
        self.stdout.write(json.dumps({"indlaest": len(objs)}))
