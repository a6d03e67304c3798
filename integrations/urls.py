# Screens of the integration sub-apps are included here.
from django.urls import include, path

urlpatterns = [
    path("", include("integrations.screen_urls")),
    path("", include("integrations.dfdg.urls")),
    path("", include("integrations.sf2520.urls")),
]
