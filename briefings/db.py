"""SQLite schemas as named migrations (simonw/llm's pattern): each database keeps a ``_migrations``
table of the steps applied to it, and opening it applies the missing ones in order, each in its own
transaction. A schema change is a new function appended to a list, never an edited CREATE or a
version constant bumped by hand.
"""

from __future__ import annotations

import sqlite3
import time
from datetime import datetime, timezone
from collections.abc import Callable, Sequence
from pathlib import Path

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


def corrupt(e: sqlite3.Error) -> bool:
    """The file itself is broken (not a database, malformed, truncated), as opposed to busy, locked or
    read-only: such a file is moved aside and rebuilt (the LLM cache, the store), never retried."""
    return isinstance(e, sqlite3.DatabaseError) and not isinstance(e, sqlite3.OperationalError)


def move_aside(path: Path) -> Path:
    """Rename a broken database and its WAL journal (which belongs to it) to ``<name>.corrupt-<time>``,
    kept for inspection; return the new name."""
    target = path.with_name(f"{path.name}.corrupt-{time.strftime('%Y%m%d-%H%M%S')}")
    for suffix in ("", "-wal", "-shm"):
        part = Path(f"{path}{suffix}")
        if part.exists():
            part.replace(Path(f"{target}{suffix}"))
    return target


def applied(conn: sqlite3.Connection) -> list[str]:
    """Names of the migrations applied to this database, in order."""
    try:
        return [r[0] for r in conn.execute("SELECT name FROM _migrations ORDER BY rowid")]
    except sqlite3.OperationalError:
        return []
