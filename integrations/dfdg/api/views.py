"""DRF views of DFDG FristService (contract dfdg-frister.md); thin, logic in services/selectors."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from integrations.dfdg import selectors, services
from integrations.dfdg.api import serializers as s
from ky.core.accesslog import AccessLoggedMixin
from ky.core.api import RolePermission
from ky.core.roles import Role

READ = (Role.JOBCENTER, Role.STAR)
WRITE = (Role.JOBCENTER,)

REQUEST_ID = OpenApiParameter(
    "x-requestId", OpenApiTypes.STR, OpenApiParameter.HEADER, required=False,
    description="Valgfrit id (højst 46 tegn). Et id der er set før giver 412, og intet ændres.",
)
CPR_PARAM = OpenApiParameter("cpr", OpenApiTypes.STR, OpenApiParameter.QUERY, required=True,
                             examples=[OpenApiExample("CPR", value="0101801234")],
                             description="Borgerens CPR-nummer (10 cifre, evt. med bindestreg).")
FEJL = {400: s.FejlSerializer, 403: s.FejlSerializer, 412: s.FejlSerializer}
#: reads by CPR: paginated, so a page that does not exist (page=0, page beyond the last) answers 404
LIST_FEJL = {400: s.FejlSerializer, 403: s.FejlSerializer, 404: s.FejlSerializer}
EX_8301 = OpenApiExample(
    "Fejl 8301", status_codes=["400"], response_only=True,
    value={"fejl": [{"felt": None, "kode": "8301", "tekst": services.TEKST_8301}]},
)
EX_KONTAKTGRUPPE = OpenApiExample(
    "Kan ikke indfries i kontaktgruppen", status_codes=["400"], response_only=True,
    value={"fejl": [{"felt": None, "kode": services.KODE_KONTAKTGRUPPE,
                     "tekst": "Fristen kan ikke oprettes: samtaletype 17 (Fælles jobsamtale) kan ikke indfries i "
                              "borgerens nuværende kontaktgruppe (Sygedagpengemodtagere)."}]},
)
EX_INGEN_KONTAKTGRUPPE = OpenApiExample(
    "Ingen aktuel kontaktgruppe", status_codes=["400"], response_only=True,
    value={"fejl": [{"felt": None, "kode": services.KODE_INGEN_KONTAKTGRUPPE,
                     "tekst": "Fristen kan ikke oprettes: borgeren har ingen aktuel kontaktgruppe (intet kontaktforløb "
                              "i dag), så en frist for samtaletype 7 (Jobsamtale) kan ikke indfries."}]},
)
EX_412 = OpenApiExample(
    "x-requestId set før", status_codes=["412"], response_only=True,
    value={"fejl": [{"felt": None, "kode": "request_id_genbrugt",
                     "tekst": "Forespørgslen med x-requestId 'abc-1' er allerede modtaget; intet er ændret."}]},
)


def request_id(request):
    return request.headers.get("x-requestId")


def cpr_param(request) -> str:
    data = s.CprQuerySerializer(data={"cpr": request.query_params.get("cpr")})
    data.is_valid(raise_exception=True)
    return data.validated_data["cpr"]


class DfdgViewSet(AccessLoggedMixin, viewsets.GenericViewSet):
    permission_classes = [RolePermission]
    read_roles = READ
    write_roles = WRITE
    filter_backends: list = []


class FristViewSet(DfdgViewSet, mixins.RetrieveModelMixin):
    """FristService: jobcenter creates, updates and reads frister of its kommuner; STAR reads all."""

    serializer_class = s.FristSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return selectors.frister_for(self.request.user).order_by("id")

    @extend_schema(summary="GetFrist", parameters=[CPR_PARAM], responses={200: s.FristSerializer(many=True), **LIST_FEJL},
                   description="Borgerens frister der ikke er lukkede (roller: jobcenter for egne kommuner, star).")
    def list(self, request):
        qs = selectors.aabne_frister(request.user, cpr_param(request))
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(s.FristSerializer(page, many=True).data)

    @extend_schema(summary="GetFrist{id}", responses={200: s.FristSerializer, 403: s.FejlSerializer,
                                                        404: s.FejlSerializer})
    def retrieve(self, request, *args, **kwargs):
        return Response(s.represent(s.FristSerializer, self.get_object()))

    @extend_schema(
        summary="CreateFrist", request=s.FristCreateSerializer, parameters=[REQUEST_ID],
        responses={201: s.FristSerializer, **FEJL, 409: s.FejlSerializer},
        description="Opret frist (kun rollen jobcenter, i egne kommuner). Status beregnes; en tidligere ikke-lukket "
                    "frist for samme CPR og samtaletype lukkes. Afvises med 400 (kode `8301`) ved fravær, og med "
                    "kode `kontaktgruppe` hvis samtaletypen ikke kan indfries i borgerens nuværende kontaktgruppe "
                    "(kode `ingen_kontaktgruppe` hvis borgeren intet kontaktforløb har i dag). Oprettelsen danner "
                    "WSRM-beskeden FristOprettet og WSB-beskeden Frist (se /dfdg/abonnementer/).",
        examples=[
            OpenApiExample("Opret aktiv frist", request_only=True,
                           value={"kommune": 101, "cpr": "0101801234", "samtaletype": 7, "fristdato": "2026-12-15"}),
            OpenApiExample("Opret ikke aktiveret frist", request_only=True,
                           value={"kommune": 101, "cpr": "0101801234", "samtaletype": 4, "fristdato": "2026-12-20",
                                  "fristaktiveringsdato": "2026-12-01"}),
            EX_8301, EX_KONTAKTGRUPPE, EX_INGEN_KONTAKTGRUPPE, EX_412,
        ],
    )
    def create(self, request):
        data = s.validate(s.FristCreateSerializer, request.data)
        frist = services.opret_frist(request.user, request_id=request_id(request), **data)
        return Response(s.represent(s.FristSerializer, frist), status=201)

    @extend_schema(
        summary="UpdateFrist", request=s.FristUpdateSerializer, parameters=[REQUEST_ID],
        responses={200: s.FristSerializer, **FEJL, 404: s.FejlSerializer},
        examples=[
            OpenApiExample("Luk frist", request_only=True, value={"status": 4}),
            OpenApiExample("Aktiver i dag", request_only=True, value={"fristaktiveringsdato": "2026-11-23"}),
            EX_8301, EX_412,
        ],
    )
    def partial_update(self, request, pk=None):
        frist = self.get_object()
        data = s.FristUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        frist = services.opdater_frist(request.user, frist, request_id=request_id(request), **data.validated_data)
        return Response(s.FristSerializer(frist).data)


class FristhistorikViewSet(DfdgViewSet):
    serializer_class = s.FristHistorikSerializer

    @extend_schema(summary="GetFristhistorik", parameters=[CPR_PARAM],
                   responses={200: s.FristHistorikSerializer(many=True), **LIST_FEJL})
    def list(self, request):
        qs = selectors.fristhistorik(request.user, cpr_param(request))
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(s.FristHistorikSerializer(page, many=True).data)


class FravaerViewSet(DfdgViewSet):
    """Fravær: jobcenter registers (not bound to a kommune: an absence belongs to the citizen); jobcenter and star read."""

    serializer_class = s.FravaerSerializer

    @extend_schema(parameters=[CPR_PARAM], responses={200: s.FravaerSerializer(many=True), **LIST_FEJL},
                   description="Borgerens fravær (roller: jobcenter, star).")
    def list(self, request):
        page = self.paginate_queryset(selectors.fravaer_for(cpr_param(request)))
        return self.get_paginated_response(s.FravaerSerializer(page, many=True).data)

    @extend_schema(
        request=s.FravaerCreateSerializer, parameters=[REQUEST_ID], responses={201: s.FravaerSerializer, **FEJL},
        description="Registrer fravær (kun rollen jobcenter; star får 403). Fravær 75, 56 og 57 lukker borgerens "
                    "ikke-lukkede frister.",
        examples=[
            OpenApiExample("Ferie", request_only=True,
                           value={"cpr": "0101801234", "fravaerstype": 10, "fra": "2026-12-01", "til": "2026-12-14"}),
            OpenApiExample("Kontaktforløb hos a-kassen", request_only=True,
                           value={"cpr": "0101801234", "fravaerstype": 75, "fra": "2026-11-23"}),
            EX_412,
        ],
    )
    def create(self, request):
        data = s.FravaerCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fravaer = services.registrer_fravaer(request.user, request_id=request_id(request), **data.validated_data)
        return Response(s.FravaerSerializer(fravaer).data, status=201)


class BookingViewSet(DfdgViewSet):
    """Bookinger: jobcenter registers, jobcenter and star read."""

    serializer_class = s.BookingSerializer

    @extend_schema(parameters=[CPR_PARAM], responses={200: s.BookingSerializer(many=True), **LIST_FEJL},
                   description="Borgerens bookinger (roller: jobcenter, star).")
    def list(self, request):
        page = self.paginate_queryset(selectors.bookinger_for(cpr_param(request)))
        return self.get_paginated_response(s.BookingSerializer(page, many=True).data)

    @extend_schema(
        request=s.BookingCreateSerializer, parameters=[REQUEST_ID], responses={201: s.BookingSerializer, **FEJL},
        description="Registrer en borgers booking (kun rollen jobcenter; star får 403). Borgerens ikke-lukkede frist "
                    "for samtaletypen bliver indfriet.",
        examples=[OpenApiExample("Booking", request_only=True,
                                 value={"cpr": "0101801234", "samtaletype": 7, "moededato": "2026-12-03"}), EX_412],
    )
    def create(self, request):
        data = s.BookingCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        booking = services.registrer_booking(request.user, request_id=request_id(request), **data.validated_data)
        return Response(s.BookingSerializer(booking).data, status=201)


class CprSkiftViewSet(DfdgViewSet):
    serializer_class = s.CprSkiftResultSerializer

    @extend_schema(
        request=s.CprSkiftSerializer, parameters=[REQUEST_ID], responses={200: s.CprSkiftResultSerializer, **FEJL,
                                                                          409: s.FejlSerializer},
        description="CPR-skift (kun rollen jobcenter; star får 403): alle frister (med historik), bookinger, "
                    "fravær og kontaktforløb flyttes fra gammel_cpr til ny_cpr i én transaktion, og GetCprChanged "
                    "sendes til abonnenterne i de kommuner og a-kasser, der har data om borgeren.",
        examples=[
            OpenApiExample("CPR-skift", request_only=True, value={"gammel_cpr": "0101801234", "ny_cpr": "0101805678"}),
            OpenApiExample("Resultat", response_only=True, status_codes=["200"],
                           value={"gammel_cpr": "0101801234", "ny_cpr": "0101805678", "frister": 2, "bookinger": 1,
                                  "fravaer": 0, "kontaktforloeb": 1}),
            EX_412,
        ],
    )
    def create(self, request):
        data = s.CprSkiftSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return Response(services.cpr_skift(request.user, request_id=request_id(request), **data.validated_data))


class KontaktgruppeViewSet(DfdgViewSet):
    """The kontaktgrupper and the dated samtaletype rules (reference data, read-only)."""

    serializer_class = s.KontaktgruppeSerializer
    pagination_class = None

    @extend_schema(summary="Kontaktgrupper", responses={200: s.KontaktgruppeSerializer(many=True),
                                                        403: s.FejlSerializer},
                   description="Kontaktgrupperne og hvilke samtaletyper en frist kan indfries i, med gyldighedsperiode "
                               "og kilde (roller: jobcenter, star).")
    def list(self, request):
        return Response(s.KontaktgruppeSerializer(selectors.kontaktgrupper(), many=True).data)


class KontaktforloebViewSet(DfdgViewSet):
    """Kontaktforløb: the jobcenter registers a citizen's kontaktgruppe from a date (its kontaktforløb data)."""

    serializer_class = s.KontaktforloebSerializer

    @extend_schema(parameters=[CPR_PARAM], responses={200: s.KontaktforloebSerializer(many=True), **LIST_FEJL},
                   description="Borgerens kontaktforløb i egne kommuner, ældste først (roller: jobcenter, star).")
    def list(self, request):
        page = self.paginate_queryset(selectors.kontaktforloeb_for(request.user, cpr_param(request)))
        return self.get_paginated_response(s.KontaktforloebSerializer(page, many=True).data)

    @extend_schema(
        request=s.KontaktforloebCreateSerializer, parameters=[REQUEST_ID],
        responses={201: s.KontaktforloebSerializer, **FEJL},
        description="Registrer borgerens kontaktforløb i en kontaktgruppe fra en dato (kun rollen jobcenter, i egne "
                    "kommuner). Et forløb der løber på fra-datoen slutter dagen før. Ukendt kontaktgruppe, et forløb "
                    "der starter samme dag eller senere, eller en anden kommune: 400, intet gemmes.",
        examples=[OpenApiExample("Dagpengemodtager", request_only=True,
                                 value={"kommune": 101, "cpr": "0101801234", "kontaktgruppe": "dagpenge",
                                        "fra": "2026-11-01", "akasse": 12}), EX_412],
    )
    def create(self, request):
        data = s.KontaktforloebCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        forloeb = services.registrer_kontaktforloeb(request.user, request_id=request_id(request),
                                                    **data.validated_data)
        return Response(s.KontaktforloebSerializer(forloeb).data, status=201)


