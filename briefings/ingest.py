"""Sources → Articles: read, decode, extract, clean, detect language, de-duplicate.

Bad input never stops the run: every file that cannot be used becomes one ``Skipped`` line.
"""

from __future__ import annotations

import codecs
import gc
import hashlib
import json
import logging
import os
import re
import stat
import sys
import tomllib
import unicodedata
from array import array
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain
from pathlib import Path
from typing import cast

from .config import PACKAGE_DATA, Settings
from .dates import normalize_published
from .models import Article, Skipped
from .stories import params as story_params
from .text import STOP_GROUPING, drop_unsafe

# ---------------------------------------------------------------- language


LANGUAGES = (
    "ENGLISH GERMAN FRENCH SPANISH ITALIAN PORTUGUESE DUTCH POLISH RUSSIAN TURKISH ARABIC UKRAINIAN "
    "SERBIAN CROATIAN BOSNIAN ALBANIAN GREEK ROMANIAN BULGARIAN CZECH HUNGARIAN SWEDISH DANISH "
    "FINNISH CHINESE JAPANESE KOREAN PERSIAN HEBREW AZERBAIJANI "
    # issue 28: Norwegian was read as Danish, Icelandic as Danish or Portuguese, Hindi as "und", Swahili,
    # Indonesian, Xhosa and Zulu as Albanian. Each language costs: 30 -> 38 took detection from 0.21 to
    # 0.29 ms a text (1,000 texts of 200 characters, one core); all 75 would be 0.64 ms.
    "BOKMAL NYNORSK ICELANDIC HINDI SWAHILI INDONESIAN XHOSA ZULU"
).split()
_DETECT_CHARS = 200  # measured on the 10k bench corpus (en/de): 0 errors at 200 and 400 chars, 1 at 150; 0.65 ms vs 1.4 ms CPU an article


@lru_cache(maxsize=1)
def _detector():
    from lingua import Language, LanguageDetectorBuilder

    langs = [getattr(Language, n) for n in LANGUAGES if hasattr(Language, n)]
    # Low accuracy mode = trigram models only. It changes results only for texts under 120 characters;
    # the default mode loads the 1- to 5-gram models of every language on the first short text
    # (measured: 20 s and 580 MB RSS for one RSS summary, vs 1.5 s and 64 MB).
    return LanguageDetectorBuilder.from_languages(*langs).with_low_accuracy_mode().build()


def _code(lang) -> str:
    return lang.iso_code_639_1.name.lower() if lang is not None else "und"


def detect_language(text: str) -> str:
    """ISO 639-1 code of ``text`` ("und" when undecidable)."""
    return _code(_detector().detect_language_of(text[:_DETECT_CHARS]))


def detect_confidences(text: str) -> dict[str, float]:
    """ISO 639-1 code -> the detector's confidence that ``text`` is written in it."""
    return {_code(c.language): c.value for c in _detector().compute_language_confidence_values(text[:_DETECT_CHARS])}


def detect_languages(texts: list[str]) -> list[str]:
    return [_code(x) for x in _detector().detect_languages_in_parallel_of([t[:_DETECT_CHARS] for t in texts])]


# ---------------------------------------------------------------- cleaning


@dataclass
class Rules:
    drop: list[re.Pattern] = field(default_factory=list)
    strip: list[re.Pattern] = field(default_factory=list)

    def drops(self, line: str) -> bool:
        """Whether any drop rule matches ``line``. Rules anchored at ``^`` are combined and tried at the
        start only; the others are combined into one search (one search per rule was 40 µs a line)."""
        if self._compiled != len(self.drop):
            self._compile()
        if self._start is not None and self._start.match(line):
            return True
        return any(p.search(line) for p in self._loose)

    def _compile(self) -> None:
        anchored = [p for p in self.drop if _anchored(p)]
        loose = [p for p in self.drop if not _anchored(p)]
        try:
            self._start = _union(anchored)
            self._loose = [u] if (u := _union(loose)) else []
        except re.error:  # e.g. a rule with a global inline flag: fall back to one search per rule
            self._start, self._loose = None, list(self.drop)
        self._compiled = len(self.drop)

    _start: re.Pattern | None = field(default=None, repr=False, compare=False)
    _loose: list[re.Pattern] = field(default_factory=list, repr=False, compare=False)
    _compiled: int = field(default=-1, repr=False, compare=False)


def _union(patterns: list[re.Pattern]) -> re.Pattern | None:
    return re.compile("|".join(f"(?:{p.pattern})" for p in patterns), re.IGNORECASE) if patterns else None


