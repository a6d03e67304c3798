"""Debitorkonti and fordringer (claims)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from ky.core.scoping import scoped_manager


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
    # no index of its own: the unique (kommune, kontonr) serves every lookup by kommune
    kommune = models.ForeignKey("core.Kommune", on_delete=models.PROTECT, related_name="debitorkonti",
                                db_index=False)
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
        constraints = [
            models.UniqueConstraint(fields=["kommune", "kontonr"], name="debitorkonto_unik_kontonr"),
            # the target of the fordringer's foreign key (debitorkonto, kommune): see Fordring
            models.UniqueConstraint(fields=["id", "kommune"], name="debitorkonto_id_kommune"),
        ]
        indexes = [models.Index(fields=["kommune", "sag"], name="debitorkonto_sag_idx")]

    def __str__(self):
        return f"Debitorkonto {self.kontonr}"


class Fordring(models.Model):
    # One database foreign key (debitorkonto_id, kommune_id) -> debitorkonto (id, kommune_id), added by migration
    # debitor 0003, stands for both columns: a fordring lies in its debitorkonto's kommune (which two single
    # keys would not ensure), and an import of a million fordringer pays one key check per row instead of two.
    # The kommune is then known to exist through the debitorkonto's own key; the unique (kommune, fordring_id)
    # serves lookups by kommune.
    kommune = models.ForeignKey("core.Kommune", on_delete=models.PROTECT, related_name="fordringer",
                                db_constraint=False, db_index=False)
    debitorkonto = models.ForeignKey(Debitorkonto, on_delete=models.CASCADE, related_name="fordringer",
                                     db_constraint=False)
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


# --- MI 32 (seed 002) -----------------------------------------------------------------------------

MI32_PAKKE_KODE = "MI32"
MI32_PAKKE_NAVN = "MI 32 Manuel tilknytning af debitorkonti fra KMD Aktiv"
MI32_OPGAVETYPE = "mi32"


class Mi32Aarsag(models.TextChoices):
    """Why a debitorkonto could not be attached automatically (mi32.md, route 3)."""

    MANGLER_BEVILLINGSNR = "mangler_bevillingsnr", "Bevillingsnummer mangler (tabt ved migrering)"
    UKENDT_BEVILLINGSNR = "ukendt_bevillingsnr", "Ukendt bevillingsnummer"
    CPR_AFVIGER = "cpr_afviger", "CPR-nummeret passer ikke med bevillingens"
    FLERE_BEVILLINGER = "flere_bevillinger", "Bevillingsnummeret passer med flere bevillinger"
    MANUEL_YDELSESTYPE = "manuel_ydelsestype", "Særlig støtte eller manuel fordring"
    ANDEN_KOMMUNE = "anden_kommune", "Bevillingen hører til en anden kommune"


class ImportStatus(models.TextChoices):
    GENNEMFOERT = "gennemfoert", "Gennemført"
    PROEVEKOERSEL = "proevekoersel", "Prøvekørsel (intet gemt)"
    AFVIST = "afvist", "Afvist (intet gemt)"


class KmdAktivImport(models.Model):
    """One import of a KMD Aktiv debitorkonto file: who, when, which file, what came of it."""

    kommune = models.ForeignKey("core.Kommune", on_delete=models.PROTECT, related_name="kmd_aktiv_importer")
    bruger = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    tidspunkt = models.DateTimeField(auto_now_add=True)
    filnavn = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    dry_run = models.BooleanField(default=False)
    status = models.CharField(max_length=20, choices=ImportStatus.choices)
    resume = models.JSONField("resumé", default=dict, blank=True)
    fejl = models.JSONField(default=list, blank=True)

    objects = scoped_manager()

    class Meta:
        verbose_name = "KMD Aktiv-import"
        verbose_name_plural = "KMD Aktiv-importer"
        ordering = ["-tidspunkt"]

    def __str__(self):
        return f"{self.filnavn} ({self.kommune_id}, {self.tidspunkt:%Y-%m-%d %H:%M})"


class KmdAktivUpload(models.Model):
    """A KMD Aktiv file uploaded on the screen: stored under MEDIA_ROOT and imported by a batch run
    (job ``kmd-aktiv-import``) on an RQ worker, never inside the HTTP request (issue 21)."""

    koersel = models.OneToOneField("batch.Koersel", on_delete=models.CASCADE, related_name="kmd_aktiv_upload")
    kommune = models.ForeignKey("core.Kommune", on_delete=models.PROTECT, related_name="+")
    bruger = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    filnavn = models.CharField(max_length=255)
    sti = models.CharField("sti", max_length=500, help_text="The stored file; removed after the import.")
    stoerrelse = models.BigIntegerField("størrelse (bytes)")
    dry_run = models.BooleanField("prøvekørsel", default=False)
    oprettet = models.DateTimeField(auto_now_add=True)
    kmd_import = models.ForeignKey(KmdAktivImport, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    objects = scoped_manager()

    class Meta:
        verbose_name = "KMD Aktiv-upload"
        verbose_name_plural = "KMD Aktiv-uploads"

    def __str__(self):
        return f"{self.filnavn} ({self.kommune_id}, kørsel {self.koersel_id})"


class TilknytningsMaade(models.TextChoices):
    SAGSTILKNYTNING = "sagstilknytning", "Sagstilknytning (bevilling med sag)"
    SAGSOPRETTELSE = "sagsoprettelse", "Sagsoprettelse (ny sag til bevillingen)"
    EKSISTERENDE_SAG = "eksisterende_sag", "Tilknyttet eksisterende sag"
    NY_SAG = "ny_sag", "Ny sag oprettet"


class Tilknytning(models.Model):
    """Audit of a caseworker's manual attachment of a debitorkonto (mi32.md: records who did what)."""

    kommune = models.ForeignKey("core.Kommune", on_delete=models.PROTECT, related_name="+")
    debitorkonto = models.ForeignKey(Debitorkonto, on_delete=models.CASCADE, related_name="tilknytninger")
    opgave = models.ForeignKey("cases.Opgave", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    bruger = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    maade = models.CharField("måde", max_length=20, choices=TilknytningsMaade.choices)
    sag = models.ForeignKey("cases.Sag", on_delete=models.PROTECT, related_name="+")
    bevilling = models.ForeignKey("cases.Bevilling", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    tidspunkt = models.DateTimeField(auto_now_add=True)

    objects = scoped_manager()

    class Meta:
        verbose_name = "tilknytning"
        verbose_name_plural = "tilknytninger"


class PosteringType(models.TextChoices):
    DAEKNING = "daekning", "Dækning"
    AFSKRIVNING = "afskrivning", "Afskrivning"
    NEDREGULERING = "nedregulering", "Nedregulering"


class Fordringspostering(models.Model):
    """A covering, write-off or reduction on a fordring (seed 002: needs a sag)."""

    kommune = models.ForeignKey("core.Kommune", on_delete=models.PROTECT, related_name="+")
    fordring = models.ForeignKey(Fordring, on_delete=models.CASCADE, related_name="posteringer")
    type = models.CharField(max_length=20, choices=PosteringType.choices)
    beloeb = models.DecimalField("beløb", max_digits=14, decimal_places=2)
    dato = models.DateField()
    restgaeld_foer = models.DecimalField("restgæld før", max_digits=14, decimal_places=2)
    restgaeld_efter = models.DecimalField("restgæld efter", max_digits=14, decimal_places=2)
    bruger = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    oprettet = models.DateTimeField(auto_now_add=True)

    objects = scoped_manager()

    class Meta:
        verbose_name = "fordringspostering"
        verbose_name_plural = "fordringsposteringer"
        ordering = ["fordring", "id"]
        constraints = [models.CheckConstraint(condition=Q(beloeb__gt=0), name="postering_beloeb_positivt")]


class KlikOpgave(models.Model):
    """The kommune's KLIK task for MI 32 (seed 002, task header): the package's startdato (the first import that
    gave it tasks) and its deadline. Default deadline: "Slutdato: 1 måned efter startdato"; the kommuneadmin may
    set another ("senest jf. deadline for KLIK-opgaven"). Every MI 32 task's frist is "Opgavevarighed: 15 dage"
    from its creation, never after the deadline (debitor/klik.py)."""

    opgavepakke = models.OneToOneField("cases.Opgavepakke", primary_key=True, on_delete=models.CASCADE,
                                       related_name="klik")
    kommune = models.ForeignKey("core.Kommune", on_delete=models.PROTECT, related_name="+")
    startdato = models.DateField()
    deadline = models.DateField()
    deadline_sat_af = models.CharField(max_length=150, blank=True)
    aendret = models.DateTimeField(auto_now=True)

    objects = scoped_manager()

    class Meta:
        verbose_name = "KLIK-opgave (MI 32)"
        verbose_name_plural = "KLIK-opgaver (MI 32)"
        constraints = [models.CheckConstraint(condition=models.Q(deadline__gte=models.F("startdato")),
                                              name="klik_deadline_efter_start")]
