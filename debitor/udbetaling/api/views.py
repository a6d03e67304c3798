"""API of udbetaling.md: /udbetalinger/ (+ kvik/) and /finansbilag/. Thin: services and selectors."""

import django_filters as filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from cases.api.filters import CPRFilter
from debitor.udbetaling import selectors, services
from debitor.udbetaling.models import Finansbilag, FinansbilagLinje, Kilde, Status, Udbetaling
from ky.core.accesslog import AccessLoggedMixin
from ky.core.api import RolePermission
from ky.core.roles import Role


READ = (Role.SAGSBEHANDLER, Role.KOMMUNEADMIN, Role.DRIFT)


class UdbetalingSerializer(serializers.ModelSerializer):
    kommune = serializers.IntegerField(source="kommune_id")

    class Meta:
        model = Udbetaling
        fields = ["id", "kommune", "cpr", "modtagertype", "beloeb", "udbetalingsdato", "kilde", "kilde_id", "status",
                  "status_tid", "afvist_aarsag"]


class KvikSerializer(serializers.Serializer):
    bevilling = serializers.IntegerField()
    beloeb = serializers.DecimalField(max_digits=14, decimal_places=2, help_text='Beløb i kr. ("1500.00").')
    begrundelse = serializers.CharField(allow_blank=True)


class UdbetalingFilter(filters.FilterSet):
    kommune = filters.NumberFilter(field_name="kommune_id")
    cpr = CPRFilter(field_name="cpr")
    status = filters.ChoiceFilter(choices=Status.choices)
    kilde = filters.ChoiceFilter(choices=Kilde.choices)
    udbetalingsdato_fra = filters.DateFilter(field_name="udbetalingsdato", lookup_expr="gte")
    udbetalingsdato_til = filters.DateFilter(field_name="udbetalingsdato", lookup_expr="lte")

    class Meta:
        model = Udbetaling
        fields = ["kommune", "cpr", "status", "kilde", "udbetalingsdato_fra", "udbetalingsdato_til"]


class UdbetalingViewSet(AccessLoggedMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = UdbetalingSerializer
    filterset_class = UdbetalingFilter
    permission_classes = [RolePermission]
    read_roles = READ
    action_roles = {"kvik": (Role.SAGSBEHANDLER,)}

    def get_queryset(self):
        return selectors.udbetalinger_for(self.request.user)

    @extend_schema(request=KvikSerializer, responses={201: UdbetalingSerializer})
    @action(detail=False, methods=["post"])
    def kvik(self, request):
        data = KvikSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        u = services.opret_kvikudbetaling(request.user, bevilling=v["bevilling"], beloeb=v["beloeb"],
                                          begrundelse=v["begrundelse"])
        return Response(UdbetalingSerializer(u).data, status=status.HTTP_201_CREATED)


class FinansbilagLinjeSerializer(serializers.ModelSerializer):
    class Meta:
        model = FinansbilagLinje
        fields = ["konto", "debet", "kredit", "cpr", "tekst"]


class FinansbilagSerializer(serializers.ModelSerializer):
    kommune = serializers.IntegerField(source="kommune_id")
    linjer = FinansbilagLinjeSerializer(many=True)

    class Meta:
        model = Finansbilag
        fields = ["id", "kommune", "bogfoeringsdato", "status", "linjer"]


class FinansbilagFilter(filters.FilterSet):
    kommune = filters.NumberFilter(field_name="kommune_id")
    status = filters.ChoiceFilter(choices=Finansbilag._meta.get_field("status").choices)
    bogfoeringsdato = filters.DateFilter()

    class Meta:
        model = Finansbilag
        fields = ["kommune", "status", "bogfoeringsdato"]


class FinansbilagViewSet(AccessLoggedMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = FinansbilagSerializer
    filterset_class = FinansbilagFilter
    permission_classes = [RolePermission]
    read_roles = READ

    def get_queryset(self):
        return selectors.finansbilag_for(self.request.user)
