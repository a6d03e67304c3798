from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("personer", views.PersonViewSet, basename="person")
router.register("cpr-haendelser", views.CprHaendelseViewSet, basename="cpr-haendelse")
urlpatterns = router.urls
