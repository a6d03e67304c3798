"""Udbetalinger (NemKonto payments) and finansbilag (contract udbetaling.md, issue 14).

One model for every payment ky makes, whatever its source: a finalised effektuering
(kontanthjælp net of SF2520 modregning), underholdsbidrag's weekly run (seed 004, 3.3.2),
APØ and kvikudbetalinger. The status moves by the table in ``states.py``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from ky.core.scoping import scoped_manager


class Status(models.TextChoices):
    KLAR = "klar", "Klar"
    SENDT = "sendt", "Sendt"
    GENNEMFOERT = "gennemfoert", "Gennemført"
    AFVIST = "afvist", "Afvist"


class Kilde(models.TextChoices):
    EFFEKTUERING = "effektuering", "Effektuering"
    UNDERHOLDSBIDRAG = "underholdsbidrag", "Underholdsbidrag"
    APOE = "apoe", "APØ"
    KVIKUDBETALING = "kvikudbetaling", "Kvikudbetaling"


class Modtagertype(models.TextChoices):
    BORGER = "borger", "Borger"
    KOMMUNE = "kommune", "Kommune"
    KREDITOR = "kreditor", "Kreditor"


class Maade(models.TextChoices):
    """How the money goes (seed 004, 3.3.2 udbetalingsform): NemKonto (PBS/bankoverførsel) and
    standardcheck go in the SF1590E file (NemKonto sends a check to a recipient without an account);
    kontant is paid at the kommune's kasse from the kontantliste and never in a file."""

    NEMKONTO = "nemkonto", "NemKonto"
    STANDARDCHECK = "standardcheck", "Standardcheck"
    KONTANT = "kontant", "Kontant"


class OpgaveAarsag(models.TextChoices):
    AFVIST_NEMKONTO = "afvist-nemkonto", "Udbetalingen er afvist af NemKonto"


AFVIST_PAKKE = ("AFVISTE-UDB", "Afviste udbetalinger")
AFVIST_OPGAVETYPE = "afvist-udbetaling"


