"""Models of Underholdsbidrag – kreditor (seed 004)."""

from django.conf import settings
from django.db import models

from ky.core.scoping import scoped_manager


class Frekvens(models.TextChoices):
    M = "M", "Månedlig"
    K = "K", "Kvartalsvis"
    H = "H", "Halvårlig"
    A = "A", "Årlig"


class Sats(models.Model):
    """seed 004, 3.11.5: at most three periods per bidragsart; the newest is open."""

    bidragsart = models.PositiveSmallIntegerField()
    gyldig_fra = models.DateField()
    gyldig_til = models.DateField(null=True, blank=True)
    beloeb = models.DecimalField(max_digits=12, decimal_places=2)

    class Meta:
        ordering = ["bidragsart", "gyldig_fra"]
        constraints = [models.UniqueConstraint(fields=["bidragsart", "gyldig_fra"], name="ub_sats_unik")]

    def __str__(self):
        return f"Sats {self.bidragsart} fra {self.gyldig_fra}"


class Tilslutning(models.Model):
    """The kommune's tilslutningsoplysninger (individ 740; seed 004, 3.11.2, U691), maintained by the
    faggruppe: PBS-overførsel and standardcheck, each Ja from start to slut (null = 999999). Nej is
    no start, or slut <= the date asked about; a kommune without a row is connected to nothing."""

    FORMER = ("pbs", "standardcheck")

    kommune = models.OneToOneField("core.Kommune", on_delete=models.CASCADE, related_name="ub_tilslutning")
    pbs_start = models.DateField(null=True, blank=True)
    pbs_slut = models.DateField(null=True, blank=True)
    standardcheck_start = models.DateField(null=True, blank=True)
    standardcheck_slut = models.DateField(null=True, blank=True)
    oprettet = models.DateTimeField(auto_now_add=True)
    aendret = models.DateTimeField(auto_now=True)  # seed 004, 3.11.2: ændringsmarkering

    objects = scoped_manager()

    class Meta:
        verbose_name = "tilslutning"
        verbose_name_plural = "tilslutninger"

    def __str__(self):
        return f"Tilslutning {self.kommune_id}"

    def tilsluttet(self, form: str, dato) -> bool:
        """Ja on dato: start <= dato < slut (seed 004, 3.11.2: Ja -> Nej sets slut = d.d.)."""
        start, slut = getattr(self, f"{form}_start"), getattr(self, f"{form}_slut")
        return start is not None and start <= dato and (slut is None or dato < slut)


class UBSag(models.Model):
    """A sag = one BB with its BP, bidrag and BPL (seed 004, 3.1.1.0)."""

    kommune = models.ForeignKey("core.Kommune", on_delete=models.PROTECT, related_name="ub_sager")
    omraade = models.PositiveIntegerField(default=1)
    bb_cpr = models.CharField(max_length=10)
    bb_statuskode = models.PositiveSmallIntegerField(default=0)
    # 0 kontant, 1 bank, 2 standardcheck; null = ikke indberettet (seed 004, 3.3.2: standardcheck when the
    # kommune uses it, else kontant)
    udbetalingsform = models.PositiveSmallIntegerField(null=True, blank=True, default=None)
    regnr = models.CharField(max_length=4, null=True, blank=True)
    kontonr = models.CharField(max_length=10, null=True, blank=True)
    ratevis = models.BooleanField(default=False)
    aendrede_felter = models.JSONField(default=list, blank=True)  # stamkort '*'
    virkningsdato = models.DateField(null=True, blank=True)  # seed 004, 3.1.1.0: last ajourføring
    inaktiv_siden = models.DateField(null=True, blank=True)  # seed 004, 3.1.1.6: 13-month clean-up
    # individ 211, the caseworker's advis on the BB (seed 004, 3.1.1.2 Advisoplysninger); null tekst = none
    brugeradvis_tekst = models.CharField(max_length=200, null=True, blank=True)
    brugeradvis_dato = models.DateField(null=True, blank=True)  # null = "0": stamkort only, no advisliste
    brugeradvis_frekvens = models.CharField(max_length=1, blank=True, default="")  # M/K/H/A or once
    oprettet = models.DateTimeField(auto_now_add=True)
    aendret = models.DateTimeField(auto_now=True)

    objects = scoped_manager()

    class Meta:
        verbose_name = "underholdsbidragssag"
        verbose_name_plural = "underholdsbidragssager"
        constraints = [models.UniqueConstraint(fields=["kommune", "bb_cpr"], name="ub_sag_unik_bb")]

    def __str__(self):
        return f"UB-sag {self.pk} ({self.bb_cpr})"


