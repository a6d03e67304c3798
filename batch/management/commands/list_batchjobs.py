"""list_batchjobs [--json] (commands.md)."""

import json

from django.core.management.base import BaseCommand

from batch import registry


def job_row(spec):
    return {"slug": spec.slug, "navn": spec.navn, "kategori": spec.kategori, "kadence": spec.kadence,
            "implementeret": spec.implementeret, "per_kommune": spec.per_kommune}


class Command(BaseCommand):
    help = "Viser batchjobkataloget."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, **opts):
        rows = [job_row(s) for s in registry.all_jobs()]
        if opts["json"]:
            self.stdout.write(json.dumps(rows, ensure_ascii=False))
            return
        for r in rows:
            mark = "" if r["implementeret"] else "  [ikke implementeret]"
            scope = "pr. kommune" if r["per_kommune"] else "national"
            self.stdout.write(f"{r['slug']:<60} {r['kategori']:<16} {r['kadence']:<28} {scope}{mark}  {r['navn']}")
