# API routes of the exchange layer and the integration sub-apps (dfdg, sf2520) are included here.
from django.urls import include, path

urlpatterns = [
    path("", include("integrations.api.urls")),
    path("", include("integrations.dfdg.api.urls")),
    path("", include("integrations.sf2520.api.urls")),
]
