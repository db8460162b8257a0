"""The right week (issue #28 item 3): published dates in the forms feeds and outlets write them, a window
that defaults to the period's ISO week, and articles from before it in Context only, with their date."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from briefings.config import load_settings
from briefings.dates import normalize_published, parse_published
from briefings.pipeline import build

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("value,language,expected", [
    ("2026-11-18", None, "2026-11-18"),
    ("2026-11-18T23:30:00-05:00", None, "2026-11-18"),  # the day where it was published, as written
    ("2026-11-18T10:00:00Z", None, "2026-11-18"),
    ("Tue, 05 Mar 2024 10:00:00 GMT", None, "2024-03-05"),  # RFC 2822 (RSS)
    ("Tue, 05 Mar 2024 10:00:00 +0100", None, "2024-03-05"),
    ("March 5, 2024", "en", "2024-03-05"),
    ("5 March 2024", None, "2024-03-05"),
    ("05.03.2024", None, "2024-03-05"),  # dotted dates are day-first wherever they are written
    ("5. März 2024", "de", "2024-03-05"),
    ("5 mars 2024", "fr", "2024-03-05"),
    ("5 de marzo de 2024", "es", "2024-03-05"),
    ("5 марта 2024 г.", "ru", "2024-03-05"),
    ("2024年3月5日", "ja", "2024-03-05"),
    ("20240305", None, "2024-03-05"),
    ("yesterday", "en", None),  # relative: no reference date in a stored article
    ("soon", None, None),
    ("31.02.2024", None, None),
    ("March 2024", "en", None),  # no day: not a publication date
    ("", None, None),
])
def test_published_dates_in_the_forms_outlets_write(value, language, expected):
    got = parse_published(value, language)
    assert (got.isoformat() if got else None) == expected


def test_normalized_dates_keep_iso_as_given_and_unreadable_values_as_they_are():
    assert normalize_published("Tue, 05 Mar 2024 10:00:00 GMT") == "2024-03-05"
    assert normalize_published("2024-03-05T10:00:00Z") == "2024-03-05T10:00:00Z"
    assert normalize_published("whenever") == "whenever"


ROWS = [
    # the period's week (2026-W47: 16-22 November)
    {"title": "Rail", "published": "2026-11-18",
     "text": "Serbia opened a new rail line to Hungary on Wednesday, the Serbian government said. "
             "The line cuts the journey from Belgrade to Budapest to under three hours."},
    {"title": "Talks", "published": "Tue, 17 Nov 2026 10:00:00 GMT",
     "text": "Serbia and Kosovo resumed talks in Brussels on Tuesday, the European Union said. "
             "The Serbian negotiator said the talks would continue next month."},
    # two weeks earlier: background, Context only
    {"title": "Budget", "published": "2 November 2026",
     "text": "Serbia adopted its budget for next year on Monday after a long debate in parliament. "
             "The Serbian finance minister said spending on railways would double."},
    # long before: left out
    {"title": "Old", "published": "2024-08-01",
     "text": "Serbia signed a lithium mining agreement with the European Union in Belgrade, officials said."},
    # a date nothing reads: warned about, undated
    {"title": "Strange", "published": "the day after the storm",
     "text": "Serbia's interior ministry said police had arrested six people after clashes in Novi Sad."},
    # no country at all: contributes nothing, and run.json says why
    {"title": "Weather", "published": "2026-11-19",
     "text": "Heavy rain is expected across the region on Thursday, forecasters said on Wednesday morning."},
]


def _sources(tmp: Path) -> Path:
    path = tmp / "news.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in ROWS) + "\n", encoding="utf-8")
    return path


def _settings(tmp: Path, **run):
    return load_settings(None, {"run": {"data_dir": tmp / "data", "undated": "keep", **run},
                                "output": {"dir": tmp / "out", "formats": ["md", "json", "html"]}}, environ={})


def _statements(b) -> dict[str, list]:
    return {sec.key: sec.sentences for sec in b.sections}


def test_default_window_is_the_period_and_older_news_is_context_only(tmp_path):
    res = build([str(_sources(tmp_path))], _settings(tmp_path), countries=["RS"])
    assert res.period == "2026-W47"
    w = res.run["window"]
    assert (w["start"], w["end"], w["before"], w["excluded"]) == ("2026-11-16", "2026-11-23", 1, 1)
    assert "left_out" not in w and "background_dates" not in w
    assert w["unreadable_dates"] == 1
    (b,) = res.briefings
    by_id = {a.id: a for a in res.articles}
    budget = next(a.id for a in res.articles if a.title == "Budget")
    assert "Old" not in {a.title for a in res.articles}, "older than run.background_days: left out"
    for key, sents in _statements(b).items():
        for s in sents:
            cited = {c.split(":")[0] for c in s.citations}
            if key != "context":
                assert cited != {budget}, f"background news led {key}: {s.text}"
            if cited == {budget}:
                assert s.background == "2026-11-02" and key == "context"
    assert any(s.background for s in _statements(b).get("context", [])), "the background statement is in Context"
    assert by_id[budget].published == "2026-11-02"  # "2 November 2026" read
    unused = res.run["unused"]
    reasons = {u["source"].rsplit("#", 1)[-1]: u["reason"] for u in unused["sources"]}
    assert reasons["4"] == "dated 2024-08-01: long before the window"
    assert reasons["6"] == "no country found"
    assert unused["count"] == len(unused["sources"]) == sum(unused["by_reason"].values())
    md = (tmp_path / "out" / "2026-W47" / "RS.md").read_text(encoding="utf-8")
    assert "Window 2026-11-16 to 2026-11-22 · 1 earlier article as context only · 1 outside it" in md
    assert "_(published 2026-11-02)_" in md
    html = (tmp_path / "out" / "2026-W47" / "RS.html").read_text(encoding="utf-8")
    assert "Window 2026-11-16 to 2026-11-22" in html and "published 2026-11-02" in html


def test_an_explicit_period_moves_the_window_and_leaves_later_articles_out(tmp_path):
    settings = _settings(tmp_path)
    settings.output.period = "2026-W45"  # 2-8 November: the budget week
    res = build([str(_sources(tmp_path))], settings, countries=["RS"], write=False)
    w = res.run["window"]
    assert (w["start"], w["end"]) == ("2026-11-02", "2026-11-09")
    assert {a.title for a in res.articles} == {"Budget", "Strange"}  # later ones out, the undated kept
    assert {u["reason"] for u in res.run["unused"]["sources"]} >= {"dated 2026-11-18: after the window"}


def test_build_since_and_until_on_the_command_line(tmp_path):
    src = _sources(tmp_path)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "BRIEFINGS_RUN_DATA_DIR": str(tmp_path / "data")}
    res = subprocess.run([sys.executable, "-m", "briefings", "build", str(src), "--country", "RS",
                          "--since", "2026-11-17", "--until", "2026-11-17", "--format", "json", "--out", "out"],
                         cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr
    # Rail (the 18th) and Weather are after it, Old too old, Strange undated and first seen today: excluded
    assert "window 2026-11-17: 2026-11-17 to 2026-11-18; kept 1, excluded 4, undated 1 (first-seen); " \
           "1 earlier (context only)" in res.stderr
    assert "1 article(s) with a published date that cannot be read, treated as undated" in res.stderr
    assert "news.jsonl" in res.stderr
    assert ("warning: 4 source(s) contributed nothing: 3 after the window (news.jsonl#1, news.jsonl#5, "
            "news.jsonl#6); 1 long before the window (news.jsonl#4); all in run.json") in res.stderr
    (run,) = (tmp_path / "out").glob("*/run.json")
    assert json.loads(run.read_text())["window"]["label"] == "2026-11-17"
    bad = subprocess.run([sys.executable, "-m", "briefings", "build", str(src), "--until", "someday"],
                         cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert bad.returncode == 2 and "someday" in bad.stderr


def test_no_dated_article_means_no_window(tmp_path):
    (tmp_path / "a.txt").write_text("Serbia opened a new rail line to Hungary on Wednesday, the government said.",
                                    encoding="utf-8")
    res = build([str(tmp_path / "a.txt")], _settings(tmp_path), write=False)
    assert res.run["window"] is None and all(b.window is None for b in res.briefings)
    assert res.period == "{}-W{:02d}".format(*date.today().isocalendar()[:2])
