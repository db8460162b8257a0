"""`briefings ingest` and `briefings show` as a user runs them: a subprocess (issue #2)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture
def run(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BRIEFINGS_", "OPENAI_"))}
    env.update(BRIEFINGS_RUN_DATA_DIR=str(tmp_path / "data"), XDG_CONFIG_HOME=str(tmp_path / "config"),
               XDG_CACHE_HOME=str(tmp_path / "cache"), COLUMNS="200")

    def _run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "briefings", *args], input=stdin, capture_output=True,
                              env=env, cwd=str(tmp_path), timeout=300)

    return _run


def test_ingest_json_shape(run):
    p = run("ingest", str(SEEDS), "--json")
    assert p.returncode == 0, p.stderr.decode()
    doc = json.loads(p.stdout)
    assert set(doc) == {"articles", "skipped", "undetermined_language"}
    assert doc["undetermined_language"] == []  # every seed article has a language
    assert doc["skipped"] == []
    assert len(doc["articles"]) == 5
    for a in doc["articles"]:
        assert {"id", "source", "title", "language", "text", "sentences", "tokens", "story"} <= set(a)
        assert a["language"] in ("de", "en") and a["tokens"] > 0
        assert a["sentences"]
        for n, s in enumerate(a["sentences"], start=1):
            assert set(s) >= {"id", "start", "end"}
            assert s["id"] == f"{a['id']}:s{n}"
            assert 0 <= s["start"] < s["end"] <= len(a["text"])
            assert not a["text"][s["start"]:s["end"]].isspace()
    stories = [a["story"] for a in doc["articles"] if a["story"]]
    assert len(stories) == 2 and len(set(stories)) == 1  # 002 and 004, the same story


def test_ingest_reports_skips_and_exit_code(run):
    p = run("ingest", str(DATA / "empty.txt"), str(DATA / "table.csv"), str(SEEDS / "nope.txt"), "--json")
    assert p.returncode == 1
    doc = json.loads(p.stdout)
    assert doc["articles"] == []
    assert {Path(s["source"]).name: s["reason"] for s in doc["skipped"]} == {
        "empty.txt": "empty file",
        "table.csv": doc["skipped"][1]["reason"],
        "nope.txt": "no such file or directory",
    }
    assert doc["skipped"][1]["reason"].startswith("unknown extension '.csv'")
    err = p.stderr.decode()
    assert err.count("skipped") == 3  # one line each
    assert "no article could be ingested" in err and "Traceback" not in err


def test_ingest_mixed_good_and_bad_is_partial_like_build(run):
    p = run("ingest", str(DATA))
    assert p.returncode == 4, p.stderr.decode()  # the articles are listed, the skips make it partial
    err = p.stderr.decode()
    for name in ("empty.txt", "image.txt", "table.csv", "malformed.html"):
        assert f"{name}:" in err
    assert "Traceback" not in err
    assert "articles" in p.stdout.decode()


def test_ingest_stdin(run):
    p = run("ingest", "-", "--json", stdin=next(SEEDS.glob("003_*.txt")).read_bytes())
    assert p.returncode == 0, p.stderr.decode()
    (a,) = json.loads(p.stdout)["articles"]
    assert a["source"] == "<stdin>" and a["language"] == "en"
    assert a["title"].startswith("Albania to Receive Kamikaze Drones")
    assert "Original Source" not in a["text"]


def test_ingest_then_show(run):
    p = run("ingest", str(SEEDS), "--json")
    arts = json.loads(p.stdout)["articles"]
    a = next(x for x in arts if "001_" in x["source"])
    shown = run("show", a["id"][:8])
    assert shown.returncode == 0, shown.stderr.decode()
    out = shown.stdout.decode()
    for s in a["sentences"]:
        assert s["id"] in out
        assert a["text"][s["start"]:s["end"]] in out
    assert a["id"] in out and "de" in out
    asked = a["sentences"][3]["id"]
    by_sentence = run("show", asked)
    assert by_sentence.returncode == 0, by_sentence.stderr.decode()
    marked = [line for line in by_sentence.stdout.decode().splitlines() if "»" in line]
    assert len(marked) == 1 and asked in marked[0]  # the sentence asked for, and only it, is marked
    assert run("show", a["id"] + ":s999").returncode == 1


def test_reingest_second_run_is_all_cached(run):
    assert run("ingest", str(SEEDS)).returncode == 0
    p = run("ingest", str(SEEDS))
    assert p.returncode == 0
    assert "5 articles (0 new)" in p.stdout.decode()


def test_show_unknown_id(run):
    run("ingest", str(SEEDS))
    p = run("show", "ffffffffffff")
    assert p.returncode == 1
    err = p.stderr.decode()
    assert "no ingested article" in err and "Traceback" not in err and len(err.strip().splitlines()) == 1
