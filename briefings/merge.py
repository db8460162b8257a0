"""Merge claims that state the same fact in several articles; count independent corroboration.

Two claims about a shared country merge when their texts are similar (token-set ratio on folded
text) AND they carry the same numbers. Citations are unioned. Corroboration is the number of
independent stories behind the citations: articles that ingest grouped as one story count once.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict

from rapidfuzz import fuzz

from .models import Article, Claim
from .text import fold as _fold  # the one diacritics fold (was a copy of it without đ/ł/ø)

SIMILARITY = 82  # token_set_ratio; rewrites of one fact score 85-100, different facts on a topic < 75
_NUM = re.compile(r"\d+(?:[.,]\d+)?")


def _numbers(text: str) -> frozenset[str]:
    return frozenset(n.replace(",", ".") for n in _NUM.findall(text))


def merge_claims(claims: list[Claim], articles: dict[str, Article]) -> list[Claim]:
    """Each claim merges into the first earlier merged claim that shares a country and its numbers and is
    similar enough (token-set ratio); otherwise it starts a new one.

    Not every pair is compared (issue #13: 500 articles took 6.8 s, 2,000 took 37 s). A token-set ratio of
    82 needs the shared words to make up about 70 % of one text's characters, so the two texts must share
    one of that text's rarest words that together make up the other 30 % (prefix filtering): each merged
    claim is indexed by those words and by all its words, and only claims found there are scored.
    """
    folded = [_fold(c.text) for c in claims]
    df = Counter(w for t in folded for w in set(t.split()))
    merged: list[Claim] = []
    keys: list[str] = []  # folded text of each merged claim
    by_prefix: dict[tuple, list[int]] = defaultdict(list)  # (numbers, rare word) -> merged claims it is a prefix of
    by_word: dict[tuple, list[int]] = defaultdict(list)  # (numbers, any word) -> merged claims that have it
    for c, text in zip(claims, folded):
        nums, words = _numbers(c.text), set(text.split())
        prefix = _prefix(words, df)
        # keyed by the numbers too: claims with other numbers never merge, so they are never candidates
        cands = {i for w in words for i in by_prefix.get((nums, w), ())} | \
            {i for w in prefix for i in by_word.get((nums, w), ())}
        for i in sorted(cands):  # the earliest similar claim sharing a country
            m = merged[i]
            if set(m.countries) & set(c.countries) and fuzz.token_set_ratio(keys[i], text) >= SIMILARITY:
                m.citations = list(dict.fromkeys(m.citations + c.citations))
                m.countries = sorted(set(m.countries) | set(c.countries))
                m.date = m.date or c.date
                break
        else:
            i = len(merged)
            merged.append(c.model_copy(deep=True))
            keys.append(text)
            for w in prefix:
                by_prefix[(nums, w)].append(i)
            for w in words:
                by_word[(nums, w)].append(i)
    for m in merged:
        arts = [articles[i.split(":")[0]] for i in m.citations if i.split(":")[0] in articles]
        m.outlets = sorted({a.outlet or a.source for a in arts})
        m.corroboration = max(1, len({a.story or a.id for a in arts}))
    return merged


PREFIX_SHARE = 0.32  # characters of a text its rarest words must cover (1 - 0.68: see merge_claims)


def _prefix(words: set[str], df: Counter) -> list[str]:
    """The rarest words of a text that together hold more than ``PREFIX_SHARE`` of its characters."""
    total = sum(len(w) + 1 for w in words)
    out, have = [], 0
    for w in sorted(words, key=lambda w: (df[w], w)):
        out.append(w)
        have += len(w) + 1
        if have > PREFIX_SHARE * total:
            break
    return out
