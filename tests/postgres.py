"""A throwaway PostgreSQL cluster for the tests: Debian's postgresql-15 binaries, a cluster in a temporary
folder, listening on a Unix socket only (no TCP), on a free port number, stopped and removed afterwards.

Root cannot run the server, so as root the cluster belongs to the ``postgres`` user (as pytest-postgresql does).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

BIN_DIRS = sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)  # the newest first


def bin_dir() -> Path | None:
    """The folder with initdb and pg_ctl (Debian keeps them off PATH), or None when PostgreSQL is missing."""
    found = os.environ.get("VRAAGBAAK_PG_BIN")
    if found:
        return Path(found)
    for folder in BIN_DIRS:
        if (folder / "initdb").exists():
            return folder
    on_path = shutil.which("initdb")
    return Path(on_path).parent if on_path else None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass(frozen=True)
class Cluster:
    folder: Path
    socket_dir: Path
    port: int
    user: str

    def url(self, database: str = "postgres") -> str:
        """A libpq URL for the Unix socket (the host is the socket folder, percent-encoded)."""
        host = str(self.socket_dir).replace("/", "%2F")
        return f"postgresql://{self.user}@{host}:{self.port}/{database}"


def _as_owner(argv: list[str], owner: str | None) -> list[str]:
    return ["runuser", "-u", owner, "--", *argv] if owner else argv


@contextmanager
def cluster(settings: str = "") -> Iterator[Cluster]:
    """Start a cluster and yield it; stopped (immediate mode) and removed on exit. ``settings``: more server
    options ('-c shared_buffers=512MB')."""
    binaries = bin_dir()
    if binaries is None:
        raise RuntimeError("PostgreSQL is not installed: apt-get install postgresql-15 (or set VRAAGBAAK_PG_BIN)")
    owner = "postgres" if os.geteuid() == 0 else None
    user = owner or os.environ.get("USER", "postgres")
    folder = Path(tempfile.mkdtemp(prefix="vraagbaak-pg-"))
    data, sockets = folder / "data", folder / "socket"
    sockets.mkdir()
    if owner:
        shutil.chown(folder, owner)
        shutil.chown(sockets, owner)
    port = free_port()
    subprocess.run(_as_owner([str(binaries / "initdb"), "-D", str(data), "-U", user, "--auth=trust", "-E", "UTF8",
                              "--locale=C.UTF-8", "--no-sync"], owner), check=True, capture_output=True)
    options = (f"-c listen_addresses='' -c unix_socket_directories='{sockets}' -p {port} -c fsync=off"
               f" -c synchronous_commit=off -c full_page_writes=off -c max_connections=200 {settings}")
    subprocess.run(_as_owner([str(binaries / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(folder / "log"),
                              "-w", "-t", "60", "start"], owner), check=True, capture_output=True)
    try:
        deadline = time.monotonic() + 30
        while not (sockets / f".s.PGSQL.{port}").exists():
            if time.monotonic() > deadline:
                raise RuntimeError(f"PostgreSQL did not open its socket: {(folder / 'log').read_text()[-2000:]}")
            time.sleep(0.05)
        yield Cluster(folder, sockets, port, user)
    finally:
        subprocess.run(_as_owner([str(binaries / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"], owner),
                       capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)
