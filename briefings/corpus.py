"""The run's corpus: articles, their sentence index, country tags and salience, built once after ingest.

Every later stage looks things up here instead of receiving four parallel dictionaries (by id, by
sentence, tags, salience) that each caller rebuilt.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Mapping

from .countries import ArticleCountries, tag_article
from .models import Article, CitedSpan, Sentence


@dataclass
class Corpus:
    articles: list[Article]
    tags: dict[str, ArticleCountries]  # per article id: countries mentioned, about, salience
    by_id: dict[str, Article] = field(init=False)
    sentences: dict[str, Sentence] = field(init=False)
    # articles published before the run's window: they may feed Context only (pipeline.filter_window)
    background: dict[str, str] = field(default_factory=dict)  # article id -> its published date (ISO)

    def __post_init__(self) -> None:
        self.by_id = {a.id: a for a in self.articles}
        self.sentences = {s.id: s for a in self.articles for s in a.sentences}

    @classmethod
    def tagged(cls, articles: list[Article], progress=None, outlets: Mapping[str, str] | None = None) -> Corpus:
        """Tag every sentence of ``articles`` with its countries (the countries stage); ``outlets``: the
        configured outlet → country map for articles that name no country (``countries.outlets``)."""
        tags = {}
        for a in articles:
            tags[a.id] = tag_article(a, outlets=outlets)
            if progress:
                progress(1)
        return cls(articles, tags)

    def countries_from(self) -> dict[str, int]:
        """Articles by what gave them their countries: text, places, outlet, none (run.json)."""
        out = {"text": 0, "places": 0, "outlet": 0, "none": 0}
        for t in self.tags.values():
            out[t.decided_by or "none"] += 1
        return out

    @cached_property
    def salience(self) -> dict[tuple[str, str], float]:
        """(article id, country) → how much the article is about the country (0..1)."""
        return {(aid, code): v for aid, t in self.tags.items() for code, v in t.salience.items()}

    def span(self, sentence_id: str, context: bool = False) -> CitedSpan:
        """What a citation of a sentence points at: its exact span and its article's language; with
        ``context``, the article's sentences before and after it too (for the reader)."""
        s = self.sentences[sentence_id]
        a = self.by_id[s.article_id]
        around: dict[str, str | None] = {}
        if context:
            ss = a.sentences
            # a sentence's index is its place in its article (segment.py); the scan is for hand-made ones
            i = s.index if 0 <= s.index < len(ss) and ss[s.index].id == s.id else next(
                (n for n, x in enumerate(ss) if x.id == s.id), None)
            around = {"before": ss[i - 1].text if i else None,
                      "after": ss[i + 1].text if i is not None and i + 1 < len(ss) else None}
        return CitedSpan(sentence_id=s.id, article_id=s.article_id, start=s.start, end=s.end, text=s.text,
                         language=a.language, **around)

    def story(self, sentence_id: str) -> str:
        """The story group of the sentence's article (its own id when it was grouped with none)."""
        aid = self.sentences[sentence_id].article_id
        a = self.by_id.get(aid)
        return (a.story or a.id) if a is not None else aid

    def background_date(self, sentence_ids: list[str]) -> str | None:
        """The newest published date of the cited articles when every one of them is background (from
        before the window), else None: such a statement is Context, shown with its date."""
        dates = [self.background.get(self.sentences[i].article_id) for i in sentence_ids if i in self.sentences]
        return max(d for d in dates if d) if dates and all(dates) else None

    def article_of(self, sentence_id: str) -> Article:
        return self.by_id[self.sentences[sentence_id].article_id]
