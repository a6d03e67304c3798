from django.urls import path

from integrations import views

app_name = "integrations"
urlpatterns = [
    path("integrationer/", views.oversigt, name="oversigt"),
    path("integrationer/filer/<int:pk>/send-igen/", views.send_igen, name="send_igen"),
]
