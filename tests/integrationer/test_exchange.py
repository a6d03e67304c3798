"""The exchange layer (integrations.exchange) over the local transport: journal before upload,
resume in every state, receipts, send-igen, inbound whole-file validation and moves."""

import datetime as dt

import pytest

from integrations import exchange, sftp
from integrations.models import Fil, Loebenummer
from tests.integrationer.helpers import IND, UD, lav_fil, put_in, receipt, root, valider  # noqa: F401

pytestmark = pytest.mark.django_db
D = dt.date(2026, 12, 7)


def _send(kommune=101, tekster=("a", "b"), t=None):
    t = t or sftp.transport()
    return exchange.send(UD, kommune, dato=D, transport=t, byg=lambda: exchange.Udfil(
        indhold=lambda nr, now: lav_fil(kommune, tekster, nr, now), antal=len(tekster)))


def _out(root):
    return sorted(p.name for p in (root / "OUT").iterdir() if not p.name.startswith("."))


def test_send_journal_name_trigger_and_loebenummer_per_kommune_and_art(root):
    f1, f2, f3 = _send(), _send(), _send(kommune=751)
    assert [f.filnavn for f in (f1, f2, f3)] == ["KY_TESTUD_101_20261207_000001.txt", "KY_TESTUD_101_20261207_000002.txt",
                                                 "KY_TESTUD_751_20261207_000001.txt"]
    assert all(f.status == "sendt" and f.retning == "ud" and f.antal == 2 and f.sendt for f in (f1, f2, f3))
    assert (root / "OUT" / f1.filnavn).read_bytes() == bytes(Fil.objects.get(pk=f1.pk).indhold)
    assert (root / "OUT" / f1.filnavn).read_bytes()[19:25] == b"000001"  # the start record carries the løbenummer
    trigger = (root / "OUT" / f"{f1.filnavn}.trigger").read_text()
    assert "<Recipient>MODTAGER</Recipient>" in trigger and str(f1.senders_file_id) in trigger
    assert Loebenummer.objects.get(kommune_id=101, art="TESTUD").sidste == 2
    assert _send(tekster=()) is not None  # an empty file is the caller's choice; nothing to send is byg() -> None
    assert exchange.send(UD, 101, dato=D, transport=sftp.transport(), byg=lambda: None) is None


@pytest.mark.parametrize("status, remote, expect_out", [
    ("sender", [], ["data", "trigger"]),            # nothing delivered: upload the same bytes
    ("sender", ["data"], ["data", "trigger"]),      # the rename happened: go on with the trigger
    ("uploadet", ["data"], ["data", "trigger"]),    # upload the trigger
    ("uploadet", ["data", "trigger"], ["data", "trigger"]),  # only the last commit was lost
    ("uploadet", [], []),                           # the platform has taken both
])
def test_next_run_finishes_a_file_left_in_flight(root, status, remote, expect_out):
    from django.db import transaction

    with transaction.atomic():
        fil = exchange.journaliser(UD, 101, dato=D, indhold=lambda nr, now: lav_fil(101, ["x"], nr, now), antal=1)
    Fil.objects.filter(pk=fil.pk).update(status=status)
    t = sftp.transport()
    if "data" in remote:
        t.put(f"OUT/{fil.filnavn}", bytes(fil.indhold))
    if "trigger" in remote:
        t.put(f"OUT/{fil.filnavn}.trigger", b"<trigger/>")
    ny = _send(tekster=["y"])  # the next run finishes the old file first, then sends its own
    fil.refresh_from_db()
    assert fil.status == "sendt" and ny.loebenummer == 2
    names = {"data": fil.filnavn, "trigger": f"{fil.filnavn}.trigger"}
    assert _out(root) == sorted([names[k] for k in expect_out] + [ny.filnavn, f"{ny.filnavn}.trigger"])
    if "trigger" in remote:  # not uploaded again
        assert (root / "OUT" / f"{fil.filnavn}.trigger").read_bytes() == b"<trigger/>"


