"""The argument parser of the ``vraagbaak`` command, and ``main``."""

from __future__ import annotations

import argparse
import sys
from importlib import metadata

from bot import bootstrap, cli, config, logs, storecopy
from handlers.errors import UserError
from handlers.messages import t
from knowledge.rows import ImportProblem
from knowledge.sqlite.backup import BackupProblem


def _version() -> str:
    try:
        return metadata.version("vraagbaak")
    except metadata.PackageNotFoundError:  # run from a checkout that was never installed
        return "unknown"


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="vraagbaak", description="Vraagbaak: the colleague who knows where every "
                                  "answer is. Every command uses the database in VRAAGBAAK_DB; results and errors "
                                  "follow VRAAGBAAK_LANG, this help is in English.")
    top.add_argument("-v", "--verbose", action="store_true", help="log more")
    top.add_argument("--version", action="version", version=f"vraagbaak {_version()}")
    sub = top.add_subparsers(dest="command", required=True)

    p = sub.add_parser("demo", help="fill the database with demo data, then open the console chat")
    p.add_argument("--as", dest="name", default="agent", help="your name in the chat")
    p.add_argument("--no-chat", action="store_true", help="only load the demo data")
    p.add_argument("--no-history", action="store_true",
                   help="without the six weeks of demo questions, escalations and answers")
    p.set_defaults(run=cli.cmd_demo)

    p = sub.add_parser("chat", help="the console chat (reads lines from standard input)")
    p.add_argument("--as", dest="name", default="agent", help="your name")
    p.add_argument("--role", choices=["agent", "expert", "owner"], default="agent")
    p.set_defaults(run=cli.cmd_chat)

    p = sub.add_parser("ask", help="what the bot would answer (a dry run: decision, scores, people)")
    p.add_argument("text", nargs="+")
    p.add_argument("--json", action="store_true", help="decision, articles with scores and people as JSON")
    p.add_argument("--escalate", action="store_true",
                   help="ask for real and put the question to the expert channel (recorded and counted)")
    p.add_argument("--as", dest="name", default="cli", help="the asker's name with --escalate")
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
    synonyms = what.add_parser("synonyms", help="synonyms from .jsonl/.csv with term and synonyms (as export writes)")
    synonyms.add_argument("paths", nargs=1)
    channels = what.add_parser("channels", help="expert channels' response targets and backups from .jsonl/.csv"
                                                " (as export writes)")
    channels.add_argument("paths", nargs=1)
    p.set_defaults(run=cli.cmd_import, source=None)

    p = sub.add_parser("export", help="write the knowledge base as Markdown and JSONL files the importers read back")
    p.add_argument("folder", metavar="DIR", help="a new or empty folder")
    p.set_defaults(run=cli.cmd_export)

    p = sub.add_parser("purge", help="remove or anonymise questions, thread texts and askers older than the "
                       "retention period (VRAAGBAAK_RETENTION_DAYS), printing the counts")
    p.add_argument("--older-than", type=cli.days, metavar="DAYS", help="e.g. 90d (default: VRAAGBAAK_RETENTION_DAYS)")
    p.add_argument("--dry-run", action="store_true", help="only count what would go; change nothing")
    p.set_defaults(run=cli.cmd_purge)

    p = sub.add_parser("forget", help="remove one person's data on request: their questions, directory entry and "
                       "chat ids; their name in answers and sources becomes 'een collega'")
    p.add_argument("person", nargs="+", metavar="PERSON", help="directory id, name or e-mail, or a chat user id")
    p.set_defaults(run=cli.cmd_forget)

    p = sub.add_parser("review", help="the knowledge owners' review queue")
    p.add_argument("action", choices=["list", "approve", "reject", "merge", "edit"])
    p.add_argument("id", nargs="?", type=int, help="review item id")
    p.add_argument("--into", help="article id to merge into")
    p.add_argument("--title")
    p.add_argument("--body")
    p.add_argument("--note", help="reason for a rejection")
    p.add_argument("--force", action="store_true", help="merge even into an article that looks unrelated")
    p.add_argument("--yes", action="store_true", help="edit: approve with the change (without it, only show it)")
    p.add_argument("--as", dest="owner", default="owner", help="your name as owner")
    p.set_defaults(run=cli.cmd_review)

    p = sub.add_parser("learned-routes", help="what routing learned from re-routes and marked answers; undo one")
    p.add_argument("action", choices=["list", "undo"])
    p.add_argument("id", nargs="?", type=int, help="undo: the learned route's id (see list)")
    p.add_argument("--as", dest="owner", default="owner", help="your name as owner")
    p.set_defaults(run=cli.cmd_learned_routes)

    p = sub.add_parser("synonyms", help="the synonym and abbreviation list search uses")
    p.add_argument("action", choices=["add", "list", "remove"],
                   help="add TERM SYNONYM...; list [TERM]; remove TERM [SYNONYM...] (all of TERM's when none named)")
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

    p = sub.add_parser("mask", help="print each line of a file (or standard input) with personal data masked")
    p.add_argument("path", nargs="?", help="a text file, one item a line (default: standard input)")
    p.add_argument("--eval", action="store_true", help="PATH is a labelled .jsonl set: print recall per kind")
    p.add_argument("--misses", action="store_true", help="with --eval: show each row that differs")
    p.set_defaults(run=cli.cmd_mask)

    p = sub.add_parser("serve", help="run the bot on Slack or Teams, or the owners' web console (web)")
    p.add_argument("platform", choices=["slack", "teams", "web"])
    p.add_argument("--http", action="store_true", help="Slack: HTTP mode on /slack/events instead of Socket Mode")
    p.add_argument("--port", type=int, help="default: 3000 (Slack), 3978 (Teams), 8080 (web)")
    p.add_argument("--host", default="127.0.0.1", help="the address to listen on (default 127.0.0.1, this machine "
                   "only, behind your HTTPS proxy or tunnel; 0.0.0.0: every interface)")
    p.set_defaults(run=cli.cmd_serve)

    p = sub.add_parser("web-login", help="print a one-time sign-in link to the web console for a knowledge owner")
    p.add_argument("name", nargs="+", metavar="NAME", help="the owner's name, e-mail address or directory id")
    p.set_defaults(run=cli.cmd_web_login)

    p = sub.add_parser("teams-package", help="write the Teams app package (zip) to upload")
    p.add_argument("--out", default="vraagbaak-teams.zip")
    p.set_defaults(run=cli.cmd_teams_package)

    p = sub.add_parser("channel", help="an expert channel's response target, backup experts and backup channel")
    p.add_argument("name", help="the channel as routing rules name it (e.g. kcc-burgerzaken)")
    p.add_argument("--target", type=float, help="minutes before the experts are reminded")
    p.add_argument("--backup-experts", help="comma-separated person ids mentioned in the reminder")
    p.add_argument("--backup-channel", help="where the question is asked again at twice the target")
    p.set_defaults(run=cli.cmd_channel)

    p = sub.add_parser("audit", help="check the audit log: 'verify' walks its hash chain")
    p.add_argument("action", choices=["verify"])
    p.set_defaults(run=cli.cmd_audit)

    p = sub.add_parser("backup", help="write a checked copy of the database (VRAAGBAAK_DB) while the bot runs")
    p.add_argument("file", metavar="FILE", help="the copy to write, e.g. /var/backups/vraagbaak-2026-01-31.db")
    p.add_argument("--replace", action="store_true", help="replace FILE when it exists (never the database itself)")
    p.set_defaults(run=cli.cmd_backup)

    p = sub.add_parser("restore", help="put a backup in place of the database (stop every vraagbaak process first);"
                       " the replaced file is kept as .before-restore")
    p.add_argument("file", metavar="FILE", help="a file `vraagbaak backup` wrote")
    p.set_defaults(run=cli.cmd_restore)

    p = sub.add_parser("copy", help="copy a whole store to another: SQLite file or PostgreSQL URL, either way")
    p.add_argument("source", metavar="FROM", help="a SQLite file or a postgresql://...[?schema=name] URL")
    p.add_argument("target", metavar="TO", help="the same kinds; must be empty (or give --replace)")
    p.add_argument("--replace", action="store_true", help="remove what TO holds first (its file or schema)")
    p.set_defaults(run=storecopy.cmd_copy)

    p = sub.add_parser("config", help="list the settings, their values and defaults")
    p.set_defaults(run=cli.cmd_config)
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    logs.setup(args.verbose)
    lang = config.SETTINGS["lang"].default
    try:
        settings = config.load()
        lang = settings.lang  # of every line the command prints (VRAAGBAAK_LANG)
        logs.setup(args.verbose, settings.log_format)
        if args.command == "synonyms" and args.action == "add" and not (args.term and args.synonyms):
            raise UserError(t("cli_synonyms_add_usage", lang))
        if args.command == "synonyms" and args.action == "remove" and not args.term:
            raise UserError(t("cli_synonyms_remove_usage", lang))
        if args.command == "synonyms" and args.action == "list" and args.synonyms:
            raise UserError(t("cli_synonyms_list_usage", lang))
        if args.command == "review" and args.action != "list" and args.id is None:
            raise UserError(t("cli_need_review_id", lang))
        if args.command == "ask" and args.json and args.escalate:
            raise UserError(t("cli_ask_json_escalate", lang))
        if args.command == "mask" and args.eval and not args.path:
            raise UserError(t("cli_need_labelled_set", lang))
        if args.command == "review" and args.action == "merge" and not args.into:
            raise UserError(t("cli_need_into", lang))
        return args.run(args, settings)
    except BackupProblem as problem:
        print(f"vraagbaak: {t('cli_backup_' + problem.key, lang, **problem.values)}", file=sys.stderr)
        return 2
    except ImportProblem as problem:
        print(t("cli_import_stopped", lang), file=sys.stderr)
        for item in problem.items[:50]:
            print(f"  {item.where}: {t('imp_' + item.key, lang, **item.values)}", file=sys.stderr)
        if len(problem.problems) > 50:
            print(f"  {t('cli_import_more', lang, n=len(problem.problems) - 50)}", file=sys.stderr)
        return 2
    except FileNotFoundError as error:
        print(f"vraagbaak: {t('cli_no_file', lang, path=error.filename)}", file=sys.stderr)
        return 2
    except (UserError, ValueError, OSError) as error:
        print(f"vraagbaak: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except Exception as error:  # noqa: BLE001 - only a database that cannot be reached is said in one line
        if not bootstrap.unreachable(error):
            raise
        print(f"vraagbaak: {t('cli_db_unreachable', lang, reason=' '.join(str(error).split()))}", file=sys.stderr)
        return 2
