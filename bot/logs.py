"""Logging for every command: nothing a citizen said reaches a log line.

Every record is masked (knowledge.privacy) once it is formatted, and a request body is never logged: the
libraries below us write one in a few places (Bolt logs the whole body of a request whose signature fails,
at INFO), and those parts are cut before the record is written.
"""

from __future__ import annotations

import json
import logging
import re
from datetime import UTC, datetime

from knowledge.privacy import mask_text

# "body: {...}" / "body={...}" up to the end of the record: what Bolt and HTTP clients print of a payload
_BODY = re.compile(r"(?i)(\b(?:raw_)?body\s*[:=]\s*).*", re.S)
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
_FORMATTER = logging.Formatter(FORMAT)


class PrivateRecords(logging.Filter):
    """Rewrites each record's message: request bodies cut, personal data masked. Arguments are merged into the
    message first, so masking sees the text as it will be written."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a record that cannot be formatted is logged as it is; logging must not fail
            return True
        cleaned = mask_text(_BODY.sub(r"\1[niet gelogd]", message))
        if cleaned != message or record.args:
            record.msg, record.args = cleaned, None
        if record.exc_info and not record.exc_text:  # the formatter uses this text instead of formatting again
            record.exc_text = mask_text(_FORMATTER.formatException(record.exc_info))
        return True


class JsonLines(logging.Formatter):
    """One JSON object a line, for a log collector: time (UTC, ISO 8601), level, logger, message, and exc (the
    traceback) when there is one. The record was masked by PrivateRecords before it gets here."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info and not record.exc_text:
            record.exc_text = mask_text(self.formatException(record.exc_info))
        if record.exc_text:
            line["exc"] = record.exc_text
        return json.dumps(line, ensure_ascii=False)


def setup(verbose: bool = False, style: str = "text") -> None:
    """The process's logging: INFO with -v, else WARNING; every handler masks. ``style``: "text" lines, or
    "json" lines (VRAAGBAAK_LOG_FORMAT). Called again (once the settings are read), it changes the style."""
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, format=FORMAT)
    for handler in logging.getLogger().handlers:
        if not any(isinstance(f, PrivateRecords) for f in handler.filters):
            handler.addFilter(PrivateRecords())
        if style == "json":
            handler.setFormatter(JsonLines())
        elif isinstance(handler.formatter, JsonLines):
            handler.setFormatter(logging.Formatter(FORMAT))
