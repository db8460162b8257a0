"""SQLite schemas as named migrations (simonw/llm's pattern): each database keeps a ``_migrations``
table of the steps applied to it, and opening it applies the missing ones in order, each in its own
transaction. A schema change is a new function appended to a list, never an edited CREATE or a
version constant bumped by hand.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime, timezone
from collections.abc import Callable, Sequence

Migration = Callable[[sqlite3.Connection], None]


def migrate(conn: sqlite3.Connection, migrations: Sequence[Migration]) -> list[str]:
    """Apply the migrations this database has not seen; return their names."""
    conn.execute("CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
    done = {row[0] for row in conn.execute("SELECT name FROM _migrations")}
    applied = []
    for step in migrations:
        name = step.__name__
        if name in done:
            continue
        # one transaction per step: a crash leaves the database before or after it, never inside
        conn.execute("BEGIN IMMEDIATE")
        if conn.execute("SELECT 1 FROM _migrations WHERE name = ?", (name,)).fetchone():
            conn.execute("COMMIT")  # another process applied it while this one waited for the lock
            continue
        try:
            step(conn)
            conn.execute("INSERT INTO _migrations VALUES (?, ?)",
                         (name, datetime.now(timezone.utc).isoformat(timespec="seconds")))
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
        applied.append(name)
    return applied


def applied(conn: sqlite3.Connection) -> list[str]:
    """Names of the migrations applied to this database, in order."""
    try:
        return [r[0] for r in conn.execute("SELECT name FROM _migrations ORDER BY rowid")]
    except sqlite3.OperationalError:
        return []
