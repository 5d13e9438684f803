"""The database schema as numbered migrations, applied in order and recorded in PRAGMA user_version.

A new version appends a migration; an existing file is upgraded in place when it is opened, never rebuilt.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

import sqlite_utils

from knowledge.sqlite import audit

_V1 = """
        CREATE TABLE articles (
            id TEXT PRIMARY KEY, title TEXT NOT NULL, body TEXT NOT NULL DEFAULT '',
            keywords TEXT NOT NULL DEFAULT '[]', questions TEXT NOT NULL DEFAULT '[]',
            url TEXT NOT NULL DEFAULT '', owner TEXT NOT NULL DEFAULT '',
            status TEXT NOT NULL DEFAULT 'validated', lang TEXT NOT NULL DEFAULT 'nl',
            review_date TEXT NOT NULL DEFAULT '', source TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL, updated_at TEXT NOT NULL
        );
        CREATE TABLE people (
            id TEXT PRIMARY KEY, name TEXT NOT NULL, title TEXT NOT NULL DEFAULT '',
            department TEXT NOT NULL DEFAULT '', expertise TEXT NOT NULL DEFAULT '[]',
            email TEXT NOT NULL DEFAULT '', phone TEXT NOT NULL DEFAULT '',
            slack_id TEXT NOT NULL DEFAULT '', teams_id TEXT NOT NULL DEFAULT ''
        );
        CREATE TABLE routes (keyword TEXT PRIMARY KEY, channel TEXT NOT NULL);
        CREATE TABLE synonyms (term TEXT NOT NULL, synonym TEXT NOT NULL, PRIMARY KEY (term, synonym));
        CREATE TABLE questions (
            id INTEGER PRIMARY KEY, asker_id TEXT NOT NULL, asker_name TEXT NOT NULL DEFAULT '',
            platform TEXT NOT NULL, channel TEXT NOT NULL, thread TEXT, message TEXT,
            extra TEXT NOT NULL DEFAULT '', text TEXT NOT NULL, lang TEXT NOT NULL DEFAULT 'nl',
            decision TEXT NOT NULL, article_id TEXT, shown TEXT NOT NULL DEFAULT '[]',
            status TEXT NOT NULL DEFAULT 'open', created_at TEXT NOT NULL
        );
        CREATE INDEX questions_asker ON questions(asker_id, status);
        CREATE TABLE escalations (
            id INTEGER PRIMARY KEY, question_id INTEGER NOT NULL REFERENCES questions(id),
            channel TEXT NOT NULL, post_channel TEXT, post_thread TEXT, post_message TEXT,
            post_extra TEXT NOT NULL DEFAULT '', status TEXT NOT NULL DEFAULT 'pending',
            experts TEXT NOT NULL DEFAULT '[]', tried TEXT NOT NULL DEFAULT '[]',
            created_at TEXT NOT NULL, answered_at TEXT NOT NULL DEFAULT '', answer_id INTEGER
        );
        CREATE INDEX escalations_post ON escalations(post_channel, post_message);
        CREATE TABLE waiters (
            escalation_id INTEGER NOT NULL REFERENCES escalations(id),
            question_id INTEGER NOT NULL REFERENCES questions(id),
            PRIMARY KEY (escalation_id, question_id)
        );
        CREATE TABLE answers (
            id INTEGER PRIMARY KEY, escalation_id INTEGER NOT NULL REFERENCES escalations(id),
            author_id TEXT NOT NULL, author_name TEXT NOT NULL DEFAULT '', text TEXT NOT NULL,
            channel TEXT NOT NULL, thread TEXT, message TEXT, created_at TEXT NOT NULL,
            accepted INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX answers_message ON answers(channel, message);
        CREATE TABLE reviews (
            id INTEGER PRIMARY KEY, article_id TEXT NOT NULL, escalation_id INTEGER,
            status TEXT NOT NULL DEFAULT 'pending', created_at TEXT NOT NULL,
            decided_by TEXT NOT NULL DEFAULT '', decided_at TEXT NOT NULL DEFAULT '',
            note TEXT NOT NULL DEFAULT ''
        );
        CREATE TABLE audit (
            id INTEGER PRIMARY KEY, at TEXT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,
            subject TEXT NOT NULL DEFAULT '', detail TEXT NOT NULL DEFAULT '{}'
        );
        CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
            BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
        CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
            BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
        CREATE TABLE events (key TEXT PRIMARY KEY, seen_at TEXT NOT NULL);
        CREATE TABLE outbox (
            id INTEGER PRIMARY KEY, kind TEXT NOT NULL, channel TEXT NOT NULL, thread TEXT,
            message TEXT, extra TEXT NOT NULL DEFAULT '', payload TEXT NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0, last_error TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL, sent_at TEXT NOT NULL DEFAULT '', escalation_id INTEGER
        );
"""

# Full-text indexes over analysed text (stems, folded), kept in step by the store: an index row has the
# rowid of its article or person, so it is replaced without a scan.
_V2 = """
        CREATE VIRTUAL TABLE article_index USING fts5(
            article_id UNINDEXED, title, questions, keywords, body, tokenize = 'unicode61'
        );
        CREATE VIRTUAL TABLE people_index USING fts5(
            person_id UNINDEXED, name, profile, tokenize = 'unicode61'
        );
        CREATE VIRTUAL TABLE article_vocab USING fts5vocab(article_index, 'row');
"""

# A counter of changes to what search reads (articles, synonyms), so every process's caches can tell.
# Articles keep their analysed phrasings (search compares a question with them without re-analysing);
# people are found by name and e-mail without a scan.
_V3 = """
        CREATE TABLE meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL DEFAULT 0);
        INSERT INTO meta (key, value) VALUES ('search_generation', 0);
        ALTER TABLE articles ADD COLUMN phrasings TEXT NOT NULL DEFAULT '[]';
        CREATE INDEX people_name ON people(name COLLATE NOCASE);
        CREATE INDEX people_email ON people(lower(email));
        CREATE VIRTUAL TABLE people_vocab USING fts5vocab(people_index, 'row');
