"""Embedded SQLite store of ingested files and articles (with their sentence spans).

A file whose path, size and mtime are unchanged since it was last ingested is not read, parsed or
segmented again: its articles come back from here. WAL mode so a reader never blocks the writer.
A row that does not parse (hand-edited, half-written by another version) counts as not stored: its
file is read again and the row rewritten. A file that is not a database, or a truncated or damaged one,
is moved aside (``briefings.sqlite.corrupt-<time>``) with one warning and a new store started, on
opening or whenever a query finds it broken: everything in it is derived from the sources, which are
then read again. (``doctor`` opens it with ``repair=False``: it reports, it does not move.)
"""

from __future__ import annotations

import functools
import json
import logging
import sqlite3
import threading
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Concatenate, ParamSpec, TypeVar

from .db import corrupt, migrate, move_aside
from .errors import OutputError
from .models import Article, Chunk, Skipped

def m001_initial(db: sqlite3.Connection) -> None:
    # IF NOT EXISTS: stores created before migrations existed already hold these tables
    db.execute("""CREATE TABLE IF NOT EXISTS files (
        path TEXT PRIMARY KEY, size INTEGER, mtime_ns INTEGER, settings TEXT,
        article_ids TEXT NOT NULL, skipped TEXT NOT NULL, ingested_at TEXT NOT NULL)""")
    db.execute("""CREATE TABLE IF NOT EXISTS articles (
        id TEXT PRIMARY KEY, source TEXT, title TEXT, language TEXT, published TEXT,
        first_seen TEXT NOT NULL, data TEXT NOT NULL)""")
    db.execute("CREATE TABLE IF NOT EXISTS stories (key TEXT PRIMARY KEY, data TEXT NOT NULL)")


def m002_drop_sentences(db: sqlite3.Connection) -> None:
    # sentences are rebuilt from each article's stored spans; this copy was written and never read
    # (3,000 articles: 34 MiB instead of 16, put 1.08 s instead of 0.44)
    db.execute("DROP INDEX IF EXISTS sentences_article")
    db.execute("DROP TABLE IF EXISTS sentences")


def m003_story_signatures(db: sqlite3.Connection) -> None:
    # each article's MinHash (stories.py), computed once: an incremental ingest signs only new articles
    db.execute("CREATE TABLE IF NOT EXISTS signatures (article_id TEXT PRIMARY KEY, minhash BLOB)")


MIGRATIONS = [m001_initial, m002_drop_sentences, m003_story_signatures]
log = logging.getLogger(__name__)
# what parsing a broken row raises: bad JSON and failed validation (ValueError), wrong shapes
BAD_ROW = (ValueError, TypeError, LookupError, AttributeError)


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


P = ParamSpec("P")
T = TypeVar("T")


def _guarded(method: Callable[Concatenate["Store", P], T]) -> Callable[Concatenate["Store", P], T]:
    """``method``; when the file turns out broken, move it aside, start a new store and run it again
    (on the empty store a read finds nothing stored: its files are read again)."""
    @functools.wraps(method)
    def run(self: "Store", *args: P.args, **kwargs: P.kwargs) -> T:
        generation = self._generation
        try:
            return method(self, *args, **kwargs)
        except sqlite3.DatabaseError as e:
            if not (self.repair and corrupt(e)):
                raise
            self._rebuild(generation, e)
        return method(self, *args, **kwargs)
    return run


