"""django-rq's dashboard, restricted to role drift and superusers (batch.md: ops inspect queues)."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django_rq.urls import get_admin_urlpatterns, get_api_urlpatterns

app_name = "django_rq"


def drift_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not (user.is_superuser or getattr(user, "role", None) == "drift"):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


# the stats/metrics views are wrapped too (no RQ API token is configured)
urlpatterns = [
    *[type(p)(p.pattern, drift_required(p.callback), p.default_args, p.name) for p in get_api_urlpatterns()],
    *get_admin_urlpatterns(view_wrapper=drift_required),
]
