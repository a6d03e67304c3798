from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.csp import CSP
from django.views.decorators.csp import csp_override
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
    path("", include("cases.breve.api.urls")),
    path("", include("cases.ydelse.api.urls")),
    path("", include("cases.personer.api.urls")),
]

# Swagger UI comes from its CDN (drf-spectacular's default) with a small inline <style>: only this page's
# content security policy allows them (ky.settings.SECURE_CSP is the rest's)
_CDN = "https://cdn.jsdelivr.net"
SWAGGER_CSP = {
    "default-src": [CSP.SELF], "script-src": [CSP.SELF, _CDN], "style-src": [CSP.SELF, _CDN, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:", _CDN], "connect-src": [CSP.SELF], "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF], "frame-ancestors": [CSP.NONE],
}

urlpatterns = [
    path("", views.home, name="home"),
    path("health/", views.health, name="health"),
    path("accounts/login/", auth_views.LoginView.as_view(authentication_form=LoginForm), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/rq/", include("batch.rq_urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", csp_override(SWAGGER_CSP)(SpectacularSwaggerView.as_view(url_name="schema")), name="api-docs"),
    path("", include("cases.urls")),
    path("", include("cases.personer.urls")),
    path("", include("debitor.urls")),
    path("", include("batch.urls")),
    path("", include("integrations.urls")),
    path("", include("debitor.underholdsbidrag.urls")),
    path("", include("cases.breve.urls")),
    path("", include("debitor.udbetaling.urls")),
    path("", include("cases.ydelse.urls")),
]
