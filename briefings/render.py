"""Render briefings to Markdown, HTML, PDF (WeasyPrint) and JSON, and write the output layout.

All article-derived text is untrusted: HTML goes through jinja2 autoescape, Markdown through
``md_escape`` (backslash-escapes every character that could start markup or raw HTML), links only keep
http(s) URLs, and file names come only from validated country codes and periods.

Fonts: the PDF embeds Source Sans Pro from the ``font-source-sans-pro`` PyPI package (SIL OFL), so a
fresh machine renders German and Turkish (``„ “ ä ö ü ß Ç ş ğ ı İ``) without relying on system fonts;
DejaVu (via fontconfig) is only the fallback. The HTML names the same family but embeds nothing, so it
stays one small self-contained file.
"""

from __future__ import annotations

import atexit
import functools
import json
import os
import re
from datetime import date, timedelta
from pathlib import Path
from collections.abc import Callable, Sequence
from typing import Any
from urllib.parse import quote, urlsplit

import jinja2

from .config import PACKAGE, PERIOD_PATTERN, Settings, period_problem
from .errors import ConfigError, OutputError, UsageError
from .fsutil import atomic_write, output_lock, publish
from .text import visible
from .changes import short as changes_short, view as changes_view
from .models import Briefing, BriefingSentence, CitedSpan, SourceRef, Verdict

TEMPLATES_DIR = PACKAGE / "templates"  # the repo's top-level templates/ links here
FORMATS = ("md", "html", "pdf", "json")
DIGEST_FORMATS = ("md", "html", "pdf")

CC_RE = re.compile(r"^[A-Z]{2}$")
PERIOD_RE = re.compile(PERIOD_PATTERN)

VERDICTS = {  # verdict -> (marker, label); every marker is in the shipped font
    "supported": ("✓", "Supported"),
    "partial": ("≈", "Partly supported"),
    "unverified": ("?", "Unverified"),
    "unsupported": ("×", "Not supported"),
}
LANGUAGE_NAMES = {"de": "German", "en": "English", "tr": "Turkish", "fr": "French", "es": "Spanish",
                  "it": "Italian", "ru": "Russian", "sq": "Albanian", "sr": "Serbian", "uk": "Ukrainian"}


def _language_name(code: str) -> str:
    from .llm.prompts import language_name

    return LANGUAGE_NAMES.get(code) or language_name(code)


# ---------------------------------------------------------------- escaping and links

_MD_SPECIAL = re.compile(r"([\\`*_\[\]{}()<>#|~!&$])")


def md_escape(text: Any) -> str:
    """One line of literal Markdown text: whitespace collapsed, markup and raw HTML neutralised."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


def safe_url(url: str | None) -> str | None:
    """The URL, percent-encoded, if it is an absolute http(s) URL; else None (javascript:, data:, junk)."""
    if not url or any(ord(c) < 32 for c in url):
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    # Encode anything outside the URL grammar (spaces, quotes, <>), keep what is already encoded.
    return quote(url.strip(), safe=":/?#[]@!$&'()*+,;=%~-._")


def _frag(text: str) -> str:
    # Text-fragment syntax reserves "-", "," and "&"; quote() leaves "-" alone, so encode it by hand.
    return quote(text, safe="").replace("-", "%2D")


def text_fragment_url(url: str | None, quote_text: str) -> str | None:
    """``url#:~:text=…`` so a browser scrolls to and highlights the cited passage."""
    base = safe_url(url)
    if base is None:
        return None
    words = quote_text.split()
    if not words:
        return base
    if len(words) > 10:  # long span: textStart,textEnd keeps the link short and still exact
        directive = f"{_frag(' '.join(words[:5]))},{_frag(' '.join(words[-5:]))}"
    else:
        directive = _frag(" ".join(words))
    head, _, fragment = base.partition("#")
    return f"{head}#{fragment}:~:text={directive}"


def _day(value: str | None) -> str | None:
    return value[:10] if value else None


def period_date(period: str) -> str | None:
    """The Monday of an ISO-week period (used as the document date when no run time is given)."""
    from .window import week_of

    week = week_of(period)
    return week[0].isoformat() if week else None


