"""Writes of the case domain: one function per business operation, each
transactional, each checking the kommune against the user's kommuner."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from cases.cpr import InvalidCPR, normalize_cpr
from cases.models import (
    OPEN_STATUSES, Bevilling, BevillingStatus, Kommune, Opgave, Opgavepakke, OpgaveStatus, Person, Sag, SagStatus,
)
from ky.api import Conflict, DomainError
from ky.scoping import user_kommune_codes


def check_kommune(user, kommune) -> Kommune:
    """The kommune (object or code) if it exists and the user may write in it."""
    kode = getattr(kommune, "pk", kommune)
    try:
        kode = int(kode)
        obj = kommune if isinstance(kommune, Kommune) else Kommune.objects.get(pk=kode)
    except (TypeError, ValueError, Kommune.DoesNotExist):
        raise DomainError(f"Ukendt kommunekode: {kommune}.", "ukendt_kommune", "kommune") from None
    codes = user_kommune_codes(user) if user is not None else None
    if codes is not None and kode not in codes:
        raise DomainError("Du har ikke adgang til denne kommune.", "kommune_adgang", "kommune")
    return obj


def get_or_create_person(cpr: str, navn: str = "") -> Person:
    try:
        cpr = normalize_cpr(cpr)
    except InvalidCPR as exc:
        raise DomainError(str(exc), "cpr", "cpr") from None
    person, created = Person.objects.get_or_create(cpr=cpr, defaults={"navn": navn or ""})
    if not created and navn and not person.navn:
        person.navn = navn
        person.save(update_fields=["navn", "aendret"])
    return person


@transaction.atomic
def opret_sag(user, *, kommune, cpr: str, ydelsestype: str, navn: str = "", startdato: dt.date | None = None,
              status: str = SagStatus.AKTIV, kle_nummer: str = "", sagsbehandler=None, team: str = "") -> Sag:
    kommune = check_kommune(user, kommune)
    person = get_or_create_person(cpr, navn)
    startdato = startdato or timezone.localdate()
    return Sag.objects.create(
        kommune=kommune, person=person, ydelsestype=ydelsestype, status=status, startdato=startdato,
        lukket_dato=startdato if status == SagStatus.LUKKET else None, kle_nummer=kle_nummer or "",
        sagsbehandler=sagsbehandler, team=team or "",
    )


@transaction.atomic
def opdater_sag(user, sag: Sag, **changes) -> Sag:
    sag = Sag.objects.select_for_update().get(pk=sag.pk)
    navn = changes.pop("navn", None)
    if navn is not None:
        Person.objects.filter(pk=sag.person_id).update(navn=navn)
    for field, value in changes.items():
        setattr(sag, field, value)
    if "status" in changes:
        sag.lukket_dato = timezone.localdate() if sag.status == SagStatus.LUKKET else None
    sag.save()
    return sag


def _check_bevilling_sag(sag: Sag | None, kommune: Kommune, person: Person):
    if sag is None:
        return
    if sag.kommune_id != kommune.pk:
        raise DomainError("Sagen hører til en anden kommune end bevillingen.", "sag_kommune", "sag")
    if sag.person_id != person.pk:
        raise DomainError("Sagen tilhører en anden borger end bevillingen.", "sag_cpr", "sag")


@transaction.atomic
def opret_bevilling(user, *, kommune, cpr: str, ydelsestype: str, bevilget_fra: dt.date, sag: Sag | None = None,
                    kmd_aktiv_bevillingsnr: str | None = None, bevilget_til: dt.date | None = None,
                    maanedligt_beloeb: Decimal | None = None, status: str = BevillingStatus.BEVILGET) -> Bevilling:
    kommune = check_kommune(user, kommune)
    person = get_or_create_person(cpr)
    _check_bevilling_sag(sag, kommune, person)
    if bevilget_til is not None and bevilget_til < bevilget_fra:
        raise DomainError("Bevilget til må ikke ligge før bevilget fra.", "periode", "bevilget_til")
    return Bevilling.objects.create(
        kommune=kommune, person=person, sag=sag, ydelsestype=ydelsestype, bevilget_fra=bevilget_fra,
        bevilget_til=bevilget_til, kmd_aktiv_bevillingsnr=kmd_aktiv_bevillingsnr or None,
        maanedligt_beloeb=maanedligt_beloeb, status=status,
    )


@transaction.atomic
def opdater_bevilling(user, bevilling: Bevilling, **changes) -> Bevilling:
    bevilling = Bevilling.objects.select_for_update().select_related("person", "kommune").get(pk=bevilling.pk)
    for field, value in changes.items():
        setattr(bevilling, field, value)
    _check_bevilling_sag(bevilling.sag, bevilling.kommune, bevilling.person)
    if bevilling.bevilget_til is not None and bevilling.bevilget_til < bevilling.bevilget_fra:
        raise DomainError("Bevilget til må ikke ligge før bevilget fra.", "periode", "bevilget_til")
    bevilling.save()
    return bevilling


# --- opgaver -------------------------------------------------------------------------------------

def opgavepakke(kommune, kode: str, navn: str, beskrivelse: str = "") -> Opgavepakke:
    """The kommune's package with ``kode``, created the first time it is needed."""
    kode_id = getattr(kommune, "pk", kommune)
    pakke, _ = Opgavepakke.objects.get_or_create(
        kommune_id=kode_id, kode=kode, defaults={"navn": navn, "beskrivelse": beskrivelse}
    )
    return pakke


