from rest_framework.routers import SimpleRouter

from integrations.api import views

router = SimpleRouter()
router.register("integrationer/filer", views.FilViewSet, basename="integrationer-fil")
urlpatterns = router.urls
