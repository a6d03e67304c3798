"""MI 32 task screens (mi32.md): extra context for the mi32 task page and the POST that resolves it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from cases import selectors as cs
from cases.models import OPEN_STATUSES, Ydelsestype
from debitor import selectors, services
from debitor.models import Mi32Aarsag
from ky.api import DomainError


def mi32_context(request, opgave) -> dict:
    konto = selectors.debitorkonti_for(request.user).filter(pk=opgave.debitorkonto_id).first()
    if konto is None:
        return {}
    bevillinger = list(cs.bevillinger_for(request.user).filter(person_id=konto.person_id).order_by("-id"))
    nr = request.GET.get("bevillingsnr", "").strip()
    if nr:
        bevillinger = list(cs.bevillinger_for(request.user).filter(kmd_aktiv_bevillingsnr=nr).order_by("-id"))
    sager = list(cs.sager_for(request.user).filter(person_id=konto.person_id).order_by("-id"))
    return {"konto": konto, "bevillinger": bevillinger, "sager": sager, "bevillingsnr": nr,
            "ydelsestyper": Ydelsestype.choices, "kan_loese": opgave.status in OPEN_STATUSES,
            "aarsag_tekst": dict(Mi32Aarsag.choices).get(opgave.aarsag, opgave.aarsag)}


@login_required
@require_POST
def tilknyt(request, pk: int):
    opgave = get_object_or_404(cs.opgaver_for(request.user), pk=pk)
    kwargs = {}
    try:
        if request.POST.get("bevilling"):
            kwargs["bevilling"] = get_object_or_404(cs.bevillinger_for(request.user), pk=request.POST["bevilling"])
        elif request.POST.get("sag"):
            kwargs["sag"] = get_object_or_404(cs.sager_for(request.user), pk=request.POST["sag"])
        else:
            kwargs["opret_sag"] = {"ydelsestype": request.POST.get("ydelsestype")}
        services.tilknyt(request.user, opgave, **kwargs)
    except DomainError as exc:
        messages.error(request, str(exc))
        return redirect("cases:opgave", pk=pk)
    messages.success(request, "Debitorkontoen er tilknyttet")
    if opgave.opgavepakke_id:
        return redirect("cases:opgavepakke", pk=opgave.opgavepakke_id)
    return redirect("cases:opgave", pk=pk)
