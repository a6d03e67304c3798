from django.urls import path

from cases.views import TYPE_CONTEXT
from debitor import views

app_name = __name__.split(".")[0]
TYPE_CONTEXT["mi32"] = views.mi32_context
urlpatterns = [
    path("debitor/opgaver/<int:pk>/tilknyt/", views.tilknyt, name="tilknyt"),
]
