"""Rendering: Markdown, HTML, JSON, terminal view, output layout and template overrides (PDF: test_render_pdf)."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from rich.console import Console

from briefings.config import Settings
from briefings.errors import ConfigError, UsageError
from briefings.models import Briefing
from briefings.render import (
    md_escape,
    prepare,
    print_briefing,
    render_briefing,
    render_digest,
    safe_url,
    template_env,
    text_fragment_url,
    write_outputs,
)
from briefing_fixture import GERMAN_SPAN, TURKISH_SPAN, hostile_briefing, many_briefings, sample_briefing

RUN = {"backend": "extractive", "model": None, "grounding": 0.7, "generated_at": "2024-05-13T08:00:00Z",
       "usage": {"calls": 3, "prompt_tokens": 10, "completion_tokens": 5, "cost": 0.0}}


class Tags(HTMLParser):
    """Collects every start tag with its attributes, and the text outside <style>."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_style = tag == "style"

    def handle_endtag(self, tag):
        self._in_style = False if tag == "style" else self._in_style

    def handle_data(self, data):
        if not self._in_style:
            self.text.append(data)


def parse(html: str) -> Tags:
    p = Tags()
    p.feed(html)
    return p


# ------------------------------------------------------------------ helpers

def test_md_escape_neutralises_markup_and_html():
    s = md_escape("a <script>x</script> *b* [l](javascript:1) | c\n# h")
    assert "<" not in s.replace("\\<", "")
    assert "\\[l\\]\\(javascript:1\\)" in s and "\\|" in s and "\n" not in s


def test_safe_url_only_http():
    assert safe_url("javascript:alert(1)") is None
    assert safe_url("data:text/html,x") is None
    assert safe_url("/relative") is None
    assert safe_url('https://x.org/a b"<c>') == "https://x.org/a%20b%22%3Cc%3E"


def test_text_fragment_encodes_reserved_characters():
    url = text_fragment_url("https://x.org/p", "Baykar-Drohnen, kurz & gut")
    assert url == "https://x.org/p#:~:text=Baykar%2DDrohnen%2C%20kurz%20%26%20gut"
    long = text_fragment_url("https://x.org/p#top", " ".join(f"w{i}" for i in range(20)))
    assert long == "https://x.org/p#top:~:text=w0%20w1%20w2%20w3%20w4,w15%20w16%20w17%20w18%20w19"
    assert text_fragment_url(None, "x") is None


def test_prepare_numbers_footnotes_in_order_and_flags_missing():
    v = prepare(sample_briefing())
    assert [n["n"] for n in v["notes"]] == [1, 2, 3, 4, 5, 6]
    assert v["notes"][2]["text"] == GERMAN_SPAN and v["notes"][2]["lang"] == "de"
    missing = [n for n in v["notes"] if n["missing"]]
    assert [n["sentence_id"] for n in missing] == ["zzz:s9"] and missing[0]["text"] == ""
    assert [s["key"] for s in v["sections"]] == ["bottom_line", "key_developments", "watch"]  # empty omitted
    assert v["counts"] == {"supported": 3, "partial": 2, "unverified": 1, "unsupported": 1}
    # corroboration: A1 and A2 share a story from two outlets
    assert [s["outlets_in_story"] for s in v["sources"]] == [2, 2, 1]


# ------------------------------------------------------------------ Markdown

def test_markdown_footnotes_quote_spans_with_outlet_date_and_fragment_link():
    md = render_briefing(sample_briefing(), "md")
    foot = dict(re.findall(r"^\[\^(\d+)\]: (.*)$", md, re.M))
    assert set(foot) == {"1", "2", "3", "4", "5", "6"}
    # the statement quotes the German span word for word: its note gives outlet, date and link, not a
    # second copy of the sentence (issue #15)
    assert foot["3"].startswith("Quoted word for word (de) — RT DE, 2022-12-20")
    assert md_escape(GERMAN_SPAN)[:40] not in foot["3"]
    assert "#:~:text=%E2%80%9EDas%20Problem" in foot["3"]
    assert f"“{TURKISH_SPAN}” (tr) — Anadolu, 2022-12-22" in foot["4"] and "](" not in foot["4"]  # no URL
    assert "Cited sentence not found" in foot["6"]
    # every footnote referenced in the text is defined, and vice versa
    assert set(re.findall(r"\[\^(\d+)\](?!:)", md)) == set(foot)


def test_markdown_structure_markers_sources_removed():
    md = render_briefing(sample_briefing(), "md")
    assert md.startswith("# AL · Albania — 2024\\-W19") or md.startswith("# AL · Albania — 2024-W19")
    assert "**Grounding 70%**" in md
    heads = re.findall(r"^## (.*)$", md, re.M)
    assert heads == ["Bottom line", "Key developments", "What to watch", "Sources", "Removed statements"]
    assert "- ✓ Albania signed a contract" in md and "[^1][^2]" in md
    assert "- ≈ Kosovo says" in md and "- ? Officials" in md
    assert "- × **NOT SUPPORTED:** Albania will deploy" in md
    assert "_(de)_" in md  # German sentence marked with its language
    assert "| 1 | RT DE |" in md and "| 4 | 2 |" in md  # cited 4 times, 2 outlets on the story
    removed = md.split("## Removed statements")[1]
    assert "The drones cost 300 million euros." in removed and "figure not in any cited sentence" in removed


