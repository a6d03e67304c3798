from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from integrations.sf2520 import selectors, services
from ky.core.accesslog import log_cpr_reads
from ky.core.api import DomainError
from ky.core.permissions import Perm


def _tilladt(user) -> bool:
    # as the API (sf2520.md, API: `sagsbehandler` reads and approves, `drift` all)
    return user.has_perm(Perm.GODKENDE_EFFEKTUERINGER)


def _eff(request, pk):
    if not _tilladt(request.user):
        raise PermissionDenied("Kun sagsbehandlere og drift kan se og godkende effektueringer.")
    return get_object_or_404(selectors.effektuering_detalje(request.user), pk=pk)


@login_required
def effektuering(request, pk: int):
    eff = _eff(request, pk)
    log_cpr_reads(request.user, [eff.person.cpr], f"effektuering {eff.pk}")
    return render(request, "sf2520/effektuering.html", {"eff": eff})


@login_required
@require_POST
def godkend(request, pk: int):
    try:
        services.godkend_effektuering(request.user, _eff(request, pk))
        messages.success(request, "Effektueringen er godkendt.")
    except DomainError as exc:
        messages.error(request, str(exc))
    return redirect("sf2520:effektuering", pk)


@login_required
@require_POST
def korriger(request, pk: int):
    try:
        services.korriger_beloeb(request.user, _eff(request, pk), request.POST.get("felt", ""),
                                 request.POST.get("beloeb", ""), request.POST.get("begrundelse", ""))
        messages.success(request, "Beløbet er rettet.")
    except DomainError as exc:
        messages.error(request, str(exc))
    return redirect("sf2520:effektuering", pk)


def opgave_context(request, opgave):
    eid = (opgave.data or {}).get("effektuering")
    if not _tilladt(request.user):
        return {"eff": None, "ingen_adgang": True}
    eff = selectors.effektuering_detalje(request.user).filter(pk=eid).first()
    return {"eff": eff}
