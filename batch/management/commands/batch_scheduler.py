"""batch_scheduler: RQ's cron scheduler enqueueing ``batch.tasks.tick`` every minute
(design: batch/scheduler.py)."""

import django_rq
from django.core.management.base import BaseCommand
from rq.cron import CronScheduler


class Command(BaseCommand):
    help = "Starter batchplanlæggeren (RQ cron: et tick hvert minut)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="kør ét tick her og nu og stop")

    def handle(self, *args, once, **opts):
        if once:
            from batch import scheduler

            self.stderr.write(f"Tick: {scheduler.tick()} kørsler lagt i kø")
            return
        cron = CronScheduler(connection=django_rq.get_connection("default"))
        from batch.tasks import tick

        cron.register(tick, queue_name="default", cron="* * * * *", job_timeout=300)
        cron.start()
