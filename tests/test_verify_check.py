"""``check_draft`` (hand-written Markdown citing sentence ids) and ``check_claims`` (doc + bare claim)."""

from __future__ import annotations

from pathlib import Path

from briefings.check import check_claims, check_draft, draft_sentences
from briefings.models import CitedSpan, Verdict
from briefings.verify import VerifyContext

ROOT = Path(__file__).resolve().parents[1]
SEED = (ROOT / "seeds" / "004_0649ad27615de1ff.txt").read_text(encoding="utf-8")
SEED_DE = (ROOT / "seeds" / "001_515579ce9e8ac83d.txt").read_text(encoding="utf-8")

SPANS = {
    "a1b2c3:s26": "Serbia has recently been strengthening its armed forces with sophisticated hardware, including an "
                  "order placed this summer for 12 French-made Rafale fighter jets for $3 billion.",
    "a1b2c3:s29": "Vucic says Serbia will never join NATO because of its “aggression” over Kosovo.",
}


def _ctx():
    return VerifyContext(spans={k: CitedSpan(sentence_id=k, article_id="a1b2c3", start=0, end=len(t), text=t, language="en")
                                for k, t in SPANS.items()})


def test_draft_sentences_parse_citation_styles():
    md = """# Serbia, week 30

**Bottom line**

- Serbia ordered 12 Rafale jets for $3 billion [a1b2c3:s26]. Vucic says Serbia will never join NATO. [a1b2c3:s29][a1b2c3:s26]
- It also plans a space programme [a1b2c3:s26, a1b2c3:s29].

Uncited sentence here. See [the source](https://example.org).
"""
    got = draft_sentences(md)
    assert got == [
        ("Serbia ordered 12 Rafale jets for $3 billion.", ["a1b2c3:s26"]),
        ("Vucic says Serbia will never join NATO.", ["a1b2c3:s29", "a1b2c3:s26"]),
        ("It also plans a space programme.", ["a1b2c3:s26", "a1b2c3:s29"]),
        ("Uncited sentence here.", []),
        ("See the source.", []),
    ]


def test_check_draft_verdicts():
    md = ("Serbia ordered 12 French-made Rafale fighter jets for $3 billion [a1b2c3:s26]. "
          "Serbia ordered 14 Rafale jets [a1b2c3:s26]. Vucic says Serbia will join NATO [a1b2c3:s29]. "
          "Vucic says Serbia will never join NATO [ffff:s1]. Serbia is great.")
    out = check_draft(md, _ctx(), country="RS")
    assert [s.verdict for s in out] == [Verdict.supported] + [Verdict.unsupported] * 4
    assert "number 14 not in cited sentence a1b2c3:s26" in out[1].reasons
    assert any("does not exist" in r for r in out[3].reasons)
    assert out[4].reasons == ["no citation"]


def test_check_claims_rows_and_evidence_offsets():
    rows = [
        {"id": "1", "doc": SEED, "claim": "Serbia ordered 12 French-made Rafale fighter jets for $3 billion."},
        {"id": "2", "doc": SEED, "claim": "Serbia ordered 12 French-made Rafale fighter jets for $5 billion."},
        {"id": "3", "doc": SEED, "claim": "Erdogan says Serbia will never join NATO because of its aggression over Kosovo."},
        {"id": "4", "doc": SEED_DE, "claim": "Twelve Azerbaijani and five Armenian soldiers were killed in the clashes."},
        {"id": "5", "doc": "", "claim": "Anything."},
    ]
    out = list(check_claims(rows))
    assert [o["id"] for o in out] == ["1", "2", "3", "4", "5"]
    assert [o["verdict"] for o in out] == ["supported", "unsupported", "unsupported", "unverified", "unsupported"]
    for o in out:
        assert set(o) >= {"id", "verdict", "score", "evidence"} and isinstance(o["score"], float)
    ev = out[0]["evidence"]
    assert any("12 French-made Rafale" in SEED[e["start"]:e["end"]] for e in ev)
    assert any("zwölf aserbaidschanische" in SEED_DE[e["start"]:e["end"]] for e in out[3]["evidence"])
    assert out[4]["evidence"] == []


def test_check_claims_claim_with_no_match_is_unsupported():
    out = next(check_claims([{"id": "x", "doc": SEED, "claim": "Quantum computers revolutionise agriculture."}]))
    assert out["verdict"] == "unsupported"


def test_check_claims_short_english_claim_is_not_taken_for_german():
    row = {"id": "a", "doc": "Serbia ordered 12 Rafale jets for $3 billion. Vucic said it was needed.",
           "claim": "Serbia ordered 12 Rafale jets for $3 billion."}
    assert next(check_claims([row]))["verdict"] == "supported"
