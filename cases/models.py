"""Cases: personer (CPR), sager, bevillinger, opgaver,
opgavepakker and fordelingsnøgler. Kommune, User and Adgangslog live in ky.core (re-exported here)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from cases.cpr import validate_cpr
from ky.core.models import Adgangslog, Kommune, KommuneQuerySet, User  # noqa: F401 (re-exported: moved to ky.core)
from ky.core.roles import Role  # noqa: F401 (re-exported)
from ky.core.scoping import ScopedQuerySet, scoped_manager


class Ydelsestype(models.TextChoices):
    KTH = "KTH", "Kontanthjælp"
    UDH = "UDH", "Uddannelseshjælp"
    HTF = "HTF", "Hjælp til forsørgelse (integrationsydelse)"
    SAES = "SAES", "Særlig støtte"
    BOS = "BOS", "Boligstøtte"
    FLEKS = "FLEKS", "Flekslønstilskud"
    APOE = "APOE", "Administration af pension (APØ)"
    MANUEL = "MANUEL", "Manuel fordring"


class PersonQuerySet(models.QuerySet):
    def for_user(self, user):
        """A person is visible to a kommune-bound user when any of its sager,
        bevillinger or debitorkonti belongs to one of the user's kommuner."""
        from ky.core.scoping import user_kommune_codes

        codes = user_kommune_codes(user)
        if codes is None:
            return self
        return self.filter(
            Q(sager__kommune_id__in=codes)
            | Q(bevillinger__kommune_id__in=codes)
            | Q(debitorkonti__kommune_id__in=codes)
        ).distinct()


class Person(models.Model):
    """A borger, identified by CPR (stored without dash)."""

    cpr = models.CharField("CPR-nummer", max_length=10, unique=True, validators=[validate_cpr])
    navn = models.CharField(max_length=200, blank=True)
    oprettet = models.DateTimeField(auto_now_add=True)
    aendret = models.DateTimeField(auto_now=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = "person"
        verbose_name_plural = "personer"

    def __str__(self):
        return f"{self.cpr} {self.navn}".strip()


class SagStatus(models.TextChoices):
    AKTIV = "aktiv", "Aktiv"
    LUKKET = "lukket", "Lukket"


class Sag(models.Model):
    kommune = models.ForeignKey(Kommune, on_delete=models.PROTECT, related_name="sager")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="sager")
    ydelsestype = models.CharField(max_length=10, choices=Ydelsestype.choices)
    status = models.CharField(max_length=10, choices=SagStatus.choices, default=SagStatus.AKTIV)
    startdato = models.DateField()
    lukket_dato = models.DateField(null=True, blank=True)
    kle_nummer = models.CharField("KLE-nummer", max_length=20, blank=True)
    team = models.CharField(max_length=50, blank=True)
    sagsbehandler = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="sager"
    )
    # retention (batch.md: update-kassations, delete-cases, delete-marked-cases)
    kassationsdato = models.DateField(null=True, blank=True)
    markeret_til_sletning = models.BooleanField(default=False)
    oprettet = models.DateTimeField(auto_now_add=True)
    aendret = models.DateTimeField(auto_now=True, db_index=True)

    objects = scoped_manager()

    class Meta:
        verbose_name = "sag"
        verbose_name_plural = "sager"
        indexes = [
            models.Index(fields=["kommune", "status", "ydelsestype"]),
            models.Index(fields=["kommune", "-id"]),
        ]

    def __str__(self):
        return f"Sag {self.pk} ({self.get_ydelsestype_display()})"


class BevillingStatus(models.TextChoices):
    BEVILGET = "bevilget", "Bevilget"
    AFSLAG = "afslag", "Afslag"
    HENLAGT = "henlagt", "Henlagt"
    OPHOERT = "ophoert", "Ophørt"


