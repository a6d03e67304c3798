"""Writes of the debitor domain (seed 002, mi32.md): import, manual attachment of a debitorkonto
(MI 32 task) and coverings / write-offs / reductions on fordringer."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from cases import services as case_services
from cases.models import OPEN_STATUSES, Bevilling, Opgave, OpgaveStatus, Sag, Ydelsestype
from debitor.kmd_aktiv import import_file, import_file_record
from debitor.models import (
    MI32_OPGAVETYPE, Debitorkonto, Fordring, Fordringspostering, Kilde, KmdAktivUpload, PosteringType, Tilknytning,
    TilknytningsMaade,
)
from ky.core.api import Conflict, DomainError
from ky.core.beloeb import UgyldigtBeloeb, parse_beloeb

__all__ = ["import_kmd_aktiv", "start_kmd_aktiv_import", "koer_kmd_aktiv_import", "tilknyt", "registrer_postering"]

OPGAVE_LOEST = "Opgaven er allerede løst af en anden sagsbehandler."


def import_kmd_aktiv(binary, *, kommune: int, dry_run: bool = False, user=None, filename: str = ""):
    """mi32.md import. Returns (summary, accepted). The kommune must exist and be the user's."""
    kommune_obj = case_services.check_kommune(user, kommune)
    return import_file(binary, kommune=kommune_obj.pk, dry_run=dry_run, user=user, filename=filename)


KMD_AKTIV_JOB = "kmd-aktiv-import"
UPLOAD_DIR = "kmd_aktiv"


def start_kmd_aktiv_import(user, fil, *, kommune, dry_run: bool = False):
    """The upload screen (issue 21): store the file and record a queued batch run (job kmd-aktiv-import,
    startet_af = the user) that an RQ worker executes; the HTTP request only stores the file, whatever its
    size. Returns the Koersel. One import per kommune at a time (the run's unique key job-kommune-date)."""
    from batch import services as batch_services
    from batch.models import Trigger

    kommune_obj = case_services.check_kommune(user, kommune)
    if fil is None or not fil.size:
        raise DomainError("Vælg en KMD Aktiv-fil; den valgte fil er tom.", "tom_fil", "fil")
    folder = Path(settings.MEDIA_ROOT) / UPLOAD_DIR
    folder.mkdir(parents=True, exist_ok=True)
    sti = folder / f"{uuid.uuid4().hex}.csv"
    with open(sti, "wb") as out:
        for chunk in fil.chunks():
            out.write(chunk)
    try:
        with transaction.atomic():
            koersel = batch_services.enqueue_job(KMD_AKTIV_JOB, kommune=kommune_obj.pk, trigger=Trigger.ADMIN,
                                                 user=user)
            KmdAktivUpload.objects.create(koersel=koersel, kommune=kommune_obj, bruger=user,
                                          filnavn=(fil.name or "")[:255], sti=str(sti), stoerrelse=fil.size,
                                          dry_run=dry_run)
    except batch_services.RunAlreadyActive as exc:
        sti.unlink(missing_ok=True)
        nr = f" (kørsel {exc.existing.pk})" if exc.existing else ""
        raise Conflict(f"Der kører allerede en KMD Aktiv-import for kommune {kommune_obj.pk}{nr}. Vent, til den er "
                       "færdig, og prøv igen.", "import_koerer") from None
    except BaseException:
        sti.unlink(missing_ok=True)
        raise
    return koersel


def koer_kmd_aktiv_import(ctx) -> None:
    """The batch job kmd-aktiv-import: import the file uploaded for this run (import_file, its own
    transaction and import record), count and log the result, remove the stored file. A file rejected
    whole fails the run with the rejection's message (the import record says AFVIST)."""
    upload = KmdAktivUpload.objects.filter(koersel=ctx.koersel).select_related("bruger").first()
    if upload is None:
        return _koer_indbakke(ctx)
    sti = Path(upload.sti)
    if not sti.exists():
        raise ValueError(f"Den uploadede fil {upload.filnavn} findes ikke længere; upload den igen.")
    ctx.log(f"Importerer {upload.filnavn} ({upload.stoerrelse:,} bytes) for kommune {upload.kommune_id}"
            + (" som prøvekørsel (intet gemmes)." if upload.dry_run else "."))
    try:
        with open(sti, "rb") as fh:
            summary, accepted, record = import_file_record(
                fh, kommune=upload.kommune_id, dry_run=upload.dry_run or ctx.dry_run, user=upload.bruger,
                filename=upload.filnavn)
    finally:
        sti.unlink(missing_ok=True)
    KmdAktivUpload.objects.filter(pk=upload.pk).update(kmd_import=record)
    ctx.count("created", summary["fordringer_created"])
    ctx.count("updated", summary["fordringer_updated"])
    ctx.count("skipped", summary["rejected"])
    for e in summary["errors"][:200]:
        ctx.errors.append({"item": f"linje {e['line']}" + (f", {e['field']}" if e["field"] else ""),
                           "message": e["message"]})
    ctx.log("Resumé: " + ", ".join(f"{k}={v}" for k, v in summary.items() if k != "errors"))
    if not accepted:
        raise ValueError(summary["errors"][0]["message"] if summary["errors"] else "Filen er afvist.")


