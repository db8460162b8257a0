"""Check every output sentence against the source sentences it cites, before anything is rendered.

Three layers, in order (GitHub issue #5):

1. Structural: every cited id exists in this run, some cited sentence (or its article) concerns the
   country, and the sentence has content words. Otherwise: unsupported.
2. Lexical, deterministic, cross-lingual: numbers (digits and number words, en+de), months/weekdays,
   names, country references (via the country tagger), quotes (verbatim unless marked translated),
   negation polarity and generalising quantifiers must agree with the cited spans. Any failure is a
   *hard* failure: unsupported, with a reason. "Supported" additionally needs positive evidence: most
   content-word stems of the sentence found in the cited spans (same language), or a verbatim copy.
   A sentence in another language than its spans that passes every hard check is *unverified*: no
   lexical check can decide a paraphrase across languages.
3. Semantic: with a model backend, an LLM judge decides entailment. It may decide or downgrade, never
   overrule a hard failure.

Heuristics, documented because they are not NER:
- A *name* is a capitalised word that is not at a sentence start, not a stopword/title/month, and not a
  country word (countries go through the tagger). In German (nouns are capitalised) and across
  languages only name-like words count: next to a title ("President X"), a speech verb ("X said"),
  or another name ("Edi Rama").
- The *speaker* of a sentence is a name within two words of a speech verb ("X said", "sagte X"). If the
  claim names a speaker and a cited span names speakers, the claim's speaker must be among them.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from collections.abc import Callable, Iterable, Iterator
from typing import Literal

import snowballstemmer

from .models import Briefing, BriefingSentence, CitedSpan, Verdict
from . import align
from .implicatives import (CLAIM_NOUNS, COMPLEMENT, DENYING, DOUBTING, FRAMED, GOVERNOR_REACH, HEDGED,
                           NO_EVIDENCE, REJECTED_DE, SUBJUNCTIVE)
from .implicatives import governed as governed_by_implicative
from .implicatives import instruction, vouched
from .injection import addresses_model
from .languages import get as _get_language
from .languages import language, supported, union
from .lexicons import LEXICONS
from .names import (
    MIDCAP,
    TOKEN,
    Tok,
    contains_seq,
    is_country_word,
    is_date_word,
    is_person,
    name_candidates,
    name_in,
    name_runs,
    quote_in,
    quotes,
    same_name,
    speakers,
    folded_words,
    tokenize,
)
from .numbers import date_terms, missing_numbers, numbers_in
from .text import SPEECH, STOP, STOP_DE, STOP_EN, TITLES, fold, negation_for, stop_for, unelide

# thresholds, tuned on tests/gold/verify_cases.jsonl (see bench/verify_accuracy.py)
SUPPORTED_OVERLAP = 1.0  # every content stem of the sentence found in its support (issue #16: a word the
# source does not have keeps it from "supported" without a judge)
PARTIAL_OVERLAP = 0.3
JUDGE_LIFT_OVERLAP = 0.5  # below this share of content words found, a judge's "supported" counts as partial
JUDGE_BATCH = 10
JUDGE_REASON_CHARS = 160
JUDGE_ITEM_TOKENS = JUDGE_REASON_CHARS + 100  # one bounded verdict: index, the echoed opening, reason, JSON
UNALIGNED_SHOWN = 5  # words named in a partial verdict's reason
MAX_CLAIM_CHARS = 1500  # a briefing statement longer than this is not one statement
VERBATIM = "verbatim"  # the reason of a sentence found word for word in its cited spans (never judged)


# ---------------------------------------------------------------------------------------- text basics

# words that carry a negation in their meaning: "ruled out" NATO membership = will "never join" NATO
NEGATIVE_VERBS = re.compile(
    r"\b(rul(e|es|ed|ing) out|reject\w*|refus\w*|den(y|ies|ied)|declin\w*|oppos\w*|abandon\w*|dropp?\w*|"
    r"stop\w*|cancel\w*|without|fail\w*|lack\w*|in(effective|capable|sufficient)|"
    r"un(able|known|clear|specified|disclosed|willing|successful\w*|likely|recogni\w*|wirksam|bekannt|klar)|"
    r"lehnt\w*|ablehn\w*|verweiger\w*|ausgeschlossen|schlie(ss|ß)t\w* aus|ohne)\b", re.I)
# generalising quantifiers, by concept, so "all" is found as "alle" across languages
# (the language registry's "quantifier_concepts"; English and German merged and read in any text)
_MERGED = ("en", "de")
_ROMANCE = ("fr", "es", "it")
_ALL = ("en", "de", "fr", "es", "it")  # the languages the mixed tables below hold; applied to text of any language
QUANTIFIERS = {c: set().union(*(language(code).table("quantifier_concepts").get(c, ()) for code in _MERGED))
               for c in language("en").table("quantifier_concepts")}
_QUANT_WORD = {w: c for c, ws in QUANTIFIERS.items() for w in ws}
# French, Spanish, Italian, by the same concepts; per language ("solo" is an English word, "mai" German)
QUANTIFIERS_ROMANCE = {code: {fold(w): c for c, ws in language(code).table("quantifier_concepts").items() for w in ws}
                       for code in _ROMANCE}



@lru_cache(maxsize=4)
def _stemmer(lang: str):
    lang_ = _get_language(lang)
    name = lang_.snowball if lang_ is not None else None  # the Snowball name the language file gives
    return snowballstemmer.stemmer(name) if name else None


@lru_cache(maxsize=65536)
def _stem(word: str, lang: str) -> str:
    st = _stemmer(lang)
    return st.stemWord(word) if st else word


def guess_language(text: str) -> str:
    """'en' or 'de' by stopword counts; the language detector is preferred when available."""
    words = [fold(t.group(0)) for t in TOKEN.finditer(text)]
    en = sum(w in STOP_EN for w in words)
    de = sum(w in STOP_DE for w in words)
    return "de" if de > en else "en"


def _lang(code: str | None, text: str) -> str:
    if code and code not in ("und", ""):
        return code.split("-")[0].lower()
    return _detect(text[:400])


def language_of(text: str, code: str | None = None) -> str:
    """The language a sentence is checked in: ``code`` when given and usable, else detected."""
    return _lang(code, text)


@lru_cache(maxsize=4096)
def _detect(text: str) -> str:
    try:
        from .ingest import detect_language

        got = detect_language(text)
        if got in ("en", "de"):
            # short sentences fool the detector ("Serbia ordered 12 Rafale jets" came out German):
            # function words are the better witness when they speak clearly for the other language
            words = [fold(t.group(0)) for t in TOKEN.finditer(text)]
            en = sum(w in STOP_EN and w not in STOP_DE for w in words)
            de = sum(w in STOP_DE and w not in STOP_EN for w in words)
            if got == "de" and en >= 2 and de == 0:
                return "en"
            if got == "en" and de >= 2 and en == 0:
                return "de"
        got = _short_claim_language(text, got)
        if got and got != "und":
            return got
    except Exception:  # detector missing or failing: stopword guess is good enough for en/de
        pass
    return guess_language(text)


SHORT_CLAIM_WORDS = 12  # up to this many words, a claim's names outweigh its few other words for the detector


@lru_cache(maxsize=1)
def _function_words() -> dict[str, frozenset[str]]:
    """Per language with a file: its stop words and its month and weekday names (CLDR), folded."""
    out = {}
    for code in sorted(supported()):
        lang = language(code)
        out[code] = lang.folded("stop") | {fold(w) for w in (*lang.months, *lang.weekdays)}
    return out


def _short_claim_language(text: str, got: str) -> str:
    """A short claim full of names fools the detector ("Volodymyr Zelensky visited Berlin on Monday." reads
    as Turkish, "Chernobyl was destroyed in 1986." as French): its function words and month and weekday
    names decide when two or more of them are one language's and none the detected language's; a tie
    goes to the detector's likelier language."""
    words = folded_words(text)
    if len(words) > SHORT_CLAIM_WORDS:
        return got
    votes = {code: sum(w in vocab for w in words) for code, vocab in _function_words().items()}
    top = max(votes.values(), default=0)
    if top < 2 or votes.get(got, 0) == top:
        return got
    leaders = sorted(code for code, n in votes.items() if n == top)
    if len(leaders) == 1:
        return leaders[0]
    from .ingest import detect_confidences

    conf = detect_confidences(text)
    return max(leaders, key=lambda c: conf.get(c, 0.0))


def _vocabulary_language(text: str, claim_lang: str, spans: list[CitedSpan], span_lang: str) -> str:
    """The detector errs on short sentences. If most of the sentence's lower-case content words are
    words of its spans, it is written in the spans' language (names and numbers do not count)."""
    for _q, a, b, _ in reversed(quotes(text)):  # a quote keeps its source's language
        text = text[:a] + " " + text[b:]
    lower = [fold(t.text) for t in tokenize(text) if not t.cap and not any(c.isdigit() for c in t.text)]
    stems = [_stem(w, span_lang) for w in lower if w not in STOP and len(w) > 2]
    pool = set(_content(" ".join(sp.text for sp in spans), span_lang))
    if len(stems) < 2:
        # "Erdogan visited Tirana on Monday" (detected as Turkish): one lower-case word, the spans' own, and a
        # function word of their language
        return span_lang if stems and all(st in pool for st in stems) and \
            any(w in stop_for(span_lang) for w in lower) else claim_lang
    return span_lang if sum(st in pool for st in stems) / len(stems) >= 0.6 else claim_lang


@lru_cache(maxsize=65536)
def _content(text: str, lang: str) -> tuple[str, ...]:
    """Content-word stems (folded), numbers and stopwords left out."""
    return tuple(st for _w, st in _content_words(text, lang))


