"""Models of DFDG FristService (seed 003; contract dfdg-frister.md).

A frist is a deadline for a citizen to self-book an interview at the jobcenter.
The state machine lives in ``integrations.dfdg.states`` (one table of allowed
transitions); the invariant "at most one not-closed frist per CPR and
samtaletype" is a PostgreSQL partial unique index (``en_aaben_frist``).
"""

from django.db import models
from django.db.models import Q

from ky.core.scoping import scoped_manager


class Samtaletype(models.IntegerChoices):
    # seed 003, CreateFrist: "Der kan kun oprettes frist for samtaletype 4, 7, 17"
    OPFOELGNINGSSAMTALE = 4, "Opfølgningssamtale"
    JOBSAMTALE = 7, "Jobsamtale"
    FAELLES_JOBSAMTALE = 17, "Fælles jobsamtale"


class FristStatus(models.IntegerChoices):
    IKKE_AKTIVERET = 1, "Ikke aktiveret frist"
    AKTIV = 2, "Aktiv frist"
    INDFRIET = 3, "Indfriet frist"
    ADMINISTRATIVT_LUKKET = 4, "Administrativt lukket frist"
    INDFRIET_AFHOLDT = 5, "Indfriet afholdt frist"
    OVERSKREDET = 6, "Overskredet frist"


#: closed statuses (contract table "closed?")
LUKKEDE = (FristStatus.ADMINISTRATIVT_LUKKET, FristStatus.INDFRIET_AFHOLDT)


class Booking(models.Model):
    """A citizen's booking of an interview (the event that indfrier a frist)."""

    cpr = models.CharField("CPR-nummer", max_length=10, db_index=True)
    samtaletype = models.PositiveSmallIntegerField(choices=Samtaletype.choices)
    moededato = models.DateField("mødedato")
    oprettet = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "booking"
        verbose_name_plural = "bookinger"
        indexes = [models.Index(fields=["cpr", "samtaletype", "moededato"])]

    def __str__(self):
        return f"{self.cpr} {self.samtaletype} {self.moededato}"


class Frist(models.Model):
    kommune = models.ForeignKey("core.Kommune", on_delete=models.PROTECT, related_name="dfdg_frister")
    cpr = models.CharField("CPR-nummer", max_length=10)
    samtaletype = models.PositiveSmallIntegerField(choices=Samtaletype.choices)
    fristdato = models.DateField()
    fristaktiveringsdato = models.DateField()
    status = models.PositiveSmallIntegerField(choices=FristStatus.choices)
    #: the booking that indfriede the frist (its mødedato closes the frist, seed 003 "Automatisk opdatering")
    booking = models.ForeignKey(Booking, null=True, blank=True, on_delete=models.SET_NULL, related_name="frister")
    oprettet = models.DateTimeField(auto_now_add=True)
    aendret = models.DateTimeField(auto_now=True)

    objects = scoped_manager()

    class Meta:
        verbose_name = "frist"
        verbose_name_plural = "frister"
        indexes = [
            models.Index(fields=["cpr", "samtaletype"]),
            models.Index(fields=["status", "fristaktiveringsdato"]),
            models.Index(fields=["status", "fristdato"]),
        ]
        constraints = [
            # contract: at most one frist that is not closed per CPR per samtaletype, at all times
            models.UniqueConstraint(
                fields=["cpr", "samtaletype"], condition=~Q(status__in=[4, 5]), name="en_aaben_frist",
            ),
            models.CheckConstraint(condition=Q(status__in=[1, 2, 3, 4, 5, 6]), name="frist_status_gyldig"),
            models.CheckConstraint(condition=Q(samtaletype__in=[4, 7, 17]), name="frist_samtaletype_gyldig"),
        ]

    def __str__(self):
        return f"Frist {self.pk} {self.cpr} {self.samtaletype} {self.get_status_display()}"

    @property
    def status_tekst(self) -> str:
        return FristStatus(self.status).label

    @property
    def lukket(self) -> bool:
        return self.status in LUKKEDE


