"""The person register (contract personer.md): what ky holds of CPR for the citizens it has business
with (a subscription per person, cases.Abonnement). Built on cases.Person (the CPR and the name):
one Stamdata row per person (address, civilstand, statsborgerskab, status), its relations, its
residence periods (ophold), the history of every field change, and the CPR events received.

Tables (for joins in SQL, see docs/personer.md): personer_stamdata (person_id = cases_person.id),
personer_relation, personer_ophold, personer_historik, personer_cprhaendelse, personer_kontaktforloeb,
personer_graviditet, personer_skatteopgoerelse."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from ky.core.scoping import scoped_manager


class Status(models.TextChoices):
    AKTIV = "aktiv", "Aktiv"
    DOED = "doed", "Død"
    UDREJST = "udrejst", "Udrejst"
    FORSVUNDET = "forsvundet", "Forsvundet"
    NY_CPR = "ny_cpr", "Nyt CPR-nummer"


class Civilstand(models.TextChoices):
    """CPR's civilstandskoder."""

    UGIFT = "U", "Ugift"
    GIFT = "G", "Gift"
    FRASKILT = "F", "Fraskilt"
    ENKE = "E", "Enke/enkemand"
    REG_PARTNER = "P", "Registreret partnerskab"
    OPHAEVET_PARTNER = "O", "Ophævet partnerskab"
    LAENGSTLEVENDE = "L", "Længstlevende partner"
    DOED = "D", "Død"


GIFT_CIVILSTANDE = (Civilstand.GIFT, Civilstand.REG_PARTNER)


class RelationType(models.TextChoices):
    # the values are the contract's (personer.md)
    BARN = "barn", "Barn"
    FORAELDER = "forælder", "Forælder"
    AEGTEFAELLE = "ægtefælle", "Ægtefælle"
    SAMLEVER = "samlever", "Samlever"


class Stamdata(models.Model):
    """One person's CPR data as ky holds it. Address fields as CPR gives them: vejkode is per kommune,
    co is the c/o name. kommunekode is the bopælskommune (1–999, 955–961 Grønland; null when udrejst or
    unknown) — not a foreign key, CPR's codes include Greenland's."""

    person = models.OneToOneField("cases.Person", on_delete=models.CASCADE, related_name="stamdata")
    foedselsdato = models.DateField("fødselsdato")  # from the CPR (century rule), kept for SQL
    vejnavn = models.CharField(max_length=40, blank=True, default="")
    husnr = models.CharField(max_length=4, blank=True, default="")
    etage = models.CharField(max_length=2, blank=True, default="")
    side = models.CharField(max_length=4, blank=True, default="")
    postnr = models.PositiveSmallIntegerField(null=True, blank=True)
    by = models.CharField("postdistrikt", max_length=40, blank=True, default="")
    kommunekode = models.PositiveSmallIntegerField(null=True, blank=True, db_index=True)
    vejkode = models.PositiveSmallIntegerField(null=True, blank=True)
    co = models.CharField("c/o", max_length=60, blank=True, default="")
    adresse_fra = models.DateField("tilflyttet", null=True, blank=True)
    civilstand = models.CharField(max_length=1, choices=Civilstand.choices, blank=True, default="")
    civilstand_dato = models.DateField(null=True, blank=True)
    statsborgerskab = models.CharField(max_length=2, blank=True, default="DK")  # ISO 3166 alpha-2
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.AKTIV)
    status_dato = models.DateField(null=True, blank=True)
    ny_cpr = models.CharField("nyt CPR-nummer", max_length=10, null=True, blank=True)
    digital_post_fritaget = models.BooleanField("fritaget for Digital Post", default=False)
    aendret = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "stamdata (CPR)"
        verbose_name_plural = "stamdata (CPR)"
        constraints = [
            models.CheckConstraint(condition=~Q(status="ny_cpr") | Q(ny_cpr__isnull=False),
                                   name="personer_stamdata_ny_cpr"),
        ]

    def __str__(self):
        return f"Stamdata {self.person_id}"


class Relation(models.Model):
    """A CPR relation of the person: barn, forælder, ægtefælle, samlever. ``cpr`` is the other person's
    CPR (who need not be in the register). ``til`` set = ended (divorce, death, moved apart)."""

    person = models.ForeignKey("cases.Person", on_delete=models.CASCADE, related_name="relationer")
    type = models.CharField(max_length=10, choices=RelationType.choices)
    cpr = models.CharField("CPR-nummer", max_length=10, db_index=True)
    fra = models.DateField(null=True, blank=True)
    til = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "relationer"
        constraints = [
            models.UniqueConstraint(fields=["person", "type", "cpr"], condition=Q(til__isnull=True),
                                    name="personer_relation_en_aaben"),
            models.CheckConstraint(condition=Q(til__isnull=True) | Q(fra__isnull=True) | Q(til__gte=F("fra")),
                                   name="personer_relation_periode"),
        ]


class Ophold(models.Model):
    """A residence period: where the person had its (folkeregister) address from ``fra`` to ``til``
    (null = still). ``land`` ISO 3166 alpha-2 (DK, GL, FO count as 'riget')."""

    person = models.ForeignKey("cases.Person", on_delete=models.CASCADE, related_name="ophold")
    fra = models.DateField()
    til = models.DateField(null=True, blank=True)
    land = models.CharField(max_length=2, default="DK")

    class Meta:
        verbose_name_plural = "ophold"
        ordering = ["person", "fra"]
        constraints = [
            models.CheckConstraint(condition=Q(til__isnull=True) | Q(til__gte=F("fra")), name="personer_ophold_periode"),
            models.UniqueConstraint(fields=["person", "fra", "land"], name="personer_ophold_unik"),
        ]