@lru_cache(maxsize=65536)
def _content_words(text: str, lang: str) -> tuple[tuple[str, str], ...]:
    """(word, stem) of each content word (folded), numbers and stopwords left out."""
    out = []
    stop = stop_for(lang)
    for t in tokenize(text):
        for part in unelide(t.folded, lang).split("-"):
            if len(part) < 2 or part in stop or part.isdigit() or any(c.isdigit() for c in part):
                continue
            out.append((part, _stem(part, lang)))
    return tuple(out)


# ---------------------------------------------------------------------------------------- countries

@lru_cache(maxsize=65536)
def _mentions(text: str) -> tuple:
    """The country tagger's mentions in ``text``, tagged once for every check that needs them."""
    from .countries import tag_text

    return tuple(tag_text(text))


def _countries_in(text: str) -> frozenset[str]:
    return frozenset(m.code for m in _mentions(text))


# "from X" / "to X": the direction of a delivery, a purchase, a visit. English and German prepositions.
_DIRECTION = {code: {k: str(v) for k, v in language(code).values("direction").items()} for code in _MERGED}
_BEFORE_NAME = re.compile(r"(\w+)\s+(?:(?:the|der|die|dem|den)\s+)?$", re.I)
_POSSESSIVE = re.compile(r"['’]s\b")


@lru_cache(maxsize=65536)
def _directed(text: str, lang: str) -> frozenset[tuple[str, str]]:
    """(direction, country code) for each country named right after a directional preposition, by
    name or capital ("to Turkey", "aus der Türkei"); adjectives ("from Turkish President …") and
    possessives ("to Turkey's delivery") do not count."""
    preps = _DIRECTION.get(lang, {})
    out = set()
    for m in _mentions(text):
        before = _BEFORE_NAME.search(text[max(0, m.start - 40):m.start])  # a bounded look-back: linear time
        possessive = _POSSESSIVE.match(text, m.end)  # "to Serbia's neighbour Kosovo": not the target
        if m.kind in ("name", "capital") and before and before.group(1).lower() in preps and not possessive:
            out.add((preps[before.group(1).lower()], m.code))
    return frozenset(out)


def _swapped_direction(claim: str, lang: str, spans: list[CitedSpan]) -> str | None:
    """A claim that puts a country in the slot where its cited sentences put another country of the
    claim ("drones from Albania" where the source says "from Turkey") reverses who does what to whom."""
    mine = _directed(claim, lang)
    theirs = set().union(*(_directed(sp.text, _lang(sp.language, sp.text)) for sp in spans))
    codes = _countries_in(claim)
    for direction, code in sorted(mine):
        if (direction, code) in theirs:
            continue
        others = sorted(c for d, c in theirs if d == direction and c != code and c in codes)
        if others:
            return (f"direction reversed: the claim says {direction} {code}, the cited sentences say "
                    f"{direction} {', '.join(others)}")
    return None


@dataclass
class VerifyContext:
    spans: dict[str, CitedSpan]  # every sentence of the run, by sentence id
    sentence_countries: dict[str, list[str]] = field(default_factory=dict)  # sentence id -> codes
    article_countries: dict[str, list[str]] = field(default_factory=dict)  # article id -> codes
    max_citations: int = 3  # a sentence is checked against its best few cited sentences (verify.max_citations)
    _names: frozenset[str] | None = field(default=None, repr=False, compare=False)
    _runs: dict[str, tuple[tuple[str, ...], ...]] = field(default_factory=dict, repr=False, compare=False)

    def known_names(self) -> frozenset[str]:
        """Folded words written capitalised mid-sentence anywhere in the run (one regex pass, cached):
        lets "Erdogan said ..." at the start of a claim count as a name."""
        if self._names is None:
            found: set[str] = set()
            for sp in self.spans.values():
                found.update(fold(w) for w in MIDCAP.findall(sp.text))
            self._names = frozenset(found - STOP - TITLES)
        return self._names

    def name_runs(self, article_id: str) -> tuple[tuple[str, ...], ...]:
        """Full names written in one article (two or more adjacent capitalised words, folded), cached:
        where "Howe" in a cited sentence is the "Eddie Howe" of the article's first paragraph."""
        if article_id not in self._runs:
            runs: set[tuple[str, ...]] = set()
            for sp in self.spans.values():
                if sp.article_id == article_id:
                    runs.update(_cap_runs(sp.text))
            self._runs[article_id] = tuple(sorted(runs))
        return self._runs[article_id]


def _cap_runs(text: str) -> set[tuple[str, ...]]:
    """Runs of two or more adjacent capitalised words that are neither stopwords nor titles."""
    out: set[tuple[str, ...]] = set()
    cur: list[str] = []
    toks = tokenize(text)
    for n, t in enumerate(toks):
        if t.cap and t.folded not in STOP and t.folded not in TITLES and len(t.folded) > 1 and not t.text.isupper():
            cur.append(t.folded)
            if t.glued_next and n + 1 < len(toks):
                continue
        if len(cur) > 1:
            out.add(tuple(cur))
        cur = []
    return out


@dataclass
class _Result:
    verdict: Verdict
    reasons: list[str]
    score: float
    hard: bool  # a hard (structural or lexical) failure: the judge cannot overrule it
    ceiling: Verdict = Verdict.supported  # the best verdict anyone (the judge included) may give


# verdicts from worst to best, for ceilings
RANK = {Verdict.unsupported: 0, Verdict.unverified: 1, Verdict.partial: 2, Verdict.supported: 3}


def _capped(verdict: Verdict, ceiling: Verdict) -> Verdict:
    return verdict if RANK[verdict] <= RANK[ceiling] else ceiling


def _negated(words: list[str], lang: str | None = None) -> list[int]:
    neg = negation_for(lang)
    elided = lang in ("fr", "it")  # "n'a pas", "n'est"
    return [i for i, w in enumerate(words) if w in neg or w.endswith("n't") or w.endswith("n’t")
            or (elided and (w.startswith("n'") or w.startswith("n’")))]


def _check_negation(claim: str, claim_lang: str, spans: list[CitedSpan], same_lang: bool,
                    primary: CitedSpan | None = None) -> str | None:
    cw = folded_words(claim)
    c_neg = _negated(cw, claim_lang)
    span_words = [(folded_words(sp.text), sp) for sp in spans]
    s_neg = [(i, ws, sp) for ws, sp in span_words for i in _negated(ws, _lang(sp.language, sp.text))]
    if c_neg and not s_neg:
        # "not effective" against "ineffective", "did not accept" against "rejected"; but "not abandoned"
        # against "abandoned" is the opposite
        neg_verbs = {_stem(fold(m.group(0)).split()[0], sp.language) for sp in spans for m in NEGATIVE_VERBS.finditer(sp.text)}
        governed = set().union(*(_governed(cw, i, claim_lang) for i in c_neg))
        if neg_verbs and not (neg_verbs & governed):
            return None
    if c_neg and not s_neg:
        return f"negation '{cw[c_neg[0]]}' not in cited sentence {spans[0].sentence_id}" if len(spans) == 1 \
            else f"negation '{cw[c_neg[0]]}' not in cited sentences"
    if not same_lang:
        return None  # governed words cannot be compared across languages; presence was checked
    span_governed = set().union(*(_governed(ws, i, sp.language) for i, ws, sp in s_neg)) if s_neg else set()
    lexicon = LEXICONS.get(claim_lang)
    source_negated = {w for j, ws, sp in s_neg for w in _governed(ws, j, sp.language, stems=False)} if lexicon else set()
    for i in c_neg:
        mine = _governed(cw, i, claim_lang)
        if mine and not mine & span_governed and not (
                lexicon and any(lexicon.entails(v, w) for w in _governed(cw, i, claim_lang, stems=False) for v in source_negated)):
            # (a negated word the source negates in other words: "not regarded as" for "not deemed")
            return f"negation '{cw[i]} {' '.join(cw[i + 1:i + 3])}' not in cited spans"
    if s_neg and not c_neg and not NEGATIVE_VERBS.search(claim):
        claim_stems = set(_content(claim, claim_lang))
        for i, ws, sp in s_neg:
            if primary is not None and sp is not primary:
                continue  # a negation in a neighbouring cited sentence is about something else
            hit = _governed(ws, i, sp.language) & claim_stems
            if hit:
                return f"cited sentence {sp.sentence_id} negates '{sorted(hit)[0]}' ('{ws[i]}'), the statement does not"
    return None


def _governed(ws: list[str], i: int, lang: str, stems: bool = True) -> set[str]:
    """Stems (or words) a negation at ``ws[i]`` governs: the next content words (English), or the nearest
    on each side (German puts "nicht" after the verb and object)."""
    window = ws[i + 1:i + 4] if lang != "de" else ws[max(0, i - 3):i] + ws[i + 1:i + 3]
    stop, neg = stop_for(lang), negation_for(lang)
    return {_stem(unelide(w, lang), lang) if stems else unelide(w, lang) for w in window
            if w not in stop and w not in neg and len(w) > 2 and not w.isdigit() and not _negated([w], lang)}


def _quantifier(word: str, lang: str | None) -> str | None:
    return _QUANT_WORD.get(word) or QUANTIFIERS_ROMANCE.get(lang or "", {}).get(word)


def _check_quantifiers(claim: str, spans: list[CitedSpan], lang: str | None = None) -> str | None:
    span_concepts = {c for sp in spans for w in folded_words(sp.text)
                     if (c := _quantifier(w, _lang(sp.language, sp.text)))}
    for w in folded_words(claim):
        c = _quantifier(w, lang)
        if c and c not in span_concepts:
            return f"generalisation '{w}' not in cited spans"
    return None


