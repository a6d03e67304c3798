"""Writes of the document platform (docs/breve.md): make letters and lists, order reports, mark sent/failed.

Other apps call ``opret_brev``/``opret_breve`` (letters), ``opret_liste`` (lists) and register their
document types in ``<app>/dokumenttyper.py`` (breve.registry). Everything is rendered from the data
as stored (JSON), so a reprint gives the same document.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from dataclasses import dataclass, field

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from cases.breve import registry
from cases.breve.modtager import find as find_modtagere
from cases.breve.models import Brev, BrevStatus, Brevhoved, Kanal, Liste, Rapport, RapportStatus
from cases.breve.render import renderer
from cases.models import Dokument, Kommune, Person, Sag
from ky.core.api import DomainError

OPGAVETYPE_FEJLET = "brev-fejlet"


class Ugyldig(DomainError):
    """Bad input to the platform (Danish text; answers 400 through the API)."""


def normaliser(data: dict) -> dict:
    """The data as it is stored (Decimal -> "1234.50", date -> "2026-12-07"): a letter is rendered
    from exactly what is kept, so rendering it again gives the same document."""
    return json.loads(json.dumps(data or {}, cls=DjangoJSONEncoder))


def brevhoved_dict(h: Brevhoved | None, kommune: Kommune | None) -> dict:
    if h is None:
        navn = kommune.navn if kommune else ""
        return {"afsender": f"{navn} Kommune".strip(), "adresse": "", "postnr": "", "by": navn, "telefon": "",
                "email": "", "cvr": "", "print_kanal": False, "mangler": True}
    return {"afsender": h.afsender, "adresse": h.adresse, "postnr": h.postnr, "by": h.by, "telefon": h.telefon,
            "email": h.email, "cvr": h.cvr, "print_kanal": h.print_kanal, "mangler": False}


def _hoveder(kommune_ids) -> dict[int, dict]:
    ids = set(kommune_ids)
    kommuner = {k.pk: k for k in Kommune.objects.filter(pk__in=ids)}
    hoveder = {h.kommune_id: h for h in Brevhoved.objects.filter(kommune_id__in=ids)}
    return {k: brevhoved_dict(hoveder.get(k), kommuner.get(k)) for k in ids}


def saet_brevhoved(kommune_id: int, **felter) -> Brevhoved:
    """Create or change the kommune's letterhead (afsender, adresse, postnr, by, telefon, email, cvr, print_kanal)."""
    h, _ = Brevhoved.objects.update_or_create(kommune_id=kommune_id, defaults=felter)
    return h


# ------------------------------------------------------------------------------------------ letters

@dataclass
class NytBrev:
    """One letter to make. ``modtager`` ({navn, adresse: [lines]}) overrides the person register;
    ``kanal`` forces a channel; ``noegle`` makes the letter idempotent per kommune and type."""

    type: str
    kommune_id: int
    data: dict
    sag_id: int | None = None
    ub_sag_id: int | None = None
    cpr: str = ""
    modtager: dict | None = None
    kanal: str | None = None
    noegle: str | None = None
    titel: str | None = None


@dataclass
class Resultat:
    breve: list[Brev] = field(default_factory=list)
    oprettet: int = 0
    fejlet: int = 0
    sprunget_over: int = 0
    sider: int = 0

    def counts(self) -> dict:
        return {"created": self.oprettet, "skipped": self.sprunget_over, "failed_letters": self.fejlet}


def _tom(v) -> bool:
    return v is None or v == "" or v == [] or v == {}


