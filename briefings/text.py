"""Text basics in one place: folding (two kinds), word lists (stop words, titles, speech verbs,
negation, months) and the unsafe-character filters. Stages import them from here; a list that two
stages need differently says why next to it."""

from __future__ import annotations

import codecs
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


# ---------------------------------------------------------------------------------------------
# Folding that keeps every offset: same length as the input.


_FOLD_SAME_LENGTH = {"ی": "ي", "ى": "ي", "ک": "ك", "ς": "σ"}


@lru_cache(maxsize=1)
def _fold_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for cp in range(0x3000):
        ch = chr(cp)
        # vowel signs and viramas of Indic scripts and Thai are part of the word: "भारतीय" is not "भारत ीय"
        if not ch.isalnum() and ch != "&" and not (0x0900 <= cp < 0x0E80 and unicodedata.category(ch)[0] == "M"):
            table[cp] = " "
            continue
        if ch in _FOLD_SAME_LENGTH:  # one letter written two ways: Persian/Arabic yeh and kaf, final sigma
            table[cp] = _FOLD_SAME_LENGTH[ch]
            continue
        base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c)).lower()
        if len(base) != 1:
            base = ch.lower() if len(ch.lower()) == 1 else ch
        if base == "ı":  # Turkish dotless i
            base = "i"
        if base == "ß":  # keeps German text on the fast ASCII path; keys are folded the same way
            base = "s"
        if base != ch:
            table[cp] = base
    return table


@lru_cache(maxsize=1)
def _ascii_table() -> bytes:
    t = _fold_table()
    return bytes(ord(t.get(i, chr(i))) for i in range(128)) + bytes(range(128, 256))


class _NotAscii(Exception):
    pass


def _fold_run(err: UnicodeError) -> tuple[str, int]:
    """Encoding error handler: fold a run of non-ASCII characters, or give up if they stay non-ASCII."""
    run = err.object[err.start:err.end]  # type: ignore[attr-defined]
    out = run.translate(_fold_table())
    if not out.isascii():
        raise _NotAscii
    return out, err.end  # type: ignore[attr-defined]


codecs.register_error("briefings.text.fold", _fold_run)


def fold_same_length(text: str) -> str:
    """Lower case, no diacritics, non-alphanumerics as spaces; ``len(fold_same_length(t)) == len(t)``:
    offsets found in the folded text are offsets in the original (the country tagger's fold)."""
    # str.translate and re are slow on non-ASCII text (15-80 ns a character); the ASCII encoder runs
    # in C and calls the handler only for the few runs of accented letters and curly quotes.
    try:
        data = text.encode("ascii", "briefings.text.fold")
    except _NotAscii:  # Cyrillic, Greek, CJK...: the slow, general path
        return text.translate(_fold_table())
    return data.translate(_ascii_table()).decode("ascii")


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


# ------------------------------------------------------------------------------------ word lists
# The verifier's, read from the language registry (briefings/data/languages/, briefings/languages.py):
# content words are what is left after the stop words; titles and speech verbs tell names and speakers;
# negation words flip polarity.
from .languages import language as _language  # noqa: E402  (the registry folds with ``fold`` above)
from .languages import supported as _supported  # noqa: E402

_EN, _DE = _language("en"), _language("de")
STOP_EN = _EN.raw("stop")
STOP_DE = _DE.raw("stop")
# merged: English and German stop words are applied to text of every language (issue #29: the next step
# gives each language its own); the others' only to their own language (``stop_for``)
STOP = STOP_EN | STOP_DE
MERGED = ("en", "de")  # the languages whose words the merged sets below apply to every text

# capitalised words that are not names (titles, institutions, generic title-case words): en + de, any text
TITLES = _EN.folded("titles") | _DE.folded("titles")
SPEECH = _EN.folded("speech") | _DE.folded("speech")
NEGATION = _EN.folded("negation") | _DE.folded("negation")

# French, Spanish and Italian (and any language with a file but English and German): function words only
# (articles, prepositions, pronouns, auxiliaries, conjunctions), per language: "era", "son", "come", "sin"
# are English content words, "mai" is German "Mai"
STOP_ROMANCE = {code: _language(code).folded("stop") for code in sorted(_supported())
                if code not in MERGED and _language(code).has("stop")}
NEGATION_ROMANCE = {code: _language(code).folded("negation") for code in sorted(_supported())
                    if code not in MERGED and _language(code).has("negation")}
# French and Italian elision, one pattern for both (as before the registry); unelide reads it for fr and it
_ELIDED_BY = ("fr", "it")
ELISION = re.compile(r"^(?:" + "|".join(dict.fromkeys(w for c in _ELIDED_BY for w in _language(c).list("elision")))
                     + r")['’]", re.I)


def stop_for(lang: str | None) -> frozenset[str]:
    """Stop words a ``lang`` sentence is read with: English and German always, plus its own."""
    return STOP | STOP_ROMANCE.get(lang or "", frozenset())


def negation_for(lang: str | None) -> frozenset[str]:
    return NEGATION | NEGATION_ROMANCE.get(lang or "", frozenset())


def unelide(word: str, lang: str | None) -> str:
    """French and Italian elision: "l'armée" -> "armée", "n'a" -> "a" (the "n'" is read by the negation check)."""
    return ELISION.sub("", word) if lang in _ELIDED_BY else word


# Story grouping (content-word bigrams and 3-shingles): a short list, so that shared phrases of a
# rewrite stay shared; part of the store's story memo (changing it regroups every corpus). en + de, any text.
STOP_GROUPING = _EN.raw("stop_grouping") | _DE.raw("stop_grouping")

# The embedded backend's TF-IDF ranking (briefings/offline.py): words too common to tell claims apart.
STOP_RANKING = _EN.raw("stop_ranking") | _DE.raw("stop_ranking")

# Dates: month and weekday names (en, de) for the date checks (briefings/numbers.py): CLDR's (babel) and the
# abbreviations and variants each file adds
MONTHS: dict[str, int] = {**_EN.months, **_DE.months, **{k: int(v) for lang in (_EN, _DE)  # type: ignore[call-overload]
                                                        for k, v in lang.values("months_extra").items()}}
WEEKDAYS: dict[str, int] = {**_EN.weekdays, **_DE.weekdays, **{k: int(v) for lang in (_EN, _DE)  # type: ignore[call-overload]
                                                              for k, v in lang.values("weekdays_extra").items()}}

# A sentence that starts with a month after "3." is not a new sentence ("am 3. März"): the segmenter's
# list, abbreviations included (in the date checks "mar" or "mai" alone would be words, not months)
MONTH_WORDS = (
    "jan|feb|mär|mar|apr|mai|may|jun|jul|aug|sep|okt|oct|nov|dez|dec|januar|februar|märz|april|juni|juli|"
    "august|september|oktober|november|dezember|january|february|march|june|july|october|december"
)