def _overlap(claim: str, claim_lang: str, spans: list[CitedSpan],
             aliases: Iterable[str] = ()) -> tuple[float, int, int, list[str]]:
    """Share of the claim's content stems found in its spans (``aliases``: name words the article gives
    to a name in the spans), the counts, and the claim's words not found (what a reader should check)."""
    stems = _content(claim, claim_lang)
    if not stems:
        return 0.0, 0, 0, []
    span_stems: set[str] = {_stem(w, claim_lang) for w in aliases}
    span_folded = " ".join(fold(sp.text) for sp in spans)
    for sp in spans:
        span_stems.update(_content(sp.text, sp.language or claim_lang))
    # any negation stands for any other ("no evidence" / "not any evidence"): the negation check reads
    # what each one governs
    if span_stems & _negation_stems(claim_lang) or any(_denied(sp) for sp in spans):
        span_stems |= _negation_stems(claim_lang)  # ("did not deliver" for "failed to deliver")
    missing = [s for s in stems if not (s in span_stems or (len(s) >= 5 and s in span_folded))]
    lexicon = LEXICONS.get(claim_lang)
    if missing and lexicon is not None:
        # a word the source says in other words: a synonym or a more general word ("fell" for "plunged")
        source = {w for sp in spans if _lang(sp.language, sp.text) == claim_lang
                  for w, _ in _content_words(sp.text, claim_lang)}
        reworded = {st for w, st in _content_words(claim, claim_lang)
                    if st in missing and any(lexicon.entails(v, w) for v in source)}
        missing = [s for s in missing if s not in reworded]
    if missing:
        # a country said in another form: "U.K." for "British", "Ukrainian" for "Ukraine" (names and
        # adjectives, not capitals: "Paris" says more than "France"); the countries check reads which one
        codes = {m.code for sp in spans for m in _mentions(sp.text) if m.kind in ("name", "adjective")}
        forms = {t.folded: t.text for t in tokenize(claim)}
        same = {st for w, st in _content_words(claim, claim_lang)
                if st in missing and _country_form(forms.get(w, w)) in codes}
        missing = [s for s in missing if s not in same]
    found = len(stems) - len(missing)
    unaligned = list(dict.fromkeys(w for w, st in _content_words(claim, claim_lang) if st in missing))
    return found / len(stems), found, len(stems), unaligned


def coverage(claim: str, lang: str, source: str) -> tuple[float, list[str]]:
    """Share of the claim's content words that ``source`` says, in its own words or in words the lexicon
    relates (the reach "supported" uses), and the claim words it does not say. A claim whose words are not
    all in its whole source cannot be "supported" by any part of it: the ceiling of the bench."""
    span = CitedSpan(sentence_id="source:s1", article_id="source", start=0, end=len(source), text=source,
                     language=lang)
    share, _, _, missing = _overlap(claim, lang, [span])
    return share, missing


@lru_cache(maxsize=64)
def _negation_stems(lang: str) -> frozenset[str]:
    return frozenset(_stem(w, lang) for w in negation_for(lang))




PRONOUN_SPEECH = re.compile(r"\b(he|she|they|er|sie)\s+(said|says|added|stated|told|sagte|sagt|fügte|erklärte|betonte)\b"
                             r"|\b(said|says|added|sagte|erklärte|betonte)\s+(he|she|they|er|sie)\b", re.I)


def _previous_speakers(sp: CitedSpan, ctx: "VerifyContext", known: frozenset[str]) -> set[str]:
    """For "he said": the named speakers of the nearest of the three sentences before, same article."""
    m = re.fullmatch(r"(.*):s(\d+)", sp.sentence_id)
    if not m:
        return set()
    for back in range(1, 4):
        prev = ctx.spans.get(f"{m.group(1)}:s{int(m.group(2)) - back}")
        if prev is None:
            return set()
        found = speakers(prev.text, prev.language == "de", known)
        if found:
            return found
    return set()


def _primary(claim: str, lang: str, spans: list[CitedSpan]) -> CitedSpan:
    """The cited span sharing most content stems with the claim (the first one on ties)."""
    stems = set(_content(claim, lang))
    if len(spans) == 1 or not stems:
        return spans[0]
    return max(spans, key=lambda sp: len(stems & set(_content(sp.text, sp.language or lang))))


# Words that, right before a claim found inside a source sentence, mean the source does not assert it.
# (every language's, in text of any language: a French "que" frames a German sentence too)
FRAMING = union("framing", _ALL)
# of those, the words a plain report of speech uses ("The ministry said that …"): the judge decides whether
# the statement may drop the attribution; the others keep it at partial whatever a judge says
NEUTRAL_FRAMING = union("neutral_framing", _ALL)
# "According to preliminary results, the ruling party won …": a tentative source the part is attributed to
ATTRIBUTION = union("attribution", _ALL, folded=True)
TENTATIVE = align.STATUS_SOFT | union("tentative", _ALL, folded=True)


def _framed(claim: str, spans: list[CitedSpan]) -> str | None:
    """The framing word when the claim occurs word for word inside a span right after one."""
    cw = folded_words(claim)
    n = len(cw)
    if not n:
        return None
    for sp in spans:
        sw = folded_words(sp.text)
        for i in range(1, len(sw) - n + 1):
            if sw[i:i + n] == cw:
                before = sw[max(0, i - 2):i]
                hits = [w for w in reversed(before) if w in FRAMING]
                if hits:  # "claims that": the claim, not the "that", says what the frame is
                    return next((w for w in hits if w not in NEUTRAL_FRAMING), hits[0])
                lead = next(_tentative_sources(sw[max(0, i - ATTRIBUTION_REACH):i]), None)
                if lead:
                    return " ".join(lead)
    return None


ATTRIBUTION_REACH = 6  # words from "according to" where "preliminary results" may stand


def _tentative_sources(ws: list[str]) -> Iterator[list[str]]:
    """Each "according to" / "laut" / "selon" … in folded words with the words of its reach, when a
    tentative word ("preliminary", "estimates", "exit polls") stands among them."""
    for k, w in enumerate(ws):
        lead = ws[k:k + ATTRIBUTION_REACH]
        if w in ATTRIBUTION and set(lead) & TENTATIVE:
            yield lead


# Words right after a claim found inside a source sentence that make the source's statement conditional
# or restricted: "Serbia will join NATO" inside "Serbia will join NATO only if ..." is not what it says.
TRAILING_FRAMING = union("trailing_framing", _MERGED)
# Words right before such a part that qualify its first words: "100 people" cut from "nearly 100 people",
# "up to 300", "more than 50" is not what the source says
# folded, as folded_words gives them ("über" -> "uber"); "… of the 20 suspects": the part starts inside a phrase
LEADING_QUALIFIER = union("leading_qualifier", _ALL, folded=True) | align.STATUS


def _verbatim(claim: str, spans: list[CitedSpan]) -> bool:
    """The claim is one cited sentence, or a contiguous part of one, word for word: only whitespace,
    quote marks, dashes, Unicode forms, final punctuation and a capitalised first letter may differ.
    Nothing fuzzy: a one-word edit of a long sentence is an edit (issue #16)."""
    for sp in spans:
        at = align.verbatim_in(claim, sp.text)
        if at is None:
            continue
        text = align.normal(sp.text)
        after = folded_words(text[at[1]:])[:1]
        head = folded_words(text[:at[0]])
        if after and after[0] in TRAILING_FRAMING or head and (head[-1] in LEADING_QUALIFIER
                                                                or head[0] in align.CONDITIONAL):
            continue  # "… only if", "nearly 100 …", "If the vote fails, …": the part is not what it says
        return True
    return False


def _verbatim_join(claim: str, spans: list[CitedSpan]) -> bool:
    """The claim is adjacent cited sentences of one article, joined in order, word for word (the
    extractive composer shows "However, …" with the sentence it leans on): each part is verbatim, so no
    check may count a word of one part as missing from the other."""
    if len(spans) < 2 or len({_position(sp)[0] for sp in spans}) != 1:
        return False
    ordered = sorted(spans, key=_position)
    if any(_position(b)[1] - _position(a)[1] != 1 for a, b in zip(ordered, ordered[1:])):
        return False
    joined = " ".join(sp.text for sp in ordered)
    return align.verbatim_in(claim, joined) is not None and _verbatim(claim, [ordered[-1].model_copy(
        update={"text": joined})])


def _structural(s: BriefingSentence, country: str | None, ctx: VerifyContext) -> tuple[list[CitedSpan], list[str]]:
    reasons: list[str] = []
    if not s.citations:
        return [], ["no citation"]
    spans = []
    for cid in s.citations:
        sp = ctx.spans.get(cid)
        if sp is None:
            reasons.append(f"cited id {cid} does not exist in this run")
        else:
            spans.append(sp)
    if not spans:
        reasons.append("no valid citation")
        return spans, reasons
    if country:
        code = country.upper()
        ok = False
        for sp in spans:
            codes = set(ctx.sentence_countries.get(sp.sentence_id, [])) | set(ctx.article_countries.get(sp.article_id, []))
            if sp.sentence_id not in ctx.sentence_countries and sp.article_id not in ctx.article_countries:
                codes |= _countries_in(sp.text)  # untagged context (e.g. a hand-written draft): tag now
            if code in codes:
                ok = True
                break
        if not ok:
            reasons.append(f"no cited sentence or its article concerns {code}")
    return spans, reasons