def _kanal_og_fejl(nb: NytBrev, spec: registry.Dokumenttype, data: dict, modtager: dict, hoved: dict) -> tuple[str | None, list[str]]:
    """The channel and the reasons the letter cannot be sent (seed/contract: never sent blank)."""
    fejl = []
    mangler = [k for k in spec.kraevet if _tom(data.get(k))]
    if mangler:
        fejl.append("Brevet mangler oplysninger: " + ", ".join(mangler) + ".")
    if hoved["mangler"]:
        fejl.append("Kommunens adresse til brevhovedet er ikke registreret.")
    cpr_ok = len(nb.cpr or "") == 10 and nb.cpr.isdigit()
    if modtager.get("status") == "doed":
        fejl.append("Modtageren er død ifølge CPR.")
    if nb.kanal:
        kanal = nb.kanal
    elif modtager.get("fritaget") or not cpr_ok:
        kanal = Kanal.PRINT
    else:
        kanal = Kanal.DIGITAL_POST
    if kanal == Kanal.DIGITAL_POST and not cpr_ok:
        fejl.append("Digital Post kræver et CPR-nummer.")
    if kanal == Kanal.PRINT:
        if modtager.get("fritaget") and not hoved["print_kanal"]:
            fejl.append("Borgeren er fritaget for Digital Post, og kommunen har ingen printkanal.")
        elif not hoved["print_kanal"]:
            fejl.append("Kommunen har ingen printkanal.")
        if _tom(modtager.get("navn")) or _tom(modtager.get("adresse")):
            fejl.append("Modtagerens navn eller adresse mangler (brevet skal sendes som papirbrev).")
    return kanal, fejl


def _context(*, spec, titel, data, hoved, modtager=None, kanal=None, dannet, cpr="", sagsnr=None, koersel=None) -> dict:
    return {**data, "data": data, "titel": titel, "art": spec.art, "hoved": hoved, "modtager": modtager or {},
            "kanal": kanal, "dannet": dannet, "cpr": cpr, "sagsnr": sagsnr, "koersel": koersel,
            "liggende": spec.liggende, "kolonner": spec.kolonner}


def opret_breve(nye: list[NytBrev], *, koersel=None, as_of: dt.date | None = None, dry_run: bool = False) -> Resultat:
    """Make many letters: render each once (one Renderer per worker), store PDF and data, keep each as a
    Dokument on its sag; a letter that cannot be sent is ``fejlet`` with its reason and a task
    (``brev-fejlet``). Letters whose ``noegle`` already exists are skipped. Set-based: a fixed number
    of queries for any number of letters. In a dry run nothing is rendered or stored."""
    res = Resultat()
    if not nye:
        return res
    specs = {}
    for nb in nye:
        spec = specs.get(nb.type) or registry.get(nb.type)
        if spec.art != "brev":
            raise Ugyldig(f"{nb.type} er ikke en brevtype.", "ukendt_type", "type")
        specs[nb.type] = spec
    findes = set()
    noegler = [nb.noegle for nb in nye if nb.noegle]
    if noegler:
        findes = set(Brev.objects.filter(noegle__in=noegler, kommune_id__in={nb.kommune_id for nb in nye})
                     .values_list("kommune_id", "type", "noegle"))
    nye_ud, set_noegler = [], set()
    for nb in nye:
        key = (nb.kommune_id, nb.type, nb.noegle)
        if nb.noegle and (key in findes or key in set_noegler):
            res.sprunget_over += 1
            continue
        set_noegler.add(key)
        nye_ud.append(nb)
    if dry_run:
        res.oprettet = len(nye_ud)
        return res
    modtagere = find_modtagere(
        [nb.cpr for nb in nye_ud if nb.modtager is None or "fritaget" not in nb.modtager], as_of)
    hoveder = _hoveder(nb.kommune_id for nb in nye_ud)
    sager = {s["id"]: s for s in Sag.objects.filter(pk__in={nb.sag_id for nb in nye_ud if nb.sag_id})
             .values("id", "person_id", "kassationsdato")}
    personer = dict(Person.objects.filter(cpr__in={nb.cpr for nb in nye_ud if nb.cpr}).values_list("cpr", "id"))
    dannet = as_of or timezone.localdate()
    r = renderer()
    dokumenter, breve = [], []
    for nb in nye_ud:
        spec = specs[nb.type]
        data = normaliser(nb.data)
        m = modtagere.get(nb.cpr)
        modtager = {**(m.as_dict() if m else {"navn": "", "adresse": [], "fritaget": False}), **(nb.modtager or {})}
        hoved = hoveder[nb.kommune_id]
        kanal, fejl = _kanal_og_fejl(nb, spec, data, modtager, hoved)
        titel = nb.titel or spec.titel_for(data)
        pdf, sider = b"", 0
        try:
            html = render_to_string(spec.template, _context(spec=spec, titel=titel, data=data, hoved=hoved,
                                                            modtager=modtager, kanal=kanal, dannet=dannet,
                                                            cpr=nb.cpr, sagsnr=nb.sag_id,
                                                            koersel=getattr(koersel, "pk", None)))
            pdf, sider = r.render(html)
        except Exception as exc:  # a template error must not stop the batch: the letter is fejlet
            fejl.append(f"Brevet kunne ikke dannes: {exc.__class__.__name__}: {exc}")
        sag = sager.get(nb.sag_id) or {}
        dokumenter.append(Dokument(kommune_id=nb.kommune_id, sag_id=nb.sag_id,
                                   person_id=sag.get("person_id") or personer.get(nb.cpr), titel=titel[:300],
                                   kassationsdato=sag.get("kassationsdato"), type=nb.type,
                                   mimetype="application/pdf" if pdf else "", indhold=pdf or None))
        breve.append(Brev(kommune_id=nb.kommune_id, type=nb.type, sag_id=nb.sag_id, ub_sag_id=nb.ub_sag_id,
                          cpr=nb.cpr or "", titel=titel[:300], kanal=kanal,
                          status=BrevStatus.FEJLET if fejl else BrevStatus.KLAR, fejl=" ".join(fejl),
                          data=data, modtager=modtager, sider=sider, koersel=koersel, noegle=nb.noegle))
        res.sider += sider
    with transaction.atomic():
        Dokument.objects.bulk_create(dokumenter, batch_size=500)
        for b, d in zip(breve, dokumenter):
            b.dokument_id = d.pk
        Brev.objects.bulk_create(breve, batch_size=500)
        fejlede = [b.pk for b in breve if b.status == BrevStatus.FEJLET]
        if fejlede:
            opret_fejlopgaver(fejlede)
            opgaver = dict(Brev.objects.filter(pk__in=fejlede).values_list("id", "opgave_id"))
            for b in breve:
                b.opgave_id = opgaver.get(b.pk, b.opgave_id)
    res.breve = breve
    res.oprettet = len(breve)
    res.fejlet = len(fejlede)
    return res