def check_country(code: str) -> str:
    if not CC_RE.fullmatch(code or ""):
        raise UsageError(f"invalid country code for a file name: {code!r} (expected two capital letters)")
    return code


def check_period(period: str) -> str:
    problem = period_problem(period)
    if problem:
        raise UsageError(problem)
    return period


# ---------------------------------------------------------------- view model

def source_label(source: str | None) -> str:
    """How a document names where an article came from: a URL as is, a file by its name only (a local
    absolute path says nothing to a reader and tells them about the machine)."""
    if not source:
        return "unknown source"
    if source.startswith(("http://", "https://")):
        return source
    if source in ("-", "<stdin>"):
        return "standard input"
    name, _, item = source.partition("#")  # "feed.rss#3": the third item of a file
    return Path(name).name + (f" #{item}" if item else "")


def _sources_by_id(b: Briefing) -> dict[str, SourceRef]:
    return {s.article_id: s for s in b.sources}


def _story_outlets(b: Briefing) -> dict[str, set[str]]:
    """Independent outlets per story (near-duplicate group): the corroboration count shown per source."""
    out: dict[str, set[str]] = {}
    for s in b.sources:
        out.setdefault(s.story or s.article_id, set()).add((s.outlet or s.article_id).casefold())
    return out


def _words(text: str) -> tuple[str, ...]:
    """The words of a sentence, case-folded: what "said word for word" compares (not quotes or punctuation)."""
    return tuple(re.findall(r"\w+", text.casefold()))


def prepare(b: Briefing, prefix: str = "") -> dict[str, Any]:
    """Everything a template needs, computed once: numbered footnotes, markers, counts, sources.

    Footnotes are numbered in order of first citation (shown sentences first, then removed ones).
    A citation whose id has no CitedSpan becomes a footnote flagged ``missing``, never a fake quote.
    """
    by_id = _sources_by_id(b)
    notes: dict[str, dict[str, Any]] = {}

    def note(sid: str) -> dict[str, Any]:
        if sid not in notes:
            span: CitedSpan | None = b.citations.get(sid)
            src = by_id.get(span.article_id) if span else None
            url = src.url if src else None
            notes[sid] = {
                "n": len(notes) + 1,
                "id": f"{prefix}fn-{len(notes) + 1}",
                "label": f"{prefix}{len(notes) + 1}",  # Markdown footnote label
                "sentence_id": sid,
                "missing": span is None,
                "text": " ".join(span.text.split()) if span else "",
                "lang": span.language if span else "",
                "outlet": (src.outlet or source_label(src.source)) if src else None,
                "title": src.title if src else None,
                "date": _day(src.published) if src else None,
                "url": safe_url(url),
                "link": text_fragment_url(url, span.text) if span else None,
                "article_id": span.article_id if span else None,
                "before": " ".join(span.before.split()) if span and span.before else None,
                "after": " ".join(span.after.split()) if span and span.after else None,
                # a shown statement says this whole sentence word for word: the note gives context instead
                # (a statement cut from it is not: the note shows the sentence, issue #27)
                "same": False,
            }
        return notes[sid]

    def sentence(s: BriefingSentence) -> dict[str, Any]:
        verdict = s.verdict.value if hasattr(s.verdict, "value") else str(s.verdict)
        mark, label = VERDICTS.get(verdict, ("?", verdict))
        lang = s.language if s.language and s.language != "und" else b.language
        said = _words(s.text)
        for c in s.citations:
            n = note(c)
            if said and said == _words(n["text"]) and s.verdict == Verdict.supported:
                n["same"] = True
        return {
            "text": " ".join(s.text.split()),
            "lang": lang,
            "foreign": lang != b.language,
            "lang_name": LANGUAGE_NAMES.get(lang, lang.upper()),
            # shown translated (compose.translator): "translated from German"; the notes quote the original
            "translated": _language_name(s.translated_from) if s.translated_from else None,
            "verdict": verdict,
            "mark": mark,
            "label": label,
            # a supported sentence's reason ("verbatim") is noise for a reader; JSON keeps every reason
            "reasons": s.reasons if verdict != "supported" else [],
            "score": s.score,
            "cites": [note(c) for c in s.citations],
            # independent reports cited (articles grouped as one story count once): "2 sources"
            "reports": len({(by_id[sp.article_id].story or sp.article_id) if sp.article_id in by_id else sp.article_id
                            for sp in (b.citations.get(c) for c in s.citations) if sp is not None}),
            "also": None,  # in the digest: where this statement was already shown (cross_reference)
            # against the previous period (changes.py): a marker on new statements, the new evidence
            "change": s.change,
            "change_label": f"New since {b.changes.since}" if s.change == "new" and b.changes else None,
            "new_cites": [note(c) for c in s.new_citations],
            "short": changes_short(s.text),
            "background": _day(s.background) if s.background else None,  # Context from before the window
        }

    sections = [
        {"key": sec.key, "title": sec.title, "sentences": [sentence(s) for s in sec.sentences]}
        for sec in b.sections
        if sec.sentences
    ]
    removed = [sentence(s) for s in b.removed]
    shown: list[dict] = [s for sec in sections for s in sec["sentences"]]  # type: ignore[misc]
    counts = {v: sum(1 for s in shown if s["verdict"] == v) for v in VERDICTS}
    stories = _story_outlets(b)
    sources = [
        {
            "n": i,
            "title": s.title or source_label(s.source),  # never a local path in a published document
            "outlet": s.outlet,
            "date": _day(s.published),
            "url": safe_url(s.url),
            "cited": s.cited,
            "outlets_in_story": len(stories.get(s.story or s.article_id, ())),
            "article_id": s.article_id,
        }
        for i, s in enumerate(b.sources, 1)
    ]
    grounding = max(0.0, min(1.0, b.grounding))
    return {
        "changes": changes_view(b, shown),
        "b": b,
        "prefix": prefix,
        "anchor": f"cc-{b.country}",
        "sections": sections,
        "removed": removed,
        "notes": sorted(notes.values(), key=lambda n: n["n"]),
        "sources": sources,
        "counts": counts,
        # no source carries a date: the period is when they were read, not when things happened
        "undated": bool(sources) and not any(s["date"] for s in sources),
        # statements quoted in a language other than the briefing's (each marked with its language)
        "foreign": sum(1 for s in shown if s["foreign"]),
        "shown": len(shown),
        "grounding_pct": round(grounding * 100),
        "grounding_level": "high" if grounding >= 0.9 else "medium" if grounding >= 0.7 else "low",
        "verdicts": VERDICTS,
        "date": period_date(b.period),
        "window": _window_line(b),
    }