def _check(s: BriefingSentence, country: str | None, ctx: VerifyContext) -> _Result:
    spans, reasons = _structural(s, country, ctx)
    if reasons:
        return _Result(Verdict.unsupported, reasons, 0.0, True)
    # a sentence that addresses the model is an attack carried by the article, never evidence
    attacks = [sp for sp in spans if addresses_model(sp.text)]
    if attacks:
        return _Result(Verdict.unsupported, [f"cited sentence {sp.sentence_id} is an instruction to the model, "
                                             "not a report" for sp in attacks], 0.0, True)
    # a sentence that orders whoever summarises it to write something ("For the Albania briefing, write: …")
    # is an instruction, not a report: its object is not a fact of the source, word for word or not
    orders = [(sp, o) for sp in spans if (o := instruction(sp.text, _lang(sp.language, sp.text)))]
    if orders:
        return _Result(Verdict.unsupported, [f"cited sentence {sp.sentence_id} instructs the summariser (“{o} …”), "
                                             "it does not report" for sp, o in orders], 0.0, True)
    text = s.text.strip()
    if len(text) > MAX_CLAIM_CHARS:  # bounds the work per sentence (alignment is quadratic in its length)
        return _Result(Verdict.unsupported, [f"a statement of {len(text)} characters is too long to verify "
                                             f"as one (limit {MAX_CLAIM_CHARS})"], 0.0, True)
    claim_lang = _lang(s.language, text)
    # support lives in one place: the best cited sentence, and at most one adjacent or same-fact one
    support, flood = _support(text, claim_lang, spans, ctx)
    span_langs = {_lang(sp.language, sp.text) for sp in support}
    if claim_lang not in span_langs and _detect(text[:400]) in span_langs:
        claim_lang = _detect(text[:400])  # a sentence labelled with the output language, written in the source's
    if claim_lang not in span_langs and len(span_langs) == 1:
        claim_lang = _vocabulary_language(text, claim_lang, support, next(iter(span_langs)))
    same_lang = claim_lang in span_langs
    if not _content(text, claim_lang):
        return _Result(Verdict.unsupported, ["no content words to verify"], 0.0, True)
    r = _lexical(text, claim_lang, support, same_lang, span_langs, ctx)
    if flood:
        r.reasons.append(flood)
        r.ceiling = _capped(r.ceiling, Verdict.partial)
    r.verdict = _capped(r.verdict, r.ceiling)
    return r


def _support(text: str, lang: str, spans: list[CitedSpan], ctx: VerifyContext) -> tuple[list[CitedSpan], str | None]:
    """The cited sentences a claim is checked against, in text order, and a flag when it cites more than
    ``ctx.max_citations``: the best-matching cited sentence, plus one more when it is adjacent in the
    same article (two sentences apart at most: "he said" names its speaker before) or reports the same
    fact (most content words shared). Words collected from a flood of citations support nothing."""
    want = units(text, lang)
    ranked = sorted(spans, key=lambda sp: -_gain(want, units(sp.text, _lang(sp.language, sp.text))))
    considered = ranked[:max(1, ctx.max_citations)]
    flood = None
    if len(spans) > len(considered):
        flood = (f"cites {len(spans)} sentences: checked against its best {len(considered)} "
                 f"(verify.max_citations), at best partial")
    primary = considered[0]
    covered = units(primary.text, _lang(primary.language, primary.text)) & want
    best, gain = None, 0.0
    for sp in considered[1:]:
        if not _related(primary, sp):
            continue
        g = _gain(want - covered, units(sp.text, _lang(sp.language, sp.text)))
        if g > gain:
            best, gain = sp, g
    support = [primary] + ([best] if best is not None and gain >= 1 else [])
    return sorted(support, key=_position), flood


def _gain(want: frozenset[str] | set[str], have: frozenset[str]) -> float:
    return sum(2.0 if u.startswith("n:") else 1.0 for u in want & have)  # a number is the surest anchor


def _position(sp: CitedSpan) -> tuple[str, int]:
    m = re.fullmatch(r"(.*):s(\d+)", sp.sentence_id)
    return (m.group(1), int(m.group(2))) if m else (sp.sentence_id, 0)


def _related(a: CitedSpan, b: CitedSpan) -> bool:
    """Adjacent in one article (at most two sentences apart), or two reports of the same fact."""
    (art_a, n_a), (art_b, n_b) = _position(a), _position(b)
    if art_a == art_b and n_a and n_b and abs(n_a - n_b) <= 2:
        return True
    ca, cb = set(_content(a.text, _lang(a.language, a.text))), set(_content(b.text, _lang(b.language, b.text)))
    return bool(ca and cb) and len(ca & cb) / min(len(ca), len(cb)) >= 0.6


@lru_cache(maxsize=65536)
def units(text: str, lang: str) -> frozenset[str]:
    """What retrieval and support selection match on: content stems, numbers, capitalised words,
    country codes."""
    out = {f"w:{s}" for s in _content(text, lang)}
    out |= {f"n:{v:g}" for q in numbers_in(text, lang) for v in q.values}
    out |= {f"c:{c}" for c in _countries_in(text)}
    out |= {f"p:{t.folded}" for t in tokenize(text) if t.cap and len(t.folded) > 3}
    return frozenset(out)


@dataclass
class Evidence:
    """What the lexical checks read: the sentence, its support, and what is derived from both once."""

    text: str
    lang: str
    spans: list[CitedSpan]
    same_lang: bool
    ctx: VerifyContext
    # derived once from the above, in __post_init__
    where: str = field(init=False)
    toks: list[Tok] = field(init=False)
    strict: bool = field(init=False)  # names need a capital-letter test that German nouns would pass
    span_tok: set[str] = field(init=False)
    span_folded: str = field(init=False)
    known: frozenset[str] = field(init=False)
    cands: list[Tok] = field(init=False)
    primary: CitedSpan = field(init=False)
    alias_runs: list[tuple[str, ...]] = field(init=False)  # the article's full names of a name in the spans

    def __post_init__(self) -> None:
        one = self.spans[0].sentence_id if len(self.spans) == 1 else None
        self.where = f"cited sentence {one}" if one else "cited sentences " + ", ".join(sp.sentence_id for sp in self.spans)
        self.toks = tokenize(self.text)
        self.strict = self.lang == "de" or not self.same_lang
        self.span_tok = {fold(w) for sp in self.spans for w in (t.text for t in tokenize(sp.text))}
        self.span_tok |= {p for w in list(self.span_tok) for p in w.split("-")}
        self.span_folded = " ".join(fold(sp.text) for sp in self.spans)
        self.known = self.ctx.known_names()
        self.cands = name_candidates(self.toks, self.strict, self.known)
        self.primary = _primary(self.text, self.lang, self.spans)
        # coreference inside the cited article: a surname written capitalised in a cited sentence
        # ("Howe") stands for the article's full name ("Eddie Howe"); nothing from other articles
        span_caps = {t.folded for sp in self.spans for t in tokenize(sp.text) if t.cap} - STOP - TITLES
        self.alias_runs = [r for a in dict.fromkeys(sp.article_id for sp in self.spans)
                           for r in self.ctx.name_runs(a) if span_caps & set(r)] if self.same_lang else []

    @property
    def alias_words(self) -> set[str]:
        return {w for r in self.alias_runs for w in r}

    def aliased(self, words: list[str]) -> bool:
        """``words`` (folded) are part of a full name the article gives to a name in the cited spans."""
        return any(contains_seq(list(r), words) for r in self.alias_runs)


# A finding: (severity, reason). "hard" fails the sentence; "cap" keeps it at partial whatever a judge
# says; "soft" keeps it from "supported" without the judge.
Finding = tuple[Literal["hard", "cap", "soft"], str]
CHECKS: list[tuple[str, Callable[[Evidence], Iterator[Finding]]]] = []


def check(name: str):
    """Register a lexical check; checks run in registration order, and their reasons keep that order."""
    def register(fn: Callable[[Evidence], Iterator[Finding]]):
        CHECKS.append((name, fn))
        return fn
    return register


@check("numbers")
def _numbers_check(ev: Evidence) -> Iterator[Finding]:
    """Numbers, with scale, percent and currency."""
    for miss in missing_numbers(ev.text, ev.lang, [(sp.sentence_id, sp.text, _lang(sp.language, sp.text))
                                                   for sp in ev.spans]):
        yield "hard", f"number {miss.show()} not in {ev.where}"


@check("dates")
def _dates_check(ev: Evidence) -> Iterator[Finding]:
    """Months and weekdays."""
    span_dates = set().union(*(date_terms(sp.text) for sp in ev.spans))
    for term in sorted(date_terms(ev.text) - span_dates):
        yield "hard", f"date '{_date_word(ev.text, term)}' not in {ev.where}"


@check("countries")
def _countries_check(ev: Evidence) -> Iterator[Finding]:
    span_codes = set().union(*(_countries_in(sp.text) for sp in ev.spans))
    span_codes |= {c for sp in ev.spans for c in ev.ctx.sentence_countries.get(sp.sentence_id, [])}
    for code in sorted(_countries_in(ev.text) - span_codes):
        yield "hard", f"country {code} not referenced in {ev.where}"


@check("quotes")
def _quotes_check(ev: Evidence) -> Iterator[Finding]:
    """Quotes are verbatim, unless marked as translated."""
    for q, _, _, translated in quotes(ev.text):
        if not translated and not any(quote_in(q, sp.text) for sp in ev.spans):
            yield "hard", f"quote “{q}” not verbatim in {ev.where}"


@check("names")
def _names_check(ev: Evidence) -> Iterator[Finding]:
    for t in ev.cands:
        if not name_in(t.folded, ev.span_tok, ev.span_folded, fuzzy=not ev.same_lang) and not ev.aliased([t.folded]):
            yield "hard", f"name {t.text} not in {ev.where}"
    if ev.same_lang:  # "Recep Tayyip Vucic": each part is in the spans, the full name is not
        # a name is matched where it is written as one: "Pandora's Box" is not the idiom "Pandora's box"
        span_seqs = [[t.folded if t.cap else "\0" + t.folded for t in tokenize(sp.text)] for sp in ev.spans]
        for run in name_runs(ev.toks, ev.cands):
            words = [t.folded for t in run]
            if not any(contains_seq(sw, words) or contains_seq([w.rstrip("s") for w in sw], [w.rstrip("s") for w in words])
                       for sw in span_seqs) and not ev.aliased(words):
                yield "hard", f"name {' '.join(t.text for t in run)} not in {ev.where}"


