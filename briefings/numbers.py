"""Find numbers, amounts, percentages and dates in English and German text, normalised for comparison.

"12" = "zwölf" = "twelve", "$3 billion" = "3 Milliarden Dollar", "3,5 %" = "3.5 per cent",
"12. Juli 2020" = "July 12, 2020". A written number can be read several ways ("1.000" is a thousand in
German and one in English), so each `Quantity` carries every plausible value and two quantities match
when their value sets meet. Months and weekdays are returned as canonical tokens ("month:7", "wd:5") by
`date_terms`, because changing them is how a stale date slips into a summary.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from .languages import language, supported
from .text import MONTHS, WEEKDAYS

# number words beside text2num, from the language registry (briefings/data/languages/)
_EN, _DE = language("en"), language("de")
_UNITS_EN: dict[str, int] = {k: int(v) for k, v in _EN.values("number_units").items()}  # type: ignore[call-overload]
_TENS_EN: dict[str, int] = {k: int(v) for k, v in _EN.values("number_tens").items()}  # type: ignore[call-overload]
_UNITS_DE: dict[str, int] = {k: int(v) for k, v in _DE.values("number_units").items()}  # type: ignore[call-overload]
_TENS_DE: dict[str, int] = {k: int(v) for k, v in _DE.values("number_tens").items()}  # type: ignore[call-overload]
# "one"/"ein" are left out on purpose: as articles they are far more common than as counts, and a
# claim's "one of the best" against a span's "eine der besten" must not fail the number check.
_DE_UNIT_STEMS = {"ein": 1, **{k: v for k, v in _UNITS_DE.items() if v < 10 and v > 0}}

# scale words of every language with a file, read in text of any language ("none": "thousands of", no value);
# "billón" is 10^12 in Spanish, as "Billion" in German
_SCALES: dict[str, float | None] = {k: (None if v == "none" else float(v))  # type: ignore[arg-type]
                                    for code in sorted(supported()) for k, v in language(code).values("number_scales").items()}
_CURRENCY_WORDS: dict[str, str] = {k: str(v) for code in sorted(supported())
                                   for k, v in language(code).values("currency_words").items()}
_CURRENCY_SYMBOLS = {"$": "USD", "us$": "USD", "€": "EUR", "£": "GBP", "₺": "TRY"}
_PERCENT = re.compile(r"\s*(%|per\s?cent\b|percent\b|prozent\b)", re.I)


_DIGITS = re.compile(
    r"(?P<cur>US\$|\$|€|£|₺)?\s?"
    r"(?<![\w.,])(?P<num>\d{1,3}(?:[.,\u202f\u00a0 ]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?)(?!\d)"
    r"(?P<suffix>st|nd|rd|th|er|\.)?"
)
_HUNDRED = re.compile(r"\s+(hundred|hundert)\b", re.I)
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*", re.U)


@dataclass(frozen=True)
class Quantity:
    """A number found in text: every plausible value, and what it counts (percent, currency)."""

    values: frozenset[float]
    surface: str
    start: int
    end: int
    percent: bool = False
    currency: str | None = None
    from_word: bool = False

    def matches(self, other: "Quantity") -> bool:
        if self.percent != other.percent:
            return False
        if self.currency and other.currency and self.currency != other.currency:
            return False
        return any(_close(a, b) for a in self.values for b in other.values)

    def show(self) -> str:
        return self.surface.strip()


@dataclass
class _Scan:
    text: str
    lang: str | None
    found: list[Quantity] = field(default_factory=list)


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def _digit_values(raw: str, lang: str | None) -> set[float]:
    """Every reading of a digit string: thousands separators and decimal marks differ by language."""
    s = raw.replace("\u202f", " ").replace("\u00a0", " ")
    if " " in s:
        s = s.replace(" ", "")
    seps = re.findall(r"[.,]", s)
    if not seps:
        return {float(s)}
    groups = re.split(r"[.,]", s)
    out: set[float] = set()
    if len(seps) > 1:
        if len(set(seps)) == 1:  # 1,000,000 or 1.000.000: thousands
            return {float("".join(groups))}
        # 1,234.5 (en) or 1.234,5 (de): the last separator is the decimal mark
        return {float("".join(groups[:-1]) + "." + groups[-1])}
    sep = seps[0]
    thousands = float("".join(groups))
    decimal = float(groups[0] + "." + groups[1])
    if len(groups[1]) != 3:
        return {decimal}
    if lang == "en":
        out.add(thousands if sep == "," else decimal)
    elif lang == "de":
        out.add(thousands if sep == "." else decimal)
    else:
        out |= {thousands, decimal}
    return out


def _word_value(word: str, lang: str | None) -> float | None:
    w = word.lower()
    if lang != "de":
        if w in _UNITS_EN:
            return _UNITS_EN[w]
        if w in _TENS_EN:
            return _TENS_EN[w]
        m = re.fullmatch(r"(\w+)-(\w+)", w)
        if m and m.group(1) in _TENS_EN and _UNITS_EN.get(m.group(2), 0) in range(1, 10):
            return _TENS_EN[m.group(1)] + _UNITS_EN[m.group(2)]
        if m and m.group(1) in _UNITS_EN and m.group(1) != "dozen" and m.group(2) in (
            "day", "year", "month", "week", "hour", "fold", "time", "member", "nation", "point", "way"
        ):
            return _UNITS_EN[m.group(1)]
    if lang != "en":
        if w in _UNITS_DE:
            return _UNITS_DE[w]
        if w in _TENS_DE:
            return _TENS_DE[w]
        m = re.fullmatch(r"(ein|zwei|drei|vier|fünf|sechs|sieben|acht|neun)und(\w+zig|dreißig)", w)
        if m and m.group(2) in _TENS_DE:
            return _DE_UNIT_STEMS[m.group(1)] + _TENS_DE[m.group(2)]
        # compounds such as "zweitägig", "fünfjährige", "dreifach": the number is part of the word
        m = re.fullmatch(
            r"(zwei|drei|vier|fünf|sechs|sieben|acht|neun|zehn|elf|zwölf|zwanzig|dreißig|vierzig|fünfzig|hundert)"
            r"(tägig|jährig|wöchig|monatig|stündig|fach|mal|köpfig|teilig|seitig|stufig)\w*",
            w,
        )
        if m:
            return _UNITS_DE.get(m.group(1)) or _TENS_DE.get(m.group(1)) or 100
    return None


# text2num parses number words in these languages ("two thousand five hundred", "einhundertzwanzig",
# "deux mille cinq cents"); the hand-written tables above stay for compounds and as the fallback
_T2N_LANGS = {code for code in supported() if language(code).text2num}
# articles that are also the number one: "one of the best" = "eine der besten" is no count
_ONE = set().union(*(language(code).raw("article_one") for code in supported()))  # every language's, in any text
_PHRASE_MAX = 8  # words in one written number


def _t2n(phrase: str, lang: str) -> float | None:
    try:
        from text_to_num import text2num
    except ImportError:  # pragma: no cover - a declared dependency
        return None
    try:
        return float(text2num(phrase.lower(), lang))
    except (ValueError, TypeError):
        return None


def _number_phrase(text: str, words: list, k: int, lang: str | None, words_lang: str | None) -> tuple[float, int] | None:
    """(value, index of its last word) of the written number starting at ``words[k]``, or None: the longest
    run of up to ``_PHRASE_MAX`` words joined by spaces or hyphens that text2num reads as one number."""
    first = words[k].group(0)
    value = _word_value(first, lang)
    langs = [words_lang] if words_lang else ["en", "de"]
    if value is None and first.lower() not in _ONE:
        value = next((v for lg in langs if (v := _t2n(first, lg)) is not None), None)
    last = k
    for j in range(k + 1, min(k + _PHRASE_MAX, len(words))):
        if text[words[j - 1].end():words[j].start()].strip(" -"):
            break
        phrase = text[words[k].start():words[j].end()]
        got = next((v for lg in langs if (v := _t2n(phrase, lg)) is not None), None)
        if got is not None:
            value, last = got, j
    if value is None or (first.lower() in _ONE and last == k):
        return None
    return value, last


def _scale_after(text: str, pos: int) -> tuple[float | None, int]:
    m = re.match(r"[\s\u00a0]*(?:-\s*)?([A-Za-zäöüÄÖÜ]+)\.?", text[pos:])
    if m:
        w = m.group(1).lower()
        if w in _SCALES and _SCALES[w]:
            return _SCALES[w], pos + m.end()
    return None, pos


def _currency_after(text: str, pos: int) -> str | None:
    m = re.match(r"[\s\u00a0]*(?:US[- ])?([A-Za-zäöüÄÖÜ$€£-]+|[$€£₺])", text[pos:])
    if not m:
        return None
    w = m.group(1).lower().rstrip("-")
    return _CURRENCY_WORDS.get(w) or _CURRENCY_SYMBOLS.get(w)


def _finish(scan: _Scan, start: int, end: int, values: set[float], cur: str | None, from_word: bool) -> int:
    """Apply a following scale word, percent sign, currency; record the quantity; return its end."""
    scale, end2 = _scale_after(scan.text, end)
    if scale:
        values = {v * scale for v in values}
        end = end2
    pm = _PERCENT.match(scan.text, end)
    percent = bool(pm)
    if pm:
        end = pm.end()
    cur = cur or _currency_after(scan.text, end)
    scan.found.append(
        Quantity(frozenset(values), scan.text[start:end], start, end, percent, cur, from_word)
    )
    return end


def numbers_in(text: str, lang: str | None = None) -> list[Quantity]:
    """All numbers in ``text``, digits and number words (English, German), with scale/percent/currency."""
    words_lang = lang if lang in _T2N_LANGS else None  # text2num reads more languages than the tables
    lang = lang if lang in ("en", "de") else None
    scan = _Scan(text, lang)
    taken: list[tuple[int, int]] = []
    for m in _DIGITS.finditer(text):
        num_start = m.start("num")
        # a digit glued to letters (TB2, S-400, G7) is part of a name, not a count
        if num_start > 0 and (text[num_start - 1].isalpha() or (text[num_start - 1] == "-" and num_start > 1 and text[num_start - 2].isalpha() and text[num_start - 2].isupper())):
            continue
        after = m.end("num")
        if after < len(text) and text[after].isalpha() and not m.group("suffix"):
            # "3km", "5G": keep digit+unit words, but a digit glued into a name stays out
            if text[after].isupper():
                continue
        values = _digit_values(m.group("num"), lang)
        cur = None
        if m.group("cur"):
            cur = _CURRENCY_SYMBOLS[m.group("cur").lower()]
        start = m.start("cur") if m.group("cur") else num_start
        end = _finish(scan, start, after, values, cur, False)
        taken.append((start, end))
    starts = [s for s, _ in taken]  # in text order: found by bisection, so long texts stay linear
    words = list(_WORD.finditer(text))
    k = 0
    while k < len(words):
        m = words[k]
        at = bisect.bisect_right(starts, m.start()) - 1
        if at >= 0 and m.start() < taken[at][1]:
            k += 1
            continue
        run = _number_phrase(text, words, k, lang, words_lang)
        if run is None:
            k += 1
            continue
        value, last = run
        values = {value}
        end = words[last].end()
        # "three hundred", "zwei Millionen" when the phrase parser left the scale word out
        hm = _HUNDRED.match(text, end)
        if hm and value < 100:
            values = {x * 100 for x in values}
            end = hm.end()
        cur = None
        before = text[max(0, m.start() - 2):m.start()].strip()
        if before in _CURRENCY_SYMBOLS:
            cur = _CURRENCY_SYMBOLS[before]
        _finish(scan, m.start(), end, values, cur, True)
        k = last + 1
    scan.found.sort(key=lambda q: q.start)
    return scan.found


def date_terms(text: str) -> set[str]:
    """Months and weekdays named in ``text`` as language-free tokens: {"month:7", "wd:5"}."""
    out: set[str] = set()
    for m in _WORD.finditer(text):
        w = m.group(0).lower()
        if w in WEEKDAYS:
            out.add(f"wd:{WEEKDAYS[w]}")
        elif w in MONTHS and (w != "may" or m.group(0) == "May") and (w != "mai" or m.group(0) == "Mai"):
            # "may" the verb is lower case; "March" at the start of a sentence is still a month
            if w in ("march", "märz") and m.group(0).islower():
                continue
            out.add(f"month:{MONTHS[w]}")
    return out


def missing_numbers(claim: str, claim_lang: str | None, spans: list[tuple[str, str, str | None]]) -> list[Quantity]:
    """Claim quantities that match no quantity of any span. ``spans`` = [(id, text, lang)]."""
    pool = [q for _, t, lg in spans for q in numbers_in(t, lg)]
    return [q for q in numbers_in(claim, claim_lang) if not any(q.matches(p) for p in pool)]
