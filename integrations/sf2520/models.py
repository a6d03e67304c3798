"""Models of SF2520/SF2530 modregning (contract sf2520.md, seed 001)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from ky.scoping import scoped_manager


class AftaleStatus(models.TextChoices):
    AKTIV = "aktiv", "Aktiv"
    OPHOERT = "ophoert", "Ophørt"


class Betalingsadministrationsaftale(models.Model):
    """UDK Betalingsadministration's agreement on child support for a borger (SF2530 answer)."""

    aftale_id = models.CharField("aftale-id", max_length=20)
    kommune = models.ForeignKey("cases.Kommune", on_delete=models.PROTECT, related_name="+")
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
    kommune = models.ForeignKey("cases.Kommune", on_delete=models.PROTECT, related_name="+")
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


class FilStatus(models.TextChoices):
    # in flight (not yet sent): the row is committed BEFORE anything is uploaded, so a run that
    # dies or whose database commit fails is finished by the next run (services.lever_fil)
    SENDER = "sender", "Under afsendelse"
    UPLOADET = "uploadet", "Datafil uploadet, trigger mangler"
    SENDT = "sendt", "Sendt"
    KVITTERET = "kvitteret", "Kvitteret"
    FEJLET = "fejlet", "Fejlet"


class Loebenummer(models.Model):
    """The counter of løbenumre per kommune and file kind (read with SELECT FOR UPDATE)."""

    kommune = models.ForeignKey("cases.Kommune", on_delete=models.PROTECT, related_name="+")
    art = models.CharField(max_length=20, choices=FilArt.choices)
    sidste = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kommune", "art"], name="sf2520_loebenummer_unik")]


class SendtFil(models.Model):
    """A data file KY puts in OUT/ (with its trigger). Journalled as ``sender`` with its exact
    bytes before the upload; ``sendt`` only once the trigger is uploaded (services.lever_fil)."""

    art = models.CharField(max_length=20, choices=FilArt.choices, default=FilArt.SF2520)
    kommune = models.ForeignKey("cases.Kommune", on_delete=models.PROTECT, related_name="+")
    filnavn = models.CharField(max_length=100, unique=True)
    loebenummer = models.PositiveIntegerField()
    koerselsdato = models.DateField()
    antal = models.PositiveIntegerField()
    sum_beloeb = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    status = models.CharField(max_length=10, choices=FilStatus.choices, default=FilStatus.SENDER)
    dannet = models.DateTimeField(null=True)  # the start record's creation date/time
    indhold = models.BinaryField(null=True, editable=False)  # the exact bytes uploaded
    sendt = models.DateTimeField(null=True, blank=True)
    kvitteret = models.DateTimeField(null=True, blank=True)
    senders_file_id = models.UUIDField(unique=True)
    afvist_aarsag = models.TextField(blank=True)

    objects = scoped_manager()

    class Meta:
        verbose_name = "sendt fil"
        verbose_name_plural = "sendte filer"
        constraints = [
            models.UniqueConstraint(fields=["kommune", "art", "loebenummer"], name="sf2520_fil_loebenummer_unik"),
            # one SF2530 request per kommune and kørselsdato (idempotent re-runs)
            models.UniqueConstraint(fields=["kommune", "koerselsdato"], condition=Q(art="SF2530_FORESP"),
                                    name="sf2520_foresp_unik_dag"),
        ]


class ForespoergselFil(SendtFil):
    """The SF2530 request files (a view of SendtFil)."""

    class Meta:
        proxy = True
        verbose_name = "forespørgselsfil"
        verbose_name_plural = "forespørgselsfiler"


class ModtagetFil(models.Model):
    """An SF2530 answer file read from IN/ (behandlet) or rejected (fejlet)."""

    kommune = models.ForeignKey("cases.Kommune", null=True, on_delete=models.PROTECT, related_name="+")
    filnavn = models.CharField(max_length=100)
    status = models.CharField(max_length=10, choices=[("behandlet", "Behandlet"), ("fejlet", "Fejlet")])
    antal = models.PositiveIntegerField(default=0)
    fejl = models.TextField(blank=True)
    modtaget = models.DateTimeField(auto_now_add=True)

    objects = scoped_manager()


class Modregning(models.Model):
    """The amount withheld from one effektuering for one agreement."""

    effektuering = models.OneToOneField(Effektuering, on_delete=models.PROTECT, related_name="modregning_linje")
    aftale = models.ForeignKey(Betalingsadministrationsaftale, on_delete=models.PROTECT, related_name="modregninger")
    kommune = models.ForeignKey("cases.Kommune", on_delete=models.PROTECT, related_name="+")
    maaned = models.DateField()
    beloeb = models.DecimalField(max_digits=12, decimal_places=2)
    modregnings_id = models.CharField(max_length=20, unique=True)  # "KY" + effektuering id: never repeats
    # the file it is in now: null while not sent, or after its file was rejected (AFVIST)
    sendt_fil = models.ForeignKey(SendtFil, null=True, blank=True, on_delete=models.PROTECT, related_name="modregninger")
    filer = models.ManyToManyField(SendtFil, through="ModregningFil", related_name="alle_modregninger")

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
    sendt_fil = models.ForeignKey(SendtFil, on_delete=models.CASCADE)

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