def opret_brev(type: str, *, kommune, data: dict, sag=None, ub_sag=None, cpr: str = "", modtager: dict | None = None,
               kanal: str | None = None, noegle: str | None = None, titel: str | None = None, koersel=None,
               as_of: dt.date | None = None) -> Brev | None:
    """Make one letter (see ``opret_breve``). Returns the Brev (``klar`` or ``fejlet``), or None when a
    letter with the same ``noegle`` exists."""
    sag_id = getattr(sag, "pk", sag)
    if sag is not None and not cpr and hasattr(sag, "person"):
        cpr = sag.person.cpr
    res = opret_breve([NytBrev(type=type, kommune_id=getattr(kommune, "pk", kommune), data=data, sag_id=sag_id,
                               ub_sag_id=getattr(ub_sag, "pk", ub_sag), cpr=cpr, modtager=modtager, kanal=kanal,
                               noegle=noegle, titel=titel)], koersel=koersel, as_of=as_of)
    return res.breve[0] if res.breve else None


def opret_fejlopgaver(brev_ids: list[int]) -> int:
    """A task (``brev-fejlet``) per failed letter, placed by the kommune's fordelingsnøgler; linked back."""
    from cases.services import opret_batch_opgaver

    n = 0
    kommuner = set(Brev.objects.filter(pk__in=brev_ids).values_list("kommune_id", flat=True))
    for k in kommuner:
        n += opret_batch_opgaver(k, OPGAVETYPE_FEJLET, """
            SELECT b.kommune_id, left('Brev kunne ikke sendes: ' || b.titel, 300) AS titel, b.sag_id,
                   COALESCE(s.person_id, p.id) AS person_id, NULL::date AS frist, 'brev:' || b.id AS noegle,
                   jsonb_build_object('brev', b.id, 'fejl', b.fejl, 'type', b.type) AS data
            FROM breve_brev b LEFT JOIN cases_sag s ON s.id = b.sag_id
            LEFT JOIN cases_person p ON p.cpr = b.cpr AND b.cpr <> ''
            WHERE b.kommune_id = %(k)s AND b.id = ANY(%(ids)s)""", {"k": k, "ids": list(brev_ids)})["created"]
    with connection.cursor() as cur:
        cur.execute("""UPDATE breve_brev b SET opgave_id = o.id FROM cases_opgave o
                       WHERE b.id = ANY(%s) AND o.kommune_id = b.kommune_id AND o.type = %s
                         AND o.noegle = 'brev:' || b.id""", [list(brev_ids), OPGAVETYPE_FEJLET])
    return n


