"""API of ydelsen (contract ydelse.md). Thin: services write, selectors read."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from cases import selectors as case_selectors
from cases.ydelse import beregning, selectors, services
from cases.ydelse.models import Indtaegt, Sanktion, Sats
from ky.core.accesslog import AccessLoggedMixin
from ky.core.api import CASE_ROLES, DomainError, Pagination, RolePermission
from ky.core.roles import Role

WRITE = (Role.SAGSBEHANDLER, Role.KOMMUNEADMIN)


@extend_schema(request=OpenApiTypes.OBJECT, responses=OpenApiTypes.OBJECT)
class SatsViewSet(viewsets.ViewSet):
    """GET all satser (every authenticated user); POST and PATCH one: role faggruppe."""

    queryset = Sats.objects.none()  # for the schema only (the pk type); reads go through selectors

    permission_classes = [RolePermission]
    read_roles = None
    write_roles = (Role.FAGGRUPPE,)

    @extend_schema(operation_id="v1_satser_list")
    def list(self, request):
        return Response({"results": [selectors.sats_dict(s) for s in Sats.objects.all()]})

    def retrieve(self, request, pk=None):
        return Response(selectors.sats_dict(get_object_or_404(Sats, pk=_int(pk))))

    def create(self, request):
        return Response(selectors.sats_dict(services.opret_sats(request.data)), status=status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        s = get_object_or_404(Sats, pk=_int(pk))
        return Response(selectors.sats_dict(services.aendr_sats(s, request.data)))


def _int(pk):
    try:
        return int(pk)
    except (TypeError, ValueError):
        return -1


@extend_schema(request=OpenApiTypes.OBJECT, responses=OpenApiTypes.OBJECT)
class IndtaegtViewSet(AccessLoggedMixin, viewsets.ViewSet):
    """Income per person and month: GET (filters cpr, maaned), POST."""

    queryset = Indtaegt.objects.none()  # for the schema only (the pk type); reads go through selectors

    permission_classes = [RolePermission]
    read_roles = CASE_ROLES
    write_roles = WRITE

    @extend_schema(parameters=[OpenApiParameter("cpr", str), OpenApiParameter("maaned", str, description="ÅÅÅÅ-MM"),
                               OpenApiParameter("page", int)], operation_id="v1_indtaegter_list")
    def list(self, request):
        qs = Indtaegt.objects.for_user(request.user).select_related("person").order_by("-id")
        if cpr := request.query_params.get("cpr"):
            from cases.cpr import InvalidCPR, normalize_cpr
            try:
                qs = qs.filter(person__cpr=normalize_cpr(cpr))
            except InvalidCPR as exc:
                raise DomainError(str(exc), felt="cpr") from None
        if maaned := request.query_params.get("maaned"):
            qs = qs.filter(maaned=services.parse_maaned(maaned))
        page = Pagination()
        rows = page.paginate_queryset(qs, request, view=self)
        return page.get_paginated_response([selectors.indtaegt_dict(i) for i in rows])

    def retrieve(self, request, pk=None):
        i = get_object_or_404(Indtaegt.objects.for_user(request.user).select_related("person"), pk=_int(pk))
        return Response(selectors.indtaegt_dict(i))

    def create(self, request):
        i = services.opret_indtaegt(request.user, request.data)
        return Response(selectors.indtaegt_dict(i), status=status.HTTP_201_CREATED)


@extend_schema(request=OpenApiTypes.OBJECT, responses=OpenApiTypes.OBJECT)
class SanktionViewSet(viewsets.ViewSet):
    """Sanktioner and nedsættelser on bevillinger: GET (filter bevilling), POST, DELETE one."""

    queryset = Sanktion.objects.none()  # for the schema only (the pk type); reads go through selectors

    permission_classes = [RolePermission]
    read_roles = CASE_ROLES
    write_roles = WRITE

    @extend_schema(parameters=[OpenApiParameter("bevilling", int), OpenApiParameter("page", int)],
                   operation_id="v1_sanktioner_list")
    def list(self, request):
        qs = Sanktion.objects.for_user(request.user).order_by("-id")
        if (b := request.query_params.get("bevilling")) is not None:
            qs = qs.filter(bevilling_id=_int(b))
        page = Pagination()
        rows = page.paginate_queryset(qs, request, view=self)
        return page.get_paginated_response([selectors.sanktion_dict(s) for s in rows])

    def retrieve(self, request, pk=None):
        return Response(selectors.sanktion_dict(get_object_or_404(Sanktion.objects.for_user(request.user),
                                                                  pk=_int(pk))))

    def create(self, request):
        return Response(selectors.sanktion_dict(services.opret_sanktion(request.user, request.data)),
                        status=status.HTTP_201_CREATED)

    def destroy(self, request, pk=None):
        services.slet_sanktion(request.user, get_object_or_404(Sanktion.objects.for_user(request.user),
                                                                 pk=_int(pk)))
        return Response(status=status.HTTP_204_NO_CONTENT)


class Beregning(AccessLoggedMixin, APIView):
    """GET bevillinger/{id}/beregning/?maaned=YYYY-MM: the month's computation with its forklaring."""

    permission_classes = [RolePermission]
    read_roles = CASE_ROLES

    @extend_schema(parameters=[OpenApiParameter("maaned", str, required=True, description="ÅÅÅÅ-MM")],
                   responses=OpenApiTypes.OBJECT)
    def get(self, request, pk):
        bevilling = get_object_or_404(case_selectors.bevillinger_for(request.user).select_related("person"),
                                      pk=pk)
        maaned = services.parse_maaned(request.query_params.get("maaned"))
        try:
            return Response(selectors.beregning_for(bevilling, maaned))
        except beregning.BeregningsFejl as exc:
            raise DomainError(exc.tekst, kode="kan_ikke_beregnes", felt=exc.felt) from None
