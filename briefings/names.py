"""Names, speakers and quotes in a sentence: tokens with their offsets and case, the capitalised
words that are names (not titles, countries or dates), who is said to speak, and quoted passages with
the check that a quote is verbatim in a source. Used by the verifier's checks and by ``check``."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz

from .text import SPEECH, STOP, TITLES, fold

# a dotted abbreviation ("U.S.", "U.K.", "U.N.") is one word, the same as "US": read letter by letter,
# "U.S." for "U.K." would be a swap of one-letter words that every check ignores
_DOTTED = r"(?<![^\W_])[A-ZÀ-ÖØ-Þ](?:\.[A-ZÀ-ÖØ-Þ])+\.?(?![^\W_])"
TOKEN = re.compile(rf"{_DOTTED}|[^\W_]+(?:['’][^\W_]+)*", re.U)


_POSSESSIVE = re.compile(r"['’]s$")


def _word(m: re.Match) -> str:
    """A token's word: a dotted abbreviation without its dots ("U.S." -> "US")."""
    w = m.group(0)
    return w.replace(".", "") if "." in w else w


_QUOTES = [
    re.compile(r"“([^”“]{2,}?)”"),
    re.compile(r"„([^“”„]{2,}?)[“”]"),
    re.compile(r'(?<![\w])"([^"]{2,}?)"'),
    re.compile(r"«([^»]{2,}?)»"),
    re.compile(r"»([^«]{2,}?)«"),
    re.compile(r"(?<![\w])‘([^’]{2,}?)’(?![\w])"),
]
_TRANSLATED = re.compile(r"[(\[]\s*(?:translated|übersetzt|translation|trans\.|own translation)\s*[)\]]", re.I)
MIDCAP = re.compile(r"(?<=[\w,;] )([A-ZÀ-ÖØ-ÞČŠŽĆĐ][^\W\d_]+)")
_SENT_OPEN = set(".!?:;“„\"«»‘([—–-")


@dataclass
class Tok:
    text: str  # as written, possessive stripped
    folded: str
    start: int
    cap: bool
    at_start: bool
    end: int = 0
    glued_next: bool = False  # only whitespace (or a hyphen) before the next token
    possessive: bool = False  # written with a possessive ending ("UN's", "Smiths'"): a name ends here


def tokenize(text: str) -> list[Tok]:
    out: list[Tok] = []
    for m in TOKEN.finditer(text):
        w = _POSSESSIVE.sub("", _word(m))
        j = m.start() - 1
        while j >= 0 and text[j].isspace():
            j -= 1
        at_start = j < 0 or text[j] in _SENT_OPEN
        possessive = w != m.group(0).replace(".", "") or (  # "UN's", or "Smiths'" (the apostrophe after the token)
            text[m.end():m.end() + 1] in ("'", "’") and w.endswith("s") and not text[m.end() + 1:m.end() + 2].isalpha())
        out.append(Tok(w, fold(w), m.start(), w[:1].isupper(), at_start, m.end(), possessive=possessive))
    for a, b in zip(out, out[1:]):
        a.glued_next = not text[a.end:b.start].strip(" \t\n-")
    return out


@lru_cache(maxsize=16384)
def is_country_word(word: str) -> bool:
    """True for country names, adjectives and capitals (not people): those go through the tagger."""
    try:
        from .countries import tag_text
    except ImportError:
        return False
    return any(m.kind != "person" for m in tag_text(word))


@lru_cache(maxsize=16384)
def is_person(word: str) -> bool:
    """A person the country tagger knows (heads of state and government)."""
    from .countries import tag_text

    return any(m.kind == "person" for m in tag_text(word))


# ---------------------------------------------------------------------------------------- names

