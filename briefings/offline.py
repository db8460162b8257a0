"""What the embedded default backend answers: no network, no model, deterministic.

The extract and compose stages hand these functions to their prompts (``make_prompt(offline=...)``);
the extractive backend calls them with the prompt's structured ``Prompt.data``, so the LLM layer knows
no task names. They fulfil the same answer contracts a model would:
- extract: every country-tagged sentence of the chunk becomes a claim whose text IS that sentence
  (verbatim, in the source language, its dateline cut), citing it; one that leans on the sentence
  before is joined to it (both cited) or left out (``discourse.py``).
- compose: claims are ranked by centrality across the whole evidence (TF-IDF cosine to all other claims),
  corroboration (independent outlets), lead position and country salience; redundancy is removed with
  maximal marginal relevance (MMR); the picks are laid out in the briefing's sections.
Nothing is paraphrased, so every sentence it writes can be verified verbatim against its citation.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from functools import lru_cache

from .text import STOP_RANKING


_WORD = re.compile(r"[^\W\d_]{3,}", re.UNICODE)
_NUM = re.compile(r"\d")
_QUOTE = re.compile(r"[„“”\"«»]")
_SAY = re.compile(r"\b(said|says|stated|told|according|announced|sagte|sagt|erklärte|betonte|twitterte|"
                  r"kommentierte|laut|zufolge)\b", re.IGNORECASE)
# What to watch: a statement about what is to come. Hedges ("could", "might", "may") are not enough:
# "suggested Friday that their countries might jointly produce" reports a past remark.
_FUTURE = re.compile(r"\b(will|won't|shall|plans? to|planned for|is set to|are set to|expected to|intends? to|"
                     r"aims? to|upcoming|scheduled|due to (?:be|start|meet|vote|visit)|next (?:week|month|year|"
                     r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|round|step)|deadline|"
                     r"soll|sollen|plant|planen|künftig|demnächst|bevorstehend\w*|"
                     r"nächste[nmrs]? (?:Woche|Monat|Jahr|Runde|Schritt))\b", re.IGNORECASE)
_CONTEXT = re.compile(r"\b(since|former|history|historically|in \d{4}|background|has been|have been|"
                      r"seit|ehemalig\w*|damals|bereits)\b", re.IGNORECASE)
# a statement about the past is not something to watch, whatever its modal: "said last year it will …"
_PAST = re.compile(r"\b(last (?:year|week|month)|years? ago|months? ago|weeks? ago|yesterday|earlier this (?:year|month)|"
                   r"(?:letzte[nsm]?|vergangene[nsm]?|vorige[nsm]?) (?:Jahr|Woche|Monat)|vor (?:\w+ )?(?:Jahren|Monaten|Wochen)|"
                   r"gestern)\b", re.IGNORECASE)
_STOP = STOP_RANKING
MIN_WORDS = 7  # shorter lines are headings or fragments, not claims


def _kind(text: str) -> str:
    if _QUOTE.search(text) or _SAY.search(text):
        return "statement"
    if _NUM.search(text):
        return "figure"
    if _CONTEXT.search(text):
        return "context"
    return "event"


def _terms(text: str) -> list[str]:
    return [w for w in (m.group(0).casefold() for m in _WORD.finditer(text)) if w not in _STOP]


def extract(data: dict) -> dict:
    """Every country-tagged sentence as a claim: its dateline cut, and a sentence that leans on the one
    before ("However, …", "These talks …", "… sollte er …") joined to it, both cited, or left out when
    that one leans on another in turn or is not in the chunk."""
    from .discourse import dateline, dependence

    wanted = {c["code"] for c in data["countries"]}
    claims = []
    for a in data["articles"]:
        prev: dict | None = None
        before = ""  # the previous sentence as shown (dateline cut)
        for s in a["sentences"]:
            shown = text = s["text"][dateline(s["text"]):]
            codes = [c for c in s["countries"] if c in wanted]
            if codes and len(text.split()) >= MIN_WORDS:
                cites = [s["id"]]
                leans = dependence(text, a.get("language"))
                if leans:
                    if (prev is None or len(before.split()) < MIN_WORDS or dependence(before, a.get("language"))
                            or leans.startswith("presupposition")):
                        prev, before = s, shown
                        continue
                    text, cites = f"{before} {text}", [prev["id"], s["id"]]
                    codes = list(dict.fromkeys(codes + [c for c in prev["countries"] if c in wanted]))
                claims.append({"countries": codes, "text": text, "citations": cites, "kind": _kind(text),
                               "date": None})
            prev, before = s, shown
    return {"claims": claims}


def _vectors(texts: list[str]) -> list[dict[str, float]]:
    docs = [Counter(_terms(t)) for t in texts]
    df = Counter(term for d in docs for term in d)
    n = len(docs)
    out = []
    for d in docs:
        v = {t: (1 + math.log(c)) * math.log(1 + n / df[t]) for t, c in d.items()}
        norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
        out.append({t: x / norm for t, x in v.items()})
    return out


def _cos(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(x * b.get(t, 0.0) for t, x in a.items())


def rank(claims: list[dict]) -> list[tuple[float, dict]]:
    """Salience of each claim: centrality, corroboration, position, how much it is about the country."""
    vecs = _vectors([c["text"] for c in claims])
    scored = []
    for i, c in enumerate(claims):
        centrality = sum(_cos(vecs[i], vecs[j]) for j in range(len(claims)) if j != i) / max(1, len(claims) - 1)
        position = 1.0 / (1.0 + 0.15 * max(0, c.get("position", 1) - 1))
        about = min(1.0, c.get("salience", 0.5))
        corroboration = math.log2(1 + c.get("corroboration", 1))
        scored.append((0.4 * centrality + 0.25 * position + 0.2 * about + 0.15 * corroboration, c))
    return scored


_NAME = re.compile(r"(?<=[\w,;:] )[A-ZÀ-ÖØ-ÞČŠŽĆĐ][^\W\d_]{2,}")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")


def _facts(c: dict) -> frozenset[str]:
    """What identifies a fact across languages: its numbers, the names inside the sentence (folded:
    Vučić = Vucic), and its countries. German nouns are capitalised too, so this is compared only
    between claims of one story."""
    from .text import fold

    return frozenset(_NUMBER.findall(c["text"])) | {fold(m.group(0)) for m in _NAME.finditer(c["text"])} | \
        {f"@{code}" for code in c.get("countries", [])}


def same_fact(a: dict, b: dict, cos: float) -> bool:
    """Two claims say the same thing: they cite a sentence in common (a joined claim contains the other),
    or they come from one story and either their words (TF-IDF cosine ≥ 0.5) or, across languages,
    their numbers, names and countries (Jaccard ≥ 0.6, at least three shared) agree."""
    if set(a["citations"]) & set(b["citations"]):
        return True
    if not set(a.get("stories", ())) & set(b.get("stories", ())):
        # near-identical wording from unrelated stories says the same; so does one person's remark quoted
        # by outlets in two languages (same full name, both quoting)
        # (or most of one's words, eight or more, in the other: "Snoop Dogg was honored with his own star on
        # the Hollywood Walk of Fame" inside another outlet's longer sentence on the same star)
        return cos > 0.8 or _same_quote(a, b) or _contained(a["text"], b["text"])
    if cos >= 0.5 or _overlap(a["text"], b["text"]) >= 0.5:
        return True
    fa, fb = _facts(a), _facts(b)
    shared = len(fa & fb)
    return shared >= 3 and shared / max(1, len(fa | fb)) >= 0.6


@lru_cache(maxsize=8192)
def _stems(text: str) -> frozenset[str]:
    # cached: compared pairwise (mmr's same_fact, the digest's repeated), each text's stems are made once
    return frozenset(w[:5] for w in _terms(text))


def _contained(a: str, b: str) -> bool:
    sa, sb = _stems(a), _stems(b)
    shared = len(sa & sb)
    return shared >= 8 and shared >= 0.6 * min(len(sa), len(sb))


def _overlap(a: str, b: str) -> float:
    """Shared word stems over the shorter text's ("jointly produce" = "joint production")."""
    sa, sb = _stems(a), _stems(b)
    return len(sa & sb) / max(1, min(len(sa), len(sb)))


