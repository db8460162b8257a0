"""PDF assembly: every country's briefing is laid out once and reused in its own PDF and in the digest.

WeasyPrint lays out a few pages per second on one core, so a 40-country run would otherwise lay out
~80 pages twice (the country PDFs, then the same chapters again in the digest), one after the other.
Instead each briefing is laid out once, as a *part* without page numbers, in worker processes, one
batch of countries per core (``python -m briefings.render_pdf``: a plain subprocess, so nothing
depends on how the caller's main module is written, unlike multiprocessing's spawn, and no Pango state
is forked). Each worker writes its whole batch as one unnumbered PDF, for the digest (so each font
is subset once per batch: fontTools subsetting per document was half of the time), and with pypdf
cuts it back into every country's PDF, with "Page i of n" stamped on every page and its metadata.

The parent then lays out the digest's cover (last, when the chapters' first pages are known, with
linked contents), appends the batches and stamps "Page i of N" across the whole document.

Links inside a part (citation → footnote) are named destinations that carry the country code, so they
stay distinct when the parts are concatenated. Without pypdf's stitching there is no fallback: pypdf
is a hard dependency.
"""

from __future__ import annotations

import functools
import io
import os
import pickle
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from . import render

# Parts carry no page numbers (stamped on assembly, when the document's length is known).
PART_CSS = "@page { @bottom-right { content: none !important; } }"
NUMBERS_HTML = """<!DOCTYPE html><html><head><style>
@page {{ size: A4; margin: 22mm 18mm 20mm 18mm; font-family: "Briefing Sans", "DejaVu Sans", sans-serif;
  @bottom-right {{ content: "Page " counter(page) " of " counter(pages); font-size: 8pt; color: #5b6470; }} }}
div {{ height: 1px; break-after: page; }} div:last-child {{ break-after: auto; }}
</style></head><body>{divs}</body></html>"""

PX_TO_PT = 0.75  # WeasyPrint works in CSS px (1/96 in), PDF in points (1/72 in)
PARALLEL_MIN_DOCS = 4  # below this, laying out in-process beats starting a worker (~0.6 s of imports)
MAX_WORKERS = 4
GROUP = 25  # documents written as one PDF in a worker (fonts subset once per group)


@dataclass
class Laid:
    """Documents laid out for print: each one numbered on its own, and all of them unnumbered in
    order (as a few concatenated batches) for the digest to reuse."""

    pdfs: list[bytes] = field(default_factory=list)  # one finished PDF per document
    pages: list[int] = field(default_factory=list)  # page count per document
    batches: list[bytes] = field(default_factory=list)  # unnumbered, concatenated, in document order

    def extend(self, other: "Laid") -> None:
        self.pdfs += other.pdfs
        self.pages += other.pages
        self.batches += other.batches


def _metadata(doc: Any) -> dict[str, Any]:
    m = doc.metadata
    return {"title": m.title, "authors": list(m.authors or []), "description": m.description,
            "keywords": list(m.keywords or []), "generator": m.generator, "created": m.created}


def _lay_out(htmls: list[str], css: str) -> Laid:
    """One batch, in one process: lay out each document, write every ``GROUP`` of them as one PDF (so
    each font is subset once per group, not once per document: that was half the time; groups bound
    the laid-out pages held in memory), then cut it back into one numbered PDF per document."""
    from pypdf import PdfReader, PdfWriter

    laid = Laid()
    for g in range(0, len(htmls), GROUP):
        docs = [render.pdf_document(html, PART_CSS, css) for html in htmls[g:g + GROUP]]
        pages = [len(doc.pages) for doc in docs]
        batch = render.pdf_bytes(docs[0].copy([page for doc in docs for page in doc.pages]))
        reader = PdfReader(io.BytesIO(batch))  # parsed once, cut into every document
        start = 0
        for doc, n in zip(docs, pages):
            single = PdfWriter()
            single.append(reader, pages=(start, start + n))
            laid.pdfs.append(_finish(single, _metadata(doc)))
            start += n
        laid.pages += pages
        laid.batches.append(batch)
    return laid


def _worker(htmls: list[str], css: str) -> Laid | None:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        [str(Path(__file__).resolve().parent.parent)] + [p for p in [os.environ.get("PYTHONPATH")] if p]))
    proc = subprocess.run([sys.executable, "-m", "briefings.render_pdf"], input=pickle.dumps((htmls, css)),
                          capture_output=True, env=env, check=False)
    if proc.returncode != 0:
        return None  # the caller lays this batch out in-process instead
    pdfs, pages, batches, refused = pickle.loads(proc.stdout)  # our own child's output, never external data
    render.note_refused(refused)  # for the run's one warning
    return Laid(pdfs, pages, batches)


def _batches(htmls: list[str], n: int) -> list[list[str]]:
    """Contiguous batches of about equal size (HTML length is a fair proxy for layout work)."""
    total, acc = sum(map(len, htmls)), 0
    out: list[list[str]] = []
    cur: list[str] = []
    for h in htmls:
        cur.append(h)
        acc += len(h)
        if acc >= total * (len(out) + 1) / n and len(out) < n - 1:
            out.append(cur)
            cur = []
    if cur:
        out.append(cur)
    return out


