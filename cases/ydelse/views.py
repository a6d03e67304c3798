"""The caseworker's screen of a bevilling's month: the computation step by step (issue 13)."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from cases import selectors as case_selectors
from cases.models import Bevilling
from cases.ydelse import beregning, selectors, services
from ky.core.accesslog import log_cpr_reads
from ky.core.api import DomainError
from ky.core.roles import Role

ROLLER = (Role.SAGSBEHANDLER, Role.KOMMUNEADMIN, Role.DRIFT)


@login_required
def bevilling_beregning(request, pk: int):
    if request.user.role not in ROLLER and not request.user.is_superuser:
        raise PermissionDenied
    try:
        bevilling = case_selectors.bevillinger_for(request.user).select_related("sag").get(pk=pk)
    except Bevilling.DoesNotExist:
        raise Http404 from None
    fejl, res = None, None
    raw = request.GET.get("maaned") or f"{timezone.localdate():%Y-%m}"
    try:
        maaned = services.parse_maaned(raw)
        res = selectors.beregning_for(bevilling, maaned)
    except DomainError as exc:
        fejl, maaned = exc.fejl[0]["tekst"], None
    except beregning.BeregningsFejl as exc:
        fejl = exc.tekst
    log_cpr_reads(request.user, [bevilling.person.cpr], f"bevilling {bevilling.pk} beregning")
    nav = {}
    if maaned:
        nav = {"forrige": f"{(maaned - dt.timedelta(days=1)):%Y-%m}",
               "naeste": f"{services.naeste_maaned(maaned):%Y-%m}"}
    return render(request, "ydelse/beregning.html", {
        "bevilling": bevilling, "res": res, "fejl": fejl, "maaned_tekst": raw, "nav": nav})