class Store:
    def __init__(self, path: str | Path, repair: bool = True):
        self.path = Path(path)
        self.repair = repair  # move a broken file aside and start anew (doctor: False, it only reports)
        self.moved_to: Path | None = None  # where a broken file went
        self._lock = threading.Lock()
        self._generation = 0  # bumped when the file is replaced
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            try:
                self.db = self._connect()
            except sqlite3.DatabaseError as e:
                if not (repair and corrupt(e)):
                    raise
                self._replace(e)
        except (OSError, sqlite3.Error) as e:
            raise OutputError(f"cannot open the store {self.path}: {e}") from None

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=30, check_same_thread=False, isolation_level=None)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            migrate(db, MIGRATIONS)
        except BaseException:
            db.close()
            raise
        db.isolation_level = ""  # type: ignore[assignment]  # back to the sqlite3 default: `with self.db` is a transaction
        return db

    def _replace(self, error: sqlite3.Error) -> None:
        """Move the broken file aside (one warning) and open a new store in its place."""
        self.moved_to = move_aside(self.path)
        log.warning("the store %s was unreadable (%s): moved aside to %s, its sources are read again",
                    self.path, error, self.moved_to.name)
        self.db = self._connect()
        self._generation += 1

    def _rebuild(self, generation: int, error: sqlite3.Error) -> None:
        with self._lock:
            if generation != self._generation:
                return  # another thread already did
            try:
                self.db.close()
            except sqlite3.Error:
                pass
            try:
                self._replace(error)
            except (OSError, sqlite3.Error) as e:
                raise OutputError(f"cannot open the store {self.path}: {e}") from None

    def close(self) -> None:
        self.db.close()

    # -- files
    def cached_file(self, path: Path, settings_key: str) -> tuple[list[Article], list[Skipped]] | None:
        """Articles of an unchanged file, or None when it must be read again."""
        row = self.unchanged_file(path, settings_key)
        return self.load_file(row) if row is not None else None

    @_guarded
    def unchanged_file(self, path: Path, settings_key: str) -> tuple[str, str] | None:
        """What an unchanged file yielded (for ``load_file``), or None when it must be read again.
        Only a stat and one indexed row: cheap enough to ask for every file before reading any."""
        try:
            st = path.stat()
        except OSError:
            return None
        row = self.db.execute(
            "SELECT size, mtime_ns, settings, article_ids, skipped FROM files WHERE path=?", (str(path),)
        ).fetchone()
        if not row or (row[0], row[1], row[2]) != (st.st_size, st.st_mtime_ns, settings_key):
            return None
        return row[3], row[4]

    @_guarded
    def load_file(self, row: tuple[str, str]) -> tuple[list[Article], list[Skipped]] | None:
        """The articles and skips recorded for a file; None when a stored article is gone or a row
        does not parse (the file is then read again)."""
        # [id, source] pairs: an article's stored row may carry another file's source (the same text
        # seen elsewhere first), and one file may yield the same id twice (repeated JSONL line).
        try:
            pairs = [(e, None) if isinstance(e, str) else (str(e[0]), e[1]) for e in json.loads(row[0])]
            skipped = [Skipped(**s) for s in json.loads(row[1])]
        except BAD_ROW:
            log.warning("store: unreadable file row, reading the file again")
            return None
        found = {a.id: a for a in self.articles(list(dict.fromkeys(i for i, _ in pairs)))}
        if any(i not in found for i, _ in pairs):
            return None
        arts, seen = [], set()
        for i, src in pairs:
            a = found[i].model_copy(deep=True) if i in seen else found[i]  # fresh objects: copy repeats only
            seen.add(i)
            if src:
                a.source = src
            arts.append(a)
        return arts, skipped

    @_guarded
    def remember_file(self, path: Path, settings_key: str, ids: list[str], skipped: list[Skipped],
                      sources: list[str] | None = None) -> None:
        """Record what ``path`` yielded; ``sources`` (parallel to ``ids``) restores each article's source."""
        entries = [[i, src] for i, src in zip(ids, sources)] if sources is not None else ids
        try:
            st = path.stat()
        except OSError:
            return
        with self._lock, self.db:
            self.db.execute(
                "INSERT OR REPLACE INTO files VALUES (?,?,?,?,?,?,?)",
                (str(path), st.st_size, st.st_mtime_ns, settings_key, json.dumps(entries),
                 json.dumps([s.model_dump() for s in skipped]), _now()),
            )

    # -- articles
    @_guarded
    def put(self, articles: list[Article]) -> None:
        now = _now()
        with self._lock, self.db:
            for a in articles:
                self.db.execute(
                    "INSERT INTO articles VALUES (?,?,?,?,?,?,?) ON CONFLICT(id) DO UPDATE SET "
                    "source=excluded.source, title=excluded.title, language=excluded.language, "
                    "published=excluded.published, data=excluded.data",
                    (a.id, a.source, a.title, a.language, a.published, now, _dump(a)),
                )

    @_guarded
    def articles(self, ids: list[str] | None = None) -> list[Article]:
        if ids is None:
            rows = self.db.execute("SELECT data FROM articles ORDER BY first_seen, id").fetchall()
        else:
            rows = []
            for i in range(0, len(ids), 500):
                part = ids[i : i + 500]
                q = f"SELECT data, id FROM articles WHERE id IN ({','.join('?' * len(part))})"
                rows += self.db.execute(q, part).fetchall()
            order = {k: n for n, k in enumerate(ids)}
            rows.sort(key=lambda r: order[r[1]])
        return _loaded(rows)

    @_guarded
    def first_seen(self, ids: list[str]) -> dict[str, str]:
        out: dict[str, str] = {}
        for i in range(0, len(ids), 500):
            part = ids[i : i + 500]
            q = f"SELECT id, first_seen FROM articles WHERE id IN ({','.join('?' * len(part))})"
            out.update(dict(self.db.execute(q, part).fetchall()))
        return out

    @_guarded
    def find(self, prefix: str) -> list[Article]:
        """Articles whose id starts with ``prefix`` (a sentence id's article part also works)."""
        prefix = prefix.split(":")[0]
        rows = self.db.execute("SELECT data FROM articles WHERE id LIKE ? ORDER BY id", (prefix + "%",)).fetchall()
        return _loaded(rows)

    # -- story signatures
    @_guarded
    def signatures(self, ids: list[str]) -> dict[str, bytes | None]:
        """The stored MinHash of each id that has one (None: the article is too short to have one)."""
        out: dict[str, bytes | None] = {}
        for i in range(0, len(ids), 500):
            part = ids[i : i + 500]
            q = f"SELECT article_id, minhash FROM signatures WHERE article_id IN ({','.join('?' * len(part))})"
            out.update(self.db.execute(q, part).fetchall())
        return out

    @_guarded
    def put_signatures(self, signatures: dict[str, bytes | None]) -> None:
        with self._lock, self.db:
            self.db.executemany("INSERT OR REPLACE INTO signatures VALUES (?, ?)", list(signatures.items()))

    # -- story groups
    @_guarded
    def stories(self, key: str) -> list[str | None] | None:
        """The story of each article, as remembered for ``key`` (see ``ingest``), or None."""
        row = self.db.execute("SELECT data FROM stories WHERE key=?", (key,)).fetchone()
        try:
            stories = json.loads(row[0]) if row else None
        except BAD_ROW:
            return None  # grouped again
        return stories if isinstance(stories, list) else None

    @_guarded
    def remember_stories(self, key: str, stories: list[str | None]) -> None:
        """Keep the story groups of the last ingest only: they are reused when nothing changed."""
        with self._lock, self.db:
            self.db.execute("DELETE FROM stories")
            self.db.execute("INSERT INTO stories VALUES (?,?)", (key, json.dumps(stories)))

    # -- health
    def check(self) -> dict[str, int | str]:
        """For ``doctor``: SQLite's integrity verdict and how many rows exist / do not parse."""
        verdict = self.db.execute("PRAGMA quick_check").fetchone()[0]
        report: dict[str, int | str] = {"integrity": verdict}
        report["files"] = self.db.execute("SELECT COUNT(*) FROM files").fetchone()[0]
        report["bad_files"] = sum(not _parses(r) for r in self.db.execute("SELECT article_ids, skipped FROM files"))
        rows = self.db.execute("SELECT data, id FROM articles").fetchall()
        report["articles"] = len(rows)
        report["bad_articles"] = len(rows) - len(_loaded(rows, quiet=True))
        return report


