"""The access log of api.md: every read of a person's data by CPR is recorded
(who, when, which CPR, which view). One INSERT per request, whatever the
number of CPRs shown."""

from __future__ import annotations

from collections.abc import Iterable


def log_cpr_reads(user, cprs: Iterable[str], visning: str) -> None:
    from ky.core.models import Adgangslog

    unique = sorted({c for c in cprs if c})
    if not unique or user is None or not user.is_authenticated:
        return
    Adgangslog.objects.bulk_create(
        [Adgangslog(bruger=user, brugernavn=user.get_username(), cpr=c, visning=visning[:200]) for c in unique]
    )


def collect_cprs(data) -> list[str]:
    """Every value of a ``cpr`` key in a (nested) serializer output."""
    out: list[str] = []
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            for key, value in item.items():
                if key == "cpr" and isinstance(value, str):
                    out.append(value)
                elif isinstance(value, (dict, list)):
                    stack.append(value)
        elif isinstance(item, list):
            stack.extend(item)
    return out


class AccessLoggedMixin:
    """For DRF views: logs the CPRs in every successful GET response."""

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if request.method == "GET" and 200 <= response.status_code < 300 and isinstance(response.data, (dict, list)):
            log_cpr_reads(request.user, collect_cprs(response.data), f"API {request.path}")
        return response
