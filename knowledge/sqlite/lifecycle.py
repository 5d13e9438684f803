"""SqliteStore's SQL for retention, forgetting a person, export, and the demo history's time stamps."""

from __future__ import annotations


class LifecycleRecords:
    pass