def same_wording(a: str, b: str) -> bool:
    """``b`` says what ``a`` (same language) said, in other words: most of the shorter one's word stems
    (five letters) are in the other, and ``b`` has no number ``a`` lacks (a date or figure is news)."""
    return _overlap(a, b) >= 0.6 and set(_NUMBER.findall(b)) <= set(_NUMBER.findall(a))


_FULL_NAME = re.compile(r"\b([A-ZČŠŽĆĐ][^\W\d_]+)\s+(?=([A-ZČŠŽĆĐ][^\W\d_]+)\b)")  # overlapping pairs


def _same_quote(a: dict, b: dict) -> bool:
    from .text import fold

    # (both claims concern the briefing's country: compose sees one country's claims)
    if a.get("language") == b.get("language"):
        return False
    if not (_QUOTE.search(a["text"]) and _QUOTE.search(b["text"])):
        return False
    people = [{fold(f"{m.group(1)} {m.group(2)}") for m in _FULL_NAME.finditer(c["text"])} for c in (a, b)]
    return bool(people[0] & people[1])


MAX_CITATIONS = 3  # the verifier checks a sentence against its best three (verify.max_citations)


def mmr(scored: list[tuple[float, dict]], k: int, lam: float = 0.7, taken: list[dict] | None = None,
        also: dict[int, list[str]] | None = None) -> list[dict]:
    """Maximal marginal relevance: salient but not redundant with what was already picked; a claim that
    states a fact already picked (``same_fact``) is never picked: its first citation joins the picked
    claim's in ``also`` (the other outlet, or language, that reports it), up to three in all."""
    taken = list(taken or [])
    pool = list(scored)
    vec = dict(zip((id(c) for _, c in pool), _vectors([c["text"] for _, c in pool])))
    for c in taken:
        vec.setdefault(id(c), _vectors([c["text"]])[0])
    picked: list[dict] = []

    def redundancy(c: dict) -> float:
        return max((_cos(vec[id(c)], vec[id(t)]) for t in taken + picked), default=0.0)

    def repeats(c: dict) -> dict | None:
        return next((t for t in taken + picked if same_fact(c, t, _cos(vec[id(c)], vec[id(t)]))), None)

    while pool and len(picked) < k:
        best = max(pool, key=lambda item: lam * item[0] - (1 - lam) * redundancy(item[1]))
        pool.remove(best)
        first = repeats(best[1])
        if first is None:
            picked.append(best[1])
        elif also is not None and not set(best[1]["citations"]) & set(first["citations"]):
            extra = also.setdefault(id(first), [])
            cite = best[1]["citations"][0]
            if len(first["citations"]) + len(extra) < MAX_CITATIONS and cite not in extra:
                extra.append(cite)
    return picked