# ---------------------------------------------------------------- templates

def _user_dir(settings: Settings | None) -> str | None:
    d = settings.output.templates_dir if settings else None
    if d is None:
        return None
    path = Path(d).expanduser()
    if not path.is_dir():
        raise ConfigError(f"output.templates_dir is not a directory: {path}")
    return str(path)


@functools.lru_cache(maxsize=16)
def _env(kind: str, user_dir: str | None) -> jinja2.Environment:
    search = ([user_dir] if user_dir else []) + [str(TEMPLATES_DIR)]
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(search),
        autoescape=kind == "html",
        undefined=jinja2.StrictUndefined,  # a typo in a user template fails loudly, not as blank text
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["md"] = md_escape
    env.filters["pct"] = lambda x: f"{round(max(0.0, min(1.0, float(x))) * 100)}%"
    return env


def template_env(kind: str, settings: Settings | None = None) -> jinja2.Environment:
    """The jinja2 Environment for ``kind`` ("html": autoescaped, "md": not); user templates first."""
    if kind not in ("html", "md"):
        raise ValueError(f"unknown template kind {kind!r}")
    return _env(kind, _user_dir(settings))


def _render(kind: str, name: str, settings: Settings | None, **ctx: Any) -> str:
    return template_env(kind, settings).get_template(name).render(**ctx)


# ---------------------------------------------------------------- PDF