def lay_out(htmls: list[str], css: str = "") -> Laid:
    """Lay out each HTML document (styled by ``css``); in worker processes, one per core, when it pays."""
    workers = min(os.cpu_count() or 1, MAX_WORKERS, len(htmls))
    if workers < 2 or len(htmls) < PARALLEL_MIN_DOCS:
        return _lay_out(htmls, css)
    batches = _batches(htmls, workers)
    with ThreadPoolExecutor(max_workers=len(batches)) as pool:  # threads only wait on the workers
        results = list(pool.map(_worker, batches, [css] * len(batches)))
    laid = Laid()
    for batch, result in zip(batches, results):
        laid.extend(result if result is not None else _lay_out(batch, css))
    return laid


@functools.lru_cache(maxsize=16)
def _numbers(total: int) -> bytes:
    """A blank A4 document of ``total`` pages with only "Page i of total" on each, to stamp with."""
    return render.pdf_bytes(render.pdf_document(NUMBERS_HTML.format(divs="<div></div>" * total)))


def _finish(writer: Any, metadata: dict[str, Any]) -> bytes:
    """Stamp page numbers on every page, set the document info, write."""
    from pypdf import PdfReader

    stamps = PdfReader(io.BytesIO(_numbers(len(writer.pages)))).pages
    for page, stamp in zip(writer.pages, stamps):
        page.merge_page(stamp)
        page.compress_content_streams()  # merge_page leaves the combined stream uncompressed
    writer.add_metadata({k: v for k, v in {
        "/Title": metadata.get("title"), "/Author": ", ".join(metadata.get("authors") or []),
        "/Subject": metadata.get("description"), "/Keywords": ", ".join(metadata.get("keywords") or []),
        "/Creator": metadata.get("generator"), "/Producer": "briefings",
        "/CreationDate": _pdf_date(metadata.get("created")),
    }.items() if v})
    writer.compress_identical_objects()  # font subsets shared by the parts
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def digest_pdf(laid: Laid, anchors: list[str], cover_html: Callable[[list[int]], str], css: str = "") -> bytes:
    """The digest: a cover from ``cover_html(first_pages)`` (1-based, one per document), then the
    documents of ``laid``. ``anchors[i]`` is the fragment the cover's contents use for document ``i``.
    """
    from pypdf import PdfReader, PdfWriter
    from pypdf.annotations import Link

    cover_pages, cover = 1 + len(laid.pages) // 30, None  # ~30 contents lines fit on the first page
    for _ in range(3):  # the cover's length does not depend on the numbers; this settles at once
        starts, offset = [], cover_pages
        for n in laid.pages:
            starts.append(offset)
            offset += n
        cover = render.pdf_document(cover_html([s + 1 for s in starts]), PART_CSS, css)
        if len(cover.pages) == cover_pages:
            break
        cover_pages = len(cover.pages)
    assert cover is not None
    # The contents entries link to "#cc-XX"; those anchors live in the parts, so WeasyPrint cannot
    # resolve them: collect their boxes and re-create them as page links with pypdf.
    targets = dict(zip(anchors, starts))
    links = [(i, target, rect) for i, page in enumerate(cover.pages)
             for kind, target, rect, _box in page.links if kind == "internal"]
    for page in cover.pages:
        page.links[:] = [link for link in page.links if link[0] != "internal"]
    metadata = _metadata(cover)

    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(render.pdf_bytes(cover))), import_outline=False)
    for batch in laid.batches:
        writer.append(PdfReader(io.BytesIO(batch)))
    height = float(writer.pages[0].mediabox.height)
    boxes: dict[tuple[int, str], list[float]] = {}  # one link per contents entry: union of its inline boxes
    for i, target, (x0, y0, x1, y1) in links:
        box = boxes.setdefault((i, target), [x0, y0, x1, y1])
        box[:] = [min(box[0], x0), min(box[1], y0), max(box[2], x1), max(box[3], y1)]
    for (i, target), (x0, y0, x1, y1) in boxes.items():
        if target in targets:  # WeasyPrint rects are (x0, y0, x1, y1) in CSS px from the top left
            rect = (x0 * PX_TO_PT, height - y1 * PX_TO_PT, x1 * PX_TO_PT, height - y0 * PX_TO_PT)
            writer.add_annotation(i, Link(rect=rect, target_page_index=targets[target]))
    return _finish(writer, metadata)


def _pdf_date(w3c: str | None) -> str | None:
    """W3C date (2024-05-13[T…]) to PDF date (D:20240513)."""
    if not w3c:
        return None
    digits = "".join(c for c in w3c[:19] if c.isdigit())
    return f"D:{digits}" if digits else None


if __name__ == "__main__":  # worker: pickled (HTML list, css) on stdin, pickled Laid fields on stdout
    # a plain tuple: a class pickled from here would be named __main__.Laid, unknown to the parent;
    # last, the URLs the fetch guard refused (the parent warns once for the run)
    laid = _lay_out(*pickle.loads(sys.stdin.buffer.read()))
    sys.stdout.buffer.write(pickle.dumps((laid.pdfs, laid.pages, laid.batches, render.refused_urls())))
