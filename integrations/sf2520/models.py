"""Models of SF2520/SF2530 modregning (contract sf2520.md, seed 001)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from integrations.models import Fil, FilStatus, Loebenummer as IntegrationsLoebenummer, Retning, fil_manager  # noqa: F401
from ky.core.scoping import scoped_manager


class AftaleStatus(models.TextChoices):
    AKTIV = "aktiv", "Aktiv"
    OPHOERT = "ophoert", "Ophørt"


class Betalingsadministrationsaftale(models.Model):
    """UDK Betalingsadministration's agreement on child support for a borger (SF2530 answer)."""

    aftale_id = models.CharField("aftale-id", max_length=20)
    kommune = models.ForeignKey("core.Kommune", on_delete=models.PROTECT, related_name="+")
    cpr = models.CharField("CPR-nummer", max_length=10)
    person = models.ForeignKey("cases.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    maanedligt_beloeb = models.DecimalField("månedligt beløb", max_digits=12, decimal_places=2)
    gyldig_fra = models.DateField()
    gyldig_til = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=AftaleStatus.choices, default=AftaleStatus.AKTIV)
    oprettet = models.DateTimeField(auto_now_add=True)
    aendret = models.DateTimeField(auto_now=True)

    objects = scoped_manager()

    class Meta:
        verbose_name = "betalingsadministrationsaftale"
        verbose_name_plural = "betalingsadministrationsaftaler"
        constraints = [models.UniqueConstraint(fields=["kommune", "aftale_id"], name="sf2520_aftale_unik")]
        indexes = [models.Index(fields=["kommune", "cpr"], name="sf2520_aftale_cpr_idx")]

    def __str__(self):
        return f"Aftale {self.aftale_id} ({self.cpr})"


class EffektueringStatus(models.TextChoices):
    KLADDE = "kladde", "Kladde"
    AFVENTER = "afventer_godkendelse", "Afventer godkendelse"
    ENDELIG = "endelig", "Endelig"


class OpgaveAarsag(models.TextChoices):
    """Reasons (Opgave.aarsag) of the "godkend-effektuering" tasks, registered in cases.filters.AARSAGER."""

    NETTO_AFVIGELSE = "netto-afvigelse", "Netto afviger fra forrige udbetaling"
    BEVILLING_AENDRET = "bevilling-aendret", "Bevillingen er ændret efter korrektionen"