def _font_css() -> str:
    """@font-face rules for the shipped Source Sans Pro files (empty if the package is missing)."""
    try:
        import font_source_sans_pro as fsp
    except ImportError:  # fall back to fontconfig (DejaVu on this image)
        return ""
    files = fsp.font_files_ttf
    faces = [("SourceSansPro", 400, "normal"), ("SourceSansProIt", 400, "italic"),
             ("SourceSansProSemibold", 600, "normal"), ("SourceSansProBold", 700, "normal"),
             ("SourceSansProBoldIt", 700, "italic"), ("SourceSansProLight", 300, "normal")]
    return "\n".join(
        f'@font-face {{ font-family: "Briefing Sans"; src: url("{Path(files[n]).as_uri()}"); '
        f"font-weight: {w}; font-style: {st}; }}"
        for n, w, st in faces
        if n in files
    ) + '\nbody { font-family: "Briefing Sans", "DejaVu Sans", sans-serif; }'


def font_files() -> list[Path]:
    """The font files the PDF embeds (for glyph checks)."""
    try:
        import font_source_sans_pro as fsp
    except ImportError:
        return []
    return [Path(p) for p in fsp.font_files_ttf.values()]


# URLs the fetch guard refused in this process (worker processes report theirs): one warning a run
_refused: set[str] = set()


def _shipped_font(url: str) -> bool:
    return url in {Path(p).as_uri() for p in font_files()}


def _guarded_fetcher(refused: set[str]) -> Any:
    """A WeasyPrint URL fetcher that loads only the shipped font files, never anything a template or
    article text names (http, file, data: every other URL, in HTML, in CSS, in an @font-face src or an
    @import); each URL it refuses is added to ``refused``. WeasyPrint 68+ takes a ``URLFetcher``
    (a plain function there fails inside WeasyPrint on any refusal); earlier versions a function."""
    def refuse(url: str) -> None:
        refused.add(url)
        raise ValueError(f"refusing to fetch {url[:80]!r} while rendering a PDF")

    try:
        from weasyprint.urls import URLFetcher
    except ImportError:  # WeasyPrint < 68
        from weasyprint import default_url_fetcher

        def fetch(url: str, *args: Any, **kwargs: Any) -> Any:
            if not _shipped_font(url):
                refuse(url)
            return default_url_fetcher(url, *args, **kwargs)
        return fetch

    class Guarded(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> Any:
            if not _shipped_font(url):
                refuse(url)
            return super().fetch(url, headers)

    return Guarded()


def note_refused(urls: Sequence[str]) -> None:
    """URLs a worker process refused (render_pdf.py)."""
    _refused.update(urls)


def refused_urls() -> list[str]:
    """The URLs refused since the last call, and forget them."""
    urls = sorted(_refused)
    _refused.clear()
    return urls


def warn_refused() -> None:
    """One warning for every URL the PDFs could not load (a user template's url(), @import, @font-face)."""
    import logging

    urls = refused_urls()
    if urls:
        shown = ", ".join(u[:100] for u in urls[:8]) + (f" and {len(urls) - 8} more" if len(urls) > 8 else "")
        logging.getLogger(__name__).warning(
            "PDF: %d resource(s) named by the templates not loaded (only the shipped fonts are loaded while "
            "rendering): %s", len(urls), shown)


@functools.lru_cache(maxsize=8)
def _stylesheet(css: str) -> tuple[Any, Any, frozenset[str]]:
    """Font configuration, parsed stylesheet and the URLs it named that were refused, shared by every
    document a process lays out.

    Parsing style.css and registering the fonts cost ~0.1 s; a run lays out one document per country.
    """
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    refused: set[str] = set()  # its @import and @font-face urls go through the guard when parsed
    sheet = CSS(string=css + _font_css(), font_config=fonts, url_fetcher=_guarded_fetcher(refused))
    return fonts, sheet, frozenset(refused)


# Free the cached font configurations before interpreter shutdown: WeasyPrint's FontConfiguration.__del__
# calls into its FFI, which is already torn down by then ("Exception ignored ... NoneType" at exit).
atexit.register(_stylesheet.cache_clear)


def print_css(settings: Settings | None = None) -> str:
    """The stylesheet for print (style.css, a user's override first)."""
    return _render("html", "style.css", settings)


def pdf_document(html: str, extra_css: str = "", css: str = "") -> Any:
    """Lay out ``html`` with WeasyPrint (A4; page setup and running header come from ``css``)."""
    import logging

    from weasyprint import HTML

    logging.getLogger("weasyprint").setLevel(logging.ERROR)  # its warnings are not ours to print
    fonts, sheet, refused = _stylesheet(css + extra_css)
    _refused.update(refused)
    return HTML(string=html, url_fetcher=_guarded_fetcher(_refused), base_url=str(TEMPLATES_DIR)).render(
        stylesheets=[sheet], font_config=fonts)


def pdf_bytes(document: Any) -> bytes:
    # fontTools stamps subset fonts with the current time unless SOURCE_DATE_EPOCH is set; pin it so
    # identical input gives byte-identical PDFs.
    saved = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = saved or "0"
    try:
        return document.write_pdf()
    finally:
        if saved is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)


