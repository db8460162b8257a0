"""PDF rendering read back with pypdf: headings, citations, diacritics, metadata, header, TOC, glyphs."""

from __future__ import annotations

import io
import re

import pytest
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from briefings.render import font_files, render_briefing, render_digest
from briefing_fixture import DIACRITICS, GERMAN_SPAN, TURKISH_SPAN, many_briefings, sample_briefing

GEN = "2024-05-13T08:00:00Z"


@pytest.fixture(scope="module")
def briefing_pdf() -> PdfReader:
    return PdfReader(io.BytesIO(render_briefing(sample_briefing(), "pdf", generated_at=GEN)))


@pytest.fixture(scope="module")
def digest_pdf() -> PdfReader:
    return PdfReader(io.BytesIO(render_digest(many_briefings(3), "2024-W19", {"generated_at": GEN}, "pdf")))


def text_of(reader: PdfReader) -> str:
    return "\n".join(p.extract_text() for p in reader.pages)


def flat(s: str) -> str:
    return " ".join(s.split())


def embedded_fonts(reader: PdfReader) -> set[str]:
    names = set()
    for page in reader.pages:
        fonts = page["/Resources"].get_object().get("/Font", {})
        for ref in fonts.values():
            names.add(str(ref.get_object()["/BaseFont"]).split("+", 1)[-1])
    return names


def test_pdf_has_headings_citations_and_diacritics(briefing_pdf):
    text = text_of(briefing_pdf)
    for heading in ("BOTTOM LINE", "KEY DEVELOPMENTS", "WHAT TO WATCH", "CITATIONS", "SOURCES", "REMOVED STATEMENTS"):
        assert heading in text
    assert "CONTEXT" not in text  # empty section omitted
    assert "[1] [2]" in text and "[6]" in text
    body = flat(text)
    assert flat(GERMAN_SPAN) in body and flat(TURKISH_SPAN) in body
    for ch in DIACRITICS:
        assert ch in text, ch
    assert '<script>alert("t")</script>' in text  # hostile title shown as text, not lost or interpreted


def test_pdf_page_setup_metadata_and_running_header(briefing_pdf):
    assert len(briefing_pdf.pages) >= 2
    box = briefing_pdf.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 in points
    meta = briefing_pdf.metadata
    assert meta.title == "Albania — 2024-W19: Albania: drone deal with Türkiye"
    assert meta["/CreationDate"].startswith("D:20240513")
    second = briefing_pdf.pages[1].extract_text()
    n = len(briefing_pdf.pages)
    assert "ALBANIA" in second and "2024-W19" in second and f"Page 2 of {n}" in second


def test_pdf_uses_only_the_shipped_font(briefing_pdf, digest_pdf):
    # A glyph missing from the shipped font would make Pango fall back to another (embedded) font.
    for reader in (briefing_pdf, digest_pdf):
        fonts = embedded_fonts(reader)
        assert fonts and all(f.startswith("Briefing-Sans") for f in fonts), fonts


def test_shipped_font_has_every_glyph_the_documents_use(briefing_pdf):
    files = font_files()
    assert files, "font-source-sans-pro is not installed"
    needed = set(text_of(briefing_pdf)) | set(DIACRITICS) | set("✓≈?×·—–…")
    needed = {c for c in needed if not c.isspace()}
    for path in files:
        if path.stem in ("SourceSansPro-Regular", "SourceSansPro-Semibold", "SourceSansPro-Bold", "SourceSansPro-It"):
            cmap = TTFont(path).getBestCmap()
            assert not [c for c in needed if ord(c) not in cmap], path.name


def test_digest_toc_page_numbers_match_chapters(digest_pdf):
    first = digest_pdf.pages[0].extract_text()
    assert "CONTENTS" in first
    toc = {cc: int(p) for cc, p in re.findall(r"^([A-Z]{2}) .*? grounding \d+%[ .]*?(\d+)$", first, re.M)}
    assert set(toc) == {"AA", "AB", "AC"}
    for cc, page in toc.items():
        assert f"{cc} Country {cc}" in digest_pdf.pages[page - 1].extract_text(), cc
    # running header names the current country
    assert "COUNTRY AB" in digest_pdf.pages[toc["AB"]].extract_text()
    outline = [o["/Title"] for o in digest_pdf.outline if not isinstance(o, list)]
    assert "AB Country AB – Çğış" in outline


