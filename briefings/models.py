"""Small typed objects passed between the stages.

Every stage is a plain function from some of these to others. Offsets (`start`, `end`) always index
into `Article.text`, the stored, cleaned text, so `article.text[s.start:s.end] == s.text` holds.
"""

from __future__ import annotations

from enum import Enum
from typing import Literal

from pydantic import BaseModel, Field


class Sentence(BaseModel):
    id: str  # "<article-id>:s<n>", n from 1
    article_id: str
    index: int
    start: int
    end: int
    text: str
    paragraph: int = 0  # 0-based paragraph number, used for salience (lead paragraph)
    countries: list[str] = Field(default_factory=list)  # ISO codes, filled by countries.tag_article
    # the countries the sentence is *about* (countries.statement_countries): its countries less those named
    # only in passing; None when not decided (then every mentioned country)
    about: list[str] | None = None

    @property
    def subject_countries(self) -> list[str]:
        """Where a statement from this sentence goes: the countries it is about."""
        return self.countries if self.about is None else self.about


class Chunk(BaseModel):
    id: str  # "<article-id>:c<n>"
    article_id: str
    sentence_ids: list[str]
    tokens: int


class Article(BaseModel):
    id: str  # stable: hash of the normalized text
    source: str  # path (or "<stdin>", or "path#line" for JSONL, "path#entry" for feeds)
    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    published: str | None = None  # ISO 8601 date or datetime, when known
    language: str = "und"  # ISO 639-1
    text: str
    sentences: list[Sentence] = Field(default_factory=list)
    chunks: list[Chunk] = Field(default_factory=list)
    tokens: int = 0
    story: str | None = None  # id of the near-duplicate group (the first article's id)
    duplicates: list[str] = Field(default_factory=list)  # sources merged as exact duplicates
    # runs of HTML text dropped before extraction (ingest, visible.drop_hidden), never evidence: hidden
    # from a reader (display:none, sr-only, white on white ...), or of visibility we cannot judge
    hidden: int = 0
    unsure: int = 0


class Skipped(BaseModel):
    source: str
    reason: str


class Mention(BaseModel):
    """A country reference found in a text; offsets index the text given to the tagger."""

    code: str
    start: int
    end: int
    surface: str
    # "place": a subdivision or large city (``data/countries/places.tsv``), read only in a text that names no
    # country itself
    kind: Literal["name", "adjective", "capital", "person", "place"]


class Failure(BaseModel):
    """A unit (an extraction pack, a country's composition, a judge batch) that failed for good.
    Written in one place, the LLM client, when it gives up; everything else reads these."""

    task: str  # extract | compose | verify
    unit: str
    error: str
    attempts: int = 1  # model calls made for this unit (the first ask plus re-asks)


class Usage(BaseModel):
    calls: int = 0
    cache_hits: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost: float = 0.0
    failures: int = 0
    dropped: int = 0  # answer items cut for citing invented ids (the rest of the answer kept)

    def add(self, other: "Usage") -> "Usage":
        for name in type(self).model_fields:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        return self


ClaimKind = Literal["event", "statement", "figure", "context"]


class Claim(BaseModel):
    """One fact about one or more countries, citing the source sentences that state it."""

    id: str
    countries: list[str]
    text: str
    language: str
    citations: list[str]  # sentence ids
    kind: ClaimKind = "event"
    date: str | None = None
    outlets: list[str] = Field(default_factory=list)
    corroboration: int = 1  # independent outlets / stories
    score: float = 0.0  # salience used for ordering


class Verdict(str, Enum):
    supported = "supported"
    partial = "partial"
    unsupported = "unsupported"
    unverified = "unverified"


ChangeKind = Literal["new", "continued", "unchanged"]


class BriefingSentence(BaseModel):
    text: str
    language: str
    citations: list[str]
    verdict: Verdict = Verdict.unverified
    reasons: list[str] = Field(default_factory=list)
    score: float | None = None  # verifier confidence, 0..1
    # against the previous period's briefing (briefings/changes.py); None: no previous briefing compared
    change: ChangeKind | None = None
    new_citations: list[str] = Field(default_factory=list)  # continued: cited ids from articles it did not cite
    previous: str | None = None  # continued/unchanged: the matching statement of the previous period
    # every cited article was published before the run's window: background, in Context only, shown
    # with this date (the newest of its sources)
    background: str | None = None
    # shown translated (compose.translator): the language of the statement it stands for; its citations
    # are that statement's, so the footnotes show the original sentences
    translated_from: str | None = None


# other_languages: statements only available in a language other than the briefing's (and not translated:
# no translator, or its translation failed the checks); never in the three lead sections
SectionKey = Literal["bottom_line", "key_developments", "context", "watch", "other_languages"]


class Section(BaseModel):
    key: SectionKey
    title: str
    sentences: list[BriefingSentence] = Field(default_factory=list)


class CitedSpan(BaseModel):
    """What a citation points at: an exact span of an article's stored text."""

    sentence_id: str
    article_id: str
    start: int
    end: int
    text: str
    language: str
    # the article's sentences around it, shown to the reader as context (never used as evidence)
    before: str | None = None
    after: str | None = None


class SourceRef(BaseModel):
    article_id: str
    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    published: str | None = None
    source: str
    story: str | None = None
    cited: int = 0  # how many briefing sentences cite it


class DroppedStatement(BaseModel):
    """A statement of the previous period's briefing that nothing in this one matches."""

    text: str
    language: str
    section: SectionKey
    citations: list[str] = Field(default_factory=list)  # ids of the previous period's sources
    verdict: Verdict = Verdict.unverified  # as verified for the previous period


class Changes(BaseModel):
    """What changed since the previous period's briefing of the same country (docs/changes.md)."""

    since: str  # the previous period
    new: int = 0
    continued: int = 0  # matched, with new evidence
    unchanged: int = 0  # matched, citing no article the previous briefing did not cite
    dropped: list[DroppedStatement] = Field(default_factory=list)


class Window(BaseModel):
    """The dates the briefing covers, [start, end), and what fell outside them (pipeline.filter_window)."""

    label: str = ""  # the period, or the --since value
    start: str | None = None
    end: str | None = None  # exclusive
    before: int = 0  # articles from before the window: Context only
    excluded: int = 0  # articles left out: later than the window, or older than the background reaches
    undated: int = 0


class Briefing(BaseModel):
    country: str  # ISO 3166-1 alpha-2, XK for Kosovo
    country_name: str
    title: str
    language: str  # output language
    period: str
    sections: list[Section]
    removed: list[BriefingSentence] = Field(default_factory=list)
    grounding: float = 0.0  # share of shown sentences that are supported (partial counts half)
    citations: dict[str, CitedSpan] = Field(default_factory=dict)
    sources: list[SourceRef] = Field(default_factory=list)
    usage: Usage = Field(default_factory=Usage)
    backend: str = "extractive"
    model: str | None = None
    changes: Changes | None = None  # None: no previous period to compare with
    window: Window | None = None  # None: no article carries a date
