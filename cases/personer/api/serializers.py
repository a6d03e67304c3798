from rest_framework import serializers

from ..models import HaendelseType


class AdresseSerializer(serializers.Serializer):
    vejnavn = serializers.CharField()
    husnr = serializers.CharField()
    etage = serializers.CharField()
    side = serializers.CharField()
    postnr = serializers.IntegerField(allow_null=True)
    by = serializers.CharField()
    kommunekode = serializers.IntegerField(allow_null=True)
    vejkode = serializers.IntegerField(allow_null=True)
    co = serializers.CharField()


class RelationSerializer(serializers.Serializer):
    type = serializers.CharField(help_text="barn, forælder, ægtefælle, samlever")
    cpr = serializers.CharField()
    fra = serializers.DateField(allow_null=True)
    til = serializers.DateField(allow_null=True)


class OpholdSerializer(serializers.Serializer):
    fra = serializers.DateField()
    til = serializers.DateField(allow_null=True)
    land = serializers.CharField()


class PersonSerializer(serializers.Serializer):
    cpr = serializers.CharField()
    navn = serializers.CharField()
    foedselsdato = serializers.DateField()
    adresse = AdresseSerializer(allow_null=True)
    civilstand = serializers.CharField()
    statsborgerskab = serializers.CharField()
    status = serializers.CharField(help_text="aktiv, doed, udrejst, forsvundet, ny_cpr")
    status_dato = serializers.DateField(allow_null=True)
    ny_cpr = serializers.CharField(allow_null=True)
    digital_post_fritaget = serializers.BooleanField()
    relationer = RelationSerializer(many=True)
    ophold = OpholdSerializer(many=True)


class HaendelseSerializer(serializers.Serializer):
    """One CPR event (schema only: the batch is validated as a whole by services.valider_haendelser)."""

    haendelse_id = serializers.CharField(max_length=64)
    cpr = serializers.CharField()
    type = serializers.CharField(help_text=", ".join(HaendelseType.values))
    dato = serializers.DateField()
    data = serializers.DictField(required=False)


class HaendelseResultatSerializer(serializers.Serializer):
    modtaget = serializers.IntegerField(help_text="events in the batch")
    behandlet = serializers.IntegerField(help_text="events stored and applied")
    allerede_kendt = serializers.IntegerField(help_text="haendelse_id already received (idempotent skip)")
    uden_abonnement = serializers.IntegerField(help_text="CPR without a subscription: skipped, not stored")
    opgaver = serializers.IntegerField(help_text="tasks created by the consequences")
    advis = serializers.IntegerField(help_text="underholdsbidrag advis written")
