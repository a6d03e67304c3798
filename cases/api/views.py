from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.response import Response

from cases import selectors, services
from cases.api import filters, serializers as s
from cases.models import Opgave
from ky.core.accesslog import AccessLoggedMixin
from ky.core.api import DomainError, RolePermission
from ky.core.permissions import Perm
from ky.core.roles import Role

# role lists for views not yet on the policy (ky/core/permissions.py): Perm.SE_SAGER / SKRIVE_SAGER
CASE_READ = (Role.SAGSBEHANDLER, Role.KOMMUNEADMIN)
CASE_WRITE = (Role.SAGSBEHANDLER, Role.KOMMUNEADMIN)


class CaseViewSet(AccessLoggedMixin, viewsets.GenericViewSet):
    permission_classes = [RolePermission]
    read_perm = Perm.SE_SAGER
    write_perm = Perm.SKRIVE_SAGER
    http_method_names = ["get", "post", "patch", "head", "options"]


class SagViewSet(CaseViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    serializer_class = s.SagSerializer
    filterset_class = filters.SagFilter

    def get_queryset(self):
        return selectors.sager_for(self.request.user).order_by("-id")

    @extend_schema(request=s.SagCreateSerializer, responses={201: s.SagSerializer})
    def create(self, request):
        data = s.SagCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        sag = services.opret_sag(request.user, **data.validated_data)
        return Response(s.SagSerializer(self.get_queryset().get(pk=sag.pk)).data, status=201)

    @extend_schema(request=s.SagUpdateSerializer, responses={200: s.SagSerializer})
    def partial_update(self, request, pk=None):
        sag = self.get_object()
        data = s.SagUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        services.opdater_sag(request.user, sag, **data.validated_data)
        return Response(s.SagSerializer(self.get_queryset().get(pk=sag.pk)).data)


class BevillingViewSet(CaseViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    serializer_class = s.BevillingSerializer
    filterset_class = filters.BevillingFilter

    def get_queryset(self):
        return selectors.bevillinger_for(self.request.user).order_by("-id")

    def _sag(self, sag_id):
        if sag_id is None:
            return None
        sag = selectors.sager_for(self.request.user).filter(pk=sag_id).first()
        if sag is None:
            raise DomainError("Sagen findes ikke.", "ukendt_sag", "sag")
        return sag

    @extend_schema(request=s.BevillingCreateSerializer, responses={201: s.BevillingSerializer})
    def create(self, request):
        data = s.BevillingCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        values["sag"] = self._sag(values.pop("sag", None))
        bevilling = services.opret_bevilling(request.user, **values)
        return Response(s.BevillingSerializer(self.get_queryset().get(pk=bevilling.pk)).data, status=201)

    @extend_schema(request=s.BevillingUpdateSerializer, responses={200: s.BevillingSerializer})
    def partial_update(self, request, pk=None):
        bevilling = self.get_object()
        data = s.BevillingUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        if "sag" in values:
            values["sag"] = self._sag(values["sag"])
        if "kmd_aktiv_bevillingsnr" in values:
            values["kmd_aktiv_bevillingsnr"] = values["kmd_aktiv_bevillingsnr"] or None
        services.opdater_bevilling(request.user, bevilling, **values)
        return Response(s.BevillingSerializer(self.get_queryset().get(pk=bevilling.pk)).data)


class OpgavepakkeViewSet(CaseViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    serializer_class = s.OpgavepakkeSerializer
    filterset_class = filters.OpgavepakkeFilter
    http_method_names = ["get", "head", "options"]

    def get_queryset(self):
        return selectors.opgavepakker_for(self.request.user).order_by("kommune_id", "navn")


class OpgaveViewSet(CaseViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    serializer_class = s.OpgaveSerializer
    filterset_class = filters.OpgaveFilter

    def get_queryset(self):
        return selectors.opgaver_for(self.request.user).order_by("-id")

    @extend_schema(request=s.OpgaveCreateSerializer, responses={201: s.OpgaveSerializer})
    def create(self, request):
        data = s.OpgaveCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        sag = selectors.sager_for(request.user).filter(pk=values.pop("sag")).first()
        if sag is None:
            raise DomainError("Sagen findes ikke.", "ukendt_sag", "sag")
        opgave = services.opret_opgave(request.user, sag=sag, **values)
        return Response(s.OpgaveSerializer(self.get_queryset().get(pk=opgave.pk)).data, status=201)

    @extend_schema(request=s.OpgaveUpdateSerializer, responses={200: s.OpgaveSerializer})
    def partial_update(self, request, pk=None):
        opgave: Opgave = self.get_object()
        data = s.OpgaveUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        services.opdater_opgave(request.user, opgave, **data.validated_data)
        return Response(s.OpgaveSerializer(self.get_queryset().get(pk=opgave.pk)).data)
