"""The exchange layer's journal (issue 17, contract integrationer.md): every file ky sends or
receives over Serviceplatformen, whatever its kind (``art``). See docs/integrationer.md."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone

from ky.core.scoping import scoped_manager


class Retning(models.TextChoices):
    UD = "ud", "Ud"
    IND = "ind", "Ind"


class FilStatus(models.TextChoices):
    # outbound: the row is committed BEFORE anything is uploaded (``sender``), so a run that dies
    # or whose commit fails is finished by the next run (exchange.lever)
    SENDER = "sender", "Under afsendelse"
    UPLOADET = "uploadet", "Datafil uploadet, trigger mangler"
    SENDT = "sendt", "Sendt"
    KVITTERET = "kvitteret", "Kvitteret"
    FEJLET = "fejlet", "Fejlet"
    # inbound
    BEHANDLET = "behandlet", "Behandlet"


class Fil(models.Model):
    """One file sent (``ud``: journalled with its exact bytes before the upload) or received
    (``ind``: validated whole, then stored and moved to IN/behandlet/, or rejected to IN/fejlet/)."""

    art = models.CharField(max_length=30, db_index=True)  # exchange.ARTER: SF2520, SF0770B, ...
    retning = models.CharField(max_length=3, choices=Retning.choices)
    kommune = models.ForeignKey("core.Kommune", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    filnavn = models.CharField(max_length=150)
    loebenummer = models.PositiveIntegerField(null=True, blank=True)  # outbound only
    koerselsdato = models.DateField(null=True, blank=True)
    noegle = models.CharField(max_length=60, blank=True)  # idempotency key of the art (e.g. one a day)
    antal = models.PositiveIntegerField(default=0)
    sum_beloeb = models.DecimalField(max_digits=16, decimal_places=2, default=0)
    status = models.CharField(max_length=10, choices=FilStatus.choices)
    tid = models.DateTimeField(default=timezone.now)  # the last status change: journalled, sent, receipted, received
    dannet = models.DateTimeField(null=True, blank=True)  # the start record's creation date/time
    indhold = models.BinaryField(null=True, editable=False)  # outbound: the exact bytes uploaded
    sendt = models.DateTimeField(null=True, blank=True)
    kvitteret = models.DateTimeField(null=True, blank=True)
    senders_file_id = models.UUIDField(null=True, blank=True, unique=True)
    fejl = models.TextField(blank=True)  # AFVIST reason, or why an inbound file was rejected
    erstatter = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="erstattet_af")  # send-igen: the failed file this one resends

    objects = scoped_manager()

    class Meta:
        verbose_name = "fil"
        verbose_name_plural = "filer (alle integrationer)"
        constraints = [
            models.UniqueConstraint(fields=["filnavn"], condition=Q(retning="ud"), name="integrations_fil_ud_navn"),
            models.UniqueConstraint(fields=["kommune", "art", "loebenummer"], condition=Q(retning="ud"),
                                    nulls_distinct=False, name="integrations_fil_loebenummer"),
            models.UniqueConstraint(fields=["kommune", "art", "noegle"], condition=~Q(noegle=""),
                                    nulls_distinct=False, name="integrations_fil_noegle"),
            models.CheckConstraint(condition=Q(retning="ind") | Q(loebenummer__isnull=False),
                                   name="integrations_fil_ud_har_loebenummer"),
        ]
        indexes = [
            models.Index(fields=["art", "kommune", "status"], name="integrations_fil_art_idx"),
            models.Index(fields=["kommune", "-id"], name="integrations_fil_kommune_idx"),
        ]

    def __str__(self):
        return self.filnavn


class Loebenummer(models.Model):
    """The counter of løbenumre per kommune (null: national file) and art (SELECT FOR UPDATE)."""

    kommune = models.ForeignKey("core.Kommune", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    art = models.CharField(max_length=30)
    sidste = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "løbenummer"
        verbose_name_plural = "løbenumre"
        constraints = [models.UniqueConstraint(fields=["kommune", "art"], nulls_distinct=False,
                                               name="integrations_loebenummer_unik")]


def fil_manager(retning: str, arter: tuple[str, ...]):
    """A scoped manager showing only the files of ``arter`` (for an app's proxy of Fil)."""
    base = scoped_manager()

    class ArtManager(type(base)):
        def get_queryset(self):
            return super().get_queryset().filter(retning=retning, art__in=arter)

    return ArtManager()