def marker_fejlet(brev_ids: list[int], aarsag: str, *, opgave: bool = True) -> int:
    """klar/sendt -> fejlet with the reason (e.g. the print service's answer) and a task each
    (``opgave=False`` when ky itself carries on, e.g. a Digital Post letter resent by print)."""
    n = Brev.objects.filter(pk__in=brev_ids).exclude(status=BrevStatus.FEJLET).update(
        status=BrevStatus.FEJLET, fejl=aarsag[:2000])
    if n and opgave:
        opret_fejlopgaver(list(brev_ids))
    return n


def marker_sendt(brev_ids: list[int], kanal: str, filnavn: str, tid=None) -> int:
    """klar -> sendt: the letters are in a journalled dispatch file (delivered exactly once by the layer)."""
    return Brev.objects.filter(pk__in=brev_ids, status=BrevStatus.KLAR).update(
        status=BrevStatus.SENDT, kanal=kanal, sendt=tid or timezone.now(), udsendelse=filnavn)


def tegn(type: str, *, kommune, data: dict | None = None, kontekst: dict | None = None, titel: str | None = None,
         as_of: dt.date | None = None, modtager: dict | None = None, cpr: str = "") -> tuple[bytes, int]:
    """Render a document of a registered type to PDF without storing it (an on-demand view such as the
    underholdsbidrag stamkort); ``kontekst`` adds template variables that are not stored data."""
    spec = registry.get(type)
    kommune_id = getattr(kommune, "pk", kommune)
    data = normaliser(data or {})
    ctx = _context(spec=spec, titel=titel or spec.titel_for(data), data=data, hoved=_hoveder([kommune_id])[kommune_id],
                   modtager=modtager, dannet=as_of or timezone.localdate(), cpr=cpr)
    return renderer().render(render_to_string(spec.template, {**ctx, **(kontekst or {})}))


# ------------------------------------------------------------------------------------------ lists

def _csv_felt(v, fmt: str | None) -> str:
    from cases.breve.templatetags.breve import beloeb, kortdato

    if v is None:
        return ""
    if fmt == "kr":
        return beloeb(v).replace(".", "")
    if fmt == "dato":
        return kortdato(v)
    return str(v)


def liste_csv(spec: registry.Dokumenttype, data: dict) -> str | None:
    """A tabular list's rows as CSV: ';'-separated, header row, Danish decimals, UTF-8 (BOM added on download)."""
    if not spec.kolonner:
        return None
    out = io.StringIO()
    w = csv.writer(out, delimiter=";", lineterminator="\r\n")
    w.writerow([k[1] for k in spec.kolonner])
    for row in data.get("rows", []):
        w.writerow([_csv_felt(row.get(k[0]), k[2] if len(k) > 2 else None) for k in spec.kolonner])
    return out.getvalue()


def opret_liste(type: str, *, kommune, data: dict, koersel=None, titel: str | None = None,
                as_of: dt.date | None = None, sag=None) -> Liste:
    """Render a list (or a report's list) to PDF, keep it as a Dokument (on the sag when given) with
    its data and, when tabular, its CSV."""
    spec = registry.get(type)
    if spec.art not in ("liste", "rapport"):
        raise Ugyldig(f"{type} er ikke en listetype.", "ukendt_type", "type")
    kommune_id = getattr(kommune, "pk", kommune)
    data = normaliser(data)
    titel = titel or spec.titel_for(data)
    hoved = _hoveder([kommune_id])[kommune_id]
    html = render_to_string(spec.template, _context(spec=spec, titel=titel, data=data, hoved=hoved,
                                                    dannet=as_of or timezone.localdate(),
                                                    koersel=getattr(koersel, "pk", koersel)))
    pdf, sider = renderer().render(html)
    with transaction.atomic():
        d = Dokument.objects.create(kommune_id=kommune_id, sag_id=getattr(sag, "pk", sag), titel=titel[:300],
                                    type=type, mimetype="application/pdf", indhold=pdf)
        return Liste.objects.create(kommune_id=kommune_id, type=type, titel=titel[:300],
                                    koersel_id=getattr(koersel, "pk", koersel), sider=sider, data=data,
                                    csv=liste_csv(spec, data), dokument=d)


