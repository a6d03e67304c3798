from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from ky.core.forms import LoginForm
from ky import views

api_v1 = [
    path("", include("cases.api.urls")),
    path("", include("debitor.api.urls")),
    path("", include("batch.api.urls")),
    path("", include("integrations.api_urls")),
    path("underholdsbidrag/", include("debitor.underholdsbidrag.api.urls")),
    path("", include("debitor.udbetaling.api.urls")),
    path("", include("breve.api.urls")),
    path("", include("cases.ydelse.api.urls")),
    path("", include("cases.personer.api.urls")),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("health/", views.health, name="health"),
    path("accounts/login/", auth_views.LoginView.as_view(authentication_form=LoginForm), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/rq/", include("batch.rq_urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("", include("cases.urls")),
    path("", include("cases.personer.urls")),
    path("", include("debitor.urls")),
    path("", include("batch.urls")),
    path("", include("integrations.urls")),
    path("", include("debitor.underholdsbidrag.urls")),
    path("", include("debitor.udbetaling.urls")),
    path("", include("cases.ydelse.urls")),
]
