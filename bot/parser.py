"""The argument parser of the ``vraagbaak`` command, and ``main``."""

from __future__ import annotations

import argparse
import logging
import sys

from bot import cli, config
from handlers.errors import UserError
from knowledge.importers import ImportProblem


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="vraagbaak", description="Vraagbaak: de collega die weet waar elk "
                                  "antwoord staat. Every command uses the database in VRAAGBAAK_DB.")
    top.add_argument("-v", "--verbose", action="store_true", help="log more")
    sub = top.add_subparsers(dest="command", required=True)

    p = sub.add_parser("demo", help="fill the database with demo data, then open the console chat")
    p.add_argument("--as", dest="name", default="agent", help="your name in the chat")
    p.add_argument("--no-chat", action="store_true", help="only load the demo data")
    p.set_defaults(run=cli.cmd_demo)

    p = sub.add_parser("chat", help="the console chat (reads lines from standard input)")
    p.add_argument("--as", dest="name", default="agent", help="your name")
    p.add_argument("--role", choices=["agent", "expert", "owner"], default="agent")
    p.set_defaults(run=cli.cmd_chat)

    p = sub.add_parser("ask", help="ask one question and print what the bot would answer")
    p.add_argument("text", nargs="+")
    p.add_argument("--json", action="store_true", help="decision, articles with scores and people as JSON")
    p.add_argument("--as", dest="name", default="cli")
    p.set_defaults(run=cli.cmd_ask)

    p = sub.add_parser("import", help="import knowledge, people or routing rules")
    what = p.add_subparsers(dest="what", required=True)
    kb = what.add_parser("kb", help="articles from .jsonl, .csv, .md files or folders of .md files")
    kb.add_argument("paths", nargs="+")
    people = what.add_parser("people", help="people from .csv/.json, or --from slack|graph")
    people.add_argument("paths", nargs="*")
    people.add_argument("--from", dest="source", choices=["slack", "graph"])
    routes = what.add_parser("routes", help="routing rules from a CSV with keyword,channel")
    routes.add_argument("paths", nargs=1)
    p.set_defaults(run=cli.cmd_import, source=None)

    p = sub.add_parser("review", help="the knowledge owners' review queue")
    p.add_argument("action", choices=["list", "approve", "reject", "merge", "edit"])
    p.add_argument("id", nargs="?", type=int, help="review item id")
    p.add_argument("--into", help="article id to merge into")
    p.add_argument("--title")
    p.add_argument("--body")
    p.add_argument("--note", help="reason for a rejection")
    p.add_argument("--as", dest="owner", default="owner", help="your name as owner")
    p.set_defaults(run=cli.cmd_review)

    p = sub.add_parser("synonyms", help="the synonym and abbreviation list search uses")
    p.add_argument("action", choices=["add", "list", "remove"])
    p.add_argument("term", nargs="?")
    p.add_argument("synonyms", nargs="*")
    p.set_defaults(run=cli.cmd_synonyms)

    p = sub.add_parser("eval", help="measure answer quality on a KB and a query set")
    p.add_argument("kb")
    p.add_argument("queries")
    p.add_argument("--out", help="write one JSON line per query")
    p.add_argument("--json", action="store_true")
    p.add_argument("--semantic", action="store_true",
                   help="rerank with the semantic model even when VRAAGBAAK_SEMANTIC=off (it is on by default)")
    p.set_defaults(run=cli.cmd_eval)

    p = sub.add_parser("calibrate", help="choose the answer and suggest thresholds from the knowledge base itself")
    p.set_defaults(run=cli.cmd_calibrate)

    p = sub.add_parser("embed", help="give every article a vector for the semantic rerank (VRAAGBAAK_SEMANTIC)")
    p.set_defaults(run=cli.cmd_embed)

    p = sub.add_parser("serve", help="run the bot on Slack or Teams")
    p.add_argument("platform", choices=["slack", "teams"])
    p.add_argument("--http", action="store_true", help="Slack: HTTP mode on /slack/events instead of Socket Mode")
    p.add_argument("--port", type=int)
    p.set_defaults(run=cli.cmd_serve)

    p = sub.add_parser("teams-package", help="write the Teams app package (zip) to upload")
    p.add_argument("--out", default="vraagbaak-teams.zip")
    p.set_defaults(run=cli.cmd_teams_package)

    p = sub.add_parser("config", help="list the settings, their values and defaults")
    p.set_defaults(run=cli.cmd_config)
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        if args.command == "synonyms" and args.action in ("add", "remove") and not args.term:
            raise UserError("Noem de term: vraagbaak synonyms add TERM SYNONIEM...")
        if args.command == "review" and args.action != "list" and args.id is None:
            raise UserError("Noem het nummer van het beoordelingsitem.")
        if args.command == "review" and args.action == "merge" and not args.into:
            raise UserError("Noem met --into het artikel om mee samen te voegen.")
        return args.run(args, config.load())
    except ImportProblem as problem:
        print("Import gestopt; er is niets uit dit bestand geïmporteerd:", file=sys.stderr)
        for line in problem.problems[:50]:
            print(f"  {line}", file=sys.stderr)
        if len(problem.problems) > 50:
            print(f"  ... en nog {len(problem.problems) - 50}", file=sys.stderr)
        return 2
    except (UserError, ValueError, OSError) as error:
        print(f"vraagbaak: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
