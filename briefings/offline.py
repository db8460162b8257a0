"""What the embedded default backend answers: no network, no model, deterministic.

The extract and compose stages hand these functions to their prompts (``make_prompt(offline=...)``);
the extractive backend calls them with the prompt's structured ``Prompt.data``, so the LLM layer knows
no task names. They fulfil the same answer contracts a model would:
- extract: every country-tagged sentence of the chunk becomes a claim whose text IS that sentence
  (verbatim, in the source language), citing it.
- compose: claims are ranked by centrality across the whole evidence (TF-IDF cosine to all other claims),
  corroboration (independent outlets), lead position and country salience; redundancy is removed with
  maximal marginal relevance (MMR); the picks are laid out in the briefing's sections.
Nothing is paraphrased, so every sentence it writes can be verified verbatim against its citation.
"""

from __future__ import annotations

import math
import re
from collections import Counter

from .text import STOP_RANKING


_WORD = re.compile(r"[^\W\d_]{3,}", re.UNICODE)
_NUM = re.compile(r"\d")
_QUOTE = re.compile(r"[„“”\"«»]")
_SAY = re.compile(r"\b(said|says|stated|told|according|announced|sagte|sagt|erklärte|betonte|twitterte|"
                  r"kommentierte|laut|zufolge)\b", re.IGNORECASE)
_FUTURE = re.compile(r"\b(will|plans|expected|could|may|might|seeks?|intends?|upcoming|next|moving forward|"
                     r"soll|sollen|plant|erwartet|künftig|demnächst)\b", re.IGNORECASE)
_CONTEXT = re.compile(r"\b(since|former|history|historically|in \d{4}|background|has been|have been|"
                      r"seit|ehemalig\w*|damals|bereits)\b", re.IGNORECASE)
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
    wanted = {c["code"] for c in data["countries"]}
    claims = []
    for s in (s for a in data["articles"] for s in a["sentences"]):
        codes = [c for c in s["countries"] if c in wanted]
        if not codes or len(s["text"].split()) < MIN_WORDS:
            continue
        claims.append({"countries": codes, "text": s["text"], "citations": [s["id"]], "kind": _kind(s["text"]),
                       "date": None})
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


def mmr(scored: list[tuple[float, dict]], k: int, lam: float = 0.7, taken: list[dict] | None = None) -> list[dict]:
    """Maximal marginal relevance: salient but not redundant with what was already picked."""
    taken = list(taken or [])
    pool = list(scored)
    vec = dict(zip((id(c) for _, c in pool), _vectors([c["text"] for _, c in pool])))
    for c in taken:
        vec.setdefault(id(c), _vectors([c["text"]])[0])
    picked: list[dict] = []

    def redundancy(c: dict) -> float:
        return max((_cos(vec[id(c)], vec[id(t)]) for t in taken + picked), default=0.0)

    while pool and len(picked) < k:
        best = max(pool, key=lambda item: lam * item[0] - (1 - lam) * redundancy(item[1]))
        pool.remove(best)
        if redundancy(best[1]) > 0.8:
            continue  # near-identical to something already said
        picked.append(best[1])
    return picked


def compose(data: dict) -> dict:
    claims = [c for c in data["claims"] if c.get("text")]
    if not claims:
        return {"title": data["country"]["name"], "bottom_line": [], "key_developments": []}
    scored = rank(claims)
    scored.sort(key=lambda x: -x[0])
    used: list[dict] = []

    def section(items: list[tuple[float, dict]], k: int) -> list[dict]:
        chosen = mmr([x for x in items if x[1] not in used], k, taken=used)
        used.extend(chosen)
        return chosen

    bottom = section(scored, 2)
    rest = [x for x in scored if x[1] not in bottom]
    watch = section([x for x in rest if _FUTURE.search(x[1]["text"]) and x[1].get("kind") != "context"], 2)
    context = section([x for x in rest if x[1].get("kind") == "context"], 3)
    developments = section([x for x in rest if x[1].get("kind") != "context"], 6)
    # most corroborated first, then newest; stable sorts keep the salience order among equals
    developments.sort(key=lambda c: c.get("date") or "", reverse=True)
    developments.sort(key=lambda c: -(c.get("corroboration") or 1))

    def out(items: list[dict]) -> list[dict]:
        return [{"text": c["text"], "citations": c["citations"]} for c in items]

    return {
        "title": data["country"]["name"],
        "bottom_line": out(bottom),
        "key_developments": out(developments) or out(bottom[:1]),
        "context": out(context),
        "watch": out(watch),
    }