# ---------------------------------------------------------------- public API

def _briefing_html(b: Briefing, settings: Settings | None, generated_at: str | None, print_: bool) -> str:
    # In print, anchors carry the country code: the digest concatenates the parts, and a citation's
    # named destination must not jump into another country's footnotes.
    v = prepare(b, prefix=f"{b.country}-" if print_ else "")
    meta = {"generated_at": generated_at, "date": _day(generated_at) or v["date"], "print": print_}
    return _render("html", "briefing.html.j2", settings, v=v, meta=meta)


def lay_out(briefings: list[Briefing], settings: Settings | None = None, generated_at: str | None = None) -> Any:
    """Every briefing laid out once for print (in parallel): its own PDF, and pages for the digest."""
    import tempfile

    from .render_pdf import lay_out

    try:
        return lay_out([_briefing_html(b, settings, generated_at, True) for b in briefings], print_css(settings))
    except OSError as e:  # WeasyPrint copies the fonts into the temp dir: a full disk fails there first
        raise OutputError(f"cannot lay out the PDFs: {e.strerror or e} (WeasyPrint writes its fonts to "
                          f"{tempfile.gettempdir()})") from None


def render_briefing(b: Briefing, fmt: str, settings: Settings | None = None,
                    generated_at: str | None = None) -> str | bytes:
    """One country's briefing as ``md``, ``html``, ``pdf`` (bytes) or ``json``."""
    if fmt == "json":
        return b.model_dump_json(indent=2) + "\n"
    if fmt not in FORMATS:
        raise UsageError(f"unknown format {fmt!r}: choose from {', '.join(FORMATS)}")
    if fmt == "md":
        v = prepare(b)
        meta = {"generated_at": generated_at, "date": _day(generated_at) or v["date"], "print": False}
        return _render("md", "briefing.md.j2", settings, v=v, meta=meta)
    if fmt == "html":
        return _briefing_html(b, settings, generated_at, False)
    return lay_out([b], settings, generated_at).pdfs[0]


def _overall(briefings: list[Briefing], run: dict) -> float:
    if isinstance(run.get("grounding"), (int, float)):
        return float(run["grounding"])
    return sum(b.grounding for b in briefings) / len(briefings) if briefings else 0.0


def repeated(text: str, lang: str, shown: list[tuple[str, str]]) -> int | None:
    """Index in ``shown`` (the statements shown in full so far, as (text, language)) of the one ``text``
    repeats: the same text (folded), or the same fact in other words (same language, ``same_wording``)."""
    from .offline import same_wording
    from .text import fold

    key = " ".join(fold(text).split())
    for n, (t, lg) in enumerate(shown):
        if " ".join(fold(t).split()) == key or (lg == lang and same_wording(t, text)):
            return n
    return None


def cross_reference(views: list[dict[str, Any]]) -> None:
    """One fact once in the digest: a statement already shown under an earlier country (``repeated``) is
    shown as a pointer to it, with its opening words, instead of in full again. The country files keep
    every statement: each is read on its own."""
    shown: list[tuple[str, str]] = []
    where: list[dict[str, Any]] = []  # the country each shown statement is under
    for v in views:
        for sec in v["sections"]:
            for s in sec["sentences"]:
                n = repeated(s["text"], s["lang"], shown)
                if n is None:
                    shown.append((s["text"], s["lang"]))
                    where.append({"country": v["b"].country, "name": v["b"].country_name, "anchor": v["anchor"]})
                    continue
                words = s["text"].split()
                s["also"] = {**where[n], "opening": " ".join(words[:10]) + (" …" if len(words) > 10 else "")}


