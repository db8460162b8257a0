"""Segmentation: exact spans (property-tested), German specifics, ids, token chunks (issue #2)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefings import tokens
from briefings.config import SegmentSettings, Settings
from briefings.ingest import article_id, clean_text, ingest, load_rules
from briefings.models import Article, Sentence
from briefings.segment import chunk, segment, split_sentences

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
RULES = load_rules()


def sentences(text: str, lang: str = "de") -> list[str]:
    return [text[s:e] for s, e in split_sentences(text, lang)]


def check_spans(text: str, spans: list[tuple[int, int]]) -> None:
    """Spans are ordered, disjoint, trimmed, and together cover every non-space character."""
    pos = 0
    covered = [False] * len(text)
    for s, e in spans:
        assert pos <= s < e <= len(text)
        assert not text[s].isspace() and not text[e - 1].isspace()
        for i in range(s, e):
            covered[i] = True
        pos = e
    lost = [c for c, cov in zip(text, covered) if not cov and not c.isspace()]
    assert lost == [], f"text outside every sentence: {''.join(lost)!r}"


def check_article(a: Article) -> None:
    assert a.sentences, a.source
    for n, s in enumerate(a.sentences, start=1):
        assert a.text[s.start:s.end] == s.text
        assert s.id == f"{a.id}:s{n}" and s.index == n and s.article_id == a.id
    check_spans(a.text, [(s.start, s.end) for s in a.sentences])
    paras = [s.paragraph for s in a.sentences]
    assert paras == sorted(paras) and paras[0] == 0


# ------------------------------------------------------------------ properties

# Text built from the things that trip splitters: quotes of several languages, abbreviations, dotted
# numbers and dates, unicode letters, newlines and odd whitespace.
PIECES = st.sampled_from([
    "Dr.", "z. B.", "z.B.", "U.S.", "Mr.", "St.", "12.", "3.5", "1.234.567", "12. Juli 2020", "3. Okt.",
    "„", "“", "”", "\"", "'", "«", "»", "‹", "(", ")", "...", "…", ".", "!", "?", "?!", ":", ";", "-", "–",
    " ", "  ", "\n", "\n\n", " \n ", "\t", "\u00a0", "\u2028", "\u3000", "word", "Wort", "über", "Ärger",
    "straße", "İstanbul", "ﬁ", "e\u0301", "日本語。", "Привет.", "مرحبا.", "🙂", "a", "B", "7",
])
TEXTS = st.one_of(
    st.lists(PIECES, max_size=60).map(lambda xs: " ".join(xs) if len(xs) % 2 else "".join(xs)),
    st.text(max_size=300),
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=200),
)
LANGS = st.sampled_from(["en", "de", "tr", "sr", "und", "zz", None])


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=TEXTS, lang=LANGS)
def test_split_spans_exact_on_arbitrary_text(text, lang):
    check_spans(text, split_sentences(text, lang))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=TEXTS, lang=st.sampled_from(["en", "de", "und"]))
def test_segment_article_invariants_on_cleaned_text(text, lang):
    stored = clean_text(text, RULES)  # what ingest stores
    a = Article(id=article_id(stored), source="x", text=stored, language=lang)
    segment(a, chunk_tokens=20)
    for n, s in enumerate(a.sentences, start=1):
        assert a.text[s.start:s.end] == s.text
        assert s.id == f"{a.id}:s{n}"
    check_spans(a.text, [(s.start, s.end) for s in a.sentences])
    assert [i for c in a.chunks for i in c.sentence_ids] == [s.id for s in a.sentences]


@pytest.fixture(scope="module")
def seeds():
    return ingest([str(SEEDS)]).articles


def test_seed_spans_exact(seeds):
    assert len(seeds) == 5
    for a in seeds:
        check_article(a)


def test_seed_sentences_sensible(seeds):
    de = next(a for a in seeds if "001_" in a.source)
    texts = [s.text for s in de.sentences]
    assert ("Am 12. Juli 2020 sind an der Staatsgrenze zwischen Armenien und Aserbaidschan wieder schwere "
            "Kämpfe ausgebrochen, die seit April 2016 geruht haben.") in texts
    assert "Jüngste Zusammenstöße" in texts  # a heading line is its own sentence
    for a in seeds:
        for s in a.sentences:
            assert len(s.text) < 800, s.text  # nothing glued into one giant sentence


# ------------------------------------------------------------------ German and English specifics


def test_german_quotes_stay_with_their_sentence():
    text = ("„Das Problem steht auf unserer Tagesordnung“, sagte Damka. Er fügte hinzu: „Die Besuche "
            "haben stattgefunden.“ Danach reiste er ab.")
    assert sentences(text) == [
        "„Das Problem steht auf unserer Tagesordnung“, sagte Damka.",
        "Er fügte hinzu: „Die Besuche haben stattgefunden.“",
        "Danach reiste er ab.",
    ]


def test_german_abbreviations_and_dates():
    text = ("Dr. Müller sagte am 12. Juli 2020 in Berlin, dass z. B. die Preise um 3.5 Prozent steigen. "
            "Am 3. Okt. 2021 kam Prof. Dr. Schmidt an. Die Zahl stieg auf 1.234.567 Menschen, d. h. deutlich "
            "mehr. Er blieb bis zum 1. Mai.")
    assert sentences(text) == [
        "Dr. Müller sagte am 12. Juli 2020 in Berlin, dass z. B. die Preise um 3.5 Prozent steigen.",
        "Am 3. Okt. 2021 kam Prof. Dr. Schmidt an.",
        "Die Zahl stieg auf 1.234.567 Menschen, d. h. deutlich mehr.",
        "Er blieb bis zum 1. Mai.",
    ]


def test_english_abbreviations():
    text = "Mr. Smith arrived in Washington on Monday. U.S. officials said he stayed 2.5 hours. He left."
    assert sentences(text, "en") == [
        "Mr. Smith arrived in Washington on Monday.",
        "U.S. officials said he stayed 2.5 hours.",
        "He left.",
    ]


def test_every_line_is_a_paragraph():
    text = "Heading without stop\n\nFirst sentence here. Second one.\nThird line"
    a = Article(id="abc", source="x", text=text, language="en")
    segment(a)
    assert [(s.text, s.paragraph) for s in a.sentences] == [
        ("Heading without stop", 0), ("First sentence here.", 1), ("Second one.", 1), ("Third line", 2)]


def test_empty_text_has_no_sentences_or_chunks():
    a = segment(Article(id="e", source="x", text="", language="en"))
    assert a.sentences == [] and a.chunks == [] and a.tokens == 0


# ------------------------------------------------------------------ chunks


def _long_article() -> Article:
    text = "\n\n".join(p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt")))
    text = clean_text(text, RULES)
    return Article(id=article_id(text), source="x", text=text, language="en")


@pytest.mark.parametrize("budget", [1, 25, 60, 200, 1500, 100_000])
def test_chunks_respect_budget_and_cover_all_sentences(budget):
    a = segment(_long_article(), chunk_tokens=budget)
    counts = {s.id: tokens.count(s.text) for s in a.sentences}
    assert [i for c in a.chunks for i in c.sentence_ids] == [s.id for s in a.sentences]
    for n, c in enumerate(a.chunks, start=1):
        assert c.id == f"{a.id}:c{n}" and c.article_id == a.id
        assert c.tokens == sum(counts[i] for i in c.sentence_ids)
        assert c.tokens <= budget or len(c.sentence_ids) == 1
    assert a.tokens == sum(counts.values())
    # greedy: a chunk is closed only when the next sentence would not fit
    for c, nxt in zip(a.chunks, a.chunks[1:]):
        assert c.tokens + counts[nxt.sentence_ids[0]] > budget
    if budget == 100_000:
        assert len(a.chunks) == 1
    if budget == 1:
        assert len(a.chunks) == len(a.sentences)


def test_chunk_single_long_sentence_gets_own_chunk():
    a = Article(id="x1", source="x", text="Short one. " + "word " * 300 + "end. Another short one.",
                language="en")
    segment(a, chunk_tokens=50)
    big = [c for c in a.chunks if c.tokens > 50]
    assert len(big) == 1 and len(big[0].sentence_ids) == 1


def test_chunk_function_directly():
    sents = [Sentence(id=f"q:s{n}", article_id="q", index=n, start=0, end=1, text="x") for n in range(1, 5)]
    out = chunk("q", sents, [3, 3, 3, 3], 6)
    assert [c.sentence_ids for c in out] == [["q:s1", "q:s2"], ["q:s3", "q:s4"]]
    assert [c.tokens for c in out] == [6, 6]


def test_ingest_uses_configured_chunk_budget():
    settings = Settings(segment=SegmentSettings(chunk_tokens=100))
    for a in ingest([str(SEEDS)], settings).articles:
        assert len(a.chunks) > 1
        assert all(c.tokens <= 100 or len(c.sentence_ids) == 1 for c in a.chunks)


def test_segment_many_equals_segment_one_by_one(seeds):
    from briefings.segment import segment_many

    copies = [a.model_copy(update={"sentences": [], "chunks": [], "tokens": 0}) for a in seeds]
    segment_many(copies, 200)
    for a, b in zip(seeds, copies):
        one = segment(a.model_copy(), 200)
        assert b.sentences == one.sentences and b.chunks == one.chunks and b.tokens == one.tokens
