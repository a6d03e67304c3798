"""/api/v1/breve/, /lister/, /rapporter/ (contract breve.md). Thin: selectors and services do the work."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from cases.breve import selectors, services
from cases.breve.api import filters, serializers as s
from ky.core.accesslog import AccessLoggedMixin, log_cpr_reads
from ky.core.api import CASE_ROLES, RolePermission
from ky.core.roles import Role
from ky.core.scoping import user_kommune_codes

PDF = {(200, "application/pdf"): OpenApiTypes.BINARY}
CSV = {(200, "text/csv"): OpenApiTypes.STR}


def pdf_response(dokument_id, filnavn: str) -> HttpResponse:
    data = selectors.pdf_bytes(dokument_id) if dokument_id else None
    if not data:
        raise Http404
    r = HttpResponse(data, content_type="application/pdf")
    r["Content-Disposition"] = f'inline; filename="{filnavn}.pdf"'
    return r


def csv_response(text: str | None, filnavn: str) -> HttpResponse:
    if text is None:
        raise Http404  # not a tabular list
    r = HttpResponse("\ufeff" + text, content_type="text/csv; charset=utf-8")
    r["Content-Disposition"] = f'attachment; filename="{filnavn}.csv"'
    return r


class Base(AccessLoggedMixin, viewsets.GenericViewSet):
    permission_classes = [RolePermission]
    read_roles = CASE_ROLES
    write_roles = (Role.SAGSBEHANDLER, Role.KOMMUNEADMIN)
    http_method_names = ["get", "head", "options"]

    def finalize_response(self, request, response, *args, **kwargs):
        if not hasattr(response, "data"):  # a PDF/CSV: its CPR read is logged by the action itself
            return viewsets.GenericViewSet.finalize_response(self, request, response, *args, **kwargs)
        return super().finalize_response(request, response, *args, **kwargs)


class BrevViewSet(Base, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    serializer_class = s.BrevSerializer
    filterset_class = filters.BrevFilter

    def get_queryset(self):
        return selectors.breve_for(self.request.user)

    @extend_schema(responses=PDF)
    @action(detail=True, methods=["get"])
    def pdf(self, request, pk=None):
        brev = self.get_object()
        log_cpr_reads(request.user, [brev.cpr], f"API {request.path}")
        return pdf_response(brev.dokument_id, f"brev-{brev.pk}")


class ListeViewSet(Base, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    serializer_class = s.ListeSerializer
    filterset_class = filters.ListeFilter

    def get_queryset(self):
        return selectors.lister_for(self.request.user)

    @extend_schema(responses=PDF)
    @action(detail=True, methods=["get"])
    def pdf(self, request, pk=None):
        liste = self.get_object()
        return pdf_response(liste.dokument_id, f"{liste.type}-{liste.pk}")

    @extend_schema(responses=CSV)
    @action(detail=True, methods=["get"])
    def csv(self, request, pk=None):
        liste = self.get_queryset().defer(None).get(pk=self.get_object().pk)
        return csv_response(liste.csv, f"{liste.type}-{liste.pk}")


class RapportViewSet(Base, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    serializer_class = s.RapportSerializer
    filterset_class = filters.RapportFilter
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        return selectors.rapporter_for(self.request.user)

    @extend_schema(request=s.RapportBestillingSerializer, responses={201: s.RapportSerializer})
    def create(self, request):
        rapport = services.bestil_rapport(user=request.user, kommuner=user_kommune_codes(request.user),
                                          data=request.data)
        return Response(s.RapportSerializer(self.get_queryset().get(pk=rapport.pk)).data, status=201)

    def _liste(self):
        rapport = self.get_object()
        if rapport.liste_id is None:
            raise Http404  # not produced yet
        return rapport

    @extend_schema(responses=PDF)
    @action(detail=True, methods=["get"])
    def pdf(self, request, pk=None):
        rapport = self._liste()
        return pdf_response(rapport.liste.dokument_id, f"{rapport.type}-{rapport.pk}")

    @extend_schema(responses=CSV)
    @action(detail=True, methods=["get"])
    def csv(self, request, pk=None):
        rapport = self._liste()
        from cases.breve.models import Liste
        return csv_response(Liste.objects.filter(pk=rapport.liste_id).values_list("csv", flat=True).first(),
                            f"{rapport.type}-{rapport.pk}")
