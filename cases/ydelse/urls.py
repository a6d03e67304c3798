from django.urls import path

from cases.ydelse import views

app_name = "ydelse"
urlpatterns = [
    path("bevillinger/<int:pk>/beregning/", views.bevilling_beregning, name="beregning"),
]
