from django.urls import path
from rest_framework.routers import SimpleRouter

from integrations.dfdg.api import views

router = SimpleRouter()
router.register("dfdg/frister", views.FristViewSet, basename="dfdg-frist")
router.register("dfdg/fristhistorik", views.FristhistorikViewSet, basename="dfdg-fristhistorik")
router.register("dfdg/fravaer", views.FravaerViewSet, basename="dfdg-fravaer")
router.register("dfdg/bookinger", views.BookingViewSet, basename="dfdg-booking")
router.register("dfdg/cpr-skift", views.CprSkiftViewSet, basename="dfdg-cpr-skift")
router.register("dfdg/kontaktgrupper", views.KontaktgruppeViewSet, basename="dfdg-kontaktgruppe")
router.register("dfdg/kontaktforloeb", views.KontaktforloebViewSet, basename="dfdg-kontaktforloeb")
router.register("dfdg/abonnementer", views.AbonnementViewSet, basename="dfdg-abonnement")
urlpatterns = [path("dfdg/ping/", views.PingView.as_view(), name="dfdg-ping"), *router.urls]
