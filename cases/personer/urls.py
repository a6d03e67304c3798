from django.urls import path

from . import views

app_name = "personer"
urlpatterns = [path("personer/<str:cpr>/", views.person, name="person")]