def _period_start(period: str):
    from .window import week_of

    week = week_of(period)
    return week[0] if week else None


# a remark or event placed a year or more back by the sentence itself
_LONG_AGO = re.compile(r"\b(last year|(?:a|one|two|three|several|\d+) years? ago|"
                       r"(?:letzte[nsm]?|vergangene[nsm]?|vorige[nsm]?) Jahr(?:es)?|vor (?:\w+ )?Jahren)\b",
                       re.IGNORECASE)


def _old(c: dict, period: str) -> bool:
    """The claim dates its event well before the period (a year before the period's start minus four
    months, or "last year" / "vor zwei Jahren"): context, not this week's news."""
    from datetime import timedelta

    from .discourse import event_year

    if _LONG_AGO.search(c["text"]):
        return True
    start, year = _period_start(period), event_year(c["text"])
    return start is not None and year is not None and year < (start - timedelta(days=120)).year


def _ahead(c: dict, period: str) -> bool:
    """The claim dates something after the period's year ("elections in 2027"): something to watch."""
    from .discourse import event_year

    start, year = _period_start(period), event_year(c["text"])
    return start is not None and year is not None and year > start.year


def prefer_language(claims: list[dict], language: str | None, also: dict[int, list[str]]) -> list[dict]:
    """A fact reported both in the output language and in another: the other version leaves the pool
    and is cited as corroboration of the output-language one (an English briefing quotes the English
    report of a remark a German outlet also carried)."""
    if not language:
        return claims
    vecs = _vectors([c["text"] for c in claims])
    mine = [(c, v) for c, v in zip(claims, vecs) if c.get("language") == language]
    keep = []
    for c, v in zip(claims, vecs):
        twin = None if c.get("language") == language else next(
            (d for d, w in mine if same_fact(c, d, _cos(v, w))), None)
        if twin is None:
            keep.append(c)
            continue
        extra = also.setdefault(id(twin), [])
        if len(twin["citations"]) + len(extra) < MAX_CITATIONS and c["citations"][0] not in twin["citations"]:
            extra.append(c["citations"][0])
    return keep


