"""Ydelsen (issue 13, contract ydelse.md): the law's rates and rules as dated data, the income and
sanktioner a month's computation reads, and the rows the follow-up jobs write (loftsindplacering,
loftsinformation, SÆS-anvisninger, afgørelsesbreve). The computation itself is ``beregning.py``."""

from __future__ import annotations

from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import BigIntegerRangeField, DateRangeField, RangeOperators
from django.db import models
from django.db.models import F, Func, Q, Value

from ky.core.scoping import scoped_manager


class DateRange(Func):
    """daterange(fra, til, '[]') with an open end when ``til`` is NULL."""

    function = "daterange"
    output_field = DateRangeField()


def _periode(fra: str, til: str):
    return DateRange(F(fra), F(til), Value("[]"))


class Punkt(Func):
    """int8range(k, k, '[]'): a key as a one-point range, so the overlap constraints below compare keys with
    `&&` through PostgreSQL's built-in GiST range operator class. `=` in an exclusion constraint would need the
    btree_gist contrib extension, which the embedded PostgreSQL (pgserver, setup.md's default) does not ship."""

    function = "int8range"
    template = "%(function)s(%(expressions)s, %(expressions)s, '[]')"
    output_field = BigIntegerRangeField()


class Tekstnoegle(Func):
    """A text key as a 64-bit hash for ``Punkt`` (two different keys colliding is a 2**-64 chance)."""

    function = "hashtextextended"
    template = "%(function)s(%(expressions)s, 0)"
    output_field = models.BigIntegerField()


class SatsYdelsestype(models.TextChoices):
    """The ydelsestyper the rules compute (ydelse.md). HTF is selvforsørgelses-/hjemrejse-/overgangsydelse."""

    KTH = "KTH", "Kontanthjælp"
    UDH = "UDH", "Uddannelseshjælp"
    HTF = "HTF", "Selvforsørgelses-, hjemrejse- og overgangsydelse"
    PARAM = "PARAM", "Regelparameter (fribeløb, loft, nedsættelser, tillæg)"


class Regelsaet(models.TextChoices):
    LAS_2024 = "las_foer_reform", "LAS før kontanthjælpsreformen (§§ 22-25, loft § 25 b, 225-timers-reglen § 13 f)"
    REFORM_2025 = "reform_2025", "Nyt kontanthjælpssystem (lov nr. 1655 af 30.12.2024, §§ 16-20)"


class Regel(models.Model):
    """A rule in force for a period: which regelsæt computes the month, and whether kontanthjælpsloftet and
    225-timers-reglen apply. A month is computed under the rules in force in it (by day)."""

    noegle = models.CharField("nøgle", max_length=40)  # regelsaet | kontanthjaelpsloft | 225_timer
    vaerdi = models.CharField("værdi", max_length=40, blank=True)
    gyldig_fra = models.DateField()
    gyldig_til = models.DateField(null=True, blank=True)
    kilde = models.TextField()

    class Meta:
        verbose_name = "regel"
        verbose_name_plural = "regler"
        ordering = ["noegle", "gyldig_fra"]
        constraints = [
            ExclusionConstraint(name="ydelse_regel_ingen_overlap", expressions=[
                (Punkt(Tekstnoegle(F("noegle"))), RangeOperators.OVERLAPS), (_periode("gyldig_fra", "gyldig_til"), RangeOperators.OVERLAPS)]),
            models.CheckConstraint(condition=Q(gyldig_til__isnull=True) | Q(gyldig_til__gte=F("gyldig_fra")),
                                   name="ydelse_regel_periode"),
        ]

    def __str__(self):
        return f"{self.noegle}={self.vaerdi} fra {self.gyldig_fra}"


class Sats(models.Model):
    """A monthly rate (or rule parameter) for a ydelsestype and kategori, in force from gyldig_fra to
    gyldig_til (inclusive, open end when empty). Overlapping periods of the same ydelsestype and kategori
    are refused by the database (exclusion constraint)."""

    ydelsestype = models.CharField(max_length=10, choices=SatsYdelsestype.choices)
    kategori = models.CharField(max_length=60)
    gyldig_fra = models.DateField()
    gyldig_til = models.DateField(null=True, blank=True)
    beloeb = models.DecimalField("beløb", max_digits=12, decimal_places=2)
    kilde = models.TextField()
    oprettet = models.DateTimeField(auto_now_add=True)
    aendret = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "sats"
        verbose_name_plural = "satser"
        ordering = ["ydelsestype", "kategori", "gyldig_fra"]
        constraints = [
            ExclusionConstraint(name="ydelse_sats_ingen_overlap", expressions=[
                (Punkt(Tekstnoegle(F("ydelsestype"))), RangeOperators.OVERLAPS),
                (Punkt(Tekstnoegle(F("kategori"))), RangeOperators.OVERLAPS),
                (_periode("gyldig_fra", "gyldig_til"), RangeOperators.OVERLAPS)]),
            models.CheckConstraint(condition=Q(gyldig_til__isnull=True) | Q(gyldig_til__gte=F("gyldig_fra")),
                                   name="ydelse_sats_periode"),
            models.CheckConstraint(condition=Q(beloeb__gte=0), name="ydelse_sats_ikke_negativ"),
        ]

    def __str__(self):
        return f"{self.ydelsestype} {self.kategori} {self.beloeb} fra {self.gyldig_fra}"