class Effektuering(models.Model):
    """A month's payout of a bevilling: draft (kladde), awaiting approval, or final."""

    bevilling = models.ForeignKey("cases.Bevilling", on_delete=models.PROTECT, related_name="effektueringer")
    kommune = models.ForeignKey("core.Kommune", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("cases.Person", on_delete=models.PROTECT, related_name="+")
    maaned = models.DateField("måned")  # first day of the calendar month
    periode_fra = models.DateField()
    periode_til = models.DateField()
    dage = models.PositiveSmallIntegerField()
    dage_i_maaned = models.PositiveSmallIntegerField()
    maanedligt_beloeb = models.DecimalField(max_digits=12, decimal_places=2)
    brutto = models.DecimalField(max_digits=12, decimal_places=2)
    modregning = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    netto = models.DecimalField(max_digits=12, decimal_places=2)
    status = models.CharField(max_length=24, choices=EffektueringStatus.choices, default=EffektueringStatus.KLADDE)
    udbetalingsdato = models.DateField()
    forklaring = models.TextField(blank=True)
    forrige = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    oprettet = models.DateTimeField(auto_now_add=True)
    endelig_tid = models.DateTimeField(null=True, blank=True)
    godkendt_af = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")

    objects = scoped_manager()

    class Meta:
        verbose_name = "effektuering"
        verbose_name_plural = "effektueringer"
        constraints = [
            models.UniqueConstraint(fields=["bevilling", "maaned"], name="sf2520_effektuering_unik"),
            models.CheckConstraint(condition=Q(netto=models.F("brutto") - models.F("modregning")),
                                   name="sf2520_effektuering_netto"),
            models.CheckConstraint(condition=Q(modregning__gte=0) & Q(modregning__lte=models.F("brutto")),
                                   name="sf2520_effektuering_modregning_loft"),
        ]
        indexes = [models.Index(fields=["kommune", "status", "maaned"], name="sf2520_eff_status_idx")]

    def __str__(self):
        return f"Effektuering {self.pk} ({self.maaned:%Y-%m})"


class FilArt(models.TextChoices):
    SF2520 = "SF2520", "SF2520 modregninger"
    SF2530_FORESP = "SF2530_FORESP", "SF2530 forespørgsel"


SVAR_ART = "SF2530_SVAR"


class SendtFil(Fil):
    """The SF2520/SF2530 files KY puts in OUT/ (with their triggers): a view of the exchange
    layer's journal (integrations.Fil, issue 17). Journalled as ``sender`` with its exact bytes
    before the upload; ``sendt`` only once the trigger is uploaded (integrations.exchange.lever)."""

    objects = fil_manager(Retning.UD, tuple(FilArt.values))

    class Meta:
        proxy = True
        verbose_name = "sendt fil"
        verbose_name_plural = "sendte filer"

    def save(self, *args, **kwargs):
        self.retning, self.art = self.retning or Retning.UD, self.art or FilArt.SF2520
        super().save(*args, **kwargs)

    @property
    def afvist_aarsag(self) -> str:
        return self.fejl


class ForespoergselFil(SendtFil):
    """The SF2530 request files (a view of SendtFil)."""

    objects = fil_manager(Retning.UD, (FilArt.SF2530_FORESP,))

    class Meta:
        proxy = True
        verbose_name = "forespørgselsfil"
        verbose_name_plural = "forespørgselsfiler"


class ModtagetFil(Fil):
    """An SF2530 answer file read from IN/ (behandlet) or rejected (fejlet): a view of integrations.Fil."""

    objects = fil_manager(Retning.IND, (SVAR_ART,))

    class Meta:
        proxy = True
        verbose_name = "modtaget fil"
        verbose_name_plural = "modtagne filer"

    def save(self, *args, **kwargs):
        self.retning, self.art = self.retning or Retning.IND, self.art or SVAR_ART
        super().save(*args, **kwargs)

    @property
    def modtaget(self):
        return self.tid


class _LoebenummerManager(models.Manager):
    def get_queryset(self):
        return super().get_queryset().filter(art__in=FilArt.values)


class Loebenummer(IntegrationsLoebenummer):
    """The SF2520/SF2530 løbenummer counters (a view of integrations.Loebenummer)."""

    objects = _LoebenummerManager()

    class Meta:
        proxy = True


class Modregning(models.Model):
    """The amount withheld from one effektuering for one agreement."""

    effektuering = models.OneToOneField(Effektuering, on_delete=models.PROTECT, related_name="modregning_linje")
    aftale = models.ForeignKey(Betalingsadministrationsaftale, on_delete=models.PROTECT, related_name="modregninger")
    kommune = models.ForeignKey("core.Kommune", on_delete=models.PROTECT, related_name="+")
    maaned = models.DateField()
    beloeb = models.DecimalField(max_digits=12, decimal_places=2)
    modregnings_id = models.CharField(max_length=20, unique=True)  # "KY" + effektuering id: never repeats
    # the file it is in now: null while not sent, or after its file was rejected (AFVIST)
    sendt_fil = models.ForeignKey(Fil, null=True, blank=True, on_delete=models.PROTECT, related_name="modregninger")
    filer = models.ManyToManyField(Fil, through="ModregningFil", related_name="alle_modregninger")

    objects = scoped_manager()

    class Meta:
        verbose_name_plural = "modregninger"
        constraints = [
            models.UniqueConstraint(fields=["aftale", "maaned"], name="sf2520_modregning_aftale_maaned"),
            models.CheckConstraint(condition=Q(beloeb__gte=0), name="sf2520_modregning_ikke_negativ"),
        ]
        indexes = [models.Index(fields=["kommune", "sendt_fil"], name="sf2520_modr_send_idx")]


class ModregningFil(models.Model):
    """Every file a modregning was in (history across rejected files)."""

    modregning = models.ForeignKey(Modregning, on_delete=models.CASCADE)
    sendt_fil = models.ForeignKey(Fil, on_delete=models.CASCADE)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["modregning", "sendt_fil"], name="sf2520_modregningfil_unik")]


class BeloebKorrektion(models.Model):
    """Audit of a caseworker's correction of an amount on a draft."""

    effektuering = models.ForeignKey(Effektuering, on_delete=models.CASCADE, related_name="korrektioner")
    felt = models.CharField(max_length=20)
    gammel = models.DecimalField(max_digits=12, decimal_places=2)
    ny = models.DecimalField(max_digits=12, decimal_places=2)
    begrundelse = models.TextField()
    bruger = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    tidspunkt = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-tidspunkt"]
