"""API of Underholdsbidrag – kreditor (contract underholdsbidrag.md). Thin: services/selectors do the work."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from ky.core.accesslog import AccessLoggedMixin
from ky.core.api import CASE_ROLES, DomainError, RolePermission
from ky.core.roles import Role
from ky.core.scoping import user_kommune_codes

from .. import selectors, services
from ..models import Registerindsigt, Sats, Tilslutning, UBSag

WRITE = (Role.SAGSBEHANDLER, Role.KOMMUNEADMIN)


class Base(APIView):
    permission_classes = [RolePermission]
    read_roles = CASE_ROLES
    write_roles = WRITE


@extend_schema(request=OpenApiTypes.OBJECT, responses=OpenApiTypes.OBJECT)
class SatsList(Base):
    read_roles = None  # everyone authenticated reads satser
    write_roles = (Role.FAGGRUPPE,)

    def get(self, request):
        return Response({"results": [selectors.sats_dict(s) for s in Sats.objects.all()]})

    def post(self, request):
        d = request.data
        if not isinstance(d, dict):
            raise DomainError("Ugyldig forespørgsel.")
        s = services.opret_sats(bidragsart=d.get("bidragsart"), gyldig_fra=d.get("gyldig_fra"), beloeb=d.get("beloeb"))
        return Response({**selectors.sats_dict(s), "advis": []}, status=status.HTTP_201_CREATED)

    def patch(self, request):
        """PATCH satser/ {bidragsart, beloeb?, gyldig_fra?} changes the open period of the bidragsart."""
        s = services.aendr_aaben_sats(request.data)
        return Response({**selectors.sats_dict(s), "advis": []})


@extend_schema(request=OpenApiTypes.OBJECT, responses=OpenApiTypes.OBJECT)
class SatsDetail(Base):
    read_roles = None
    write_roles = (Role.FAGGRUPPE,)

    @extend_schema(operation_id="v1_underholdsbidrag_sats_retrieve", responses=OpenApiTypes.OBJECT)
    def get(self, request, pk):
        return Response(selectors.sats_dict(get_object_or_404(Sats, pk=pk)))

    @extend_schema(operation_id="v1_underholdsbidrag_sats_partial_update", request=OpenApiTypes.OBJECT,
                   responses=OpenApiTypes.OBJECT)
    def patch(self, request, pk):
        s = get_object_or_404(Sats, pk=pk)
        if not isinstance(request.data, dict):
            raise DomainError("Ugyldig forespørgsel.")
        s = services.aendr_sats(s, beloeb=request.data.get("beloeb"), gyldig_fra=request.data.get("gyldig_fra"))
        return Response({**selectors.sats_dict(s), "advis": []})


@extend_schema(request=OpenApiTypes.OBJECT, responses=OpenApiTypes.OBJECT)
class SagList(AccessLoggedMixin, Base):
    def get(self, request):
        qs = selectors.sager_for(request.user)
        try:
            page = max(int(request.query_params.get("page", 1)), 1)
        except ValueError:
            page = 1
        items = list(qs[(page - 1) * 50: page * 50])
        return Response({"count": qs.count(), "results": [selectors.sag_dict(s) for s in items]})

    def post(self, request):
        sag, advis = services.opret_sag(user_kommuner=user_kommune_codes(request.user), data=request.data)
        sag = selectors.sager_for(request.user).get(pk=sag.pk)
        return Response({**selectors.sag_dict(sag), "advis": advis}, status=status.HTTP_201_CREATED)


def _sag(request, pk) -> UBSag:
    return get_object_or_404(UBSag.objects.for_user(request.user), pk=pk)


@extend_schema(request=OpenApiTypes.OBJECT, responses=OpenApiTypes.OBJECT)
class SagDetail(AccessLoggedMixin, Base):
    @extend_schema(operation_id="v1_underholdsbidrag_sag_retrieve", responses=OpenApiTypes.OBJECT)
    def get(self, request, pk):
        return Response(selectors.sag_dict(get_object_or_404(selectors.sager_for(request.user), pk=pk)))

    def patch(self, request, pk):
        sag, advis = services.aendr_sag(_sag(request, pk), request.data)
        sag = selectors.sager_for(request.user).get(pk=sag.pk)
        return Response({**selectors.sag_dict(sag), "advis": advis})

    def delete(self, request, pk):
        advis = services.slet_sag(_sag(request, pk))
        return Response({"advis": advis}, status=status.HTTP_200_OK)


@extend_schema(request=OpenApiTypes.OBJECT, responses=OpenApiTypes.OBJECT)
class Beregninger(AccessLoggedMixin, Base):
    def get(self, request, pk):
        return Response({"results": selectors.beregninger(_sag(request, pk))})


@extend_schema(request=OpenApiTypes.OBJECT, responses=OpenApiTypes.OBJECT)
class TFList(AccessLoggedMixin, Base):
    def get(self, request, pk):
        sag = _sag(request, pk)
        return Response({"results": [selectors.tf_dict(t) for t in sag.tillaeg_fradrag.select_related("bp").order_by("id")]})

    def post(self, request, pk):
        tf, advis = services.registrer_tf(_sag(request, pk), request.data, as_of=timezone.localdate())
        return Response({**selectors.tf_dict(tf), "advis": advis}, status=status.HTTP_201_CREATED)


@extend_schema(request=OpenApiTypes.OBJECT, responses=OpenApiTypes.OBJECT)
class AnmodningList(AccessLoggedMixin, Base):
    def get(self, request, pk):
        sag = _sag(request, pk)
        return Response({"results": [selectors.anmodning_dict(a) for a in sag.anmodninger.select_related("bp").order_by("id")]})

    def post(self, request, pk):
        a, advis = services.registrer_anmodning(_sag(request, pk), request.data, satser=services.satsperioder())
        return Response({**selectors.anmodning_dict(a), "advis": advis}, status=status.HTTP_201_CREATED)


@extend_schema(request=OpenApiTypes.OBJECT, responses=OpenApiTypes.OBJECT)
class KoerselDetail(AccessLoggedMixin, Base):
    def get(self, request, run_id):
        from batch.models import Koersel
        k = Koersel.objects.filter(pk=run_id, job="underholdsbidrag-ugekoersel").first()
        codes = user_kommune_codes(request.user)
        if k is None or (codes is not None and k.kommune_id not in codes):
            raise Http404
        return Response(selectors.koersel_output(request.user, run_id))


@extend_schema(request=OpenApiTypes.OBJECT, responses=OpenApiTypes.OBJECT)
class KontoplanView(Base):
    write_roles = (Role.KOMMUNEADMIN, Role.SAGSBEHANDLER)

    def _kommune(self, request) -> int:
        codes = user_kommune_codes(request.user)
        raw = request.query_params.get("kommune")
        if raw is None:
            if codes and len(codes) == 1:
                return codes[0]
            raise DomainError("Angiv kommune.", felt="kommune")
        try:
            k = int(raw)
        except ValueError:
            raise DomainError("Ugyldig kommune.", felt="kommune") from None
        if codes is not None and k not in codes:
            raise Http404
        return k

    def get(self, request):
        k = self._kommune(request)
        return Response({"kommune": k, "results": selectors.kontoplan(k)})

    def put(self, request):
        k = self._kommune(request)
        rows = request.data.get("results") if isinstance(request.data, dict) else request.data
        services.saet_kontoplan(k, rows)
        return Response({"kommune": k, "results": selectors.kontoplan(k), "advis": []})


TILSLUTNING_BODY = inline_serializer("UBTilslutningInput", fields={
    "pbs": serializers.BooleanField(required=False, help_text="PBS-overførsel Ja/Nej"),
    "standardcheck": serializers.BooleanField(required=False, help_text="Standardcheck Ja/Nej"),
})
TILSLUTNING_SVAR = {
    "type": "object",
    "properties": {
        "kommune": {"type": "integer"}, "navn": {"type": "string"},
        "findes": {"type": "boolean", "description": "false: no tilslutning registered, every form Nej"},
        **{f"{form}{suffix}": {"type": typ, **({"format": "date", "nullable": True} if suffix else {})}
           for form in Tilslutning.FORMER for suffix, typ in (("", "boolean"), ("_start", "string"),
                                                              ("_slut", "string"))},
        "aendret": {"type": "string", "format": "date-time", "nullable": True},
    },
}


class TilslutningBase(Base):
    """seed 004, 3.11.2 (U691): the kommune's tilslutning to PBS-overførsel and standardcheck.
    Kommune users read their own kommuner (another kommune: 404); only faggruppe writes."""
    read_roles = (*CASE_ROLES, Role.FAGGRUPPE)
    write_roles = (Role.FAGGRUPPE,)


@extend_schema(responses={200: {"type": "object", "properties": {"results": {"type": "array",
                                                                               "items": TILSLUTNING_SVAR}}}})
class TilslutningList(TilslutningBase):
    def get(self, request):
        idag = timezone.localdate()
        rows = Tilslutning.objects.for_user(request.user).select_related("kommune").order_by("kommune_id")
        return Response({"results": [selectors.tilslutning_dict(t.kommune, t, idag) for t in rows]})


class TilslutningDetail(TilslutningBase):
    def _kommune(self, request, kommune):
        from ky.core.models import Kommune
        return get_object_or_404(Kommune.objects.for_user(request.user), pk=kommune)

    def _svar(self, request, kommune, **extra):
        k = self._kommune(request, kommune)
        return Response({**selectors.tilslutning_dict(k, services.tilslutning_for(k.pk), timezone.localdate()),
                         **extra})

    @extend_schema(operation_id="v1_underholdsbidrag_tilslutning_retrieve", responses={200: TILSLUTNING_SVAR})
    def get(self, request, kommune):
        return self._svar(request, kommune)

    @extend_schema(operation_id="v1_underholdsbidrag_tilslutning_update", request=TILSLUTNING_BODY,
                   responses={200: TILSLUTNING_SVAR})
    def put(self, request, kommune):
        """Create or replace: a form not given is Nej."""
        k = self._kommune(request, kommune)
        services.saet_tilslutning(k.pk, request.data, erstat=True, idag=timezone.localdate())
        return self._svar(request, kommune, advis=[])

    @extend_schema(operation_id="v1_underholdsbidrag_tilslutning_partial_update", request=TILSLUTNING_BODY,
                   responses={200: TILSLUTNING_SVAR})
    def patch(self, request, kommune):
        """Change the forms given (on creation the others are Nej)."""
        k = self._kommune(request, kommune)
        services.saet_tilslutning(k.pk, request.data, erstat=False, idag=timezone.localdate())
        return self._svar(request, kommune, advis=[])


@extend_schema(responses={(200, 'application/pdf'): OpenApiTypes.BINARY})
class Stamkort(Base):
    def get(self, request, pk):
        from cases.breve.services import tegn  # the document platform (docs/breve.md)

        sag = get_object_or_404(selectors.sager_for(request.user), pk=pk)
        from ky.core.accesslog import collect_cprs, log_cpr_reads
        data = selectors.sag_dict(sag)
        log_cpr_reads(request.user, collect_cprs(data), f"API {request.path}")
        pdf, _ = tegn("ub-stamkort", kommune=sag.kommune_id, data=data,
                      kontekst={"sag": sag, "aendrede": set(sag.aendrede_felter or []),
                                "beregninger": selectors.beregninger(sag)[-20:]})
        return HttpResponse(pdf, content_type="application/pdf")


# ---------------------------------------------------------------- adresseringsgrundlag (seed 004, 3.9.1)
# Addition to the contract: the P-data feed writes (drift, e.g. the integration's system token);
# reads are CPR reads and go to the access log.
@extend_schema(request=OpenApiTypes.OBJECT, responses=OpenApiTypes.OBJECT)
class AdresseBulk(Base):
    write_roles = (Role.DRIFT,)

    def put(self, request):
        """PUT adresser/ {"results": [{cpr, kommunekode, vejkode, husnr, etage, side, postnr, udland}, ...]}:
        upsert of many addresses, all or nothing."""
        from ..adresser import gem_adresser
        rows = request.data.get("results") if isinstance(request.data, dict) else request.data
        objs = gem_adresser(rows)
        return Response({"antal": len(objs), "advis": []})


@extend_schema(request=OpenApiTypes.OBJECT, responses=OpenApiTypes.OBJECT)
class AdresseDetail(AccessLoggedMixin, Base):
    write_roles = (Role.DRIFT,)

    @extend_schema(operation_id="v1_underholdsbidrag_adresse_retrieve", responses=OpenApiTypes.OBJECT)
    def get(self, request, cpr):
        from ..adresser import adresse_dict, rens_cpr, synlig_for
        from ..models import Adresse
        c = rens_cpr(cpr)
        a = Adresse.objects.filter(cpr=c).first() if c else None
        if a is None or not synlig_for(request.user, c):
            raise Http404
        return Response(adresse_dict(a))

    @extend_schema(operation_id="v1_underholdsbidrag_adresse_update", request=OpenApiTypes.OBJECT,
                   responses=OpenApiTypes.OBJECT)
    def put(self, request, cpr):
        from ..adresser import adresse_dict, gem_adresse
        a = gem_adresse(cpr, request.data)
        return Response({**adresse_dict(a), "advis": []})


@extend_schema(request=OpenApiTypes.OBJECT, responses=OpenApiTypes.OBJECT)
class RegisterindsigtList(AccessLoggedMixin, Base):
    """Addition (seed 004, 3.1.1.1): POST {kommune, cpr} orders a registerindsigt, produced by the
    next weekly run; an identical request not yet produced is fejl 195."""

    @extend_schema(operation_id="v1_underholdsbidrag_registerindsigt_list", responses=OpenApiTypes.OBJECT)
    def get(self, request):
        qs = Registerindsigt.objects.for_user(request.user).order_by("-id")
        return Response({"results": [selectors.registerindsigt_dict(r) for r in qs[:200]]})

    def post(self, request):
        r, advis = services.bestil_registerindsigt(user=request.user, user_kommuner=user_kommune_codes(request.user),
                                                   data=request.data)
        return Response({**selectors.registerindsigt_dict(r), "advis": advis}, status=status.HTTP_201_CREATED)


@extend_schema(request=OpenApiTypes.OBJECT, responses=OpenApiTypes.OBJECT)
class RegisterindsigtDetail(AccessLoggedMixin, Base):
    """The produced registerindsigt (``indhold``; null while pending). Reading it is logged (Adgangslog)."""

    @extend_schema(operation_id="v1_underholdsbidrag_registerindsigt_retrieve", responses=OpenApiTypes.OBJECT)
    def get(self, request, pk):
        r = get_object_or_404(Registerindsigt.objects.for_user(request.user), pk=pk)
        return Response(selectors.registerindsigt_dict(r, indhold=True))


@extend_schema(responses={(200, 'application/pdf'): OpenApiTypes.BINARY})
class RegisterindsigtPdf(Base):
    """The produced registerindsigt as PDF (WeasyPrint, like the stamkort); 404 while pending."""

    @extend_schema(operation_id="v1_underholdsbidrag_registerindsigt_pdf_retrieve",
                   responses={(200, 'application/pdf'): OpenApiTypes.BINARY})
    def get(self, request, pk):
        from cases.breve.services import tegn  # the document platform (docs/breve.md)
        from ky.core.accesslog import log_cpr_reads
        r = get_object_or_404(Registerindsigt.objects.for_user(request.user), pk=pk, dannet__isnull=False)
        log_cpr_reads(request.user, [r.cpr], f"API {request.path}")
        pdf, _ = tegn("ub-registerindsigt", kommune=r.kommune_id, data=r.indhold, kontekst={"r": r, "i": r.indhold},
                      cpr=r.cpr, modtager={"navn": (r.indhold or {}).get("navn", ""), "adresse": []}, as_of=r.dannet)
        return HttpResponse(pdf, content_type="application/pdf")
