"""Schemas as named migrations (issue #13 item 7): the store's unread `sentences` table is dropped by a
migration, old stores are upgraded in place, concurrent openers apply each step once."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

from briefings.db import applied, migrate
from briefings.ingest import ingest
from briefings.llm.cache import ResponseCache
from briefings.store import Store

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"

OLD_SCHEMA = """
CREATE TABLE files (path TEXT PRIMARY KEY, size INTEGER, mtime_ns INTEGER, settings TEXT,
    article_ids TEXT NOT NULL, skipped TEXT NOT NULL, ingested_at TEXT NOT NULL);
CREATE TABLE articles (id TEXT PRIMARY KEY, source TEXT, title TEXT, language TEXT, published TEXT,
    first_seen TEXT NOT NULL, data TEXT NOT NULL);
CREATE TABLE sentences (id TEXT PRIMARY KEY, article_id TEXT NOT NULL, start INTEGER, "end" INTEGER, text TEXT);
CREATE INDEX sentences_article ON sentences(article_id);
CREATE TABLE stories (key TEXT PRIMARY KEY, data TEXT NOT NULL);
INSERT INTO sentences VALUES ('x:s1', 'x', 0, 5, 'hello');
"""


def tables(path: Path) -> set[str]:
    with sqlite3.connect(path) as conn:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'index')")}


def test_a_new_store_has_no_sentences_table_and_records_its_migrations(tmp_path):
    store = Store(tmp_path / "b.sqlite")
    result = ingest([str(SEEDS)], store=store)
    assert result.articles and all(a.sentences for a in result.articles)
    assert applied(store.db) == ["m001_initial", "m002_drop_sentences", "m003_story_signatures"]
    store.close()
    assert "sentences" not in tables(tmp_path / "b.sqlite")


def test_a_store_from_before_migrations_is_upgraded_in_place(tmp_path):
    path = tmp_path / "old.sqlite"
    with sqlite3.connect(path) as conn:
        conn.executescript(OLD_SCHEMA)
    store = Store(path)
    assert applied(store.db) == ["m001_initial", "m002_drop_sentences", "m003_story_signatures"]
    first = ingest([str(SEEDS)], store=store)
    second = ingest([str(SEEDS)], store=store)
    assert second.fresh == 0 and [a.id for a in second.articles] == [a.id for a in first.articles]
    store.close()
    assert {"sentences", "sentences_article"}.isdisjoint(tables(path))
    assert Store(path).db.execute("SELECT COUNT(*) FROM _migrations").fetchone()[0] == 3  # reopening adds none


def test_a_failing_step_leaves_the_database_before_it(tmp_path):
    conn = sqlite3.connect(tmp_path / "x.sqlite", isolation_level=None)

    def m001_ok(db):
        db.execute("CREATE TABLE a (x)")

    def m002_broken(db):
        db.execute("CREATE TABLE b (x)")
        raise RuntimeError("half way")

    try:
        migrate(conn, [m001_ok, m002_broken])
    except RuntimeError:
        pass
    assert applied(conn) == ["m001_ok"]
    assert conn.execute("SELECT name FROM sqlite_master WHERE name = 'b'").fetchone() is None


def test_processes_opening_one_cache_at_once_apply_each_step_once(tmp_path):
    path = tmp_path / "cache.sqlite"
    code = f"from briefings.llm.cache import ResponseCache; ResponseCache({str(path)!r}).close()"
    procs = [subprocess.Popen([sys.executable, "-c", code], stderr=subprocess.PIPE) for _ in range(6)]
    errors = [p.communicate()[1] for p in procs]
    assert all(p.returncode == 0 for p in procs), errors
    cache = ResponseCache(path)
    assert applied(cache._conn()) == ["m001_responses"] and len(cache) == 0
    cache.close()
