"""Batch API (batch.md). Thin: logic in batch.services / batch.selectors."""

from __future__ import annotations

import django_filters
from drf_spectacular.utils import extend_schema
from django.http import Http404
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from batch import registry, selectors, services
from batch.models import Batchkonstant, Koersel, KoerselStatus, Trigger
from ky.core.models import Kommune
from ky.core.api import Conflict, DomainError, RolePermission
from ky.core.permissions import Perm


def job_dict(spec: registry.JobSpec) -> dict:
    return {
        "slug": spec.slug, "navn": spec.navn, "kategori": spec.kategori, "kadence": spec.kadence,
        "implementeret": spec.implementeret, "per_kommune": spec.per_kommune, "beskrivelse": spec.beskrivelse,
        "batchkonstanter": [{"noegle": k.noegle, "type": k.type, "standard": k.standard} for k in spec.all_konstanter()],
    }


class KonstantSpecSerializer(serializers.Serializer):
    noegle = serializers.CharField()
    type = serializers.CharField()
    standard = serializers.JSONField()


class JobSerializer(serializers.Serializer):
    slug = serializers.CharField()
    navn = serializers.CharField()
    kategori = serializers.CharField()
    kadence = serializers.CharField()
    implementeret = serializers.BooleanField()
    per_kommune = serializers.BooleanField()
    beskrivelse = serializers.CharField()
    batchkonstanter = KonstantSpecSerializer(many=True)


class KoerResponse(serializers.Serializer):
    run_id = serializers.IntegerField()
    status = serializers.CharField()


class KoerBody(serializers.Serializer):
    kommune = serializers.IntegerField(required=False, allow_null=True)
    as_of = serializers.DateField(required=False, allow_null=True)
    dry_run = serializers.BooleanField(required=False, default=False)


class JobViewSet(viewsets.ViewSet):
    serializer_class = JobSerializer
    permission_classes = [RolePermission]
    action_perms = {"koer": Perm.KOERE_BATCHJOBS}
    lookup_field = "slug"
    lookup_value_regex = "[^/]+"

    @extend_schema(responses=JobSerializer(many=True))
    def list(self, request):
        return Response([job_dict(s) for s in registry.all_jobs()])

    @extend_schema(responses=JobSerializer)
    def retrieve(self, request, slug=None):
        try:
            return Response(job_dict(registry.get(slug)))
        except KeyError:
            raise Http404 from None

    @extend_schema(request=KoerBody, responses={202: KoerResponse})
    @action(detail=True, methods=["post"])
    def koer(self, request, slug=None):
        try:
            spec = registry.get(slug)
        except KeyError:
            raise Http404 from None
        body = KoerBody(data=request.data)
        body.is_valid(raise_exception=True)
        kommune = body.validated_data.get("kommune")
        if spec.per_kommune and kommune is None:
            raise DomainError("Jobbet kører pr. kommune: angiv kommune.", "kommune_mangler", "kommune")
        if kommune is not None and not Kommune.objects.filter(pk=kommune).exists():
            raise DomainError(f"Ukendt kommune: {kommune}.", "ukendt_kommune", "kommune")
        try:
            k = services.enqueue_job(spec.slug, kommune=kommune, as_of=body.validated_data.get("as_of"),
                                     dry_run=body.validated_data["dry_run"], trigger=Trigger.API, user=request.user)
        except services.RunAlreadyActive as exc:
            raise Conflict(str(exc), "koerer_allerede") from None
        return Response({"run_id": k.pk, "status": k.status}, status=status.HTTP_202_ACCEPTED)


class KoerselSerializer(serializers.ModelSerializer):
    counts = serializers.SerializerMethodField()

    class Meta:
        model = Koersel
        fields = ["id", "job", "kommune", "as_of", "dry_run", "trigger", "startet_af", "status", "oprettet",
                  "startet", "afsluttet", "heartbeat", "progress_done", "progress_total", "counts", "errors",
                  "log", "besked"]

    def get_counts(self, obj) -> dict:
        return obj.summary()["counts"]


class KoerselFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=KoerselStatus.choices)

    class Meta:
        model = Koersel
        fields = ["job", "kommune", "status"]


class KoerselViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [RolePermission]
    read_perm = Perm.SE_KOERSLER
    serializer_class = KoerselSerializer
    filterset_class = KoerselFilter

    def get_queryset(self):
        return selectors.koersler_for(self.request.user)


class KonstantSerializer(serializers.ModelSerializer):
    class Meta:
        model = Batchkonstant
        fields = ["id", "kommune", "job", "noegle", "vaerdi", "gyldig_fra"]
        read_only_fields = ["id", "kommune", "job", "noegle"]


class KonstantViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.UpdateModelMixin,
                      viewsets.GenericViewSet):
    permission_classes = [RolePermission]
    read_perm = Perm.SE_BATCHKONSTANTER
    write_perm = Perm.AENDRE_BATCHKONSTANTER
    serializer_class = KonstantSerializer
    filterset_fields = ["kommune", "job"]
    http_method_names = ["get", "patch", "head", "options"]

    def get_queryset(self):
        return selectors.konstanter_for(self.request.user).order_by("kommune_id", "job", "noegle", "gyldig_fra")

    def partial_update(self, request, *args, **kwargs):
        obj = self.get_object()
        ser = self.get_serializer(obj, data=request.data, partial=True)
        ser.is_valid(raise_exception=True)
        try:
            obj = services.saet_konstant(
                user=request.user, kommune_id=obj.kommune_id, job=obj.job, noegle=obj.noegle,
                vaerdi=ser.validated_data.get("vaerdi", obj.vaerdi),
                gyldig_fra=ser.validated_data.get("gyldig_fra", obj.gyldig_fra), row=obj,
            )
        except services.KonstantFejl as exc:
            raise DomainError(str(exc), exc.kode, exc.felt) from None
        except PermissionError as exc:
            raise exceptions.PermissionDenied(str(exc)) from None
        return Response(KonstantSerializer(obj).data)
