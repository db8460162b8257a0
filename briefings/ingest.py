"""Sources → Articles: read, decode, extract, clean, detect language, de-duplicate.

Bad input never stops the run: every file that cannot be used becomes one ``Skipped`` line.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
import tomllib
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain
from pathlib import Path

from .config import PACKAGE_DATA, Settings
from .models import Article, Skipped

# ---------------------------------------------------------------- language


LANGUAGES = (
    "ENGLISH GERMAN FRENCH SPANISH ITALIAN PORTUGUESE DUTCH POLISH RUSSIAN TURKISH ARABIC UKRAINIAN "
    "SERBIAN CROATIAN BOSNIAN ALBANIAN GREEK ROMANIAN BULGARIAN CZECH HUNGARIAN SWEDISH DANISH "
    "FINNISH CHINESE JAPANESE KOREAN PERSIAN HEBREW AZERBAIJANI"
).split()
_DETECT_CHARS = 400  # measured: enough for news text, 0.4 ms per article in a parallel batch


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
        from re import _parser

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


_WS = re.compile(r"[^\S\n]+")
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
        line = _WS.sub(" ", line).strip()
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


class SkipFile(Exception):
    """Raised by a reader: the file (or entry) is skipped with this reason."""


def decode(data: bytes) -> str:
    if not data.strip():
        raise SkipFile("empty file")
    if b"\x00" in data[:8192]:
        raise SkipFile("binary file (NUL bytes)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
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
    import trafilatura

    html = decode(data)
    doc = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False, favor_precision=True)
    text = getattr(doc, "text", None) if doc is not None else None
    if not text or not text.strip():
        raise SkipFile("no article text found in HTML")
    yield Raw(source=source, text=text, title=doc.title, outlet=doc.sitename, url=doc.url,
              published=doc.date, language=getattr(doc, "language", None))


def _html_to_text(fragment: str) -> str:
    if "<" not in fragment:
        return fragment
    import lxml.html

    try:
        root = lxml.html.fromstring(fragment)
    except Exception:  # noqa: BLE001 - malformed fragment: fall back to tag stripping
        return re.sub(r"<[^>]+>", " ", fragment)
    for br in root.iter("br", "p", "div", "li", "h1", "h2", "h3"):
        br.tail = "\n" + (br.tail or "")
    return root.text_content()


def read_feed(source: str, data: bytes) -> Iterator[Raw]:
    import feedparser

    feed = feedparser.parse(data)
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
        yield Raw(source=f"{source}#{i}", text=_html_to_text(body), title=e.get("title"), outlet=outlet,
                  url=e.get("link"), published=published)


def read_jsonl(source: str, data: bytes) -> Iterator[Raw | Skipped]:
    for n, line in enumerate(decode(data).splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{source}#{n}"
        try:
            row = json.loads(line)
        except json.JSONDecodeError as e:
            yield Skipped(source=where, reason=f"invalid JSON: {e.msg}")
            continue
        if not isinstance(row, dict) or not isinstance(row.get("text"), str):
            yield Skipped(source=where, reason="no 'text' field")
            continue
        yield Raw(source=where, text=row["text"], title=row.get("title"), outlet=row.get("outlet"),
                  url=row.get("url"), published=_str(row.get("published")), language=row.get("language"))


def _str(v) -> str | None:
    return None if v is None else str(v)


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


def _files(paths: Iterable[str]) -> Iterator[tuple[str, Path | None]]:
    for p in paths:
        if p == "-":
            yield "<stdin>", None
            continue
        path = Path(p)
        if path.is_dir():
            for f in sorted(path.rglob("*")):
                if f.is_file() and not any(part.startswith(".") for part in f.relative_to(path).parts):
                    yield str(f), f
        else:
            yield str(path), path


def read_file(source: str, path: Path | None, max_bytes: int) -> list[Raw | Skipped]:
    """Everything one source yields: articles to clean, or the reason it is skipped."""
    try:
        if path is None:
            data = sys.stdin.buffer.read(max_bytes + 1)
            reader = sniff(data)
        else:
            if not path.exists():
                raise SkipFile("no such file or directory")
            reader = READERS.get(path.suffix.lower())
            if reader is None:
                raise SkipFile(f"unknown extension '{path.suffix or '(none)'}' "
                               f"(known: {' '.join(sorted(READERS))})")
            if path.stat().st_size > max_bytes:
                raise SkipFile(f"too large: {path.stat().st_size:,} bytes > limit {max_bytes:,}")
            data = path.read_bytes()
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

_WORD = re.compile(r"\w+")
_STOP = frozenset(
    "the a an and or of to in on at for with by from as is was are were be been that this it its his her "
    "their they he she we said says will would has have had not but which who der die das und oder von zu "
    "im in am an auf mit für aus als ist war sind waren sein dass es sie er wir hat haben nicht aber den dem "
    "des ein eine einer eines einem einen sich auch".split()
)


def _bigrams(text: str) -> set[int]:
    """Content-word bigrams, kept as hashes: sets of word tuples took 600 MB for 10,000 articles.
    (A 64-bit collision among a few million bigrams is improbable and would add one shared bigram.)"""
    words = [w for w in _WORD.findall(text.casefold()) if w not in _STOP and len(w) > 2]
    return set(map(hash, zip(words, words[1:])))


def group_stories(articles: list[Article], threshold: float) -> dict[str, str]:
    """Article id → story id (the id of the group's first article) for near-duplicate groups.

    Similarity is containment of content-word bigrams (shared / smaller set). Measured on the seeds: a
    rewrite of the same story 0.22, different stories on the same topic ≤ 0.08. Candidates come from an
    inverted index of bigrams, skipping common ones (in more than ``_STORY_CAP`` articles): they say
    little about one pair, and counting their pairs made the cost quadratic (a cap growing with the
    corpus, n/20, took minutes and GBs at 10,000 articles).
    """
    grams = [_bigrams(a.text) for a in articles]
    index: dict[int, list[int]] = defaultdict(list)
    for i, g in enumerate(grams):
        for b in g:
            index[b].append(i)
    useful = {b: p for b, p in index.items() if 1 < len(p) <= _STORY_CAP}
    parent = list(range(len(articles)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, g in enumerate(grams):
        if len(g) < 5:
            continue
        # shared-bigram counts with every other article, counted in C (Counter over the postings)
        shared = Counter(chain.from_iterable(useful[b] for b in g & useful.keys()))
        for j, n in shared.items():
            if j > i and len(grams[j]) >= 5 and n >= threshold * min(len(g), len(grams[j])):
                a, b = find(i), find(j)
                if a != b:
                    parent[max(a, b)] = min(a, b)  # the root is always the group's first article
    return {a.id: articles[find(i)].id for i, a in enumerate(articles)}


_STORY_CAP = 50


# ---------------------------------------------------------------- entry point


@dataclass
class IngestResult:
    articles: list[Article]
    skipped: list[Skipped]
    fresh: int = 0  # articles read and segmented in this call (the rest came from the store)

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
        url=item.url if item.url and re.match(r"https?://", item.url) else None,
        published=_clean_meta(item.published), language=(item.language or "").lower()[:2] or "und", text=text,
    )


def _settings_key(settings: Settings) -> str:
    """What a cached file depends on besides its bytes: cleaning rules, segmentation settings."""
    rules = (PACKAGE_DATA / "boilerplate.toml").read_text(encoding="utf-8")
    if settings.ingest.boilerplate_file:
        rules += Path(settings.ingest.boilerplate_file).read_text(encoding="utf-8")
    key = json.dumps([rules, settings.segment.model_dump(mode="json"), settings.ingest.max_bytes, INGEST_VERSION])
    return hashlib.sha256(key.encode()).hexdigest()[:16]


INGEST_VERSION = 1  # bump when cleaning or segmentation changes, so stored files are read again


def ingest(paths: Iterable[str], settings: Settings | None = None, store=None,
           progress: Callable[[str], None] | None = None) -> IngestResult:
    """Read every source into cleaned, language-tagged, segmented, de-duplicated Articles.

    With a ``store``, files unchanged since the last ingest are not read again.
    """
    from .segment import segment_many

    settings = settings or Settings()
    rules = load_rules(settings.ingest.boilerplate_file)
    key = _settings_key(settings) if store else ""
    articles: dict[str, Article] = {}
    skipped: list[Skipped] = []
    fresh: list[Article] = []
    per_file: list[tuple[Path, list[str], list[Skipped], list[str]]] = []

    def add(a: Article) -> bool:
        if a.id in articles:  # exact duplicate: one article, every source remembered
            if a.source != articles[a.id].source and a.source not in articles[a.id].duplicates:
                articles[a.id].duplicates.append(a.source)
            return False
        articles[a.id] = a
        return True

    for source, path in _files(paths):
        if progress:
            progress(source)
        cached = store.cached_file(path, key) if store is not None and path is not None else None
        if cached is not None:
            arts, skips = cached
            for a in arts:
                a.duplicates = []
                add(a)
            skipped += skips
            continue
        ids, skips, sources = [], [], []
        for item in read_file(source, path, settings.ingest.max_bytes):
            out = item if isinstance(item, Skipped) else _to_article(item, rules)
            if isinstance(out, Skipped):
                skips.append(out)
                continue
            ids.append(out.id)
            sources.append(out.source)
            if add(out):
                fresh.append(out)
        skipped += skips
        if path is not None:
            per_file.append((path, ids, skips, sources))

    # stories before segmentation: the bigram index is freed before the sentences exist (peak memory)
    found = list(articles.values())
    stories = group_stories(found, settings.ingest.near_duplicate_threshold)
    size: dict[str, int] = defaultdict(int)
    for sid in stories.values():
        size[sid] += 1
    for a in found:
        a.story = stories[a.id] if size[stories[a.id]] > 1 else None

    todo = [a for a in fresh if a.language == "und"]
    for a, lang in zip(todo, detect_languages([a.text for a in todo])):
        a.language = lang
    segment_many(fresh, settings.segment.chunk_tokens)
    if store is not None:
        store.put(fresh)
        for path, ids, skips, sources in per_file:
            store.remember_file(path, key, ids, skips, sources)
    return IngestResult(articles=found, skipped=skipped, fresh=len(fresh))


def _clean_meta(v: str | None) -> str | None:
    if v is None:
        return None
    v = " ".join(unicodedata.normalize("NFC", str(v)).split())
    return v or None
