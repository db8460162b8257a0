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


def test_parallel_digest_matches_single_pass(monkeypatch, digest_pdf):
    """Large digests are laid out in worker processes and stitched: same pages, numbers, TOC, links."""
    import briefings.render as render

    monkeypatch.setattr(render, "PARALLEL_MIN_COUNTRIES", 2)
    pdf = render_digest(many_briefings(3), "2024-W19", {"generated_at": GEN}, "pdf")
    reader = PdfReader(io.BytesIO(pdf))
    n = len(reader.pages)
    assert n == len(digest_pdf.pages)
    for i, page in enumerate(reader.pages, 1):
        assert page.extract_text().count(f"Page {i} of {n}") == 1, i  # stamped once, not twice
    toc = {cc: int(p) for cc, p in re.findall(r"^([A-Z]{2}) .*? grounding \d+%[ .]*?(\d+)$",
                                               reader.pages[0].extract_text(), re.M)}
    assert set(toc) == {"AA", "AB", "AC"}
    for cc, page in toc.items():
        assert f"{cc} Country {cc}" in reader.pages[page - 1].extract_text()
    dests = sorted(reader.get_page_number(a.get_object()["/Dest"][0]) + 1 for a in reader.pages[0]["/Annots"])
    assert dests == sorted(toc.values())
    assert reader.metadata.title == "Briefing digest — 2024-W19"
    assert all(f.startswith("Briefing-Sans") for f in embedded_fonts(reader))
