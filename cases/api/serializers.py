from rest_framework import serializers

from cases.cpr import InvalidCPR, normalize_cpr
from cases.models import Bevilling, BevillingStatus, Opgave, OpgaveStatus, Opgavepakke, Sag, SagStatus, User, Ydelsestype


class CPRField(serializers.CharField):
    """CPR in: 10 digits with or without dash; out: never a dash (api.md)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 11)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        try:
            return normalize_cpr(value)
        except InvalidCPR as exc:
            raise serializers.ValidationError(str(exc), code="cpr") from None


class KommuneField(serializers.IntegerField):
    """The 3-digit kommunekode as an integer."""


class SagSerializer(serializers.ModelSerializer):
    kommune = serializers.IntegerField(source="kommune_id")
    cpr = serializers.CharField(source="person.cpr")
    navn = serializers.CharField(source="person.navn")
    sagsbehandler = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = Sag
        fields = ["id", "kommune", "cpr", "navn", "ydelsestype", "status", "startdato", "lukket_dato",
                  "kle_nummer", "sagsbehandler"]
        read_only_fields = fields


class SagCreateSerializer(serializers.Serializer):
    kommune = KommuneField()
    cpr = CPRField()
    navn = serializers.CharField(required=False, allow_blank=True, max_length=200)
    ydelsestype = serializers.ChoiceField(choices=Ydelsestype.choices)
    startdato = serializers.DateField(required=False)
    status = serializers.ChoiceField(choices=SagStatus.choices, required=False)
    kle_nummer = serializers.CharField(required=False, allow_blank=True, max_length=20)


class SagUpdateSerializer(serializers.Serializer):
    navn = serializers.CharField(required=False, allow_blank=True, max_length=200)
    ydelsestype = serializers.ChoiceField(choices=Ydelsestype.choices, required=False)
    status = serializers.ChoiceField(choices=SagStatus.choices, required=False)
    startdato = serializers.DateField(required=False)
    kle_nummer = serializers.CharField(required=False, allow_blank=True, max_length=20)
    sagsbehandler = serializers.PrimaryKeyRelatedField(queryset=User.objects.all(), required=False, allow_null=True)


class BevillingSerializer(serializers.ModelSerializer):
    kommune = serializers.IntegerField(source="kommune_id")
    cpr = serializers.CharField(source="person.cpr")
    sag = serializers.IntegerField(source="sag_id", allow_null=True)

    class Meta:
        model = Bevilling
        fields = ["id", "kommune", "cpr", "sag", "ydelsestype", "kmd_aktiv_bevillingsnr", "bevilget_fra",
                  "bevilget_til", "maanedligt_beloeb", "status"]
        read_only_fields = fields


class BevillingCreateSerializer(serializers.Serializer):
    kommune = KommuneField()
    cpr = CPRField()
    sag = serializers.IntegerField(required=False, allow_null=True)
    ydelsestype = serializers.ChoiceField(choices=Ydelsestype.choices)
    kmd_aktiv_bevillingsnr = serializers.RegexField(r"^\d{1,20}$", required=False, allow_null=True, allow_blank=True,
                                                    error_messages={"invalid": "Bevillingsnummeret skal være 1-20 cifre."})
    bevilget_fra = serializers.DateField()
    bevilget_til = serializers.DateField(required=False, allow_null=True)
    maanedligt_beloeb = serializers.DecimalField(max_digits=12, decimal_places=2, required=False, allow_null=True,
                                                 min_value=0)
    status = serializers.ChoiceField(choices=BevillingStatus.choices, required=False)


class BevillingUpdateSerializer(serializers.Serializer):
    sag = serializers.IntegerField(required=False, allow_null=True)
    ydelsestype = serializers.ChoiceField(choices=Ydelsestype.choices, required=False)
    kmd_aktiv_bevillingsnr = serializers.RegexField(r"^\d{1,20}$", required=False, allow_null=True, allow_blank=True)
    bevilget_fra = serializers.DateField(required=False)
    bevilget_til = serializers.DateField(required=False, allow_null=True)
    maanedligt_beloeb = serializers.DecimalField(max_digits=12, decimal_places=2, required=False, allow_null=True,
                                                 min_value=0)
    status = serializers.ChoiceField(choices=BevillingStatus.choices, required=False)


class OpgavepakkeSerializer(serializers.ModelSerializer):
    kommune = serializers.IntegerField(source="kommune_id")
    antal_aabne = serializers.IntegerField()
    antal_i_alt = serializers.IntegerField()
    fuldfoert = serializers.SerializerMethodField()

    class Meta:
        model = Opgavepakke
        fields = ["id", "kommune", "kode", "navn", "antal_aabne", "antal_i_alt", "fuldfoert"]

    def get_fuldfoert(self, obj) -> bool:
        return obj.antal_aabne == 0


class OpgaveSerializer(serializers.ModelSerializer):
    kommune = serializers.IntegerField(source="kommune_id")
    opgavepakke = serializers.IntegerField(source="opgavepakke_id", allow_null=True)
    sag = serializers.IntegerField(source="sag_id", allow_null=True)
    debitorkonto = serializers.IntegerField(source="debitorkonto_id", allow_null=True)
    reserveret_af = serializers.CharField(source="reserveret_af.username", allow_null=True, default=None)

    class Meta:
        model = Opgave
        fields = ["id", "kommune", "opgavepakke", "type", "titel", "status", "aarsag", "sag", "debitorkonto", "frist",
                  "aktiveringsdato", "reserveret_af", "oprettet"]
        read_only_fields = fields


class OpgaveCreateSerializer(serializers.Serializer):
    sag = serializers.IntegerField()
    type = serializers.RegexField(r"^[a-z0-9-]{1,80}$", default="opfoelgning")
    titel = serializers.CharField(max_length=300)
    aktiveringsdato = serializers.DateField(required=False, allow_null=True)
    frist = serializers.DateField(required=False, allow_null=True)


class OpgaveUpdateSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=OpgaveStatus.choices, required=False)
    reserveret_af = serializers.SlugRelatedField(slug_field="username", queryset=User.objects.all(), required=False,
                                                 allow_null=True)
