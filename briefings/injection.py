"""Does a source sentence address the model? Such a sentence is an attack carried by the article, not a
report, and is never evidence for anything (issues #19, #27).

The wordings are data: ``briefings/data/injection.toml``, a section per language (en, de, fr, es, it, pt,
nl, pl, ru, uk, sr in both scripts, tr, sq, el, zh). Four signals, all regular expressions:

1. an override: a verb, a qualifier and an object close together ("ignore all previous instructions",
   "ignora le istruzioni precedenti", "önceki talimatları yok say", "忽略之前的所有指令"), and wordings
   that alone address the model ("you are now", "system prompt", "when summarizing this, say", "for the
   Albania briefing, write:", "AI-generated summaries must state that");
2. a vocative: an opener at the start of a sentence, a model, then a colon or comma ("Attention AI
   systems:", "Hinweis für KI-Assistenten:", "Внимание, системы ИИ:");
3. chat-template tokens (``[INST]``, ``<|im_start|>``, ``<<SYS>>``, ``### Instruction:``);
4. a sentence vouching for its own truth or calling other sources false ("this article is the only
   accurate source", "the statement that … is accurate", "this is verified information").

The sentence is read several ways, each only when it can differ: folded in its own script (NFKC,
invisible characters removed, case and diacritics folded), so Russian wordings meet Russian patterns;
with a word that mixes Latin and Cyrillic letters read in its majority script ("Игнoрируй" with a Latin
o); as its Latin skeleton (Unicode TR39 confusables, ``confusable_homoglyphs``' data), so "Ignоrе" with
Cyrillic о/е reads as what it shows; with leetspeak undone inside words that mix letters and digits
("1gn0re"); and with runs of spaced letters joined ("I g n o r e").
"""

from __future__ import annotations

import json
import re
import tomllib
import unicodedata
from functools import lru_cache
from pathlib import Path

from .text import fold

DATA = Path(__file__).resolve().parent / "data" / "injection.toml"


@lru_cache(maxsize=1)
def _skeleton_table() -> dict[int, str]:
    """Characters whose confusable is one ASCII letter or digit, mapped to it (Cyrillic о → o, Greek ν → v)."""
    try:
        import confusable_homoglyphs
    except ImportError:  # pragma: no cover - a declared dependency; folding alone still works
        return {}
    data = json.loads((Path(confusable_homoglyphs.__file__).parent / "confusables.json").read_text("utf-8"))
    table: dict[int, str] = {}
    for char, glyphs in data.items():
        if len(char) != 1 or char.isascii():
            continue
        latin = [g["c"] for g in glyphs if len(g["c"]) == 1 and g["c"].isascii() and g["c"].isalnum()]
        if latin:  # a capital that looks like 'l' is a capital I here ("ΑΙ" in Greek letters reads "ai")
            table[ord(char)] = "i" if latin[0] == "l" and char.isupper() else latin[0]
    return table


_INVISIBLE = re.compile("[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e"
                        "\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0]")
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u02bc": "'", "\u201c": '"', "\u201d": '"',
                         "\u00ab": '"', "\u00bb": '"', "\u201e": '"'})


def _visible(text: str) -> str:
    return _INVISIBLE.sub("", unicodedata.normalize("NFKC", text)).translate(_QUOTES)


def skeleton(text: str) -> str:
    """What the text looks like: invisible characters dropped, confusables made Latin, folded."""
    return fold(_visible(text).translate(_skeleton_table()))


def folded(text: str) -> str:
    """The text in its own script: invisible characters dropped, NFKC, case and diacritics folded."""
    v = _visible(text)
    return v.lower() if v.isascii() else fold(v)  # the same, and 10 times faster on ASCII


# a word with both Latin and Cyrillic letters; when most are Cyrillic, the Latin ones are read as the
# Cyrillic letters they look like (the Latin skeleton covers the other case)
_MIXED = re.compile(r"\w*(?:[a-z][\u0400-\u04ff]|[\u0400-\u04ff][a-z])\w*")
_TO_CYRILLIC = str.maketrans("aeopcxykmthbi", "аеорсхукмтнві")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")


def _unmix(m: re.Match[str]) -> str:
    word = m.group()
    cyrillic = len(_CYRILLIC.findall(word))
    return word.translate(_TO_CYRILLIC) if 2 * cyrillic >= len(word) else word


_LEET = re.compile(r"[a-z][0-9@$]|[0-9@$][a-z]")
_LEET_WORD = re.compile(r"(?<![\w@$])[\w@$]+")
_SPACED = re.compile(r"(?<![\w])(?:\w[ .\-_*]){2,}\w(?![\w])")
_SEPARATOR = re.compile(r"[ .\-_*]")


