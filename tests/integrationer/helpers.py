"""Helpers of the exchange-layer tests: a test art, a local SFTP root, metadata and receipts."""

import datetime as dt

import pytest

from integrations import exchange
from integrations.fixedwidth import Felt, Layout, encode_file, read_file
from integrations.sf2520 import formats as f
from integrations.sftp import NS

TEST_DETALJE = Layout("test", [Felt("posttype", 1, 2, "const", "10"), Felt("kommunekode", 3, 3, "num"),
                               Felt("tekst", 6, 20, "text"), Felt("fyld", 26, 95, "const", " " * 95)])
LAYOUTS = {"00": f.START, "10": TEST_DETALJE, "99": f.SLUT}
UD = exchange.registrer(exchange.Art("TESTUD", "Testfil ud", "ud", "KY_TESTUD_{kommune:03d}_{dato:%Y%m%d}_{loebenummer:06d}.txt",
                                     modpart="MODTAGER"))
IND = exchange.registrer(exchange.Art("TESTIND", "Testfil ind", "ind",
                                      "AFS_TESTIND_{kommune:03d}_{dato:%Y%m%d}_{loebenummer:06d}.txt", modpart="AFS"))


def lav_fil(kommune, tekster, nr=1, now=dt.datetime(2026, 12, 7, 8, 0), antal=None):
    lines = [f.START.write({"kommunekode": kommune, "dato": now.date(), "tid": f"{now:%H%M%S}", "loebenummer": nr,
                            "afsender": "KY"})]
    lines += [TEST_DETALJE.write({"kommunekode": kommune, "tekst": t}) for t in tekster]
    lines.append(f.SLUT.write({"kommunekode": kommune, "antal": len(tekster) if antal is None else antal, "sum_oere": 0}))
    return encode_file(lines)


def valider(name, data, kode):
    from integrations.fixedwidth import LayoutFejl

    recs = read_file(data, LAYOUTS)
    if recs[-1][1]["antal"] != len(recs) - 2:
        raise LayoutFejl("slutposten passer ikke", linje=recs[-1][0], felt="antal")
    return [r["tekst"] for _, r in recs[1:-1]]


def meta(name, sender="AFS", recipients=("KY",)):
    rec = "".join(f"<Recipient>{r}</Recipient>" for r in recipients)
    return (f'<ns2:Trigger xmlns:ns2="{NS}"><FileDescriptor><FileName>{name}</FileName><Sender>{sender}</Sender>'
            f"<Recipients>{rec}</Recipients><FileTransferUUID>x</FileTransferUUID></FileDescriptor></ns2:Trigger>").encode()


def put_in(root, name, data, **kw):
    (root / "IN" / name).write_bytes(data)
    (root / "IN" / f"{name}.metadata").write_bytes(meta(name, **kw))


def receipt(fil, status, reason="fejl"):
    return (f'<ns2:Receipt xmlns:ns2="{NS}"><FileName>{fil.filnavn}</FileName>'
            f"<SendersFileId>{fil.senders_file_id}</SendersFileId><Status>{status}</Status>"
            f"<Reason>{reason}</Reason></ns2:Receipt>").encode()


@pytest.fixture
def root(settings, tmp_path):
    settings.KY_SFTP_URL = ""
    settings.KY_DATA_DIR = tmp_path
    from integrations import sftp

    sftp.transport()  # makes OUT/, IN/, IN/behandlet/, IN/fejlet/
    return tmp_path / "sftp"