class Bidragsperson(models.Model):
    sag = models.ForeignKey(UBSag, on_delete=models.CASCADE, related_name="bidragspersoner")
    cpr = models.CharField(max_length=10)
    foedselsdato = models.DateField()
    statuskode = models.PositiveSmallIntegerField(default=0)
    ab_kode = models.PositiveSmallIntegerField(default=0)
    indtaegt = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    anmodning_kraeves = models.BooleanField(default=False)  # seed 004, 3.1.1.3/3 markering
    advis_631_givet = models.BooleanField(default=False)
    virkningsdato = models.DateField(null=True, blank=True)  # seed 004, 3.1.1.0 / 3.1.1.5
    inaktiv_siden = models.DateField(null=True, blank=True)  # seed 004, 3.1.1.6
    # individ 240 (tilgodehavende), created by the first weekly run after the BP (seed 004, 3.0.1 1d)
    tilgodehavende_individ = models.BooleanField(default=False)
    tilgodehavende_bb = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    tilgodehavende_off = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    primo_bb = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    primo_off = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    tilgodehavende_dato = models.DateField(null=True, blank=True)  # last payout/claim (3.1.1.6)

    objects = scoped_manager("sag__kommune_id")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["sag", "cpr"], name="ub_bp_unik")]


class Bidragspligtig(models.Model):
    sag = models.ForeignKey(UBSag, on_delete=models.CASCADE, related_name="bidragspligtige")
    cpr = models.CharField(max_length=10)
    afkraevningskommune = models.PositiveIntegerField(null=True, blank=True)
    diskretion = models.BooleanField(default=False)
    # seed 004, 3.1.1.3 fejl 279 / 3.1.1.8: the BPL's personnummer is no longer valid according to
    # P-data (606 ukendt i RC, 609 tidligere dobbelt, 621 nyt nummer); recorded by the caseworker
    pnr_ugyldig = models.BooleanField(default=False)

    objects = scoped_manager("sag__kommune_id")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["sag", "cpr"], name="ub_bpl_unik")]


class Bidrag(models.Model):
    """Individ 221. Identified by bidragsart and BPL on a BP (seed 004, 3.1.1.0)."""

    kommune = models.ForeignKey("core.Kommune", on_delete=models.PROTECT, related_name="+")
    bp = models.ForeignKey(Bidragsperson, on_delete=models.CASCADE, related_name="bidrag")
    bidragsart = models.PositiveSmallIntegerField()
    bpl_cpr = models.CharField(max_length=10)
    forfaldsdato = models.DateField(null=True, blank=True)  # seed's 000000 = null
    forrige_forfaldsdato = models.DateField(null=True, blank=True)
    forfaldsfrekvens = models.CharField(max_length=2)  # M/K/H/A; art 32: counter 3..0
    fast_bidrag = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    procentsats = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    virkningsdato = models.DateField(null=True, blank=True)  # seed 004, 3.1.1.5
    # the bidragskode of the latest calculation (seed 004, 3.2.3.1: advis 634 when it changes)
    bidragskode = models.CharField(max_length=2, blank=True, default="")

    objects = scoped_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["bp", "bidragsart", "bpl_cpr"], name="ub_bidrag_unik")]
        indexes = [models.Index(fields=["kommune", "forfaldsdato"], name="ub_bidrag_forfald_idx")]


class TillaegFradrag(models.Model):
    sag = models.ForeignKey(UBSag, on_delete=models.CASCADE, related_name="tillaeg_fradrag")
    bp = models.ForeignKey(Bidragsperson, on_delete=models.CASCADE, related_name="tillaeg_fradrag")
    tf_kode = models.PositiveSmallIntegerField()
    bidragsart = models.PositiveSmallIntegerField()
    beloeb = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    dato = models.DateField(null=True, blank=True)
    fra_dato = models.DateField(null=True, blank=True)
    til_dato = models.DateField(null=True, blank=True)
    beloebsmodtager = models.PositiveSmallIntegerField(default=1)  # 0 det offentlige, 1 BB
    maskinel = models.BooleanField(default=False)  # from the debitor part / IFU (seed 004, 3.1.1.7)
    koersel = models.ForeignKey("batch.Koersel", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    oprettet = models.DateTimeField(auto_now_add=True)

    objects = scoped_manager("sag__kommune_id")


class Anmodning(models.Model):
    sag = models.ForeignKey(UBSag, on_delete=models.CASCADE, related_name="anmodninger")
    bp = models.ForeignKey(Bidragsperson, on_delete=models.CASCADE, related_name="anmodninger")
    bidragsart = models.PositiveSmallIntegerField()
    forfaldsdato = models.DateField()
    indtaegt = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    brugt_af = models.ForeignKey("batch.Koersel", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    oprettet = models.DateTimeField(auto_now_add=True)

    objects = scoped_manager("sag__kommune_id")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["bp", "bidragsart", "forfaldsdato"], name="ub_anmodning_unik")]


