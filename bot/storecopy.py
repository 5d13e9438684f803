"""``vraagbaak copy FROM TO``: a whole store copied to another, SQLite file or PostgreSQL URL either way
(knowledge/copying.py walks the tables; each backend reads and writes its own)."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from bot import bootstrap, config, progress
from handlers.errors import UserError
from handlers.messages import t
from knowledge import copying


def shown(db: str) -> str:
    """A database name fit to print: a URL's password left out."""
    return re.sub(r"^(\w+://[^:/@]*):[^@/]*@", r"\1:***@", db)


def cmd_copy(args: argparse.Namespace, settings: config.Settings) -> int:
    lang, source_name, target_name = settings.lang, args.source, args.target
    if bootstrap.same_database(source_name, target_name):
        raise UserError(t("cli_copy_same", lang, db=shown(source_name)))
    if not bootstrap.on_postgres(source_name) and not Path(source_name).is_file():
        raise UserError(t("cli_copy_no_source", lang, db=source_name))
    source = bootstrap.open_named(settings, source_name)
    try:
        target = bootstrap.open_named(settings, target_name)
        if not copying.is_empty(target):
            target.close()
            if not args.replace:
                raise UserError(t("cli_copy_not_empty", lang, db=shown(target_name)))
            bootstrap.wipe(target_name)
            target = bootstrap.open_named(settings, target_name)
        try:
            with progress.counter(t("cli_progress_copy", lang)) as bar:
                counts = copying.copy(source, target, bar)
            verdict = target.verify_audit()
            as_source = not verdict.intact and source.verify_audit().reason == verdict.reason
        finally:
            target.close()
    finally:
        source.close()
    print(t("cli_copy_done", lang, source=shown(source_name), target=shown(target_name),
            rows=sum(counts.values()), articles=counts["articles"], questions=counts["questions"],
            audit=counts["audit"]))
    if not verdict.intact:
        print(t("cli_copy_audit_broken", lang, problem=t(f"audit_{verdict.reason}", lang, **dict(verdict.detail))))
        if as_source:
            print(t("cli_copy_audit_as_source", lang))
        return 1
    print(t("cli_copy_audit_intact", lang, entries=verdict.entries))
    return 0
