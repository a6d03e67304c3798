"""Screens of the document platform (Danish): a document's PDF, the kommune's reports (order, watch them appear)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from cases.breve import registry, selectors, services
from cases.models import Dokument, Kommune
from ky.api import DomainError
from ky.accesslog import log_cpr_reads
from ky.roles import Role
from ky.scoping import user_kommune_codes


@login_required
def dokument_pdf(request, pk: int):
    d = Dokument.objects.for_user(request.user).filter(pk=pk).select_related("person").defer("indhold").first()
    if d is None or d.sag_id is None and d.person_id is None and request.user.role not in (Role.KOMMUNEADMIN, Role.DRIFT):
        raise Http404
    data = selectors.pdf_bytes(d.pk)
    if not data:
        raise Http404
    if d.person_id:
        log_cpr_reads(request.user, [d.person.cpr], f"dokument {d.pk}")
    r = HttpResponse(data, content_type=d.mimetype or "application/pdf")
    r["Content-Disposition"] = f'inline; filename="dokument-{d.pk}.pdf"'
    return r


def _rapport_ctx(request):
    rapporter = list(selectors.rapporter_for(request.user)[:50])
    return {"rapporter": rapporter, "i_gang": any(r.status in ("bestilt", "dannes") for r in rapporter),
            "typer": registry.all_types("rapport"),
            "kommuner": Kommune.objects.for_user(request.user).filter(brugere=request.user)
            if user_kommune_codes(request.user) is not None else Kommune.objects.none()}


@login_required
def rapporter(request):
    if request.method == "POST":
        if request.user.role not in (Role.SAGSBEHANDLER, Role.KOMMUNEADMIN):
            raise Http404
        try:
            r = services.bestil_rapport(user=request.user, kommuner=user_kommune_codes(request.user),
                                        data={"type": request.POST.get("type"), "kommune": request.POST.get("kommune"),
                                              "parametre": {k: v for k in ("fra", "til")
                                                            if (v := request.POST.get(k, "").strip())}})
            messages.success(request, f"Rapport {r.pk} er bestilt; den dannes af næste kørsel af Fasterapporter.")
            return redirect("breve:rapporter")
        except DomainError as exc:
            for f in exc.fejl:
                messages.error(request, f["tekst"])
    return render(request, "breve/rapporter.html", _rapport_ctx(request))


@login_required
def rapporter_tabel(request):
    """The table alone (htmx polls it every 3 seconds while a report is ordered or rendering)."""
    return render(request, "breve/_rapporter_tabel.html", _rapport_ctx(request))
