"""Smoke test of bench/run_cost.py on the seeds: the baseline arithmetic, the metered CLI run and its
rerun. No timing: the bench's targets are checked by running the bench, not here."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import run_cost  # noqa: E402

from briefings.tokens import count  # noqa: E402

SEEDS = ROOT / "seeds"


def test_chat_tokens_counts_contents_and_framing():
    msgs = [{"role": "system", "content": "You are terse."}, {"role": "user", "content": "Hello there."}]
    assert run_cost.chat_tokens(msgs) == count("You are terse.") + count("Hello there.") + 2 * 3 + 3


def test_baseline_is_one_summary_per_country_and_chunk_plus_one_combine_per_country(tmp_path):
    stats = run_cost.corpus_and_baseline([SEEDS], tmp_path)
    base = stats["baseline"]
    assert stats["articles"] == 5 and stats["countries"] >= 5
    raw = sum(count(p.read_text(encoding="utf-8")) for p in SEEDS.glob("*.txt"))
    assert 0.8 * raw <= stats["corpus_tokens"] <= raw  # ingest only strips boilerplate from the files
    summaries = base["calls"] - stats["countries"]
    assert summaries > stats["chunks_sent"]  # seed chunks mention several countries each
    assert base["completion_tokens"] == summaries * run_cost.SUMMARY_TOKENS + stats["countries"] * run_cost.BRIEFING_TOKENS
    # every summary prompt carries its whole chunk: the baseline reads the corpus once per country in it
    assert base["prompt_tokens"] > stats["corpus_tokens"]


def test_metered_run_matches_run_json_and_rerun_makes_no_call(tmp_path):
    ours = run_cost.measure([SEEDS], tmp_path / "w")
    assert ours["exit"] == 0, ours["stderr"]
    assert set(ours["phases"]) >= {"extract", "compose"}
    assert ours["phases"]["extract"]["calls"] == 1  # the 5 seed articles (3.6k tokens) share one pack
    usage = ours["run"]["usage"]
    # the server reported cl100k counts, so run.json and the per-phase meter agree exactly
    assert (usage["calls"], usage["prompt_tokens"], usage["completion_tokens"]) == \
        (ours["calls"], ours["prompt_tokens"], ours["completion_tokens"])
    assert ours["rerun"] == {**ours["rerun"], "exit": 0, "server_requests": 0, "run_calls": 0}
    assert ours["grounding"] == 1.0 and ours["hallucinated_shown_supported"] == []

    stats = run_cost.corpus_and_baseline([SEEDS], tmp_path / "b")
    row = run_cost.row("seeds", stats, ours)
    assert row["extract_ratio"] > 1.0  # the prompt holds the whole article plus instructions
    assert "seeds" in run_cost.table([row]).splitlines()[2]
    broken = {**row, "rerun_calls": 3}
    assert any("rerun made 3 calls" in m for m in run_cost.misses(broken))
    # 5x fewer tokens than the baseline cannot be asked of 5 articles, but is of a corpus where it can be
    assert not run_cost.reduction_attainable(row) and not any("baseline" in m for m in run_cost.misses(row))
    big = {**row, "baseline_tokens": row["corpus_tokens"] * 20, "reduction": 4.0}
    assert run_cost.reduction_attainable(big) and any("baseline / ours 4.0" in m for m in run_cost.misses(big))
