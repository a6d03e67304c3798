"""Screens: one udbetaling with its status and history, and the resend of an afvist one (the
"Afviste udbetalinger" task leads here). Thin: services and selectors."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from debitor.udbetaling import selectors, services
from ky.core.accesslog import log_cpr_reads
from ky.core.api import DomainError
from ky.core.roles import Role

ROLLER = (Role.SAGSBEHANDLER, Role.KOMMUNEADMIN, Role.DRIFT)


def _u(request, pk):
    if not (request.user.is_superuser or request.user.role in ROLLER):
        raise PermissionDenied("Du har ikke adgang til udbetalinger.")
    return get_object_or_404(selectors.udbetalinger_for(request.user).select_related("forrige", "sag"), pk=pk)


@login_required
def udbetaling(request, pk: int):
    u = _u(request, pk)
    if u.cpr:
        log_cpr_reads(request.user, [u.cpr], f"udbetaling {u.pk}")
    historik = list(selectors.udbetalinger_for(request.user).filter(kilde=u.kilde, kilde_id=u.kilde_id)
                    .order_by("forsoeg"))
    return render(request, "udbetaling/udbetaling.html", {"u": u, "historik": historik,
                                                           "kan_sendes_igen": _kan_sendes_igen(u, historik)})


def _kan_sendes_igen(u, historik) -> bool:
    return u.status == "afvist" and not any(h.forsoeg > u.forsoeg for h in historik)


@login_required
@require_POST
def send_igen(request, pk: int):
    import datetime as dt

    u = _u(request, pk)
    dato = None
    raw = (request.POST.get("udbetalingsdato") or "").strip()
    try:
        if raw:
            try:
                dato = dt.date.fromisoformat(raw)
            except ValueError:
                raise DomainError("Udbetalingsdatoen skal skrives som ÅÅÅÅ-MM-DD.", "udbetalingsdato",
                                  "udbetalingsdato") from None
        if request.user.role == Role.KOMMUNEADMIN and not request.user.is_superuser:
            raise PermissionDenied("Kun sagsbehandlere kan sende en udbetaling igen.")
        ny = services.send_igen(request.user, u, udbetalingsdato=dato)
    except DomainError as exc:
        messages.error(request, str(exc))
        return redirect("udbetaling:udbetaling", pk)
    messages.success(request, f"Udbetalingen er sendt igen som udbetaling {ny.pk} ({ny.udbetalingsdato:%d.%m.%Y}).")
    return redirect("udbetaling:udbetaling", ny.pk)


def opgave_context(request, opgave):
    uid = (opgave.data or {}).get("udbetaling")
    u = selectors.udbetalinger_for(request.user).filter(pk=uid).first()
    if u is None:
        return {"udbetaling": None}
    historik = list(selectors.udbetalinger_for(request.user).filter(kilde=u.kilde, kilde_id=u.kilde_id))
    return {"udbetaling": u, "kan_sendes_igen": _kan_sendes_igen(u, historik)}