class AbonnementViewSet(DfdgViewSet, mixins.RetrieveModelMixin):
    """Subscribers of the outbox (WSRM/WSB messages of frister, GetCprChanged): read in order, acknowledge to move
    the cursor."""

    serializer_class = s.AbonnementSerializer
    write_roles = (Role.JOBCENTER, Role.STAR)

    def get_queryset(self):
        return selectors.abonnementer_for(self.request.user)

    @extend_schema(responses={200: s.AbonnementSerializer(many=True), 403: s.FejlSerializer, 404: s.FejlSerializer},
                   description="Abonnementer i egne kommuner (star: alle, også a-kassers).")
    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(s.AbonnementSerializer(page, many=True).data)

    @extend_schema(responses={200: s.AbonnementSerializer, 403: s.FejlSerializer, 404: s.FejlSerializer})
    def retrieve(self, request, *args, **kwargs):
        return Response(s.AbonnementSerializer(self.get_object()).data)

    @extend_schema(
        request=s.AbonnementCreateSerializer, responses={201: s.AbonnementSerializer, 400: s.FejlSerializer,
                                                         403: s.FejlSerializer},
        description="Opret en abonnent: et jobcenter for en af egne kommuner, eller (kun star) en a-kasse. "
                    "Abonnenten får beskeder fra nu af. En anden kommune: 400, intet gemmes.",
        examples=[OpenApiExample("Jobcenter", request_only=True, value={"navn": "KSS København", "kommune": 101}),
                  OpenApiExample("A-kasse", request_only=True, value={"navn": "A-kasse 12", "akasse": 12})],
    )
    def create(self, request):
        data = s.AbonnementCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        abonnement = services.opret_abonnement(request.user, **data.validated_data)
        return Response(s.AbonnementSerializer(abonnement).data, status=201)

    @extend_schema(
        summary="Hent beskeder",
        parameters=[OpenApiParameter("antal", OpenApiTypes.INT, OpenApiParameter.QUERY, required=False,
                                     description="Højst så mange beskeder (1-1000, standard 100).")],
        responses={200: s.BeskederSerializer, 400: s.FejlSerializer, 403: s.FejlSerializer, 404: s.FejlSerializer},
        description="Abonnentens beskeder efter markøren, i rækkefølge (position). Læsning flytter ikke markøren: "
                    "de samme beskeder kommer igen, indtil de er kvitteret.",
    )
    @action(detail=True, methods=["get"])
    def beskeder(self, request, pk=None):
        abonnement = self.get_object()
        query = s.BeskederQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        beskeder = services.hent_beskeder(abonnement, query.validated_data["antal"])
        return Response({"kvitteret_til": abonnement.kvitteret_til,
                         "beskeder": s.BeskedSerializer(beskeder, many=True).data})

    @extend_schema(
        summary="Kvitter for beskeder", request=s.KvitterSerializer,
        responses={200: s.AbonnementSerializer, 400: s.FejlSerializer, 403: s.FejlSerializer, 404: s.FejlSerializer},
        description="Kvitter for alle beskeder til og med `position`: markøren flyttes dertil (aldrig tilbage). "
                    "En position fra fremtiden: 400, intet ændres.",
        examples=[OpenApiExample("Kvitter", request_only=True, value={"position": 42})],
    )
    @action(detail=True, methods=["post"])
    def kvitter(self, request, pk=None):
        abonnement = self.get_object()
        data = s.KvitterSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return Response(s.AbonnementSerializer(services.kvitter(abonnement, data.validated_data["position"])).data)


class PingView(APIView):
    """A trivial authenticated endpoint (baseline of bench/frister_api.py)."""

    permission_classes = [RolePermission]
    read_roles = READ

    @extend_schema(responses={200: s.PingSerializer, 403: s.FejlSerializer})
    def get(self, request):
        return Response({"ok": True})
