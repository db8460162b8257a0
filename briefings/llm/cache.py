"""Content-addressed response cache in SQLite (WAL; safe under threads and several processes).

The key hashes everything that determines the answer -- backend, model, template source hash, the
rendered messages, the schema and the generation parameters -- and nothing secret (no API key, no
base URL credentials). Only answers that validated are stored.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

from .base import Prompt

SCHEMA = """
CREATE TABLE IF NOT EXISTS responses (
  key TEXT PRIMARY KEY,
  task TEXT NOT NULL,
  model TEXT,
  text TEXT NOT NULL,
  created REAL NOT NULL
)
"""


def cache_key(prompt: Prompt, backend: str, model: str | None, extra: dict[str, Any] | None = None) -> str:
    material = {
        "backend": backend,
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
        conn = self._conn()
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute(SCHEMA)

    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            # isolation_level=None: autocommit, every statement is its own short transaction
            conn = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
            conn.execute("PRAGMA busy_timeout=30000")
            conn.execute("PRAGMA synchronous=NORMAL")
            self._local.conn = conn
            with self._lock:
                self._conns.append(conn)
        return conn

    def get(self, key: str) -> str | None:
        row = self._conn().execute("SELECT text FROM responses WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def put(self, key: str, task: str, model: str | None, text: str) -> None:
        self._conn().execute(
            "INSERT OR REPLACE INTO responses (key, task, model, text, created) VALUES (?, ?, ?, ?, ?)",
            (key, task, model, text, time.time()),
        )

    def delete(self, key: str) -> None:
        self._conn().execute("DELETE FROM responses WHERE key = ?", (key,))

    def __len__(self) -> int:
        return self._conn().execute("SELECT COUNT(*) FROM responses").fetchone()[0]

    def close(self) -> None:
        with self._lock:
            for conn in self._conns:
                try:
                    conn.close()
                except sqlite3.Error:
                    pass
            self._conns.clear()
        self._local = threading.local()