class Bevilling(models.Model):
    """A granted (or refused) benefit. May exist without a sag: migrated from
    KMD Aktiv and not yet placed in a KY sag (api.md)."""

    kommune = models.ForeignKey(Kommune, on_delete=models.PROTECT, related_name="bevillinger")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="bevillinger")
    sag = models.ForeignKey(Sag, null=True, blank=True, on_delete=models.PROTECT, related_name="bevillinger")
    ydelsestype = models.CharField(max_length=10, choices=Ydelsestype.choices)
    kmd_aktiv_bevillingsnr = models.CharField("KMD Aktiv bevillingsnr.", max_length=20, null=True, blank=True)
    bevilget_fra = models.DateField()
    bevilget_til = models.DateField(null=True, blank=True)
    maanedligt_beloeb = models.DecimalField("månedligt beløb", max_digits=12, decimal_places=2, null=True, blank=True)
    status = models.CharField(max_length=10, choices=BevillingStatus.choices, default=BevillingStatus.BEVILGET)
    oprettet = models.DateTimeField(auto_now_add=True)
    aendret = models.DateTimeField(auto_now=True)

    objects = scoped_manager()

    class Meta:
        verbose_name = "bevilling"
        verbose_name_plural = "bevillinger"
        indexes = [
            models.Index(fields=["kommune", "kmd_aktiv_bevillingsnr"]),
            models.Index(fields=["kommune", "status", "ydelsestype"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(bevilget_til__isnull=True) | Q(bevilget_til__gte=models.F("bevilget_fra")),
                name="bevilling_periode_gyldig",
            ),
        ]

    def __str__(self):
        nr = f" nr. {self.kmd_aktiv_bevillingsnr}" if self.kmd_aktiv_bevillingsnr else ""
        return f"Bevilling {self.pk}{nr} ({self.ydelsestype})"


class Opgavepakke(models.Model):
    """A package of tasks (opgavepakke). One per kommune and ``kode``."""

    kommune = models.ForeignKey(Kommune, on_delete=models.PROTECT, related_name="opgavepakker")
    kode = models.CharField(max_length=40)
    navn = models.CharField(max_length=200)
    beskrivelse = models.TextField(blank=True)

    objects = scoped_manager()

    class Meta:
        verbose_name = "opgavepakke"
        verbose_name_plural = "opgavepakker"
        ordering = ["kommune", "navn"]
        constraints = [models.UniqueConstraint(fields=["kommune", "kode"], name="opgavepakke_unik_kode")]

    def __str__(self):
        return f"{self.navn} ({self.kommune_id})"


class OpgavepakkeTaelling(models.Model):
    """A package's open and total task counts, kept by statement-level triggers on cases_opgave
    (migration 0005), so the package screens need not count 1,000,000 tasks (mi32.md). Never
    written by Django; a derived cache without a foreign key."""

    # a package's row is removed by a trigger when the package is (after Django has set its tasks' package to NULL)
    opgavepakke = models.OneToOneField(Opgavepakke, primary_key=True, on_delete=models.DO_NOTHING,
                                       related_name="taelling", db_constraint=False)
    aabne = models.BigIntegerField(default=0)
    i_alt = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = "opgavepakke-optælling"
        verbose_name_plural = "opgavepakke-optællinger"


class Fordelingsnoegle(models.Model):
    """A routing rule placing tasks in a package (batch.md: task-filter).
    Empty criteria match anything; the lowest ``prioritet`` that matches wins."""

    kommune = models.ForeignKey(Kommune, on_delete=models.CASCADE, related_name="fordelingsnoegler")
    opgavepakke = models.ForeignKey(Opgavepakke, on_delete=models.CASCADE, related_name="fordelingsnoegler")
    prioritet = models.PositiveIntegerField(default=100)
    opgavetype = models.CharField(max_length=80, blank=True)
    ydelsestype = models.CharField(max_length=10, choices=Ydelsestype.choices, blank=True)
    # the day of month of the borger's birthday (CPR digits 1-2), inclusive range
    foedselsdag_fra = models.PositiveSmallIntegerField(null=True, blank=True)
    foedselsdag_til = models.PositiveSmallIntegerField(null=True, blank=True)
    team = models.CharField(max_length=50, blank=True)

    objects = scoped_manager()

    class Meta:
        verbose_name = "fordelingsnøgle"
        verbose_name_plural = "fordelingsnøgler"
        ordering = ["kommune", "prioritet", "id"]


class OpgaveStatus(models.TextChoices):
    PLANLAGT = "planlagt", "Planlagt"
    AABEN = "aaben", "Åben"
    RESERVERET = "reserveret", "Reserveret"
    UDFOERT = "udfoert", "Udført"
    ANNULLERET = "annulleret", "Annulleret"


OPEN_STATUSES = (OpgaveStatus.AABEN, OpgaveStatus.RESERVERET)


class OpgaveQuerySet(ScopedQuerySet):
    def open(self):
        return self.filter(status__in=OPEN_STATUSES)


class Opgave(models.Model):
    """A task. ``type`` is a batch job slug or another task type (``mi32``,
    ``opfoelgning``, ``godkend-effektuering``...). ``noegle`` makes a job's task
    idempotent: unique per kommune and type when set."""

    # kommune, opgavepakke: no single-column index, the composite indexes below lead with them; sag and the two
    # users: partial indexes (most tasks have none), so a bulk insert of MI 32 tasks maintains fewer indexes
    kommune = models.ForeignKey(Kommune, on_delete=models.PROTECT, related_name="opgaver", db_index=False)
    opgavepakke = models.ForeignKey(
        Opgavepakke, null=True, blank=True, on_delete=models.SET_NULL, related_name="opgaver", db_index=False
    )
    type = models.CharField(max_length=80)
    titel = models.CharField(max_length=300, blank=True)
    status = models.CharField(max_length=12, choices=OpgaveStatus.choices, default=OpgaveStatus.AABEN)
    aarsag = models.CharField("årsag", max_length=40, blank=True)
    sag = models.ForeignKey(Sag, null=True, blank=True, on_delete=models.CASCADE, related_name="opgaver",
                            db_index=False)
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.CASCADE, related_name="opgaver")
    # the MI 32 task's debitorkonto: a plain id here, so cases names no model of the app above it (issue
    # 19); the database's foreign key (ON DELETE CASCADE) is debitor's, added by debitor/migrations/0005
    debitorkonto_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    frist = models.DateField(null=True, blank=True)
    aktiveringsdato = models.DateField(null=True, blank=True)
    reserveret_af = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="reserverede_opgaver",
        db_index=False,
    )
    reserveret_tid = models.DateTimeField(null=True, blank=True)
    noegle = models.CharField(max_length=120, null=True, blank=True)
    data = models.JSONField(default=dict, blank=True)
    oprettet = models.DateTimeField(auto_now_add=True)
    afsluttet = models.DateTimeField(null=True, blank=True)
    afsluttet_af = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="afsluttede_opgaver",
        db_index=False,
    )

    objects = OpgaveQuerySet.as_manager()

    class Meta:
        verbose_name = "opgave"
        verbose_name_plural = "opgaver"
        constraints = [
            models.UniqueConstraint(
                fields=["kommune", "type", "noegle"], condition=Q(noegle__isnull=False), name="opgave_unik_noegle"
            ),
        ]
        indexes = [
            # the package's task list: newest first, by status (mi32.md: fast with 1,000,000 tasks)
            models.Index(fields=["opgavepakke", "status", "-id"], name="opgave_pakke_status_idx"),
            models.Index(fields=["opgavepakke", "-id"], name="opgave_pakke_idx"),
            # the package page's default list (open tasks, newest first) and its årsag filter (mi32.md)
            models.Index(fields=["opgavepakke", "-id"], name="opgave_pakke_aaben_idx",
                         condition=Q(status__in=["aaben", "reserveret"])),
            models.Index(fields=["opgavepakke", "aarsag", "-id"], name="opgave_pakke_aarsag_idx"),
            models.Index(fields=["kommune", "type", "status"], name="opgave_kommune_type_idx"),
            models.Index(fields=["status", "aktiveringsdato"], name="opgave_aktivering_idx"),
            models.Index(fields=["sag"], name="opgave_sag_idx", condition=Q(sag__isnull=False)),
            models.Index(fields=["reserveret_af"], name="opgave_reserveret_af_idx",
                         condition=Q(reserveret_af__isnull=False)),
            models.Index(fields=["afsluttet_af"], name="opgave_afsluttet_af_idx", condition=Q(afsluttet_af__isnull=False)),
        ]

    def __str__(self):
        return f"Opgave {self.pk} ({self.type})"

    @property
    def er_aaben(self) -> bool:
        return self.status in OPEN_STATUSES


