"""Content-addressed response cache in SQLite (WAL; safe under threads and several processes).

The key hashes everything that determines the answer -- backend, endpoint (normalised base URL or
model file), model, template source hash, the rendered messages, the schema and the generation
parameters -- and nothing secret (no API key, no base URL credentials). Only answers that validated
are stored. A file that is not a database (or is corrupt) is moved aside and a new cache started,
with one warning: a cache is worth a call, never the run.
"""

from __future__ import annotations

import hashlib
import json
import logging
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any, Callable, TypeVar

from ..db import corrupt, migrate, move_aside
from .base import Prompt

log = logging.getLogger(__name__)
T = TypeVar("T")

def m001_responses(db: sqlite3.Connection) -> None:
    db.execute("""CREATE TABLE IF NOT EXISTS responses (
        key TEXT PRIMARY KEY, task TEXT NOT NULL, model TEXT, text TEXT NOT NULL, created REAL NOT NULL)""")


MIGRATIONS = [m001_responses]


def cache_key(prompt: Prompt, backend: str, model: str | None, extra: dict[str, Any] | None = None,
              endpoint: str | None = None) -> str:
    material = {
        "backend": backend,
        "endpoint": endpoint,
        "model": model,
        "template": prompt.template_hash,
        "messages": prompt.messages,
        "schema_name": prompt.schema_name,
        "schema": prompt.json_schema,
        "params": prompt.params,
        "extra": extra or {},
    }
    blob = json.dumps(material, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


class ResponseCache:
    """One connection per thread (sqlite3 objects must not be shared); short autocommit writes."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        self._conns: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self._generation = 0  # bumped when the file is replaced: threads then reconnect
        self.moved_to: Path | None = None  # where a corrupt file went
        self._guard(self._init)

    def _init(self) -> None:
        conn = self._conn()
        conn.execute("PRAGMA journal_mode=WAL")
        migrate(conn, MIGRATIONS)

    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None or self._local.generation != self._generation:
            # isolation_level=None: autocommit, every statement is its own short transaction
            conn = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
            conn.execute("PRAGMA busy_timeout=30000")
            conn.execute("PRAGMA synchronous=NORMAL")
            self._local.conn, self._local.generation = conn, self._generation
            with self._lock:
                self._conns.append(conn)
        return conn

    def _guard(self, op: Callable[[], T]) -> T:
        """``op``; when the file turns out corrupt, move it aside, start afresh and run ``op`` again."""
        generation = self._generation
        try:
            return op()
        except sqlite3.DatabaseError as e:
            if not corrupt(e):
                raise
            self._move_aside(generation, e)
        return op()

    def _move_aside(self, generation: int, error: sqlite3.Error) -> None:
        with self._lock:
            if generation != self._generation:
                return  # another thread already did
            for conn in self._conns:
                try:
                    conn.close()
                except sqlite3.Error:
                    pass
            self._conns.clear()
            target = move_aside(self.path)
            self.moved_to = target
            self._generation += 1
        log.warning("the LLM cache %s was unreadable (%s): moved aside to %s, starting an empty cache",
                    self.path, error, target.name)
        self._init()

    def get(self, key: str) -> str | None:
        row = self._guard(lambda: self._conn().execute("SELECT text FROM responses WHERE key = ?", (key,)).fetchone())
        return row[0] if row else None

    def put(self, key: str, task: str, model: str | None, text: str) -> None:
        self._guard(lambda: self._conn().execute(
            "INSERT OR REPLACE INTO responses (key, task, model, text, created) VALUES (?, ?, ?, ?, ?)",
            (key, task, model, text, time.time()),
        ))

    def delete(self, key: str) -> None:
        self._guard(lambda: self._conn().execute("DELETE FROM responses WHERE key = ?", (key,)))

    def __len__(self) -> int:
        return self._guard(lambda: self._conn().execute("SELECT COUNT(*) FROM responses").fetchone()[0])

    def close(self) -> None:
        with self._lock:
            for conn in self._conns:
                try:
                    conn.close()
                except sqlite3.Error:
                    pass
            self._conns.clear()
        self._local = threading.local()
