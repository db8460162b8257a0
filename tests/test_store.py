"""SQLite store: unchanged input is not read again; changed input is (issue #2)."""

from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path

import pytest

import briefings.ingest as ingest_mod
from briefings.config import SegmentSettings, Settings
from briefings.ingest import ingest
from briefings.store import Store

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture
def corpus(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    for f in sorted(SEEDS.glob("*.txt")):
        shutil.copy(f, d / f.name)
    for name in ("articles.jsonl", "feed.rss", "empty.txt", "table.csv"):
        shutil.copy(DATA / name, d / name)
    return d


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "data" / "briefings.sqlite")
    yield s
    s.close()


@pytest.fixture
def reads(monkeypatch):
    """Names of the files actually read (parsed) by ingest."""
    seen: list[str] = []
    real = ingest_mod.read_file

    def spy(source, path, max_bytes):
        seen.append(Path(source).name)
        return real(source, path, max_bytes)

    monkeypatch.setattr(ingest_mod, "read_file", spy)
    return seen


def dump(result):
    return ([a.model_dump() for a in result.articles], [s.model_dump() for s in result.skipped])


def test_reingest_unchanged_does_no_work(corpus, store, reads):
    first = ingest([str(corpus)], store=store)
    assert first.fresh == len(first.articles) == 5 + 3 + 2
    n_reads = len(reads)
    assert n_reads == 9
    second = ingest([str(corpus)], store=store)
    assert second.fresh == 0
    assert len(reads) == n_reads  # no file was read again
    assert dump(second) == dump(first)  # same articles, sentences, stories and skip reasons


def test_changed_file_only_that_file_is_read(corpus, store, reads):
    first = ingest([str(corpus)], store=store)
    target = next(corpus.glob("003_*.txt"))
    target.write_text(target.read_text(encoding="utf-8") + "\nAlbania also ordered two patrol boats.\n",
                      encoding="utf-8")
    reads.clear()
    second = ingest([str(corpus)], store=store)
    assert reads == [target.name]
    assert second.fresh == 1
    changed = next(a for a in second.articles if a.source == str(target))
    assert changed.text.endswith("Albania also ordered two patrol boats.")
    assert changed.id not in {a.id for a in first.articles}
    assert {a.id for a in second.articles} - {changed.id} == {a.id for a in first.articles if a.source != str(target)}


def test_touched_but_identical_file_is_reread_without_new_articles(corpus, store, reads):
    ingest([str(corpus)], store=store)
    target = next(corpus.glob("000_*.txt"))
    st = target.stat()
    os.utime(target, ns=(st.st_atime_ns, st.st_mtime_ns + 10_000_000_000))
    reads.clear()
    second = ingest([str(corpus)], store=store)
    assert reads == [target.name]
    assert second.fresh <= 1  # read and segmented again, nothing else
    assert len(second.articles) == 10


def test_settings_change_rereads(corpus, store, reads):
    ingest([str(corpus)], store=store)
    reads.clear()
    again = ingest([str(corpus)], Settings(segment=SegmentSettings(chunk_tokens=50)), store=store)
    assert len(reads) == 9 and again.fresh == len(again.articles)
    assert all(c.tokens <= 50 or len(c.sentence_ids) == 1 for a in again.articles for c in a.chunks)


def test_store_survives_reopen(corpus, tmp_path):
    path = tmp_path / "db" / "b.sqlite"
    s1 = Store(path)
    first = ingest([str(corpus)], store=s1)
    s1.close()
    s2 = Store(path)
    try:
        second = ingest([str(corpus)], store=s2)
        assert second.fresh == 0 and dump(second) == dump(first)
    finally:
        s2.close()


def test_exact_duplicates_stable_across_cached_runs(tmp_path, store):
    d = tmp_path / "dups"
    d.mkdir()
    seed = next(SEEDS.glob("003_*.txt"))
    shutil.copy(seed, d / "a.txt")
    shutil.copy(seed, d / "b.txt")
    first = ingest([str(d)], store=store)
    second = ingest([str(d)], store=store)
    assert len(first.articles) == 1
    assert first.articles[0].source == str(d / "a.txt")
    assert first.articles[0].duplicates == [str(d / "b.txt")]
    assert dump(second) == dump(first)


