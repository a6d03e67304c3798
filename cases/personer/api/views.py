from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.response import Response

from ky.core.accesslog import AccessLoggedMixin
from ky.core.api import CASE_ROLES, RolePermission
from ky.core.roles import Role

from .. import selectors, services
from . import serializers as s


class PersonViewSet(AccessLoggedMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """A person of the register, seen through a sag, bevilling, debitorkonto or underholdsbidrag sag of the
    user's kommuner (else 404). Every read is access-logged (the person's and its relations' CPRs)."""

    permission_classes = [RolePermission]
    read_roles = CASE_ROLES
    serializer_class = s.PersonSerializer
    lookup_field = "cpr"
    lookup_value_regex = r"[^/]+"

    @extend_schema(parameters=[OpenApiParameter("cpr", OpenApiTypes.STR, OpenApiParameter.PATH)])
    def retrieve(self, request, cpr=None):
        person = selectors.person_for(request.user, cpr)
        if person is None:
            raise Http404
        return Response(s.PersonSerializer(selectors.person_dict(person)).data)


class CprHaendelseViewSet(mixins.CreateModelMixin, viewsets.GenericViewSet):
    """A batch of CPR events (role drift), all or nothing, idempotent by haendelse_id."""

    permission_classes = [RolePermission]
    read_roles = (Role.DRIFT,)
    write_roles = (Role.DRIFT,)
    serializer_class = s.HaendelseSerializer

    @extend_schema(request=s.HaendelseSerializer(many=True), responses={200: s.HaendelseResultatSerializer})
    def create(self, request):
        resultat = services.modtag_haendelser(request.data, kilde="api", bruger=request.user)
        return Response(s.HaendelseResultatSerializer(resultat).data)
