"""Large digest PDFs, rendered in parallel and stitched together.

WeasyPrint lays out a few pages per second on one core and a 40-country digest is ~80 pages, so the
chapters are split into one batch per core, each laid out in its own worker process (``python -m
briefings.render_pdf``: a plain subprocess, so nothing depends on how the caller's main module is
written, unlike multiprocessing's spawn, and no threads or Pango state are forked). The parent
then renders the cover with the now known page numbers, concatenates everything with pypdf, stamps
"Page i of N" on every page (the batches cannot know their global numbers) and re-creates the cover's
table-of-contents links. Returns None when pypdf is missing or there is one core: the caller falls
back to a single WeasyPrint pass, which gives the same document.
"""

from __future__ import annotations

import io
import os
import pickle
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Callable

from . import render

# Batches and cover carry no page numbers (stamped afterwards); a batch's first page is a chapter
# start, so it gets the running header that @page :first would otherwise hide.
PART_CSS = """
@page { @bottom-right { content: none !important; } }
@page :first { @top-left { content: string(run-country) !important; }
               @top-center { content: "OPEN SOURCE · VERIFIED BRIEFING" !important; }
               @top-right { content: string(run-period) !important; } }
"""
COVER_CSS = "@page { @bottom-right { content: none !important; } }"
NUMBERS_HTML = """<!DOCTYPE html><html><head><style>
@page {{ size: A4; margin: 22mm 18mm 20mm 18mm; font-family: "Briefing Sans", "DejaVu Sans", sans-serif;
  @bottom-right {{ content: "Page " counter(page) " of " counter(pages); font-size: 8pt; color: #5b6470; }} }}
div {{ height: 1px; break-after: page; }} div:last-child {{ break-after: auto; }}
</style></head><body>{divs}</body></html>"""

PX_TO_PT = 0.75  # WeasyPrint works in CSS px (1/96 in), PDF in points (1/72 in)


def _render_part(html: str) -> tuple[bytes, dict[str, int], int]:
    """Worker: lay out one batch; return its PDF, the page index of each anchor, and its page count."""
    doc = render.pdf_document(html, PART_CSS)
    anchors: dict[str, int] = {}
    for i, page in enumerate(doc.pages):
        for name in page.anchors:
            anchors.setdefault(name, i)
    return render.pdf_bytes(doc), anchors, len(doc.pages)


def _run_worker(html: str) -> tuple[bytes, dict[str, int], int] | None:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        [str(Path(__file__).resolve().parent.parent)] + [p for p in [os.environ.get("PYTHONPATH")] if p]))
    proc = subprocess.run([sys.executable, "-m", "briefings.render_pdf"], input=html.encode("utf-8"),
                          capture_output=True, env=env, check=False)
    if proc.returncode != 0:
        return None  # the caller falls back to one in-process pass
    return pickle.loads(proc.stdout)  # our own child's output, never external data


def _batches(views: list[dict[str, Any]], n: int) -> list[list[dict[str, Any]]]:
    """Contiguous batches of about equal size (by number of statements and citations)."""
    weights = [1 + sum(len(s["sentences"]) for s in v["sections"]) + len(v["notes"]) for v in views]
    total, out, cur, acc = sum(weights), [], [], 0.0
    for v, w in zip(views, weights):
        cur.append(v)
        acc += w
        if acc >= total * (len(out) + 1) / n and len(out) < n - 1:
            out.append(cur)
            cur = []
    if cur:
        out.append(cur)
    return out


def parallel_digest_pdf(views: list[dict[str, Any]],
                        html: Callable[[list[dict[str, Any]], bool, dict[str, int] | None], str]) -> bytes | None:
    """The digest PDF from ``html(chapters, cover, toc_pages)``; None if parallel rendering is unavailable."""
    try:
        from pypdf import PdfReader, PdfWriter
        from pypdf.annotations import Link
    except ImportError:
        return None
    workers = min(os.cpu_count() or 1, 4)
    if workers < 2:
        return None
    batches = _batches(views, workers)
    with ThreadPoolExecutor(max_workers=len(batches)) as pool:  # threads only wait on the workers
        parts = list(pool.map(_run_worker, [html(b, False, None) for b in batches]))
    if any(p is None for p in parts):
        return None

    cover_pages, cover = 1 + len(views) // 30, None  # ~30 contents lines fit on the first page
    for _ in range(3):  # the cover's length does not depend on the numbers; this settles at once
        pages, offset = {}, cover_pages
        for _pdf, anchors, count in parts:
            pages.update({name: offset + i for name, i in anchors.items()})
            offset += count
        toc = {v["b"].country: pages[v["anchor"]] + 1 for v in views}
        cover = render.pdf_document(html([], True, toc), COVER_CSS)
        if len(cover.pages) == cover_pages:
            break
        cover_pages = len(cover.pages)
    assert cover is not None
    links = [(i, target, rect) for i, page in enumerate(cover.pages)
             for kind, target, rect, _box in page.links if kind == "internal"]
    for page in cover.pages:  # their targets live in other parts: re-created below with pypdf
        page.links[:] = [link for link in page.links if link[0] != "internal"]
    metadata = cover.metadata
    total = offset

    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(render.pdf_bytes(cover))))
    for pdf, _anchors, _count in parts:
        writer.append(PdfReader(io.BytesIO(pdf)))
    numbers = render.pdf_document(NUMBERS_HTML.format(divs="<div></div>" * total))
    for page, stamp in zip(writer.pages, PdfReader(io.BytesIO(render.pdf_bytes(numbers))).pages):
        page.merge_page(stamp)
        page.compress_content_streams()  # merge_page leaves the combined stream uncompressed
    height = float(writer.pages[0].mediabox.height)
    boxes: dict[tuple[int, str], list[float]] = {}  # one link per TOC entry: union of its inline boxes
    for i, target, (x0, y0, x1, y1) in links:
        box = boxes.setdefault((i, target), [x0, y0, x1, y1])
        box[:] = [min(box[0], x0), min(box[1], y0), max(box[2], x1), max(box[3], y1)]
    for (i, target), (x0, y0, x1, y1) in boxes.items():
        if target in pages:  # WeasyPrint rects are (x0, y0, x1, y1) in CSS px from the top left
            rect = (x0 * PX_TO_PT, height - y1 * PX_TO_PT, x1 * PX_TO_PT, height - y0 * PX_TO_PT)
            writer.add_annotation(i, Link(rect=rect, target_page_index=pages[target]))
    writer.add_metadata({k: v for k, v in {
        "/Title": metadata.title, "/Author": ", ".join(metadata.authors or []),
        "/Subject": metadata.description, "/Creator": metadata.generator, "/Producer": "briefings",
        "/CreationDate": _pdf_date(metadata.created),
    }.items() if v})
    writer.compress_identical_objects()  # shared font subsets
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _pdf_date(w3c: str | None) -> str | None:
    """W3C date (2024-05-13[T…]) to PDF date (D:20240513)."""
    if not w3c:
        return None
    digits = "".join(c for c in w3c[:19] if c.isdigit())
    return f"D:{digits}" if digits else None


if __name__ == "__main__":  # worker: HTML on stdin, pickled (pdf, anchors, page count) on stdout
    sys.stdout.buffer.write(pickle.dumps(_render_part(sys.stdin.buffer.read().decode("utf-8"))))
