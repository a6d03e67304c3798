from rest_framework.routers import SimpleRouter

from debitor.api import views

router = SimpleRouter()
router.register("debitorkonti", views.DebitorkontoViewSet, basename="debitorkonto")
urlpatterns = router.urls
