"""Serviceplatformen "simple transfer" (contract sf2520.md, Transport).

``transport()`` gives an SFTP transport when ``settings.KY_SFTP_URL`` is set
(paramiko, key auth with KY_SFTP_KEY, host key checked against
KY_SFTP_KNOWN_HOSTS, unknown hosts rejected), else a local folder under
``KY_DATA_DIR/sftp/`` with the same layout: OUT/, IN/, IN/behandlet/, IN/fejlet/.
"""

from __future__ import annotations

import logging
import uuid
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse
from xml.sax.saxutils import escape

from django.conf import settings

log = logging.getLogger(__name__)

NS = "http://serviceplatformen.dk/xml/wsdl/soap11/SFTP/1/types"
SUBDIRS = ("OUT", "IN", "IN/behandlet", "IN/fejlet")


def trigger_xml(filnavn: str, size: int, sender: str, senders_file_id: str, recipients: list[str]) -> bytes:
    """The ``.trigger`` file: ns2:Trigger with FileDescriptor and an empty FileContentDescriptor."""
    e = escape
    rec = "".join(f"<Recipient>{e(r)}</Recipient>" for r in recipients)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<ns2:Trigger xmlns:ns2="{NS}"><FileDescriptor>'
        f"<FileName>{e(filnavn)}</FileName><SizeInBytes>{int(size)}</SizeInBytes><Sender>{e(sender)}</Sender>"
        f"<SendersFileId>{e(senders_file_id)}</SendersFileId><Recipients>{rec}</Recipients>"
        "</FileDescriptor><FileContentDescriptor/></ns2:Trigger>\n"
    ).encode()


def parse_metadata(data: bytes) -> dict:
    """A ``.metadata`` (same shape as a trigger, plus FileTransferUUID)."""
    root = ET.fromstring(data)
    fd = root.find("FileDescriptor")
    if fd is None:
        raise ValueError("metadata uden FileDescriptor")
    recipients = [(r.text or "").strip() for r in fd.iter() if r.tag in ("Recipient",)]
    rec_el = fd.find("Recipients")
    if rec_el is not None and not recipients and (rec_el.text or "").strip():
        recipients = [x.strip() for x in rec_el.text.split(",")]
    return {
        "filnavn": (fd.findtext("FileName") or "").strip(),
        "sender": (fd.findtext("Sender") or "").strip(),
        "recipients": recipients,
        "file_transfer_uuid": (fd.findtext("FileTransferUUID") or root.findtext("FileTransferUUID") or "").strip(),
    }


@dataclass
class Kvittering:
    filnavn: str
    senders_file_id: str
    status: str  # ACCEPTERET or AFVIST
    aarsag: str = ""


def parse_receipt(data: bytes) -> Kvittering:
    """ky's reading of a technical receipt (formats/sf2520.md) — the one place to swap."""
    root = ET.fromstring(data)
    status = (root.findtext("Status") or "").strip().upper()
    if status not in ("ACCEPTERET", "AFVIST"):
        raise ValueError(f"ukendt kvitteringsstatus {status!r}")
    return Kvittering((root.findtext("FileName") or "").strip(), (root.findtext("SendersFileId") or "").strip(),
                      status, (root.findtext("Reason") or "").strip())


class LocalTransport:
    def __init__(self, base: Path):
        self.base = Path(base)
        for d in SUBDIRS:
            (self.base / d).mkdir(parents=True, exist_ok=True)

    def put(self, path: str, data: bytes) -> None:
        final = self.base / path
        tmp = final.with_name(f".{final.name}.tmp")
        tmp.write_bytes(data)
        tmp.replace(final)

    def listdir(self, path: str) -> list[str]:
        return sorted(p.name for p in (self.base / path).iterdir() if p.is_file())

    def get(self, path: str) -> bytes:
        return (self.base / path).read_bytes()

    def rename(self, src: str, dst: str) -> None:
        (self.base / src).replace(self.base / dst)

    def remove(self, path: str) -> None:
        (self.base / path).unlink(missing_ok=True)

    def close(self) -> None:
        pass


