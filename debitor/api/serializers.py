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
