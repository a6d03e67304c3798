"""The person page (issue 15): who, where, relations, status, history, the person's sager. Thin."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from ky.core.accesslog import log_cpr_reads

from . import regler, selectors
from .models import Civilstand, RelationType, Status


@login_required
def person(request, cpr: str):
    p = selectors.person_for(request.user, cpr)
    if p is None:
        raise Http404
    data = selectors.person_dict(p)
    d = timezone.localdate()
    fakta = selectors.person_fakta([p.cpr], d).get(p.cpr)
    sager = list(selectors.personens_sager(request.user, p))
    log_cpr_reads(request.user, [p.cpr] + [r["cpr"] for r in data["relationer"]], f"person {p.cpr}")
    return render(request, "personer/person.html", {
        "p": data, "fakta": fakta, "sager": sager, "historik": selectors.historik(p),
        "status_tekst": Status(data["status"]).label, "civilstand_tekst": dict(Civilstand.choices).get(data["civilstand"], ""),
        "relation_tekst": dict(RelationType.choices), "alder": regler.alder(data["foedselsdato"], d),
        "folkepension": regler.folkepensionsdato(data["foedselsdato"]),
    })