class Dokument(models.Model):
    """A document on a sag (retention: delete-documents)."""

    kommune = models.ForeignKey(Kommune, on_delete=models.PROTECT, related_name="dokumenter")
    sag = models.ForeignKey(Sag, null=True, blank=True, on_delete=models.CASCADE, related_name="dokumenter")
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.CASCADE, related_name="dokumenter")
    titel = models.CharField(max_length=300)
    oprettet = models.DateTimeField(auto_now_add=True)
    kassationsdato = models.DateField(null=True, blank=True)
    # the file itself (breve: the letter's/list's PDF; SF2900's inbound documents); docs/breve.md
    type = models.CharField(max_length=60, blank=True, default="")
    mimetype = models.CharField(max_length=60, blank=True, default="")
    indhold = models.BinaryField(null=True, blank=True, editable=False)

    objects = scoped_manager()

    class Meta:
        verbose_name_plural = "dokumenter"


class Selvbetjeningskladde(models.Model):
    """A citizen's unfinished self-service application (slet-udloebne-kladder-i-selvbetjeningen)."""

    kommune = models.ForeignKey(Kommune, on_delete=models.PROTECT, related_name="kladder")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="kladder")
    ydelsestype = models.CharField(max_length=10, choices=Ydelsestype.choices)
    indhold = models.JSONField(default=dict, blank=True)
    oprettet = models.DateTimeField(auto_now_add=True)
    aendret = models.DateTimeField(db_index=True)

    objects = scoped_manager()

    class Meta:
        verbose_name = "selvbetjeningskladde"
        verbose_name_plural = "selvbetjeningskladder"


