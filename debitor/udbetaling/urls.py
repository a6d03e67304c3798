from django.urls import path

from debitor.udbetaling import views

app_name = "udbetaling"
urlpatterns = [
    path("udbetalinger/<int:pk>/", views.udbetaling, name="udbetaling"),
    path("udbetalinger/<int:pk>/send-igen/", views.send_igen, name="send_igen"),
]