def test_pdf_is_deterministic():
    a = render_briefing(sample_briefing(), "pdf", generated_at=GEN)
    assert a == render_briefing(sample_briefing(), "pdf", generated_at=GEN)


def _page_numbers_once(reader: PdfReader) -> None:
    n = len(reader.pages)
    for i, page in enumerate(reader.pages, 1):
        assert page.extract_text().count(f"Page {i} of {n}") == 1, i  # stamped once, not twice


def test_digest_page_numbers_cover_links_and_metadata(digest_pdf):
    _page_numbers_once(digest_pdf)
    toc = {cc: int(p) for cc, p in re.findall(r"^([A-Z]{2}) .*? grounding \d+%[ .]*?(\d+)$",
                                               digest_pdf.pages[0].extract_text(), re.M)}
    dests = sorted(digest_pdf.get_page_number(a.get_object()["/Dest"][0]) + 1 for a in digest_pdf.pages[0]["/Annots"])
    assert dests == sorted(toc.values())
    assert digest_pdf.metadata.title == "Briefing digest — 2024-W19"
    assert digest_pdf.metadata["/CreationDate"].startswith("D:20240513")


def test_digest_citations_link_to_their_own_chapter(digest_pdf):
    """Each country's footnote anchors carry its code, so stitched chapters never cross-link."""
    toc = {cc: int(p) for cc, p in re.findall(r"^([A-Z]{2}) .*? grounding \d+%[ .]*?(\d+)$",
                                               digest_pdf.pages[0].extract_text(), re.M)}
    starts = sorted(toc.values()) + [len(digest_pdf.pages) + 1]
    named = digest_pdf.named_destinations
    checked = 0
    for i, page in enumerate(digest_pdf.pages[1:], 2):
        cc = max((c for c, p in toc.items() if p <= i), key=lambda c: toc[c])
        end = starts[starts.index(toc[cc]) + 1]
        for annot in page.get("/Annots") or []:
            dest = annot.get_object().get("/Dest")
            if isinstance(dest, str):
                assert dest.startswith(f"{cc}-fn-"), (i, dest)
                target = digest_pdf.get_destination_page_number(named[dest]) + 1
                assert toc[cc] <= target < end, (dest, target)
                checked += 1
    assert checked >= 3 * 6  # every chapter has footnotes; a vacuous pass is impossible


def test_country_pdf_pages_are_its_digest_chapter(digest_pdf):
    """Each chapter is laid out once and reused: same pages in AB.pdf and in the digest."""
    ab = PdfReader(io.BytesIO(render_briefing(many_briefings(3)[1], "pdf", generated_at=GEN)))
    _page_numbers_once(ab)
    toc = {cc: int(p) for cc, p in re.findall(r"^([A-Z]{2}) .*? grounding \d+%[ .]*?(\d+)$",
                                               digest_pdf.pages[0].extract_text(), re.M)}
    strip = re.compile(r"Page \d+ of \d+")
    for k, page in enumerate(ab.pages):
        assert strip.sub("", page.extract_text()) == strip.sub("", digest_pdf.pages[toc["AB"] - 1 + k].extract_text())


def test_parts_laid_out_in_workers_equal_in_process(monkeypatch, digest_pdf):
    """Large runs lay the parts out in worker processes; the document is byte-identical."""
    from briefings import render_pdf

    monkeypatch.setattr(render_pdf, "PARALLEL_MIN_DOCS", 2)
    monkeypatch.setattr(render_pdf.os, "cpu_count", lambda: 2)
    laid = render_pdf.lay_out(["<p>x</p>"] * 3)
    assert laid.pages == [1, 1, 1] and len(laid.pdfs) == 3 and len(laid.batches) == 2
    pdf = render_digest(many_briefings(3), "2024-W19", {"generated_at": GEN}, "pdf")
    assert pdf == render_digest(many_briefings(3), "2024-W19", {"generated_at": GEN}, "pdf")
    reader = PdfReader(io.BytesIO(pdf))
    assert [p.extract_text() for p in reader.pages] == [p.extract_text() for p in digest_pdf.pages]


