"""French, Spanish and Italian in the lexical checks (issue #14): negation, quantifiers, number words and
scales, stop words and elision, on the gold cases of tests/gold/verify_romance_cases.jsonl."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from briefings.check import check_claims

GOLD = Path(__file__).resolve().parent / "gold" / "verify_romance_cases.jsonl"
CASES = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_gold_covers_each_language_and_alteration():
    assert {c["language"] for c in CASES} == {"fr", "es", "it"}
    for lang in ("fr", "es", "it"):
        types = {c["type"] for c in CASES if c["language"] == lang and c["label"] == "altered"}
        assert {"negation_removed", "negation_added", "quantifier", "number_word", "number"} <= types


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_romance_gold_case(case):
    got = next(check_claims([dict(case, doc_language=case["language"])]))
    if case["label"] == "altered":
        assert got["verdict"] == "unsupported", got["reasons"]
    else:
        assert got["verdict"] == "supported", got["reasons"]


def test_romance_function_words_do_not_hide_english_content_words():
    """The lists are per language: "solo" and "era" stay content words in English, "mai" a month in German."""
    doc = "He flew solo across the Atlantic at the start of a new era."
    got = next(check_claims([{"id": 1, "doc": doc, "claim": "He flew across the Atlantic at the start of a new era.",
                              "language": "en", "doc_language": "en"}]))
    assert got["verdict"] == "supported", got["reasons"]
    got = next(check_claims([{"id": 2, "doc": "He flew across the Atlantic in a new plane.",
                              "claim": "He flew solo across the Atlantic in a new plane.", "language": "en",
                              "doc_language": "en"}]))
    assert got["verdict"] != "supported", got["reasons"]


@pytest.mark.parametrize("lang,doc,claim", [
    ("de", "Die Inflation in der Türkei sank im November auf 48 Prozent.",
     "Die Inflation in der Türkei stieg im November auf 48 Prozent."),
    ("fr", "L'inflation en Turquie a ralenti à 48 % en novembre.", "L'inflation en Turquie a accéléré à 48 % en novembre."),
    ("es", "La inflación en Turquía cayó al 48 % en noviembre.", "La inflación en Turquía subió al 48 % en noviembre."),
    ("it", "L'inflazione in Turchia è calata al 48 % a novembre.", "L'inflazione in Turchia è aumentata al 48 % a novembre."),
    ("en", "Inflation in Turkey eased to 48 percent in November.", "Inflation in Turkey rose to 48 percent in November."),
])
def test_the_direction_of_a_change_is_read_in_each_language(lang, doc, claim):
    """Without a WordNet for German, French, Spanish, Italian, "stieg" for "sank" was a changed word (partial)."""
    got = next(check_claims([{"id": 1, "doc": doc, "claim": claim, "language": lang, "doc_language": lang}]))
    assert got["verdict"] == "unsupported" and any("says the opposite of" in r for r in got["reasons"]), got
    same = next(check_claims([{"id": 1, "doc": doc, "claim": doc, "language": lang, "doc_language": lang}]))
    assert same["verdict"] == "supported"
