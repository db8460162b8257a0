"""Text basics shared by the checks: case and diacritics folding."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_FOLD_EXTRA = str.maketrans({"đ": "d", "Đ": "d", "ł": "l", "Ł": "l", "ø": "o", "Ø": "o", "ı": "i",
                             "æ": "ae", "Æ": "ae", "œ": "oe", "ð": "d", "þ": "th", "ß": "ss"})


@lru_cache(maxsize=65536)
def fold(s: str) -> str:
    """Case and diacritics folding: 'Vučić' -> 'vucic', 'Türkiye' -> 'turkiye', 'Straße' -> 'strasse'."""
    s = unicodedata.normalize("NFKD", s.translate(_FOLD_EXTRA))
    return "".join(c for c in s if not unicodedata.combining(c)).casefold()


# Characters that act on a terminal or on reading order rather than showing: C0/C1 controls (ESC starts
# colour, cursor and OSC-8 hyperlink sequences), bidi embeddings/overrides/isolates and marks ("Trojan
# Source" reordering), zero-width and line/paragraph separators. Tab and newline are kept.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2069\ufeff]")


def visible(s: object) -> str:
    """``s`` with every unsafe character shown as an escape (``\\x1b``, ``\\u202e``): inert, and honest
    about a file name that really contains one."""
    return _UNSAFE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), str(s))


def inert(s: object) -> str:
    """``s`` safe to print with rich markup on: controls shown as escapes, ``[tags]`` printed literally."""
    from rich.markup import escape

    return escape(visible(s))


def drop_unsafe(s: str) -> str:
    """``s`` without the unsafe characters, for stored and rendered text (titles, model answers)."""
    return _UNSAFE.sub("", s)
