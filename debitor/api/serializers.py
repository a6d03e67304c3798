from rest_framework import serializers

from debitor.models import Debitorkonto, Fordring


class FordringSerializer(serializers.ModelSerializer):
    class Meta:
        model = Fordring
        fields = ["fordring_id", "fordringstype", "hovedstol", "restgaeld", "periode_fra", "periode_til",
                  "stiftelsesdato"]


class DebitorkontoSerializer(serializers.ModelSerializer):
    kommune = serializers.IntegerField(source="kommune_id")
    cpr = serializers.CharField(source="person.cpr")
    sag = serializers.IntegerField(source="sag_id", allow_null=True)
    bevilling = serializers.IntegerField(source="bevilling_id", allow_null=True)
    fordringer = FordringSerializer(many=True)

    class Meta:
        model = Debitorkonto
        fields = ["id", "kontonr", "kommune", "cpr", "sag", "bevilling", "kilde", "kmd_aktiv_bevillingsnr",
                  "ydelsestype", "fordringer"]


class KmdAktivImportRequestSerializer(serializers.Serializer):
    fil = serializers.FileField()
    kommune = serializers.IntegerField()
    dry_run = serializers.BooleanField(required=False, default=False)


class ImportFejlSerializer(serializers.Serializer):
    line = serializers.IntegerField(allow_null=True)
    field = serializers.CharField(allow_null=True)
    message = serializers.CharField()


class ImportSummarySerializer(serializers.Serializer):
    kommune = serializers.IntegerField()
    dry_run = serializers.BooleanField()
    rows = serializers.IntegerField()
    debitorkonti = serializers.IntegerField()
    fordringer_created = serializers.IntegerField()
    fordringer_updated = serializers.IntegerField()
    sagstilknytning = serializers.IntegerField()
    sagsoprettelse = serializers.IntegerField()
    manual = serializers.IntegerField()
    rejected = serializers.IntegerField()
    errors = ImportFejlSerializer(many=True)


class KmdAktivImportSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kommune = serializers.IntegerField(source="kommune_id")
    bruger = serializers.CharField(source="bruger.username", default=None)
    tidspunkt = serializers.DateTimeField()
    filnavn = serializers.CharField()
    sha256 = serializers.CharField()
    dry_run = serializers.BooleanField()
    status = serializers.CharField()
    resume = serializers.JSONField()
    fejl = serializers.JSONField()


class OpretSagSerializer(serializers.Serializer):
    ydelsestype = serializers.CharField()


class TilknytSerializer(serializers.Serializer):
    bevilling = serializers.IntegerField(required=False)
    sag = serializers.IntegerField(required=False)
    opret_sag = OpretSagSerializer(required=False)

    def validate(self, attrs):
        if len([k for k in ("bevilling", "sag", "opret_sag") if k in attrs]) != 1:
            raise serializers.ValidationError("Angiv præcis én af bevilling, sag eller opret_sag.", code="en_af")
        return attrs


class PosteringRequestSerializer(serializers.Serializer):
    beloeb = serializers.DecimalField(max_digits=14, decimal_places=2)
    dato = serializers.DateField()


class PosteringSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    fordring_id = serializers.CharField(source="fordring.fordring_id")
    type = serializers.CharField()
    beloeb = serializers.DecimalField(max_digits=14, decimal_places=2)
    dato = serializers.DateField()
    restgaeld_foer = serializers.DecimalField(max_digits=14, decimal_places=2)
    restgaeld_efter = serializers.DecimalField(max_digits=14, decimal_places=2)
