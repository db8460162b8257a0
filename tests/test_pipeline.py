"""End to end: seeds → verified briefings, with the embedded backend and with a scripted model server."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from scripted_model import ScriptedModel, install

from briefings.models import Verdict
from briefings.pipeline import build, default_period

SEEDS = [str(Path(__file__).resolve().parent.parent / "seeds")]
MUST = {"RS", "TR", "AL", "XK", "AZ"}


def shown(b):
    return [s for sec in b.sections for s in sec.sentences]


def test_extractive_seeds_every_country_cited_and_verified(tmp_settings):
    tmp_settings.output.formats = ["md", "json"]
    res = build(SEEDS, tmp_settings)
    codes = {b.country for b in res.briefings}
    assert MUST <= codes and "US" not in codes
    for b in res.briefings:
        assert shown(b), b.country
        for s in shown(b):
            assert s.citations and all(c in b.citations for c in s.citations)
            assert s.verdict == Verdict.supported, (s.text, s.reasons)
            # the embedded backend quotes: the text is its cited source sentences (adjacent ones joined,
            # a dateline cut), word for word
            joined = " ".join(b.citations[c].text for c in s.citations)
            assert s.text in joined and (len(s.citations) > 1 or s.text == joined or joined.endswith(s.text))
        assert b.grounding == 1.0
    out = Path(tmp_settings.output.dir) / res.period
    for code in MUST:
        doc = json.loads((out / f"{code}.json").read_text())
        assert doc["country"] == code and doc["sections"]
    run = json.loads((out / "run.json").read_text())
    assert run["usage"]["calls"] == 0 and run["backend"] == "extractive" and run["grounding"] == 1.0
    assert set(run["prompt_versions"]) == {"extract", "compose", "verify"}


def test_no_briefing_is_invented_for_a_country_without_evidence(tmp_settings):
    res = build(SEEDS, tmp_settings, countries=["FR", "RS", "JP"], write=False)
    assert [b.country for b in res.briefings] == ["RS"] or {b.country for b in res.briefings} == {"RS", "FR"}
    assert any("JP" in m for m in res.messages)


def test_period_is_iso_week_of_newest_article(tmp_settings):
    from briefings.models import Article

    arts = [Article(id="a", source="x", text="t", published="2026-11-18"),
            Article(id="b", source="y", text="t", published="2026-10-01T10:00:00Z")]
    assert default_period(arts) == "2026-W47"


def test_fake_server_hallucinations_never_survive_as_supported(openai_settings, fake_openai):
    openai_settings.output.formats = ["json"]
    model = install(fake_openai, ScriptedModel(hallucinate=True))
    res = build(SEEDS, openai_settings)
    assert model.calls["extract"] > 0 and model.calls["compose"] == len(res.briefings) + len(
        [f for f in res.failures if f.task == "compose"])
    assert model.hallucinated, "the script must have produced hallucinations"
    survivors = [(b.country, s.text, s.verdict) for b in res.briefings for s in shown(b)
                 if s.text in model.hallucinated and s.verdict == Verdict.supported]
    assert survivors == []
    removed = [s.text for b in res.briefings for s in b.removed]
    assert any(t in model.hallucinated for t in removed), "dropped hallucinations are listed as removed"
    # one extract call per chunk with a target country: never one per (country, chunk)
    assert res.usage.calls == model.calls["extract"] + model.calls["compose"] + model.calls["verify"]
    assert res.usage.prompt_tokens > 0 and res.usage.completion_tokens > 0


def test_rerun_is_served_from_cache(openai_settings, fake_openai):
    openai_settings.output.formats = ["json"]
    install(fake_openai, ScriptedModel(hallucinate=False))
    first = build(SEEDS, openai_settings)
    n = len(fake_openai.requests)
    second = build(SEEDS, openai_settings)
    assert len(fake_openai.requests) == n, "a second identical run makes 0 calls"
    assert second.usage.calls == 0 and second.usage.cache_hits == first.usage.calls
    out = Path(openai_settings.output.dir) / first.period
    assert json.loads((out / "RS.json").read_text())["sections"]


@pytest.mark.parametrize("policy", ["flag", "drop"])
def test_policy_flag_keeps_unsupported_visible_but_never_supported(openai_settings, fake_openai, policy):
    openai_settings.verify.on_unsupported = policy
    model = install(fake_openai, ScriptedModel(hallucinate=True))
    res = build(SEEDS, openai_settings, write=False)
    flagged = [s for b in res.briefings for s in shown(b) if s.text in model.hallucinated]
    if policy == "flag":
        assert flagged and all(s.verdict != Verdict.supported for s in flagged)
    else:
        assert all(s.verdict != Verdict.unsupported for b in res.briefings for s in shown(b))


def test_one_failed_unit_is_one_failure_everywhere(openai_settings, fake_openai):
    """One ledger (issue #13 item 2): a pack that fails for good appears once in res.failures, run.json,
    usage and the exit line, with its task, unit, error and attempts (before: twice, once per writer)."""
    from fakeserver import Reply

    from briefings.errors import PartialFailure
    from briefings.pipeline import check_thresholds

    openai_settings.output.formats = ["json"]
    openai_settings.llm.pack_tokens = 300  # several packs, so the others go on
    model = ScriptedModel(hallucinate=False)
    failed_once: list[int] = []

    def handler(body):
        first = body["messages"][0]["content"]
        if "extract factual claims" in first and not failed_once:  # the first pack, whichever it is
            failed_once.append(1)
            return Reply(content="not json at all, never")  # every re-ask fails the same way
        if failed_once and "not json at all" in json.dumps(body["messages"]):
            return Reply(content="still not json")
        return json.dumps(model(body))

    fake_openai.set_handler(handler)
    res = build(SEEDS, openai_settings)
    assert len(res.failures) == 1 == res.usage.failures
    (f,) = res.failures
    assert f.task == "extract" and f.attempts == openai_settings.llm.reask + 1 and "no valid answer" in f.error
    run = json.loads((Path(openai_settings.output.dir) / res.period / "run.json").read_text())
    assert run["failures"] == [f.model_dump()] and run["usage"]["failures"] == 1
    with pytest.raises(PartialFailure, match=r"1 unit\(s\) failed"):
        check_thresholds(res, openai_settings)


def _dated_corpus(tmp_path):
    """Three Serbia articles: published last ISO week, this week, and undated."""
    from datetime import date, timedelta

    today = date.today()
    monday = today - timedelta(days=today.weekday())
    rows = [
        {"title": "Last week", "published": (monday - timedelta(days=3)).isoformat(),
         "text": "Serbia opened a new rail line to Hungary on Thursday, the Serbian government said."},
        {"title": "This week", "published": monday.isoformat(),
         "text": "Serbia signed a gas deal with Azerbaijan in Belgrade on Monday, officials said."},
        {"title": "Undated", "text": "Serbia and Kosovo resumed talks in Brussels, the European Union said."},
    ]
    path = tmp_path / "news.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    return path, monday


@pytest.mark.parametrize("rule,kept,titles", [
    ("first-seen", 1, {"Last week"}),  # the undated one was first seen today: this week, outside
    ("keep", 2, {"Last week", "Undated"}),
    ("drop", 1, {"Last week"}),
])
def test_last_week_is_a_closed_window_with_counts_and_an_undated_rule(rule, kept, titles, tmp_settings, tmp_path):
    """Issue #18: `--since last-week` kept every undated article, labelled the period this week and
    recorded no window in run.json."""
    from datetime import timedelta

    from briefings.pipeline import iso_week

    path, monday = _dated_corpus(tmp_path)
    tmp_settings.run.since = "last-week"
    tmp_settings.run.undated = rule
    tmp_settings.output.formats = ["json"]
    res = build([str(path)], tmp_settings)
    assert {a.title for a in res.articles} == titles
    assert res.period == iso_week(monday - timedelta(days=7))
    w = json.loads((Path(tmp_settings.output.dir) / res.period / "run.json").read_text())["window"]
    assert w == {"since": "last-week", "start": (monday - timedelta(days=7)).isoformat(), "end": monday.isoformat(),
                 "kept": kept, "excluded": 3 - kept, "undated": 1, "undated_rule": rule,
                 "label": "last-week", "before": 0, "unreadable_dates": 0, "unreadable_sources": []}


def test_an_unreadable_window_is_refused_when_settings_load():
    from briefings.config import load_settings
    from briefings.errors import ConfigError

    with pytest.raises(ConfigError, match="cannot read the window 'lastweak'"):
        load_settings(overrides={"run": {"since": "lastweak"}}, environ={})


def test_a_statement_is_shown_once_per_briefing(tmp_settings):
    """Issue #17 (part): the answer schema wants a key development even when the bottom line said it
    all (a single-source country); the briefing shows that statement once, not in two sections."""
    from briefings.compose import to_briefing
    from briefings.corpus import Corpus
    from briefings.models import Article, Sentence
    from briefings.schemas import ComposeAnswer

    text = "Chile signed a lithium agreement with Bolivia on Monday."
    sent = Sentence(id="a1:s1", article_id="a1", index=0, start=0, end=len(text), text=text)
    art = Article(id="a1", source="a.txt", language="en", text=text, sentences=[sent])
    answer = ComposeAnswer.model_validate({
        "title": "Chile",
        "bottom_line": [{"text": text, "citations": ["a1:s1"]}],
        "key_developments": [{"text": " " + text.upper() + " ", "citations": ["a1:s1"]}],
        "watch": [{"text": text, "citations": ["a1:s1"]}],
    })
    b = to_briefing("CL", answer, "2026-W49", Corpus.tagged([art]), tmp_settings)
    shown = [s.text for sec in b.sections for s in sec.sentences]
    assert shown == [text] and [sec.key for sec in b.sections] == ["bottom_line"]
