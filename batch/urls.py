from django.urls import path

from batch import views

app_name = "batch"
urlpatterns = [
    path("batchkonstanter/", views.batchkonstanter, name="batchkonstanter"),
    path("batchkonstanter/<int:kode>/", views.batchkonstanter, name="batchkonstanter_kommune"),
]
