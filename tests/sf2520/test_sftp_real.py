"""Against a REAL SFTP server on loopback (asyncssh in a background thread): upload + trigger,
an upload cut off half-way records nothing and the next run succeeds, host-key mismatch refused."""

import asyncio
import datetime as dt
import threading
from decimal import Decimal

import asyncssh
import paramiko
import pytest

from batch.services import run_job
from integrations import sftp
from integrations.sf2520.models import Betalingsadministrationsaftale, SendtFil
from tests.factories import BevillingFactory


class Server:
    def __init__(self, root):
        self.root = root
        self.cut = False
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.host_key = asyncssh.generate_private_key("ssh-ed25519")
        self.client_key = asyncssh.generate_private_key("ssh-ed25519")
        self.port = 0
        self.start()

    def start(self):
        server = self

        class Sftp(asyncssh.SFTPServer):
            def write(self, file_obj, offset, data):
                if server.cut:  # the server goes away half-way through the data file
                    super().write(file_obj, offset, data[: len(data) // 2])
                    server.cut = False
                    server.listener.close()
                    self.connection.abort()
                    return None
                return super().write(file_obj, offset, data)

        async def listen():
            return await asyncssh.listen(
                "127.0.0.1", self.port, server_host_keys=[self.host_key],
                authorized_client_keys=asyncssh.import_authorized_keys(
                    self.client_key.export_public_key().decode()),
                sftp_factory=Sftp)

        self.listener = asyncio.run_coroutine_threadsafe(listen(), self.loop).result(10)
        self.port = self.listener.sockets[0].getsockname()[1]

    def stop(self):
        self.listener.close()
        self.loop.call_soon_threadsafe(self.loop.stop)


@pytest.fixture
def server(tmp_path, settings):
    s = Server(tmp_path / "remote")
    (tmp_path / "remote").mkdir()
    key = tmp_path / "id_ed25519"
    key.write_bytes(s.client_key.export_private_key("openssh"))
    kh = tmp_path / "known_hosts"
    kh.write_text(f"[127.0.0.1]:{s.port} {s.host_key.export_public_key().decode()}")
    settings.KY_SFTP_URL = f"sftp://ky@127.0.0.1:{s.port}{tmp_path / 'remote'}"
    settings.KY_SFTP_KEY = str(key)
    settings.KY_SFTP_KNOWN_HOSTS = str(kh)
    yield s
    s.stop()


@pytest.mark.django_db
def test_upload_cut_half_way_then_next_run(server, tmp_path):
    b = BevillingFactory(bevilget_fra=dt.date(2026, 1, 1), maanedligt_beloeb=Decimal("10000.00"))
    Betalingsadministrationsaftale.objects.create(aftale_id="A1", kommune_id=101, cpr=b.person.cpr,
                                                  maanedligt_beloeb=Decimal("1500.00"), gyldig_fra=dt.date(2026, 1, 1))
    d = dt.date(2026, 3, 2)
    run_job("dan-effektueringskladder", kommune=101, as_of=d)
    run_job("endeligjoer-effektueringer", kommune=101, as_of=d)
    server.cut = True
    k = run_job("sf2520-send-fub-modregninger", kommune=101, as_of=d)
    assert k.status == "failed"
    # journalled before the upload, but nothing recorded as sent and no file in OUT/
    assert not SendtFil.objects.filter(status__in=("sendt", "kvitteret")).exists()
    assert SendtFil.objects.get().status == "sender"
    out = tmp_path / "remote" / "OUT"
    assert [p.name for p in out.iterdir() if not p.name.startswith(".")] == []
    server.start()  # back again on the same port
    k = run_job("sf2520-send-fub-modregninger", kommune=101, as_of=d)
    assert k.status == "succeeded", k.besked
    fil = SendtFil.objects.get()
    assert fil.loebenummer == 1 and fil.status == "sendt"
    assert (out / fil.filnavn).stat().st_size == 3 * 122 and (out / f"{fil.filnavn}.trigger").exists()
    assert bytes(fil.indhold) == (out / fil.filnavn).read_bytes()


def test_host_key_mismatch_refused(server, tmp_path, settings):
    other = asyncssh.generate_private_key("ssh-ed25519").export_public_key().decode()
    (tmp_path / "known_hosts").write_text(f"[127.0.0.1]:{server.port} {other}")
    with pytest.raises(paramiko.BadHostKeyException):
        sftp.transport()
    (tmp_path / "known_hosts").write_text("")
    with pytest.raises(paramiko.SSHException):
        sftp.transport()


# ---------------------------------------------------------------- exactly once when the database fails
def _kill_db_after(match):
    """A transport around the real SFTP one that, right after uploading a file whose name
    satisfies ``match``, terminates this process's PostgreSQL backend (as a crashed or
    restarted database would): the next statement and the commit fail."""
    import psycopg
    from django.db import connection

    real = sftp.transport

    class Wrapper:
        def __init__(self):
            self.t = real()

        def __getattr__(self, name):
            return getattr(self.t, name)

        def put(self, path, data):
            self.t.put(path, data)
            if match(path) and connection.connection is not None:
                pid = connection.connection.info.backend_pid
                params = connection.get_connection_params()
                params.pop("cursor_factory", None)
                params.pop("context", None)
                params.pop("prepare_threshold", None)
                with psycopg.connect(**params, autocommit=True) as other:
                    other.execute("SELECT pg_terminate_backend(%s)", [pid])

    return Wrapper


def _modregning(d):
    b = BevillingFactory(bevilget_fra=dt.date(2026, 1, 1), maanedligt_beloeb=Decimal("10000.00"))
    Betalingsadministrationsaftale.objects.create(aftale_id="A1", kommune_id=101, cpr=b.person.cpr,
                                                  maanedligt_beloeb=Decimal("1500.00"), gyldig_fra=dt.date(2026, 1, 1))
    assert run_job("dan-effektueringskladder", kommune=101, as_of=d).status == "succeeded"
    assert run_job("endeligjoer-effektueringer", kommune=101, as_of=d).status == "succeeded"


def _out(tmp_path):
    return sorted(p.name for p in (tmp_path / "remote" / "OUT").iterdir() if not p.name.startswith("."))


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("platform_took_it", [False, True])
def test_db_fails_after_trigger_uploaded_then_next_run(server, tmp_path, monkeypatch, platform_took_it):
    """The trigger is up (the file is delivered) but the commit of 'sendt' fails. The next run
    finds the trigger — or, if the platform already took the files, neither file — and records
    the file as sent: no second file, no second løbenummer, the modregning in one file only."""
    from integrations.sf2520.models import Modregning

    d = dt.date(2026, 3, 2)
    _modregning(d)
    monkeypatch.setattr(sftp, "transport", _kill_db_after(lambda p: p.endswith(".trigger")))
    k = run_job("sf2520-send-fub-modregninger", kommune=101, as_of=d)
    assert k.status == "failed" and "terminat" in k.besked, k.besked  # the database went away
    fil = SendtFil.objects.get()
    assert fil.status == "uploadet" and fil.sendt is None
    assert _out(tmp_path) == [fil.filnavn, f"{fil.filnavn}.trigger"]
    trigger = (tmp_path / "remote" / "OUT" / f"{fil.filnavn}.trigger").read_bytes()
    assert str(fil.senders_file_id).encode() in trigger
    if platform_took_it:
        for name in _out(tmp_path):
            (tmp_path / "remote" / "OUT" / name).unlink()
    monkeypatch.undo()
    k = run_job("sf2520-send-fub-modregninger", kommune=101, as_of=d)
    assert k.status == "succeeded", k.besked
    assert "tidligere kørsel" in k.log and k.counts["created"] == 0
    fil = SendtFil.objects.get()
    assert fil.status == "sendt" and fil.loebenummer == 1 and fil.sendt is not None
    assert _out(tmp_path) == ([] if platform_took_it else [fil.filnavn, f"{fil.filnavn}.trigger"])
    if not platform_took_it:  # the trigger was not uploaded again
        assert (tmp_path / "remote" / "OUT" / f"{fil.filnavn}.trigger").read_bytes() == trigger
    m = Modregning.objects.get()
    assert m.sendt_fil == fil and m.filer.count() == 1
    assert run_job("sf2520-send-fub-modregninger", kommune=101, as_of=d).counts["created"] == 0
    assert SendtFil.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_db_fails_after_data_file_renamed_then_next_run(server, tmp_path, monkeypatch):
    """The data file is up under its name but 'uploadet' was never committed, so no trigger went
    up. The next run uploads only the trigger, for the same file and løbenummer."""
    d = dt.date(2026, 3, 2)
    _modregning(d)
    monkeypatch.setattr(sftp, "transport", _kill_db_after(lambda p: p.endswith(".txt")))
    assert run_job("sf2520-send-fub-modregninger", kommune=101, as_of=d).status == "failed"
    fil = SendtFil.objects.get()
    assert fil.status == "sender" and _out(tmp_path) == [fil.filnavn]
    monkeypatch.undo()
    k = run_job("sf2520-send-fub-modregninger", kommune=101, as_of=d)
    assert k.status == "succeeded", k.besked
    fil.refresh_from_db()
    assert fil.status == "sendt" and _out(tmp_path) == [fil.filnavn, f"{fil.filnavn}.trigger"]
    assert (tmp_path / "remote" / "OUT" / fil.filnavn).read_bytes() == bytes(fil.indhold)
    assert SendtFil.objects.count() == 1


@pytest.mark.django_db
def test_whole_chain_over_sftp(server, tmp_path):
    """The six jobs in order against the real SFTP server: request up, answer read and moved to
    IN/behandlet/, drafts, finalisation, SF2520 file up with its trigger, receipt read and deleted."""
    from integrations.fixedwidth import read_file
    from integrations.sf2520 import formats as f
    from integrations.sf2520.models import Modregning
    from tests.sf2520.test_send import receipt
    from tests.sf2520.test_sftp_local import meta
    from tests.sf2520.test_svar import answer

    remote = tmp_path / "remote"
    b = BevillingFactory(bevilget_fra=dt.date(2026, 1, 1), maanedligt_beloeb=Decimal("10000.00"))
    k = run_job("send-forespoergsel-til-betalingsadministration", kommune=101, as_of=dt.date(2026, 2, 20))
    assert k.status == "succeeded", k.besked
    req = SendtFil.objects.get(art="SF2530_FORESP")
    recs = read_file((remote / "OUT" / req.filnavn).read_bytes(), f.SF2530_FORESP_LAYOUTS)
    assert [r["cpr"] for _, r in recs[1:-1]] == [b.person.cpr] and (remote / "OUT" / f"{req.filnavn}.trigger").exists()
    name = "UDK_SF2530_SVAR_101_20260221_000001.txt"
    (remote / "IN" / name).write_bytes(answer([f.SF2530_AFTALE.write({
        "kommunekode": 101, "cpr": b.person.cpr, "aftale_id": "UDK-1", "beloeb_oere": 123456,
        "gyldig_fra": dt.date(2026, 1, 1), "gyldig_til": None, "status": "A"})]))
    (remote / "IN" / f"{name}.metadata").write_bytes(meta(name))
    k = run_job("modtag-svar-fra-betalingsadministration", kommune=101, as_of=dt.date(2026, 2, 21))
    assert k.status == "succeeded", k.besked
    assert Betalingsadministrationsaftale.objects.get().maanedligt_beloeb == Decimal("1234.56")
    assert (remote / "IN" / "behandlet" / name).exists() and (remote / "IN" / "behandlet" / f"{name}.metadata").exists()
    assert not (remote / "IN" / name).exists()
    d = dt.date(2026, 3, 2)
    for job in ("dan-effektueringskladder", "endeligjoer-effektueringer", "sf2520-send-fub-modregninger"):
        k = run_job(job, kommune=101, as_of=d)
        assert k.status == "succeeded", (job, k.besked)
    fil = SendtFil.objects.get(art="SF2520")
    assert (remote / "OUT" / fil.filnavn).read_bytes() == bytes(fil.indhold) and fil.sum_beloeb == Decimal("1234.56")
    (remote / "IN" / f"{fil.filnavn}.sftpreceipt").write_bytes(receipt(fil, "ACCEPTERET"))
    k = run_job("sftp-technical-receipt-batch-job", kommune=101, as_of=d)
    assert k.status == "succeeded", k.besked
    fil.refresh_from_db()
    assert fil.status == "kvitteret" and not (remote / "IN" / f"{fil.filnavn}.sftpreceipt").exists()
    assert Modregning.objects.get().sendt_fil == fil


def test_wrong_client_key_refused(server, tmp_path, settings):
    key = tmp_path / "other_key"
    key.write_bytes(asyncssh.generate_private_key("ssh-ed25519").export_private_key("openssh"))
    settings.KY_SFTP_KEY = str(key)
    with pytest.raises(paramiko.AuthenticationException):
        sftp.transport()
