"""The language registry (issue #29): what the verifier knows of each language, read from one data file
per language, ``briefings/data/languages/<code>.toml`` (see the README there for every key and the stage
that reads it).

``language("fr")`` is the ``Language`` of a file (cached); ``supported()`` is the set of codes with a
file. A stage reads its words from here, never from a table of its own. Month and weekday names are not
typed: they come from babel's CLDR data (``Language.months``, ``Language.weekdays``).

Where a stage applies the words of several languages to text of any language (English and German stop
words on every sentence, a French "que" among the framing words of a German sentence), it says so with
``any_language(key)`` or an explicit union at the call site: those unions are the behaviour of today,
listed in the README as the next step's fixes, not a licence for more.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from types import MappingProxyType
from collections.abc import Mapping


# every key a file may have under [words], with the stages that read it (the README has the prose)
KEYS: dict[str, str] = {
    "stop": "text.stop_for, verify (content words)",
    "stop_grouping": "text.STOP_GROUPING (ingest, stories)",
    "stop_ranking": "text.STOP_RANKING (offline)",
    "titles": "text.TITLES (names, verify)",
    "speech": "text.SPEECH (names, verify)",
    "negation": "text.negation_for, align.NEGATION",
    "negation_align": "align.NEGATION only (drift kept: 'ohne')",
    "elision": "text.unelide",
    "months_extra": "text.MONTHS (beside babel's names)",
    "weekdays_extra": "text.WEEKDAYS (beside babel's names)",
    "modal": "align.MODAL",
    "tense": "align.TENSE",
    "backshift": "align.BACKSHIFT",
    "irregular": "align (irregular verb forms)",
    "quantifiers": "align.QUANTIFIER / QUANTIFIER_ROMANCE",
    "quantifier_concepts": "verify.QUANTIFIERS / QUANTIFIERS_ROMANCE",
    "weak_quantifiers": "align.WEAK_QUANTIFIER",
    "hedge": "align.HEDGE",
    "date": "align.DATE",
    "pronouns": "align.PRONOUN",
    "perfect_aux": "align.PERFECT_AUX",
    "approx": "align.APPROX",
    "rounding": "align.ROUNDING",
    "paired_bounds": "align._PAIRED",
    "same_amount": "align._SAME_AMOUNT",
    "status": "align.STATUS",
    "status_soft": "align.STATUS_SOFT",
    "opposed": "align.RELATION_OPPOSITE",
    "sides": "align.SIDES",
    "side_verb_stems": "align.SIDE_VERBS",
    "partitive": "align._PARTITIVE",
    "part": "align._PART",
    "determiners": "align._DETERMINER",
    "conditional": "align.CONDITIONAL",
    "clause_join": "align.CLAUSE_JOIN",
    "and": "align.AND",
    "ordinal": "align.ORDINAL",
    "not_superlative": "align._NOT_SUPERLATIVE",
    "passive_agent": "align._PASSIVE_AGENT",
    "framing": "verify.FRAMING",
    "neutral_framing": "verify.NEUTRAL_FRAMING",
    "attribution": "verify.ATTRIBUTION",
    "tentative": "verify.TENTATIVE",
    "trailing_framing": "verify.TRAILING_FRAMING",
    "leading_qualifier": "verify.LEADING_QUALIFIER",
    "nominal": "verify._NOMINAL",
    "be": "verify._BE",
    "sequence": "verify._SEQUENCE",
    "one": "verify._ONE",
    "of": "verify._OF",
    "this": "verify._THIS",
    "time_unit": "verify._TIME_UNIT",
    "no_relation": "verify._NO_RELATION",
    "direction": "verify._DIRECTION",
    "claim_nouns": "implicatives.CLAIM_NOUNS",
    "instructing": "implicatives.INSTRUCTING",
    "instructing_nouns": "implicatives.INSTRUCTING_NOUNS",
    "instructing_du": "implicatives.INSTRUCTING_DU",
    "courtesy": "implicatives.COURTESY",
    "introducing": "implicatives.INTRODUCING",
    "change_up": "lexicons (direction of a change)",
    "change_down": "lexicons (direction of a change)",
    "number_units": "numbers (units beyond text2num)",
    "number_tens": "numbers (tens beyond text2num)",
    "number_scales": "numbers._SCALES",
    "currency_words": "numbers._CURRENCY_WORDS",
    "article_one": "numbers._ONE",
    "connectives": "discourse._CONNECTIVES",
    "openers": "discourse._OPENERS",
    "presupposing": "discourse._PRESUPPOSING",
    "person_pronouns": "discourse._PERSON_PRONOUN",
    "first_person": "discourse._FIRST_PERSON",
    "possessive": "discourse._POSSESSIVE",
}
# keys whose value is a table (concept -> words, word -> number or lemma); the others are word lists
TABLE_KEYS = frozenset({"tense", "quantifier_concepts", "paired_bounds", "same_amount", "direction", "irregular",
                        "number_units", "number_tens", "number_scales", "currency_words", "months_extra",
                        "weekdays_extra"})
# of those, the tables of values (word -> number, lemma, code): their words are the keys
VALUE_KEYS = frozenset({"irregular", "number_units", "number_tens", "number_scales", "currency_words", "months_extra",
                        "weekdays_extra", "direction"})
# keys whose value is a list in order (phrases, groups): kept as written, never split on spaces
ORDERED_KEYS = frozenset({"backshift", "opposed", "side_verb_stems", "connectives", "openers", "presupposing"})
TOP_KEYS = frozenset({"code", "name", "snowball", "text2num", "cldr", "words"})

DATA = "data/languages"


def _words(value: object) -> tuple[str, ...]:
    """A word list as written in a file: a string split on whitespace, or an array kept item by item."""
    if isinstance(value, str):
        return tuple(value.split())
    if isinstance(value, list):
        return tuple(str(v) for v in value)
    raise TypeError(f"not a word list: {value!r}")


@dataclass(frozen=True)
class Language:
    code: str
    name: str
    snowball: str | None = None  # the Snowball stemmer's name, when there is one
    text2num: bool = False  # text2num reads this language's number words
    cldr: str | None = None  # babel locale for month and weekday names (default: the code)
    words: Mapping[str, object] = field(default_factory=dict)

    def has(self, key: str) -> bool:
        return key in self.words

    def list(self, key: str) -> tuple[str, ...]:
        """The words (or phrases, or groups) of ``key`` in file order, as written; () when absent. For a
        table of values (``VALUE_KEYS``) its words are the keys; for a concept table, all its words."""
        value = self.words.get(key)
        if value is None:
            return ()
        if key in VALUE_KEYS:
            return tuple(value)  # type: ignore[arg-type]
        if isinstance(value, Mapping):
            return tuple(w for ws in value.values() for w in _words(ws))
        return _words(value)

    def raw(self, key: str) -> frozenset[str]:
        """The words of ``key`` as written (a table's words for all its entries)."""
        return frozenset(self.list(key))

    def folded(self, key: str) -> frozenset[str]:
        """The words of ``key`` through ``text.fold`` (lower case, no diacritics), as most checks read words."""
        from .text import fold  # text reads its own words from here: imported late

        return frozenset(fold(w) for w in self.list(key))

    def table(self, key: str) -> dict[str, tuple[str, ...]]:
        """A table key (concept -> words), words as written, in file order."""
        value = self.words.get(key) or {}
        assert isinstance(value, Mapping), key
        return {k: _words(v) for k, v in value.items()}

    def values(self, key: str) -> dict[str, object]:
        """A table key whose entries are values, not word lists (word -> number, word -> lemma)."""
        value = self.words.get(key) or {}
        assert isinstance(value, Mapping), key
        return dict(value)

    @property
    def months(self) -> dict[str, int]:
        """Month names (CLDR wide format, lower case) -> 1..12."""
        return _cldr_names(self.cldr or self.code, "months")

    @property
    def weekdays(self) -> dict[str, int]:
        """Weekday names (CLDR wide format, lower case) -> 1 (Monday) .. 7."""
        return _cldr_names(self.cldr or self.code, "days")


@lru_cache(maxsize=None)
def _cldr_names(locale: str, what: str) -> dict[str, int]:
    from babel import Locale

    loc = Locale.parse(locale)
    if what == "months":
        names = loc.months["format"]["wide"]
        return {str(names[n]).lower(): n for n in range(1, 13)}
    names = loc.days["format"]["wide"]  # 0 = Monday
    return {str(names[n]).lower(): n + 1 for n in range(7)}


def _files() -> dict[str, object]:
    root = resources.files("briefings").joinpath(DATA)
    return {p.name[:-5]: p for p in root.iterdir() if p.name.endswith(".toml")}


@lru_cache(maxsize=1)
def supported() -> frozenset[str]:
    """The codes of the languages with a file."""
    return frozenset(_files())


@lru_cache(maxsize=None)
def language(code: str) -> Language:
    """The ``Language`` of ``code``'s file; KeyError for a language without one."""
    files = _files()
    if code not in files:
        raise KeyError(f"no language file for {code!r}")
    data = tomllib.loads(files[code].read_text(encoding="utf-8"))  # type: ignore[attr-defined]
    unknown = set(data) - TOP_KEYS
    if unknown:
        raise ValueError(f"{code}.toml: unknown top-level keys {sorted(unknown)}")
    if data.get("code") != code:
        raise ValueError(f"{code}.toml says code = {data.get('code')!r}")
    words = data.get("words", {})
    bad = set(words) - set(KEYS)
    if bad:
        raise ValueError(f"{code}.toml: unknown keys {sorted(bad)} (known: briefings.languages.KEYS)")
    return Language(code=code, name=data["name"], snowball=data.get("snowball"), text2num=bool(data.get("text2num")),
                    cldr=data.get("cldr"), words=MappingProxyType(dict(words)))


def get(code: str | None) -> Language | None:
    """``language(code)``, or None for a language without a file."""
    return language(code) if code in supported() else None


def any_language(key: str, folded: bool = False) -> frozenset[str]:
    """The union of ``key`` over every language: for the checks that apply all languages' words to any text
    today (documented at each call site and in the README; the next step gives each its language)."""
    out: set[str] = set()
    for code in sorted(supported()):
        lang = language(code)
        out |= lang.folded(key) if folded else lang.raw(key)
    return frozenset(out)


def union(key: str, codes: tuple[str, ...], folded: bool = False) -> frozenset[str]:
    """The union of ``key`` over the languages ``codes``: a merged set applied to text of any language."""
    out: set[str] = set()
    for code in codes:
        out |= language(code).folded(key) if folded else language(code).raw(key)
    return frozenset(out)


__all__ = ["KEYS", "Language", "any_language", "get", "language", "supported", "union"]
