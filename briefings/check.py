"""Checking text the tool did not write: a hand-written Markdown draft, or bare (doc, claim) pairs.

``check_draft``: sentences cite ``[<sentence-id>]`` like the tool's own output ("[a1b2c3:s4]",
"[id1][id2]" or "[id1, id2]"); each is verified against the run's spans. ``check_claims``: each row
brings a source text and one claim without citations; the supporting sentences are found by lexical
retrieval (content stems, numbers, names, countries), then verified. Works offline; with a model
backend the judge decides what the lexical checks cannot.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache
from typing import Iterable, Iterator

from .models import BriefingSentence, CitedSpan, Verdict
from .verify import (
    PRONOUN_SPEECH,
    VERBATIM,
    VerifyContext,
    fold,
    language_of,
    units,
    verify_sentences,
)

_ID = r"[\w.\-]+:s\d+"
_CITE_GROUP = re.compile(rf"\[\s*({_ID}(?:\s*[,;]\s*{_ID})*)\s*\](?!\()")
_SENT_END = re.compile(rf"(?<=[.!?…])([\"”’»“]?)((?:\s*\[\s*{_ID}(?:\s*[,;]\s*{_ID})*\s*\])*)\s+(?=\S)")
_MD_PREFIX = re.compile(r"^\s*(?:[-*+]\s+|\d+[.)]\s+|>\s*)+")


def _md_lines(markdown: str) -> Iterator[str]:
    """Prose lines of a Markdown draft: headings, rules, tables and code are not statements."""
    fence = False
    for line in markdown.splitlines():
        s = line.strip()
        if s.startswith("```") or s.startswith("~~~"):
            fence = not fence
            continue
        if fence or not s or s.startswith("#") or s.startswith("|") or re.fullmatch(r"[-*_=\s]{3,}", s):
            continue
        s = _MD_PREFIX.sub("", s)
        if re.fullmatch(r"(\*\*|__)[^*_]+\1:?", s):
            continue  # a bold label such as "**Bottom line**" is a heading in disguise
        s = re.sub(r"(\*\*|__|\*|_)(.+?)\1", r"\2", s)  # emphasis markers
        s = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", s)  # links keep their text
        s = re.sub(r"<[^>]+>", "", s)
        if s:
            yield s


def draft_sentences(markdown: str) -> list[tuple[str, list[str]]]:
    """(sentence text without citation marks, cited ids) for each sentence of the draft."""
    out: list[tuple[str, list[str]]] = []
    for line in _md_lines(markdown):
        pos = 0
        pieces = []
        for m in _SENT_END.finditer(line):
            pieces.append(line[pos:m.end(2)])
            pos = m.end()
        pieces.append(line[pos:])
        for piece in pieces:
            ids = [i.strip() for g in _CITE_GROUP.findall(piece) for i in re.split(r"[,;]", g)]
            text = re.sub(r"\s+", " ", _CITE_GROUP.sub("", piece)).strip()
            text = re.sub(r"\s+([.,;:!?])", r"\1", text)
            if not re.search(r"\w", text):
                if ids and out:  # citations on their own after a sentence belong to it
                    out[-1][1].extend(ids)
                continue
            out.append((text, ids))
    return out


def check_draft(markdown: str, ctx: VerifyContext, country: str | None = None, llm=None) -> list[BriefingSentence]:
    """Verify every sentence of a hand-written draft; a sentence without citation is unsupported."""
    sents = [BriefingSentence(text=t, language=language_of(t), citations=list(dict.fromkeys(ids)))
             for t, ids in draft_sentences(markdown)]
    return verify_sentences(sents, country, ctx, llm=llm)


# ---------------------------------------------------------------------------------------- claims

@lru_cache(maxsize=64)
def _split(doc: str, lang: str) -> list[tuple[int, int]]:
    try:
        from .segment import split_sentences

        return split_sentences(doc, lang)
    except ImportError:  # pragma: no cover - the segmenter ships with the package
        return [(m.start(), m.end()) for m in re.finditer(r"[^.!?\n]+[.!?]*", doc) if m.group(0).strip()]


def retrieve(claim: str, claim_lang: str, spans: list[CitedSpan], k: int = 3) -> list[CitedSpan]:
    """Greedy cover: the best sentence, then up to ``k - 1`` more that add matched units (adjacent first)."""
    want = units(claim, claim_lang)
    if not want or not spans:
        return []
    have = [(units(sp.text, sp.language) & want) for sp in spans]
    chosen: list[int] = []
    covered: set[str] = set()
    pronoun = False
    while len(chosen) < k:
        best, gain = None, 0.0
        for i, u in enumerate(have):
            if i in chosen:
                continue
            g = sum(2.0 if x.startswith("n:") else 1.0 for x in u - covered)  # a number is the surest anchor
            # evidence is one passage: the best sentence and its neighbours (two back for "he said", whose
            # speaker is named before). Joining far sentences would let a made-up combination pass.
            reach = 2 if pronoun else 1
            if chosen and not any(0 < j - i <= reach or 0 < i - j <= 1 for j in chosen):
                continue
            if g > gain:
                best, gain = i, g
        if best is None or gain < 1:
            break
        chosen.append(best)
        covered |= have[best]
        pronoun = pronoun or bool(PRONOUN_SPEECH.search(spans[best].text))
    return [spans[i] for i in sorted(chosen)]


# ---------------------------------------------------------------------------------------- calibrated score

# what a reason says, by its opening words (the verifier's own reason texts, tested in test_verify_public)
_REASON_KINDS = [
    ("entity", re.compile(r"^(name |country |.* is not the speaker|'.*' appears \d+ times|roles reversed|direction "
                          r"reversed|'.*' and '.*' .* swap places|'.*' stands (for|where))")),
    ("amount", re.compile(r"^(number |date |generalisation )")),
    ("polarity", re.compile(r"^(negation |cited sentence .* negates|drops '|'.*' says the opposite of )")),
    ("edit", re.compile(r"^('.*' replaces|adds ')")),
    ("framing", re.compile(r"^the source frames it")),
]
_OVERLAP = re.compile(r"(\d+) of (\d+) content words")
# claim length and the count of missing words were tried too: they learnt the datasets' length mix (longer
# claims more often faithful), not evidence, and gained 0.01 AUC on dev
FEATURES = ("bias", "verbatim", "supported", "partial", "unverified", "overlap", "entity", "amount", "polarity",
            "edit", "framing")


def claim_features(verdict: str, reasons: list[str]) -> dict[str, float]:
    """The lexical evidence of one verdict as numbers, for the calibrated score (bench/verify_calibration.py)."""
    f = dict.fromkeys(FEATURES, 0.0)
    f["bias"] = 1.0
    if reasons == [VERBATIM]:
        f["verbatim"] = f["overlap"] = 1.0
    elif verdict in ("supported", "partial", "unverified"):
        f[verdict] = 1.0
    for r in reasons:
        m = _OVERLAP.search(r)
        if m and int(m.group(2)):
            found, total = int(m.group(1)), int(m.group(2))
            f["overlap"] = found / total
        kind = next((k for k, pat in _REASON_KINDS if pat.search(r)), None)
        if kind:
            f[kind] = min(f[kind] + 1.0, 3.0)
    return f


@lru_cache(maxsize=1)
def _calibration() -> dict[str, float]:
    import json
    from importlib.resources import files

    return json.loads(files("briefings").joinpath("data/claim_calibration.json").read_text(encoding="utf-8"))["weights"]


def calibrated(verdict: str, reasons: list[str]) -> float:
    """P(a person would judge the claim faithful to the document | the lexical evidence): a logistic model
    fitted on public human-labelled summaries (dev split; bench/verify_calibration.py), so a user can pick a
    threshold. Calibrated at that data's class mix (about half faithful)."""
    w = _calibration()
    z = sum(w.get(k, 0.0) * v for k, v in claim_features(verdict, reasons).items())
    return round(1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z)))), 4)


