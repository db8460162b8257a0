"""Changes since the previous period (briefings/changes.py): matching by cited facts first, text second;
two runs over a corpus that grows between them (tests/two_weeks.py) give a correct "Changes" section,
JSON delta fields, markers in the documents, and `briefings diff` on the terminal."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from two_weeks import corpus

from briefings.changes import apply, compare, previous_period
from briefings.config import load_settings
from briefings.models import Briefing, BriefingSentence, CitedSpan, Section, SourceRef, Verdict
from briefings.pipeline import build

ROOT = Path(__file__).resolve().parent.parent


# ------------------------------------------------------------------ matching, on hand-built briefings


def _brief(period: str, statements: list[tuple[str, list[str]]], spans: dict[str, str] | None = None,
           stories: dict[str, str] | None = None) -> Briefing:
    spans = spans or {}
    cites = {sid: CitedSpan(sentence_id=sid, article_id=sid.split(":")[0], start=0, end=len(t), text=t, language="en")
             for sid, t in spans.items()}
    arts = sorted({sid.split(":")[0] for _, ids in statements for sid in ids})
    return Briefing(country="RS", country_name="Serbia", title="t", language="en", period=period,
                    sections=[Section(key="key_developments", title="Key developments", sentences=[
                        BriefingSentence(text=t, language="en", citations=ids, verdict=Verdict.supported)
                        for t, ids in statements])],
                    citations=cites,
                    sources=[SourceRef(article_id=a, source=a, story=(stories or {}).get(a)) for a in arts])


def test_a_shared_cited_sentence_matches_before_text_similarity():
    prev = _brief("2024-W19", [("Serbia adopted a lithium mining law on Wednesday.", ["a:s1"]),
                               ("Serbia adopted a lithium mining law despite protests on Wednesday.", ["b:s4"])])
    # textually closest to the second, but it cites the first one's sentence: the same fact
    cur = _brief("2024-W20", [("Serbia adopted a lithium mining law despite protests on Wednesday.", ["a:s1", "c:s2"])])
    delta = compare(cur, prev, "2024-W19")
    assert delta.matches == {0: 0}
    assert delta.new_evidence == {0: ["c:s2"]}  # article c was not in the previous briefing
    assert [s.text for _, s in delta.dropped] == ["Serbia adopted a lithium mining law despite protests on Wednesday."]


def test_the_same_cited_sentence_text_under_another_id_is_the_same_fact():
    text = "Serbia and Kosovo agreed on Monday to reopen the Jarinje border crossing."
    prev = _brief("W19", [("Summary one about Jarinje.", ["old:s1"])], {"old:s1": text})
    cur = _brief("W20", [("Completely reworded statement here.", ["new:s3"])], {"new:s3": text})
    b = apply(cur, prev, "W19")
    s = b.sections[0].sentences[0]
    assert s.change == "continued" and s.new_citations == ["new:s3"] and s.previous == "Summary one about Jarinje."


def test_text_similarity_second_and_one_to_one():
    prev = _brief("W19", [("Serbia and Kosovo agreed on Monday to reopen the Jarinje border crossing for freight.", ["a:s1"])])
    cur = _brief("W20", [
        ("Serbia and Kosovo agreed last week to reopen the Jarinje border crossing for freight.", ["b:s2"]),
        ("Serbia and Kosovo agreed to reopen the Jarinje border crossing for freight traffic.", ["c:s1"]),
        ("Kosovo's parliament elected a new speaker on Wednesday.", ["d:s1"]),
    ])
    b = apply(cur, prev, "W19")
    changes = [s.change for s in b.sections[0].sentences]
    assert changes.count("continued") == 1 and changes.count("new") == 2  # matched once, never twice
    assert changes[2] == "new"
    assert b.changes.continued == 1 and b.changes.new == 2 and b.changes.dropped == []


def test_short_statements_do_not_match_by_containment():
    # "Serbia said" is contained in the longer text (token-set ratio 100) but shares too few words
    prev = _brief("W19", [("Serbia said so.", ["a:s1"])])
    cur = _brief("W20", [("Serbia said so about the lithium mining law in Belgrade.", ["b:s1"])])
    assert compare(cur, prev, "W19").matches == {}


def test_same_story_needs_less_text_similarity():
    prev = _brief("W19", [("Trucks were waiting at the Jarinje border crossing on Monday morning.", ["a:s1"])],
                  stories={"a": "story1"})
    cur_text = "Trucks crossed the Jarinje border crossing for the first time in months."
    same_story = _brief("W20", [(cur_text, ["b:s1"])], stories={"b": "story1"})
    other_story = _brief("W20", [(cur_text, ["b:s1"])], stories={"b": "story2"})
    assert compare(same_story, prev, "W19").matches == {0: 0}
    assert compare(other_story, prev, "W19").matches == {}


def test_previous_period_is_the_latest_earlier_week(tmp_path):
    for p in ("2024-W18", "2024-W19", "2024-W21", "notes"):
        (tmp_path / p).mkdir()
        (tmp_path / p / "index.json").write_text("{}")
    (tmp_path / ".2024-W20.staging-1234").mkdir()
    assert previous_period(tmp_path, "2024-W20") == "2024-W19"
    assert previous_period(tmp_path, "2024-W18") is None
    assert previous_period(tmp_path / "missing", "2024-W20") is None


# ------------------------------------------------------------------ two runs over a growing corpus


def _settings(tmp: Path, out: Path, **run):
    return load_settings(None, {"run": {"data_dir": tmp / "data", **run}, "output": {"dir": out, "formats": ["md", "html", "json"]}},
                         environ={})


@pytest.fixture(scope="module")
def weeks(tmp_path_factory):
    """W19 built from week 1, then W20 from weeks 1+2 (cumulative) into one out/; and a copy of W19
    followed by W20 with the window set to week 2 only (what `--since last-week` does)."""
    tmp = tmp_path_factory.mktemp("weeks")
    one, two = corpus(tmp / "corpus")
    out = tmp / "out"
    first = build([str(one)], _settings(tmp, out))
    assert first.period == "2024-W19"
    second = build([str(two)], _settings(tmp, out))
    assert second.period == "2024-W20"
    windowed = tmp / "out-window"
    shutil.copytree(out / "2024-W19", windowed / "2024-W19")
    # background_days 0: week 1 is not even background (Context) in this window
    third = build([str(two)], _settings(tmp, windowed, since="2024-05-13", background_days=0))
    assert third.period == "2024-W20"
    return out, windowed, first, second, third


def _doc(out: Path, period: str, code: str) -> dict:
    return json.loads((out / period / f"{code}.json").read_text())


def _statements(doc: dict) -> list[dict]:
    return [s for sec in doc["sections"] for s in sec["sentences"]]


def test_first_period_has_no_changes(weeks):
    out, *_ = weeks
    doc = _doc(out, "2024-W19", "RS")
    assert doc["changes"] is None and all(s["change"] is None for s in _statements(doc))
    assert "Changes since" not in (out / "2024-W19" / "RS.md").read_text()


def test_cumulative_second_week_new_continued_unchanged(weeks):
    out, *_ = weeks
    w19 = {s["text"] for s in _statements(_doc(out, "2024-W19", "RS"))}
    doc = _doc(out, "2024-W20", "RS")
    by_text = {s["text"]: s for s in _statements(doc)}
    trucks = by_text["Trucks crossed the Jarinje border crossing between Serbia and Kosovo on Tuesday for the first time in months."]
    assert trucks["change"] == "new" and trucks["verdict"] == "supported"  # verified like any statement
    (deal,) = [s for s in by_text.values() if "agreed" in s["text"] and "Jarinje" in s["text"]]
    assert deal["change"] == "continued" and deal["previous"] in w19
    (fresh,) = deal["new_citations"]
    assert doc["citations"][fresh]["text"].startswith("Serbia and Kosovo agreed last week")  # the AP report
    lithium = [s for s in by_text.values() if "lithium" in s["text"] or "Jadar" in s["text"]]
    assert lithium and all(s["change"] == "unchanged" and s["previous"] == s["text"] for s in lithium)
    ch = doc["changes"]
    # week 1 is background in W20's window (Context only): Vučić's remark, a W19 development reported
    # again by no week-2 article, is not shown and so is dropped; nothing with week-2 evidence is
    w2 = {a.id for a in weeks[3].articles if not (a.published or "").startswith("2024-05-0")}
    assert ch["since"] == "2024-W19" and [d["text"] for d in ch["dropped"]] == [
        "Serbian President Aleksandar Vučić said the deal was a step toward normal trade between Serbia and Kosovo."]
    assert not {c.split(":")[0] for d in ch["dropped"] for c in d["citations"]} & w2
    assert (ch["new"], ch["continued"], ch["unchanged"]) == tuple(
        sum(s["change"] == k for s in by_text.values()) for k in ("new", "continued", "unchanged"))
    assert ch["new"] == 1 and ch["continued"] == 1  # the trucks; the deal
    md = (out / "2024-W20" / "RS.md").read_text()
    assert "## Changes since 2024-W19" in md and md.count("**New since 2024-W19**") == ch["new"]
    html = (out / "2024-W20" / "RS.html").read_text()
    assert "Changes since 2024-W19" in html and html.count('class="new"') == ch["new"]
    index = json.loads((out / "2024-W20" / "index.json").read_text())
    (rs,) = [c for c in index["countries"] if c["country"] == "RS"]
    assert rs["changes"] == {"since": "2024-W19", "new": ch["new"], "continued": ch["continued"],
                             "unchanged": ch["unchanged"], "dropped": 1}


def test_windowed_second_week_drops_what_was_not_reported_again(weeks):
    _, windowed, *_ = weeks
    w19 = _statements(_doc(windowed, "2024-W19", "RS"))
    doc = _doc(windowed, "2024-W20", "RS")
    dropped = {d["text"] for d in doc["changes"]["dropped"]}
    # only the deal was reported again in week 2: the lithium story and Vučić's remark are dropped, with
    # their W19 verdicts
    assert dropped == {s["text"] for s in w19 if "agreed on Monday" not in s["text"]}
    assert any("lithium" in t for t in dropped) and any("Vučić" in t for t in dropped)
    assert all(d["verdict"] == "supported" for d in doc["changes"]["dropped"])
    by_change = {s["change"] for s in _statements(doc) if "agreed" in s["text"]}
    assert by_change == {"continued"}  # the deal, matched by text alone (the window holds no W19 article)
    md = (windowed / "2024-W20" / "RS.md").read_text()
    assert "**Dropped** (" in md and "lithium mining law" in md.split("## Bottom line")[0]


def test_rerun_is_byte_identical(weeks, tmp_path):
    out, *_ = weeks
    before = (out / "2024-W20" / "RS.json").read_bytes()
    again = build([str(out.parent / "corpus" / "week2")], _settings(out.parent, out))
    assert again.period == "2024-W20"
    assert (out / "2024-W20" / "RS.json").read_bytes() == before


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "briefings", *args], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "200"})


def test_diff_command(weeks):
    out, windowed, *_ = weeks
    r = _cli("diff", "2024-W19", "2024-W20", "--country", "Serbia", "--out", str(out))
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("RS Serbia  2024-W19 → 2024-W20:")
    assert "  + Trucks crossed the Jarinje border crossing" in r.stdout
    assert "  ~ Serbia and Kosovo agreed" in r.stdout
    assert "new: “Serbia and Kosovo agreed last week" in r.stdout and "AP · 2024-05-14" in r.stdout
    assert "XK" not in r.stdout.split("\n")[0] and "\nXK " not in r.stdout  # --country
    r = _cli("diff", "2024-W19", "2024-W20", "--out", str(windowed), "--json")
    docs = {d["country"]: d for d in json.loads(r.stdout)}
    me = docs["ME"]  # Montenegro was briefed in W19 only: all of it dropped
    assert me["new"] == [] and len(me["dropped"]) >= 1
    assert {d["text"] for d in docs["RS"]["dropped"]} == {d["text"] for d in _doc(windowed, "2024-W20", "RS")["changes"]["dropped"]}
    bad = _cli("diff", "2024-W19", "2031-W01", "--out", str(out))
    assert bad.returncode == 1 and "2031-W01" in bad.stderr


def test_email_text_carries_the_changes(weeks):
    from briefings.deliver import plain_text

    out, *_ = weeks
    b = Briefing.model_validate_json((out / "2024-W20" / "RS.json").read_text())
    text = plain_text([b], "2024-W20")
    assert f"CHANGES SINCE 2024-W19: {b.changes.new} new, {b.changes.continued} continued, 1 dropped" in text
    assert "[New since 2024-W19]" in text


def test_text_matching_on_gold_pairs():
    """Precision and recall of matching by text alone (no shared citation, no shared story) on hand-labelled
    pairs of statements from two weeks; pinned in quality_baseline.json."""
    from baseline import gate

    rows = [json.loads(line) for line in (ROOT / "tests" / "gold" / "changes_pairs.jsonl").read_text().splitlines()]
    tp = fp = fn = 0
    for n, r in enumerate(rows):
        prev = _brief("W19", [(r["prev"], [f"p{n}:s1"])])
        cur = _brief("W20", [(r["cur"], [f"c{n}:s1"])])
        matched = compare(cur, prev, "W19").matches == {0: 0}
        tp += matched and r["same"]
        fp += matched and not r["same"]
        fn += (not matched) and r["same"]
    assert len(rows) >= 20 and sum(r["same"] for r in rows) >= 8
    gate("changes.gold_pairs.precision", tp / max(1, tp + fp), f"(tp {tp}, fp {fp})")
    gate("changes.gold_pairs.recall", tp / max(1, tp + fn), f"(tp {tp}, fn {fn})")


def test_webhook_summary_carries_the_change_counts(weeks):
    from briefings.deliver import load_period, summary

    out, *_ = weeks
    doc = summary(load_period(out, "2024-W20"))
    (rs,) = [c for c in doc["countries"] if c["country"] == "RS"]
    assert rs["changes"] == {"since": "2024-W19", "new": 1, "continued": 1, "dropped": 1}
