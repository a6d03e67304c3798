"""Screens of Underholdsbidrag – kreditor: the sag (stamkort) and a simple create/change form."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render

from ky.core.accesslog import collect_cprs, log_cpr_reads
from ky.core.api import DomainError
from ky.core.roles import Role
from ky.core.scoping import user_kommune_codes

from . import beregning as b
from . import selectors, services

CASE = {Role.SAGSBEHANDLER, Role.KOMMUNEADMIN, Role.DRIFT}
WRITE = {Role.SAGSBEHANDLER, Role.KOMMUNEADMIN}


def _check(user, roles):
    if not (user.is_superuser or user.role in roles):
        raise PermissionDenied


@login_required
def sag_liste(request):
    _check(request.user, CASE)
    sager = list(selectors.sager_for(request.user)[:100])
    return render(request, "underholdsbidrag/sag_liste.html", {"sager": sager})


def _naeste_forfald(bidrag, n=3):
    out = []
    d, frek = bidrag.forfaldsdato, bidrag.forfaldsfrekvens
    g = b.Bidragsgrundlag(bidrag.bidragsart, d, frek, bidrag.bp.foedselsdato, bidrag.fast_bidrag, bidrag.procentsats)
    while d is not None and len(out) < n:
        out.append(d)
        g.forfaldsfrekvens = frek
        d, frek, _ = b.naeste_forfaldsdato(g, d)
    return out


@login_required
def sag_detalje(request, pk):
    _check(request.user, CASE)
    sag = get_object_or_404(selectors.sager_for(request.user), pk=pk)
    data = selectors.sag_dict(sag)
    log_cpr_reads(request.user, collect_cprs(data), f"Skærm {request.path}")
    bidrag = []
    for bp in sag.bidragspersoner.all():
        for x in bp.bidrag.all():
            x.bp = bp
            bidrag.append({"bp": bp, "x": x, "naeste": _naeste_forfald(x)})
    return render(request, "underholdsbidrag/sag.html", {
        "sag": sag, "bidrag": bidrag, "beregninger": selectors.beregninger(sag),
        "advis": selectors.advis_for_sag(sag), "aendrede": set(sag.aendrede_felter or []),
        "breve": sag.anmodningsbreve.select_related("bp").order_by("-forfaldsdato")[:20],
    })


@login_required
def sag_form(request, pk=None):
    """Simple form: BB, one BP with one bidrag. Shows fejl and advis by number and text."""
    _check(request.user, WRITE)
    sag = get_object_or_404(selectors.sager_for(request.user), pk=pk) if pk else None
    fejl, advis = [], []
    values = request.POST if request.method == "POST" else {}
    if request.method == "POST":
        p = request.POST

        def num(k):
            v = p.get(k, "").strip()
            return int(v) if v.lstrip("-").isdigit() else (None if v == "" else v)

        bidrag = {"bidragsart": num("bidragsart"), "bpl": p.get("bpl", "").strip(),
                  "forfaldsdato": p.get("forfaldsdato") or None, "forfaldsfrekvens": p.get("forfaldsfrekvens", ""),
                  "fast_bidrag": p.get("fast_bidrag") or None, "procentsats": p.get("procentsats") or None}
        data = {"kommune": num("kommune"), "omraade": num("omraade") or 1,
                "bb": {"cpr": p.get("bb_cpr", "").strip(), "statuskode": num("bb_statuskode") or 0,
                       "udbetalingsform": num("udbetalingsform"), "regnr": p.get("regnr") or None,
                       "kontonr": p.get("kontonr") or None, "ratevis": bool(p.get("ratevis"))},
                "bidragspersoner": [{"cpr": p.get("bp_cpr", "").strip(), "statuskode": num("bp_statuskode") or 0,
                                     "ab_kode": num("ab_kode") or 0, "indtaegt": p.get("indtaegt") or None,
                                     "bidrag": [bidrag] if p.get("bidragsart") else []}],
                "bidragspligtige": []}
        try:
            if sag is None:
                ny, advis = services.opret_sag(user_kommuner=user_kommune_codes(request.user), data=data)
            else:
                data.pop("kommune")
                if data["bb"]["cpr"] == sag.bb_cpr:
                    data["bb"].pop("cpr")
                ny, advis = services.aendr_sag(sag, data)
            if not advis:
                return redirect("underholdsbidrag:sag", pk=ny.pk)
            sag = ny
        except DomainError as exc:
            fejl = exc.fejl
    elif sag is not None:
        bp = sag.bidragspersoner.first()
        x = bp.bidrag.first() if bp else None
        values = {"kommune": sag.kommune_id, "omraade": sag.omraade, "bb_cpr": sag.bb_cpr,
                  "bb_statuskode": sag.bb_statuskode, "udbetalingsform": sag.udbetalingsform,
                  "regnr": sag.regnr or "", "kontonr": sag.kontonr or "", "ratevis": sag.ratevis,
                  "bp_cpr": bp.cpr if bp else "", "bp_statuskode": bp.statuskode if bp else 0,
                  "ab_kode": bp.ab_kode if bp else 0, "indtaegt": bp.indtaegt or "" if bp else "",
                  "bidragsart": x.bidragsart if x else "", "bpl": x.bpl_cpr if x else "",
                  "forfaldsdato": x.forfaldsdato.isoformat() if x and x.forfaldsdato else "",
                  "forfaldsfrekvens": x.forfaldsfrekvens if x else "", "fast_bidrag": x.fast_bidrag or "" if x else "",
                  "procentsats": x.procentsats or "" if x else ""}
    return render(request, "underholdsbidrag/sag_form.html",
                  {"sag": sag, "fejl": fejl, "advis": advis, "v": values, "idag": dt.date.today()})