def check_claims(rows: Iterable[dict], llm=None) -> Iterator[dict]:
    """{"id", "doc", "claim"} -> {"id", "verdict", "score", "evidence": [{"start", "end"}]}, one per row.

    ``score`` is calibrated (``calibrated``) from the lexical evidence; a judge's verdict, when a model
    backend decided, sets it to the judge's (0.9 supported, 0.5 partial/unverified, 0.0 unsupported)."""
    for row in rows:
        rid = row.get("id")
        doc, claim = row.get("doc") or "", (row.get("claim") or "").strip()
        if not doc.strip() or not claim:
            yield {"id": rid, "verdict": Verdict.unsupported.value, "score": 0.0, "evidence": [],
                   "reasons": ["empty doc or claim"]}
            continue
        doc_lang = row.get("doc_language") or language_of(doc)
        claim_lang = row.get("language") or language_of(claim)
        spans = [CitedSpan(sentence_id=f"doc:s{n}", article_id="doc", start=a, end=b, text=doc[a:b], language=doc_lang)
                 for n, (a, b) in enumerate(_split(doc, doc_lang), 1)]
        chosen = retrieve(claim, claim_lang, spans)
        ctx = VerifyContext(spans={sp.sentence_id: sp for sp in spans})
        sent = BriefingSentence(text=claim, language=claim_lang, citations=[sp.sentence_id for sp in chosen])
        got = verify_sentences([sent], None, ctx, llm=llm)[0]
        judged = any(r.startswith("judge:") for r in got.reasons)
        score = (got.score or 0.0) if judged else calibrated(got.verdict.value, got.reasons)
        yield {"id": rid, "verdict": got.verdict.value, "score": score,
               "evidence": [{"start": sp.start, "end": sp.end} for sp in chosen], "reasons": got.reasons}


__all__ = ["calibrated", "claim_features", "check_claims", "check_draft", "draft_sentences", "retrieve", "fold"]
