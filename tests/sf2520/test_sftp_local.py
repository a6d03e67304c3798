"""Local-folder transport: atomic upload + trigger, metadata checks, receipt parser (sf2520.md)."""

import xml.etree.ElementTree as ET

import pytest

from integrations import sftp

NS = sftp.NS


def meta(name, sender="UDK", recipients=("KY",)):
    rec = "".join(f"<Recipient>{r}</Recipient>" for r in recipients)
    return (f'<ns2:Trigger xmlns:ns2="{NS}"><FileDescriptor><FileName>{name}</FileName><SizeInBytes>1</SizeInBytes>'
            f"<Sender>{sender}</Sender><SendersFileId>x</SendersFileId><Recipients>{rec}</Recipients>"
            f"<FileTransferUUID>u</FileTransferUUID></FileDescriptor><FileContentDescriptor/></ns2:Trigger>").encode()


@pytest.fixture
def local(tmp_path, settings):
    settings.KY_SFTP_URL = ""
    settings.KY_DATA_DIR = tmp_path
    return sftp.transport()


def test_send_file_writes_data_then_trigger(local, tmp_path):
    fid = sftp.send_file(local, "KY_SF2520_101_20260302_000001.txt", b"abc\r\n")
    out = tmp_path / "sftp" / "OUT"
    assert sorted(p.name for p in out.iterdir()) == ["KY_SF2520_101_20260302_000001.txt",
                                                     "KY_SF2520_101_20260302_000001.txt.trigger"]
    root = ET.fromstring((out / "KY_SF2520_101_20260302_000001.txt.trigger").read_bytes())
    assert root.tag == f"{{{NS}}}Trigger"
    fd = root.find("FileDescriptor")
    assert fd.findtext("FileName") == "KY_SF2520_101_20260302_000001.txt"
    assert fd.findtext("SizeInBytes") == "5" and fd.findtext("Sender") == "KY"
    assert fd.findtext("SendersFileId") == fid and len(fid) == 36
    assert [r.text for r in fd.find("Recipients")] == ["UDK"]
    assert root.find("FileContentDescriptor") is not None and len(root.find("FileContentDescriptor")) == 0


def test_incoming_requires_expected_sender_and_ky_recipient(local, tmp_path):
    inn = tmp_path / "sftp" / "IN"
    for name, m in [("UDK_SF2530_SVAR_101_a.txt", meta("a")), ("UDK_SF2530_SVAR_101_b.txt", meta("b", sender="X")),
                    ("UDK_SF2530_SVAR_101_c.txt", meta("c", recipients=("ANDEN",))), ("UDK_SF2530_SVAR_101_d.txt", None)]:
        (inn / name).write_bytes(b"x")
        if m:
            (inn / f"{name}.metadata").write_bytes(m)
    got = dict(sftp.incoming(local, "UDK_SF2530_SVAR_101_"))
    assert got["UDK_SF2530_SVAR_101_a.txt"] is None
    assert "afsender" in got["UDK_SF2530_SVAR_101_b.txt"]
    assert "modtagerne" in got["UDK_SF2530_SVAR_101_c.txt"]
    assert "metadata" in got["UDK_SF2530_SVAR_101_d.txt"]
    sftp.move_in(local, "UDK_SF2530_SVAR_101_a.txt", "behandlet")
    assert (inn / "behandlet" / "UDK_SF2530_SVAR_101_a.txt.metadata").exists()
    assert not (inn / "UDK_SF2530_SVAR_101_a.txt").exists()


def test_receipt_parser():
    k = sftp.parse_receipt(f'<ns2:Receipt xmlns:ns2="{NS}"><FileName>f.txt</FileName><SendersFileId>id</SendersFileId>'
                           f"<Status>AFVIST</Status><Reason>forkert</Reason></ns2:Receipt>".encode())
    assert (k.filnavn, k.senders_file_id, k.status, k.aarsag) == ("f.txt", "id", "AFVIST", "forkert")
    with pytest.raises(ValueError):
        sftp.parse_receipt(f'<ns2:Receipt xmlns:ns2="{NS}"><Status>MAASKE</Status></ns2:Receipt>'.encode())
