"""Backup and restore of the SQLite store: ``vraagbaak backup FILE`` and ``vraagbaak restore FILE``.

Backup: SQLite's online backup API copies the database from a read transaction on a connection of its own. The
store runs in WAL mode, where a reader never holds a writer up: the bot goes on answering while the copy is made,
and the copy is the database as it was when the copy began (every transaction committed by then, none after).
The copy is made in one step: a copy made in steps starts again whenever another connection writes between two
steps, so under a steady stream of questions it might never finish. It is written beside FILE, set to a
rollback journal (one self-contained file, nothing beside it), checked with ``PRAGMA integrity_check`` and only
then renamed to FILE.

Restore: FILE is checked (a SQLite database, a Vraagbaak one, not from a newer release, passing
``integrity_check``) and copied beside the database; the database is put aside whole as ``.before-restore``
(its WAL checkpointed into it first, or kept beside it when that fails), stale ``-wal`` and ``-shm`` files are
removed (a WAL left beside the restored file would be replayed onto it), and the copy is renamed into place.

A restore is refused while any process has the database open. Every connection to a WAL database holds a
shared POSIX lock on the "dead man's switch" byte of its ``-shm`` file (byte 128; SQLite's unix VFS, documented
in walformat.html) for as long as it is open, and the kernel drops the lock when the process ends, however it
ends (kill -9 included). So a lock there means a live process: ``holder`` asks the kernel who holds it. Unlike a
heartbeat row this needs no clock and no change to the serving processes, and it also sees a console chat or a
``sqlite3`` shell. It cannot see connections of the restoring process itself (POSIX locks are per process): the
command line opens no connection before it looks.
"""

from __future__ import annotations

import errno
import os
import sqlite3
import sys
from collections.abc import Iterator
from contextlib import closing, contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from knowledge.sqlite.schema import MIGRATIONS

# What every Vraagbaak database has had since its first version (the audit log: a table, now a view of its tables).
TABLES = ("articles", "people", "questions", "escalations", "audit")
DMS_BYTE = 128  # the -shm byte every connection to a WAL database holds a shared lock on (os_unix.c: UNIX_SHM_DMS)
BUSY_MS = 15000
MAX_PROBLEMS = 3  # integrity_check lines shown


class BackupProblem(Exception):
    """An expected failure, with the key of its message (``cli_backup_<key>``) and the values it names."""

    def __init__(self, key: str, **values: Any) -> None:
        self.key, self.values = key, values
        super().__init__(key, values)


@dataclass(frozen=True)
class Copy:
    """A checked database file: where it is, its size in bytes, its schema version and what it holds."""

    path: Path
    size: int
    version: int
    articles: int
    questions: int


@dataclass(frozen=True)
class Restored:
    copy: Copy  # the database as restored
    source: Path
    aside: Path | None  # where the replaced database was put (None: there was none)


def backup(db_path: str | Path, target: Path, *, replace: bool = False) -> Copy:
    """Copy the live database ``db_path`` to ``target`` while it is in use; the checked copy."""
    source = Path(db_path)
    if not source.is_file():
        raise BackupProblem("no_database", path=source)
    if target.is_dir():
        raise BackupProblem("is_folder", path=target)
    if target.exists():
        if target.samefile(source):
            raise BackupProblem("same_file", path=target)
        if not replace:
            raise BackupProblem("exists", path=target)
    if not target.parent.is_dir():
        raise FileNotFoundError(errno.ENOENT, "no such folder", str(target.parent))
    partial = target.with_name(target.name + ".partial")
    _remove(partial)
    try:
        _copy(source, partial, target)
        _sync(partial)
        copy = _inspect_copy(partial, source)
        os.replace(partial, target)
    finally:
        _remove(partial)
    _sync(target.parent)
    return Copy(target, copy.size, copy.version, copy.articles, copy.questions)


def restore(db_path: str | Path, source: Path) -> Restored:
    """Put the backup ``source`` in place of the database ``db_path``, which no process may have open; the one
    it replaces is kept as ``<db>.before-restore`` (or ``.before-restore-2``, ... when that name is taken)."""
    live = Path(db_path)
    if not source.is_file():
        raise FileNotFoundError(errno.ENOENT, "no such file", str(source))
    if live.exists() and source.samefile(live):
        raise BackupProblem("same_file", path=source)
    _refuse_in_use(live)
    inspect(source)  # says what is wrong with it before anything is written
    incoming = live.with_name(live.name + ".restoring")
    _remove(incoming)
    try:
        _copy(source, incoming, live)
        _sync(incoming)
        copy = _inspect_copy(incoming, source)
        _refuse_in_use(live)  # again, just before the swap: the checks above may have taken a while
        aside = _put_aside(live) if live.exists() else None
        try:
            for stale in _beside(live):  # a WAL left here would be replayed onto the restored file
                _remove(stale)
            os.replace(incoming, live)
        except BaseException:
            if aside is not None and not live.exists():  # the database back where it was
                os.replace(aside, live)
            raise
    finally:
        _remove(incoming)
    _sync(live.parent)
    return Restored(Copy(live, copy.size, copy.version, copy.articles, copy.questions), source, aside)


