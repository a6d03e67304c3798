"""Debitorkonti and fordringer (claims)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from ky.scoping import scoped_manager


class Kilde(models.TextChoices):
    KMD_AKTIV = "KMD_AKTIV", "KMD Aktiv"
    KY = "KY", "KY"
    UNDERHOLDSBIDRAG = "UNDERHOLDSBIDRAG", "Underholdsbidrag"


class Fordringstype(models.TextChoices):
    TILBAGEBETALING = "TILBAGEBETALING", "Tilbagebetaling"
    FORSKUD = "FORSKUD", "Forskud"
    UNDERHOLDSBIDRAG = "UNDERHOLDSBIDRAG", "Underholdsbidrag"
    SANKTION = "SANKTION", "Sanktion"
    MANUEL = "MANUEL", "Manuel"


class Debitorkonto(models.Model):
    kommune = models.ForeignKey("cases.Kommune", on_delete=models.PROTECT, related_name="debitorkonti")
    kontonr = models.CharField(max_length=20)
    person = models.ForeignKey("cases.Person", on_delete=models.PROTECT, related_name="debitorkonti")
    sag = models.ForeignKey("cases.Sag", null=True, blank=True, on_delete=models.PROTECT, related_name="debitorkonti")
    bevilling = models.ForeignKey(
        "cases.Bevilling", null=True, blank=True, on_delete=models.PROTECT, related_name="debitorkonti"
    )
    kilde = models.CharField(max_length=20, choices=Kilde.choices, default=Kilde.KMD_AKTIV)
    # as delivered by KMD Aktiv (kept to explain the routing of the account)
    kmd_aktiv_bevillingsnr = models.CharField(max_length=20, null=True, blank=True)
    ydelsestype = models.CharField(max_length=10, blank=True)
    oprettet = models.DateTimeField(auto_now_add=True)
    aendret = models.DateTimeField(auto_now=True)

    objects = scoped_manager()

    class Meta:
        verbose_name = "debitorkonto"
        verbose_name_plural = "debitorkonti"
        constraints = [models.UniqueConstraint(fields=["kommune", "kontonr"], name="debitorkonto_unik_kontonr")]
        indexes = [models.Index(fields=["kommune", "sag"], name="debitorkonto_sag_idx")]

    def __str__(self):
        return f"Debitorkonto {self.kontonr}"


class Fordring(models.Model):
    kommune = models.ForeignKey("cases.Kommune", on_delete=models.PROTECT, related_name="fordringer")
    debitorkonto = models.ForeignKey(Debitorkonto, on_delete=models.CASCADE, related_name="fordringer")
    fordring_id = models.CharField(max_length=30)
    fordringstype = models.CharField(max_length=20, choices=Fordringstype.choices)
    hovedstol = models.DecimalField(max_digits=14, decimal_places=2)
    restgaeld = models.DecimalField("restgæld", max_digits=14, decimal_places=2)
    periode_fra = models.DateField()
    periode_til = models.DateField()
    stiftelsesdato = models.DateField(null=True, blank=True)
    oprettet = models.DateTimeField(auto_now_add=True)
    aendret = models.DateTimeField(auto_now=True)

    objects = scoped_manager()

    class Meta:
        verbose_name = "fordring"
        verbose_name_plural = "fordringer"
        constraints = [
            models.UniqueConstraint(fields=["kommune", "fordring_id"], name="fordring_unik_id"),
            models.CheckConstraint(condition=Q(hovedstol__gte=0), name="fordring_hovedstol_ikke_negativ"),
            models.CheckConstraint(condition=Q(restgaeld__gte=0), name="fordring_restgaeld_ikke_negativ"),
            models.CheckConstraint(condition=Q(periode_fra__lte=models.F("periode_til")), name="fordring_periode"),
        ]

    def __str__(self):
        return f"Fordring {self.fordring_id}"
