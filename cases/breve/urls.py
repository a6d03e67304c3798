from django.urls import path

from cases.breve import views

app_name = "breve"
urlpatterns = [
    path("dokumenter/<int:pk>.pdf", views.dokument_pdf, name="dokument_pdf"),
    path("rapporter/", views.rapporter, name="rapporter"),
    path("rapporter/tabel/", views.rapporter_tabel, name="rapporter_tabel"),
]
