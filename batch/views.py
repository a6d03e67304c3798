"""The batchkonstanter screen for kommuneadmin (batch.md). Thin: services.saet_konstant does the work."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from batch import registry, selectors, services
from ky.core.models import Kommune
from ky.core.permissions import Perm
from ky.core.scoping import user_kommune_codes


def _admin_kommuner(request) -> list[int]:
    user = request.user
    if not user.has_perm(Perm.AENDRE_BATCHKONSTANTER):
        raise PermissionDenied
    codes = user_kommune_codes(user)
    return sorted(codes) if codes is not None else list(Kommune.objects.values_list("kode", flat=True))


@login_required
def batchkonstanter(request, kode: int | None = None):
    kommuner = _admin_kommuner(request)
    if kode is None:
        if not kommuner:
            raise Http404
        return redirect("batch:batchkonstanter_kommune", kode=kommuner[0])
    if kode not in kommuner:
        raise Http404
    kommune = Kommune.objects.get(pk=kode)
    fejl, form = {}, {}
    if request.method == "POST":
        form = request.POST.dict()
        raw_date = form.get("gyldig_fra", "").strip()
        try:
            gyldig_fra = dt.date.fromisoformat(raw_date)
        except ValueError:
            gyldig_fra = None
            fejl["gyldig_fra"] = "Angiv gyldig fra som en dato (ÅÅÅÅ-MM-DD)."
        job, noegle = form.get("job", ""), form.get("noegle", "")
        try:
            registry.get(job).konstant_spec(noegle)
        except KeyError:
            fejl["noegle"] = "Ukendt job eller batchkonstant."
        if not fejl:
            try:
                services.saet_konstant(user=request.user, kommune_id=kode, job=job, noegle=noegle,
                                       vaerdi=form.get("vaerdi", ""), gyldig_fra=gyldig_fra)
            except services.KonstantFejl as exc:
                fejl[exc.felt or "vaerdi"] = str(exc)
            except PermissionError:
                raise PermissionDenied from None
            else:
                messages.success(request, f"{noegle} for {job} er sat til {form.get('vaerdi')} fra {gyldig_fra:%d.%m.%Y}.")
                return redirect("batch:batchkonstanter_kommune", kode=kode)
    today = timezone.localdate()
    return render(request, "batch/batchkonstanter.html", {
        "kommune": kommune, "kommuner": Kommune.objects.filter(pk__in=kommuner), "today": today,
        "jobs": selectors.konstant_oversigt(kode, today), "fejl": fejl, "form": form,
    }, status=400 if fejl else 200)
