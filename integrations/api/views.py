"""DRF views of the exchange layer (contract integrationer.md); thin, calling selectors/exchange."""

import django_filters as filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from integrations import exchange, selectors
from integrations.models import Fil, FilStatus, Retning
from ky.core.api import Conflict, RolePermission
from ky.core.roles import Role


class IntegrationFilSerializer(serializers.ModelSerializer):
    kommune = serializers.IntegerField(source="kommune_id", allow_null=True)

    class Meta:
        model = Fil
        fields = ["id", "kommune", "art", "retning", "filnavn", "loebenummer", "antal", "status", "tid", "fejl"]


class FilFilter(filters.FilterSet):
    art = filters.CharFilter()
    kommune = filters.NumberFilter(field_name="kommune_id")
    status = filters.ChoiceFilter(choices=FilStatus.choices)
    retning = filters.ChoiceFilter(choices=Retning.choices)

    class Meta:
        model = Fil
        fields = ["art", "kommune", "status", "retning"]


class FilViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Every file sent or received over Serviceplatformen: drift sees all, kommune users their own kommuner."""

    serializer_class = IntegrationFilSerializer
    filterset_class = FilFilter
    permission_classes = [RolePermission]
    read_roles = (Role.SAGSBEHANDLER, Role.KOMMUNEADMIN, Role.DRIFT)
    write_roles = (Role.DRIFT,)

    def get_queryset(self):
        return selectors.filer_for(self.request.user)

    @extend_schema(request=None, responses={201: IntegrationFilSerializer})
    @action(detail=True, methods=["post"], url_path="send-igen")
    def send_igen(self, request, pk=None):
        """drift: a failed outbound file's content again in a new file with a new løbenummer."""
        from integrations import sftp

        fil = self.get_object()
        t = sftp.transport()
        try:
            ny = exchange.send_igen(fil, t)
        except exchange.Afvisning as exc:
            raise Conflict(exc.tekst, exc.kode, "status") from None
        finally:
            t.close()
        return Response(IntegrationFilSerializer(Fil.objects.get(pk=ny.pk)).data, status=201)
