from rest_framework import serializers

from cases.breve.models import Brev, Liste, Rapport


class BrevSerializer(serializers.ModelSerializer):
    kommune = serializers.IntegerField(source="kommune_id")
    sag = serializers.IntegerField(source="sag_id", allow_null=True)
    ub_sag = serializers.IntegerField(source="ub_sag_id", allow_null=True)
    fejl = serializers.CharField(allow_null=True)

    class Meta:
        model = Brev
        fields = ["id", "kommune", "type", "sag", "ub_sag", "cpr", "titel", "status", "dannet", "sendt", "kanal",
                  "fejl"]
        read_only_fields = fields

    def to_representation(self, obj):
        d = super().to_representation(obj)
        d["fejl"] = d["fejl"] or None
        return d


class ListeSerializer(serializers.ModelSerializer):
    kommune = serializers.IntegerField(source="kommune_id")
    koersel = serializers.IntegerField(source="koersel_id", allow_null=True)

    class Meta:
        model = Liste
        fields = ["id", "kommune", "type", "titel", "koersel", "dannet", "sider"]
        read_only_fields = fields


class RapportSerializer(serializers.ModelSerializer):
    kommune = serializers.IntegerField(source="kommune_id")
    dannet = serializers.DateTimeField(source="liste.dannet", allow_null=True, default=None)
    sider = serializers.IntegerField(source="liste.sider", allow_null=True, default=None)
    liste = serializers.IntegerField(source="liste_id", allow_null=True)
    fejl = serializers.CharField(allow_null=True)

    class Meta:
        model = Rapport
        fields = ["id", "kommune", "type", "parametre", "status", "bestilt", "dannet", "sider", "liste", "fejl"]
        read_only_fields = fields

    def to_representation(self, obj):
        d = super().to_representation(obj)
        d["fejl"] = d["fejl"] or None
        return d


class RapportBestillingSerializer(serializers.Serializer):
    """For the schema only: the body is validated by breve.services.bestil_rapport (Danish messages)."""

    type = serializers.CharField()
    kommune = serializers.IntegerField()
    parametre = serializers.DictField(required=False)
