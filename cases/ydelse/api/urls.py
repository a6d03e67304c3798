from django.urls import path
from rest_framework.routers import SimpleRouter

from cases.ydelse.api import views

router = SimpleRouter()
router.register("satser", views.SatsViewSet, basename="sats")
router.register("indtaegter", views.IndtaegtViewSet, basename="indtaegt")
router.register("sanktioner", views.SanktionViewSet, basename="sanktion")
urlpatterns = [
    path("bevillinger/<int:pk>/beregning/", views.Beregning.as_view(), name="bevilling-beregning"),
    *router.urls,
]