def name_candidates(toks: list[Tok], strict: bool, known: frozenset[str] = frozenset()) -> list[Tok]:
    """Capitalised words that look like names. ``strict``: only name-like ones (German, cross-lingual).

    ``known``: folded names seen mid-sentence in the run's spans; those count at a sentence start too.
    """
    def plain(t: Tok) -> bool:
        return (t.cap and not t.at_start and len(t.folded) > 1 and t.folded not in STOP
                and t.folded not in TITLES and not is_date_word(t.folded) and not is_country_word(t.text)
                and not t.text.isdigit())

    out: list[Tok] = []
    for i, t in enumerate(toks):
        if strict and out and i and out[-1] is toks[i - 1] and toks[i - 1].glued_next and t.cap \
                and t.folded not in STOP | TITLES and not is_country_word(t.text):
            out.append(t)  # "Edi Rama": the next capitalised word continues a name
            continue
        if not t.cap or t.folded in STOP or t.folded in TITLES or is_date_word(t.folded) or is_country_word(t.text):
            continue
        prev = toks[i - 1] if i else None
        nxt = toks[i + 1] if i + 1 < len(toks) else None
        name_like = (
            (prev is not None and (prev.folded in TITLES and prev.cap or prev.folded in SPEECH))
            or (nxt is not None and nxt.folded in SPEECH and t.glued_next and nxt.folded not in ("so", "laut", "zufolge"))
            or (t.at_start and (t.folded in known or is_person(t.text)))
            or (prev is not None and prev.cap and prev.folded not in STOP and prev.folded not in TITLES
                and not is_country_word(prev.text) and not prev.at_start and not strict)
            or (nxt is not None and nxt.cap and nxt.folded not in STOP and nxt.folded not in TITLES
                and not is_country_word(nxt.text) and len(t.folded) > 2 and (not strict or t.text[:1].isupper() and prev is not None and (prev.folded in TITLES or prev.folded in SPEECH)))
        )
        if strict:
            if name_like:
                out.append(t)
        elif plain(t) or (name_like and (not t.at_start or t.folded in known or is_person(t.text)
                                         or (nxt is not None and nxt.folded in SPEECH))):
            out.append(t)
    return out


def name_runs(toks: list[Tok], cands: list[Tok]) -> list[list[Tok]]:
    """Adjacent name tokens (two or more), e.g. "Recep Tayyip Erdogan". A possessive followed by a full name
    ends a run: "the UN's Antonio Guterres" is UN, then Antonio Guterres; "Pandora's Box" stays one name."""
    ids = {id(t) for t in cands}
    runs: list[list[Tok]] = []
    cur: list[Tok] = []
    for t in toks:
        if id(t) in ids and (not cur or cur[-1].glued_next):
            cur.append(t)
            continue
        runs.extend(_owner_split(cur))
        cur = [t] if id(t) in ids else []
    runs.extend(_owner_split(cur))
    return runs


def _owner_split(run: list[Tok]) -> list[list[Tok]]:
    """``run`` cut after each possessive that a name of two or more words follows (runs of one word dropped)."""
    out: list[list[Tok]] = []
    start = 0
    for i, t in enumerate(run[:-2]):
        if t.possessive:
            out.append(run[start:i + 1])
            start = i + 1
    out.append(run[start:])
    return [r for r in out if len(r) > 1]


def is_date_word(w: str) -> bool:
    from .text import MONTHS, WEEKDAYS

    return w in WEEKDAYS or w in MONTHS or fold(w) in {fold(m) for m in MONTHS}


def name_in(name: str, span_tokens: set[str], span_folded: str, fuzzy: bool) -> bool:
    """Folded name found in a span, tolerating German case endings (Serbiens, Belgrads) and compounds."""
    if name in span_tokens:
        return True
    for suffix in ("s", "es", "n", "en", "ns", "'s"):
        if name + suffix in span_tokens or (name.endswith(suffix) and name[: -len(suffix)] in span_tokens):
            return True
    if len(name) >= 5 and re.search(r"(?<![a-z])" + re.escape(name), span_folded):
        return True  # "Bayraktar" in "Bayraktar-Drohnen"
    if fuzzy and len(name) >= 5:
        # another language's transliteration: "Zelensky" is "Selenskyj", "Nadezhdin" is "Nadeschdin"
        return any(len(w) >= 4 and fuzz.ratio(name, w) >= 85 for w in span_tokens) or _same_key(name, span_tokens)
    return False


@lru_cache(maxsize=1)
def _key_rules() -> tuple[tuple[tuple[str, str], ...], dict[str, str], int]:
    import tomllib
    from importlib.resources import files

    data = tomllib.loads(files("briefings").joinpath("data/name_key.toml").read_text(encoding="utf-8"))
    vowels = {c: cls for cls, letters in data["vowels"].items() for c in letters}
    return tuple((a, b) for a, b in data["replace"]), vowels, int(data["min_consonants"])