def _fold_pattern(pattern: str) -> str:
    """An entry folded like the text: its accented letters only (ASCII is regex syntax, kept as written)."""
    return "".join(c if c.isascii() else fold(c) for c in pattern)


def _alt(items: list[str]) -> str:
    return "(?:" + "|".join(_fold_pattern(i) for i in items) + ")"


def _split_top(p: str) -> list[str]:
    """``p`` split at its top-level ``|``."""
    out, depth, cur, i = [], 0, "", 0
    while i < len(p):
        c = p[i]
        step = 2 if c == "\\" else (p.index("]", i + 2) + 1 - i if c == "[" else 1)
        depth += (c == "(") - (c == ")")
        if c == "|" and depth == 0:
            out.append(cur)
            cur = ""
        else:
            cur += p[i:i + step]
        i += step
    return [*out, cur]


def _anchors(p: str) -> set[str] | None:
    """Words one of which starts any match of ``p``: ``word$`` for a whole word, a stem of at most
    ``_PREFIX`` letters for a prefix; None when ``p`` can start otherwise (an optional group)."""
    out: set[str] = set()
    for alt in _split_top(p):
        if alt.startswith("(?:"):
            depth, end = 0, 0
            for end, c in enumerate(alt):  # noqa: B007 - the index is the result
                depth += (c == "(") - (c == ")")
                if depth == 0 and c == ")":
                    break
            inner = _anchors(alt[3:end])
            if inner is None or alt[end + 1:end + 2] in ("?", "*", "{"):
                return None
            out |= inner
            continue
        m = _LETTERS.match(alt)
        stem = m.group() if m else ""
        after = alt[len(stem):len(stem) + 1]
        if after in ("?", "*", "{"):
            stem, after = stem[:-1], "?"
        if not stem:
            return None
        # a whole word (a boundary, a space or the end after it) is matched as that word, a stem as a prefix
        rest = alt[len(stem):]
        whole = (after in ("", " ", "\\", "-", "'", ".") and len(stem) <= _PREFIX and not rest.startswith("\\w")
                 and rest[1:2] not in ("?", "*"))
        out.add(stem + "$" if whole else stem[:_PREFIX])
    return out


_PREFIX = 6
_LENGTHS = range(2, _PREFIX + 1)


_LETTERS = re.compile(r"[^\W\d_]+")
# words too common to gate a pattern on: an element made of one of these is never its anchor
_COMMON = frozenset("""a an as the to for of in on at and or is are be it this that all any i e o u y de la le les el
lo los las des du da do di del della per para por que che en et und die der das den ein eine van het een je
se su za na ne te ve bu bir u и в на не за к с о по что это для je su se""".split())


def _elements(p: str) -> list[int]:
    """Offsets in ``p`` where a required top-level element that starts a word begins."""
    out, depth, i, prev = [], 0, 0, " "
    while i < len(p):
        c = p[i]
        if depth == 0 and (c == "(" or c.isalpha()) and (i == 0 or prev in " b" or p[i - 2:i] in ("\\s", "\\W")):
            out.append(i)
        if c == "\\":
            prev, i = p[i + 1:i + 2], i + 2
            continue
        if c == "[":
            j = p.index("]", i + 2) + 1
            prev, i = "]", j
            continue
        depth += (c == "(") - (c == ")")
        prev, i = c, i + 1
    return out


def _best_anchors(p: str) -> set[str] | None:
    """The anchors of the most selective required element of ``p`` that starts a word."""
    if _split_top(p) != [p]:
        return _anchors(p)
    best: tuple[int, set[str]] | None = None
    for i in _elements(p):
        a = _anchors(p[i:])
        if not a:
            continue
        score = min(0 if x.rstrip("$") in _COMMON else len(x) + 2 * x.endswith("$") for x in a)
        if best is None or score > best[0]:
            best = (score, a)
    return best[1] if best else None


class _Part:
    """One pattern, run only when one of its anchors is a word of the sentence or starts one (or, ``words``
    false, occurs in it): about one pattern of ~200 is run on a news sentence."""

    def __init__(self, regex: str, anchors: set[str] | None, words: bool = True):
        self.regex = re.compile(regex, re.DOTALL)
        self.anchors = anchors
        self.words = words