@transaction.atomic
def opret_opgave(user, *, sag: Sag, type: str, titel: str, aktiveringsdato: dt.date | None = None,
                 frist: dt.date | None = None) -> Opgave:
    """A caseworker's own task (batch.md: dan-opfoelgingsopgave): ``planlagt``
    until its aktiveringsdato, then opened by the job."""
    today = timezone.localdate()
    status = OpgaveStatus.PLANLAGT if aktiveringsdato and aktiveringsdato > today else OpgaveStatus.AABEN
    return Opgave.objects.create(
        kommune_id=sag.kommune_id, sag=sag, person_id=sag.person_id, type=type, titel=titel, status=status,
        aktiveringsdato=aktiveringsdato, frist=frist,
    )


@transaction.atomic
def reserver_opgave(user, opgave: Opgave) -> Opgave:
    """Reserve an open task for ``user``. A task another caseworker holds stays theirs."""
    opgave = Opgave.objects.select_for_update().get(pk=opgave.pk)
    if opgave.status == OpgaveStatus.AABEN:
        opgave.status = OpgaveStatus.RESERVERET
        opgave.reserveret_af = user
        opgave.reserveret_tid = timezone.now()
        opgave.save(update_fields=["status", "reserveret_af", "reserveret_tid"])
    return opgave


@transaction.atomic
def frigiv_opgave(user, opgave: Opgave) -> Opgave:
    opgave = Opgave.objects.select_for_update().get(pk=opgave.pk)
    if opgave.status == OpgaveStatus.RESERVERET:
        opgave.status = OpgaveStatus.AABEN
        opgave.reserveret_af = None
        opgave.reserveret_tid = None
        opgave.save(update_fields=["status", "reserveret_af", "reserveret_tid"])
    return opgave


ALLOWED_STATUS_CHANGES = {
    OpgaveStatus.PLANLAGT: {OpgaveStatus.AABEN, OpgaveStatus.ANNULLERET},
    OpgaveStatus.AABEN: {OpgaveStatus.RESERVERET, OpgaveStatus.UDFOERT, OpgaveStatus.ANNULLERET},
    OpgaveStatus.RESERVERET: {OpgaveStatus.AABEN, OpgaveStatus.UDFOERT, OpgaveStatus.ANNULLERET},
    OpgaveStatus.UDFOERT: set(),
    OpgaveStatus.ANNULLERET: set(),
}


@transaction.atomic
def opdater_opgave(user, opgave: Opgave, *, status: str | None = None, reserveret_af=...) -> Opgave:
    """PATCH of a task (api.md): status and reservation, by the transition table above."""
    opgave = Opgave.objects.select_for_update().get(pk=opgave.pk)
    if status is not None and status != opgave.status:
        if status not in ALLOWED_STATUS_CHANGES[opgave.status]:
            if opgave.status in (OpgaveStatus.UDFOERT, OpgaveStatus.ANNULLERET):
                raise Conflict("Opgaven er allerede afsluttet.", "opgave_afsluttet", "status")
            raise DomainError(
                f"Status kan ikke ændres fra {opgave.get_status_display().lower()} til {status}.", "status", "status"
            )
        opgave.status = status
        if status in (OpgaveStatus.UDFOERT, OpgaveStatus.ANNULLERET):
            opgave.afsluttet = timezone.now()
            opgave.afsluttet_af = user
        if status == OpgaveStatus.AABEN:
            opgave.reserveret_af = None
            opgave.reserveret_tid = None
    if reserveret_af is not ...:
        if opgave.status not in OPEN_STATUSES:
            raise Conflict("Opgaven er ikke åben og kan ikke reserveres.", "opgave_afsluttet", "reserveret_af")
        if reserveret_af is not None:
            codes = user_kommune_codes(reserveret_af)
            if codes is not None and opgave.kommune_id not in codes:
                raise DomainError("Brugeren hører ikke til opgavens kommune.", "reserveret_af", "reserveret_af")
            opgave.status = OpgaveStatus.RESERVERET
            opgave.reserveret_tid = timezone.now()
        else:
            opgave.status = OpgaveStatus.AABEN
            opgave.reserveret_tid = None
        opgave.reserveret_af = reserveret_af
    opgave.save()
    return opgave