def render_digest(briefings: list[Briefing], period: str, run: dict, fmt: str,
                  settings: Settings | None = None, laid: Any = None) -> str | bytes:
    """All countries in one document (cover, contents, one chapter per country).

    The PDF's chapters are the countries' own PDF pages (``laid``, from ``lay_out`` in country order;
    laid out here when not given), so the digest and the country files never disagree.
    """
    if fmt not in DIGEST_FORMATS:
        raise UsageError(f"unknown digest format {fmt!r}: choose from {', '.join(DIGEST_FORMATS)}")
    ordered = sorted(briefings, key=lambda b: b.country)
    views = [prepare(b, prefix=f"{b.country}-") for b in ordered]
    if fmt != "pdf":  # the PDF's chapters are the country files' own pages
        cross_reference(views)
    gen = run.get("generated_at")
    usage = run.get("usage") or {}
    if hasattr(usage, "model_dump"):
        usage = usage.model_dump()
    meta = {
        "period": period,
        "generated_at": gen,
        "date": _day(gen) or period_date(period),
        "backend": run.get("backend"),
        "model": run.get("model"),
        "grounding": _overall(briefings, run),
        "usage": usage,
        "print": fmt == "pdf",
        "cover": True,
        "toc_pages": None,
    }
    if fmt == "md":
        return _render("md", "digest.md.j2", settings, views=views, toc=views, meta=meta, verdicts=VERDICTS)
    if fmt == "html":
        return _render("html", "digest.html.j2", settings, views=views, toc=views, meta=meta, verdicts=VERDICTS)
    from .render_pdf import digest_pdf

    if laid is None:
        laid = lay_out(ordered, settings, gen)
    if len(laid.pages) != len(ordered):
        raise ValueError("the digest needs every briefing laid out, in country order")

    def cover(first_pages: list[int]) -> str:
        m = dict(meta, toc_pages={b.country: p for b, p in zip(ordered, first_pages)})
        return _render("html", "digest.html.j2", settings, views=[], toc=views, meta=m, verdicts=VERDICTS)

    return digest_pdf(laid, [v["anchor"] for v in views], cover, print_css(settings))


def _window_line(b: Briefing) -> str | None:
    """What the masthead says of the dates covered: 'Window 2026-11-16 to 2026-11-22 · 3 earlier
    articles as context · 12 outside it'."""
    w = b.window
    if w is None or not (w.start or w.end):
        return None
    last = (date.fromisoformat(w.end) - timedelta(days=1)).isoformat() if w.end else "now"
    line = f"Window {w.start or '…'} to {last}"
    if w.before:
        line += f" · {w.before} earlier article{'s' * (w.before != 1)} as context only"
    if w.excluded:
        line += f" · {w.excluded} outside it"
    return line


def write_outputs(briefings: list[Briefing], period: str, run: dict, out_dir: Path, formats: Sequence[str],
                  settings: Settings | None = None,
                  finish: Callable[[Path], list[Path]] | None = None, compare_previous: bool = True) -> list[Path]:
    """Write ``out/<period>/<CC>.<fmt>``, ``digest.<fmt>`` and ``index.json``; return the paths written.

    The period is published as a set: everything is written into a staging directory (``finish``
    adds the last files there, e.g. run.json) that then replaces ``out/<period>`` as a whole, under
    the output lock. A period directory always holds exactly one run's files, never a mix.
    Output is byte-identical for identical input: no clock is read here, only ``run["generated_at"]``.
    """
    check_period(period)  # it names a directory: kept as a guard for library callers, settings validated it
    seen: set[str] = set()
    for b in briefings:
        check_country(b.country)
        if b.country in seen:
            raise UsageError(f"two briefings for country {b.country}")
        seen.add(b.country)
    final = Path(out_dir) / period
    with output_lock(out_dir), publish(final) as base:
        if compare_previous:  # marks what changed since the previous written period (changes.py)
            from .changes import annotate

            annotate(briefings, out_dir, period)
        written = _write_period(briefings, period, run, base, formats, settings)
        if finish:
            written += finish(base)
    return [final / p.name for p in written]