def test_failed_worker_falls_back_to_in_process(monkeypatch):
    from briefings import render_pdf

    monkeypatch.setattr(render_pdf, "PARALLEL_MIN_DOCS", 2)
    monkeypatch.setattr(render_pdf.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(render_pdf.sys, "executable", "/bin/false")
    assert render_pdf.lay_out(["<p>x</p>", "<p>y</p>"]).pages == [1, 1]


def test_country_pdfs_cut_from_one_batch_keep_only_their_own_links_and_bookmarks():
    """A batch is written as one PDF (fonts subset once) and cut per country: each cut keeps its own
    footnote destinations and bookmarks, every citation link resolves inside it, none to a neighbour."""
    from briefings.render import lay_out

    laid = lay_out(many_briefings(3))
    assert laid.pages == [len(PdfReader(io.BytesIO(p)).pages) for p in laid.pdfs]
    for cc, pdf in zip(("AA", "AB", "AC"), laid.pdfs):
        reader = PdfReader(io.BytesIO(pdf))
        named = reader.named_destinations
        assert named and all(d.startswith(f"{cc}-fn-") or d == f"cc-{cc}" for d in named), list(named)
        links = [a.get_object()["/Dest"] for page in reader.pages for a in page.get("/Annots") or []
                 if isinstance(a.get_object().get("/Dest"), str)]
        assert len(links) >= 6 and all(d in named for d in links)
        assert [o["/Title"] for o in reader.outline if not isinstance(o, list)] == [f"{cc} Country {cc} – Çğış"]
        assert reader.metadata.title.startswith(f"Country {cc}")
        _page_numbers_once(reader)


def test_large_batches_are_written_in_groups(monkeypatch):
    """A worker writes at most GROUP documents as one PDF; the digest concatenates the groups in order."""
    from briefings import render_pdf

    monkeypatch.setattr(render_pdf, "GROUP", 2)
    laid = render_pdf._lay_out([f"<p>doc {i}</p>" for i in range(5)], "")
    assert laid.pages == [1] * 5 and len(laid.pdfs) == 5 and len(laid.batches) == 3
    text = [p.extract_text() for b in laid.batches for p in PdfReader(io.BytesIO(b)).pages]
    assert [t.split()[:2] for t in text] == [["doc", str(i)] for i in range(5)]
    assert [PdfReader(io.BytesIO(p)).pages[0].extract_text().split()[:2] for p in laid.pdfs] == [["doc", str(i)] for i in range(5)]


# ------------------------------------------------------------------ fetch guard


def test_a_custom_stylesheet_cannot_make_the_pdf_fetch_anything(tmp_path):
    """output.templates_dir: a user's style.css whose url()s the PDF must not load (an @import, an
    @font-face src, a background image). It failed the build with an AttributeError inside WeasyPrint (a
    refusal), and @font-face src urls were fetched, past the guard. Now each is refused, one warning
    names them, and the PDFs are written without them; the server on 127.0.0.1 sees no request."""
    import os
    import subprocess
    import sys
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    seen: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server's hook name
            seen.append(self.path)
            self.send_response(404)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        base = f"http://127.0.0.1:{server.server_port}"
        templates = tmp_path / "templates"
        templates.mkdir()
        shipped = (root / "briefings" / "templates" / "style.css").read_text()
        (templates / "style.css").write_text(
            f'@import url("{base}/more.css");\n{shipped}\n'
            f'@font-face {{ font-family: "Remote"; src: url("{base}/font.woff2") format("woff2"), '
            f'url("{base}/font.ttf"); }}\n'
            f'h1, h2 {{ font-family: "Remote", sans-serif; }}\n'
            f'body {{ background: url("{base}/bg.png"); }}\n')
        cfg = tmp_path / "briefings.toml"
        cfg.write_text(f'[run]\ndata_dir = "{tmp_path / "data"}"\n'
                       f'[output]\ndir = "{tmp_path / "out"}"\nformats = ["md", "pdf"]\n'
                       f'templates_dir = "{templates}"\n')
        env = {k: v for k, v in os.environ.items() if not k.startswith(("BRIEFINGS_", "OPENAI_"))}
        r = subprocess.run([sys.executable, "-m", "briefings", "build", str(root / "seeds"), "--config", str(cfg),
                            "--period", "P"], capture_output=True, text=True, timeout=300,
                           env={**env, "PYTHONPATH": str(root)}, cwd=tmp_path)
    finally:
        server.shutdown()
        server.server_close()
    assert r.returncode == 0, r.stderr
    assert seen == [], f"the PDF renderer requested {seen}"
    warnings = [line for line in r.stderr.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1, r.stderr
    assert all(f"{base}/{name}" in warnings[0] for name in ("more.css", "font.woff2", "font.ttf", "bg.png"))
    pdfs = sorted((tmp_path / "out" / "P").glob("*.pdf"))
    assert len(pdfs) > 2 and all(PdfReader(p).pages for p in pdfs)