class FristStatusaendring(models.Model):
    """The history of a frist: one row per status it got (GetFristhistorik)."""

    frist = models.ForeignKey(Frist, on_delete=models.CASCADE, related_name="statusaendringer")
    status = models.PositiveSmallIntegerField(choices=FristStatus.choices)
    tidspunkt = models.DateTimeField()
    aarsag = models.CharField("årsag", max_length=200)

    class Meta:
        ordering = ["tidspunkt", "id"]
        verbose_name = "statusændring"
        verbose_name_plural = "statusændringer"


class Fravaer(models.Model):
    """An absence (fravær) of a citizen; ``til`` None means open-ended."""

    cpr = models.CharField("CPR-nummer", max_length=10, db_index=True)
    fravaerstype = models.PositiveIntegerField()
    fra = models.DateField()
    til = models.DateField(null=True, blank=True)
    oprettet = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "fravær"
        verbose_name_plural = "fravær"


class RequestId(models.Model):
    """An ``x-requestId`` seen on a write; a second request with it answers 412."""

    request_id = models.CharField(max_length=46, unique=True)
    bruger = models.CharField(max_length=150, blank=True)
    tidspunkt = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "request-id"
        verbose_name_plural = "request-id'er"


# --- kontaktgruppe (seed 003, CreateFrist: "Der valideres imod at oprette frist som ikke vil kunne indfries i
# borgerens nuværende kontaktgruppe") ------------------------------------------------------------------------

class Kontaktgruppe(models.Model):
    """A kontaktgruppe (STAR's grouping of citizens in a kontaktforløb). Reference data (migration 0002)."""

    kode = models.CharField(max_length=40, primary_key=True)
    navn = models.CharField(max_length=120)

    class Meta:
        verbose_name = "kontaktgruppe"
        verbose_name_plural = "kontaktgrupper"
        ordering = ["kode"]

    def __str__(self):
        return self.navn


class SamtaletypeKontaktgruppe(models.Model):
    """Dated rule: a frist of ``samtaletype`` can be indfriet in ``kontaktgruppe`` from ``gyldig_fra`` up to and
    including ``gyldig_til`` (STAR, "Afholdelse af samtaler og øvrige møder"; docs/dfdg.md)."""

    samtaletype = models.PositiveSmallIntegerField(choices=Samtaletype.choices)
    kontaktgruppe = models.ForeignKey(Kontaktgruppe, on_delete=models.PROTECT, related_name="samtaletyper")
    gyldig_fra = models.DateField()
    gyldig_til = models.DateField(null=True, blank=True)
    kilde = models.CharField(max_length=300)

    class Meta:
        verbose_name = "samtaletype i kontaktgruppe"
        verbose_name_plural = "samtaletyper i kontaktgrupper"
        ordering = ["samtaletype", "kontaktgruppe", "gyldig_fra"]
        constraints = [
            models.UniqueConstraint(fields=["samtaletype", "kontaktgruppe", "gyldig_fra"],
                                    name="samtaletype_kontaktgruppe_unik"),
            models.CheckConstraint(condition=Q(gyldig_til__isnull=True) | Q(gyldig_til__gte=models.F("gyldig_fra")),
                                   name="samtaletype_kontaktgruppe_periode"),
        ]


