from rest_framework import serializers

from cases.api.serializers import CPRField, KommuneField
from integrations.dfdg.models import Booking, Fravaer, Frist, FristStatus, FristStatusaendring, Samtaletype

SAMTALETYPE_FEJL = {"invalid_choice": "Samtaletypen skal være 4, 7 eller 17."}


class FristSerializer(serializers.ModelSerializer):
    kommune = serializers.IntegerField(source="kommune_id")
    status = serializers.ChoiceField(choices=FristStatus.choices)
    status_tekst = serializers.CharField()

    class Meta:
        model = Frist
        fields = ["id", "kommune", "cpr", "samtaletype", "fristdato", "fristaktiveringsdato", "status",
                  "status_tekst", "oprettet", "aendret"]
        read_only_fields = fields


class StatusaendringSerializer(serializers.ModelSerializer):
    class Meta:
        model = FristStatusaendring
        fields = ["status", "tidspunkt", "aarsag"]
        read_only_fields = fields


class FristHistorikSerializer(FristSerializer):
    statusaendringer = StatusaendringSerializer(many=True, read_only=True)

    class Meta(FristSerializer.Meta):
        fields = [*FristSerializer.Meta.fields, "statusaendringer"]
        read_only_fields = fields


class FristCreateSerializer(serializers.Serializer):
    kommune = KommuneField()
    cpr = CPRField()
    samtaletype = serializers.ChoiceField(choices=Samtaletype.choices, error_messages=SAMTALETYPE_FEJL)
    fristdato = serializers.DateField()
    fristaktiveringsdato = serializers.DateField(required=False, allow_null=True)


class FristUpdateSerializer(serializers.Serializer):
    fristdato = serializers.DateField(required=False)
    fristaktiveringsdato = serializers.DateField(required=False)
    status = serializers.ChoiceField(choices=FristStatus.choices, required=False,
                                     error_messages={"invalid_choice": "Status skal være 1-6."})


class CprQuerySerializer(serializers.Serializer):
    cpr = CPRField()


class FravaerSerializer(serializers.ModelSerializer):
    class Meta:
        model = Fravaer
        fields = ["id", "cpr", "fravaerstype", "fra", "til", "oprettet"]
        read_only_fields = fields


class FravaerCreateSerializer(serializers.Serializer):
    cpr = CPRField()
    fravaerstype = serializers.IntegerField(min_value=1, max_value=9999)
    fra = serializers.DateField()
    til = serializers.DateField(required=False, allow_null=True)


class BookingSerializer(serializers.ModelSerializer):
    class Meta:
        model = Booking
        fields = ["id", "cpr", "samtaletype", "moededato", "oprettet"]
        read_only_fields = fields


class BookingCreateSerializer(serializers.Serializer):
    cpr = CPRField()
    samtaletype = serializers.ChoiceField(choices=Samtaletype.choices, error_messages=SAMTALETYPE_FEJL)
    moededato = serializers.DateField()


class CprSkiftSerializer(serializers.Serializer):
    gammel_cpr = CPRField()
    ny_cpr = CPRField()


class CprSkiftResultSerializer(serializers.Serializer):
    gammel_cpr = serializers.CharField()
    ny_cpr = serializers.CharField()
    frister = serializers.IntegerField()
    bookinger = serializers.IntegerField()
    fravaer = serializers.IntegerField()


class FejlSerializer(serializers.Serializer):
    """api.md error shape: {"fejl": [{"felt", "kode", "tekst"}]}."""

    class FejlItem(serializers.Serializer):
        felt = serializers.CharField(allow_null=True)
        kode = serializers.CharField()
        tekst = serializers.CharField()

    fejl = FejlItem(many=True)


class PingSerializer(serializers.Serializer):
    ok = serializers.BooleanField()
