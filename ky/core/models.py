"""The bottom layer's data: kommuner, users (with their role and kommuner) and the CPR access log.

The tables keep their names from when they lived in ``cases`` (``cases_kommune``, ``cases_user``,
``cases_adgangslog``): moving the models moved no rows (issue 19; README, layout)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models

from ky.core.roles import Role
from ky.core.scoping import ScopedQuerySet, user_kommune_codes


class KommuneQuerySet(ScopedQuerySet):
    kommune_path = "kode"


class Kommune(models.Model):
    """One of the 98 Danish kommuner, identified by its real 3-digit code."""

    kode = models.PositiveSmallIntegerField(primary_key=True)
    navn = models.CharField(max_length=60)

    objects = KommuneQuerySet.as_manager()

    class Meta:
        db_table = "cases_kommune"
        ordering = ["kode"]
        verbose_name_plural = "kommuner"

    def __str__(self):
        return f"{self.kode} {self.navn}"


class User(AbstractUser):
    role = models.CharField("rolle", max_length=20, choices=Role.choices, default=Role.SAGSBEHANDLER)
    kommuner = models.ManyToManyField(Kommune, blank=True, related_name="brugere")

    objects = UserManager()

    class Meta:
        db_table = "cases_user"
        verbose_name = "bruger"
        verbose_name_plural = "brugere"

    @property
    def kommune_codes(self) -> list[int] | None:
        return user_kommune_codes(self)


class Adgangslog(models.Model):
    """Every read of a person's data by CPR (api.md): who, when, which CPR, which view."""

    bruger = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    brugernavn = models.CharField(max_length=150)
    tidspunkt = models.DateTimeField(auto_now_add=True, db_index=True)
    cpr = models.CharField(max_length=10, db_index=True)
    visning = models.CharField(max_length=200)

    class Meta:
        db_table = "cases_adgangslog"
        verbose_name = "adgangslog"
        verbose_name_plural = "adgangslog"
        ordering = ["-tidspunkt"]