@check("first word")
def _first_word_check(ev: Evidence) -> Iterator[Finding]:
    """A capitalised first word that is in no cited span may be a name we cannot tell from a common
    word: it keeps the sentence from "supported" (soft), without failing it."""
    toks = ev.toks
    if toks and toks[0].cap and toks[0] not in ev.cands and toks[0].folded not in STOP | TITLES \
            and not is_country_word(toks[0].text) and not is_date_word(toks[0].folded) \
            and not numbers_in(toks[0].text, ev.lang) and ev.same_lang \
            and not name_in(toks[0].folded, ev.span_tok, ev.span_folded, False) and not ev.aliased([toks[0].folded]) \
            and _stem(toks[0].folded, ev.lang) not in set(_content(" ".join(sp.text for sp in ev.spans), ev.lang)):
        yield "soft", f"first word {toks[0].text} not in {ev.where}"


@check("speaker")
def _speaker_check(ev: Evidence) -> Iterator[Finding]:
    """The cited sentence that carries the claim's content gives the words to someone else. When that
    sentence has no named speaker ("He said ..."), the name must be in another cited span."""
    primary = ev.primary
    primary_speakers = speakers(primary.text, primary.language == "de", ev.known)
    if not primary_speakers and PRONOUN_SPEECH.search(primary.text):
        primary_speakers = _previous_speakers(primary, ev.ctx, ev.known)
    for who in sorted(speakers(ev.text, ev.strict, ev.known)):
        if primary_speakers and not any(same_name(who, x, not ev.same_lang)
                                        or any(who in r and x in r for r in ev.alias_runs)  # Eddie (Howe)
                                        for x in primary_speakers):
            yield "hard", (f"{who} is not the speaker in cited sentence {primary.sentence_id} "
                           f"({', '.join(sorted(primary_speakers))})")


@check("negation")
def _negation_check(ev: Evidence) -> Iterator[Finding]:
    """Polarity."""
    neg = _check_negation(ev.text, ev.lang, ev.spans, ev.same_lang, ev.primary)
    if neg:
        yield "hard", neg


@check("implicatives")
def _implicative_check(ev: Evidence) -> Iterator[Finding]:
    """Polarity carried by a verb: the source's "failed to deliver" is no delivery, so a statement that keeps
    "deliver" without "failed to" (or a negation of its own over it) says the opposite."""
    if not ev.same_lang:
        return  # (a denying word of the statement's own is read in _kept_event, and "did not" there too)
    kept = _kept_event(ev, _in_support(ev, _denied), (HEDGED, NEGATIVE_VERBS))
    if kept:
        yield "hard", f"drops '{kept[0]}' of cited sentence {kept[2]}, which says '{kept[1]}' did not happen"


@check("unasserted")
def _unasserted_check(ev: Evidence) -> Iterator[Finding]:
    """An event the source only plans, requests or alleges ("accused of killing", "plans to send",
    "was asked to delay") stated as fact: the statement keeps the verb and drops the frame."""
    if not ev.same_lang:
        return
    kept = _kept_event(ev, _in_support(ev, _unasserted), (HEDGED, NEGATIVE_VERBS, FRAMED))
    if kept:
        yield "hard", f"drops '{kept[0]}' of cited sentence {kept[2]}, which does not say '{kept[1]}' happened"


def _unasserted(sp: CitedSpan) -> tuple[tuple[str, str], ...]:
    return tuple((t, v) for t, v, _ in governed_by_implicative(sp.text, _lang(sp.language, sp.text), "unasserted"))


def _in_support(ev: Evidence, events: Callable[[CitedSpan], tuple[tuple[str, str], ...]]) -> list[tuple[str, str, str]]:
    """(trigger, verb, sentence id) of each such construction in the statement's support: the main cited
    sentence, and a neighbour ("Three people were arrested. Police said they were suspected of spying")
    unless another of the cited sentences says the event outright."""
    out = []
    for sp in ev.spans:
        found = events(sp)
        others = [w for o in ev.spans if o is not sp for w, _ in _content_words(o.text, _lang(o.language, o.text))] \
            if found and sp is not ev.primary else []
        for trigger, verb in found:
            if sp is ev.primary or not any(_same_verb(fold(verb), w, ev.lang) for w in others):
                out.append((trigger, verb, sp.sentence_id))
    return out




@check("complement")
def _complement_check(ev: Evidence) -> Iterator[Finding]:
    """A clause the source denies or only reports, stated as fact in other words: "Troops crossed the
    border" for "The government denied reports that troops had crossed the border" (a part cut word for
    word is read by the framing of "verbatim"; this is for the restatement)."""
    if not ev.same_lang or HEDGED.search(ev.text) or NEGATIVE_VERBS.search(ev.text) or \
            _negated(folded_words(ev.text), ev.lang):
        return
    text = ev.primary.text
    lang = _lang(ev.primary.language, text)
    claim = _content_words(ev.text, lang)
    if not claim:
        return
    # "Laut vorläufigen Ergebnissen gewann die Regierungspartei …" → "Die Regierungspartei gewann …": a
    # tentative source dropped in a restatement (a part cut word for word is read by "verbatim")
    cw = set(folded_words(ev.text))
    for lead in _tentative_sources(folded_words(text)):
        tentative = set(lead) & TENTATIVE
        if not cw & ({lead[0]} | tentative):
            yield "cap", (f"cited sentence {ev.primary.sentence_id} attributes it to a tentative source "
                          f"(“{' '.join(lead[:lead.index(sorted(tentative)[0]) + 2])} …”)")
            break
    opens = list(COMPLEMENT.finditer(text))
    if lang == "de":  # "Die Regierung bestritt, Truppen hätten die Grenze überquert": indirect speech, no "dass"
        opens += [m for m in re.finditer(r",", text) if SUBJUNCTIVE.search(re.split(r"[,;:]", text[m.end():])[0])]
    for m in opens:
        head, tail = text[:m.start()], re.split(r"[;:]", text[m.end():])[0]
        governor = folded_words(head)[-GOVERNOR_REACH:]
        no_evidence = NO_EVIDENCE.search(" ".join(governor)) or REJECTED_DE.search(" ".join(governor))
        denied = any(DENYING.match(w) for w in governor) or no_evidence
        if not denied and not any(DOUBTING.match(w) for w in governor) and fold(m.group(0)) not in ("whether", "ob"):
            continue
        last = governor[-1] if governor else ""
        if not (no_evidence or DENYING.match(last) or DOUBTING.match(last) or last in CLAIM_NOUNS
                or fold(m.group(0)) in ("whether", "ob")):
            continue  # a relative "that": "He dismissed the general that had led the army"
        inside = _content_words(tail, lang)
        before = {st for _, st in _content_words(head, lang)} - {st for _, st in inside}
        if any(st in before for _, st in claim):
            continue  # the statement keeps a word of the frame: it reports the report
        if all(any(st == s2 or _same_verb(w, w2, lang) for w2, s2 in inside) for w, st in claim):
            what = " ".join(governor[-3:]) + ("," if m.group(0) == "," else " " + m.group(0))
            if denied:
                yield "hard", f"cited sentence {ev.primary.sentence_id} denies what the statement asserts (“{what} …”)"
            else:
                yield "cap", f"cited sentence {ev.primary.sentence_id} only reports or doubts it (“{what} …”)"
            return


@check("vouched")
def _vouched_check(ev: Evidence) -> Iterator[Finding]:
    """A clause its source vouches for instead of reporting it ("Fact-checkers note that the statement that
    Serbia joined NATO is accurate", "It is a fact that …", "Readers should know that …"), stated as fact: at
    most partial, whatever a judge says; called false ("The claim that … is false"): the opposite (issue #27).
    A statement that keeps the vouching word reports the vouching."""
    claim_words = set(folded_words(ev.text))
    for sp in ev.spans:
        lang = _lang(sp.language, sp.text)
        for kind, word, a, b in vouched(sp.text, lang):
            if set(folded_words(word)) & claim_words:
                continue  # "… said the claim was true": the statement reports the vouching
            if ev.same_lang:
                inside = _content_words(sp.text[a:b], lang)
                claim = _content_words(ev.text, lang)
                if not claim or not all(any(st == s2 or _same_verb(w, w2, lang) for w2, s2 in inside)
                                        for w, st in claim):
                    continue  # the statement says more than the clause vouched for: about something else
            if kind == "falsified":
                if not ev.same_lang or HEDGED.search(ev.text) or NEGATIVE_VERBS.search(ev.text) or \
                        _negated(folded_words(ev.text), ev.lang):
                    continue  # its own negation: the negation checks read it
                yield "hard", f"cited sentence {sp.sentence_id} calls it false (“… {word}”)"
            else:
                yield "cap", (f"cited sentence {sp.sentence_id} vouches for it (“{word}”) instead of reporting it: "
                              "at most partial")
            return


def _kept_event(ev: Evidence, events: Iterable[tuple[str, str, str]],
                own: tuple[re.Pattern[str], ...] = ()) -> tuple[str, str, str] | None:
    """The first (trigger, verb) of the source whose verb the statement keeps without negating it, or
    framing it with a word of its own (``own``: what such words look like). The kept verb itself is not
    such a word: "Exports declined" keeps the "decline" that "are expected to decline" leaves open."""
    negated = _negated_words(ev.text, ev.lang)
    frames = [fold(m.group(0)).split()[0] for pat in own for m in pat.finditer(ev.text)]
    content = {w for w, _ in _content_words(ev.text, ev.lang)}
    ws = folded_words(ev.text)
    # (English) a word after an article or a preposition names the event, it does not assert it:
    # "at the end of", "the delay in paying"
    asserted = [w for i, w in enumerate(ws) if w in content and not (ev.lang == "en" and i and ws[i - 1] in _NOMINAL)]
    for trigger, verb, where in events:
        if fold(verb) in align.NEGATION or any(not _same_verb(fold(verb), w, ev.lang) for w in frames):
            continue
        hit = next((w for w in asserted if _same_verb(fold(verb), w, ev.lang)), None)
        if hit is not None and _stem(hit, ev.lang) not in negated:
            return trigger, verb, where
    return None


