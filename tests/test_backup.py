"""`vraagbaak backup` and `vraagbaak restore`: an online copy taken while questions are written holds every row
committed before it and passes integrity_check; a restore puts it back whole (the replaced file and its WAL kept
aside), and is refused while a serving process has the database open, or when the file is no Vraagbaak database."""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest

from bot import bootstrap
from bot.parser import main
from knowledge.model import Place, User
from knowledge.sqlite import backup
from knowledge.sqlite.store import SqliteStore
from tests.conftest import LOOP_SETTINGS
from tests.slack.driver import SlackSide, dm
from tests.slack.fake_slack import FakeSlack

ROOT = Path(__file__).resolve().parents[1]
SECRET = "8f742231b10e8888abcd99yyyzzz85a5"


def ask(store: SqliteStore, n: int) -> int:
    """Record question ``n`` as the bot does; its id."""
    return store.add_question(User(f"U{n}", "agent"), "console", Place("D1"), f"vraag {n}", "nl", "escalate",
                              None, []).id


def question_ids(path: Path) -> list[int]:
    with closing(sqlite3.connect(path)) as db:
        return [r[0] for r in db.execute("SELECT id FROM questions ORDER BY id")]


def integrity(path: Path) -> list[str]:
    with closing(sqlite3.connect(path)) as db:
        return [r[0] for r in db.execute("PRAGMA integrity_check")]