def _anchored(p: re.Pattern) -> bool:
    """Whether every match of ``p`` must start at position 0 (it begins with ``^``, outside any ``|``)."""
    try:
        from re import _parser  # type: ignore[attr-defined]  # private, guarded below

        first = list(_parser.parse(p.pattern, p.flags))[:1]
        return bool(first) and first[0] == (_parser.AT, _parser.AT_BEGINNING) and not p.flags & re.MULTILINE
    except Exception:  # noqa: BLE001 - private module changed: treat as unanchored, still correct
        return False


def load_rules(extra: Path | None = None) -> Rules:
    rules = Rules()
    for path in [PACKAGE_DATA / "boilerplate.toml", *([extra] if extra else [])]:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        rules.drop += [re.compile(r["pattern"], re.IGNORECASE) for r in data.get("drop", [])]
        rules.strip += [re.compile(r["pattern"], re.IGNORECASE) for r in data.get("strip", [])]
    return rules


_TITLE_END = re.compile(r"[.!?:;…\"“”»]$")


# Characters that may be control (Cc) or format (Cf) characters: everything outside ranges known to
# hold none (ASCII printable, Latin-1 minus the soft hyphen, Latin Extended, Greek, Cyrillic, the
# common quotes and dashes U+2010-2027). Only these few are looked up, not every character (was 40%
# of ingest time). tests/test_ingest.py checks the ranges against unicodedata.
_MAYBE_CONTROL = re.compile("[^\t\n\x20-\x7e\xa0-\xac\xae-\u024f\u0370-\u04ff\u2010-\u2027]")


def _drop_control(m: re.Match) -> str:
    return "" if unicodedata.category(m.group()) in ("Cc", "Cf") else m.group()