def _write_period(briefings: list[Briefing], period: str, run: dict, base: Path, formats: Sequence[str],
                  settings: Settings | None) -> list[Path]:
    gen = run.get("generated_at")
    written: list[Path] = []
    entries = []
    ordered = sorted(briefings, key=lambda b: b.country)
    laid = lay_out(ordered, settings, gen) if "pdf" in formats else None
    for i, b in enumerate(ordered):
        files = []
        for fmt in formats:
            if fmt == "pdf" and laid is not None:
                data = laid.pdfs[i]
            else:
                data = render_briefing(b, fmt, settings, generated_at=gen)
            path = atomic_write(base / f"{b.country}.{fmt}", data)
            written.append(path)
            files.append(path.name)
        entries.append({"country": b.country, "name": b.country_name, "title": b.title,
                        "grounding": round(b.grounding, 4), "sentences": sum(len(s.sentences) for s in b.sections),
                        "removed": len(b.removed), "files": files,
                        **({"changes": {"since": b.changes.since, "new": b.changes.new, "continued": b.changes.continued,
                                        "unchanged": b.changes.unchanged, "dropped": len(b.changes.dropped)}}
                           if b.changes else {})})
    digest_files = []
    if briefings:
        for fmt in formats:
            if fmt in DIGEST_FORMATS:
                path = atomic_write(base / f"digest.{fmt}",
                                    render_digest(briefings, period, run, fmt, settings, laid=laid))
                written.append(path)
                digest_files.append(path.name)
    if "pdf" in formats:
        warn_refused()
    index = {
        "period": period,
        "generated_at": gen,
        "grounding": round(_overall(briefings, run), 4),
        "countries": entries,
        "digest": digest_files,
        "files": sorted(p.name for p in written),
    }
    written.append(atomic_write(base / "index.json", json.dumps(index, indent=2, ensure_ascii=False) + "\n"))
    return written


def print_briefing(b: Briefing, console: Any) -> None:
    """Terminal view (rich): verdict markers, numbered citations, quoted spans, removed statements."""
    from rich.panel import Panel
    from rich.text import Text

    styles = {"supported": "green", "partial": "yellow", "unverified": "blue", "unsupported": "bold red"}
    v = prepare(b)
    # Text objects never parse markup, so article text like "[bold]" or "[/]" prints literally; they do
    # pass ESC and bidi controls through, which visible() shows as escapes.
    head = Text.assemble((f"{b.country} ", "bold"), (visible(b.country_name), "bold"), f"  ·  {b.period}  ·  ",
                         (f"grounding {v['grounding_pct']}%", {"high": "green", "medium": "yellow"}
                          .get(v["grounding_level"], "red")))
    console.print(Panel(Text.assemble((visible(b.title), "bold"), "\n", head), expand=False))

    def line(s: dict[str, Any]) -> Text:
        t = Text(f" {s['mark']} ", style=styles.get(s["verdict"], ""))
        if s["verdict"] == "unsupported":
            t.append("NOT SUPPORTED: ", style="bold red")
        t.append(visible(s["text"]))
        if s["foreign"]:
            t.append(f" ({s['lang']})", style="dim")
        if s["translated"]:
            t.append(f" (translated from {s['translated']})", style="dim")
        for c in s["cites"]:
            t.append(f" [{c['n']}]", style="red" if c["missing"] else "cyan")
        for r in s["reasons"]:
            t.append(f"\n     ↳ {visible(r)}", style="dim")
        return t

    for sec in v["sections"]:
        console.print(Text(visible(sec["title"]).upper(), style="bold underline"))
        for s in sec["sentences"]:
            console.print(line(s))
        console.print()
    if v["removed"]:
        console.print(Text("REMOVED STATEMENTS", style="bold underline"))
        for s in v["removed"]:
            console.print(line(s))
        console.print()
    console.print(Text("CITATIONS", style="bold underline"))
    for n in v["notes"]:
        t = Text(f"[{n['n']}] ", style="cyan")
        if n["missing"]:
            t.append(f"{visible(n['sentence_id'])}: cited sentence not found", style="red")
        else:
            t.append(f"“{visible(n['text'])}”", style="italic")
            meta = visible(" · ".join(x for x in (n["outlet"], n["date"], n["lang"], n["sentence_id"]) if x))
            t.append(f"  — {meta}", style="dim")
            if n["link"]:
                t.append(f"\n    {visible(n['link'])}", style="dim")
        console.print(t)
