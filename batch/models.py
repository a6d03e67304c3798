"""Batch runs and batchkonstanter (batch.md)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce

from ky.core.scoping import ScopedQuerySet


class KoerselStatus(models.TextChoices):
    QUEUED = "queued", "I kø"
    RUNNING = "running", "Kører"
    SUCCEEDED = "succeeded", "Gennemført"
    FAILED = "failed", "Fejlet"
    SKIPPED = "skipped", "Sprunget over"


class Trigger(models.TextChoices):
    SCHEDULE = "schedule", "Planlagt"
    COMMAND = "command", "Kommando"
    API = "api", "API"
    ADMIN = "admin", "Admin"


class KoerselQuerySet(ScopedQuerySet):
    pass


class Koersel(models.Model):
    """One run (attempt) of a batch job for a kommune (null: national) and as-of date."""

    job = models.CharField(max_length=100, db_index=True)
    kommune = models.ForeignKey("core.Kommune", null=True, blank=True, on_delete=models.PROTECT, related_name="koersler")
    as_of = models.DateField("kørselsdato")
    dry_run = models.BooleanField(default=False)
    trigger = models.CharField(max_length=10, choices=Trigger.choices, default=Trigger.COMMAND)
    startet_af = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    status = models.CharField(max_length=10, choices=KoerselStatus.choices, default=KoerselStatus.QUEUED, db_index=True)
    oprettet = models.DateTimeField(auto_now_add=True, db_index=True)
    startet = models.DateTimeField(null=True, blank=True)
    afsluttet = models.DateTimeField(null=True, blank=True)
    heartbeat = models.DateTimeField(null=True, blank=True)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(null=True, blank=True)
    counts = models.JSONField(default=dict, blank=True)
    errors = models.JSONField(default=list, blank=True)
    log = models.TextField(blank=True)
    besked = models.TextField(blank=True)
    rq_job_id = models.CharField(max_length=64, blank=True)
    # the schedule slot a scheduled run belongs to ("job|kommune|slot"); unique so a doubled
    # scheduler tick inserts nothing twice
    planslot = models.CharField(max_length=160, null=True, blank=True, unique=True)

    objects = KoerselQuerySet.as_manager()

    class Meta:
        verbose_name = "kørsel"
        verbose_name_plural = "kørsler"
        ordering = ["-id"]
        indexes = [models.Index(fields=["job", "kommune", "as_of"], name="koersel_noegle_idx")]
        constraints = [
            # batch.md: the same job-kommune-date never runs twice at once, across any number of
            # workers/machines. kommune NULL (national) is folded to 0 so NULLs do not escape the index.
            models.UniqueConstraint(
                F("job"), Coalesce("kommune", Value(0)), F("as_of"),
                condition=Q(status__in=["queued", "running"]),
                name="koersel_en_aktiv_pr_noegle",
            ),
        ]

    def __str__(self):
        return f"{self.job} {self.kommune_id or 'national'} {self.as_of} #{self.pk}"

    def summary(self) -> dict:
        """The run summary of commands.md."""
        counts = {"created": 0, "updated": 0, "skipped": 0, "failed": 0}
        counts.update(self.counts or {})
        return {
            "job": self.job, "run_id": self.pk, "kommune": self.kommune_id, "as_of": self.as_of.isoformat(),
            "dry_run": self.dry_run, "status": self.status, "counts": counts,
        }


class BatchkonstantQuerySet(ScopedQuerySet):
    pass


class Batchkonstant(models.Model):
    """A dated value of a job's constant for a kommune. The value in force on D
    is the row with the latest ``gyldig_fra`` ≤ D; with none, the catalogue's default."""

    kommune = models.ForeignKey("core.Kommune", on_delete=models.CASCADE, related_name="batchkonstanter")
    job = models.CharField(max_length=100)
    noegle = models.CharField("nøgle", max_length=60)
    vaerdi = models.JSONField("værdi")
    gyldig_fra = models.DateField()
    aendret = models.DateTimeField(auto_now=True)

    objects = BatchkonstantQuerySet.as_manager()

    class Meta:
        verbose_name = "batchkonstant"
        verbose_name_plural = "batchkonstanter"
        constraints = [
            models.UniqueConstraint(fields=["kommune", "job", "noegle", "gyldig_fra"], name="batchkonstant_unik"),
        ]


class BatchkonstantAendring(models.Model):
    """Audit of every change of a batchkonstant (batch.md: who, when, old, new)."""

    kommune = models.ForeignKey("core.Kommune", on_delete=models.CASCADE, related_name="+")
    job = models.CharField(max_length=100)
    noegle = models.CharField("nøgle", max_length=60)
    gyldig_fra = models.DateField()
    gammel = models.JSONField("gammel værdi", null=True, blank=True)
    ny = models.JSONField("ny værdi")
    bruger = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    tidspunkt = models.DateTimeField(auto_now_add=True)

    objects = BatchkonstantQuerySet.as_manager()

    class Meta:
        verbose_name = "ændring af batchkonstant"
        verbose_name_plural = "ændringer af batchkonstanter"
        ordering = ["-id"]
