"""Merge claims that state the same fact in several articles; count independent corroboration.

Two claims about a shared country merge when their texts are similar (token-set ratio on folded
text) AND they carry the same numbers. Citations are unioned. Corroboration is the number of
independent stories behind the citations: articles that ingest grouped as one story count once.
"""

from __future__ import annotations

import re
import unicodedata

from rapidfuzz import fuzz

from .models import Article, Claim

SIMILARITY = 82  # token_set_ratio; rewrites of one fact score 85-100, different facts on a topic < 75
_NUM = re.compile(r"\d+(?:[.,]\d+)?")


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in text if not unicodedata.combining(c))


def _numbers(text: str) -> frozenset[str]:
    return frozenset(n.replace(",", ".") for n in _NUM.findall(text))


def merge_claims(claims: list[Claim], articles: dict[str, Article]) -> list[Claim]:
    merged: list[Claim] = []
    keys: list[tuple[str, frozenset[str]]] = []
    for c in claims:
        key = (_fold(c.text), _numbers(c.text))
        for m, (text, nums) in zip(merged, keys):
            if nums == key[1] and set(m.countries) & set(c.countries) and fuzz.token_set_ratio(text, key[0]) >= SIMILARITY:
                m.citations = list(dict.fromkeys(m.citations + c.citations))
                m.countries = sorted(set(m.countries) | set(c.countries))
                m.date = m.date or c.date
                break
        else:
            merged.append(c.model_copy(deep=True))
            keys.append(key)
    for m in merged:
        arts = [articles[i.split(":")[0]] for i in m.citations if i.split(":")[0] in articles]
        m.outlets = sorted({a.outlet or a.source for a in arts})
        m.corroboration = max(1, len({a.story or a.id for a in arts}))
    return merged
