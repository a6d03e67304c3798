from rest_framework.routers import SimpleRouter

from cases.api import views

router = SimpleRouter()
router.register("sager", views.SagViewSet, basename="sag")
router.register("bevillinger", views.BevillingViewSet, basename="bevilling")
router.register("opgavepakker", views.OpgavepakkeViewSet, basename="opgavepakke")
router.register("opgaver", views.OpgaveViewSet, basename="opgave")
urlpatterns = router.urls