def compose(data: dict) -> dict:
    claims = [c for c in data["claims"] if c.get("text")]
    if not claims:
        return {"title": data["country"]["name"], "bottom_line": [], "key_developments": []}
    language = data.get("language")
    period = data.get("period", "")
    also: dict[int, list[str]] = {}  # a picked claim -> citations of the same fact elsewhere
    claims = prefer_language(claims, language, also)
    scored = rank(claims)
    # among equals the output language first (same_fact keeps only the first picked)
    scored.sort(key=lambda x: -(x[0] + (0.05 if x[1].get("language") == language else 0.0)))
    old = {id(c) for c in claims if _old(c, period) or c.get("background")}
    used: list[dict] = []

    def section(items: list[tuple[float, dict]], k: int) -> list[dict]:
        chosen = mmr([x for x in items if x[1] not in used], k, taken=used, also=also)
        used.extend(chosen)
        return chosen

    # the lead sections are written in the reader's language: with claims in it, only those lead; the
    # others are picked apart and reported after the briefing (compose.to_briefing places them). With a
    # translator every claim may lead: one in another language is shown translated, or reported apart
    # when its translation fails the checks
    own = [x for x in scored if x[1].get("language") in (None, language)] \
        if language and not data.get("translate") else scored
    foreign = [x for x in scored if x not in own] if own else []
    pool = own or scored
    recent = [x for x in pool if id(x[1]) not in old]
    # old news leads only a briefing that has nothing newer; news from before the window never does
    bottom = section(recent or [x for x in pool if not x[1].get("background")], 2)
    rest = [x for x in pool if x[1] not in bottom]
    watch = section([x for x in rest if (_FUTURE.search(x[1]["text"]) and not _PAST.search(x[1]["text"])
                                         or _ahead(x[1], period)) and x[1].get("kind") != "context"
                     and id(x[1]) not in old], 2)
    context = section([x for x in rest if x[1].get("kind") == "context" or id(x[1]) in old], 3)
    developments = section([x for x in rest if x[1].get("kind") != "context" and id(x[1]) not in old], 6)
    context += section(foreign, max(0, 5 - len(context)))  # moved to "Reported in other languages"
    # most corroborated first, then newest; stable sorts keep the salience order among equals
    developments.sort(key=lambda c: c.get("date") or "", reverse=True)
    developments.sort(key=lambda c: -(c.get("corroboration") or 1))

    def out(items: list[dict]) -> list[dict]:
        # statements in the output language first, the others after them (each marked with its language)
        items = sorted(items, key=lambda c: bool(language) and c.get("language") not in (None, language))
        return [{"text": c["text"], "citations": c["citations"] + also.get(id(c), [])} for c in items]

    return {
        "title": data["country"]["name"],
        "bottom_line": out(bottom),
        "key_developments": out(developments) or out(bottom[:1]),
        "context": out(context),
        "watch": out(watch),
    }
