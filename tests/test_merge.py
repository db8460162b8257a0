"""Issue #13: merge is indexed (prefix filtering), not pairwise; it keeps the pairwise rule's invariants and
its groups, measured against the reference kept in bench/merge.py."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
_spec = importlib.util.spec_from_file_location("bench_merge", ROOT / "bench" / "merge.py")
bm = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bm)  # type: ignore[union-attr]

from briefings.merge import _numbers, merge_claims  # noqa: E402
from briefings.models import Claim  # noqa: E402


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return bm.claims_for(150, tmp_path_factory.mktemp("merge"))


def test_groups_match_the_pairwise_rule(corpus):
    claims, arts = corpus
    fast = {tuple(sorted(m.citations)) for m in merge_claims(claims, arts)}
    ref = {tuple(sorted(m.citations)) for m in bm.pairwise(claims, arts)}
    assert len(claims) > 2000 and len(ref) < len(claims)  # there is something to merge
    # the groups that differ are pairs the pairwise rule joined at 82-83 with no rare word in common:
    # different facts in the same template ("Finland and Ukraine signed an agreement on Sunday to build a
    # new gas pipeline" with "Bulgaria and Ukraine … on Wednesday to build a new rail link"); 19 of 1,464
    # groups differ on this corpus (both sides of the difference counted)
    assert len(fast ^ ref) / len(ref) <= 0.02, len(fast ^ ref)


def test_merged_claims_share_numbers_and_a_country(corpus):
    claims, arts = corpus
    # one sentence a claim, as its parts are found by their citation (a claim joined to the sentence it
    # leans on cites that sentence first too)
    claims = [c for c in claims if len(c.citations) == 1]
    by_id = {c.citations[0]: c for c in claims}
    for m in merge_claims(claims, arts):
        parts = [by_id[i] for i in m.citations if i in by_id]
        assert all(_numbers(p.text) == _numbers(m.text) for p in parts)


def test_rewrites_of_one_fact_merge_and_count_outlets_once_per_story():
    from briefings.models import Article

    arts = {a: Article(id=a, source=f"{a}.txt", text="x", outlet=o, story=st)
            for a, o, st in (("a", "AP", "a"), ("b", "Reuters", "a"), ("c", "BBC", "c"))}
    claims = [Claim(id=f"{a}:s1:k1", countries=["RS"], text=t, language="en", citations=[f"{a}:s1"])
              for a, t in (("a", "Serbia ordered 12 Rafale jets from France."),
                           ("b", "Serbia has ordered 12 Rafale jets from France."),
                           ("c", "Serbia ordered 12 Rafale fighter jets from France."))]
    claims.append(Claim(id="c:s2:k1", countries=["RS"], text="Serbia ordered 14 Rafale jets from France.",
                        language="en", citations=["c:s2"]))
    merged = merge_claims(claims, arts)
    assert [len(m.citations) for m in merged] == [3, 1] and merged[0].corroboration == 2