def test_cached_article_keeps_its_own_source(tmp_path, store):
    """The same text seen first in b.txt (another run), then a.txt: a.txt's article says a.txt."""
    seed = next(SEEDS.glob("003_*.txt"))
    (tmp_path / "x").mkdir()
    (tmp_path / "y").mkdir()
    shutil.copy(seed, tmp_path / "x" / "a.txt")
    shutil.copy(seed, tmp_path / "y" / "b.txt")
    ingest([str(tmp_path / "x")], store=store)
    ingest([str(tmp_path / "y")], store=store)
    again = ingest([str(tmp_path / "x")], store=store)
    assert again.fresh == 0
    assert [a.source for a in again.articles] == [str(tmp_path / "x" / "a.txt")]


def test_jsonl_with_repeated_line_is_cached(tmp_path, store, reads):
    line = (DATA / "articles.jsonl").read_text(encoding="utf-8").splitlines()[0]
    f = tmp_path / "rep.jsonl"
    f.write_text(f"{line}\n{line}\n", encoding="utf-8")
    first = ingest([str(f)], store=store)
    assert len(first.articles) == 1 and first.articles[0].duplicates == [f"{f}#2"]
    reads.clear()
    second = ingest([str(f)], store=store)
    assert reads == [] and second.fresh == 0
    assert dump(second) == dump(first)


def test_find_and_articles(corpus, store):
    result = ingest([str(corpus)], store=store)
    a = result.articles[0]
    assert [x.id for x in store.find(a.id[:6])] == [a.id]
    assert [x.id for x in store.find(a.sentences[2].id)] == [a.id]  # a sentence id finds its article
    assert store.find("zzzz") == []
    got = store.find(a.id)[0]
    assert got.text == a.text and got.sentences == a.sentences
    ids = [x.id for x in result.articles][::-1]
    assert [x.id for x in store.articles(ids)] == ids  # in the order asked for
    assert len(store.articles()) == len(result.articles)
    assert set(store.first_seen(ids)) == set(ids)


def test_store_path_not_writable_is_a_clean_error(tmp_path):
    from briefings.errors import OutputError

    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(OutputError, match="cannot open the store"):
        Store(blocker / "sub" / "b.sqlite")


def test_stored_articles_come_back_equal_in_both_forms(corpus, store):
    """Plain segmented articles are stored as spans and rebuilt; others (countries tagged) whole; rows
    written as whole JSON before the span form existed still load."""
    from briefings.store import _dump, _load

    result = ingest([str(corpus)], store=store)
    for a in result.articles:
        assert _dump(a).startswith("[")  # the span form
        back = _load(_dump(a))
        assert back == a and back.model_dump_json() == a.model_dump_json()
        assert back.sentences[0].model_fields_set == a.sentences[0].model_fields_set
        assert _load(a.model_dump_json()) == a  # a row in the older, whole form
    tagged = result.articles[0].model_copy(deep=True)
    tagged.sentences[0].countries = ["AL"]
    assert _dump(tagged).startswith("{") and _load(_dump(tagged)) == tagged
    renumbered = result.articles[1].model_copy(deep=True)
    renumbered.chunks[0].sentence_ids = renumbered.chunks[0].sentence_ids[1:]  # not what chunking builds
    assert _dump(renumbered).startswith("{") and _load(_dump(renumbered)) == renumbered


