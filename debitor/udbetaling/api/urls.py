from rest_framework.routers import SimpleRouter

from debitor.udbetaling.api import views

router = SimpleRouter()
router.register("udbetalinger", views.UdbetalingViewSet, basename="udbetaling")
router.register("finansbilag", views.FinansbilagViewSet, basename="finansbilag")
urlpatterns = router.urls
