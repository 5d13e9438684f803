"""`vraagbaak serve teams` listens on this machine only unless `--host` says otherwise, like `serve web` and
`serve slack --http` (see tests/slack/test_serve_host.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.slack.test_kill import free_port
from tests.slack.test_serve_host import every_interface
from tests.teams.fakes import FakeMicrosoft
from tests.teams.test_kill import serve, teams_db


@pytest.mark.process
def test_serve_teams_listens_on_this_machine_by_default(ms: FakeMicrosoft, tmp_path: Path) -> None:
    port = free_port()
    process = serve(ms, teams_db(tmp_path), port)
    try:
        assert not every_interface(port)
    finally:
        process.terminate()
        process.wait(timeout=10)
