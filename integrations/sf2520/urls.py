from django.urls import path

from integrations.sf2520 import views

app_name = "sf2520"
urlpatterns = [
    path("effektueringer/<int:pk>/", views.effektuering, name="effektuering"),
    path("effektueringer/<int:pk>/godkend/", views.godkend, name="godkend"),
    path("effektueringer/<int:pk>/korriger/", views.korriger, name="korriger"),
]
