"""Writes of the debitor domain (seed 002, mi32.md): import, manual attachment of a debitorkonto
(MI 32 task) and coverings / write-offs / reductions on fordringer."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone

from cases import services as case_services
from cases.models import OPEN_STATUSES, Bevilling, Opgave, OpgaveStatus, Sag, Ydelsestype
from debitor.kmd_aktiv import import_file
from debitor.models import (
    MI32_OPGAVETYPE, Debitorkonto, Fordring, Fordringspostering, Kilde, PosteringType, Tilknytning, TilknytningsMaade,
)
from ky.api import Conflict, DomainError
from ky.beloeb import UgyldigtBeloeb, parse_beloeb

__all__ = ["import_kmd_aktiv", "tilknyt", "registrer_postering"]

OPGAVE_LOEST = "Opgaven er allerede løst af en anden sagsbehandler."


def import_kmd_aktiv(binary, *, kommune: int, dry_run: bool = False, user=None, filename: str = ""):
    """mi32.md import. Returns (summary, accepted). The kommune must exist and be the user's."""
    kommune_obj = case_services.check_kommune(user, kommune)
    return import_file(binary, kommune=kommune_obj.pk, dry_run=dry_run, user=user, filename=filename)


def _check_same_borger(konto: Debitorkonto, obj, what: str):
    if obj.kommune_id != konto.kommune_id:
        raise DomainError(f"{what} hører til en anden kommune end debitorkontoen.", "anden_kommune", what.lower())
    if obj.person_id != konto.person_id:
        raise DomainError(f"{what} tilhører en anden borger end debitorkontoen.", "anden_borger", what.lower())


@transaction.atomic
def tilknyt(user, opgave: Opgave, *, bevilling: Bevilling | None = None, sag: Sag | None = None,
            opret_sag: dict | None = None) -> Debitorkonto:
    """Resolve an open MI 32 task (mi32.md 'Resolving a task'): attach its debitorkonto to a
    bevilling (and its sag, created if missing), to an existing sag, or to a new sag."""
    if sum(x is not None for x in (bevilling, sag, opret_sag)) != 1:
        raise DomainError("Angiv præcis én af bevilling, sag eller opret_sag.", "en_af", None)
    opgave = Opgave.objects.for_user(user).select_for_update().get(pk=opgave.pk)
    if opgave.status not in OPEN_STATUSES:
        raise Conflict(OPGAVE_LOEST, "opgave_loest")
    if opgave.type != MI32_OPGAVETYPE or opgave.debitorkonto_id is None:
        raise DomainError("Opgaven er ikke en MI 32-opgave med en debitorkonto.", "ikke_mi32")
    konto = Debitorkonto.objects.select_for_update().select_related("person").get(pk=opgave.debitorkonto_id)
    if bevilling is not None:
        bevilling = Bevilling.objects.select_for_update().get(pk=bevilling.pk)
        _check_same_borger(konto, bevilling, "Bevillingen")
        if bevilling.sag_id is None:
            # as in the import: a sag for the bevilling (kommune, CPR, ydelsestype, startdato = bevilget_fra)
            ny = case_services.opret_sag(user, kommune=bevilling.kommune_id, cpr=konto.person.cpr,
                                         ydelsestype=bevilling.ydelsestype, startdato=bevilling.bevilget_fra)
            bevilling.sag = ny
            bevilling.save(update_fields=["sag", "aendret"])
            maade = TilknytningsMaade.SAGSOPRETTELSE
        else:
            maade = TilknytningsMaade.SAGSTILKNYTNING
        konto.bevilling = bevilling
        konto.sag_id = bevilling.sag_id
    elif sag is not None:
        _check_same_borger(konto, sag, "Sagen")
        konto.sag = sag
        maade = TilknytningsMaade.EKSISTERENDE_SAG
    else:
        ydelsestype = (opret_sag or {}).get("ydelsestype")
        if ydelsestype not in Ydelsestype.values:
            raise DomainError(f"Ukendt ydelsestype '{ydelsestype}'.", "ydelsestype", "opret_sag.ydelsestype")
        konto.sag = case_services.opret_sag(user, kommune=konto.kommune_id, cpr=konto.person.cpr,
                                            ydelsestype=ydelsestype, startdato=timezone.localdate())
        maade = TilknytningsMaade.NY_SAG
    konto.save(update_fields=["bevilling", "sag", "aendret"])
    opgave.status = OpgaveStatus.UDFOERT
    opgave.afsluttet = timezone.now()
    opgave.afsluttet_af = user
    opgave.sag_id = konto.sag_id
    opgave.data = {**(opgave.data or {}), "tilknytning": maade.value}
    opgave.save(update_fields=["status", "afsluttet", "afsluttet_af", "sag", "data"])
    Tilknytning.objects.create(kommune_id=konto.kommune_id, debitorkonto=konto, opgave=opgave, bruger=user,
                               maade=maade, sag_id=konto.sag_id, bevilling_id=konto.bevilling_id)
    return konto


