from rest_framework.routers import SimpleRouter

from batch.api import views

router = SimpleRouter()
router.register("batch/jobs", views.JobViewSet, basename="batch-job")
router.register("batch/koersler", views.KoerselViewSet, basename="batch-koersel")
router.register("batch/konstanter", views.KonstantViewSet, basename="batch-konstant")
urlpatterns = router.urls