class SftpTransport:
    def __init__(self, url: str, key: str, known_hosts: str):
        import paramiko

        u = urlparse(url)
        self.root = u.path.rstrip("/") or ""
        self.client = paramiko.SSHClient()
        if not known_hosts:
            raise RuntimeError("KY_SFTP_KNOWN_HOSTS mangler: værtsnøglen skal altid kontrolleres")
        self.client.load_host_keys(known_hosts)
        self.client.set_missing_host_key_policy(paramiko.RejectPolicy())
        self.client.connect(u.hostname, port=u.port or 22, username=u.username, key_filename=key or None,
                            look_for_keys=False, allow_agent=False, timeout=30)
        self.sftp = self.client.open_sftp()
        for d in SUBDIRS:
            try:
                self.sftp.stat(self._p(d))
            except OSError:
                self.sftp.mkdir(self._p(d))

    def _p(self, path: str) -> str:
        return f"{self.root}/{path}"

    def put(self, path: str, data: bytes) -> None:
        final = self._p(path)
        head, _, name = final.rpartition("/")
        tmp = f"{head}/.{name}.tmp"
        with self.sftp.open(tmp, "wb") as fh:
            fh.write(data)
        try:
            self.sftp.posix_rename(tmp, final)
        except OSError:
            try:
                self.sftp.remove(final)
            except OSError:
                pass
            self.sftp.rename(tmp, final)

    def listdir(self, path: str) -> list[str]:
        import stat

        return sorted(a.filename for a in self.sftp.listdir_attr(self._p(path)) if stat.S_ISREG(a.st_mode or 0))

    def get(self, path: str) -> bytes:
        with self.sftp.open(self._p(path), "rb") as fh:
            return fh.read()

    def rename(self, src: str, dst: str) -> None:
        self.sftp.posix_rename(self._p(src), self._p(dst))

    def remove(self, path: str) -> None:
        try:
            self.sftp.remove(self._p(path))
        except FileNotFoundError:
            pass

    def close(self) -> None:
        self.client.close()


def transport():
    if settings.KY_SFTP_URL:
        return SftpTransport(settings.KY_SFTP_URL, settings.KY_SFTP_KEY, settings.KY_SFTP_KNOWN_HOSTS)
    return LocalTransport(Path(settings.KY_DATA_DIR) / "sftp")


def send_file(t, filnavn: str, data: bytes, recipients: list[str] | None = None) -> str:
    """Upload OUT/<filnavn> (temp name, then rename), THEN its trigger. Returns SendersFileId."""
    senders_file_id = str(uuid.uuid4())
    t.put(f"OUT/{filnavn}", data)
    t.put(f"OUT/{filnavn}.trigger", trigger_xml(filnavn, len(data), settings.KY_SFTP_AFSENDER, senders_file_id,
                                                  recipients or [settings.KY_SFTP_UDK_AFSENDER]))
    return senders_file_id


def incoming(t, prefix: str, afsender: str | None = None) -> list[tuple[str, str | None]]:
    """Files IN/<name> starting with ``prefix``: (name, None) when readable, (name, why) when left alone.
    ``afsender``: the expected Sender (default KY_SFTP_UDK_AFSENDER)."""
    afsender = afsender or settings.KY_SFTP_UDK_AFSENDER
    names = set(t.listdir("IN"))
    out = []
    for name in sorted(n for n in names if n.startswith(prefix) and not n.endswith((".metadata", ".sftpreceipt"))):
        if f"{name}.metadata" not in names:
            out.append((name, "ingen .metadata-fil"))
            continue
        try:
            meta = parse_metadata(t.get(f"IN/{name}.metadata"))
        except (ET.ParseError, ValueError) as exc:
            out.append((name, f"ugyldig metadata: {exc}"))
            continue
        if meta["sender"] != afsender:
            out.append((name, f"uventet afsender {meta['sender']!r}"))
        elif settings.KY_SFTP_AFSENDER not in meta["recipients"]:
            out.append((name, "KY er ikke blandt modtagerne"))
        else:
            out.append((name, None))
    return out


def move_in(t, name: str, folder: str) -> None:
    """Move IN/<name> and its metadata to IN/behandlet/ or IN/fejlet/."""
    t.rename(f"IN/{name}", f"IN/{folder}/{name}")
    try:
        t.rename(f"IN/{name}.metadata", f"IN/{folder}/{name}.metadata")
    except OSError:
        pass