class Abonnement(models.Model):
    """A subscription on a person's events (e.g. CPR events) held for a kommune (delete-subscription)."""

    kommune = models.ForeignKey(Kommune, on_delete=models.PROTECT, related_name="abonnementer")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="abonnementer")
    type = models.CharField(max_length=40, default="cpr")
    oprettet = models.DateTimeField(auto_now_add=True)

    objects = scoped_manager()

    class Meta:
        verbose_name_plural = "abonnementer"
        constraints = [models.UniqueConstraint(fields=["kommune", "person", "type"], name="abonnement_unik")]


class Sletningslog(models.Model):
    """One deleted object (batch.md: retention jobs). Holds no personal data: only
    what kind of object, its internal id, its kommune and which run deleted it."""

    kind = models.CharField("art", max_length=40)
    objekt_id = models.BigIntegerField("objekt-id")
    kommune = models.ForeignKey(Kommune, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    job = models.CharField(max_length=100)
    # the batch run (batch.Koersel) — a plain id so the log outlives the run and the batch app's schema
    koersel_id = models.BigIntegerField("kørsel-id", null=True, blank=True)
    tidspunkt = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = scoped_manager()

    class Meta:
        verbose_name = "sletningslog"
        verbose_name_plural = "sletningslog"
        ordering = ["-id"]
        indexes = [models.Index(fields=["kind", "objekt_id"], name="sletningslog_objekt_idx")]

    def __str__(self):
        return f"{self.kind} {self.objekt_id} ({self.job})"
