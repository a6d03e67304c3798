from django.urls import path

from . import views

app_name = "underholdsbidrag"

urlpatterns = [
    path("underholdsbidrag/", views.sag_liste, name="sager"),
    path("underholdsbidrag/ny/", views.sag_form, name="ny"),
    path("underholdsbidrag/<int:pk>/", views.sag_detalje, name="sag"),
    path("underholdsbidrag/<int:pk>/ret/", views.sag_form, name="ret"),
]