def test_reasons_shown_only_for_sentences_not_fully_supported():
    b = sample_briefing()
    b.sections[0].sentences[0].reasons = ["verbatim"]
    md = render_briefing(b, "md")
    assert "verbatim" not in md and "source says talks were held" in md
    assert "verbatim" in render_briefing(b, "json")


def test_markdown_escapes_hostile_text():
    md = render_briefing(hostile_briefing(), "md")
    assert not re.search(r"(?<!\\)<(?!https?://)", md), "unescaped '<' outside link destinations"
    assert "\\<script\\>" in md


# ------------------------------------------------------------------ HTML

def test_html_escapes_all_article_text():
    html = render_briefing(hostile_briefing(), "html")
    tags = parse(html)
    names = [t for t, _ in tags.tags]
    assert "script" not in names and "img" not in names
    assert not any(k.startswith("on") for _, a in tags.tags for k in a)
    text = "".join(tags.text)
    assert '<script>alert("x")</script>' in text  # shown to the reader as text
    assert "onerror=alert(1)>" in text


def test_html_is_self_contained():
    b = sample_briefing()
    html = render_briefing(b, "html")
    tags = parse(html)
    allowed = {s.url for s in b.sources if s.url}
    for tag, attrs in tags.tags:
        assert "src" not in attrs, tag
        if tag == "link":
            pytest.fail("external stylesheet")
        href = attrs.get("href")
        if href and not href.startswith("#"):
            assert href.split("#")[0] in allowed, href
    assert "url(" not in html and "@import" not in html and "<script" not in html


def test_html_citation_tooltips_and_language():
    html = render_briefing(sample_briefing(), "html")
    tags = parse(html)
    cites = [a for t, a in tags.tags if t == "a" and "cite" in (a.get("class") or "")]
    assert [c["href"] for c in cites][:3] == ["#fn-1", "#fn-2", "#fn-3"]
    assert ":hover .tip" in html and ":focus .tip" in html  # CSS-only, no JS
    assert re.search(r'<span class="tip" role="tooltip"><q lang="de">„Das Problem', html)
    assert '<li class="v-supported" lang="de">' in html
    ids = {a.get("id") for _, a in tags.tags}
    assert {f"fn-{i}" for i in range(1, 7)} <= ids
    for title in ("Bottom line", "Key developments", "What to watch", "Citations", "Sources", "Removed statements"):
        assert f"<h2>{title}</h2>" in html
    assert "<h2>Context</h2>" not in html
    assert 'class="badge medium"' in html and "Grounding 70%" in html


def test_json_is_full_model_and_round_trips():
    b = sample_briefing()
    out = render_briefing(b, "json")
    assert Briefing.model_validate_json(out) == b
    data = json.loads(out)
    assert data["sections"][0]["sentences"][0]["verdict"] == "supported"
    assert data["citations"][next(iter(data["citations"]))]["start"] == 240


def test_unknown_format():
    with pytest.raises(UsageError):
        render_briefing(sample_briefing(), "docx")
    with pytest.raises(UsageError):
        render_digest([sample_briefing()], "2024-W19", RUN, "json")


# ------------------------------------------------------------------ digest

def test_digest_md_and_html_have_every_country_with_unique_footnotes():
    bs = many_briefings(3)
    md = render_digest(bs, "2024-W19", RUN, "md")
    assert md.count("## AA · ") == 1 and "## AC · " in md
    labels = re.findall(r"^\[\^([A-Z]{2}-\d+)\]:", md, re.M)
    assert len(labels) == len(set(labels)) == 18
    html = render_digest(bs, "2024-W19", RUN, "html")
    tags = parse(html)
    ids = [a["id"] for _, a in tags.tags if "id" in a]
    assert len(ids) == len(set(ids)), "duplicate HTML ids across countries"
    assert {"cc-AA", "cc-AB", "cc-AC"} <= set(ids)
    assert 'href="#cc-AB"' in html and "2024-05-13T08:00:00Z" in html


# ------------------------------------------------------------------ layout

