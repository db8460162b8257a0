"""Text basics shared by the checks: case and diacritics folding."""

from __future__ import annotations

import unicodedata
from functools import lru_cache

_FOLD_EXTRA = str.maketrans({"đ": "d", "Đ": "d", "ł": "l", "Ł": "l", "ø": "o", "Ø": "o", "ı": "i",
                             "æ": "ae", "Æ": "ae", "œ": "oe", "ð": "d", "þ": "th", "ß": "ss"})


@lru_cache(maxsize=65536)
def fold(s: str) -> str:
    """Case and diacritics folding: 'Vučić' -> 'vucic', 'Türkiye' -> 'turkiye', 'Straße' -> 'strasse'."""
    s = unicodedata.normalize("NFKD", s.translate(_FOLD_EXTRA))
    return "".join(c for c in s if not unicodedata.combining(c)).casefold()