class IndtaegtArt(models.TextChoices):
    LOEN = "loen", "Arbejdsindtægt"
    ANDEN = "anden", "Anden indtægt (fradrages fuldt)"
    BOLIGSTOETTE = "boligstoette", "Boligstøtte (indgår i kontanthjælpsloftet)"


class Indtaegt(models.Model):
    """Income registered for a person and month (ydelse.md, indtaegter/)."""

    kommune = models.ForeignKey("core.Kommune", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("cases.Person", on_delete=models.PROTECT, related_name="indtaegter")
    maaned = models.DateField("måned")  # first day of the month
    art = models.CharField(max_length=20, choices=IndtaegtArt.choices)
    beloeb = models.DecimalField("beløb", max_digits=12, decimal_places=2)
    kilde = models.CharField(max_length=100, blank=True)
    oprettet = models.DateTimeField(auto_now_add=True)

    objects = scoped_manager()

    class Meta:
        verbose_name = "indtægt"
        verbose_name_plural = "indtægter"
        indexes = [models.Index(fields=["person", "maaned"], name="ydelse_indtaegt_person_idx"),
                   models.Index(fields=["kommune", "maaned"], name="ydelse_indtaegt_kommune_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(beloeb__gte=0), name="ydelse_indtaegt_ikke_negativ"),
            models.CheckConstraint(condition=Q(maaned__day=1), name="ydelse_indtaegt_maaned_foerste"),
        ]


class SanktionArt(models.TextChoices):
    SANKTION = "sanktion", "Sanktion"
    SKAERPET = "skaerpet", "Skærpet rådighedssanktion"
    NEDSAETTELSE_225 = "nedsaettelse_225", "Nedsættelse efter 225-timers-reglen"


class Sanktion(models.Model):
    """A sanktion or nedsættelse on a bevilling for a period. ``beloeb`` is a monthly amount; without it the
    rule's amount applies (ydelse.md). Overlapping sanktioner on one bevilling are refused (database)."""

    bevilling = models.ForeignKey("cases.Bevilling", on_delete=models.PROTECT, related_name="sanktioner")
    kommune = models.ForeignKey("core.Kommune", on_delete=models.PROTECT, related_name="+")
    art = models.CharField(max_length=20, choices=SanktionArt.choices)
    fra = models.DateField()
    til = models.DateField()
    beloeb = models.DecimalField("beløb", max_digits=12, decimal_places=2, null=True, blank=True)
    begrundelse = models.TextField()
    oprettet = models.DateTimeField(auto_now_add=True)

    objects = scoped_manager()

    class Meta:
        verbose_name = "sanktion"
        verbose_name_plural = "sanktioner"
        indexes = [models.Index(fields=["kommune", "art", "fra"], name="ydelse_sanktion_art_idx")]
        constraints = [
            ExclusionConstraint(name="ydelse_sanktion_ingen_overlap", expressions=[
                (Punkt(F("bevilling")), RangeOperators.OVERLAPS), (_periode("fra", "til"), RangeOperators.OVERLAPS)]),
            models.CheckConstraint(condition=Q(til__gte=F("fra")), name="ydelse_sanktion_periode"),
            models.CheckConstraint(condition=Q(beloeb__isnull=True) | Q(beloeb__gte=0),
                                   name="ydelse_sanktion_ikke_negativ"),
        ]


class SaerligStoette(models.Model):
    """Særlig støtte (LAS § 34) granted on a bevilling: the monthly amount before kontanthjælpsloftet."""

    bevilling = models.ForeignKey("cases.Bevilling", on_delete=models.PROTECT, related_name="saerlig_stoette")
    kommune = models.ForeignKey("core.Kommune", on_delete=models.PROTECT, related_name="+")
    fra = models.DateField()
    til = models.DateField(null=True, blank=True)
    beloeb = models.DecimalField("bevilget beløb pr. måned", max_digits=12, decimal_places=2)

    objects = scoped_manager()

    class Meta:
        verbose_name = "særlig støtte (§ 34)"
        verbose_name_plural = "særlig støtte (§ 34)"
        constraints = [
            ExclusionConstraint(name="ydelse_saes_ingen_overlap", expressions=[
                (Punkt(F("bevilling")), RangeOperators.OVERLAPS), (_periode("fra", "til"), RangeOperators.OVERLAPS)]),
            models.CheckConstraint(condition=Q(beloeb__gte=0), name="ydelse_saes_ikke_negativ"),
        ]


class Loftsindplacering(models.Model):
    """khl-beregn-loftsindplacering-for-kommende-maaned: the bevilling's place under kontanthjælpsloftet and its
    "forventet hjælpsbeløb" for a month. ``loft`` NULL: no loft in force that month (``kategori`` says why)."""

    bevilling = models.ForeignKey("cases.Bevilling", on_delete=models.PROTECT, related_name="loftsindplaceringer")
    kommune = models.ForeignKey("core.Kommune", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("cases.Person", on_delete=models.PROTECT, related_name="+")
    maaned = models.DateField("måned")
    kategori = models.CharField(max_length=60)
    loft = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    forventet_hjaelpsbeloeb = models.DecimalField("forventet hjælpsbeløb", max_digits=12, decimal_places=2)
    saerlig_stoette = models.DecimalField("særlig støtte efter loft", max_digits=12, decimal_places=2, default=0)
    forrige = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    aendret = models.BooleanField("ændret fra forrige måned", default=False)
    oprettet = models.DateTimeField(auto_now_add=True)

    objects = scoped_manager()

    class Meta:
        verbose_name = "loftsindplacering"
        verbose_name_plural = "loftsindplaceringer"
        constraints = [models.UniqueConstraint(fields=["bevilling", "maaned"], name="ydelse_loft_unik")]
        indexes = [models.Index(fields=["kommune", "maaned"], name="ydelse_loft_kommune_idx")]


class Loftsinformation(models.Model):
    """dan-loftsinformation: one row per change of a loftsindplacering or særlig støtte, to be sent to UDKBO
    (send-loftsinformationer, not implemented: ``sendt`` stays NULL until it is)."""

    loftsindplacering = models.OneToOneField(Loftsindplacering, on_delete=models.PROTECT, related_name="information")
    kommune = models.ForeignKey("core.Kommune", on_delete=models.PROTECT, related_name="+")
    dannet_dato = models.DateField()
    sendt = models.DateTimeField(null=True, blank=True)

    objects = scoped_manager()

    class Meta:
        verbose_name = "loftsinformation"
        verbose_name_plural = "loftsinformationer"


class SaesAnvisning(models.Model):
    """dan-saes-anvisninger: the month's særlig støtte (§ 34) after the loft, for the coming month."""

    bevilling = models.ForeignKey("cases.Bevilling", on_delete=models.PROTECT, related_name="saes_anvisninger")
    kommune = models.ForeignKey("core.Kommune", on_delete=models.PROTECT, related_name="+")
    maaned = models.DateField("måned")
    bevilget = models.DecimalField(max_digits=12, decimal_places=2)
    beloeb = models.DecimalField("beløb efter loft", max_digits=12, decimal_places=2)
    forklaring = models.JSONField(default=list)
    oprettet = models.DateTimeField(auto_now_add=True)

    objects = scoped_manager()

    class Meta:
        verbose_name = "SÆS-anvisning"
        verbose_name_plural = "SÆS-anvisninger"
        constraints = [models.UniqueConstraint(fields=["bevilling", "maaned"], name="ydelse_saes_anvisning_unik")]


class Afgoerelsesbrev(models.Model):
    """khl-send-afgoerelsesbrev: a letter row whenever a borger's loftsindplacering changes. Rendering and
    dispatch belong to the document platform (issue 16): the job renders the letter there (``brev_id``,
    status ``klar``/``fejlet`` as the platform says); without the platform the row keeps status
    ``afventer_brevplatform``."""

    loftsindplacering = models.OneToOneField(Loftsindplacering, on_delete=models.PROTECT, related_name="brev")
    kommune = models.ForeignKey("core.Kommune", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("cases.Person", on_delete=models.PROTECT, related_name="+")
    titel = models.CharField(max_length=200)
    tekst = models.TextField()
    status = models.CharField(max_length=30, default="afventer_brevplatform")
    # the letter made by the document platform (breve.Brev id; a plain id keeps the apps independent)
    brev_id = models.BigIntegerField(null=True, blank=True)
    oprettet = models.DateTimeField(auto_now_add=True)

    objects = scoped_manager()

    class Meta:
        verbose_name = "afgørelsesbrev (loft)"
        verbose_name_plural = "afgørelsesbreve (loft)"