"""

# Optional semantic vectors (knowledge/semantic.py), one row per article and model.
_V4 = """
        CREATE TABLE article_vectors (
            article_id TEXT PRIMARY KEY, model TEXT NOT NULL, dim INTEGER NOT NULL, vector BLOB NOT NULL,
            digest TEXT NOT NULL DEFAULT ''
        );
"""

# People changes have their own counter: a people import (or a directory sync) must not make every
# searcher reload the article vocabulary (half a second at 100,000 articles).
_V5 = """
        INSERT INTO meta (key, value) VALUES ('people_generation', 0);
"""

# Privacy by design: a question that carried personal data is marked (it is about one person's case: never
# joined to another, and its answer is held for an owner); a review item says why it needs a look; the audit
# log becomes a hash chain (each entry carries its predecessor's hash, the head is kept apart, and an insert
# must append with the next id, so INSERT OR REPLACE over an old entry is refused); the console's messages
# table joins the migrations.
_V6 = """
        ALTER TABLE questions ADD COLUMN personal INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE reviews ADD COLUMN flag TEXT NOT NULL DEFAULT '';
        ALTER TABLE audit ADD COLUMN prev TEXT NOT NULL DEFAULT '';
        ALTER TABLE audit ADD COLUMN hash TEXT NOT NULL DEFAULT '';
        CREATE TABLE audit_head (
            id INTEGER PRIMARY KEY CHECK (id = 1), entries INTEGER NOT NULL, hash TEXT NOT NULL
        );
        CREATE TRIGGER audit_append_only BEFORE INSERT ON audit
            WHEN NEW.id IS NULL OR NEW.id != (SELECT coalesce(max(id), 0) + 1 FROM audit) OR NEW.hash = ''
            BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
        CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_head
            BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
        CREATE TABLE IF NOT EXISTS console_messages (
            id INTEGER PRIMARY KEY, channel TEXT NOT NULL, thread TEXT, author TEXT NOT NULL,
            text TEXT NOT NULL, payload TEXT NOT NULL DEFAULT '{}', created_at TEXT NOT NULL,
            read INTEGER DEFAULT 0
        );
"""

# One durable inbox: every event from a platform is stored (with its delivery key, once) before it is
# acknowledged, then claimed by one worker for a lease and marked done. Outbox rows are claimed the same way
# (two processes never send one row twice), may carry a key (a reply is queued once however often its event
# is handled) and a recipient (a note to one person). A question remembers the event it came from.
_V7 = """
        CREATE TABLE inbox (
            id INTEGER PRIMARY KEY, key TEXT, platform TEXT NOT NULL, kind TEXT NOT NULL,
            payload TEXT NOT NULL, status TEXT NOT NULL DEFAULT 'new', attempts INTEGER NOT NULL DEFAULT 0,
            claimed_until TEXT NOT NULL DEFAULT '', last_error TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL, done_at TEXT NOT NULL DEFAULT ''
        );
        CREATE UNIQUE INDEX inbox_key ON inbox(key) WHERE key IS NOT NULL;
        CREATE INDEX inbox_waiting ON inbox(status, id);
        ALTER TABLE outbox ADD COLUMN claimed_until TEXT NOT NULL DEFAULT '';
        ALTER TABLE outbox ADD COLUMN key TEXT;
        ALTER TABLE outbox ADD COLUMN recipient TEXT NOT NULL DEFAULT '';
        CREATE UNIQUE INDEX outbox_key ON outbox(key) WHERE key IS NOT NULL;
        CREATE INDEX outbox_pending ON outbox(sent_at, id);
        ALTER TABLE questions ADD COLUMN event_key TEXT;
        CREATE UNIQUE INDEX questions_event ON questions(event_key) WHERE event_key IS NOT NULL;
        CREATE INDEX waiters_question ON waiters(question_id);