def _parses(row: tuple[str, str]) -> bool:
    try:
        ids, skipped = json.loads(row[0]), json.loads(row[1])
        return isinstance(ids, list) and all(isinstance(s, dict) for s in skipped)
    except BAD_ROW:
        return False


def _loaded(rows: list, quiet: bool = False) -> list[Article]:
    """The articles of rows whose data parses; the others count as not stored."""
    out, bad = [], 0
    for row in rows:
        try:
            out.append(_load(row[0]))
        except BAD_ROW:
            bad += 1
    if bad and not quiet:
        log.warning("store: %d unreadable article row%s, treated as not stored (read again)", bad, "s" * (bad != 1))
    return out


# Stored form of an article: [2, fields, spans, chunks] with the sentences as [start, end, paragraph]
# and the chunks as [number of sentences, tokens], rebuilt from the text on load (parsing and validating
# every sentence's JSON took 0.56 ms an article, most of a re-ingest of unchanged files). An article
# whose sentences or chunks are not the ones segmentation builds (countries tagged, other ids) is stored
# whole, as its JSON (an object: rows written before this form are read the same way).
_COMPACT = 2


def _dump(a: Article) -> str:
    ids = [f"{a.id}:s{i}" for i in range(1, len(a.sentences) + 1)]
    plain = (
        [s.id for s in a.sentences] == ids
        and all(s.index == i and s.article_id == a.id and not s.countries and s.about is None and s.text == a.text[s.start:s.end]
                for i, s in enumerate(a.sentences, start=1))
        and [c.id for c in a.chunks] == [f"{a.id}:c{k}" for k in range(1, len(a.chunks) + 1)]
        and all(c.article_id == a.id for c in a.chunks)
        and [i for c in a.chunks for i in c.sentence_ids] == ids  # consecutive runs, in order
    )
    if not plain:
        return a.model_dump_json()
    return json.dumps([_COMPACT, a.model_dump(mode="json", exclude={"sentences", "chunks"}),
                       [[s.start, s.end, s.paragraph] for s in a.sentences],
                       [[len(c.sentence_ids), c.tokens] for c in a.chunks]], ensure_ascii=False)


def _load(data: str) -> Article:
    if not data.startswith("["):
        return Article.model_validate_json(data)
    from .segment import sentences_from_spans

    _, fields, spans, chunks = json.loads(data)
    a = Article(**fields)
    a.sentences = sentences_from_spans(a, [(s, e) for s, e, _ in spans], [p for _, _, p in spans])
    ids, pos, built = [s.id for s in a.sentences], 0, []
    for k, (n, tokens) in enumerate(chunks, start=1):
        built.append(Chunk(id=f"{a.id}:c{k}", article_id=a.id, sentence_ids=ids[pos : pos + n], tokens=tokens))
        pos += n
    a.chunks = built
    return a