def kontroller_mi32_afslutning(user, opgave: Opgave):
    """cases.services.AFSLUTNING_KONTROL for MI 32: a task is closed only by attaching its debitorkonto
    (mi32.md 'Resolving a task'; seed 002: every KMD Aktiv fordring must end up on a sag). A plain status
    change to udført or annulleret would empty the package with the konto unattached: refused until it has
    a sag."""
    if opgave.debitorkonto_id and not Debitorkonto.objects.filter(pk=opgave.debitorkonto_id,
                                                                  sag__isnull=False).exists():
        raise DomainError("En MI 32-opgave løses ved at tilknytte debitorkontoen (Tilknyt bevilling, Tilknyt "
                          "eksisterende sag eller Opret ny sag); debitorkontoen har endnu ingen sag.",
                          "ikke_tilknyttet", "status")


def _beloeb(value) -> Decimal:
    if isinstance(value, str):  # a Danish amount as typed ('1.000' is 1000 kr., never 1 kr.; ky.beloeb)
        try:
            return parse_beloeb(value)
        except UgyldigtBeloeb as exc:
            raise DomainError(str(exc), "beloeb", "beloeb") from None
    try:
        beloeb = Decimal(value)
    except (InvalidOperation, ValueError, TypeError):
        raise DomainError("Beløbet er ikke et gyldigt tal.", "beloeb", "beloeb") from None
    if not beloeb.is_finite():
        raise DomainError("Beløbet er ikke et gyldigt tal.", "beloeb", "beloeb")
    return beloeb.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@transaction.atomic
def registrer_postering(user, fordring: Fordring, *, type: str, beloeb, dato: dt.date) -> Fordringspostering:
    """A dækning, afskrivning or nedregulering: 0 < beløb ≤ restgæld; refused while the
    debitorkonto has no sag (seed 002: 'Sagsbehandlingen af dækninger/afskrivninger forudsætter,
    at fordringen (og dermed debitorkontoen) har en sag i KY')."""
    if type not in PosteringType.values:
        raise DomainError(f"Ukendt posteringstype '{type}'.", "type", "type")
    fordring = Fordring.objects.for_user(user).select_for_update().select_related("debitorkonto").get(pk=fordring.pk)
    # underholdsbidrag's claims (seed 004, 3.4.2) live on the BPL's konto of the UB sag, not a cases sag
    if fordring.debitorkonto.sag_id is None and fordring.debitorkonto.kilde != Kilde.UNDERHOLDSBIDRAG:
        raise DomainError(
            "Debitorkontoen er ikke tilknyttet en sag. Dækninger, afskrivninger og nedreguleringer kan først "
            "registreres, når debitorkontoen er tilknyttet en sag (MI 32).", "ingen_sag", None)
    beloeb = _beloeb(beloeb)
    if beloeb <= 0:
        raise DomainError("Beløbet skal være større end 0.", "beloeb", "beloeb")
    if beloeb > fordring.restgaeld:
        raise DomainError(f"Beløbet må ikke være større end restgælden ({fordring.restgaeld}).", "beloeb", "beloeb")
    if dato is None:
        raise DomainError("Dato mangler.", "dato", "dato")
    foer = fordring.restgaeld
    fordring.restgaeld = foer - beloeb
    fordring.save(update_fields=["restgaeld", "aendret"])
    return Fordringspostering.objects.create(
        kommune_id=fordring.kommune_id, fordring=fordring, type=type, beloeb=beloeb, dato=dato, restgaeld_foer=foer,
        restgaeld_efter=fordring.restgaeld, bruger=user)