"""

# A person's ids on the chat platforms live in their own table, one row per platform: the core knows no
# platform by name, and a third platform needs no new column.
_V8 = """
        CREATE TABLE person_handles (
            person_id TEXT NOT NULL REFERENCES people(id) ON DELETE CASCADE, platform TEXT NOT NULL,
            handle TEXT NOT NULL, PRIMARY KEY (person_id, platform)
        );
        CREATE INDEX person_handles_handle ON person_handles(platform, handle);
        INSERT INTO person_handles SELECT id, 'slack', slack_id FROM people WHERE slack_id != '';
        INSERT INTO person_handles SELECT id, 'teams', teams_id FROM people WHERE teams_id != '';
        ALTER TABLE people DROP COLUMN slack_id;
        ALTER TABLE people DROP COLUMN teams_id;
"""

# Time matters: an escalation may be urgent (the customer is on the line) and goes through stages (0 waiting,
# 1 the experts were reminded, 2 it was asked again in the backup channel and the agent offered a call-back
# note); each expert channel may have its own response target, backup experts and backup channel. The stage
# moves by a conditional update, so a timer fires once across processes and restarts.
_V9 = """
        ALTER TABLE escalations ADD COLUMN urgent INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE questions ADD COLUMN urgent INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE escalations ADD COLUMN stage INTEGER NOT NULL DEFAULT 0;
        CREATE TABLE channel_settings (
            channel TEXT PRIMARY KEY, target_minutes REAL, backup_experts TEXT NOT NULL DEFAULT '[]',
            backup_channel TEXT NOT NULL DEFAULT ''
        );
        INSERT INTO meta (key, value) VALUES ('digest_week', 0);
"""

# The owners' web console: one-time sign-in links (only a hash of the token is kept; used once, expiring),
# single sign-on flows under way (state, nonce, PKCE verifier: kept here, not in the browser; used once) and
# the console's own settings, e.g. the session secret generated once so that every process agrees on it.
_V10 = """
        CREATE TABLE web_logins (
            token_hash TEXT PRIMARY KEY, owner TEXT NOT NULL, created_at TEXT NOT NULL,
            expires_at TEXT NOT NULL, used_at TEXT NOT NULL DEFAULT ''
        );
        CREATE TABLE web_flows (
            state TEXT PRIMARY KEY, provider TEXT NOT NULL, flow TEXT NOT NULL, created_at TEXT NOT NULL
        );
        CREATE TABLE web_settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""

# Two owners editing one article: every change to an article moves its version on, and a save names the
# version it was made from (a conditional update), so the second of two saves is refused instead of lost.
# An article's history is read from the audit log by subject; the owners' list shows the latest changed first.
_V11 = """
        ALTER TABLE articles ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
        CREATE INDEX audit_subject ON audit(subject, id);
        CREATE INDEX articles_updated ON articles(updated_at);
"""

# Every question that is not answered at once looks for an open escalation to join: by status, not by reading
# every escalation there ever was.
_V12 = """
        CREATE INDEX escalations_status ON escalations(status, id);
"""

# What `vraagbaak demo` has put in (kind: articles, people, routes, synonyms, history; item: its id, keyword,
# "term<TAB>synonym" or "played"): a second run adds only what it never added, so an item a person changed or
# removed since (an edited article, a forgotten person, a removed synonym) stays as that person left it.
_V13 = """
        CREATE TABLE demo_items (kind TEXT NOT NULL, item TEXT NOT NULL, PRIMARY KEY (kind, item));
"""

# The web console's sessions live here, not in the cookie (which carries only a random id; a hash of it is kept),
# so signing out, "sign out everywhere" and leaving the owners end them on every replica at once. Sign-in attempts
# are counted per client address and minute here too, so replicas share the limit; old minutes are dropped.
_WEB_SESSIONS = """
        CREATE TABLE web_sessions (
            id_hash TEXT PRIMARY KEY, owner TEXT NOT NULL, created_at TEXT NOT NULL, last_seen TEXT NOT NULL,
            expires_at TEXT NOT NULL, ended_at TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX web_sessions_owner ON web_sessions(owner, ended_at);
        CREATE INDEX web_sessions_expires ON web_sessions(expires_at);
        CREATE TABLE web_attempts (
            minute TEXT NOT NULL, client TEXT NOT NULL, attempts INTEGER NOT NULL, PRIMARY KEY (minute, client)
        );
"""