def clean_text(text: str, rules: Rules) -> str:
    """NFC, one paragraph per line (blank line between), boilerplate removed. The stored text."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = _MAYBE_CONTROL.sub(_drop_control, text)  # drop Cc/Cf except newline and tab
    paras = []
    for line in text.split("\n"):
        # whitespace runs to one space, ends stripped: str.split() splits on exactly the characters
        # regex \s matches (str.isspace); a regex sub per line was 8 µs, a third of the cleaning
        line = " ".join(line.split())
        for pat in rules.strip:
            line = pat.sub("", line, count=1).strip()
        if not line or rules.drops(line):
            continue
        paras.append(line)
    return "\n\n".join(paras)


def split_title(text: str) -> tuple[str | None, str]:
    """A first line that looks like a headline (short, no closing punctuation, more text follows)."""
    first, _, rest = text.partition("\n")
    md = first.lstrip()
    if md.startswith("#"):
        return md.lstrip("#").strip() or None, rest
    words = first.split()
    if rest.strip() and 2 <= len(words) <= 25 and len(first) <= 200 and not _TITLE_END.search(first.strip()):
        return first.strip(), rest
    return None, text


def article_id(text: str) -> str:
    norm = " ".join(unicodedata.normalize("NFKC", text).casefold().split())
    return hashlib.sha256(norm.encode()).hexdigest()[:12]


# ---------------------------------------------------------------- readers


@dataclass
class Raw:
    """One article as read from a source, before cleaning."""

    source: str
    text: str
    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    published: str | None = None
    language: str | None = None
    title_in_text: bool = False  # plain text: the first line may be the title
    hidden: int = 0  # runs of HTML text dropped as hidden from a reader (visible.drop_hidden)
    unsure: int = 0  # and those dropped because their visibility could not be judged


class SkipFile(Exception):
    """Raised by a reader: the file (or entry) is skipped with this reason."""


# a valid UTF-8 multi-byte sequence: a file holding some is UTF-8, whatever else it holds
_UTF8_MULTI = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")


def _cp1252_fallback(e: UnicodeError) -> tuple[str, int]:
    """Codec error handler: bytes that are not UTF-8 read as Windows-1252 (Latin-1 plus its printable
    0x80-0x9f), one run at a time."""
    bad = e.object[e.start:e.end]  # type: ignore[attr-defined]
    return bad.decode("cp1252", errors="replace"), e.end  # type: ignore[attr-defined]


codecs.register_error("briefings-cp1252", _cp1252_fallback)


def decode(data: bytes) -> str:
    """Text of a file: UTF-8 (BOM or not), UTF-16 with a BOM, UTF-8 with stray Latin-1/Windows-1252
    bytes (a file pasted together: each part keeps its own characters), else the encoding
    charset-normalizer finds."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise SkipFile("not text: invalid UTF-16 after a UTF-16 byte order mark") from None
        if not text.strip():
            raise SkipFile("empty file")
        return text
    if not data.strip():
        raise SkipFile("empty file")
    if b"\x00" in data[:8192]:
        raise SkipFile("binary file (NUL bytes)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    if _UTF8_MULTI.search(data):
        return data.decode("utf-8-sig", errors="briefings-cp1252")
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise SkipFile("not text: no character encoding fits")
    text = str(best)
    if sum(1 for c in text[:4000] if unicodedata.category(c) in ("Cc", "Co", "Cn") and c not in "\n\r\t") > 20:
        raise SkipFile(f"not text (decoded as {best.encoding}, mostly control characters)")
    return text


def read_text(source: str, data: bytes) -> Iterator[Raw]:
    yield Raw(source=source, text=decode(data), title_in_text=True)


def read_html(source: str, data: bytes) -> Iterator[Raw]:
    """A saved page: hidden elements are removed from its tree (``visible.drop_hidden``) before
    trafilatura extracts the article from that cleaned tree."""
    import trafilatura
    from trafilatura.utils import load_html

    from .visible import drop_hidden

    tree = load_html(decode(data))  # the tree trafilatura would build from the string
    dropped = drop_hidden(tree, page=True) if tree is not None else None
    doc = None
    if tree is not None:
        doc = trafilatura.bare_extraction(tree, with_metadata=True, include_comments=False, favor_precision=True)
    text = getattr(doc, "text", None) if doc is not None else None
    if not text or not text.strip():
        gone = f" ({dropped.total} hidden text element(s) dropped)" if dropped and dropped.total else ""
        raise SkipFile("no article text found in HTML" + gone)
    yield Raw(source=source, text=text, title=getattr(doc, "title", None), outlet=getattr(doc, "sitename", None),
              url=getattr(doc, "url", None), published=getattr(doc, "date", None),
              language=getattr(doc, "language", None), hidden=dropped.hidden if dropped else 0,
              unsure=dropped.unsure if dropped else 0)


def _html_to_text(fragment: str) -> tuple[str, int, int]:
    """Visible text of an HTML fragment (a feed entry's body), and how many hidden / unjudgeable runs of
    text were dropped (``visible.drop_hidden``, as for saved pages; here aria-hidden elements go too)."""
    if "<" not in fragment:
        return fragment, 0, 0
    import lxml.html

    from .visible import drop_hidden

    try:
        root = lxml.html.fromstring(fragment)
    except Exception:  # noqa: BLE001 - malformed fragment: fall back to tag stripping
        return re.sub(r"<[^>]+>", " ", fragment), 0, 0
    dropped = drop_hidden(root, aria_hidden=True)
    for br in root.iter("br", "p", "div", "li", "h1", "h2", "h3"):
        br.tail = "\n" + (br.tail or "")
    return root.text_content(), dropped.hidden, dropped.unsure


def read_feed(source: str, data: bytes) -> Iterator[Raw]:
    import feedparser

    # unsanitised: its sanitiser drops the style, hidden and aria-hidden attributes that say what is
    # invisible, and keeps the text of <template>; the HTML is never rendered, only its visible text kept
    feed = feedparser.parse(data, sanitize_html=False)
    if not feed.entries:
        reason = f"malformed feed: {feed.bozo_exception}" if feed.get("bozo") else "feed has no entries"
        raise SkipFile(reason)
    outlet = feed.feed.get("title")
    for i, e in enumerate(feed.entries, start=1):
        body = (e.get("content") or [{}])[0].get("value") or e.get("summary") or ""
        published = None
        for key in ("published_parsed", "updated_parsed"):
            if e.get(key):
                t = e[key]
                published = f"{t.tm_year:04d}-{t.tm_mon:02d}-{t.tm_mday:02d}"
                break
        text, hidden, unsure = _html_to_text(body)
        yield Raw(source=f"{source}#{i}", text=text, title=e.get("title"), outlet=outlet,
                  url=e.get("link"), published=published, hidden=hidden, unsure=unsure)


_META = ("title", "outlet", "url", "published", "language")  # optional; a string when given


def read_jsonl(source: str, data: bytes) -> Iterator[Raw | Skipped]:
    """One article per line; a line that is not a JSON object with a string ``text`` and string (or
    null; numbers are read as text, except for the language) metadata is skipped with its line
    number, the others go on."""
    for n, line in enumerate(decode(data).splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{source}#{n}"
        try:
            row = json.loads(line)
        except json.JSONDecodeError as e:
            yield Skipped(source=where, reason=f"invalid JSON: {e.msg}")
            continue
        except RecursionError:
            yield Skipped(source=where, reason="JSON nested too deeply")
            continue
        if not isinstance(row, dict) or not isinstance(row.get("text"), str):
            yield Skipped(source=where, reason="no 'text' field (a string)")
            continue
        wrong = []
        for k in _META:
            v = row.get(k)
            if v is None or isinstance(v, str):
                continue
            if isinstance(v, (int, float)) and not isinstance(v, bool) and k != "language":
                row[k] = str(v)  # "published": 20240305 is a date written as a number; a numeric url is then no link
            else:
                wrong.append(k)  # a list, an object, a boolean, a numeric language: nothing sensible to keep
        if wrong:
            yield Skipped(source=where, reason=f"{', '.join(repr(k) for k in wrong)} must be "
                                              f"{'a string' if len(wrong) == 1 else 'strings'} (or null)")
            continue
        yield Raw(source=where, text=row["text"], title=row.get("title"), outlet=row.get("outlet"),
                  url=row.get("url"), published=row.get("published"), language=row.get("language"))


def sniff(data: bytes) -> Callable:
    head = data[:2048].lstrip().lower()
    if head.startswith(b"{"):
        return read_jsonl
    if b"<rss" in head or b"<feed" in head or b"<rdf:rdf" in head:
        return read_feed
    if head.startswith(b"<"):
        return read_html
    return read_text


def _read_xml(source: str, data: bytes) -> Iterator[Raw]:
    return sniff(data)(source, data)


READERS: dict[str, Callable] = {
    ".txt": read_text, ".md": read_text, ".text": read_text,
    ".html": read_html, ".htm": read_html,
    ".jsonl": read_jsonl, ".ndjson": read_jsonl,
    ".rss": read_feed, ".atom": read_feed, ".xml": _read_xml,
}


# ---------------------------------------------------------------- walking sources


def _files(paths: Iterable[str], skipped: list[Skipped]) -> Iterator[tuple[str, Path | None]]:
    """Every source to read, in a stable order. Inside directories: hidden names are left out;
    symlinked directories are followed once (a loop is reported, not walked); a directory that cannot
    be listed is reported; FIFOs, devices and sockets are yielded, so ``read_file`` reports them."""
    for p in paths:
        if p == "-":
            yield "<stdin>", None
            continue
        path = Path(p)
        if path.is_dir():
            yield from _walk(path, skipped, set())
        else:
            yield str(path), path


def _walk(root: Path, skipped: list[Skipped], seen: set[tuple[int, int]]) -> Iterator[tuple[str, Path]]:
    try:
        st = root.stat()
        if (st.st_dev, st.st_ino) in seen:
            skipped.append(Skipped(source=str(root), reason="symlink loop: directory already read"))
            return
        seen.add((st.st_dev, st.st_ino))
        entries = sorted(os.scandir(root), key=lambda e: e.name)
    except OSError as e:
        skipped.append(Skipped(source=str(root), reason=f"cannot list directory: {e.strerror or e}"))
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        path = Path(entry.path)
        try:
            is_dir = entry.is_dir()  # follows symlinks
        except OSError as e:  # e.g. a symlink loop (ELOOP)
            skipped.append(Skipped(source=str(path), reason=f"cannot read: {e.strerror or e}"))
            continue
        if is_dir:
            yield from _walk(path, skipped, seen)
        elif entry.is_symlink() and not path.exists():
            skipped.append(Skipped(source=str(path), reason="broken symlink or symlink loop"))
        else:
            yield str(path), path


def _read_bounded(path: Path, max_bytes: int) -> bytes:
    """At most ``max_bytes + 1`` bytes of a regular file. The type is checked on the open descriptor
    (a path can change between a stat and an open): a FIFO, device or socket is refused without
    reading, and O_NONBLOCK keeps opening a FIFO from waiting for a writer."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            kind = ("a FIFO" if stat.S_ISFIFO(st.st_mode) else "a device" if stat.S_ISCHR(st.st_mode)
                    or stat.S_ISBLK(st.st_mode) else "a socket" if stat.S_ISSOCK(st.st_mode) else "not a file")
            raise SkipFile(f"not a regular file ({kind})")
        if st.st_size > max_bytes:
            raise SkipFile(f"too large: {st.st_size:,} bytes > limit {max_bytes:,}")
        chunks, left = [], max_bytes + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def read_file(source: str, path: Path | None, max_bytes: int) -> list[Raw | Skipped]:
    """Everything one source yields: articles to clean, or the reason it is skipped."""
    try:
        if path is None:
            data = sys.stdin.buffer.read(max_bytes + 1)
            reader = sniff(data)
        else:
            if not path.exists():
                raise SkipFile("broken symlink" if path.is_symlink() else "no such file or directory")
            known = READERS.get(path.suffix.lower())
            if known is None:
                raise SkipFile(f"unknown extension '{path.suffix or '(none)'}' "
                               f"(known: {' '.join(sorted(READERS))})")
            reader = known
            data = _read_bounded(path, max_bytes)
        if len(data) > max_bytes:
            raise SkipFile(f"too large: more than {max_bytes:,} bytes")
        return list(reader(source, data))
    except SkipFile as e:
        return [Skipped(source=source, reason=str(e))]
    except PermissionError:
        return [Skipped(source=source, reason="permission denied")]
    except OSError as e:
        return [Skipped(source=source, reason=f"cannot read: {e.strerror or e}")]
    except Exception as e:  # noqa: BLE001 - a parser bug on one file must not stop the run
        return [Skipped(source=source, reason=f"cannot parse: {type(e).__name__}: {e}")]


# ---------------------------------------------------------------- near duplicates

_WORD3 = re.compile(r"\w{3,}")  # the words longer than 2 characters (as \w+ would find them)
_STOP = STOP_GROUPING


def _bigrams(text: str) -> array:
    """Content-word bigrams, kept as hashes in an array (8 bytes each: sets of word tuples took 600 MB
    for 10,000 articles). A 64-bit collision among a few million bigrams is improbable and would add
    one shared bigram. Hashes are per process: compute them in the process that groups."""
    words = [w for w in _WORD3.findall(text.casefold()) if w not in _STOP]
    return array("q", set(map(hash, zip(words, words[1:]))))


def group_stories(articles: list[Article], threshold: float, grams: list[array] | None = None) -> dict[str, str]:
    """Article id → story id (the id of the group's first article) for near-duplicate groups.

    Similarity: bigrams shared / bigrams of the smaller article (``grams``: ``_bigrams`` of each text,
    computed here when not given), counted only over bigrams found in at most ``_STORY_CAP`` articles.
    Measured on the seeds: a rewrite of the same story 0.22, different stories on the same topic ≤ 0.08.
    Common bigrams are skipped because counting their pairs is quadratic (a cap growing with the corpus,
    n/20, took minutes and GBs at 10,000 articles); they still count in the denominator, which makes the
    test conservative. Each article is compared with the earlier ones through an inverted index built as
    it goes, so every pair is counted once.
    """
    if grams is None:
        grams = [_bigrams(a.text) for a in articles]
    df = Counter(chain.from_iterable(grams))
    useful = {b for b, n in df.items() if 1 < n <= _STORY_CAP}
    del df
    # n >= threshold * min(len_i, len_j)  <=>  n >= need[i] or n >= need[j]; short articles never match
    need = [threshold * len(g) for g in grams]
    index: dict[int, list[int]] = defaultdict(list)
    parent = list(range(len(articles)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, g in enumerate(grams):
        if len(g) < 5:
            continue
        mine = [b for b in g if b in useful]
        # shared-bigram counts with every earlier article, counted in C (Counter over the postings)
        shared = Counter(chain.from_iterable(index[b] for b in mine))
        ni = need[i]
        for j in [j for j, n in shared.items() if n >= ni or n >= need[j]]:
            a, b = find(i), find(j)
            if a != b:
                parent[max(a, b)] = min(a, b)  # the root is always the group's first article
        for b in mine:
            index[b].append(i)
    return {a.id: articles[find(i)].id for i, a in enumerate(articles)}


_STORY_CAP = 50


def _stories_key(articles: list[Article], threshold: float) -> str:
    """What the story groups depend on: every kept text, in order, and the grouping parameters. Equal
    keys give equal groups, so an ingest of unchanged files reuses the groups of the last one
    (hashing 40 MB of text takes 0.1 s; grouping 10,000 articles took 8 s)."""
    h = hashlib.sha256(json.dumps([threshold, _STORY_CAP, STORIES_VERSION, story_params()]).encode())
    for a in articles:
        data = a.text.encode()
        h.update(len(data).to_bytes(8, "little") + data)
    return h.hexdigest()


STORIES_VERSION = 2  # bump when _bigrams or group_stories change what they find (2: MinHash joined)


def minhash_groups(articles: list[Article], store=None) -> dict[str, str]:
    """Story groups by MinHash (stories.py); signatures come from the store when it has them."""
    from .stories import group_stories as by_minhash, signature

    ids = [a.id for a in articles]
    stored = store.signatures(ids) if store is not None else {}
    new = {a.id: signature(a.text) for a in articles if a.id not in stored}
    if store is not None and new:
        store.put_signatures(new)
    return by_minhash(ids, [stored[i] if i in stored else new[i] for i in ids])


def union_groups(ids: list[str], *groupings: dict[str, str]) -> dict[str, str]:
    """Article id -> story id where two articles share a story if any grouping puts them together;
    the story id is the group's first article in ``ids`` order."""
    order = {a: n for n, a in enumerate(ids)}
    parent = list(range(len(ids)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for g in groupings:
        for a, root in g.items():
            x, y = find(order[a]), find(order[root])
            if x != y:
                parent[max(x, y)] = min(x, y)
    return {a: ids[find(n)] for a, n in order.items()}


# ---------------------------------------------------------------- entry point


@dataclass
class IngestResult:
    articles: list[Article]
    skipped: list[Skipped]
    fresh: int = 0  # articles read and segmented in this call (the rest came from the store)

    @property
    def undetermined(self) -> list[str]:
        """Sources of articles whose language could not be told (kept; country names of every
        language apply to them, and no reader-language rule can hold for them)."""
        return [a.source for a in self.articles if a.language == "und"]

    @property
    def stories(self) -> dict[str, list[str]]:
        groups: dict[str, list[str]] = defaultdict(list)
        for a in self.articles:
            groups[a.story or a.id].append(a.id)
        return {k: v for k, v in groups.items() if len(v) > 1}


def _to_article(item: Raw, rules: Rules) -> Article | Skipped:
    text = unicodedata.normalize("NFC", item.text)
    title = item.title
    if item.title_in_text:
        title, text = split_title(text.strip())
    text = clean_text(text, rules)
    if len(text) < 20 or not re.search(r"\w{2}", text):
        return Skipped(source=item.source, reason="no text left after cleaning")
    return Article(
        id=article_id(text), source=item.source, title=_clean_meta(title), outlet=_clean_meta(item.outlet),
        url=_http_url(item.url),
        published=_clean_meta(item.published), language=(item.language or "").lower()[:2] or "und", text=text,
        hidden=item.hidden, unsure=item.unsure,
    )


def _settings_key(settings: Settings) -> str:
    """What a cached file depends on besides its bytes: cleaning rules, segmentation settings."""
    rules = (PACKAGE_DATA / "boilerplate.toml").read_text(encoding="utf-8")
    if settings.ingest.boilerplate_file:
        rules += Path(settings.ingest.boilerplate_file).read_text(encoding="utf-8")
    key = json.dumps([rules, settings.segment.model_dump(mode="json"), settings.ingest.max_bytes, INGEST_VERSION])
    return hashlib.sha256(key.encode()).hexdigest()[:16]


INGEST_VERSION = 3  # bump when cleaning or segmentation changes, so stored files are read again (2: mixed encodings, hidden feed markup, meta controls; 3: hidden text dropped from pages too, published dates read in RFC 2822 and written forms)


Read = tuple[Article, tuple]  # an unsegmented article and its segment.spans_many data


def _read(files: Sequence[tuple[str, Path | None]], max_bytes: int, rules: Rules,
          parallel: bool = True) -> list[list[Read | Skipped]]:
    """Per file, what it yields in order: articles (cleaned, language-tagged) with their spans and token
    counts, or skips. Plain data, cheap to send from a worker; ``_finish`` builds the sentences.
    An exact duplicate is read here like any article; ``ingest`` keeps the first."""
    from .segment import spans_many

    out: list[list[Article | Skipped]] = []
    found: list[Article] = []
    for source, path in files:
        items = [item if isinstance(item, Skipped) else _to_article(item, rules)
                 for item in read_file(source, path, max_bytes)]
        found += [x for x in items if isinstance(x, Article)]
        out.append(items)
    todo = [a for a in found if a.language == "und"]
    texts = [a.text for a in todo]
    for a, lang in zip(todo, detect_languages(texts) if parallel else map(detect_language, texts)):
        a.language = lang
    for a in found:  # "Tue, 05 Mar 2024 10:00:00 GMT", "5. März 2024" -> ISO; unreadable: kept as given
        a.published = normalize_published(a.published, a.language)
    segs = iter(spans_many(found))
    return [[x if isinstance(x, Skipped) else (x, next(segs)) for x in items] for items in out]


def _finish(x: Read | Skipped, chunk_tokens: int) -> Article | Skipped:
    """Sentences and chunks built from ``_read`` data (in the parent: the objects never travel)."""
    if isinstance(x, Skipped):
        return x
    from .segment import apply_spans

    a, (spans, paras, counts) = x
    apply_spans(a, spans, paras, counts, chunk_tokens)
    return a


@lru_cache(maxsize=4)
def _worker_rules(extra: Path | None) -> Rules:
    return load_rules(extra)


def _work(files: list[tuple[str, Path]], max_bytes: int, extra_rules: Path | None) -> list[list[Read | Skipped]]:
    """``_read`` in a worker process. Sentences are built in the parent from spans: building them
    there costs 3 µs each, receiving built ones 12-14 µs (unpickling or validating JSON)."""
    return _read(files, max_bytes, _worker_rules(extra_rules), parallel=False)  # the workers are the parallelism


_POOL_MIN_FILES = 500  # below this, starting the forkserver and workers (1-4 s measured, loaded machine) costs more than it saves
_BATCH = 25  # files per task: small enough to balance two workers, large enough for batched detection


def _workers() -> int:
    """Usable CPUs, at most 2 (the measured budget; ``taskset`` limits it further)."""
    try:
        return max(1, min(2, len(os.sched_getaffinity(0))))
    except AttributeError:  # no sched_getaffinity (macOS)
        return max(1, min(2, os.cpu_count() or 1))


@lru_cache(maxsize=1)
def _main_importable() -> bool:
    """Whether worker processes may import the main script, as multiprocessing makes them do. A script
    without an ``if __name__ == "__main__":`` guard would run again in each worker (its ingest call
    failed there, with a traceback per worker, before this check); its files are read in this process,
    with one warning. ``python -m`` modules and installed commands are not imported again."""
    main = sys.modules.get("__main__")
    path = getattr(main, "__file__", None)
    if getattr(main, "__spec__", None) is not None or not path or not os.path.isfile(path):
        return True
    import ast

    try:
        tree = ast.parse(Path(path).read_bytes())
    except (OSError, SyntaxError, ValueError):
        return True  # not a script we can read: leave it to multiprocessing
    guarded = any(isinstance(node, ast.If) and "__name__" in ast.unparse(node.test) for node in tree.body)
    if not guarded:
        import warnings

        warnings.warn(f"{path} has no 'if __name__ == \"__main__\":' guard, so worker processes would run "
                      "it again: files are read in this process only (add the guard to use all CPUs)",
                      RuntimeWarning, stacklevel=4)
    return guarded


def _in_pool(todo: list[tuple[str, Path]], workers: int, settings: Settings) -> Iterator[list[Read | Skipped]]:
    """``_read`` of ``todo`` in ``workers`` processes, results in file order. If the pool breaks
    (a worker killed, a start method that cannot work here), the rest is read in this process."""
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    # Not fork: a forked child inherits the state of thread pools whose threads it does not have
    # (lingua's Rust pool after one parallel detection here hung the workers) and any lock a thread
    # held. A forkserver imports this module once; each worker is then forked from that clean process.
    ctx = mp.get_context("forkserver" if "forkserver" in mp.get_all_start_methods() else "spawn")
    if ctx.get_start_method() == "forkserver":
        ctx.set_forkserver_preload(["briefings.ingest", "briefings.segment"])
    args = (settings.ingest.max_bytes, settings.ingest.boilerplate_file)
    batches = [todo[i : i + _BATCH] for i in range(0, len(todo), _BATCH)]
    done = 0
    try:
        with ProcessPoolExecutor(workers, mp_context=ctx) as pool:
            # a bounded window of batches in flight: results wait here only until their turn
            # (submitting everything at once held every result's JSON until the end: +150 MB)
            window: deque = deque()
            for batch in batches:
                window.append(pool.submit(_work, batch, *args))
                if len(window) > 4 * workers:
                    yield from window.popleft().result()
                    done += 1
            while window:
                yield from window.popleft().result()
                done += 1
    except BrokenProcessPool:
        rules = _worker_rules(settings.ingest.boilerplate_file)
        for batch in batches[done:]:
            yield from _read(batch, args[0], rules)


@contextmanager
def _gc_paused() -> Iterator[None]:
    """The cyclic garbage collector off while ingest builds its objects. Every Sentence is four tracked
    containers and they all stay alive, so each collection walked a growing heap for nothing: measured
    on 10,000 stored articles, 6.2-7.9 s of CPU with it, 3.6-3.8 s without. Cycles made meanwhile are
    collected once it is back on."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def ingest(paths: Iterable[str], settings: Settings | None = None, store=None,
           progress: Callable[[str], None] | None = None, workers: int | None = None) -> IngestResult:
    """Read every source into cleaned, language-tagged, segmented, de-duplicated Articles.

    With a ``store``, files unchanged since the last ingest are not read again. New files are read in
    ``workers`` processes (default: up to 2 usable CPUs) when there are at least ``_POOL_MIN_FILES``
    of them; the result is the same either way.
    """
    with _gc_paused():
        return _ingest(paths, settings, store, progress, workers)


def _ingest(paths: Iterable[str], settings: Settings | None, store, progress: Callable[[str], None] | None,
            workers: int | None) -> IngestResult:
    settings = settings or Settings()
    rules = load_rules(settings.ingest.boilerplate_file)
    key = _settings_key(settings) if store else ""
    articles: dict[str, Article] = {}
    # bigrams of each kept article: computed as a new one arrives (overlaps the workers); for stored
    # ones only when the story groups must be computed again (None until then)
    grams: list[array | None] = []
    skipped: list[Skipped] = []
    fresh: list[Article] = []
    per_file: list[tuple[Path, list[str], list[Skipped], list[str]]] = []

    def add(a: Article, new: bool = True) -> bool:
        if a.id in articles:  # exact duplicate: one article, every source remembered
            if a.source != articles[a.id].source and a.source not in articles[a.id].duplicates:
                articles[a.id].duplicates.append(a.source)
            return False
        articles[a.id] = a
        grams.append(_bigrams(a.text) if new else None)
        return True

    # which files must be read: a stat and one row per file; stored articles are loaded later, in order,
    # while the workers read the new files
    walk_skips: list[Skipped] = []  # unreadable directories, symlink loops: reported with the rest
    plan = [(source, path, store.unchanged_file(path, key) if store is not None and path is not None else None)
            for source, path in _files(paths, walk_skips)]
    todo = [(source, path) for source, path, row in plan if row is None and path is not None]
    workers = _workers() if workers is None else workers
    if workers > 1 and len(todo) >= _POOL_MIN_FILES and _main_importable():
        results: Iterator = _in_pool(todo, workers, settings)
    else:
        results = (items for f in todo for items in _read([f], settings.ingest.max_bytes, rules))
    for source, path, row in plan:
        if progress:
            progress(source)
        cached = store.load_file(row) if row is not None else None
        if cached is not None:
            arts, skips = cached
            for a in arts:
                a.duplicates = []
                add(a, new=False)
            skipped += skips
            continue
        if row is not None or path is None:  # stored articles gone, or stdin (only this process reads it)
            items = _read([(source, path)], settings.ingest.max_bytes, rules)[0]
        else:
            items = next(results)
        ids, skips, sources = [], [], []
        for item in items:
            if isinstance(item, Skipped):
                skips.append(item)
                continue
            out = item[0]
            ids.append(out.id)
            sources.append(out.source)
            if add(out):
                fresh.append(cast(Article, _finish(item, settings.segment.chunk_tokens)))  # a Read: not a skip
        skipped += skips
        if path is not None:
            per_file.append((path, ids, skips, sources))

    found = list(articles.values())
    threshold = settings.ingest.near_duplicate_threshold
    memo_key = _stories_key(found, threshold) if store is not None else ""
    remembered = store.stories(memo_key) if store is not None else None
    if remembered is not None and len(remembered) == len(found):  # the same texts as last time
        for a, story in zip(found, remembered):
            a.story = story
    else:
        stories = group_stories(found, threshold,
                                [g if g is not None else _bigrams(a.text) for a, g in zip(found, grams)])
        del grams
        # and rewrites the bigram index misses at scale (its common-phrase cap): MinHash over
        # 3-shingles, each article signed once and its signature kept in the store
        stories = union_groups([a.id for a in found], stories, minhash_groups(found, store))
        size: dict[str, int] = defaultdict(int)
        for sid in stories.values():
            size[sid] += 1
        for a in found:
            a.story = stories[a.id] if size[stories[a.id]] > 1 else None
        if store is not None:
            store.remember_stories(memo_key, [a.story for a in found])
    if store is not None:
        store.put(fresh)
        for path, ids, skips, sources in per_file:
            store.remember_file(path, key, ids, skips, sources)
    result = IngestResult(articles=found, skipped=walk_skips + skipped, fresh=len(fresh))
    warn_undetermined(result.undetermined)
    return result


def warn_undetermined(sources: list[str], limit: int = 5) -> None:
    """One warning with the count and the first sources: an undetermined language is never silent."""
    if sources:
        shown = ", ".join(sources[:limit]) + (f" and {len(sources) - limit} more" if len(sources) > limit else "")
        logging.getLogger("briefings.ingest").warning(
            "%d article(s) of undetermined language (kept; country names of every language apply): %s",
            len(sources), shown)


def _clean_meta(v: str | None) -> str | None:
    """Metadata as shown in documents and terminals: NFC, whitespace runs to one space, no control,
    bidi or zero-width characters."""
    if v is None:
        return None
    v = " ".join(drop_unsafe(unicodedata.normalize("NFC", str(v))).split())
    return v or None


def _http_url(url: str | None) -> str | None:
    """An http(s) URL with its scheme in lower case ("HTTPS://x" is one), else None."""
    url = (url or "").strip()
    m = re.match(r"(https?)://", url, re.I)
    return m.group(1).lower() + url[len(m.group(1)):] if m else None