class Udbetaling(models.Model):
    """One payment to one recipient on one date (udbetaling.md)."""

    kommune = models.ForeignKey("core.Kommune", on_delete=models.PROTECT, related_name="+", db_index=False)
    cpr = models.CharField("CPR-nummer", max_length=10, null=True, blank=True)
    person = models.ForeignKey("cases.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                               db_index=False)
    sag = models.ForeignKey("cases.Sag", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                            db_index=False)
    bevilling = models.ForeignKey("cases.Bevilling", null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+", db_index=False)
    modtagertype = models.CharField(max_length=10, choices=Modtagertype.choices, default=Modtagertype.BORGER)
    maade = models.CharField("måde", max_length=14, choices=Maade.choices, default=Maade.NEMKONTO)
    beloeb = models.DecimalField("beløb", max_digits=14, decimal_places=2)
    udbetalingsdato = models.DateField()
    kilde = models.CharField(max_length=20, choices=Kilde.choices)
    kilde_id = models.BigIntegerField()
    # 1 for the first payment of a kilde; a resend after afvist is the next attempt (udbetaling.md)
    forsoeg = models.PositiveSmallIntegerField("forsøg", default=1)
    forrige = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT, related_name="genudbetaling")
    posteringstekst = models.CharField(max_length=40, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.KLAR)
    status_tid = models.DateTimeField(auto_now_add=True)
    afvist_aarsag = models.CharField("afvist årsag", max_length=30, blank=True)
    # the SF1590E file it went out in (the exchange journal's row; integrations, issue 17)
    fil_id = models.BigIntegerField(null=True, blank=True)
    oprettet = models.DateTimeField(auto_now_add=True)
    oprettet_af = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", db_index=False)

    objects = scoped_manager()

    class Meta:
        verbose_name = "udbetaling"
        verbose_name_plural = "udbetalinger"
        constraints = [
            # money never goes out twice for the same kilde (and so period): at most one payment of a
            # kilde that is not afvist, whatever path writes it
            models.UniqueConstraint(fields=["kilde", "kilde_id"], condition=~Q(status="afvist"),
                                    name="udbetaling_en_gang"),
            # the sources' INSERT ... ON CONFLICT key: a kilde's first payment is created once, a resend
            # is a new attempt made by a caseworker only
            models.UniqueConstraint(fields=["kilde", "kilde_id", "forsoeg"], name="udbetaling_kilde_forsoeg"),
            models.CheckConstraint(condition=Q(beloeb__gt=0), name="udbetaling_beloeb_positivt"),
            models.CheckConstraint(condition=Q(status__in=Status.values), name="udbetaling_status_gyldig"),
            models.CheckConstraint(condition=~Q(modtagertype="borger") | Q(cpr__regex=r"^[0-9]{10}$"),
                                   name="udbetaling_borger_har_cpr"),
            models.CheckConstraint(condition=Q(forsoeg=1, forrige__isnull=True) | Q(forsoeg__gt=1, forrige__isnull=False),
                                   name="udbetaling_forsoeg_forrige"),
        ]
        indexes = [
            models.Index(fields=["kommune", "status", "udbetalingsdato"], name="udbetaling_status_idx"),
            models.Index(fields=["kommune", "-id"], name="udbetaling_kommune_idx"),
            models.Index(fields=["cpr"], name="udbetaling_cpr_idx"),
            models.Index(fields=["sag"], name="udbetaling_sag_idx", condition=Q(sag__isnull=False)),
            models.Index(fields=["fil_id"], name="udbetaling_fil_idx", condition=Q(fil_id__isnull=False)),
        ]

    def __str__(self):
        return f"Udbetaling {self.pk} ({self.beloeb} kr., {self.get_status_display().lower()})"


class Kvikudbetaling(models.Model):
    """A caseworker's same-day payment on a bevilling (udbetaling.md, POST /udbetalinger/kvik/)."""

    kommune = models.ForeignKey("core.Kommune", on_delete=models.PROTECT, related_name="+")
    bevilling = models.ForeignKey("cases.Bevilling", on_delete=models.PROTECT, related_name="+")
    beloeb = models.DecimalField("beløb", max_digits=14, decimal_places=2)
    begrundelse = models.TextField()
    bruger = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    oprettet = models.DateTimeField(auto_now_add=True)

    objects = scoped_manager()

    class Meta:
        verbose_name = "kvikudbetaling"
        verbose_name_plural = "kvikudbetalinger"
        constraints = [models.CheckConstraint(condition=Q(beloeb__gt=0), name="kvik_beloeb_positivt")]


# ---------------------------------------------------------------- finansbilag (SF1590_A)

class BilagStatus(models.TextChoices):
    KLAR = "klar", "Klar"
    SENDT = "sendt", "Sendt"
    BOGFOERT = "bogfoert", "Bogført"
    AFVIST = "afvist", "Afvist"


class Finanskonto(models.Model):
    """The kommune's kontoplan for ky's postings: one konto per noegle (services.KONTONOEGLER).
    A kommune without a row for a noegle uses ky's default (docs/udbetaling.md)."""

    kommune = models.ForeignKey("core.Kommune", on_delete=models.CASCADE, related_name="+")
    noegle = models.CharField("nøgle", max_length=40)
    konto = models.CharField(max_length=20)
    tekst = models.CharField(max_length=60, blank=True)

    objects = scoped_manager()

    class Meta:
        verbose_name = "finanskonto"
        verbose_name_plural = "finanskonti"
        constraints = [models.UniqueConstraint(fields=["kommune", "noegle"], name="finanskonto_unik")]


class Finansbilag(models.Model):
    """One day's postings of one kommune, double entry: sum debet = sum kredit, by construction
    (services.dan_finansbilag) and by the database (the check below and the deferred trigger of
    migration 0002 comparing the lines with the header)."""

    kommune = models.ForeignKey("core.Kommune", on_delete=models.PROTECT, related_name="+")
    bogfoeringsdato = models.DateField("bogføringsdato")
    nr = models.PositiveIntegerField(default=1)  # the day's bilag number (a resend after afvist is the next)
    status = models.CharField(max_length=10, choices=BilagStatus.choices, default=BilagStatus.KLAR)
    sum_debet = models.DecimalField(max_digits=16, decimal_places=2)
    sum_kredit = models.DecimalField(max_digits=16, decimal_places=2)
    fil_id = models.BigIntegerField(null=True, blank=True)
    afvist_aarsag = models.TextField(blank=True)
    oprettet = models.DateTimeField(auto_now_add=True)
    status_tid = models.DateTimeField(auto_now_add=True)

    objects = scoped_manager()

    class Meta:
        verbose_name = "finansbilag"
        verbose_name_plural = "finansbilag"
        constraints = [
            models.CheckConstraint(condition=Q(sum_debet=F("sum_kredit")), name="finansbilag_balance"),
            models.UniqueConstraint(fields=["kommune", "bogfoeringsdato", "nr"], name="finansbilag_unik"),
        ]


class FinansbilagLinje(models.Model):
    bilag = models.ForeignKey(Finansbilag, on_delete=models.CASCADE, related_name="linjer")
    konto = models.CharField(max_length=20)
    debet = models.DecimalField(max_digits=16, decimal_places=2, default=0)
    kredit = models.DecimalField(max_digits=16, decimal_places=2, default=0)
    cpr = models.CharField(max_length=10, null=True, blank=True)
    tekst = models.CharField(max_length=60, blank=True)

    class Meta:
        ordering = ["bilag", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(debet__gte=0) & Q(kredit__gte=0) & (Q(debet=0) | Q(kredit=0)),
                                   name="finansbilaglinje_en_side"),
        ]


