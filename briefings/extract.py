"""Map step: one model call per chunk extracts claims for ALL countries present in it.

Never one call per (country, chunk): that would multiply cost by the number of countries.
Chunks with no tagged target country are not sent at all.
"""

from __future__ import annotations

from collections.abc import Callable

from .config import Settings
from .errors import LLMError
from .models import Article, Claim
from .schemas import ExtractAnswer


def chunk_units(articles: list[Article], targets: set[str]) -> list[tuple[Article, list, list[str]]]:
    """(article, sentences of the chunk, target countries in it) for every chunk worth sending."""
    units = []
    for a in articles:
        by_id = {s.id: s for s in a.sentences}
        for ch in a.chunks:
            sents = [by_id[i] for i in ch.sentence_ids]
            present = sorted({c for s in sents for c in s.countries} & targets)
            if present:
                units.append((a, sents, present))
    return units


def extract_claims(units: list[tuple[Article, list, list[str]]], llm, settings: Settings,
                   progress: Callable[[int], None] | None = None) -> tuple[list[Claim], list[dict]]:
    """Claims from every unit of ``chunk_units``, and the list of chunks that failed for good."""
    from .countries import country_name
    from .llm import make_prompt

    prompts, contexts, names = [], [], []
    for a, sents, present in units:
        prompts.append(make_prompt(
            "extract", settings,
            article={"id": a.id, "title": a.title, "outlet": a.outlet, "published": a.published, "language": a.language},
            sentences=[{"id": s.id, "text": s.text, "countries": s.countries} for s in sents],
            countries=[{"code": c, "name": country_name(c)} for c in present],
        ))
        contexts.append({"sentence_ids": {s.id for s in sents}, "countries": set(present)})
        names.append(f"extract {a.id}:{sents[0].id.split(':')[1]}-{sents[-1].id.split(':')[1]}")
    answers = llm.ask_many(prompts, ExtractAnswer, contexts, names, progress=progress)
    claims: list[Claim] = []
    failed: list[dict] = []
    language = settings.output.language
    for (a, sents, _), answer, unit in zip(units, answers, names):
        if isinstance(answer, LLMError):
            failed.append({"unit": unit, "error": str(answer)})
            continue
        verbatim = {s.text: s for s in sents}
        for n, c in enumerate(answer.claims, start=1):
            # a claim that is a source sentence word for word keeps that sentence's language
            lang = a.language if c.text in verbatim else language
            claims.append(Claim(id=f"{a.id}:{sents[0].id.split(':')[1]}:k{n}", countries=c.countries, text=c.text,
                                language=lang, citations=list(dict.fromkeys(c.citations)), kind=c.kind, date=c.date))
    return claims, failed