@lru_cache(maxsize=65536)
def name_key(name: str) -> str:
    """A name's sounds across transliteration schemes (``data/name_key.toml``): "Zelensky", "Zelenskyy",
    "Selenskyj", "Zelenskij" and "Зеленский" have one key; "" for a name too short to have one."""
    from anyascii import anyascii

    rules, vowels, least = _key_rules()
    s = "".join(c for c in anyascii(name).lower() if c.isalpha())
    for a, b in rules:
        s = s.replace(a, b)
    key = re.sub(r"(.)\1+", r"\1", "".join(vowels.get(c, c) for c in s))
    return key if sum(c not in vowels for c in key) >= least else ""


def _same_key(name: str, span_tokens: set[str]) -> bool:
    """``name`` and a word of the span are one name in two schemes (a German genitive "-s" tolerated)."""
    key = name_key(name)
    return bool(key) and any(key in (name_key(w), name_key(w[:-1]) if w.endswith("s") else "") for w in span_tokens)


def same_name(a: str, b: str, fuzzy: bool) -> bool:
    return name_in(a, {b}, b, fuzzy) or name_in(b, {a}, a, False)


def speakers(text: str, strict: bool = False, known: frozenset[str] = frozenset()) -> set[str]:
    """Folded names next to a speech verb: 'Vucic said', 'Vucic, the president, said' is missed (known gap),
    'sagte Fikrim Damka', 'said Serbian President Vucic'."""
    toks = tokenize(text)
    names = {id(t) for t in name_candidates(toks, strict, known)}
    out: set[str] = set()
    for i, t in enumerate(toks):
        if t.folded not in SPEECH:
            continue
        if t.folded in ("so", "laut", "zufolge") and not (i + 1 < len(toks) and id(toks[i + 1]) in names or i and id(toks[i - 1]) in names):
            continue
        after = [i + 1]
        k = i + 1
        while k < len(toks) and (toks[k].folded in TITLES or is_country_word(toks[k].text)) and k < i + 4:
            k += 1  # "said Serbian President Vucic"
            after.append(k)
        for j in [i - 1] + after:
            if 0 <= j < len(toks) and id(toks[j]) in names and (j > i or toks[j].glued_next):
                # the whole name run: "Ismail Demir", "Recep Tayyip Erdogan"
                # (only words written together: "over Kosovo, Vucic says" names Vucic alone)
                k = j
                while k >= 0 and toks[k].cap and toks[k].folded not in TITLES | SPEECH | STOP \
                        and (k == j or toks[k].glued_next) and not is_country_word(toks[k].text):
                    out.add(toks[k].folded)
                    k -= 1
                k = j + 1
                while k < len(toks) and toks[k].cap and toks[k].folded not in TITLES | SPEECH | STOP \
                        and toks[k - 1].glued_next and not is_country_word(toks[k].text):
                    out.add(toks[k].folded)
                    k += 1
                break
    return out


# ---------------------------------------------------------------------------------------- quotes

def quotes(text: str) -> list[tuple[str, int, int, bool]]:
    """Quoted strings: (inner text, start, end, marked translated)."""
    found: list[tuple[str, int, int, bool]] = []
    for rx in _QUOTES:
        for m in rx.finditer(text):
            if any(s <= m.start() < e for _, s, e, _ in found):
                continue
            around = text[max(0, m.start() - 20):m.start()] + " " + text[m.end():m.end() + 25]
            found.append((m.group(1), m.start(), m.end(), bool(_TRANSLATED.search(around))))
    return sorted(found, key=lambda q: q[1])


def folded_words(text: str) -> list[str]:
    return [fold(_word(m)) for m in TOKEN.finditer(text)]


def contains_seq(hay: list[str], needle: list[str]) -> bool:
    n = len(needle)
    return n > 0 and any(hay[i:i + n] == needle for i in range(len(hay) - n + 1))


def quote_in(quote: str, span_text: str) -> bool:
    """Verbatim up to case, diacritics, punctuation and whitespace; '…' may elide words."""
    hay = folded_words(span_text)
    parts = [p for p in re.split(r"\.\.\.|…|\[\.\.\.\]", quote) if folded_words(p)]
    return bool(parts) and all(contains_seq(hay, folded_words(p)) for p in parts)


# ---------------------------------------------------------------------------------------- checks
