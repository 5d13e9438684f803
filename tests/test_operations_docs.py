"""docs/operations.md and docs/grafana-dashboard.json name the metrics the bot exposes, and every one of them."""

from __future__ import annotations

import json
import re
from pathlib import Path

from prometheus_client.parser import text_string_to_metric_families

from bot.metrics import Monitor
from knowledge.sqlite import SqliteStore
from tests.scrape import samples

DOCS = Path(__file__).resolve().parents[1] / "docs"
NAME = re.compile(r"\bvraagbaak_[a-z_]+\b")


def exposition(tmp_path: Path) -> str:
    store = SqliteStore(str(tmp_path / "m.db"))
    monitor = Monitor(store, "web")
    text = monitor.exposition().decode()
    store.close()
    return text


def exposed(tmp_path: Path) -> set[str]:
    """Every series name of /metrics (histograms as _bucket, _count and _sum), and each histogram's own name."""
    text = exposition(tmp_path)
    histograms = {f.name for f in text_string_to_metric_families(text) if f.type == "histogram"}
    return {key.split("{")[0] for key in samples(text)} | histograms


def test_the_operations_page_documents_every_metric_and_no_other(tmp_path: Path) -> None:
    families = {f.name + ("_total" if f.type == "counter" else "")
                for f in text_string_to_metric_families(exposition(tmp_path)) if f.name.startswith("vraagbaak_")}
    page = (DOCS / "operations.md").read_text(encoding="utf-8")
    documented = {row.split("`")[1] for row in page.splitlines() if row.startswith("| `vraagbaak_")}
    assert documented == families
    mentioned = set(NAME.findall(page))
    assert mentioned <= exposed(tmp_path), mentioned - exposed(tmp_path)


def test_the_dashboard_queries_only_metrics_the_bot_exposes(tmp_path: Path) -> None:
    names = exposed(tmp_path)
    dashboard = json.loads((DOCS / "grafana-dashboard.json").read_text(encoding="utf-8"))
    queries = [t["expr"] for p in dashboard["panels"] for t in p["targets"]]
    used = {n for q in queries for n in NAME.findall(q)}
    assert queries and used <= names, used - names
    assert {"vraagbaak_questions_total", "vraagbaak_escalations_open", "vraagbaak_first_reply_seconds_bucket",
            "vraagbaak_answer_marked_seconds_bucket", "vraagbaak_inbox_backlog", "vraagbaak_outbox_backlog",
            "vraagbaak_inbox_oldest_seconds", "vraagbaak_outbox_oldest_seconds",
            "vraagbaak_delivery_failures_total", "vraagbaak_search_seconds_bucket"} <= used
