"""Importers: every supported format, bad rows named by file and line, nothing half-imported."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.parser import main
from handlers.messages import TEXTS
from knowledge.importers import read_articles, read_people, read_routes
from knowledge.rows import REASONS, ImportProblem
from knowledge.sqlite.store import SqliteStore


def test_jsonl_in_the_eval_format(tmp_path: Path) -> None:
    path = tmp_path / "kb.jsonl"
    path.write_text(json.dumps({"id": "a", "title": "T", "body": "B", "keywords": ["k"], "questions": ["q?"],
                                "lang": "en"}) + "\n\n")
    [article] = read_articles(path)
    assert (article.id, article.lang, article.keywords, article.questions) == ("a", "en", ("k",), ("q?",))


def test_csv_with_header_and_semicolon_lists(tmp_path: Path) -> None:
    path = tmp_path / "kb.csv"
    path.write_text('id,title,body,keywords,questions,owner\nw1,WOZ bezwaar,"Binnen 6 weken, schriftelijk.",'
                    'woz;bezwaar,Hoe maak ik bezwaar?;WOZ te hoog,Joyce\n', encoding="utf-8")
    [article] = read_articles(path)
    assert article.body == "Binnen 6 weken, schriftelijk." and article.keywords == ("woz", "bezwaar")
    assert article.questions == ("Hoe maak ik bezwaar?", "WOZ te hoog") and article.owner == "Joyce"


def test_markdown_folder_with_front_matter(tmp_path: Path) -> None:
    (tmp_path / "kb").mkdir()
    (tmp_path / "kb" / "grofvuil.md").write_text(
        "---\ntitle: Grofvuil ophalen\nkeywords: [grofvuil, bank]\nowner: Yvonne\nurl: https://x.nl/g\n"
        "questions:\n  - Wanneer halen jullie mijn bank op?\n  - grof vuil aanmelden\n---\n\n"
        "# Grofvuil\n\nBel 14 020.\n")
    [article] = read_articles(tmp_path / "kb")
    assert article.id == "grofvuil" and article.keywords == ("grofvuil", "bank")
    assert article.questions == ("Wanneer halen jullie mijn bank op?", "grof vuil aanmelden")
    assert article.body.endswith("Bel 14 020.") and article.url == "https://x.nl/g"


def test_bad_rows_are_named_by_file_and_line_and_nothing_is_returned(tmp_path: Path) -> None:
    path = tmp_path / "kb.jsonl"
    path.write_text("\n".join([
        json.dumps({"id": "ok", "title": "Goed"}),
        "{not json",
        json.dumps({"id": "x"}),
        json.dumps({"id": "y", "title": "Y", "status": "maybe"}),
        json.dumps(["a list"]),
    ]))
    with pytest.raises(ImportProblem) as caught:
        read_articles(path)
    problems = caught.value.problems
    assert [p.split(": ")[0] for p in problems] == [f"{path}:{n}" for n in (2, 3, 4, 5)]
    assert "title" in problems[1] and "status" in problems[2]


def test_people_from_csv_and_json(tmp_path: Path) -> None:
    csv_path = tmp_path / "p.csv"
    csv_path.write_text("id,name,title,department,expertise,email,phone,slack_id,teams_id\n"
                        "p1,Anna,Adviseur,WMO,wmo;hulpmiddelen,a@x.nl,,U1,\n")
    json_path = tmp_path / "p.json"
    json_path.write_text(json.dumps({"people": [{"id": "p2", "name": "Bram", "expertise": ["afval"]}]}))
    assert read_people(csv_path)[0].expertise == ("wmo", "hulpmiddelen")
    assert read_people(json_path)[0].name == "Bram"
    bad = tmp_path / "bad.csv"
    bad.write_text("id,name\np1,\n")
    with pytest.raises(ImportProblem, match=r"bad.csv:2: missing 'name'"):
        read_people(bad)


def test_routes_need_keyword_and_channel(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text("keyword,channel\nwoz,kcc-belastingen\nafval,\n")
    with pytest.raises(ImportProblem, match="r.csv:3"):
        read_routes(path)


def test_cli_import_reports_bad_rows_and_imports_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "v.db"
    monkeypatch.setenv("VRAAGBAAK_DB", str(db))
    path = tmp_path / "kb.jsonl"
    path.write_text(json.dumps({"id": "a", "title": "A"}) + "\n" + json.dumps({"title": "zonder id"}) + "\n")
    assert main(["import", "kb", str(path)]) == 2
    assert f"{path}:2: 'id' ontbreekt" in capsys.readouterr().err  # one language: the reasons in Dutch too
    assert SqliteStore(str(db)).count("articles") == 0
    path.write_text(json.dumps({"id": "a", "title": "A"}) + "\n")
    assert main(["import", "kb", str(path)]) == 0
    assert main(["import", "kb", str(path)]) == 0
    assert SqliteStore(str(db)).count("articles") == 1


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "v.db"
    monkeypatch.setenv("VRAAGBAAK_DB", str(path))
    monkeypatch.delenv("VRAAGBAAK_LANG", raising=False)
    return path


def test_every_reason_is_in_the_catalogue_in_both_languages() -> None:
    import string
    for key, english in REASONS.items():
        texts = TEXTS[f"imp_{key}"]
        assert texts["en"] == english
        names = {n for _, n, _, _ in string.Formatter().parse(english) if n}
        assert {n for _, n, _, _ in string.Formatter().parse(texts["nl"]) if n} == names


def test_a_windows_1252_csv_from_excel_imports(tmp_path: Path, db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "excel.csv"
    path.write_bytes(('id;title;body;keywords\n'
                      'c1;Café-vergunning;Aanvragen bij de gemeente – binnen 8 weken;"café;terras"\n').encode("cp1252"))
    assert main(["import", "kb", str(path)]) == 0
    [article] = SqliteStore(str(db)).articles(["c1"])
    assert article.title == "Café-vergunning" and "–" in article.body and article.keywords == ("café", "terras")


def test_bytes_neither_utf8_nor_cp1252_name_the_file_and_line(tmp_path: Path, db: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(b"id,title\nc1,ok\nc2,\x81\xe9\n")
    assert main(["import", "kb", str(path)]) == 2
    assert f"{path}:3: geen UTF-8 of Windows-1252 (byte 0x81); sla het bestand op als UTF-8" in capsys.readouterr().err


@pytest.mark.parametrize("what", ["kb", "people", "routes"])
def test_a_missing_file_is_one_line_naming_it(what: str, tmp_path: Path, db: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import", what, str(tmp_path / "nergens.csv")]) == 2
    err = capsys.readouterr().err
    assert err == f"vraagbaak: {tmp_path / 'nergens.csv'}: bestand of map bestaat niet\n"


def test_routes_without_a_header_import_nothing(tmp_path: Path, db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "routes.csv"
    path.write_text("paspoort,kcc-burgerzaken\nafval,kcc-afval\n")
    assert main(["import", "routes", str(path)]) == 2
    assert f"{path}:1: de eerste regel moet de kopregel keyword,channel zijn" in capsys.readouterr().err
    assert SqliteStore(str(db)).routes() == []


def test_duplicate_ids_and_bad_values_are_reported_and_nothing_is_imported(
        tmp_path: Path, db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "kb.jsonl"
    path.write_text("\n".join(json.dumps(row) for row in [
        {"id": "a", "title": "A"},
        {"id": "a", "title": "A again"},
        {"id": "b", "title": "B", "review_date": "morgen"},
        {"id": "c", "title": "C", "keywords": "paspoort, reisdocument"},
    ]) + "\n")
    assert main(["import", "kb", str(path)]) == 2
    err = capsys.readouterr().err
    assert f"{path}:2: id 'a' staat ook op regel 1" in err
    assert f"{path}:3: 'review_date' moet een datum zijn zoals 2027-06-01, niet 'morgen'" in err
    assert f"{path}:4: 'keywords' moet een lijst zijn" in err
    people = tmp_path / "people.csv"
    people.write_text("id,name,email\np1,Anna,anna@gemeente.nl\np2,Bram,bram-at-gemeente\n")
    assert main(["import", "people", str(people)]) == 2
    assert f"{people}:3: 'bram-at-gemeente' is geen e-mailadres" in capsys.readouterr().err
    store = SqliteStore(str(db))
    assert store.count("articles") == 0 and store.count("people") == 0


def test_import_problems_follow_the_configured_language(tmp_path: Path, db: Path, monkeypatch: pytest.MonkeyPatch,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("VRAAGBAAK_LANG", "en")
    path = tmp_path / "kb.jsonl"
    path.write_text(json.dumps({"title": "no id"}) + "\n")
    assert main(["import", "kb", str(path)]) == 2
    err = capsys.readouterr().err
    assert "Import stopped" in err and f"{path}:1: missing 'id'" in err and "ontbreekt" not in err


def test_a_bad_query_set_names_file_and_line(tmp_path: Path, db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    kb = tmp_path / "kb.jsonl"
    kb.write_text(json.dumps({"id": "a", "title": "Paspoort aanvragen"}) + "\n")
    queries = tmp_path / "q.jsonl"
    queries.write_text(json.dumps({"text": "paspoort", "expected": "a"}) + "\n" + json.dumps(["x"]) + "\n")
    assert main(["eval", str(kb), str(queries)]) == 2
    assert f'{queries}:2: hier hoort een JSON-object met "text" en "expected"' in capsys.readouterr().err
    assert main(["eval", str(kb), str(tmp_path / "geen.jsonl")]) == 2
    assert "geen.jsonl: bestand of map bestaat niet" in capsys.readouterr().err


# --- files that broke the importer or went in wrong (issue 24 item 11) -------------------------------------
GOOD = json.dumps({"id": "ok", "title": "Goed"})
DEEP = "[" * 100_000 + "]" * 100_000
BROKEN = [  # name, file name, content, line, what the message says
    ("deep-jsonl", "kb.jsonl", f'{GOOD}\n{{"id": "b", "title": "B", "x": {DEEP}}}\n', 2, "te diep genest"),
    ("deep-json", "kb.json", f'[{GOOD},\n{{"id": "b", "title": "B", "x": {DEEP}}}]\n', 2, "te diep genest"),
    ("long-number", "kb.jsonl", f'{GOOD}\n{{"id": "b", "title": "B", "n": {"1" * 5000}}}\n', 2,
     "een getal met meer dan 4300 cijfers"),
    ("long-field", "kb.csv", f'id,title,body\nok,Goed,x\nb,B,"{"x" * 200_000}"\n', 3,
     "een veld is langer dan 131072 tekens"),
    ("unclosed-quote", "kb.csv", 'id,title\nok,Goed\nq1,"unterminated\nq2,t2\n', 3,
     "een aanhalingsteken dat hier opent, sluit nergens"),
    ("text-after-quote", "kb.csv", 'id,title\nok,Goed\nq1,"half" open\n', 3,
     "tekst direct na een sluitend aanhalingsteken"),
    ("nul-csv", "kb.csv", "id,title\nok,Goed\nq1,ti\x00tel\n", 3, "'title' bevat een stuurteken (U+0000)"),
    ("nul-jsonl", "kb.jsonl", f'{GOOD}\n{{"id": "q1", "title": "ti\\u0000tel"}}\n', 2,
     "'title' bevat een stuurteken (U+0000)"),
    ("nul-in-list", "kb.jsonl", f'{GOOD}\n{{"id": "q1", "title": "T", "keywords": ["a\\u0001"]}}\n', 2,
     "'keywords' bevat een stuurteken (U+0001)"),
    ("nul-markdown", "kb.md", "---\ntitle: Goed\n---\nTekst met \x00 erin\n", 1, "'body' bevat een stuurteken"),
]


@pytest.mark.parametrize(("name", "content", "line", "says"), [(f, c, n, s) for _, f, c, n, s in BROKEN],
                         ids=[b[0] for b in BROKEN])
def test_a_broken_file_is_named_by_line_and_imports_nothing(
        tmp_path: Path, db: Path, capsys: pytest.CaptureFixture[str], name: str, content: str, line: int,
        says: str) -> None:
    """Before: a RecursionError or _csv.Error traceback, q2 swallowed into q1's title, a NUL stored."""
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    assert main(["import", "kb", str(path)]) == 2
    err = capsys.readouterr().err
    assert f"{path}:{line}: {says}" in err, err[:500]
    assert "Traceback" not in err and len(err) < 2000
    assert SqliteStore(str(db)).count("articles") == 0


def test_channel_settings_say_which_field_is_wrong(tmp_path: Path, db: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "channels_bad.jsonl"
    path.write_text("\n".join(json.dumps(row) for row in [
        {"channel": "kcc-experts", "target_minutes": 30},
        {"channel": "kcc-afval", "target_minutes": "straks"},
        {"channel": "kcc-belastingen", "target_minutes": -5},
        {"channel": "kcc-wonen", "target_minutes": True},
        {"target_minutes": 5},
    ]) + "\n")
    assert main(["import", "channels", str(path)]) == 2
    err = capsys.readouterr().err
    assert f"{path}:2: 'target_minutes' moet een getal boven 0 zijn (of leeg), niet 'straks'" in err
    assert f"{path}:3: 'target_minutes' moet een getal boven 0 zijn (of leeg), niet '-5'" in err
    assert f"{path}:4: 'target_minutes' moet een getal boven 0 zijn (of leeg), niet 'True'" in err
    assert f"{path}:5: 'channel' ontbreekt" in err
    assert "hier hoort een 'channel'" not in err and f"{path}:1" not in err