_NOMINAL = language("en").raw("nominal")


def _negated_words(text: str, lang: str, stems: bool = True) -> set[str]:
    """Stems (or words) the negations of ``text`` govern."""
    ws = folded_words(text)
    return set().union(*(_governed(ws, i, lang, stems) for i in _negated(ws, lang)))


def _denied(sp: CitedSpan) -> tuple[tuple[str, str], ...]:
    """(trigger, verb) of each construction in a cited sentence that says an event did not happen; not
    when the trigger is itself negated ("would never stop defending" asserts the defending)."""
    return _denied_in(sp.text, _lang(sp.language, sp.text))


@lru_cache(maxsize=16384)
def _denied_in(text: str, lang: str) -> tuple[tuple[str, str], ...]:
    return tuple((trigger, verb) for trigger, verb, at in governed_by_implicative(text, lang)
                 if not _negated(folded_words(text[:at])[-3:], lang))


def _same_verb(a: str, b: str, lang: str) -> bool:
    """Two forms of one verb: one stem, or (English) one WordNet lemma ("lent"/"lending", "met"/"meet")."""
    if _stem(a, lang) == _stem(b, lang):
        return True
    if lang == "de":  # Snowball keeps "erhöht", "erhöhte" apart from "erhöhen": the weak verb's endings
        return len(a) > 4 and len(b) > 4 and _DE_VERB_END.sub("", fold(a)) == _DE_VERB_END.sub("", fold(b))
    if lang != "en":
        return False
    from . import wordnet

    return bool(wordnet.lemmas(a) & wordnet.lemmas(b))


_DE_VERB_END = re.compile(r"(?:test|tet|ten|te|en|st|t|e|n)$")
_PASSIVE = re.compile(r"\b(?:was|were|is|are|been|being|be|got|gets|get)\s+(?:\w+ly\s+)?(?P<p>[a-z]\w+)\s+by\s+"
                      r"(?P<agent>[^,.;:!?]{1,60})", re.I)
_BE = language("en").raw("be")


@check("voice")
def _voice_check(ev: Evidence) -> Iterator[Finding]:
    """Who did it (English): "The journalist attacked police officers" for "The journalist was attacked by
    police officers" keeps every word and turns the victim into the attacker. The active voice is the
    same fact only with the source's agent before the verb ("Police officers attacked the journalist")."""
    if not ev.same_lang or ev.lang != "en":
        return
    cw = folded_words(ev.text)
    for m in _PASSIVE.finditer(ev.primary.text):
        verb = fold(m.group("p"))
        agent = [st for _, st in _content_words(m.group("agent"), "en")][:1]
        patient = [st for _, st in _content_words(ev.primary.text[:m.start()], "en")][-1:]
        at = next((i for i, w in enumerate(cw) if _same_verb(verb, w, "en")), None)
        if at is None or not agent:
            continue
        said = " ".join(m.group(0).split()[:5])  # "was attacked by police officers"
        if any(w in _BE for w in cw[max(0, at - 3):at]):  # the statement keeps the passive: by whom?
            mine = next((c for c in _PASSIVE.finditer(ev.text) if _same_verb(verb, fold(c.group("p")), "en")), None)
            by = [st for _, st in _content_words(mine.group("agent"), "en")][:1] if mine else []
            if by and patient and by[0] != agent[0] and by[0] == patient[0]:
                yield "hard", (f"roles reversed: cited sentence {ev.primary.sentence_id} says '{said}', "
                               "the statement has it the other way round")
                return
            continue
        stems = [_stem(w, "en") for w in cw]
        agent_after = agent[0] in stems[at + 1:at + 4]  # its object: "attacked police officers"
        agent_before = agent[0] in stems[:at]
        # the source's patient as the subject right before the verb: "The journalist attacked …"
        subject = [st for w, st in zip(cw[:at], stems[:at]) if w not in stop_for("en")][-1:]
        patient_before = bool(patient) and subject == patient
        if agent_after or (patient_before and not agent_before):
            yield "hard", (f"roles reversed: cited sentence {ev.primary.sentence_id} says '{said}', "
                           "the statement has it the other way round")
            return


@check("quantifiers")
def _quantifier_check(ev: Evidence) -> Iterator[Finding]:
    """Generalisation ("all" for "some")."""
    gen = _check_quantifiers(ev.text, ev.spans, ev.lang)
    if gen:
        yield "hard", gen


@check("direction")
def _direction_check(ev: Evidence) -> Iterator[Finding]:
    """Reversed from/to, or reversed roles between two countries (same language only)."""
    if not ev.same_lang:
        return
    swapped = _swapped_direction(ev.text, ev.lang, ev.spans) or _reversed_roles(ev.text, ev.lang, ev.primary)
    if swapped:
        yield "hard", swapped


# words that order two events or make one the cause of the other: "A after B" is not "B after A"
_SEQUENCE = union("sequence", _ALL, folded=True)


def _sequence_reversed(claim: str, lang: str, source: str) -> str | None:
    """"The government raised fuel prices after protests erupted" for "Protests erupted after the
    government raised fuel prices": each side of the same "after" holds what the source has on the other."""
    cw, sw = folded_words(claim), folded_words(source)
    for word in _SEQUENCE & set(cw) & set(sw):
        if cw.count(word) != 1 or sw.count(word) != 1:
            continue
        ci, si = cw.index(word), sw.index(word)

        def stems(ws: list[str]) -> set[str]:
            return {_stem(w, lang) for w in ws if w not in stop_for(lang) and len(w) > 2 and not w.isdigit()}

        c_left, c_right, s_left, s_right = stems(cw[:ci]), stems(cw[ci + 1:]), stems(sw[:si]), stems(sw[si + 1:])
        if len(c_left) >= 2 and len(c_right) >= 2 and c_left <= s_right and c_right <= s_left and \
                not c_left & s_left and not c_right & s_right:
            return f"'{word}' orders the events the other way round than cited sentence"
    return None


@check("sequence")
def _sequence_check(ev: Evidence) -> Iterator[Finding]:
    """Which event came first, or caused which (same language only)."""
    if not ev.same_lang:
        return
    for sp in ev.spans:
        reason = _sequence_reversed(ev.text, ev.lang, sp.text)
        if reason:
            yield "hard", f"{reason} {sp.sentence_id}"
            return


@check("edits")
def _edits_check(ev: Evidence) -> Iterator[Finding]:
    """Diff-aware: an edited copy of the support may differ from it only where the difference is
    justified; a changed word is the whole fabrication (briefings/align.py). Same language only."""
    if not ev.same_lang:
        return
    d = align.diff(list(_align_tokens(ev.text, ev.lang, "")),
                   [list(_align_tokens(sp.text, _lang(sp.language, sp.text), sp.sentence_id)) for sp in ev.spans],
                   aliases=ev.alias_words | {_stem(w, ev.lang)[:5] for w in ev.alias_words},
                   lexicon=LEXICONS.get(ev.lang))
    for r in d.hard:
        m = _ADDED.match(r)
        if m and _negated([fold(m.group(1))], ev.lang) and _denied_alike(ev):
            continue  # "did not deliver" for "failed to deliver": the implicatives check reads polarity
        yield "hard", r
    yield from (("cap", r) for r in d.cap)
    yield from (("soft", r) for r in d.soft)


_ADDED = re.compile(r"^adds '([^']+)'")


def _denied_alike(ev: Evidence) -> bool:
    """The statement's negation governs a verb its primary cited sentence denies with a verb of its own."""
    negated = _negated_words(ev.text, ev.lang, stems=False)
    return any(_same_verb(fold(verb), w, ev.lang) for _, verb in _denied(ev.primary) for w in negated)


UNIT_REACH = 3  # tokens after a number in a cited sentence where the claim's counted noun may stand


def _counted(toks: tuple, i: int) -> str | None:
    """The noun a number counts: the content word right after it ("twenty-nine elephants")."""
    nxt = toks[i + 1] if i + 1 < len(toks) else None
    return nxt.key if nxt is not None and nxt.kind in ("content", "name") else None


@check("units")
def _units_check(ev: Evidence) -> Iterator[Finding]:
    """A number keeps what it counts: "twenty-nine bros." where the cited sentence has "Twenty-nine
    elephants" is another fact, though both words are there (same language only)."""
    if not ev.same_lang:
        return
    claim = _align_tokens(ev.text, ev.lang, "")
    spans = [_align_tokens(sp.text, _lang(sp.language, sp.text), sp.sentence_id) for sp in ev.spans]
    for i, t in enumerate(claim):
        # a count (digits or a number word), not a model name such as "TB2"
        counts = t.kind == "number" and (t.word.isalpha() or not any(c.isalpha() for c in t.word))
        unit = _counted(claim, i) if counts else None
        if unit is None:
            continue
        seen = [(toks, j) for toks in spans for j, u in enumerate(toks) if u.kind == "number" and u.key == t.key]
        near = {u.key for toks, j in seen for u in toks[j + 1:j + 1 + UNIT_REACH]}
        if seen and all(_counted(toks, j) for toks, j in seen) and unit not in near:
            toks, j = seen[0]
            # cap, not hard: the other noun may be a synonym ("12 jets", "12 aircraft"), which only a judge
            # can confirm, and no judge may lift it to "supported"
            yield "cap", (f"number {t.word} counts '{claim[i + 1].word}', cited sentence {toks[j].span} "
                           f"has {toks[j].word} '{toks[j + 1].word}'")