def test_receipts_and_send_igen(root):
    fil = _send()
    other = _send(kommune=751)
    (root / "IN" / f"{fil.filnavn}.sftpreceipt").write_bytes(receipt(fil, "AFVIST", "forkert format"))
    (root / "IN" / "KY_TESTUD_101_20261207_000009.txt.sftpreceipt").write_bytes(
        receipt(fil, "ACCEPTERET").replace(fil.filnavn.encode(), b"KY_TESTUD_101_20261207_000009.txt"))
    lines = []
    assert exchange.behandl_kvitteringer(101, sftp.transport(), lines.append) == (0, 1)
    fil.refresh_from_db()
    assert fil.status == "fejlet" and fil.fejl == "forkert format" and fil.kvitteret
    assert not (root / "IN" / f"{fil.filnavn}.sftpreceipt").exists()
    assert (root / "IN" / "KY_TESTUD_101_20261207_000009.txt.sftpreceipt").exists()  # not ours: left alone
    assert any("KY har ikke sendt" in x for x in lines)
    # send-igen: same records, new løbenummer and name, the start record rewritten
    ny = exchange.send_igen(fil, sftp.transport())
    assert ny.loebenummer == 2 and ny.erstatter_id == fil.pk and ny.status == "sendt"
    old, new = bytes(fil.indhold), (root / "OUT" / ny.filnavn).read_bytes()
    assert new[19:25] == b"000002" and new[122:] == old[122:]
    with pytest.raises(exchange.Afvisning, match="allerede sendt igen"):
        exchange.send_igen(fil, sftp.transport())
    with pytest.raises(exchange.Afvisning, match="kun fejlede"):
        exchange.send_igen(other, sftp.transport())  # still may arrive: never twice
    (root / "IN" / f"{ny.filnavn}.sftpreceipt").write_bytes(receipt(ny, "ACCEPTERET"))
    assert exchange.behandl_kvitteringer(None, sftp.transport(), lines.append) == (1, 0)
    ny.refresh_from_db()
    assert ny.status == "kvitteret"


def test_receipt_dry_run_changes_nothing(root):
    fil = _send()
    (root / "IN" / f"{fil.filnavn}.sftpreceipt").write_bytes(receipt(fil, "ACCEPTERET"))
    assert exchange.behandl_kvitteringer(101, sftp.transport(), print, dry_run=True) == (1, 0)
    fil.refresh_from_db()
    assert fil.status == "sendt" and (root / "IN" / f"{fil.filnavn}.sftpreceipt").exists()


def _gem(store):
    def gem(name, kode, tekster):
        store.extend(tekster)
        Fil.objects.filter(art="TESTUD").update(fejl="gemt")  # a database write the dry run must roll back
        return {"antal": len(tekster)}
    return gem


def test_inbound_validated_whole_then_stored_and_moved(root):
    ok, bad = "AFS_TESTIND_101_20261207_000001.txt", "AFS_TESTIND_101_20261207_000002.txt"
    put_in(root, ok, lav_fil(101, ["a", "b"]))
    put_in(root, bad, lav_fil(101, ["a"], antal=5))
    put_in(root, "AFS_TESTIND_101_20261207_000003.txt", lav_fil(101, ["c"]), sender="ANDEN")
    (root / "IN" / "AFS_TESTIND_101_20261207_000004.txt").write_bytes(lav_fil(101, ["d"]))  # no metadata
    store, lines = [], []
    with pytest.raises(exchange.AfvistFil, match=f"{bad}, linje 3, felt antal"):
        exchange.modtag(IND, sftp.transport(), lines.append, kommune_id=101, valider=valider, gem=_gem(store))
    assert store == [] and (root / "IN" / "fejlet" / bad).exists() and (root / "IN" / "fejlet" / f"{bad}.metadata").exists()
    assert (root / "IN" / ok).exists()  # the good file waits for the next run
    assert Fil.objects.get(retning="ind").status == "fejlet" and "linje 3" in Fil.objects.get(retning="ind").fejl
    assert any("uventet afsender" in x for x in lines) and any("ingen .metadata" in x for x in lines)
    res = exchange.modtag(IND, sftp.transport(), lines.append, kommune_id=101, valider=valider, gem=_gem(store))
    assert [(m.filnavn, m.antal) for m in res] == [(ok, 2)] and store == ["a", "b"]
    assert (root / "IN" / "behandlet" / ok).exists() and not (root / "IN" / ok).exists()
    assert Fil.objects.get(retning="ind", status="behandlet").antal == 2


def test_inbound_dry_run_stores_and_moves_nothing(root):
    from django.db import transaction

    ok = "AFS_TESTIND_101_20261207_000001.txt"
    put_in(root, ok, lav_fil(101, ["a"]))
    _send()
    with transaction.atomic():
        res = exchange.modtag(IND, sftp.transport(), print, kommune_id=101, dry_run=True, valider=valider,
                              gem=_gem([]))
    assert [m.antal for m in res] == [1] and (root / "IN" / ok).exists()
    assert not Fil.objects.filter(retning="ind").exists() and not Fil.objects.filter(fejl="gemt").exists()


def test_inbound_kommunekode_in_name_checked(root):
    put_in(root, "AFS_TESTIND_999_20261207_000001.txt", lav_fil(999, ["a"]))
    with pytest.raises(exchange.AfvistFil, match="kommunekode 999 er ingen kommune"):
        exchange.modtag(IND, sftp.transport(), print, valider=valider, gem=_gem([]))
    assert Fil.objects.get(retning="ind").kommune_id is None
