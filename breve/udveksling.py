"""The exchange layer as breve uses it: ``Art``, ``registrer``, ``Udfil``, ``send``, ``modtag``.

When the exchange layer (issue 17, ``integrations.exchange``) is installed, these ARE its functions
(one journal ``integrations.Fil``, løbenummer per kommune and art, resume, receipts, send-igen,
``/api/v1/integrationer/filer/``). Until it is on main, a minimal stand-in with the same signatures
journals the file in ``breve.Forsendelse`` (bytes + løbenummer, committed before upload), uploads
data file then trigger, and reads inbound files with their metadata. Moving onto the layer is this
module's import (docs/breve.md, "Dispatch")."""

from __future__ import annotations

import datetime as dt
import uuid
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from typing import Any, Callable

from django.conf import settings
from django.db import transaction
from django.utils import timezone

try:  # issue 17
    from integrations.exchange import AfvistFil, Art, Udfil, modtag, registrer, send  # noqa: F401

    LAG = "integrations.exchange"
except ImportError:
    LAG = "breve.Forsendelse (midlertidig)"

    ARTER: dict[str, "Art"] = {}

    class AfvistFil(Exception):
        """An inbound run rejected one or more files."""

    @dataclass(frozen=True)
    class Art:
        kode: str
        navn: str
        retning: str
        moenster: str
        modpart: str | None = None
        start_record: bool = True
        ved_afvisning: Callable | None = None
        afvist_tekst: str = ""
        send_igen: Callable | None = None
        job: str = ""

        def modpart_id(self) -> str:
            return self.modpart or settings.KY_SFTP_UDK_AFSENDER

        def filnavn(self, kommune, dato, loebenummer) -> str:
            return self.moenster.format(kommune=kommune or 0, dato=dato, loebenummer=loebenummer)

        def praefiks(self, kommune=None) -> str:
            if kommune is None:
                return self.moenster.split("{")[0]
            return self.moenster.split("{dato")[0].format(kommune=kommune)

    def registrer(art: Art) -> Art:
        ARTER[art.kode] = art
        return art

    @dataclass
    class Udfil:
        indhold: Any
        antal: int
        sum_beloeb: Any = 0
        noegle: str = ""
        knyt: Callable | None = None

    def _kanal(art_kode: str) -> str:
        return "print" if "PRINT" in art_kode else "digital_post"

    def _lever(f, transport) -> None:
        from integrations import sftp

        names = set(transport.listdir("OUT"))
        if f.filnavn not in names:
            transport.put(f"OUT/{f.filnavn}", bytes(f.indhold))
        if f"{f.filnavn}.trigger" not in names:
            transport.put(f"OUT/{f.filnavn}.trigger", sftp.trigger_xml(
                f.filnavn, len(f.indhold), settings.KY_SFTP_AFSENDER, str(uuid.uuid4()),
                [ARTER["PRINT" if f.kanal == "print" else "SF1601"].modpart_id()]))
        type(f).objects.filter(pk=f.pk).update(status="sendt", sendt=timezone.now())

    def send(art, kommune_id, *, dato: dt.date, transport, byg, log=None, now=None):
        from django.db.models import Max

        from breve.models import Forsendelse

        art = art if isinstance(art, Art) else ARTER[art]
        kanal = _kanal(art.kode)
        for f in Forsendelse.objects.filter(kommune_id=kommune_id, kanal=kanal, status="journaliseret"):
            if log:
                log(f"{f.filnavn}: afsendelse fra en tidligere kørsel gøres færdig")
            _lever(f, transport)
        with transaction.atomic():
            u = byg()
            if u is None:
                return None
            # løbenummer per kommune and kanal; the unique key refuses a second writer
            nr = (Forsendelse.objects.select_for_update().filter(kommune_id=kommune_id, kanal=kanal)
                  .aggregate(m=Max("loebenummer"))["m"] or 0) + 1
            now = timezone.localtime(now or timezone.now())
            data = u.indhold(nr, now) if callable(u.indhold) else u.indhold
            f = Forsendelse.objects.create(kommune_id=kommune_id, kanal=kanal, dato=dato, loebenummer=nr,
                                           filnavn=art.filnavn(kommune_id, dato, nr), indhold=data, antal=u.antal)
            if u.knyt:
                u.knyt(f)
        _lever(f, transport)
        f.refresh_from_db()
        return f

    @dataclass
    class Modtaget:
        filnavn: str
        kommune_id: int | None
        antal: int
        resultat: dict = field(default_factory=dict)

    def modtag(art, transport, log, *, kommune_id=None, dry_run=False, valider, gem, antal=len):
        from integrations import sftp

        art = art if isinstance(art, Art) else ARTER[art]
        names = set(transport.listdir("IN"))
        fejl, gode = [], []
        for name in sorted(n for n in names if n.startswith(art.praefiks(kommune_id))
                           and not n.endswith((".metadata", ".sftpreceipt"))):
            if f"{name}.metadata" not in names:
                log(f"{name}: ladt ligge (ingen .metadata-fil)")
                continue
            try:
                meta = sftp.parse_metadata(transport.get(f"IN/{name}.metadata"))
            except (ET.ParseError, ValueError) as exc:
                log(f"{name}: ladt ligge (ugyldig metadata: {exc})")
                continue
            if meta["sender"] != art.modpart_id():
                log(f"{name}: ladt ligge (uventet afsender {meta['sender']!r})")
                continue
            try:
                gode.append((name, kommune_id, valider(name, transport.get(f"IN/{name}"), kommune_id)))
            except (ValueError, UnicodeDecodeError) as exc:
                fejl.append((name, str(exc)))
        if fejl:
            if not dry_run:
                for name, _ in fejl:
                    sftp.move_in(transport, name, "fejlet")
            raise AfvistFil("Afvist: " + "; ".join(f"{n}, {t}" for n, t in fejl))
        out = []
        for name, kode, parsed in gode:
            with transaction.atomic():
                res = gem(name, kode, parsed) or {}
                if dry_run:
                    transaction.set_rollback(True)
            out.append(Modtaget(name, kode, res.get("antal", antal(parsed)), res))
            if not dry_run:
                sftp.move_in(transport, name, "behandlet")
        return out