def indbakke(kommune: int) -> Path:
    """Files waiting for a run started without an upload (command, API, seed_demo): MEDIA_ROOT/kmd_aktiv/
    indbakke/<kommune>/*.csv, oldest name first."""
    return Path(settings.MEDIA_ROOT) / UPLOAD_DIR / "indbakke" / str(kommune)


def _koer_indbakke(ctx) -> None:
    """A run without an uploaded file imports the files waiting in the kommune's inbox; a dry run imports
    nothing (rolled back) and leaves the files; a real run moves each imported file to behandlet/."""
    if ctx.kommune is None:
        raise ValueError("KMD Aktiv-importen kører pr. kommune; angiv en kommune.")
    kommune = getattr(ctx.kommune, "pk", ctx.kommune)
    folder = indbakke(kommune)
    filer = sorted(folder.glob("*.csv")) if folder.exists() else []
    if not filer:
        ctx.log(f"Ingen KMD Aktiv-filer venter i indbakken for kommune {kommune}.")
        return
    for sti in filer:
        ctx.log(f"Importerer {sti.name} fra indbakken for kommune {kommune}"
                + (" som prøvekørsel (intet gemmes)." if ctx.dry_run else "."))
        with open(sti, "rb") as fh:
            summary, accepted, _record = import_file_record(fh, kommune=kommune, dry_run=ctx.dry_run,
                                                            user=None, filename=sti.name)
        ctx.count("created", summary["fordringer_created"])
        ctx.count("updated", summary["fordringer_updated"])
        ctx.count("skipped", summary["rejected"])
        ctx.log(f"{sti.name}: " + ", ".join(f"{k}={v}" for k, v in summary.items() if k != "errors"))
        if not accepted:
            ctx.error(sti.name, summary["errors"][0]["message"] if summary["errors"] else "Filen er afvist.")
        if not ctx.dry_run:
            done = folder / ("behandlet" if accepted else "fejlet")
            done.mkdir(exist_ok=True)
            sti.rename(done / sti.name)


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
    if isinstance(value, str):  # a Danish amount as typed ('1.000' is 1000 kr., never 1 kr.; ky.core.beloeb)
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


# --- the KLIK deadline of the MI 32 package (seed 002; debitor/klik.py) ---------------------------------------

def saet_klik_deadline(user, *, kommune, deadline: dt.date):
    """The kommuneadmin sets the KLIK task's deadline ("senest jf. deadline for KLIK-opgaven"). The open MI 32
    tasks' frister follow in one UPDATE: 15 days from creation, never after the new deadline."""
    from django.db import connection

    from debitor import klik
    from debitor.models import MI32_PAKKE_KODE, MI32_PAKKE_NAVN
    from ky.core.roles import Role

    if not (user.is_superuser or user.role == Role.KOMMUNEADMIN):
        raise DomainError("Kun kommuneadministratoren kan sætte KLIK-deadline.", "rolle", None)
    kommune = case_services.check_kommune(user, kommune)
    today = timezone.localdate()
    with transaction.atomic():
        pakke = case_services.opgavepakke(kommune.pk, MI32_PAKKE_KODE, MI32_PAKKE_NAVN)
        k = klik.klik_for(pakke, today)
        k = type(k).objects.select_for_update().get(pk=k.pk)
        if deadline < k.startdato:
            raise DomainError(f"KLIK-deadline kan ikke ligge før pakkens startdato ({k.startdato:%d-%m-%Y}).",
                              "klik_deadline", "deadline")
        k.deadline = deadline
        k.deadline_sat_af = user.username
        k.save(update_fields=["deadline", "deadline_sat_af", "aendret"])
        with connection.cursor() as cur:
            cur.execute(f"""
                UPDATE cases_opgave o SET frist = {klik.TASK_FRIST_SQL}
                WHERE o.opgavepakke_id = %(p)s AND o.type = %(t)s AND o.status = ANY(%(open)s)
                  AND o.frist IS DISTINCT FROM {klik.TASK_FRIST_SQL}""",
                        {"p": pakke.pk, "t": MI32_OPGAVETYPE, "open": list(OPEN_STATUSES), "deadline": deadline})
    return k