def _lexical(text: str, claim_lang: str, spans: list[CitedSpan], same_lang: bool, span_langs: set[str],
             ctx: VerifyContext) -> _Result:
    """Every registered check of ``text`` against its support ``spans``, then the verdict."""
    if same_lang and _verbatim_join(text, spans):
        return _Result(Verdict.supported, [VERBATIM], 1.0, False)
    ev = Evidence(text, claim_lang, spans, same_lang, ctx)
    findings: dict[str, list[str]] = {"hard": [], "cap": [], "soft": []}
    for _name, run in CHECKS:
        for severity, reason in run(ev):
            findings[severity].append(reason)
    hard, cap, soft = findings["hard"], findings["cap"], findings["soft"]
    if hard:
        return _Result(Verdict.unsupported, list(dict.fromkeys(hard)), 0.0, True)
    if not same_lang:  # (a cap holds across languages too: no judge lifts what the source only vouches for)
        return _Result(Verdict.unverified, [f"{claim_lang} sentence, {'/'.join(sorted(span_langs))} sources: "
                                            "lexical checks passed, entailment needs the judge"] + cap, 0.5, False,
                       Verdict.partial if cap else Verdict.supported)
    framing = _framed(text, spans)
    if framing:
        said = f"the source frames it (“{framing} …”): reported, conditional or denied, not asserted"
        # a claim, a denial, a condition, a belief: no judge may lift what the source does not assert; a
        # plain "that" after a speech verb leaves the judge to decide (issue #27)
        if set(framing.split()) <= NEUTRAL_FRAMING:
            soft = list(soft) + [said]
        else:
            cap = list(cap) + [said]
    elif not cap and _verbatim(text, spans):  # a part the source vouches for is not its fact (issue #27)
        return _Result(Verdict.supported, [VERBATIM], 1.0, False)
    ceiling = Verdict.partial if cap else Verdict.supported
    ratio, found, total, unaligned = _overlap(text, claim_lang, spans, ev.alias_words)
    detail = f"{found} of {total} content words found in cited spans"
    if unaligned:  # the words a reader has to check: "only 5 of 6 … (not found: road)"
        detail += " (not found: " + ", ".join(unaligned[:UNALIGNED_SHOWN]) + (", …" if len(unaligned) > UNALIGNED_SHOWN else "") + ")"
    if ratio >= SUPPORTED_OVERLAP and (soft or cap):
        return _Result(Verdict.partial, [detail] + cap + soft, round(ratio, 3), False, ceiling)
    if ratio >= SUPPORTED_OVERLAP:
        return _Result(Verdict.supported, [detail], round(ratio, 3), False)
    # most of the sentence is not in its sources: a judge may confirm the rest, not raise it to supported
    if ratio < JUDGE_LIFT_OVERLAP:
        ceiling = Verdict.partial
    if ratio >= PARTIAL_OVERLAP:
        return _Result(Verdict.partial, [f"only {detail}"] + cap + soft, round(ratio, 3), False, ceiling)
    return _Result(Verdict.unsupported, [f"only {detail}"] + cap + soft, round(ratio, 3), False, ceiling)


_ONE = union("one", _MERGED)
_OF = union("of", _MERGED)
_THIS = union("this", _MERGED)
_TIME_UNIT = union("time_unit", _MERGED, folded=True)


@lru_cache(maxsize=16384)
def _align_tokens(text: str, lang: str, sentence_id: str) -> tuple[align.Tok, ...]:
    out = []
    toks = _joined_numbers(text, tokenize(text))
    for n, t in enumerate(toks):
        if t.folded in _ONE and n + 1 < len(toks) and toks[n + 1].folded in _OF:
            out.append(align.Tok(t.text, "one-of", "quantifier", sentence_id))  # "one of the best" is not "the best"
            continue
        if t.folded in _THIS and n + 1 < len(toks) and toks[n + 1].folded in _TIME_UNIT:
            out.append(align.Tok(t.text, "this", "date", sentence_id))  # "this year" is not "last year"
            continue
        kind, key = align.classify(t.text, unelide(t.folded, lang), t.cap, t.at_start, lang, stop=stop_for(lang),
                                   titles=TITLES,
                                   speech=SPEECH, stem=_stem, country_code=_country_code,
                                   is_person=is_person, is_date_word=is_date_word)
        sub = next((m.kind for m in _mentions(t.text)), "") if kind == "country" else ""
        out.append(align.Tok(t.text, key, kind, sentence_id, sub))
    return tuple(out)


def _joined_numbers(text: str, toks: list) -> list:
    """"3,000", "1.5", "61,3" as one token (the tokenizer splits at the separator), so the diff compares
    amounts, not their digit groups ("'4' replaces '40'" for "4,000" against "40,000")."""
    out: list = []
    for t in toks:
        prev = out[-1] if out else None
        if prev is not None and prev.text[-1:].isdigit() and t.text.isdigit() and text[prev.end:t.start] in (",", "."):
            joined = text[prev.start:t.end]
            out[-1] = replace(prev, text=joined, folded=joined, end=t.end, glued_next=t.glued_next)
            continue
        out.append(t)
    return out


@lru_cache(maxsize=16384)
def _country_form(word: str) -> str | None:
    """The country a single word names or qualifies, by name or adjective only ("UK", "British" -> GB)."""
    codes = {m.code for m in _mentions(word) if m.kind in ("name", "adjective")}
    return next(iter(codes)) if len(codes) == 1 else None


@lru_cache(maxsize=16384)
def _country_code(word: str) -> str | None:
    """The country a single word names or qualifies ("Serbian" -> RS); people do not count."""
    codes = {m.code for m in _mentions(word) if m.kind != "person"}
    return next(iter(codes)) if len(codes) == 1 else None


ROLE_WINDOW = 12  # tokens between two countries for a relation between them to count
# relation words that do not carry a direction of their own
_NO_RELATION = language("en").folded("no_relation")


def _reversed_roles(claim: str, lang: str, span: CitedSpan) -> str | None:
    """"Kosovo cracked down on Serbia" where the cited sentence says "Serbia cracked down on Kosovo": two
    countries around the same relation word in the opposite order. Passive voice ("by", "von") is left
    alone: it reverses the order without reversing the roles."""
    def layout(text: str) -> tuple[list[tuple[int, str]], list[str]]:
        words = [fold(t.text) for t in tokenize(text)]
        ents: list[tuple[int, str]] = []
        for i, t in enumerate(tokenize(text)):
            code = _country_code(t.text)
            if code and (not ents or ents[-1][1] != code or ents[-1][0] != i - 1):
                ents.append((i, code))
        return ents, words

    c_ents, c_words = layout(claim)
    s_ents, s_words = layout(span.text)
    if len({c for _, c in c_ents}) < 2 or any(w in ("by", "von", "durch") for w in c_words + s_words):
        return None

    def verb(words: list[str], i: int, j: int) -> str | None:
        """The first content word after the first country: what it does to the second one."""
        for w in words[i + 1:j]:
            if w not in STOP and w not in _NO_RELATION and len(w) > 2 and not _country_code(w) \
                    and not any(c.isdigit() for c in w):
                return _stem(w, lang)
        return None

    def between(words: list[str], i: int, j: int) -> set[str]:
        return {_stem(w, lang) for w in words[i + 1:j] if w not in STOP and w not in _NO_RELATION and len(w) > 2
                and not _country_code(w) and not any(c.isdigit() for c in w)}

    def pairs(ents: list[tuple[int, str]]):
        """Two different countries at most ``ROLE_WINDOW`` tokens apart: a relation is said nearby."""
        for n, (i, a) in enumerate(ents):
            for j, b in ents[n + 1:]:
                if j - i > ROLE_WINDOW:
                    break
                if a != b:
                    yield i, a, j, b

    span_pairs = list(pairs(s_ents))
    span_order = {(a, b) for _, a, _, b in span_pairs}
    for i, a, j, b in pairs(c_ents):
        rel = verb(c_words, i, j)
        if rel is None or (a, b) in span_order:
            continue  # the span also has the claim's order: not a clear reversal
        for k, b2, m, a2 in span_pairs:
            # the same first word after the first country, or two relation words shared
            if b2 == b and a2 == a and (verb(s_words, k, m) == rel
                                        or len(between(c_words, i, j) & between(s_words, k, m)) >= 2):
                return (f"roles reversed: the claim has {a} … {b}, "
                        f"cited sentence {span.sentence_id} has {b} … {a}")
    return None


def _date_word(text: str, term: str) -> str:
    from .text import MONTHS, WEEKDAYS

    kind, _, n = term.partition(":")
    table = MONTHS if kind == "month" else WEEKDAYS
    for t in tokenize(text):
        if table.get(t.folded) == int(n) or table.get(t.text.lower()) == int(n):
            return t.text
    return term


def verify_sentence(s: BriefingSentence, country: str | None, ctx: VerifyContext) -> BriefingSentence:
    """Structural + lexical checks. Returns a copy with verdict, reasons and score set."""
    r = _check(s, country, ctx)
    return s.model_copy(update={"verdict": r.verdict, "reasons": r.reasons, "score": r.score})


# Read from a statement to its translation as well: the checks above catch what a translation adds or
# changes, these what it drops (a number, a date, a country, a name, a negation). Not quotes: a quote
# translated is not verbatim, and the forward check already wants it marked "(translated)".
DROPPED_IN_TRANSLATION = ("numbers", "dates", "countries", "names", "negation")
_LONG_TITLES = tuple(w for w in TITLES if len(w) >= 6)  # the ends of compound titles ("Ministerprasident")


