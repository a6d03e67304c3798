import threading

from rest_framework import serializers

from cases.api.serializers import CPRField, KommuneField
from integrations.dfdg.models import (
    Abonnement, Besked, Booking, Fravaer, FristStatus, FristStatusaendring, Kanal, Kontaktforloeb, Kontaktgruppe,
    Samtaletype, SamtaletypeKontaktgruppe,
)

SAMTALETYPE_FEJL = {"invalid_choice": "Samtaletypen skal være 4, 7 eller 17."}


class FristSerializer(serializers.Serializer):
    """En frist for borgerens selvbooking af en samtale i jobcentret."""

    # the contract's frist fields, declared (not a ModelSerializer: no model introspection per instance, hot path)
    id = serializers.IntegerField(read_only=True)
    kommune = serializers.IntegerField(source="kommune_id", read_only=True)
    cpr = serializers.CharField(read_only=True)
    samtaletype = serializers.ChoiceField(choices=Samtaletype.choices, read_only=True)
    fristdato = serializers.DateField(read_only=True)
    fristaktiveringsdato = serializers.DateField(read_only=True)
    status = serializers.ChoiceField(choices=FristStatus.choices, read_only=True)
    status_tekst = serializers.CharField(read_only=True)
    oprettet = serializers.DateTimeField(read_only=True)
    aendret = serializers.DateTimeField(read_only=True)


class StatusaendringSerializer(serializers.ModelSerializer):
    class Meta:
        model = FristStatusaendring
        fields = ["status", "tidspunkt", "aarsag"]
        read_only_fields = fields


class FristHistorikSerializer(FristSerializer):
    """En frist med alle dens statusændringer, ældste først."""

    statusaendringer = StatusaendringSerializer(many=True, read_only=True)


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
    kontaktforloeb = serializers.IntegerField()


class KontaktgruppeRegelSerializer(serializers.ModelSerializer):
    class Meta:
        model = SamtaletypeKontaktgruppe
        fields = ["samtaletype", "gyldig_fra", "gyldig_til", "kilde"]
        read_only_fields = fields


class KontaktgruppeSerializer(serializers.ModelSerializer):
    """En kontaktgruppe og de samtaletyper, en frist kan indfries i (daterede regler)."""

    samtaletyper = KontaktgruppeRegelSerializer(many=True, read_only=True)

    class Meta:
        model = Kontaktgruppe
        fields = ["kode", "navn", "samtaletyper"]
        read_only_fields = fields


class KontaktforloebSerializer(serializers.ModelSerializer):
    kommune = serializers.IntegerField(source="kommune_id", read_only=True)
    kontaktgruppe = serializers.CharField(source="kontaktgruppe_id", read_only=True)
    kontaktgruppe_navn = serializers.CharField(source="kontaktgruppe.navn", read_only=True)

    class Meta:
        model = Kontaktforloeb
        fields = ["id", "kommune", "cpr", "kontaktgruppe", "kontaktgruppe_navn", "fra", "til", "akasse", "oprettet"]
        read_only_fields = fields


class KontaktforloebCreateSerializer(serializers.Serializer):
    kommune = KommuneField()
    cpr = CPRField()
    kontaktgruppe = serializers.CharField(max_length=40)
    fra = serializers.DateField()
    til = serializers.DateField(required=False, allow_null=True)
    akasse = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=9999)


class AbonnementSerializer(serializers.ModelSerializer):
    """En abonnent på WSRM/WSB-beskeder og GetCprChanged; ``kvitteret_til`` er markøren."""

    kommune = serializers.IntegerField(source="kommune_id", read_only=True, allow_null=True)

    class Meta:
        model = Abonnement
        fields = ["id", "navn", "kommune", "akasse", "kvitteret_til", "oprettet"]
        read_only_fields = fields


class AbonnementCreateSerializer(serializers.Serializer):
    navn = serializers.CharField(max_length=100)
    kommune = KommuneField(required=False, allow_null=True)
    akasse = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=9999)


class BeskedSerializer(serializers.ModelSerializer):
    kanal = serializers.ChoiceField(choices=Kanal.choices, read_only=True)
    kommune = serializers.IntegerField(source="kommune_id", read_only=True, allow_null=True)
    indhold = serializers.DictField(read_only=True)

    class Meta:
        model = Besked
        fields = ["position", "kanal", "navn", "kommune", "akasse", "frist_id", "cpr", "indhold", "oprettet"]
        read_only_fields = fields


class BeskederSerializer(serializers.Serializer):
    kvitteret_til = serializers.IntegerField()
    beskeder = BeskedSerializer(many=True)


class BeskederQuerySerializer(serializers.Serializer):
    antal = serializers.IntegerField(required=False, min_value=1, max_value=1000, default=100)


class KvitterSerializer(serializers.Serializer):
    position = serializers.IntegerField(min_value=0, max_value=2 ** 62)


class FejlSerializer(serializers.Serializer):
    """api.md error shape: {"fejl": [{"felt", "kode", "tekst"}]}."""

    class FejlItem(serializers.Serializer):
        felt = serializers.CharField(allow_null=True)
        kode = serializers.CharField()
        tekst = serializers.CharField()

    fejl = FejlItem(many=True)


class PingSerializer(serializers.Serializer):
    ok = serializers.BooleanField()


# --- the hot path (CreateFrist, GetFrist{id}; bench/frister_api.py) -----------------------------
# A DRF serializer deep-copies all its declared fields on every instantiation, which costs more than the
# whole CreateFrist statement. The views reuse one instance per serializer class and thread instead: the same
# DRF code (to_representation / run_validation, so output and errors are identical), without the copies.
_per_thread = threading.local()


def _reused(serializer_class) -> serializers.Serializer:
    cache = _per_thread.__dict__.setdefault("serializers", {})
    ser = cache.get(serializer_class)
    if ser is None:
        ser = cache[serializer_class] = serializer_class()
    return ser


def represent(serializer_class, instance) -> dict:
    """``serializer_class(instance).data``."""
    return _reused(serializer_class).to_representation(instance)


def validate(serializer_class, data) -> dict:
    """``serializer_class(data=data)``'s validated_data after ``is_valid(raise_exception=True)``."""
    return _reused(serializer_class).run_validation(data)
