"""Map step: one model call per chunk extracts claims for ALL countries present in it.

Never one call per (country, chunk): that would multiply cost by the number of countries.
Chunks with no tagged target country are not sent at all.

Sentence ids in the prompt are local to the article (``s12``, not ``<article-id>:s12``): the article
id repeated on every sentence cost ~7 tokens each, a quarter of the markup (bench/run_cost.py).
Answers may cite either form; citations are stored as full ids.
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


def local_id(sentence_id: str) -> str:
    """``<article-id>:s12`` -> ``s12``: unique inside one article, which is all a prompt holds."""
    return sentence_id.rsplit(":", 1)[-1]


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
            sentences=[{"id": local_id(s.id), "text": s.text, "countries": s.countries} for s in sents],
            countries=[{"code": c, "name": country_name(c)} for c in present],
        ))
        ids = {s.id for s in sents}
        contexts.append({"sentence_ids": ids | {local_id(i) for i in ids}, "countries": set(present)})
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
            cites = [i if ":" in i else f"{a.id}:{i}" for i in c.citations]
            claims.append(Claim(id=f"{a.id}:{sents[0].id.split(':')[1]}:k{n}", countries=c.countries, text=c.text,
                                language=lang, citations=list(dict.fromkeys(cites)), kind=c.kind, date=c.date))
    return claims, failed
