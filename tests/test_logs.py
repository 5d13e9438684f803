"""VRAAGBAAK_LOG_FORMAT=json: one JSON object a line (time, level, logger, message, exc), masked like text lines."""

from __future__ import annotations

import io
import json
import logging

from bot import logs

BSN = "Mijn BSN is 111222333, bel 06-12345678"


def test_json_lines_are_masked_and_carry_the_traceback() -> None:
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.addFilter(logs.PrivateRecords())
    handler.setFormatter(logs.JsonLines())
    log = logging.getLogger("vraagbaak.test.json")
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    log.propagate = False
    try:
        log.info("asked: %s", BSN)
        try:
            raise ValueError(f"could not parse {BSN}\nsecond line")
        except ValueError:
            log.exception("failed for %s", "agent1")
    finally:
        log.removeHandler(handler)
    first, second = (json.loads(line) for line in buffer.getvalue().splitlines())
    assert set(first) == {"time", "level", "logger", "message"} and first["time"].endswith("+00:00")
    assert (first["level"], first["logger"]) == ("INFO", "vraagbaak.test.json")
    assert first["message"].startswith("asked: Mijn BSN is [BSN]") and "111222333" not in first["message"]
    assert (second["level"], second["message"]) == ("ERROR", "failed for agent1")
    assert second["exc"].startswith("Traceback") and "ValueError: could not parse" in second["exc"]
    assert "111222333" not in second["exc"] and "second line" in second["exc"]


def test_setup_switches_the_format_and_back() -> None:
    handler = logging.StreamHandler(io.StringIO())
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        logs.setup(style="json")
        assert isinstance(handler.formatter, logs.JsonLines)
        logs.setup(style="text")
        assert handler.formatter is not None and not isinstance(handler.formatter, logs.JsonLines)
    finally:
        root.removeHandler(handler)
        for h in root.handlers:  # leave pytest's handlers as they were
            h.filters = [f for f in h.filters if not isinstance(f, logs.PrivateRecords)]
            if isinstance(h.formatter, logs.JsonLines):
                h.setFormatter(logging.Formatter())
