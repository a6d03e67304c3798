from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from integrations.sf2520 import selectors, services
from integrations.sf2520.models import Betalingsadministrationsaftale, Effektuering, SendtFil
from ky.core.accesslog import AccessLoggedMixin
from ky.core.api import RolePermission
from ky.core.roles import Role


class AftaleSerializer(serializers.ModelSerializer):
    kommune = serializers.IntegerField(source="kommune_id")

    class Meta:
        model = Betalingsadministrationsaftale
        fields = ["id", "aftale_id", "kommune", "cpr", "maanedligt_beloeb", "gyldig_fra", "gyldig_til", "status"]


class EffektueringSerializer(serializers.ModelSerializer):
    kommune = serializers.IntegerField(source="kommune_id")
    cpr = serializers.CharField(source="person.cpr")

    class Meta:
        model = Effektuering
        fields = ["id", "bevilling", "kommune", "cpr", "periode_fra", "periode_til", "brutto", "modregning", "netto",
                  "status", "udbetalingsdato"]


class FilSerializer(serializers.ModelSerializer):
    kommune = serializers.IntegerField(source="kommune_id")

    class Meta:
        model = SendtFil
        fields = ["id", "kommune", "filnavn", "loebenummer", "antal", "sum_beloeb", "status", "sendt", "kvitteret"]


class Base(AccessLoggedMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [RolePermission]
    read_roles = (Role.SAGSBEHANDLER, Role.DRIFT)
    write_roles = (Role.DRIFT,)


class AftaleViewSet(Base):
    serializer_class = AftaleSerializer

    def get_queryset(self):
        return selectors.aftaler_for(self.request.user)


class EffektueringViewSet(Base):
    serializer_class = EffektueringSerializer
    action_roles = {"godkend": (Role.SAGSBEHANDLER, Role.DRIFT)}

    def get_queryset(self):
        return selectors.effektueringer_for(self.request.user)

    @extend_schema(request=None, responses={200: EffektueringSerializer})
    @action(detail=True, methods=["post"])
    def godkend(self, request, pk=None):
        eff = services.godkend_effektuering(request.user, self.get_object())
        return Response(EffektueringSerializer(self.get_queryset().get(pk=eff.pk)).data)


class FilViewSet(Base):
    serializer_class = FilSerializer

    def get_queryset(self):
        return selectors.sendte_filer_for(self.request.user)
