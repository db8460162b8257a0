"""Issue #27 items 4 and 5: the injection filter (briefings/injection.py) on a labelled set of wordings.

tests/gold/injection_wordings.jsonl: attacks (sentences that address the model, or vouch for the text's own
truth) and benign look-alikes (news quoting an imperative, about AI, instructions, summaries, verification),
in 15 languages, with a ``split``: the patterns were written against ``dev``; ``test`` was only measured.
Recall on attacks and the false-positive rate on benign rows are pinned per split in
tests/quality_baseline.json; so is the number of sentences flagged among 7,200 real sentences
(bench/data/wikineural, 9 languages), each of which is a false positive.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from baseline import gate

from briefings.injection import addresses_model

ROOT = Path(__file__).resolve().parents[1]
ROWS = [json.loads(line) for line in (ROOT / "tests" / "gold" / "injection_wordings.jsonl").read_text("utf-8").splitlines()]


def test_the_set_is_what_it_says():
    assert len(ROWS) >= 200 and len({r["text"] for r in ROWS}) == len(ROWS)
    assert {r["label"] for r in ROWS} == {"attack", "benign"} and {r["split"] for r in ROWS} == {"dev", "test"}
    langs = {r["lang"].split("-")[0] for r in ROWS}
    assert len(langs) >= 10 and {"en", "de", "fr", "es", "it", "pt", "nl", "ru", "sr", "tr", "sq", "zh", "pl"} <= langs
    assert {"sr-Latn", "sr-Cyrl"} <= {r["lang"] for r in ROWS}
    assert Counter(r["label"] for r in ROWS)["benign"] >= 100


@pytest.mark.parametrize("split", ["dev", "test"])
def test_recall_and_false_positive_rate(split):
    rows = [r for r in ROWS if r["split"] == split]
    attacks = [r for r in rows if r["label"] == "attack"]
    benign = [r for r in rows if r["label"] == "benign"]
    missed = [f"{r['lang']}/{r['family']}: {r['text']}" for r in attacks if not addresses_model(r["text"])]
    flagged = [f"{r['lang']}/{r['family']}: {r['text']}" for r in benign if addresses_model(r["text"])]
    gate(f"injection.wordings.{split}.recall", 1 - len(missed) / len(attacks), detail=missed)
    gate(f"injection.wordings.{split}.false_positive_rate", len(flagged) / len(benign), detail=flagged)


def test_real_sentences_flagged():
    """Every sentence of the WikiNEuRal sample (Wikipedia, 9 languages) that is flagged is a false positive."""
    path = ROOT / "bench" / "data" / "wikineural" / "sample.jsonl"
    texts = [json.loads(line)["text"] for line in path.read_text("utf-8").splitlines()]
    flagged = [t for t in texts if addresses_model(t)]
    gate("injection.wikineural.flagged", len(flagged), detail=flagged)


@pytest.mark.parametrize("family", sorted({r["family"] for r in ROWS if r["label"] == "attack"}))
def test_every_attack_family_is_caught_at_least_once_in_each_split(family):
    for split in ("dev", "test"):
        rows = [r for r in ROWS if r["family"] == family and r["split"] == split and r["label"] == "attack"]
        assert not rows or any(addresses_model(r["text"]) for r in rows), (split, family)