@pytest.fixture
def demo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A demo database in VRAAGBAAK_DB (closed)."""
    path = tmp_path / "vraagbaak.db"
    monkeypatch.setenv("VRAAGBAAK_DB", str(path))
    monkeypatch.setenv("VRAAGBAAK_LANG", "nl")
    store = SqliteStore(str(path))
    bootstrap.load_demo(store)
    store.close()
    return path


class Writer:
    """A thread that records questions one transaction at a time, on a connection of its own, as the bot does
    while it serves; ``committed`` holds each id once its commit returned, ``longest`` the slowest commit."""

    def __init__(self, path: Path) -> None:
        self.store = SqliteStore(str(path))
        self.committed: list[int] = []
        self.longest = 0.0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def run(self) -> None:
        n = 0
        while not self.stop.is_set():
            started = time.monotonic()
            self.committed.append(ask(self.store, n))
            self.longest = max(self.longest, time.monotonic() - started)
            n += 1

    def __enter__(self) -> Writer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join(10)
        self.store.close()

    def wait_for(self, count: int) -> None:
        deadline = time.monotonic() + 10
        while len(self.committed) < count and time.monotonic() < deadline:
            time.sleep(0.005)
        assert len(self.committed) >= count


def test_a_backup_taken_while_questions_are_written_holds_every_committed_row(demo: Path, tmp_path: Path) -> None:
    during = 0
    with Writer(demo) as writer:
        writer.wait_for(20)
        for n in range(5):
            before = len(writer.committed)
            committed = set(writer.committed)  # every id committed before the backup began
            copy = backup.backup(demo, tmp_path / f"copy-{n}.db")
            assert integrity(copy.path) == ["ok"]
            ids = question_ids(copy.path)
            assert committed <= set(ids)  # nothing committed before it is missing
            assert ids == list(range(1, len(ids) + 1))  # and it is one moment: no gap, no half transaction
            assert set(ids) <= set(writer.committed)  # nothing that was not committed
            assert copy.questions == len(ids) and copy.articles == 72
            during += len(writer.committed) - before
        assert during > 0  # questions were committed while the copies were made (and checked)
        writer.wait_for(len(writer.committed) + 20)  # the writer went on: it was never stopped by a backup
    assert writer.longest < 2.0, f"a commit waited {writer.longest:.2f} s"
    assert len(question_ids(demo)) == len(writer.committed) > len(question_ids(tmp_path / "copy-4.db"))


def test_a_backup_holds_nothing_of_a_transaction_still_open_and_does_not_wait_for_it(demo: Path,
                                                                                      tmp_path: Path) -> None:
    store = SqliteStore(str(demo))
    ask(store, 1)
    with store.transaction():  # the write lock is held, and two questions are not committed yet
        ask(store, 2)
        ask(store, 3)
        started = time.monotonic()
        copy = backup.backup(demo, tmp_path / "copy.db")
        took = time.monotonic() - started
    store.close()
    assert took < 2.0  # not held up by the writer (WAL: a reader never waits for a writer)
    assert question_ids(copy.path) == [1] and question_ids(demo) == [1, 2, 3]


def test_the_backup_command_says_what_it_wrote_and_refuses_to_overwrite(demo: Path, tmp_path: Path,
                                                                        capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "vraagbaak-2026-01-31.db"
    assert main(["backup", str(target)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"Reservekopie geschreven: {target} (") and "72 artikelen, 0 vragen" in out
    assert "integrity_check: ok" in out
    assert {p.name for p in tmp_path.iterdir()} >= {target.name}
    assert not list(tmp_path.glob("*.partial")) and not Path(f"{target}-wal").exists()
    with open(target, "rb") as f:
        assert f.read(20)[18:20] == b"\x01\x01"  # a rollback journal: one self-contained file, nothing beside it
    assert main(["backup", str(target)]) == 2
    assert "bestaat al" in capsys.readouterr().err
    assert main(["backup", str(target), "--replace"]) == 0
    assert main(["backup", str(demo), "--replace"]) == 2  # never the database itself
    err = capsys.readouterr().err
    assert "is de database zelf" in err and err.count("\n") == 1


def test_a_backup_of_a_database_that_is_not_there_creates_none(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("VRAAGBAAK_DB", str(tmp_path / "missing.db"))
    monkeypatch.setenv("VRAAGBAAK_LANG", "en")
    assert main(["backup", str(tmp_path / "copy.db")]) == 2
    assert capsys.readouterr().err == f"vraagbaak: There is no database at {tmp_path / 'missing.db'} (VRAAGBAAK_DB): " \
                                      "there is nothing to back up.\n"
    assert list(tmp_path.iterdir()) == []


def test_restore_puts_a_backup_back_and_keeps_the_replaced_file(demo: Path, tmp_path: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    store = SqliteStore(str(demo))
    for n in range(3):
        ask(store, n)
    store.audit("test", "before_backup")
    saved = tmp_path / "saved.db"
    assert main(["backup", str(saved)]) == 0
    for n in range(3, 10):  # what happens after the backup: lost by a restore, kept in .before-restore
        ask(store, n)
    store.close()
    capsys.readouterr()

    assert main(["restore", str(saved)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith(f"Teruggezet: {demo} is nu de reservekopie {saved} (") and "3 vragen" in out[0]
    assert out[1] == f"Het vervangen bestand staat in {demo}.before-restore."
    assert question_ids(demo) == [1, 2, 3] and integrity(demo) == ["ok"]
    assert question_ids(Path(f"{demo}.before-restore")) == list(range(1, 11))
    assert not Path(f"{demo}.restoring").exists()
    restored = SqliteStore(str(demo))
    assert restored.verify_audit().intact and restored.count("articles") == 72
    ask(restored, 99)  # it is a working store again
    restored.close()

    assert main(["restore", str(saved)]) == 0  # a second restore keeps the first one's file too
    assert capsys.readouterr().out.splitlines()[1] == f"Het vervangen bestand staat in {demo}.before-restore-2."
    assert question_ids(Path(f"{demo}.before-restore")) == list(range(1, 11))
    assert question_ids(Path(f"{demo}.before-restore-2")) == [1, 2, 3, 4]


@pytest.mark.process
def test_restore_keeps_what_the_wal_of_a_killed_process_held_and_does_not_replay_it(demo: Path, tmp_path: Path,
                                                                                    ) -> None:
    saved = tmp_path / "saved.db"
    backup.backup(demo, saved)
    # A process commits questions and dies without closing: they are only in the WAL.
    subprocess.run([sys.executable, "-c", "import os, sys\n"
                    "from knowledge.sqlite.store import SqliteStore\nfrom tests.test_backup import ask\n"
                    "s = SqliteStore(sys.argv[1])\ns.db.execute('PRAGMA wal_autocheckpoint = 0')\n"
                    "[ask(s, n) for n in range(5)]\nos._exit(0)", str(demo)], cwd=ROOT, check=True, timeout=60)
    assert Path(f"{demo}-wal").stat().st_size > 0
    done = backup.restore(demo, saved)
    assert done.aside == Path(f"{demo}.before-restore")
    assert question_ids(done.aside) == [1, 2, 3, 4, 5]  # the WAL's commits went into the kept file
    assert not Path(f"{done.aside}-wal").exists()  # checkpointed into it: one file
    assert question_ids(demo) == [] and integrity(demo) == ["ok"]  # the old WAL was not replayed onto it
    assert not Path(f"{demo}-wal").exists() and not Path(f"{demo}-shm").exists()


@pytest.mark.parametrize(("content", "said"), [
    (b"Dit is geen database.\n", "is geen SQLite-database"),
    (b"", "is een SQLite-database, maar niet van Vraagbaak"),
    ("other", "is een SQLite-database, maar niet van Vraagbaak (ontbreekt: articles, people, questions"),
    ("newer", "komt van een nieuwere Vraagbaak"),
    ("damaged", "is beschadigd; PRAGMA integrity_check meldt:"),
])
def test_restore_refuses_a_file_that_is_not_a_sound_vraagbaak_database(
        content: bytes | str, said: str, demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    wrong = tmp_path / "wrong.db"
    if isinstance(content, bytes):
        wrong.write_bytes(content)
    elif content == "other":
        with closing(sqlite3.connect(wrong)) as db:
            db.execute("CREATE TABLE notes (x)")
    else:
        backup.backup(demo, wrong)
        with closing(sqlite3.connect(wrong)) as db:
            if content == "newer":
                db.execute("PRAGMA user_version = 999")
            else:
                root, size = db.execute("SELECT rootpage, (SELECT page_size FROM pragma_page_size)"
                                        " FROM sqlite_master WHERE name = 'people'").fetchone()
        if content == "damaged":  # the people table's first page made nonsense
            with open(wrong, "r+b") as f:
                f.seek((root - 1) * size + 8)
                f.write(b"\xff" * 64)
    kept = demo.read_bytes()
    assert main(["restore", str(wrong)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"vraagbaak: {wrong} {said}") and err.count("\n") == 1, err
    assert demo.read_bytes() == kept
    assert sorted(p.name for p in tmp_path.iterdir()) == ["vraagbaak.db", "wrong.db"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def serving(demo: Path, tmp_path: Path) -> Iterator[tuple[subprocess.Popen[bytes], SlackSide, FakeSlack]]:
    """`vraagbaak serve slack --http` on the demo database, against a fake Slack; ready once it holds the database
    and listens."""
    fake = FakeSlack().start()
    port = free_port()
    env = {**os.environ, "VRAAGBAAK_DB": str(demo), "SLACK_BOT_TOKEN": "xoxb-test-token",
           "SLACK_SIGNING_SECRET": SECRET, "SLACK_APP_TOKEN": "", "SLACK_API_URL": fake.url,
           "VRAAGBAAK_ESCALATION_CHANNEL": "kcc-experts", "VRAAGBAAK_ENV_FILE": "/nonexistent",
           **{f"VRAAGBAAK_{k.upper()}": v for k, v in LOOP_SETTINGS.items()}}
    log = open(tmp_path / "serve.log", "ab")  # noqa: SIM115 (closed below; the child writes to it meanwhile)
    process = subprocess.Popen([sys.executable, "-m", "bot", "serve", "slack", "--http", "--port", str(port)],
                               cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log)
    try:
        deadline = time.monotonic() + 30
        while backup.holder(demo) != process.pid or not listening(port):
            assert process.poll() is None and time.monotonic() < deadline, (tmp_path / "serve.log").read_text()
            time.sleep(0.1)
        yield process, SlackSide(f"http://127.0.0.1:{port}/slack/events", SECRET), fake
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(10)
        log.close()
        fake.stop()


def listening(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def cli(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "bot", *argv], cwd=ROOT, capture_output=True, text=True, timeout=60)


@pytest.mark.process
def test_a_backup_during_a_running_chat_and_a_restore_refused_until_serve_stops(
        serving: tuple[subprocess.Popen[bytes], SlackSide, FakeSlack], demo: Path, tmp_path: Path) -> None:
    process, slack, fake = serving
    saved = tmp_path / "during-chat.db"
    asking = threading.Thread(target=lambda: [slack.event(dm(f"hoe vraag ik een paspoort aan? ({n})",
                                                             user=f"U0AGENT{n}", channel=f"D0AGENT{n}"))
                                              for n in range(12)])
    asking.start()
    fake.wait_for("chat.postMessage", count=2, timeout=20)  # the bot is answering
    done = cli("backup", str(saved))
    asking.join(60)
    deadline = time.monotonic() + 30
    while len(question_ids(demo)) < 12:  # every question handled and stored
        assert time.monotonic() < deadline
        time.sleep(0.1)
    assert done.returncode == 0 and "integrity_check: ok" in done.stdout, done.stderr
    assert integrity(saved) == ["ok"] and len(question_ids(saved)) >= 1

    kept = demo.read_bytes()
    refused = cli("restore", str(saved))
    assert refused.returncode == 2 and "Traceback" not in refused.stderr
    assert refused.stderr.count("\n") == 1 and f"is in gebruik door proces {process.pid}" in refused.stderr
    assert "serve slack" in refused.stderr and f"kill {process.pid}" in refused.stderr
    assert demo.read_bytes() == kept and not Path(f"{demo}.before-restore").exists()

    process.send_signal(signal.SIGTERM)
    process.wait(20)
    restored = cli("restore", str(saved))
    assert restored.returncode == 0, restored.stderr
    assert question_ids(demo) == question_ids(saved) and integrity(demo) == ["ok"]
    assert len(question_ids(Path(f"{demo}.before-restore"))) == 12


@pytest.mark.process
def test_nobody_holds_a_database_that_was_closed_or_whose_process_was_killed(demo: Path) -> None:
    assert backup.holder(demo) is None
    child = subprocess.Popen([sys.executable, "-c", "import sys, time\nfrom knowledge.sqlite.store import SqliteStore\n"
                              "s = SqliteStore(sys.argv[1]); s.count('articles'); print('open', flush=True)\n"
                              "time.sleep(60)", str(demo)], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None and child.stdout.readline() == "open\n"
        assert backup.holder(demo) == child.pid
        assert "knowledge.sqlite" in backup.command_of(child.pid)
    finally:
        child.kill()
        child.wait(10)
    assert Path(f"{demo}-shm").exists() and backup.holder(demo) is None  # kill -9: the kernel let go of its lock


def test_restore_replaces_a_database_that_is_no_longer_readable(demo: Path, tmp_path: Path) -> None:
    saved = tmp_path / "saved.db"
    backup.backup(demo, saved)
    demo.write_bytes(b"\x00" * 4096 + b"what a failing disk left")
    done = backup.restore(demo, saved)
    assert done.aside is not None and done.aside.read_bytes().endswith(b"what a failing disk left")
    assert integrity(demo) == ["ok"] and done.copy.articles == 72
