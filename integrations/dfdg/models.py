"""Models of DFDG FristService (seed 003; contract dfdg-frister.md).

A frist is a deadline for a citizen to self-book an interview at the jobcenter.
The state machine lives in ``integrations.dfdg.states`` (one table of allowed
transitions); the invariant "at most one not-closed frist per CPR and
samtaletype" is a PostgreSQL partial unique index (``en_aaben_frist``).
"""

from django.db import models
from django.db.models import Q

from ky.scoping import scoped_manager


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
    kommune = models.ForeignKey("cases.Kommune", on_delete=models.PROTECT, related_name="dfdg_frister")
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
