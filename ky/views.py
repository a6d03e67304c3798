from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect


def health(request):
    """GET /health/: 200 {"db": "ok", "redis": "ok"} or 503 naming what does not answer (api.md)."""
    result, ok = {}, True
    try:
        with connection.cursor() as cur:
            cur.execute("SELECT 1")
        result["db"] = "ok"
    except Exception as exc:  # report, never raise
        result["db"] = f"fejl: {exc.__class__.__name__}"
        ok = False
    try:
        import django_rq

        django_rq.get_connection("default").ping()
        result["redis"] = "ok"
    except Exception as exc:
        result["redis"] = f"fejl: {exc.__class__.__name__}"
        ok = False
    return JsonResponse(result, status=200 if ok else 503)


@login_required
def home(request):
    return redirect("cases:opgavepakker")
