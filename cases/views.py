"""Caseworker screens (server-rendered, Danish). Thin: they call selectors and services."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.template.loader import select_template
from django.utils import timezone

from cases import opgavetyper, selectors, services
from ky.core.permissions import Perm
from cases.filters import AARSAGER, OpgaveScreenFilter
from cases.models import Opgave, Sag
from ky.core.accesslog import log_cpr_reads

PAGE_SIZE = 50


def _int(value, default=None):
    try:
        return max(1, int(value))
    except (TypeError, ValueError):
        return default


def _page(qs, request):
    """Keyset pagination on -id that never counts: "Næste" asks for ids below the page's last
    (``foer``), "Forrige" for ids above its first (``efter``), LIMIT page size + 1 on an index, so
    every page costs the same with 1,000,000 rows (mi32.md). ``side`` numbers the page; given alone
    (an old link) it still works, by OFFSET."""
    side = min(_int(request.GET.get("side"), 1), 10**9)  # an absurd page number must not overflow OFFSET (bigint)
    foer, efter = _int(request.GET.get("foer")), _int(request.GET.get("efter"))
    if foer:
        rows = list(qs.filter(id__lt=foer).order_by("-id")[:PAGE_SIZE + 1])
        har_naeste, har_forrige = len(rows) > PAGE_SIZE, True
        rows = rows[:PAGE_SIZE]
    elif efter:
        rows = list(qs.filter(id__gt=efter).order_by("id")[:PAGE_SIZE + 1])
        har_forrige, har_naeste = len(rows) > PAGE_SIZE, True
        rows = rows[:PAGE_SIZE][::-1]
        side = side if har_forrige else 1
    else:
        start = (side - 1) * PAGE_SIZE
        rows = list(qs.order_by("-id")[start:start + PAGE_SIZE + 1])
        har_naeste, har_forrige = len(rows) > PAGE_SIZE, side > 1
        rows = rows[:PAGE_SIZE]
    return {
        "rows": rows, "side": side, "har_naeste": har_naeste and bool(rows), "har_forrige": har_forrige and bool(rows),
        "naeste": side + 1, "forrige": max(1, side - 1),
        "foer": rows[-1].pk if rows else None, "efter": rows[0].pk if rows else None,
    }


@login_required
def opgavepakker(request):
    pakker = selectors.opgavepakker_for(request.user).select_related("kommune").order_by("kommune_id", "navn")
    return render(request, "cases/opgavepakker.html", {"pakker": pakker})


@login_required
def opgavepakke(request, pk: int):
    pakke = get_object_or_404(selectors.opgavepakker_for(request.user).select_related("kommune"), pk=pk)
    filterset = OpgaveScreenFilter(request.GET or None, queryset=selectors.opgaver_for(request.user).filter(opgavepakke=pakke))
    qs = filterset.qs if filterset.is_bound and filterset.is_valid() else filterset.queryset
    if not filterset.is_bound:
        qs = qs.filter(status__in=("aaben", "reserveret"))
    page = _page(qs.order_by("-id"), request)
    for o in page["rows"]:
        o.aarsag_tekst = AARSAGER.get(o.aarsag, o.aarsag)
    log_cpr_reads(request.user, [o.person.cpr for o in page["rows"] if o.person_id], f"opgavepakke {pakke.pk}")
    query = request.GET.copy()
    for key in ("side", "foer", "efter"):
        query.pop(key, None)
    # overdue open tasks first, with their count (issue 22): an index-only count and the oldest frister
    overskredne, antal_overskredne = selectors.overskredne(request.user, pakke, timezone.localdate())
    if overskredne:
        log_cpr_reads(request.user, [o.person.cpr for o in overskredne if o.person_id], f"opgavepakke {pakke.pk}")
    return render(request, "cases/opgavepakke.html", {
        "pakke": pakke, "filter": filterset, "page": page, "query": query.urlencode(),
        "fuldfoert": pakke.antal_aabne == 0, "overskredne": overskredne, "antal_overskredne": antal_overskredne,
        **(PAKKE_CONTEXT[pakke.kode](request, pakke) if pakke.kode in PAKKE_CONTEXT else {}),
    })


#: per package kode, a function giving extra context for its page (registered by the app owning the package)
PAKKE_CONTEXT: dict = {}


@login_required
def opgave(request, pk: int):
    opgave = get_object_or_404(selectors.opgaver_for(request.user), pk=pk)
    if opgave.status == "aaben" and request.user.has_perm(Perm.LOESE_OPGAVER):
        opgave = services.reserver_opgave(request.user, opgave)
        opgave = selectors.opgaver_for(request.user).get(pk=pk)
    if opgave.person_id:
        log_cpr_reads(request.user, [opgave.person.cpr], f"opgave {opgave.pk}")
    type_template = select_template([f"opgaver/type_{opgave.type}.html", "opgaver/type_standard.html"])
    return render(request, "cases/opgave.html", {
        "opgave": opgave, "type_template": type_template.template.name,
        "aarsag_tekst": AARSAGER.get(opgave.aarsag, opgave.aarsag),
        **type_context(request, opgave),
    })


# per task type, a function giving extra context for its page: cases.opgavetyper.register in the owning app's ready()
TYPE_CONTEXT = opgavetyper.TYPE_CONTEXT


def type_context(request, opgave: Opgave) -> dict:
    func = TYPE_CONTEXT.get(opgave.type)
    return func(request, opgave) if func else {}


@login_required
def sag(request, pk: int):
    try:
        sag = selectors.sag_detail(request.user, pk)
    except Sag.DoesNotExist:
        raise Http404 from None
    log_cpr_reads(request.user, [sag.person.cpr], f"sag {sag.pk}")
    return render(request, "cases/sag.html", {"sag": sag})