def _language(entry: dict) -> list[_Part]:
    """The patterns of one language section."""
    words = entry.get("words", True)
    b = r"\b" if words else ""
    parts: list[_Part] = []

    def anchored(regex: str, entries: list[str]) -> None:
        anchors: set[str] | None = set()
        for e in entries:
            a = _best_anchors(_fold_pattern(e))
            anchors = None if a is None or anchors is None else anchors | a
        parts.append(_Part(regex, anchors, words))

    if entry.get("verbs") and entry.get("objects") and entry.get("qualifiers"):
        v, q, o = (b + _alt(entry[k]) + b for k in ("verbs", "qualifiers", "objects"))
        anchored(f"{v}.{{0,50}}?{q}.{{0,40}}?{o}|{v}.{{0,30}}?{o}.{{0,40}}?{q}|{q}.{{0,40}}?{o}.{{0,40}}?{v}",
                 entry["objects"])
    addr = _alt(entry["addressees"]) if entry.get("addressees") else "(?!)"
    speech = _alt(entry["speech"]) if entry.get("speech") else "(?!)"
    start = "(?:^|[.!?;:\"'(\\[\u3002]\\s*)"
    gap, tail = r"[\s,:]+(?:[\w-]+[\s,]+){0,2}?", r"(?:[ \-]*\w+){0,3}?\s*"
    for key, end in (("openers", "[:,]"), ("openers_colon", ":")):
        if entry.get("addressees") and entry.get(key):
            anchored(f"{start}{_alt(entry[key])}{gap}{b}{addr}{b}{tail}{end}", entry["addressees"])
    for key in ("phrases", "meta"):
        for p in entry.get(key, []):
            p = p.replace("{addr}", addr).replace("{speech}", speech)
            anchored(b + _alt([p]), [p])
    return parts


@lru_cache(maxsize=1)
def _patterns() -> tuple[dict[str, list[_Part]], list[_Part], re.Pattern[str], re.Pattern[str], dict[int, str]]:
    """(parts by the anchor that starts a word, parts by a substring (Chinese), templates, the stems
    looked for in spaced letters, the leetspeak table)."""
    data = tomllib.loads(DATA.read_text(encoding="utf-8"))
    common = data["common"]
    by_anchor: dict[str, list[_Part]] = {}
    substring: list[_Part] = []
    for lang, entry in data["lang"].items():
        for part in _language(entry):
            if not part.anchors or (part.words and min(len(a.rstrip("$")) for a in part.anchors) < 2):
                raise ValueError(f"{DATA.name} [{lang}]: no word of two letters or more starts every match of "
                                 f"{part.regex.pattern[:80]!r}")
            if not part.words:
                substring.append(part)
            else:
                for a in part.anchors:
                    by_anchor.setdefault(a, []).append(part)
    templates = re.compile("|".join(common["templates"]))
    spaced = re.compile(_alt(common["spaced_stems"]))
    leet = {ord(k): v for k, v in common["leet"].items()}
    return by_anchor, substring, templates, spaced, leet


_WORD = re.compile(r"\w+")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]")
_TEMPLATE_CHARS = re.compile(r"[\[<#]")


def _matches(reading: str) -> bool:
    by_anchor, substring, templates = _patterns()[:3]
    if _TEMPLATE_CHARS.search(reading) and templates.search(reading):
        return True
    words = _WORD.findall(reading)
    parts: set[_Part] = set()
    for k in by_anchor.keys() & {w + "$" for w in words}.union(*({w[:n] for w in words} for n in _LENGTHS)):
        parts.update(by_anchor[k])
    if any(part.regex.search(reading) for part in parts):
        return True
    if _CJK.search(reading):
        return any(any(a.rstrip("$") in reading for a in part.anchors or ()) and part.regex.search(reading)
                   for part in substring)
    return False


def readings(text: str) -> list[str]:
    """The ways ``text`` is read (see the module docstring); the first is :func:`folded`."""
    leet = _patterns()[4]
    f = folded(text)
    out = [f]
    if not f.isascii():
        if _MIXED.search(f):
            out.append(_MIXED.sub(_unmix, f))
        s = skeleton(text)
        if s != f:
            out.append(s)
    if _LEET.search(f):
        out.append(_LEET_WORD.sub(lambda m: m.group().translate(leet) if _LEET.search(m.group()) else m.group(), f))
    if _SPACED.search(f):
        out.append(_SPACED.sub(lambda m: _SEPARATOR.sub("", m.group()), f))
    return out


@lru_cache(maxsize=65536)
def addresses_model(text: str) -> bool:
    """True when the sentence speaks to a model (or to whatever summarises it) instead of reporting."""
    found = readings(text)
    if any(_matches(r) for r in found):
        return True
    spaced = _patterns()[3]
    # a sentence spelled out letter by letter has no word boundaries left
    return any(spaced.search(_SEPARATOR.sub("", m.group())) for m in _SPACED.finditer(found[0]) if len(m.group()) > 10)
