"""SqliteStore's SQL for web sign-in links and flows, the console's messages, and calibration kept in meta."""

from __future__ import annotations


class AccessRecords:
    pass
