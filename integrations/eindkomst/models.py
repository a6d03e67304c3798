"""eIndkomst reports (SF0770_B, seed 000 #30/#31; layout docs/formats/sf0770b.md)."""

from django.db import models
from django.db.models import Q

from ky.core.scoping import scoped_manager


class LinjeStatus(models.TextChoices):
    SENDT = "sendt", "Sendt"
    GODKENDT = "godkendt", "Godkendt"
    AFVIST = "afvist", "Afvist"  # detailed receipt rejected the line: a task, resent when it is closed
    FIL_AFVIST = "fil_afvist", "Filen afvist"  # business receipt rejected the file: resent by the next run


LEVENDE = (LinjeStatus.SENDT, LinjeStatus.GODKENDT)  # the report SKAT holds for the person and month


class Indberetning(models.Model):
    """One eIndkomst line: a person's A-indkomst and A-skat for a month from one kommune. A
    correction (``art`` R) replaces the latest live line of the person and month (``forrige``)."""

    kommune = models.ForeignKey("core.Kommune", on_delete=models.PROTECT, related_name="+")
    cpr = models.CharField("CPR-nummer", max_length=10)
    maaned = models.DateField("måned")  # first day of the income month
    a_indkomst = models.DecimalField("A-indkomst", max_digits=14, decimal_places=2)
    a_skat = models.DecimalField("A-skat", max_digits=14, decimal_places=2)
    art = models.CharField(max_length=1, choices=[("N", "Ny"), ("R", "Rettelse")])
    forrige = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # null only inside the transaction that journals its file (services.indberet)
    fil = models.ForeignKey("integrations.Fil", null=True, on_delete=models.PROTECT, related_name="eindkomst_linjer")
    status = models.CharField(max_length=10, choices=LinjeStatus.choices, default=LinjeStatus.SENDT)
    afvist_aarsag = models.CharField(max_length=40, blank=True)
    oprettet = models.DateTimeField(auto_now_add=True)

    objects = scoped_manager()

    class Meta:
        verbose_name = "eIndkomst-linje"
        verbose_name_plural = "eIndkomst-linjer"
        constraints = [
            models.CheckConstraint(condition=Q(a_indkomst__gte=0) & Q(a_skat__gte=0) & Q(a_skat__lte=models.F("a_indkomst")),
                                   name="eindkomst_beloeb_gyldige"),
            models.CheckConstraint(condition=Q(art="N", forrige__isnull=True) | Q(art="R", forrige__isnull=False),
                                   name="eindkomst_rettelse_har_forrige"),
        ]
        indexes = [models.Index(fields=["kommune", "cpr", "maaned"], name="eindkomst_person_maaned_idx")]

    @property
    def linje_id(self) -> str:
        return f"KY{self.pk:018d}"