class Historik(models.Model):
    """Who/what changed which register field when: one row per changed field."""

    person = models.ForeignKey("cases.Person", on_delete=models.CASCADE, related_name="historik")
    felt = models.CharField(max_length=40)
    gammel = models.TextField(blank=True, default="")
    ny = models.TextField(blank=True, default="")
    dato = models.DateField(null=True, blank=True)  # the event's virkningsdato
    tidspunkt = models.DateTimeField(auto_now_add=True)
    kilde = models.CharField(max_length=80)  # "cpr-haendelse <id>", "bruger", "demo"
    haendelse_id = models.CharField(max_length=64, null=True, blank=True)
    bruger = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")

    class Meta:
        verbose_name_plural = "historik"
        indexes = [models.Index(fields=["person", "-id"], name="personer_historik_person_idx")]


class HaendelseType(models.TextChoices):
    NAVN = "navn", "Navn"
    ADRESSE = "adresse", "Adresse"
    CIVILSTAND = "civilstand", "Civilstand"
    RELATION = "relation", "Relation"
    DOED = "doed", "Død"
    UDREJST = "udrejst", "Udrejst"
    INDREJST = "indrejst", "Indrejst"
    FORSVUNDET = "forsvundet", "Forsvundet"
    NY_CPR = "ny_cpr", "Nyt CPR-nummer"
    OPHOLD = "ophold", "Ophold"


class CprHaendelse(models.Model):
    """A CPR event received (API or IN/CPR_HAENDELSER file). Only events for a subscribed CPR are stored;
    ``haendelse_id`` makes a redelivery a no-op. Keyed by the CPR as received (no foreign key: the log
    outlives a ny_cpr and a deleted person)."""

    haendelse_id = models.CharField(max_length=64, unique=True)
    cpr = models.CharField(max_length=10, db_index=True)
    type = models.CharField(max_length=12, choices=HaendelseType.choices)
    dato = models.DateField()
    data = models.JSONField(default=dict, blank=True)
    kilde = models.CharField(max_length=120, default="api")  # "api" or the file name
    modtaget = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "CPR-hændelse"
        verbose_name_plural = "CPR-hændelser"


class Kontaktforloeb(models.Model):
    """A kontaktforløb event from the jobcentre (seed 000 nr. 42 and 68): stored on receipt, matched to a
    sag of the person in the kommune when there is one (else 'ikke saghenførbar'), followed up after
    ``uden_aktivitet_dage`` without activity, cleaned up after 30 days without activity."""

    kommune = models.ForeignKey("core.Kommune", on_delete=models.PROTECT, related_name="+")
    cpr = models.CharField(max_length=10)
    person = models.ForeignKey("cases.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    sag = models.ForeignKey("cases.Sag", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    haendelse = models.CharField(max_length=80)  # e.g. "samtale afholdt", "tilbud startet"
    modtaget = models.DateField()
    seneste_aktivitet = models.DateField()
    data = models.JSONField(default=dict, blank=True)

    objects = scoped_manager()

    class Meta:
        verbose_name = "kontaktforløb"
        verbose_name_plural = "kontaktforløb"
        indexes = [models.Index(fields=["kommune", "seneste_aktivitet"], name="personer_kf_aktivitet_idx")]


class Graviditet(models.Model):
    """A pregnancy known to the kommune (seed 000 nr. 10): terminsdato on the person (and the sag when
    known); the barselsperiode ends on ``barsel_slut`` (set by the caseworker or from the birth)."""

    kommune = models.ForeignKey("core.Kommune", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("cases.Person", on_delete=models.CASCADE, related_name="graviditeter")
    sag = models.ForeignKey("cases.Sag", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    terminsdato = models.DateField()
    foedt = models.DateField("født", null=True, blank=True)
    barsel_slut = models.DateField("barselsperiode slutter", null=True, blank=True)

    objects = scoped_manager()

    class Meta:
        verbose_name_plural = "graviditeter"


class Skatteopgoerelse(models.Model):
    """A forskudsopgørelse (SF0785) or årsopgørelse (SF0786) from SKAT, as read by job #2."""

    kommune = models.ForeignKey("core.Kommune", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("cases.Person", on_delete=models.CASCADE, related_name="skatteopgoerelser")
    art = models.CharField(max_length=4, choices=[("F", "Forskudsopgørelse"), ("A", "Årsopgørelse")])
    indkomstaar = models.PositiveSmallIntegerField("indkomstår")
    dannet = models.DateField()
    # positive = overskydende skat (the citizen gets money back), negative = restskat
    resultat = models.DecimalField(max_digits=12, decimal_places=2)
    fil = models.CharField(max_length=120)

    objects = scoped_manager()

    class Meta:
        verbose_name = "skatteopgørelse"
        verbose_name_plural = "skatteopgørelser"
        constraints = [models.UniqueConstraint(fields=["person", "art", "indkomstaar", "dannet"],
                                               name="personer_skatteopg_unik")]


# (kind, table, fk column) deleted with a person by delete-persons (cases.services.slet_personer)
REGISTER_DEPENDANTS = [
    ("stamdata", "personer_stamdata", "person_id"),
    ("relation", "personer_relation", "person_id"),
    ("ophold", "personer_ophold", "person_id"),
    ("historik", "personer_historik", "person_id"),
]
