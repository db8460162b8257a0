"""Issue #16: "verbatim" means verbatim; edited copies and citation floods never reach readers as
supported, with or without a judge. Gold: tests/gold/verbatim_probes.jsonl (80 fabrications made by
editing the seeds' real sentences, 30 faithful rewrites), ``pytest -s`` prints the table."""

from __future__ import annotations

import importlib.util
import json
from collections import Counter
from pathlib import Path

import pytest
from baseline import gate
from scripted_model import EditingModel, install

from briefings.models import BriefingSentence, CitedSpan, Verdict
from briefings.verify import VERBATIM, VerifyContext, verify_sentence, verify_sentences

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("verify_accuracy", ROOT / "bench" / "verify_accuracy.py")
va = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(va)  # type: ignore[union-attr]
PROBES = ROOT / "tests" / "gold" / "verbatim_probes.jsonl"
FAMILIES = {"antonym", "negation", "name", "number", "quantifier", "modality", "tense", "date", "qualifier",
            "speaker", "title", "direction", "flood", "merge"}


@pytest.fixture(scope="module")
def probes() -> list[dict]:
    return [json.loads(line) for line in PROBES.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def results(probes):
    return va.run_probes(probes)


def test_probe_set_is_new_big_and_covers_every_family_in_both_languages(probes):
    old = {json.loads(line)["claim"] for line in (ROOT / "tests/gold/verify_cases.jsonl").read_text().splitlines()}
    assert not [p["id"] for p in probes if p["claim"] in old], "no probe duplicates an existing gold case"
    fab = [p for p in probes if p["label"] == "fabrication"]
    assert len(fab) >= 72 and len(probes) - len(fab) >= 25
    assert {p["family"] for p in fab} == FAMILIES
    assert {p["language"] for p in fab} == {"en", "de"} and Counter(p["language"] for p in fab)["de"] >= 20


def test_probe_spans_are_the_ingested_seeds(probes, tmp_settings):
    """The ids and texts are the real ones, so the pipeline test below can cite them."""
    from briefings.ingest import ingest

    res = ingest([str(ROOT / "seeds")], tmp_settings, workers=0)
    text = {s.id: a.text[s.start:s.end] for a in res.articles for s in a.sentences}
    for p in probes:
        for sid, sp in p["spans"].items():
            assert text.get(sid) == sp["text"], (p["id"], sid)


def test_floors(results):
    print("\n" + va.probe_report(results))
    fab = [(p, r) for p, r in results if p["label"] == "fabrication"]
    shown = [(p["id"], p["family"], p["claim"], r.reasons) for p, r in fab if r.verdict == Verdict.supported]
    assert shown == [], "a fabrication shown as supported by the lexical checks"
    # a judge that says "supported" to everything: only what the checks leave open can be raised, and
    # never past the ceiling (an edited word, a citation flood)
    liftable = [(p["id"], p["claim"], r.reasons) for p, r in fab
                if not r.hard and r.reasons != [VERBATIM] and r.ceiling == Verdict.supported]
    assert liftable == [], "a fabrication a yes-judge could show as supported"
    assert not [p for p, r in fab if r.reasons == [VERBATIM]], "no edited copy counts as verbatim"
    faithful = [(p, r) for p, r in results if p["label"] == "faithful"]
    lost = [p["id"] for p, r in faithful if r.verdict == Verdict.unsupported]
    gate("verbatim_probes.faithful_lost", len(lost) / len(faithful))
    exact = [r for p, r in faithful if p["family"] in ("exact", "normalised", "part")]
    assert all(r.reasons == [VERBATIM] for r in exact), "word-for-word copies are verbatim"


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_every_family_is_caught(results, family):
    got = [r for p, r in results if p["family"] == family and p["label"] == "fabrication"]
    assert got and all(r.verdict != Verdict.supported and r.ceiling != Verdict.supported or r.hard for r in got)


def _verdict(claim: str, span: str, lang: str = "en") -> BriefingSentence:
    sp = CitedSpan(sentence_id="a:s1", article_id="a", start=0, end=len(span), text=span, language=lang)
    return verify_sentence(BriefingSentence(text=claim, language=lang, citations=["a:s1"]), None,
                           VerifyContext(spans={"a:s1": sp}))


SPAN = ("While Serbia had initially planned the purchase of Bayraktar military drones from Turkey, it announced "
        "in 2023 that it had abandoned the plan in response to Turkey’s delivery of drones to Kosovo.")


def test_verbatim_means_exact_up_to_whitespace_quotes_dashes_and_unicode():
    assert _verdict(SPAN, SPAN).reasons == [VERBATIM]
    spaced = SPAN.replace("Turkey’s", "Turkey's").replace(" it ", "  it\n")
    assert _verdict(spaced, SPAN).reasons == [VERBATIM]
    assert _verdict("Serbia had initially planned the purchase of Bayraktar military drones from Turkey.",
                    SPAN).reasons == [VERBATIM]  # a contiguous part
    assert _verdict("“Serbia was not asked” — said the minister — on Monday.",
                    '"Serbia was not asked" - said the minister - on Monday').reasons == [VERBATIM]
    edited = _verdict(SPAN.replace("abandoned", "completed"), SPAN)
    assert edited.verdict != Verdict.supported and VERBATIM not in edited.reasons
    assert any("'completed' replaces 'abandoned'" in r for r in edited.reasons)


def test_a_part_cut_before_a_condition_is_not_verbatim():
    span = "Serbia will join the alliance only if Kosovo withdraws its application, the minister said."
    got = _verdict("Serbia will join the alliance", span)
    assert got.reasons != [VERBATIM]


@pytest.mark.parametrize("claim,span,reason", [
    ("Serbia recognizes Kosovo as an independent state.", "Serbia does not recognize Kosovo as an independent state.",
     "drops 'not'"),
    ("Turkey and Serbia will jointly produce military drones.", "Turkey and Serbia might jointly produce military drones.",
     "'will' replaces 'might'"),
    ("Erdogan said Turkey has donated an unspecified number of Bayraktars to Albania.",
     "Erdogan said Turkey will donate an unspecified number of Bayraktars to Albania.", "'has' replaces 'will'"),
    ("Several of Serbia's neighbors are NATO members.", "Most of Serbia's neighbors are NATO members.",
     "'Several' replaces 'Most'"),
    ("Armenien hat Aserbaidschan provokative Aktionen vorgeworfen.", "Aserbaidschan hat Armenien provokative Aktionen vorgeworfen.",
     "opposite order"),
    ("Vucic sagte, Serbien habe eine geringe Anzahl von Drohnen erworben.",
     "Vucic sagte, Serbien habe eine erhebliche Anzahl von Drohnen erworben.", "'geringe' replaces 'erhebliche'"),
])
def test_the_changed_word_is_named(claim, span, reason):
    got = _verdict(claim, span, "de" if " hat " in span or "sagte" in span else "en")
    assert got.verdict != Verdict.supported
    assert any(reason in r for r in got.reasons), got.reasons


def test_a_synonym_wordnet_knows_is_supported_another_costs_a_partial_never_a_removal():
    src = "Bosnia has expressed interest in the purchase of drones of the same type."
    for said in ("buying", "acquiring"):  # synonym, broader word (WordNet)
        got = _verdict(f"Bosnia has expressed interest in {said} drones of the same type.", src)
        assert got.verdict == Verdict.supported, (said, got.reasons)
    got = _verdict("Bosnia has expressed interest in the purchase of drones of the same model.", src)
    assert got.verdict == Verdict.partial, got.reasons  # "model" for "type": no relation on record


def test_a_more_specific_word_is_not_supported_by_a_general_one():
    """WordNet entailment has a direction: "fell" may stand for "plunged", "plunged" not for "fell"."""
    assert _verdict("Shares in the company fell after the report.",
                    "Shares in the company plunged after the report.").verdict == Verdict.supported
    assert _verdict("Shares in the company plunged after the report.",
                    "Shares in the company fell after the report.").verdict != Verdict.supported


def test_an_antonym_in_place_of_the_source_word_is_unsupported():
    got = _verdict("The central bank announced emergency bond selling to contain yields.",
                   "The central bank announced emergency bond buying to contain yields.")
    assert got.verdict == Verdict.unsupported and "says the opposite of 'buying'" in got.reasons[0], got.reasons
    got = _verdict("Young stars carve out glowing paths in the galaxy.", "Old stars carve out glowing paths in the galaxy.")
    assert got.verdict == Verdict.unsupported, got.reasons


def test_a_negation_said_in_other_words_keeps_its_meaning():
    src = "Bird flu was not deemed to be a threat to humans until a 1997 outbreak in Hong Kong."
    for said in ("regarded as", "considered"):
        got = _verdict(f"Bird flu was not {said} a threat to humans until a 1997 outbreak in Hong Kong.", src)
        assert not any(r.startswith("negation") for r in got.reasons), (said, got.reasons)
    got = _verdict("The authorities have found no evidence of poison.",
                   "The authorities have not found any evidence of poison.")
    assert got.verdict == Verdict.supported, got.reasons  # "not … any" is "no"


def test_citation_flood_is_checked_against_the_best_few_and_flagged():
    spans = {f"a:s{n}": CitedSpan(sentence_id=f"a:s{n}", article_id="a", start=0, end=1, text=t, language="en")
             for n, t in enumerate(["Serbia is a candidate for European Union membership.",
                                    "Most of Serbia's neighbors have joined the alliance.",
                                    "The union has 27 members."] + [f"Filler sentence number {k} about drones."
                                                                    for k in range(20)], 1)}
    ctx = VerifyContext(spans=spans, max_citations=3)
    s = BriefingSentence(text="Serbia has joined the European Union.", language="en", citations=list(spans))
    got = verify_sentences([s], None, ctx, llm=_YesJudge())[0]
    assert got.verdict != Verdict.supported
    assert any("cites 23 sentences" in r for r in got.reasons)


def test_support_is_one_sentence_or_two_adjacent_ones():
    spans = {"a:s1": "Serbia ordered twelve Rafale jets from France.", "a:s2": "The deal is worth $3 billion.",
             "a:s9": "Albania bought drones for $3 billion."}
    spans = {k: CitedSpan(sentence_id=k, article_id="a", start=0, end=1, text=v, language="en") for k, v in spans.items()}
    ctx = VerifyContext(spans=spans)
    near = verify_sentence(BriefingSentence(text="Serbia ordered twelve Rafale jets from France worth $3 billion.",
                                            language="en", citations=["a:s1", "a:s2"]), None, ctx)
    assert near.verdict != Verdict.unsupported, near.reasons
    far = verify_sentence(BriefingSentence(text="Serbia ordered twelve Rafale jets from France for $3 billion.",
                                           language="en", citations=["a:s1", "a:s9"]), None, ctx)
    assert far.verdict == Verdict.unsupported and any("number" in r for r in far.reasons), far.reasons


class _YesJudge:
    """A judge that says "supported" to everything (in-process; the pipeline test below uses HTTP)."""

    class backend:
        makes_calls = True

    settings = None

    def ask_many(self, prompts, answer_model, contexts=None, units=None):
        return [answer_model(verdicts=[{"index": it["index"], "verdict": "supported", "reason": "yes"}
                                       for it in p.data["items"]]) for p in prompts]


def test_seed_pipeline_with_an_editing_model_and_a_yes_judge_shows_no_fabrication(openai_settings, fake_openai,
                                                                                  probes):
    """The whole seed pipeline, through the real openai client against a local HTTP server: compose writes
    exactly the probes' edits, the judge says "supported" to everything. None is shown as supported."""
    openai_settings.output.formats = ["json"]
    model = install(fake_openai, EditingModel(probes))
    from briefings.pipeline import build

    res = build([str(ROOT / "seeds")], openai_settings, write=False)
    assert model.calls["verify"] > 0, "the judge was asked"
    assert len(model.written) >= 40, f"the edits reached the verifier ({len(model.written)})"
    shown = [(b.country, s.text, s.reasons) for b in res.briefings for sec in b.sections for s in sec.sentences
             if s.text in model.written and s.verdict == Verdict.supported]
    assert shown == []
    capped = [s for b in res.briefings for sec in b.sections for s in sec.sentences
              if s.text in model.written and any("capped at partial" in r for r in s.reasons)]
    assert capped, "the yes-judge was overruled where the edit leaves the sentence at best partial"


def test_a_partial_verdict_names_the_words_it_could_not_find():
    """What cannot be aligned is what a reader must check: the reason names it."""
    got = _verdict("Activists dumped paint on the road in front of the Russian embassy.",
                   "Activists in London dumped gallons of paint in front of the Russian embassy.")
    assert got.verdict == Verdict.partial
    assert got.reasons[0] == "only 6 of 7 content words found in cited spans (not found: road)", got.reasons