class Kontaktforloeb(models.Model):
    """A citizen's kontaktforløb in a kontaktgruppe, from the jobcentre's kontaktforløb data; ``til`` None means
    open-ended. ``akasse`` is the citizen's a-kasse (its number) when it has one, so its subscribers get the CPR
    change (seed 003, "CPR-skiftere")."""

    kommune = models.ForeignKey("core.Kommune", on_delete=models.PROTECT, related_name="dfdg_kontaktforloeb")
    cpr = models.CharField("CPR-nummer", max_length=10)
    kontaktgruppe = models.ForeignKey(Kontaktgruppe, on_delete=models.PROTECT, related_name="forloeb")
    fra = models.DateField()
    til = models.DateField(null=True, blank=True)
    akasse = models.PositiveIntegerField("a-kasse", null=True, blank=True)
    oprettet = models.DateTimeField(auto_now_add=True)

    objects = scoped_manager()

    class Meta:
        verbose_name = "kontaktforløb"
        verbose_name_plural = "kontaktforløb"
        indexes = [models.Index(fields=["cpr", "fra"])]
        constraints = [
            models.CheckConstraint(condition=Q(til__isnull=True) | Q(til__gte=models.F("fra")),
                                   name="kontaktforloeb_periode"),
        ]

    def __str__(self):
        return f"{self.cpr} {self.kontaktgruppe_id} {self.fra}–{self.til or ''}"


# --- WSRM/WSB messages and GetCprChanged (seed 003): a durable outbox read by subscribers ---------------------

class Kanal(models.TextChoices):
    WSRM = "WSRM", "WSRM"
    WSB = "WSB", "WSB"


class Besked(models.Model):
    """An outbound message. Written in the transaction of the change (frister: by the triggers of migration
    0002; GetCprChanged: by ``services.cpr_skift``). ``position`` is given when the message is first read, in
    the order the messages became visible (``services.sekvenser``), so a reader never skips one committed late;
    a subscriber reads positions after its cursor."""

    position = models.BigIntegerField(null=True, blank=True, unique=True)
    kanal = models.CharField(max_length=4, choices=Kanal.choices)
    navn = models.CharField(max_length=40)
    #: routing: the kommune's subscribers get it; ``akasse``: that a-kasse's subscribers (GetCprChanged)
    kommune = models.ForeignKey("core.Kommune", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+", db_index=False)
    akasse = models.PositiveIntegerField(null=True, blank=True)
    frist_id = models.BigIntegerField(null=True, blank=True)
    cpr = models.CharField(max_length=10)
    indhold = models.JSONField()
    oprettet = models.DateTimeField()

    class Meta:
        verbose_name = "besked"
        verbose_name_plural = "beskeder"
        indexes = [
            models.Index(fields=["kommune", "position"], name="besked_kommune_pos_idx"),
            models.Index(fields=["akasse", "position"], name="besked_akasse_pos_idx",
                         condition=Q(akasse__isnull=False)),
            models.Index(fields=["id"], name="besked_uden_position_idx", condition=Q(position__isnull=True)),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(kommune__isnull=False) | Q(akasse__isnull=False),
                                   name="besked_modtager"),
        ]

    def __str__(self):
        return f"{self.kanal} {self.navn} {self.position or '-'}"


class Abonnement(models.Model):
    """A subscriber (a jobcenter for its kommune, or an a-kasse) and its cursor: the position of the last message
    it acknowledged. Reading never moves the cursor; acknowledging does (exactly once per subscriber)."""

    navn = models.CharField(max_length=100)
    kommune = models.ForeignKey("core.Kommune", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="dfdg_abonnementer")
    akasse = models.PositiveIntegerField("a-kasse", null=True, blank=True)
    kvitteret_til = models.BigIntegerField(default=0)
    oprettet = models.DateTimeField(auto_now_add=True)
    oprettet_af = models.CharField(max_length=150, blank=True)

    objects = scoped_manager()

    class Meta:
        verbose_name = "abonnement"
        verbose_name_plural = "abonnementer"
        constraints = [
            models.CheckConstraint(condition=(Q(kommune__isnull=False, akasse__isnull=True)
                                              | Q(kommune__isnull=True, akasse__isnull=False)),
                                   name="abonnement_kommune_eller_akasse"),
        ]

    def __str__(self):
        return f"{self.navn} ({self.kommune_id or 'a-kasse ' + str(self.akasse)})"
