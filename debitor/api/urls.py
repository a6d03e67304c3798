from django.urls import path
from rest_framework.routers import SimpleRouter

from debitor.api import views

router = SimpleRouter()
router.register("debitorkonti", views.DebitorkontoViewSet, basename="debitorkonto")
urlpatterns = [
    path("debitor/kmd-aktiv-import/", views.KmdAktivImportView.as_view(), name="kmd-aktiv-import"),
    # cases' router owns /opgaver/{id}/; this sub-path is ours (mi32.md)
    path("opgaver/<int:pk>/tilknyt/", views.TilknytView.as_view(), name="opgave-tilknyt"),
    path("debitorkonti/<int:pk>/fordringer/<str:fordring_id>/<str:operation>/", views.PosteringView.as_view(),
         name="fordring-postering"),
    *router.urls,
]