# Every post of an escalation (a post sent again after a stop is a second one): a reply or a mark in any of their
# threads belongs to that escalation. The posts recorded before are copied in. An outgoing message whose claim
# lapsed (the process sending it stopped) is ``in_doubt`` when claimed again: it may be on the platform already,
# so the sender looks for it there before posting it again (docs/duplicates.md).
_ESCALATION_POSTS = """
        CREATE TABLE escalation_posts (
            escalation_id INTEGER NOT NULL REFERENCES escalations(id), channel TEXT NOT NULL,
            message TEXT NOT NULL, thread TEXT, extra TEXT NOT NULL DEFAULT '', posted_at TEXT NOT NULL,
            PRIMARY KEY (channel, message)
        );
        CREATE INDEX escalation_posts_escalation ON escalation_posts(escalation_id);
        INSERT OR IGNORE INTO escalation_posts (escalation_id, channel, message, thread, extra, posted_at)
            SELECT id, post_channel, post_message, post_thread, post_extra, created_at FROM escalations
            WHERE post_channel IS NOT NULL AND post_message IS NOT NULL AND post_message != '';
        ALTER TABLE outbox ADD COLUMN in_doubt INTEGER NOT NULL DEFAULT 0;
"""

# The audit log proves who did what and when, and lets personal data go (knowledge/audit.py): the chain keeps ids,
# actions, times and facts, and seals the details (a person as actor or subject, texts), which are kept apart with
# a salt, so forget and the retention purge can erase them. The head is sealed too. The old log is carried over
# (knowledge/sqlite/audit.py's ``convert``, which needs the key: a migration in Python, independent of its number).
_AUDIT_DETAILS_APART = audit.convert

# Re-routing (handlers/reroute.py): an expert moves an escalation to another expert channel. ``moves`` counts the
# moves (the conditional update that makes two clicks one move names the count it saw; the outbox keys of the
# new post and its timers carry it), ``routed_at`` is when it last moved (its timers count from then). What routing
# learned from moves and marked answers: one row per escalation, undone by an owner but kept.
_REROUTE = """
        ALTER TABLE escalations ADD COLUMN moves INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE escalations ADD COLUMN routed_at TEXT NOT NULL DEFAULT '';
        CREATE TABLE learned_routes (
            id INTEGER PRIMARY KEY, words TEXT NOT NULL, channel TEXT NOT NULL, source TEXT NOT NULL,
            escalation_id INTEGER UNIQUE, learned_by TEXT NOT NULL DEFAULT '', learned_at TEXT NOT NULL,
            answered INTEGER NOT NULL DEFAULT 0, undone_at TEXT NOT NULL DEFAULT '',
            undone_by TEXT NOT NULL DEFAULT ''
        );
"""

Migration = str | Callable[[sqlite3.Connection, bytes], None]  # SQL, or a step in Python given the audit key
MIGRATIONS: list[Migration] = [_V1, _V2, _V3, _V4, _V5, _V6, _V7, _V8, _V9, _V10, _V11, _V12, _V13,
                               _WEB_SESSIONS, _ESCALATION_POSTS, _AUDIT_DETAILS_APART, _REROUTE]


def statements(script: str) -> list[str]:
    """``script`` as its statements, split where SQLite's own parser says one is complete (as its shell does)."""
    found, pending = [], ""
    for line in script.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            found.append(pending.strip())
            pending = ""
    return [*found, pending.strip()] if pending.strip() else found


def migrate(db: sqlite_utils.Database, audit_key: bytes = b"") -> int:
    """Bring ``db`` to the newest version; returns the version it is at. Each migration is one transaction that
    takes the write lock first and then reads the version again: two processes started at once on an old file
    apply each migration once (the second finds it done), and a crash leaves the file at the previous version.
    ``audit_key`` is what a migration in Python may need (the audit log's key, to chain a carried-over log)."""
    version = db.execute("PRAGMA user_version").fetchone()[0]
    for number, migration in enumerate(MIGRATIONS, start=1):
        if number <= version:
            continue
        db.conn.execute("BEGIN IMMEDIATE")
        try:
            if db.conn.execute("PRAGMA user_version").fetchone()[0] < number:
                if callable(migration):
                    migration(db.conn, audit_key)
                else:
                    for statement in statements(migration):
                        db.conn.execute(statement)
                db.conn.execute(f"PRAGMA user_version = {number}")
            db.conn.execute("COMMIT")
        except BaseException:
            db.conn.execute("ROLLBACK")
            raise
    return len(MIGRATIONS)
