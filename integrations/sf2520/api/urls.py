from rest_framework.routers import SimpleRouter

from integrations.sf2520.api import views

router = SimpleRouter()
router.register("betalingsadministrationsaftaler", views.AftaleViewSet, basename="sf2520-aftale")
router.register("effektueringer", views.EffektueringViewSet, basename="sf2520-effektuering")
router.register("sf2520/filer", views.FilViewSet, basename="sf2520-fil")
urlpatterns = router.urls
