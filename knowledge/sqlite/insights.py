"""SqliteStore's SQL for the owners' reports: analytics, knowledge gaps, statistics, experts, the directory."""

from __future__ import annotations


class InsightQueries:
    pass