class Beregning(models.Model):
    """A computed item (individ 231/232/233/T/F)."""

    kommune = models.ForeignKey("core.Kommune", on_delete=models.PROTECT, related_name="+")
    sag = models.ForeignKey(UBSag, on_delete=models.CASCADE, related_name="beregninger")
    bp = models.ForeignKey(Bidragsperson, on_delete=models.CASCADE, related_name="beregninger")
    bidrag = models.ForeignKey(Bidrag, null=True, blank=True, on_delete=models.SET_NULL, related_name="beregninger")
    tillaeg_fradrag = models.ForeignKey(TillaegFradrag, null=True, blank=True, on_delete=models.SET_NULL,
                                        related_name="beregninger")
    bpl_cpr = models.CharField(max_length=10)
    type = models.CharField(max_length=16)  # bidrag, efterregulering, rate, tf
    bidragsart = models.PositiveSmallIntegerField()
    bidragskode = models.CharField(max_length=2)
    periode_fra = models.DateField()
    periode_til = models.DateField()
    forfaldsdato = models.DateField()
    udbetalingsdato = models.DateField()
    beloeb = models.DecimalField(max_digits=12, decimal_places=2)
    udbetales = models.BooleanField()
    afkraeves = models.BooleanField()
    koersel = models.ForeignKey("batch.Koersel", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    forklaring = models.TextField()
    udbetalt_af = models.ForeignKey("batch.Koersel", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    afkraevet_af = models.ForeignKey("batch.Koersel", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    objects = scoped_manager()

    class Meta:
        ordering = ["forfaldsdato", "id"]
        constraints = [
            models.UniqueConstraint(fields=["bp", "bpl_cpr", "bidragsart", "type", "forfaldsdato", "periode_fra"],
                                    condition=~models.Q(type="tf"), name="ub_beregning_unik"),
            # each T/F is computed once, however many share BP, art and date
            models.UniqueConstraint(fields=["tillaeg_fradrag"], condition=models.Q(tillaeg_fradrag__isnull=False),
                                    name="ub_beregning_tf_unik"),
        ]


class Meddelelse(models.Model):
    """Advis or fejl written by a run or a registration."""

    kommune = models.ForeignKey("core.Kommune", on_delete=models.PROTECT, related_name="+")
    art = models.CharField(max_length=6, default="advis")  # advis / fejl
    nr = models.CharField(max_length=4)
    tekst = models.TextField()
    sag = models.ForeignKey(UBSag, null=True, blank=True, on_delete=models.SET_NULL, related_name="meddelelser")
    bp = models.ForeignKey(Bidragsperson, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    koersel = models.ForeignKey("batch.Koersel", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    oprettet = models.DateTimeField(auto_now_add=True)

    objects = scoped_manager()


class Udbetaling(models.Model):
    kommune = models.ForeignKey("core.Kommune", on_delete=models.PROTECT, related_name="+")
    koersel = models.ForeignKey("batch.Koersel", on_delete=models.CASCADE, related_name="+")
    # kept when the sag is cleaned up (seed 004, 3.1.1.6): the run's payout journal
    sag = models.ForeignKey(UBSag, null=True, blank=True, on_delete=models.SET_NULL, related_name="udbetalinger")
    modtager = models.CharField(max_length=10)  # BB cpr or "kommune"
    udbetalingsform = models.PositiveSmallIntegerField()
    udbetalingsdato = models.DateField()
    beloeb = models.DecimalField(max_digits=14, decimal_places=2)
    linjer = models.JSONField(default=list)
    adresse = models.JSONField(default=dict, blank=True)  # seed 004, 3.3.1/3.3.2: from the adresseringsgrundlag

    objects = scoped_manager()


class Afkraevning(models.Model):
    kommune = models.ForeignKey("core.Kommune", on_delete=models.PROTECT, related_name="+")
    koersel = models.ForeignKey("batch.Koersel", on_delete=models.CASCADE, related_name="+")
    bpl = models.CharField(max_length=10)
    afkraevningskommune = models.PositiveIntegerField(null=True, blank=True)
    dato = models.DateField()
    beloeb = models.DecimalField(max_digits=14, decimal_places=2)
    linjer = models.JSONField(default=list)
    fordring = models.ForeignKey("debitor.Fordring", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    adresse = models.JSONField(default=dict, blank=True)  # seed 004, 3.4.1: the BPL's, from the adresseringsgrundlag

    objects = scoped_manager()


class Postering(models.Model):
    kommune = models.ForeignKey("core.Kommune", on_delete=models.PROTECT, related_name="+")
    koersel = models.ForeignKey("batch.Koersel", on_delete=models.CASCADE, related_name="+")
    konto = models.CharField(max_length=20)
    kontogruppe = models.CharField(max_length=20)
    debet = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    kredit = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    posteringsdato = models.DateField()
    personnr = models.CharField(max_length=10)

    objects = scoped_manager()


class Anmodningsbrev(models.Model):
    """The anmodning letter, written 5 weeks before the forfaldsdato (seed 004, 3.2.1)."""

    kommune = models.ForeignKey("core.Kommune", on_delete=models.PROTECT, related_name="+")
    koersel = models.ForeignKey("batch.Koersel", on_delete=models.CASCADE, related_name="+")
    sag = models.ForeignKey(UBSag, on_delete=models.CASCADE, related_name="anmodningsbreve")
    bp = models.ForeignKey(Bidragsperson, on_delete=models.CASCADE, related_name="+")
    bidrag = models.ForeignKey(Bidrag, on_delete=models.CASCADE, related_name="+")
    bidragsart = models.PositiveSmallIntegerField()
    bpl_cpr = models.CharField(max_length=10)
    forfaldsdato = models.DateField()

    objects = scoped_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["bidrag", "forfaldsdato"], name="ub_anmodningsbrev_unik")]


class Kontoplan(models.Model):
    """seed 004, 3.5.1.1/2: konto per kontogruppe, by bidragskode before bidragsart; bidragskonti and
    tilgodehavende may be specified on bidragskode and bidragsart, afregningskonti on udbetalingsform,
    the other groups not at all."""

    kommune = models.ForeignKey("core.Kommune", on_delete=models.CASCADE, related_name="+")
    kontogruppe = models.CharField(max_length=20)
    bidragskode = models.CharField(max_length=2, null=True, blank=True)
    bidragsart = models.PositiveSmallIntegerField(null=True, blank=True)
    udbetalingsform = models.PositiveSmallIntegerField(null=True, blank=True)  # afregning only: 0, 1, 2
    konto = models.CharField(max_length=20)

    objects = scoped_manager()


class Adresse(models.Model):
    """Adresseringsgrundlaget: one current address per CPR as P-data (CPR) gives it (seed 004,
    3.9.1, 3.3.1, 3.4.1). Not bound to a kommune: fed by the P-data integration (drift).
    kommunekode null = bopælskommune ukendt; 955–961 = Grønland (CPR); udland = udrejst."""

    cpr = models.CharField(max_length=10, unique=True)
    kommunekode = models.PositiveSmallIntegerField(null=True, blank=True)
    vejkode = models.PositiveSmallIntegerField(null=True, blank=True)
    husnr = models.CharField(max_length=4, blank=True, default="")
    etage = models.CharField(max_length=2, blank=True, default="")
    side = models.CharField(max_length=4, blank=True, default="")
    postnr = models.PositiveSmallIntegerField(null=True, blank=True)
    udland = models.BooleanField(default=False)
    opdateret = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "adresse (adresseringsgrundlag)"
        verbose_name_plural = "adresser (adresseringsgrundlag)"

    def __str__(self):
        return f"Adresse {self.cpr}"


class Registerindsigt(models.Model):
    """Individ 170: a citizen's request for the data held on a personnummer (seed 004, 3.1.1.1,
    3.1.2/2, 3.9.2). Treated as a change; produced by the next weekly run ("dannelse af
    registerindsigt"), blank ("ingen oplysninger registreret") when the personnummer is not on the
    register. An identical request not yet produced is fejl 195."""

    kommune = models.ForeignKey("core.Kommune", on_delete=models.PROTECT, related_name="+")
    cpr = models.CharField(max_length=10)
    bestilt = models.DateTimeField(auto_now_add=True)
    bestilt_af = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    koersel = models.ForeignKey("batch.Koersel", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    dannet = models.DateField(null=True, blank=True)  # the run's as-of date; null = pending
    blank = models.BooleanField(default=False)  # produced without data: "ingen oplysninger registreret"
    indhold = models.JSONField(default=dict, blank=True)

    objects = scoped_manager()

    class Meta:
        verbose_name = "registerindsigt"
        verbose_name_plural = "registerindsigter"
        constraints = [models.UniqueConstraint(fields=["kommune", "cpr"], condition=models.Q(dannet__isnull=True),
                                               name="ub_registerindsigt_en_ventende")]