def test_write_outputs_layout_index_and_determinism(tmp_path: Path):
    bs = [sample_briefing("AL", "Albania"), sample_briefing("XK", "Kosovo")]
    paths = write_outputs(bs, "2024-W19", RUN, tmp_path / "a", ["md", "html", "json"])
    base = tmp_path / "a" / "2024-W19"
    names = sorted(p.name for p in paths)
    assert names == sorted(["AL.md", "AL.html", "AL.json", "XK.md", "XK.html", "XK.json",
                            "digest.md", "digest.html", "index.json"])
    assert all(p.parent == base for p in paths)
    assert not [p for p in base.iterdir() if p.name.startswith(".")]  # no temp files left
    index = json.loads((base / "index.json").read_text())
    assert [c["country"] for c in index["countries"]] == ["AL", "XK"]
    assert index["countries"][0]["grounding"] == 0.7 and "AL.md" in index["countries"][0]["files"]
    assert index["digest"] == ["digest.md", "digest.html"] and index["generated_at"] == RUN["generated_at"]
    write_outputs(bs, "2024-W19", RUN, tmp_path / "b", ["md", "html", "json"])
    for p in paths:
        assert p.read_bytes() == (tmp_path / "b" / "2024-W19" / p.name).read_bytes(), p.name


@pytest.mark.parametrize("period", ["../x", "2024/W19", "", "a.b", "x" * 65])
def test_write_outputs_rejects_bad_period(tmp_path, period):
    with pytest.raises(UsageError):
        write_outputs([sample_briefing()], period, RUN, tmp_path, ["md"])


@pytest.mark.parametrize("cc", ["al", "../", "ALB", "A/"])
def test_write_outputs_rejects_bad_country(tmp_path, cc):
    b = sample_briefing()
    b.country = cc
    with pytest.raises(UsageError):
        write_outputs([b], "2024-W19", RUN, tmp_path, ["md"])
    assert not any(tmp_path.rglob("*.md"))


# ------------------------------------------------------------------ templates

def test_envs_autoescape_only_html():
    assert template_env("html").autoescape is True
    assert template_env("md").autoescape is False
    with pytest.raises(ValueError):
        template_env("pdf")


def test_user_template_overrides_by_name(tmp_path: Path):
    (tmp_path / "briefing.md.j2").write_text("CUSTOM {{ v.b.country }} {{ v.b.title|md }}\n")
    (tmp_path / "briefing.html.j2").write_text("<p>{{ v.b.title }}</p>")
    s = Settings()
    s.output.templates_dir = tmp_path
    assert render_briefing(sample_briefing(), "md", s) == "CUSTOM AL Albania: drone deal with Türkiye\n"
    assert render_briefing(hostile_briefing(), "html", s).count("&lt;script&gt;") == 1  # still escaped
    # templates not overridden still come from the defaults
    assert render_digest([sample_briefing()], "2024-W19", RUN, "md", s).startswith("# Country briefings")


def test_missing_templates_dir_is_config_error(tmp_path):
    s = Settings()
    s.output.templates_dir = tmp_path / "nope"
    with pytest.raises(ConfigError):
        render_briefing(sample_briefing(), "md", s)


# ------------------------------------------------------------------ terminal

def test_print_briefing_terminal_view():
    b = sample_briefing()
    b.sections[0].sentences[0].text = "Albania [bold]signed[/] a deal."  # markup must print literally
    console = Console(record=True, width=200, color_system=None)
    print_briefing(b, console)
    out = console.export_text()
    assert "Albania [bold]signed[/] a deal. [1] [2]" in out
    assert "BOTTOM LINE" in out and "CONTEXT" not in out and "REMOVED STATEMENTS" in out
    assert "grounding 70%" in out and "NOT SUPPORTED:" in out
    assert f"[3] “{GERMAN_SPAN}”" in out
    assert "[6] zzz:s9: cited sentence not found" in out


def test_atomic_write_respects_the_umask(tmp_path: Path):
    """Documents are shared with readers: not the 0600 of a temp file, but what the umask allows."""
    import os

    from briefings.fsutil import atomic_write

    old = os.umask(0o022)
    try:
        path = atomic_write(tmp_path / "a" / "x.md", "text")
        assert path.stat().st_mode & 0o777 == 0o644 and path.read_text() == "text"
        os.umask(0o077)
        assert atomic_write(tmp_path / "y.md", "t").stat().st_mode & 0o777 == 0o600
    finally:
        os.umask(old)
    assert not list(tmp_path.rglob("*.tmp"))


def test_untitled_sources_are_named_by_file_not_path_and_footnotes_give_the_id():
    """Issue #18: footnotes of untitled sources said only "(de) — Unknown outlet"; a source's absolute
    path was printed into the document."""
    b = sample_briefing()
    for s in b.sources:
        s.title, s.outlet, s.url = None, None, None
        s.source = f"/home/analyst/private/inbox/{s.article_id}.txt"
    md = render_briefing(b, "md")
    html = render_briefing(b, "html")
    for doc in (md, html):
        assert "/home/analyst" not in doc
        assert f"{b.sources[0].article_id}.txt" in doc
    cited = next(iter(b.citations))
    footnotes = [line for line in md.splitlines() if line.startswith("[^")]
    assert footnotes and any(f"`{cited}`" in line for line in footnotes)