class Bogfoering(models.Model):
    """Which bilag booked a movement: every udbetaling, fordring and fordringspostering is booked exactly once
    (unique art + objekt); the rows of an afvist bilag are released for the next one."""

    ART = [("udbetaling", "Udbetaling"), ("fordring", "Fordring"), ("postering", "Dækning/afskrivning/nedregulering")]
    art = models.CharField(max_length=12, choices=ART)
    objekt_id = models.BigIntegerField()
    bilag = models.ForeignKey(Finansbilag, on_delete=models.CASCADE, related_name="bogfoeringer")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["art", "objekt_id"], name="bogfoering_en_gang")]
        indexes = [models.Index(fields=["bilag"], name="bogfoering_bilag_idx")]


# ---------------------------------------------------------------- indbetalinger (debitor-indbetaling)

class Indbetaling(models.Model):
    """A payment received on a debitorkonto (IN/INDBETALING, udbetaling.md), placed as dækninger on
    its fordringer oldest stiftelsesdato first; what is left is a credit on the konto (``overskud``).
    One row per file line: a file read again covers nothing twice."""

    kommune = models.ForeignKey("core.Kommune", on_delete=models.PROTECT, related_name="+")
    filnavn = models.CharField(max_length=150)
    linje = models.PositiveIntegerField()
    cpr = models.CharField("CPR-nummer", max_length=10)
    kontonr = models.CharField(max_length=20)
    debitorkonto = models.ForeignKey("debitor.Debitorkonto", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    beloeb = models.DecimalField("beløb", max_digits=14, decimal_places=2)
    indbetalingsdato = models.DateField()
    daekket = models.DecimalField("dækket", max_digits=14, decimal_places=2, default=0)
    overskud = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    fejl = models.CharField(max_length=200, blank=True)  # why it could not be placed (then a task)
    oprettet = models.DateTimeField(auto_now_add=True)

    objects = scoped_manager()

    class Meta:
        verbose_name = "indbetaling"
        verbose_name_plural = "indbetalinger"
        constraints = [
            models.UniqueConstraint(fields=["filnavn", "linje"], name="indbetaling_en_gang"),
            models.CheckConstraint(condition=Q(beloeb__gt=0), name="indbetaling_beloeb_positivt"),
            models.CheckConstraint(condition=Q(daekket__gte=0) & Q(overskud__gte=0)
                                   & Q(beloeb=F("daekket") + F("overskud")), name="indbetaling_fordelt"),
        ]
        indexes = [models.Index(fields=["debitorkonto"], name="indbetaling_konto_idx")]


# ---------------------------------------------------------------- inddrivelse (debitor-send-krav)

class Inddrivelseskrav(models.Model):
    """A fordring sent to inddrivelse (debitor-send-krav): its status and the date and restgæld it
    was last sent with. Sent again when its restgæld has changed since (issue 14 #15)."""

    kommune = models.ForeignKey("core.Kommune", on_delete=models.PROTECT, related_name="+")
    fordring = models.OneToOneField("debitor.Fordring", on_delete=models.CASCADE, related_name="inddrivelse")
    status = models.CharField(max_length=12, default="sendt",
                              choices=[("sendt", "Sendt til inddrivelse"), ("tilbagekaldt", "Tilbagekaldt")])
    sendt_dato = models.DateField()
    restgaeld_sendt = models.DecimalField("restgæld sendt", max_digits=14, decimal_places=2)
    gange = models.PositiveIntegerField(default=1)
    fil_id = models.BigIntegerField(null=True, blank=True)

    objects = scoped_manager()

    class Meta:
        verbose_name = "inddrivelseskrav"
        verbose_name_plural = "inddrivelseskrav"


# ---------------------------------------------------------------- afdragsordninger (opkraevning-af-periodekrav)

class Afdragsordning(models.Model):
    """An agreement that the debtor pays a debitorkonto off by a fixed monthly amount (issue 14 #56)."""

    kommune = models.ForeignKey("core.Kommune", on_delete=models.PROTECT, related_name="+")
    debitorkonto = models.ForeignKey("debitor.Debitorkonto", on_delete=models.CASCADE, related_name="afdragsordninger")
    maanedligt_beloeb = models.DecimalField("månedligt beløb", max_digits=14, decimal_places=2)
    startdato = models.DateField()
    slutdato = models.DateField(null=True, blank=True)
    oprettet = models.DateTimeField(auto_now_add=True)

    objects = scoped_manager()

    class Meta:
        verbose_name = "afdragsordning"
        verbose_name_plural = "afdragsordninger"
        constraints = [models.CheckConstraint(condition=Q(maanedligt_beloeb__gt=0), name="afdrag_beloeb_positivt")]


class Periodekrav(models.Model):
    """The month's claim of an afdragsordning, made once (unique per ordning and month)."""

    kommune = models.ForeignKey("core.Kommune", on_delete=models.PROTECT, related_name="+")
    afdragsordning = models.ForeignKey(Afdragsordning, on_delete=models.CASCADE, related_name="periodekrav")
    periode = models.DateField()  # the month's first day
    forfaldsdato = models.DateField()
    beloeb = models.DecimalField("beløb", max_digits=14, decimal_places=2)
    oprettet = models.DateTimeField(auto_now_add=True)

    objects = scoped_manager()

    class Meta:
        verbose_name_plural = "periodekrav"
        constraints = [
            models.UniqueConstraint(fields=["afdragsordning", "periode"], name="periodekrav_en_gang"),
            models.CheckConstraint(condition=Q(beloeb__gt=0), name="periodekrav_beloeb_positivt"),
        ]


# ---------------------------------------------------------------- overdragelse-af-debitorkonto

class Overdragelse(models.Model):
    """A debitorkonto ky no longer has rights over, handed over once with its saldo (issue 14 #65):
    to the kommune the debtor moved to (a new konto there with the open fordringer), or to
    inddrivelse (every open fordring sent). The old konto and its history stay; its fordringer are
    brought to 0 by a nedregulering each."""

    kommune = models.ForeignKey("core.Kommune", on_delete=models.PROTECT, related_name="+")
    debitorkonto = models.OneToOneField("debitor.Debitorkonto", on_delete=models.CASCADE, related_name="overdragelse")
    aarsag = models.CharField("årsag", max_length=12, choices=[("flyttet", "Debitor er flyttet til en anden kommune"),
                                                               ("inddrivelse", "Sendt til inddrivelse")])
    til_kommune = models.ForeignKey("core.Kommune", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    ny_debitorkonto = models.ForeignKey("debitor.Debitorkonto", null=True, blank=True, on_delete=models.SET_NULL,
                                        related_name="+")
    saldo = models.DecimalField(max_digits=14, decimal_places=2)
    dato = models.DateField()

    objects = scoped_manager()

    class Meta:
        verbose_name = "overdragelse"
        verbose_name_plural = "overdragelser"