# ------------------------------------------------------------------------------------------ reports

def bestil_rapport(*, user, kommuner: list[int] | None, data) -> Rapport:
    """POST /rapporter/ {type, kommune, parametre}: validated, ordered; produced by ``fasterapporter``.
    ``kommuner`` is the user's kommuner (None: all); another kommune's order is refused by the view (404)."""
    if not isinstance(data, dict):
        raise Ugyldig("Ugyldig forespørgsel.")
    fejl = []
    type_ = data.get("type")
    spec = None
    try:
        spec = registry.get(str(type_))
        if spec.art != "rapport":
            spec = None
    except KeyError:
        pass
    if spec is None:
        navne = ", ".join(t.type for t in registry.all_types("rapport"))
        fejl.append({"felt": "type", "kode": "ukendt_type", "tekst": f"Ukendt rapporttype. Mulige: {navne}."})
    try:
        kommune = int(data.get("kommune"))
    except (TypeError, ValueError):
        fejl.append({"felt": "kommune", "kode": "ugyldig", "tekst": "Angiv kommunens kode (tre cifre)."})
        kommune = None
    parametre = data.get("parametre") or {}
    if not isinstance(parametre, dict):
        fejl.append({"felt": "parametre", "kode": "ugyldig", "tekst": "parametre skal være et objekt."})
        parametre = {}
    if spec is not None and spec.parametre is not None and not fejl:
        try:
            parametre = spec.parametre(parametre)
        except DomainError as exc:
            fejl.extend(exc.fejl)
    if fejl:
        raise Ugyldig.many(fejl)
    if kommuner is not None and kommune not in kommuner or not Kommune.objects.filter(pk=kommune).exists():
        from django.http import Http404
        raise Http404
    return Rapport.objects.create(kommune_id=kommune, type=spec.type, parametre=normaliser(parametre),
                                  bestilt_af=user if getattr(user, "pk", None) else None)


def dan_rapporter(kommune_id: int, as_of: dt.date, *, koersel=None, dry_run: bool = False, progress=None) -> dict:
    """fasterapporter (seed 000, nr. 66): produce every ordered report of the kommune, oldest first.
    Each report commits on its own (the screen shows it appear); one that fails is ``fejlet`` with its
    reason and the others go on."""
    bestilte = list(Rapport.objects.filter(kommune_id=kommune_id, status=RapportStatus.BESTILT).order_by("id"))
    if dry_run:
        return {"created": len(bestilte), "updated": 0, "skipped": 0}
    done = failed = 0
    for i, rap in enumerate(bestilte):
        if not Rapport.objects.filter(pk=rap.pk, status=RapportStatus.BESTILT).update(
                status=RapportStatus.DANNES, koersel=koersel):
            continue  # another run took it
        try:
            with transaction.atomic():
                spec = registry.get(rap.type)
                data = spec.lav(kommune_id, rap.parametre, as_of)
                liste = opret_liste(rap.type, kommune=kommune_id, data=data, koersel=koersel, as_of=as_of)
                Rapport.objects.filter(pk=rap.pk).update(status=RapportStatus.FAERDIG, liste=liste)
            done += 1
        except Exception as exc:
            Rapport.objects.filter(pk=rap.pk).update(status=RapportStatus.FEJLET,
                                                     fejl=f"{exc.__class__.__name__}: {exc}"[:2000])
            failed += 1
        if progress:
            progress(i + 1, len(bestilte))
    return {"created": done, "updated": 0, "skipped": 0, "failed_reports": failed}