def translation_problems(original: str, source_lang: str, translation: str, target_lang: str,
                         citations: list[str], country: str | None, ctx: VerifyContext) -> list[str]:
    """Why ``translation`` may not stand for the statement ``original`` (empty: it may). It must be written
    in ``target_lang``, fail no check against the cited sentences (a changed number, an added name or
    negation, an instruction cited), and drop nothing the checks read in ``original``."""
    text = " ".join(translation.split())
    if fold(text) == fold(" ".join(original.split())):
        return ["not translated: the answer repeats the sentence"]
    written = _detect(text[:400])
    if written != target_lang:
        return [f"not written in {target_lang} (reads as {written})"]
    r = _check(BriefingSentence(text=text, language=target_lang, citations=citations), country, ctx)
    if r.verdict == Verdict.unsupported:
        return r.reasons
    span = CitedSpan(sentence_id="translation", article_id="", start=0, end=len(text), text=text, language=target_lang)
    ev = Evidence(original, _lang(source_lang, original), [span], False, ctx)
    # a title is translated, not kept: "Innenminister Oliver Spasovski" is "Interior Minister Oliver Spasovski"
    ev.cands = [t for t in ev.cands if not any(t.folded.endswith(w) for w in _LONG_TITLES)]
    return [f"drops what the source says: {reason.replace('cited sentence translation', 'the translation')}"
            for name, run in CHECKS if name in DROPPED_IN_TRANSLATION for severity, reason in run(ev)
            if severity == "hard"]


# ---------------------------------------------------------------------------------------- judge

def judge(items: list[dict], llm, unit: str = "verify") -> list[tuple[Verdict, str] | None]:
    """Ask the model whether each sentence is entailed by its spans, in batches of ``JUDGE_BATCH``.

    ``items`` = [{sentence, spans: [{id, text}]}]. Items are numbered from 1 in each prompt; an answer must
    give every number exactly once and echo the first words of the sentence it judges (validated, re-asked),
    so a verdict cannot land on the wrong sentence. A failed batch yields None for its items.
    """
    from .llm import make_prompt
    from .schemas import VerifyAnswer

    settings = getattr(llm, "settings", None)
    if settings is None:
        from .config import Settings

        settings = Settings()
    out: list[tuple[Verdict, str] | None] = [None] * len(items)
    batches = [[dict(it, index=k) for k, it in enumerate(items[b:b + JUDGE_BATCH], start=1)]
               for b in range(0, len(items), JUDGE_BATCH)]
    prompts, keep = [], []
    for n, batch in enumerate(batches):
        try:
            size = len(batch)
            # bounded: exactly one short verdict per item, so a small model's grammar ends the answer
            # (unbounded, SmolLM2 wrote reasons until its deadline)
            prompts.append(make_prompt("verify", settings, VerifyAnswer, items=batch,
                                       limits={"verdicts": {"minItems": size, "maxItems": size},
                                               "index": {"enum": list(range(1, size + 1))},
                                               # an echo of one of the batch's openings: the grammar
                                               # keeps a small model from writing none (the validator
                                               # still checks it is the opening of *its* item)
                                               "first_words": {"enum": list(dict.fromkeys(
                                                   " ".join(it["sentence"].split()[:3]) for it in batch))},
                                               "reason": {"maxLength": JUDGE_REASON_CHARS}},
                                       max_tokens=32 + size * JUDGE_ITEM_TOKENS))
            keep.append(n)
        except Exception:  # noqa: BLE001 - a broken template: those sentences are left unjudged
            continue
    units = [f"{unit}:{n}" for n in keep]
    contexts = [{"judge_items": {it["index"]: it["sentence"] for it in batches[n]}} for n in keep]
    if hasattr(llm, "ask_many"):
        answers = llm.ask_many(prompts, VerifyAnswer, contexts, units=units)  # batches run concurrently
    else:
        answers = []
        for prompt, context, unit in zip(prompts, contexts, units):
            try:
                answers.append(llm.ask(prompt, VerifyAnswer, context, unit=unit))
            except Exception as e:  # noqa: BLE001 - a judge failure leaves those sentences unjudged
                answers.append(e)
    for n, answer in zip(keep, answers):
        if isinstance(answer, Exception):
            continue
        base = n * JUDGE_BATCH
        for v in answer.verdicts:  # validated: each index of the batch exactly once
            out[base + v.index - 1] = (Verdict(v.verdict), v.reason)
    return out


def _uses_model(llm) -> bool:
    backend = getattr(llm, "backend", None)
    settings = getattr(llm, "settings", None)
    if settings is not None and not getattr(getattr(settings, "verify", None), "judge", True):
        return False  # verify.judge = false: lexical checks only
    return bool(llm is not None and backend is not None and getattr(backend, "makes_calls", False))


@lru_cache(maxsize=1)
def _judge_record() -> dict:
    return json.loads(resources.files("briefings").joinpath("data/judge_quality.json").read_text("utf-8"))


def judge_may_lift(llm) -> tuple[bool, str]:
    """May this judge raise a sentence the lexical checks left short of "supported"? (verify.judge_lift)
    "auto": only a model on record (data/judge_quality.json, measured on the public bench) calling at most
    the allowed share of unfaithful summaries supported. A judge nobody measured may confirm or lower a
    verdict, never raise one: a 1.5B model answered "supported" to every sentence it was asked on the seeds.
    The reason names the figure or the missing record."""
    settings = getattr(llm, "settings", None)
    mode = getattr(getattr(settings, "verify", None), "judge_lift", "auto")
    if mode != "auto":
        return mode == "always", f"verify.judge_lift = {mode}"
    model = str(getattr(getattr(llm, "backend", None), "model", None) or "")
    record = _judge_record()
    measured = record["models"].get(model)
    if measured is None:
        return False, (f"judge {model or '(unnamed)'} not measured on the public bench: it may not raise a verdict "
                       "(bench/verify_public.py --record, or verify.judge_lift = always)")
    if measured["unfaithful_supported"] > record["max_unfaithful_supported"]:
        return False, (f"model {model} called {measured['unfaithful_supported']:.0%} of unfaithful summaries "
                       f"supported on the public bench (verify.judge_lift)")
    return True, ""


def verify_sentences(sents: list[BriefingSentence], country: str | None, ctx: VerifyContext, llm=None,
                     unit: str = "verify") -> list[BriefingSentence]:
    """Verify in order; with a model backend, the judge decides what the lexical checks could not (every
    sentence that neither failed them nor is verbatim in its cited spans). A judge known to say "supported"
    too often (``judge_may_lift``) may confirm or lower a verdict, never raise one."""
    results = [_check(s, country, ctx) for s in sents]
    if _uses_model(llm):
        may_lift, why_not = judge_may_lift(llm)
        # A hard failure is final, and a sentence found word for word in its cited source (not framed as
        # reported, denied or conditional: that is checked first) is entailed by it: neither is sent.
        todo = [i for i, r in enumerate(results) if not r.hard and r.reasons != [VERBATIM]]
        items = [{"index": i, "sentence": sents[i].text,
                  "spans": [{"id": c, "text": ctx.spans[c].text} for c in sents[i].citations if c in ctx.spans]}
                 for i in todo]
        for i, got in zip(todo, judge(items, llm, unit) if items else []):
            r = results[i]
            if got is None:
                if r.verdict == Verdict.supported:  # the judge was asked because the checks could not decide
                    results[i] = _Result(Verdict.unverified, r.reasons + ["judge failed: left unverified"],
                                         0.5, False, r.ceiling)
                continue
            verdict, reason = got
            note = f"judge: {verdict.value}" + (f" ({reason})" if reason else "")
            final = _capped(verdict, r.ceiling)
            if not may_lift and RANK[final] > RANK[r.verdict]:
                final = r.verdict
            if final != verdict:
                note += f", capped at {final.value}" + (f": {why_not}" if not may_lift and final == r.verdict else "")
            results[i] = _Result(final, r.reasons + [note], {Verdict.supported: max(r.score, 0.9),
                                                             Verdict.partial: 0.5,
                                                             Verdict.unverified: 0.5,
                                                             Verdict.unsupported: 0.0}[final], False, r.ceiling)
    return [s.model_copy(update={"verdict": r.verdict, "reasons": r.reasons, "score": r.score})
            for s, r in zip(sents, results)]


# ---------------------------------------------------------------------------------------- policy

def grounding(sents: Iterable[BriefingSentence]) -> float:
    """(supported + 0.5 * partial) / all sentences; 0.0 when there are none."""
    sents = list(sents)
    if not sents:
        return 0.0
    score = sum(1.0 if s.verdict == Verdict.supported else 0.5 if s.verdict == Verdict.partial else 0.0 for s in sents)
    return round(score / len(sents), 4)


def apply_policy(b: Briefing, policy: str = "drop") -> Briefing:
    """drop: unsupported sentences move to ``removed``; flag: kept, marked; fail: raise.

    Sets ``grounding`` over every composed sentence, removed ones included. Returns a copy.
    """
    from .errors import GroundingBelowThreshold, UsageError

    if policy not in ("drop", "flag", "fail"):
        raise UsageError(f"unknown --on-unsupported policy {policy!r}: use drop, flag or fail")
    b = b.model_copy(deep=True)
    bad = [s for sec in b.sections for s in sec.sentences if s.verdict == Verdict.unsupported]
    if policy == "fail" and bad:
        listing = "; ".join(f"“{s.text}” ({'; '.join(s.reasons) or 'unsupported'})" for s in bad)
        raise GroundingBelowThreshold(f"{len(bad)} unsupported sentence(s) in the {b.country} briefing: {listing}")
    if policy == "drop":
        for sec in b.sections:
            sec.sentences = [s for s in sec.sentences if s.verdict != Verdict.unsupported]
        b.removed = b.removed + bad
    b.grounding = grounding([s for sec in b.sections for s in sec.sentences] + b.removed)
    return b
