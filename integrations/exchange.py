"""The exchange layer (issue 17, contract integrationer.md): one mechanism for every file ky
sends to or receives from Serviceplatformen. Generalised from SF2520 (docs/sf2520.md); the
interface is documented in docs/integrationer.md.

Outbound (``send``/``journaliser`` + ``lever``): a file is a journal row (``integrations.Fil``)
with its exact bytes and a løbenummer per kommune and art, committed BEFORE anything is
uploaded; then data file (temporary name, renamed) -> commit ``uploadet`` -> trigger -> commit
``sendt``. Any later run finishes the files left in flight first (``fuldfoer``), reading the
remote OUT/, so a worker killed anywhere never sends a file twice and never loses one.
Receipts (``behandl_kvitteringer``): ACCEPTERET -> ``kvitteret``; AFVIST -> ``fejlet`` and the
art's ``ved_afvisning`` hook; a receipt for a file ky did not send is logged and left alone.
``send_igen``: a failed file's content again, in a new file with a new løbenummer.

Inbound (``modtag``): every file of the art in IN/ with a valid ``.metadata`` from the expected
sender is validated WHOLE (``valider``) before anything is stored; when any is rejected, the
rejected ones go to IN/fejlet/, nothing of the run is stored and the run fails naming file and
line; otherwise each is stored (``gem``) and moved to IN/behandlet/ after the commit.

Jobs that call this run with ``@batchjob(..., atomic=False)``: the layer commits its own steps.
In a dry run (``dry_run=True``) nothing is uploaded, moved or deleted remotely.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from collections.abc import Callable

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from integrations import sftp
from integrations.models import Fil, FilStatus, Loebenummer, Retning

log_ = logging.getLogger(__name__)


# ------------------------------------------------------------------------------------ arter
@dataclass(frozen=True)
class Art:
    """One kind of file. ``moenster`` formats with ``kommune`` (int), ``dato`` (date) and
    ``loebenummer`` (int), e.g. ``KY_SF0770B_{kommune:03d}_{dato:%Y%m%d}_{loebenummer:06d}.txt``."""

    kode: str
    navn: str
    retning: str  # "ud" or "ind"
    moenster: str
    modpart: str | None = None  # recipient (ud) or expected sender (ind); None: KY_SFTP_UDK_AFSENDER
    start_record: bool = True  # opens with a `00` record: date 6–13, time 14–19, løbenummer 20–25
    ved_afvisning: Callable[[Fil], None] | None = None  # AFVIST receipt, inside its transaction
    afvist_tekst: str = "filen kan sendes igen (send-igen)"
    send_igen: Callable[..., Fil] | None = None  # (fil, transport, log) -> new Fil; default: same content
    job: str = ""  # the batch job that sends/reads it (drift screen)

    def modpart_id(self) -> str:
        return self.modpart or settings.KY_SFTP_UDK_AFSENDER

    def filnavn(self, kommune: int | None, dato: dt.date, loebenummer: int) -> str:
        return self.moenster.format(kommune=kommune or 0, dato=dato, loebenummer=loebenummer)

    def praefiks(self, kommune: int | None = None) -> str:
        """The fixed start of the art's names (of one kommune's when given)."""
        if kommune is None or "{kommune" not in self.moenster:
            return self.moenster.split("{")[0]
        return self.moenster.split("{dato")[0].format(kommune=kommune)

    def kommune_i_navn(self, navn: str) -> tuple[bool, int | None]:
        """(has a kommune part, its code or None when it is not digits)."""
        if "{kommune" not in self.moenster:
            return False, None
        rest = navn[len(self.praefiks()):]
        part = rest.split("_", 1)[0]
        return True, (int(part) if part.isdigit() else None)


ARTER: dict[str, Art] = {}


def registrer(art: Art) -> Art:
    """Register a file kind (at import of the app's exchange module); returns it."""
    ARTER[art.kode] = art
    return art


def art_af(kode: str) -> Art:
    return ARTER[kode]


# ------------------------------------------------------------------------------------ outbound
def naeste_loebenummer(kommune_id: int | None, art: str) -> int:
    """Next løbenummer of the kommune (None: national) and art: a counter row read FOR UPDATE, so
    concurrent runs wait; call inside the transaction that journals the file."""
    Loebenummer.objects.get_or_create(kommune_id=kommune_id, art=art)
    row = Loebenummer.objects.select_for_update().get(kommune_id=kommune_id, art=art)
    row.sidste += 1
    row.save(update_fields=["sidste"])
    return row.sidste


Indhold = Callable[[int, dt.datetime], bytes]  # (løbenummer, creation time) -> the file's bytes


def journaliser(art: Art | str, kommune_id: int | None, *, dato: dt.date, indhold: Indhold | bytes, antal: int,
                sum_beloeb: Decimal | int = 0, noegle: str = "", now: dt.datetime | None = None,
                erstatter: Fil | None = None) -> Fil:
    """Journal one outbound file (status ``sender``) with its bytes, its løbenummer, its name
    (the art's pattern) and a new SendersFileId. Must be called inside ``transaction.atomic()``:
    link the domain rows to the returned file in the same transaction, commit, then ``lever``."""
    art = art if isinstance(art, Art) else ARTER[art]
    now = timezone.localtime(now or timezone.now())
    nr = naeste_loebenummer(kommune_id, art.kode)
    data = indhold(nr, now) if callable(indhold) else indhold
    return Fil.objects.create(
        art=art.kode, retning=Retning.UD, kommune_id=kommune_id, filnavn=art.filnavn(kommune_id, dato, nr),
        loebenummer=nr, koerselsdato=dato, noegle=noegle, antal=antal, sum_beloeb=sum_beloeb,
        status=FilStatus.SENDER, tid=now, dannet=now, indhold=data, senders_file_id=uuid.uuid4(), erstatter=erstatter)


def lever(fil: Fil, transport, now: dt.datetime | None = None) -> Fil:
    """Drive one journalled file to ``sendt``; idempotent, safe to call again after any failure.

    journal  | remote OUT/            | what happens
    sender   | no data file           | upload the same bytes under the same name
    sender   | data file              | (only 'uploadet' was lost) go on with the trigger
    uploadet | data file, no trigger  | upload the trigger
    uploadet | trigger                | record sendt (only the last commit was lost)
    uploadet | neither                | the platform has taken both: record sendt
    """
    model = type(fil)
    navn = fil.filnavn
    with transaction.atomic():
        fil = model.objects.select_for_update().get(pk=fil.pk)
        if fil.status == FilStatus.SENDER:
            if navn not in transport.listdir("OUT"):
                transport.put(f"OUT/{navn}", bytes(fil.indhold))
            fil.status = FilStatus.UPLOADET
            fil.save(update_fields=["status"])
    # committed: from here on the trigger may exist
    with transaction.atomic():
        fil = model.objects.select_for_update().get(pk=fil.pk)
        if fil.status != FilStatus.UPLOADET:
            return fil
        names = set(transport.listdir("OUT"))
        if navn in names and f"{navn}.trigger" not in names:
            art = ARTER.get(fil.art)
            transport.put(f"OUT/{navn}.trigger", sftp.trigger_xml(
                navn, len(fil.indhold), settings.KY_SFTP_AFSENDER, str(fil.senders_file_id),
                [art.modpart_id() if art else settings.KY_SFTP_UDK_AFSENDER]))
        fil.status, fil.sendt = FilStatus.SENDT, now or timezone.now()
        fil.tid = fil.sendt
        fil.save(update_fields=["status", "sendt", "tid"])
    return fil


def fuldfoer(art: Art | str, kommune_id: int | None, transport, log=None) -> list[Fil]:
    """Finish the kommune's files of ``art`` that an earlier run left in flight (oldest first)."""
    kode = art.kode if isinstance(art, Art) else art
    done = []
    for fil in Fil.objects.filter(retning=Retning.UD, kommune_id=kommune_id, art=kode,
                                  status__in=(FilStatus.SENDER, FilStatus.UPLOADET)).order_by("loebenummer"):
        if log:
            log(f"{fil.filnavn}: afsendelse fra en tidligere kørsel (status {fil.status}) gøres færdig")
        done.append(lever(fil, transport))
    return done


@dataclass
class Udfil:
    """What ``send``'s ``byg`` returns: the file to journal and how to link the domain rows."""

    indhold: Indhold | bytes
    antal: int
    sum_beloeb: Decimal | int = 0
    noegle: str = ""
    knyt: Callable[[Fil], Any] | None = None  # e.g. rows.update(fil=fil), in the journal's transaction


def send(art: Art | str, kommune_id: int | None, *, dato: dt.date, transport, byg: Callable[[], Udfil | None],
         log=None, now: dt.datetime | None = None, erstatter: Fil | None = None) -> Fil | None:
    """The whole outbound step of a job: finish files in flight, then in ONE transaction
    ``byg()`` (select the rows to send FOR UPDATE, return an ``Udfil`` or None for nothing to
    send), journal the file and link the rows; commit; upload. Returns the new file or None."""
    art = art if isinstance(art, Art) else ARTER[art]
    fuldfoer(art, kommune_id, transport, log)
    with transaction.atomic():
        u = byg()
        if u is None:
            return None
        fil = journaliser(art, kommune_id, dato=dato, indhold=u.indhold, antal=u.antal, sum_beloeb=u.sum_beloeb,
                          noegle=u.noegle, now=now, erstatter=erstatter)
        if u.knyt:
            u.knyt(fil)
    return lever(fil, transport)


def genskriv_start(data: bytes, loebenummer: int, now: dt.datetime) -> bytes:
    """The same file with a new løbenummer and creation time in its `00` start record."""
    from integrations.fixedwidth import ENCODING

    text = data.decode(ENCODING)
    if not text.startswith("00"):
        return data
    head = f"{text[:5]}{now:%Y%m%d}{now:%H%M%S}{loebenummer:06d}"
    return (head + text[len(head):]).encode(ENCODING)


class Afvisning(Exception):
    """A request the layer refuses (send-igen of a file that is not a failed outbound file)."""

    def __init__(self, tekst: str, kode: str = "ugyldig"):
        super().__init__(tekst)
        self.tekst, self.kode = tekst, kode


def send_igen(fil: Fil, transport, log=None) -> Fil:
    """A failed outbound file's content again in a new file with a new løbenummer (the new file's
    ``erstatter`` is the failed one, so it is resent once). Only an AFVIST (``fejlet``) file may
    go again: one still in flight may yet arrive, and the same content never goes twice."""
    with transaction.atomic():
        fil = Fil.objects.select_for_update().get(pk=fil.pk)
        if fil.retning != Retning.UD:
            raise Afvisning("Kun sendte filer kan sendes igen.", "ikke_udgaaende")
        if fil.status != FilStatus.FEJLET:
            raise Afvisning(f"Filen har status {fil.get_status_display().lower()}; kun fejlede filer kan sendes igen.",
                            "ikke_fejlet")
        ny = Fil.objects.filter(erstatter=fil).first()
        if ny is not None:
            raise Afvisning(f"Filen er allerede sendt igen som {ny.filnavn}.", "allerede_sendt_igen")
        art = ARTER.get(fil.art)
        if art is None:
            raise Afvisning(f"Ukendt filart {fil.art}.", "ukendt_art")
        if art.send_igen is None:
            old = bytes(fil.indhold)
            ny = journaliser(art, fil.kommune_id, dato=timezone.localdate(), antal=fil.antal, sum_beloeb=fil.sum_beloeb,
                             indhold=(lambda nr, now: genskriv_start(old, nr, now)) if art.start_record else old,
                             erstatter=fil)
    if art.send_igen is not None:
        return art.send_igen(fil, transport, log)
    return lever(ny, transport)


# ------------------------------------------------------------------------------------ receipts
def _is_uuid(s: str) -> bool:
    try:
        uuid.UUID(s)
        return True
    except ValueError:
        return False


def behandl_kvitteringer(kommune_id: int | None, transport, log, *, dry_run: bool = False) -> tuple[int, int]:
    """Technical receipts IN/<file>.sftpreceipt for the files of every outbound art (of the
    kommune, or all): ACCEPTERET -> kvitteret; AFVIST -> fejlet + the art's ``ved_afvisning``.
    A receipt for a file ky did not send, or unreadable, is logged and left alone. The receipt is
    deleted only after the commit. Returns (accepted, rejected)."""
    prefixes = tuple(a.praefiks(kommune_id) for a in ARTER.values() if a.retning == Retning.UD)
    if kommune_id is None:
        prefixes += ("KY_",)
    ok = afvist = 0
    tør = " (tørkørsel)" if dry_run else ""
    for name in transport.listdir("IN"):
        if not (name.endswith(".sftpreceipt") and name.startswith(prefixes)):
            continue
        try:
            k = sftp.parse_receipt(transport.get(f"IN/{name}"))
        except Exception as exc:  # noqa: BLE001 - a broken receipt is logged and left alone
            log(f"{name}: kvitteringen kan ikke læses ({exc}); ladt ligge")
            continue
        with transaction.atomic():
            fil = (Fil.objects.select_for_update().filter(retning=Retning.UD, filnavn=k.filnavn,
                                                          senders_file_id=k.senders_file_id).first()
                   if _is_uuid(k.senders_file_id) else None)
            if fil is None or (kommune_id is not None and fil.kommune_id != kommune_id):
                log(f"{name}: KY har ikke sendt {k.filnavn} med SendersFileId {k.senders_file_id}; ladt ligge")
                continue
            art = ARTER.get(fil.art)
            if fil.status in (FilStatus.KVITTERET, FilStatus.FEJLET):  # its receipt was read before
                log(f"{name}: {fil.filnavn} er allerede {fil.get_status_display().lower()}; kvitteringen slettes{tør}")
            elif k.status == "ACCEPTERET":
                ok += 1
                log(f"{name}: {fil.filnavn} accepteret{tør}")
            else:
                afvist += 1
                log(f"{name}: {fil.filnavn} afvist ({k.aarsag}); {art.afvist_tekst if art else ''}{tør}")
            if dry_run:
                continue
            if fil.status not in (FilStatus.KVITTERET, FilStatus.FEJLET):
                fil.kvitteret = fil.tid = timezone.now()
                fil.sendt = fil.sendt or fil.kvitteret  # a receipt proves delivery of an in-flight file
                if k.status == "ACCEPTERET":
                    fil.status = FilStatus.KVITTERET
                else:
                    fil.status, fil.fejl = FilStatus.FEJLET, k.aarsag
                    if art and art.ved_afvisning:
                        art.ved_afvisning(fil)
                fil.save(update_fields=["status", "fejl", "kvitteret", "sendt", "tid"])
        transport.remove(f"IN/{name}")  # after the commit
    return ok, afvist


def marker_fejlet(fil: Fil, aarsag: str) -> None:
    """A business receipt rejected the whole file (e.g. eIndkomst): ``fejlet`` with the reason."""
    Fil.objects.filter(pk=fil.pk).update(status=FilStatus.FEJLET, fejl=aarsag, tid=timezone.now(),
                                         kvitteret=timezone.now())


# ------------------------------------------------------------------------------------ inbound
class AfvistFil(Exception):
    """An inbound run rejected one or more files (named with file and line)."""


@dataclass
class Modtaget:
    filnavn: str
    kommune_id: int | None
    antal: int
    resultat: dict = field(default_factory=dict)


def modtag(art: Art | str, transport, log, *, kommune_id: int | None = None, dry_run: bool = False,
           valider: Callable[[str, bytes, int | None], Any], gem: Callable[[str, int | None, Any], dict],
           antal: Callable[[Any], int] = len) -> list[Modtaget]:
    """Read the art's files in IN/ (of ``kommune_id``, or all).

    ``valider(filnavn, data, kommunekode)`` checks a WHOLE file and returns its parsed content,
    or raises ``fixedwidth.LayoutFejl`` (naming line and field) / ``ValueError``. Only when every
    file passes is each stored: ``gem(filnavn, kommunekode, parsed)`` in its own transaction with
    the file's journal row (``behandlet``), then the file and its metadata move to IN/behandlet/.
    When any file fails, the failing ones are journalled ``fejlet`` and moved to IN/fejlet/, the
    good ones stay in IN/ for the next run, nothing is stored and ``AfvistFil`` is raised naming
    each file and line. Files without valid metadata from the art's sender are logged and left.
    A dry run validates and runs ``gem`` in a rolled-back savepoint; nothing moves."""
    from ky.core.models import Kommune
    from integrations.fixedwidth import LayoutFejl

    art = art if isinstance(art, Art) else ARTER[art]
    fejl, gode = [], []
    kommuner = None
    for name, why in sftp.incoming(transport, art.praefiks(kommune_id), afsender=art.modpart_id()):
        if why:
            log(f"{name}: ladt ligge ({why})")
            continue
        har_kode, kode = art.kommune_i_navn(name)
        try:
            if har_kode:
                if kode is None:
                    raise LayoutFejl("filnavnet har ingen kommunekode")
                if kode != kommune_id:
                    if kommuner is None:
                        kommuner = set(Kommune.objects.values_list("kode", flat=True))
                    if kode not in kommuner:
                        bad, kode = kode, None  # no kommune to record the rejection under
                        raise LayoutFejl(f"filnavnets kommunekode {bad:03d} er ingen kommune")
            parsed = valider(name, transport.get(f"IN/{name}"), kode)
        except (LayoutFejl, ValueError, UnicodeDecodeError) as exc:
            fejl.append((name, kode, str(exc)))
            continue
        gode.append((name, kode, parsed))
    if fejl:
        if not dry_run:
            Fil.objects.bulk_create([Fil(art=art.kode, retning=Retning.IND, kommune_id=kode, filnavn=name,
                                         status=FilStatus.FEJLET, fejl=tekst) for name, kode, tekst in fejl])
            for name, _, _ in fejl:  # after the commit above (autocommit)
                sftp.move_in(transport, name, "fejlet")
        raise AfvistFil(("Afvist (tørkørsel, intet flyttet): " if dry_run else "Afvist: ")
                        + "; ".join(f"{name}, {tekst}" for name, _, tekst in fejl))
    out = []
    for name, kode, parsed in gode:
        with transaction.atomic():
            res = gem(name, kode, parsed) or {}
            n = res.get("antal", antal(parsed))
            if dry_run:
                transaction.set_rollback(True)
            else:
                Fil.objects.create(art=art.kode, retning=Retning.IND, kommune_id=kode, filnavn=name,
                                   status=FilStatus.BEHANDLET, antal=n)
        out.append(Modtaget(name, kode, n, res))
        if not dry_run:
            sftp.move_in(transport, name, "behandlet")
    return out
