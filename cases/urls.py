from django.urls import path

from cases import views

app_name = "cases"
urlpatterns = [
    path("opgavepakker/", views.opgavepakker, name="opgavepakker"),
    path("opgavepakker/<int:pk>/", views.opgavepakke, name="opgavepakke"),
    path("opgaver/<int:pk>/", views.opgave, name="opgave"),
    path("sager/<int:pk>/", views.sag, name="sag"),
]