def test_story_groups_reused_only_for_the_same_texts(corpus, store, monkeypatch):
    calls: list[int] = []
    real = ingest_mod.group_stories

    def spy(articles, *args, **kwargs):
        calls.append(len(articles))
        return real(articles, *args, **kwargs)

    monkeypatch.setattr(ingest_mod, "group_stories", spy)
    first = ingest([str(corpus)], store=store)
    assert calls == [len(first.articles)] and first.stories
    again = ingest([str(corpus)], store=store)
    assert calls == [len(first.articles)]  # nothing changed: the remembered groups
    assert dump(again) == dump(first)
    other = Settings(ingest={"near_duplicate_threshold": 0.9})
    ingest([str(corpus)], settings=other, store=store)
    assert len(calls) == 2  # another threshold: grouped again
    (corpus / "new.txt").write_text("Something else entirely happened in Tirana on Monday, officials said.",
                                    encoding="utf-8")
    ingest([str(corpus)], store=store)
    assert len(calls) == 3  # another text: grouped again


def _cli(tmp: Path, *args: str):
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith(("BRIEFINGS_", "OPENAI_"))}
    env.update(PYTHONPATH=str(ROOT), BRIEFINGS_RUN_DATA_DIR=str(tmp / "data"), XDG_CONFIG_HOME=str(tmp / "config"),
               XDG_CACHE_HOME=str(tmp / "cache"))
    return subprocess.run([sys.executable, "-m", "briefings", *args], capture_output=True, text=True, env=env,
                          cwd=tmp, timeout=300)


@pytest.mark.parametrize("damage", ["garbage", "truncated", "overwritten"])
def test_an_unreadable_store_is_moved_aside_and_rebuilt_from_the_sources(tmp_path, damage):
    """A store file that is not a database (or a truncated or overwritten one) failed every run until it
    was moved by hand. Like the LLM cache it is moved aside with one warning, and the sources are read
    again into a new store: the build succeeds, and the next run finds everything stored."""
    src = tmp_path / "in"
    src.mkdir()
    for f in sorted(SEEDS.glob("*.txt")):
        shutil.copy(f, src / f.name)
    db = tmp_path / "data" / "briefings.sqlite"
    build = ("build", str(src), "--format", "md", "--period", "P")
    if damage == "garbage":
        db.parent.mkdir()
        db.write_bytes(b"this is not a database\n" * 200)
    else:
        assert _cli(tmp_path, *build, "--quiet").returncode == 0
        data = bytearray(db.read_bytes())
        if damage == "truncated":
            del data[len(data) // 2:]
        else:  # zeroed from the articles table on: the store opens, reading an article finds it broken
            import sqlite3

            with contextlib.closing(sqlite3.connect(db)) as conn:
                (root,), (size,) = (conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'articles'").fetchone(),
                                    conn.execute("PRAGMA page_size").fetchone())
            data[(root - 1) * size:] = bytes(len(data) - (root - 1) * size)
        db.write_bytes(bytes(data))
        for extra in tmp_path.glob("data/briefings.sqlite-*"):
            extra.unlink()
        shutil.rmtree(tmp_path / "out")
    broken = db.read_bytes()
    r = _cli(tmp_path, *build)
    assert r.returncode == 0, r.stderr
    warnings = [line for line in r.stderr.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1 and "moved aside" in warnings[0] and "briefings.sqlite" in warnings[0], r.stderr
    (aside,) = db.parent.glob("briefings.sqlite.corrupt-*[0-9]")
    assert aside.read_bytes() == broken  # kept for inspection, not deleted
    assert {p.stem for p in (tmp_path / "out" / "P").glob("*.md")} > {"digest"}
    again = _cli(tmp_path, "ingest", str(src))
    assert again.returncode == 0 and "5 articles (0 new)" in again.stdout, again.stdout + again.stderr
    assert "moved aside" not in again.stderr


def test_doctor_reports_a_broken_store_and_leaves_it_where_it_is(tmp_path):
    from briefings.errors import OutputError

    db = tmp_path / "briefings.sqlite"
    db.write_bytes(b"this is not a database\n" * 200)
    with pytest.raises(OutputError, match="not a database"):
        Store(db, repair=False)
    assert [p.name for p in tmp_path.iterdir()] == ["briefings.sqlite"]
