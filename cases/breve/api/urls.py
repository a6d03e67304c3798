from rest_framework.routers import SimpleRouter

from cases.breve.api import views

router = SimpleRouter()
router.register("breve", views.BrevViewSet, basename="brev")
router.register("lister", views.ListeViewSet, basename="liste")
router.register("rapporter", views.RapportViewSet, basename="rapport")
urlpatterns = router.urls
