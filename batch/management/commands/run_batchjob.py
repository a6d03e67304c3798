"""run_batchjob JOB [--kommune KODE] [--as-of YYYY-MM-DD] [--dry-run] [--enqueue] (commands.md)."""

import datetime as dt
import json
import sys

from django.core.management.base import BaseCommand

from batch import registry, selectors, services
from batch.models import Trigger
from ky.core.models import Kommune


class Command(BaseCommand):
    help = "Kører et batchjob nu (eller lægger det i kø med --enqueue) og registrerer kørslen."

    def add_arguments(self, parser):
        parser.add_argument("job")
        parser.add_argument("--kommune", type=int)
        parser.add_argument("--as-of", dest="as_of")
        parser.add_argument("--dry-run", action="store_true")
        parser.add_argument("--enqueue", action="store_true")

    def fail_usage(self, msg):
        self.stderr.write(msg)
        sys.exit(2)

    def handle(self, *args, job, kommune, as_of, dry_run, enqueue, **opts):
        try:
            spec = registry.get(job)
        except KeyError:
            matches = selectors.closest_jobs(job)
            self.fail_usage(f"Ukendt batchjob: {job!r}." + (f" Mente du: {', '.join(matches)}?" if matches else ""))
        if as_of:
            try:
                as_of = dt.date.fromisoformat(as_of)
            except ValueError:
                self.fail_usage(f"Ugyldig --as-of {as_of!r}: brug ÅÅÅÅ-MM-DD.")
        if kommune is not None and not Kommune.objects.filter(pk=kommune).exists():
            self.fail_usage(f"Ukendt kommune: {kommune}.")
        if spec.per_kommune:
            kommuner = [kommune] if kommune is not None else selectors.kommuner_i_drift()
        else:
            kommuner = [None]
        summaries, failed = [], False
        for kode in kommuner:
            try:
                if enqueue:
                    k = services.enqueue_job(spec.slug, kommune=kode, as_of=as_of, dry_run=dry_run,
                                             trigger=Trigger.COMMAND)
                else:
                    k = services.run_job(spec.slug, kommune=kode, as_of=as_of, dry_run=dry_run,
                                         trigger=Trigger.COMMAND)
            except services.RunAlreadyActive as exc:
                self.stderr.write(str(exc))
                failed = True
                if exc.existing is not None:
                    summaries.append(exc.existing.summary())
                continue
            s = k.summary()
            summaries.append(s)
            failed = failed or k.status == "failed"
            self.stderr.write(f"{spec.slug} {kode or 'national'} {s['as_of']}: {k.status}"
                              + (f" - {k.besked}" if k.besked else ""))
        out = summaries[0] if (kommune is not None or not spec.per_kommune) and len(summaries) == 1 else summaries
        self.stdout.write(json.dumps(out, ensure_ascii=False))
        if failed:
            sys.exit(1)
