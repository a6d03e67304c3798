"""The document platform (contract breve.md): letters (Brev), lists (Liste), reports a user
ordered (Rapport), the kommune's letterhead (Brevhoved) and inbound documents (IndgaaendeDokument);
dispatch files are journalled by the exchange layer (integrations.Fil).

The PDF bytes of every letter and list live in ``cases.Dokument.indhold`` (the document on the sag,
kassation as for every Dokument); Brev and Liste keep the data they were rendered from."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from ky.core.scoping import scoped_manager


class Brevhoved(models.Model):
    """The kommune's name and address as the letterhead shows them, and whether it has a print
    agreement (an exempt citizen's letter needs one)."""

    kommune = models.OneToOneField("core.Kommune", primary_key=True, on_delete=models.CASCADE,
                                   related_name="brevhoved")
    afsender = models.CharField("afsender", max_length=120, help_text="fx 'Københavns Kommune, Borgerservice'")
    adresse = models.CharField(max_length=120)
    postnr = models.CharField(max_length=4)
    by = models.CharField(max_length=60)
    telefon = models.CharField(max_length=20, blank=True)
    email = models.CharField(max_length=120, blank=True)
    cvr = models.CharField("CVR-nummer", max_length=8, blank=True)
    print_kanal = models.BooleanField("aftale om fysisk print", default=True)

    objects = scoped_manager()

    class Meta:
        verbose_name = "brevhoved"
        verbose_name_plural = "brevhoveder"

    def __str__(self):
        return f"{self.afsender} ({self.kommune_id})"


class BrevStatus(models.TextChoices):
    KLAR = "klar", "Klar"
    SENDT = "sendt", "Sendt"
    FEJLET = "fejlet", "Fejlet"


class Kanal(models.TextChoices):
    DIGITAL_POST = "digital_post", "Digital Post"
    PRINT = "print", "Print"


class Brev(models.Model):
    """A letter to a citizen or a party (contract breve.md): klar -> sendt | fejlet."""

    kommune = models.ForeignKey("core.Kommune", on_delete=models.PROTECT, related_name="breve")
    type = models.CharField(max_length=60)
    sag = models.ForeignKey("cases.Sag", null=True, blank=True, on_delete=models.CASCADE, related_name="breve")
    ub_sag = models.ForeignKey("underholdsbidrag.UBSag", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="breve")
    cpr = models.CharField(max_length=10, blank=True, default="")
    titel = models.CharField(max_length=300)
    status = models.CharField(max_length=8, choices=BrevStatus.choices, default=BrevStatus.KLAR)
    kanal = models.CharField(max_length=14, choices=Kanal.choices, null=True, blank=True)
    fejl = models.TextField(blank=True, default="")
    dannet = models.DateTimeField(auto_now_add=True)
    sendt = models.DateTimeField(null=True, blank=True)
    # what the letter was made from, and to whom (navn, adresselinjer); kept for reprint and audit
    data = models.JSONField(default=dict, blank=True)
    modtager = models.JSONField(default=dict, blank=True)
    sider = models.PositiveSmallIntegerField(default=0)
    dokument = models.OneToOneField("cases.Dokument", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="brev")
    opgave = models.ForeignKey("cases.Opgave", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # the dispatch file the letter went in (the exchange layer's journal names it; docs/formats/breve.md)
    udsendelse = models.CharField(max_length=120, blank=True, default="")
    koersel = models.ForeignKey("batch.Koersel", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # idempotency: the same letter of the same type is made once (e.g. "varsel:<bevilling>:<til>")
    noegle = models.CharField(max_length=120, null=True, blank=True)

    objects = scoped_manager()

    class Meta:
        verbose_name = "brev"
        verbose_name_plural = "breve"
        constraints = [
            models.UniqueConstraint(fields=["kommune", "type", "noegle"], condition=Q(noegle__isnull=False),
                                    name="brev_unik_noegle"),
            models.CheckConstraint(condition=~Q(status="sendt") | (Q(kanal__isnull=False) & Q(sendt__isnull=False)),
                                   name="brev_sendt_har_kanal"),
            models.CheckConstraint(condition=~Q(status="fejlet") | ~Q(fejl=""), name="brev_fejlet_har_aarsag"),
        ]
        indexes = [
            models.Index(fields=["kommune", "status", "kanal"], name="brev_afsendelse_idx"),
            models.Index(fields=["kommune", "-id"], name="brev_kommune_idx"),
            models.Index(fields=["cpr"], name="brev_cpr_idx"),
            models.Index(fields=["udsendelse"], name="brev_udsendelse_idx", condition=~Q(udsendelse="")),
        ]

    def __str__(self):
        return f"Brev {self.pk} ({self.type})"


class Liste(models.Model):
    """A list for the kommune's own staff (advisliste, udbetalingsjournal ...), per run or ordered."""

    kommune = models.ForeignKey("core.Kommune", on_delete=models.PROTECT, related_name="lister")
    type = models.CharField(max_length=60)
    titel = models.CharField(max_length=300)
    koersel = models.ForeignKey("batch.Koersel", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    dannet = models.DateTimeField(auto_now_add=True)
    sider = models.PositiveSmallIntegerField(default=0)
    data = models.JSONField(default=dict, blank=True)
    # tabular lists: the rows as CSV (semicolon, UTF-8 with BOM, Danish decimals); null when not tabular
    csv = models.TextField(null=True, blank=True)
    dokument = models.OneToOneField("cases.Dokument", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="liste")

    objects = scoped_manager()

    class Meta:
        verbose_name = "liste"
        verbose_name_plural = "lister"
        indexes = [models.Index(fields=["kommune", "-id"], name="liste_kommune_idx"),
                   models.Index(fields=["koersel"], name="liste_koersel_idx")]

    def __str__(self):
        return f"Liste {self.pk} ({self.type})"


class RapportStatus(models.TextChoices):
    BESTILT = "bestilt", "Bestilt"
    DANNES = "dannes", "Dannes"
    FAERDIG = "faerdig", "Færdig"
    FEJLET = "fejlet", "Fejlet"


class Rapport(models.Model):
    """A report a user ordered; produced by ``fasterapporter`` (seed 000, nr. 66) as a Liste."""

    kommune = models.ForeignKey("core.Kommune", on_delete=models.PROTECT, related_name="rapporter")
    type = models.CharField(max_length=60)
    parametre = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=8, choices=RapportStatus.choices, default=RapportStatus.BESTILT)
    bestilt = models.DateTimeField(auto_now_add=True)
    bestilt_af = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    liste = models.OneToOneField(Liste, null=True, blank=True, on_delete=models.SET_NULL, related_name="rapport")
    fejl = models.TextField(blank=True, default="")
    koersel = models.ForeignKey("batch.Koersel", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    objects = scoped_manager()

    class Meta:
        verbose_name = "rapport"
        verbose_name_plural = "rapporter"
        indexes = [models.Index(fields=["status", "kommune"], name="rapport_status_idx")]

    def __str__(self):
        return f"Rapport {self.pk} ({self.type})"


class IndgaaendeStatus(models.TextChoices):
    AFVENTER = "afventer", "Afventer fordeling"
    GODKENDT = "godkendt", "Godkendt på sag"
    OPGAVE = "opgave", "Opgave oprettet"


class IndgaaendeDokument(models.Model):
    """A document from the fordelingskomponent (SF2900), to be placed on a sag (seed 000, nr. 82)."""

    kommune = models.ForeignKey("core.Kommune", on_delete=models.PROTECT, related_name="+")
    sf2900_id = models.CharField("SF2900 dokument-id", max_length=60)
    cpr = models.CharField(max_length=10, blank=True, default="")
    sag_id_angivet = models.BigIntegerField(null=True, blank=True)
    titel = models.CharField(max_length=300)
    modtaget = models.DateTimeField(auto_now_add=True)
    filnavn = models.CharField(max_length=120)
    indhold = models.BinaryField()
    mimetype = models.CharField(max_length=60, default="application/pdf")
    status = models.CharField(max_length=10, choices=IndgaaendeStatus.choices, default=IndgaaendeStatus.AFVENTER)
    sag = models.ForeignKey("cases.Sag", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    dokument = models.OneToOneField("cases.Dokument", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="indgaaende")
    opgave = models.ForeignKey("cases.Opgave", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    aarsag = models.CharField(max_length=200, blank=True, default="")

    objects = scoped_manager()

    class Meta:
        verbose_name = "indgående dokument"
        verbose_name_plural = "indgående dokumenter"
        constraints = [models.UniqueConstraint(fields=["kommune", "sf2900_id"], name="indgaaende_unik")]