def inspect(path: Path) -> Copy:
    """``path`` checked: a SQLite database with Vraagbaak's tables, of a schema this release knows, passing
    ``PRAGMA integrity_check``; BackupProblem saying what is wrong."""
    with closing(sqlite3.connect(path, timeout=BUSY_MS / 1000)) as conn:
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")}
        except sqlite3.DatabaseError:
            raise BackupProblem("not_sqlite", path=path) from None
        missing = [t for t in TABLES if t not in tables]
        if missing or version < 1:
            raise BackupProblem("not_vraagbaak", path=path, missing=", ".join(missing) or "user_version")
        if version > len(MIGRATIONS):
            raise BackupProblem("newer", path=path, found=version, known=len(MIGRATIONS))
        try:
            found = [r[0] for r in conn.execute("PRAGMA integrity_check")]
        except sqlite3.DatabaseError as error:
            found = [str(error)]
        if found != ["ok"]:
            raise BackupProblem("damaged", path=path, problem="; ".join(found[:MAX_PROBLEMS]))
        articles = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        questions = conn.execute("SELECT count(*) FROM questions").fetchone()[0]
    return Copy(path, path.stat().st_size, version, articles, questions)


def holder(db_path: str | Path) -> int | None:
    """Whether another process has the database open: its process id (0 when the platform does not say which),
    or None when none has. Only WAL databases (the store always is one) can be seen."""
    shm = Path(f"{db_path}-shm")
    if not shm.exists():
        return None  # no process has had it open in WAL mode since it was last closed cleanly
    try:
        import fcntl
    except ImportError:  # Windows: the rename itself fails on a file another process has open
        return None
    with _opened(shm, os.O_RDONLY if _linux64() else os.O_RDWR) as fd:
        if _linux64():
            import struct

            # struct flock on 64-bit Linux: l_type, l_whence, l_start, l_len, l_pid (natively aligned)
            asked = struct.pack("@hhqqi", fcntl.F_WRLCK, os.SEEK_SET, DMS_BYTE, 1, 0)
            kind, _, _, _, pid = struct.unpack("@hhqqi", fcntl.fcntl(fd, fcntl.F_GETLK, asked))
            return None if kind == fcntl.F_UNLCK else max(pid, 0)
        try:  # elsewhere: try the exclusive lock a last connection would take, and let go at once
            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB, 1, DMS_BYTE)
        except OSError:
            return 0
        fcntl.lockf(fd, fcntl.LOCK_UN, 1, DMS_BYTE)
        return None


def command_of(pid: int) -> str:
    """The command line of process ``pid`` ("" when it cannot be read)."""
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return ""
    shown = " ".join(raw.decode("utf-8", "replace").replace("\0", " ").split())  # one line, however it was typed
    return shown if len(shown) <= 100 else shown[:99] + "…"


def _refuse_in_use(live: Path) -> None:
    pid = holder(live)
    if pid is not None:
        if pid:
            raise BackupProblem("in_use_by", path=live, pid=pid, command=command_of(pid) or "?")
        raise BackupProblem("in_use", path=live)


def _linux64() -> bool:
    return sys.platform.startswith("linux") and sys.maxsize > 2**32


@contextmanager
def _opened(path: Path, flags: int) -> Iterator[int]:
    fd = os.open(path, flags)
    try:
        yield fd
    finally:
        os.close(fd)


def _copy(source: Path, target: Path, named: Path) -> None:
    """``source`` (through its WAL) into a new file ``target``: one consistent snapshot, a self-contained file.
    A failure (a full disk, a folder that cannot be written) is a BackupProblem naming ``named``."""
    try:
        with closing(sqlite3.connect(source, timeout=BUSY_MS / 1000)) as src, \
                closing(sqlite3.connect(target)) as dst:
            src.backup(dst)  # pages=-1: all in one step, from one read transaction
            dst.execute("PRAGMA journal_mode = DELETE")
    except sqlite3.Error as error:
        raise BackupProblem("failed", path=named, reason=str(error)) from None


def _inspect_copy(copy: Path, source: Path) -> Copy:
    """``inspect`` of a copy just made; what is wrong with it is wrong with ``source``, and said of it."""
    try:
        return inspect(copy)
    except BackupProblem as problem:
        raise BackupProblem(problem.key, **{**problem.values, "path": source}) from None


def _put_aside(live: Path) -> Path:
    """Move the database (nobody has it open) to a free ``.before-restore`` name, whole: its WAL checkpointed into
    it and the file set to a rollback journal; when that fails (a damaged file), its WAL moves along with it."""
    aside = live.with_name(live.name + ".before-restore")
    n = 1
    while aside.exists() or Path(f"{aside}-wal").exists():
        n += 1
        aside = live.with_name(f"{live.name}.before-restore-{n}")
    try:
        with closing(sqlite3.connect(live, timeout=BUSY_MS / 1000)) as conn:
            if conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]:
                raise BackupProblem("in_use", path=live)  # a connection opened meanwhile is reading or writing
            conn.execute("PRAGMA journal_mode = DELETE")
    except sqlite3.Error as error:
        if getattr(error, "sqlite_errorname", "") in ("SQLITE_BUSY", "SQLITE_LOCKED"):
            raise BackupProblem("in_use", path=live) from None
        # damaged: it goes aside as it is, its WAL with it
    os.replace(live, aside)
    wal = Path(f"{live}-wal")
    if wal.exists() and wal.stat().st_size:
        os.replace(wal, f"{aside}-wal")
    return aside


def _beside(live: Path) -> list[Path]:
    return [Path(f"{live}{suffix}") for suffix in ("-wal", "-shm", "-journal")]


def _remove(path: Path) -> None:
    with suppress(FileNotFoundError):
        path.unlink()


def _sync(path: Path) -> None:
    """Make ``path`` (a file, or a folder's entries after a rename) durable."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:  # a folder cannot be opened on Windows
        return
    try:
        with suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)

