from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from cases import selectors as case_selectors
from debitor import selectors, services
from debitor.api import serializers as s
from debitor.api.filters import DebitorkontoFilter
from debitor.api.serializers import DebitorkontoSerializer
from debitor.models import Fordring, KmdAktivImport, PosteringType
from ky.core.accesslog import AccessLoggedMixin
from ky.core.api import DomainError, RolePermission
from ky.core.permissions import Perm


class DebitorkontoViewSet(AccessLoggedMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = DebitorkontoSerializer
    filterset_class = DebitorkontoFilter
    permission_classes = [RolePermission]
    read_perm = Perm.SE_SAGER

    def get_queryset(self):
        return selectors.debitorkonti_for(self.request.user).order_by("-id")


class KmdAktivImportView(APIView):
    """mi32.md: POST a KMD Aktiv file (multipart ``fil``, ``kommune``, ``dry_run``); GET lists the imports."""

    permission_classes = [RolePermission]
    read_perm = write_perm = Perm.IMPORTERE_KMD_AKTIV
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(responses={200: s.KmdAktivImportSerializer(many=True)})
    def get(self, request):
        qs = KmdAktivImport.objects.for_user(request.user).select_related("bruger").order_by("-id")[:200]
        return Response(s.KmdAktivImportSerializer(qs, many=True).data)

    @extend_schema(request={"multipart/form-data": s.KmdAktivImportRequestSerializer},
                   responses={200: s.ImportSummarySerializer, 400: s.ImportSummarySerializer})
    def post(self, request):
        data = s.KmdAktivImportRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        upload = data.validated_data["fil"]
        if hasattr(upload, "temporary_file_path"):
            with open(upload.temporary_file_path(), "rb") as fh:
                summary, accepted = services.import_kmd_aktiv(
                    fh, kommune=data.validated_data["kommune"], dry_run=data.validated_data["dry_run"],
                    user=request.user, filename=upload.name)
        else:
            upload.seek(0)
            summary, accepted = services.import_kmd_aktiv(
                upload.file, kommune=data.validated_data["kommune"], dry_run=data.validated_data["dry_run"],
                user=request.user, filename=upload.name)
        return Response(summary, status=200 if accepted else 400)


class TilknytView(APIView):
    """mi32.md: POST /api/v1/opgaver/{id}/tilknyt/ with exactly one of bevilling, sag, opret_sag."""

    permission_classes = [RolePermission]
    write_perm = Perm.LOESE_OPGAVER

    @extend_schema(request=s.TilknytSerializer, responses={200: DebitorkontoSerializer})
    def post(self, request, pk: int):
        opgave = get_object_or_404(case_selectors.opgaver_for(request.user), pk=pk)
        data = s.TilknytSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        kwargs = {}
        if "bevilling" in v:
            kwargs["bevilling"] = case_selectors.bevillinger_for(request.user).filter(pk=v["bevilling"]).first()
            if kwargs["bevilling"] is None:
                raise DomainError("Bevillingen findes ikke.", "ukendt_bevilling", "bevilling")
        elif "sag" in v:
            kwargs["sag"] = case_selectors.sager_for(request.user).filter(pk=v["sag"]).first()
            if kwargs["sag"] is None:
                raise DomainError("Sagen findes ikke.", "ukendt_sag", "sag")
        else:
            kwargs["opret_sag"] = dict(v["opret_sag"])
        konto = services.tilknyt(request.user, opgave, **kwargs)
        return Response(DebitorkontoSerializer(selectors.debitorkonti_for(request.user).get(pk=konto.pk)).data)


class PosteringView(APIView):
    """A dækning, afskrivning or nedregulering on a fordring: restgæld is reduced; refused (400)
    while the debitorkonto has no sag."""

    permission_classes = [RolePermission]
    write_perm = Perm.REGISTRERE_POSTERINGER

    @extend_schema(request=s.PosteringRequestSerializer, responses={201: s.PosteringSerializer})
    def post(self, request, pk: int, fordring_id: str, operation: str):
        if operation not in PosteringType.values:
            raise DomainError(f"Ukendt operation '{operation}'.", "operation", None)
        konto = get_object_or_404(selectors.debitorkonti_for(request.user), pk=pk)
        fordring = get_object_or_404(Fordring.objects.for_user(request.user), debitorkonto=konto,
                                     fordring_id=fordring_id)
        data = s.PosteringRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        postering = services.registrer_postering(request.user, fordring, type=operation, **data.validated_data)
        return Response(s.PosteringSerializer(postering).data, status=201)
