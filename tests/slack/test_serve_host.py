"""`vraagbaak serve slack --http` listens on this machine only unless `--host` says otherwise, like `serve web`
and `serve teams` (tests/teams/test_serve_host.py): a real process each, checked by binding the same port on
another loopback address, which fails while the port is taken on every interface (nothing is sent there)."""

from __future__ import annotations

import socket

import pytest

from bot.config import Settings
from tests.slack import test_kill as slack_kill
from tests.slack.fake_slack import FakeSlack


def every_interface(port: int) -> bool:
    """Whether ``port`` is taken on every interface (0.0.0.0) rather than on 127.0.0.1 alone."""
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.2", port))
        except OSError:
            return True
    return False


@pytest.mark.parametrize(("extra", "everywhere"), [((), False), (("--host", "0.0.0.0"), True)],
                         ids=["default", "every-interface"])
@pytest.mark.process
def test_serve_slack_http_listens_where_host_says(fake: FakeSlack, settings: Settings, extra: tuple[str, ...],
                                                  everywhere: bool) -> None:
    port = slack_kill.free_port()
    process = slack_kill.serve(settings, port, "", *extra)
    try:
        assert every_interface(port) is everywhere
    finally:
        process.terminate()
        process.wait(timeout=10)
