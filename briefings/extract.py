"""Map step: one model call per *pack* extracts claims for ALL countries present in it.

Never one call per (country, chunk): that would multiply cost by the number of countries. Chunks
with no tagged target country are not sent at all. Small chunks of different articles share a call
(a pack, up to ``segment.pack_tokens``), so the fixed instructions are paid once per pack rather than
once per short article: on a 500-article corpus the instructions alone had cost 0.9 × the corpus.

Packs are cut where an article's id says so (content-defined: about one article in 16 starts a pack)
or where the budget is full; articles are taken in id order. So a rerun makes identical packs (0 calls
from the cache), and one new article changes only the pack it falls into, not every pack after it.

In the prompt, sentences are numbered 1..N across the pack, one line each (``12| text``, 3 tokens of
markup per sentence): the full ids and per-sentence country lists had cost 1.65 × the article text. Answers cite those numbers; they are mapped back to
full sentence ids here.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass

from .config import Settings
from .errors import LLMError
from .models import Article, Claim, Sentence
from .schemas import ExtractAnswer

log = logging.getLogger(__name__)

PACK_START_ONE_IN = 16  # content-defined cut: an article whose id hashes to 0 mod this starts a pack
INSTRUCTION_TOKENS = 800  # room for the system message and the closing line of an extraction prompt
PACK_SECONDS = 30  # prompt reading time a local model's pack is sized for (60 s packs made answers too long for 2 cores)
CLAIM_CHARS = 300  # a claim is one sentence: the schema's bound, so a grammar-constrained model stops
MAX_CLAIMS_PER_PACK = 24  # schema bound on a pack's claims: one per sentence, and 24 or half the sentences
ANSWER_SECONDS = 60  # a local model's answer is bounded to about this long at its constrained output rate
CLAIM_COUNTRIES = 6  # codes a claim may name
DATE_CHARS = 32  # an ISO date, or a short range
# the most tokens one claim can take: its text at a token a character (a degenerate "12:12:12:…" took
# 300 tokens for 400 characters and cut the answer), four citations, countries, kind, date and JSON
CLAIM_TOKENS = CLAIM_CHARS + 90


@dataclass
class Piece:
    """One chunk of one article worth sending: its sentences and the target countries in them."""

    article: Article
    sentences: list[Sentence]
    countries: list[str]
    tokens: int = 0  # the chunk's token count

    # (article, sentences, countries) unpacking, as the cost benchmark's baseline uses it
    def __iter__(self):
        return iter((self.article, self.sentences, self.countries))


def chunk_units(articles: list[Article], targets: set[str]) -> list[Piece]:
    """Every chunk that mentions a target country, with those countries."""
    units = []
    for a in articles:
        by_id = {s.id: s for s in a.sentences}
        for ch in a.chunks:
            sents = [by_id[i] for i in ch.sentence_ids]
            present = sorted({c for s in sents for c in s.subject_countries} & targets)
            if present:
                units.append(Piece(a, sents, present, ch.tokens))
    return units


def _starts_pack(article_id: str) -> bool:
    return int(hashlib.blake2b(article_id.encode(), digest_size=4).hexdigest(), 16) % PACK_START_ONE_IN == 0


def pack_units(pieces: list[Piece], budget: int) -> list[list[Piece]]:
    """Pieces grouped into packs of at most ``budget`` tokens (a bigger single piece goes alone)."""
    ordered = sorted(pieces, key=lambda p: (p.article.id, p.sentences[0].start))
    packs: list[list[Piece]] = []
    size = 0
    for i, piece in enumerate(ordered):
        new_article = i == 0 or piece.article.id != ordered[i - 1].article.id
        if not packs or size + piece.tokens > budget or (new_article and _starts_pack(piece.article.id)):
            packs.append([])
            size = 0
        packs[-1].append(piece)
        size += piece.tokens
    return packs


def pack_budget(settings: Settings, backend) -> int:
    """``llm.pack_tokens``, cut so that a pack, the instructions and the answer fit the backend's
    context when it states one (a local model's is often 4–8k tokens)."""
    budget = settings.llm.pack_tokens
    context = getattr(backend, "context_tokens", None)
    if context:
        budget = min(budget, context - settings.llm.max_tokens - INSTRUCTION_TOKENS)
    speed = getattr(backend, "prompt_tps", None)  # measured by a local backend at start
    if speed:  # a pack a slow CPU reads within about a minute: fewer tokens a call, more calls
        budget = min(budget, int(speed * PACK_SECONDS) - INSTRUCTION_TOKENS)
    return max(budget, 300)


def claims_cap(sentences: int, backend=None) -> int:
    """The schema's bound on a pack's claims: one per sentence, at most 24 or half the sentences, and
    for a backend that measured its output rate (a local model) what it writes in ``ANSWER_SECONDS``.
    Packs already fit a slow CPU's reading speed; this makes its answer fit too (on the seeds, a 135M
    model on 2 cores otherwise wrote 24 claims for a deadline of several minutes)."""
    cap = min(sentences, max(MAX_CLAIMS_PER_PACK, sentences // 2))
    speed = getattr(backend, "constrained_tps", None)  # a local model's, measured at start
    if speed:
        cap = min(cap, max(3, int(speed * ANSWER_SECONDS / CLAIM_TOKENS)))
    return max(cap, 1)


def answer_tokens(claims: int, settings: Settings) -> int:
    """``max_tokens`` for an answer of at most ``claims`` claims: room for all of them, no more (the
    grammar ends the answer there anyway; an endpoint without one is cut where the schema would be)."""
    return min(settings.llm.max_tokens, 64 + claims * CLAIM_TOKENS)


def _unit_name(pack: list[Piece]) -> str:
    first, last = pack[0], pack[-1]
    name = f"extract {first.article.id}:{first.sentences[0].id.rsplit(':', 1)[1]}"
    return name + (f" +{len(pack) - 1} chunk(s)" if len(pack) > 1 else f"-{last.sentences[-1].id.rsplit(':', 1)[1]}")


def extract_claims(packs: list[list[Piece]], llm, settings: Settings,
                   progress: Callable[[int], None] | None = None) -> list[Claim]:
    """Claims from every pack of ``pack_units``; a pack that failed for good is in ``llm.failures``."""
    from .countries import country_name
    from .llm import make_prompt
    from .offline import extract as offline_extract

    backend = getattr(llm, "backend", None)
    prompts, contexts, names, aliases = [], [], [], []
    for pack in packs:
        alias: dict[str, tuple[Sentence, Article]] = {}
        articles = []
        for n, piece in enumerate(pack, start=1):
            a = piece.article
            sents = []
            for s in piece.sentences:
                key = str(len(alias) + 1)
                alias[key] = (s, a)
                # whitespace collapsed: no line of the prompt can start inside a sentence
                sents.append({"id": key, "text": " ".join(s.text.split()), "countries": s.subject_countries})
            articles.append({"n": n, "title": a.title, "outlet": a.outlet, "published": a.published,
                             "language": a.language, "countries": piece.countries, "sentences": sents})
        present = sorted({c for piece in pack for c in piece.countries})
        cap = claims_cap(len(alias), backend)
        prompts.append(make_prompt("extract", settings, ExtractAnswer, offline=offline_extract, articles=articles,
                                   countries=[{"code": c, "name": country_name(c)} for c in present],
                                   choices={"citations": list(alias), "countries": present},
                                   # at most a claim per sentence, one sentence long, citing a few;
                                   # every array and string bounded (unbounded, SmolLM2 repeated a
                                   # country code or an id until max_tokens)
                                   limits={"claims": {"maxItems": cap}, "text": {"maxLength": CLAIM_CHARS},
                                           "citations": {"maxItems": 4},
                                           "countries": {"maxItems": max(1, min(len(present), CLAIM_COUNTRIES))},
                                           "date": {"maxLength": DATE_CHARS}},
                                   max_tokens=answer_tokens(cap, settings)))
        contexts.append({"sentence_ids": set(alias), "countries": set(present)})
        names.append(_unit_name(pack))
        aliases.append(alias)
    answers = llm.ask_many(prompts, ExtractAnswer, contexts, names, progress=progress)
    claims: list[Claim] = []
    language = settings.output.language
    for alias, answer, unit in zip(aliases, answers, names):
        if isinstance(answer, LLMError):
            continue  # recorded in llm.failures by the client, the one writer of failures
        count_dropped(llm, unit, answer.dropped)
        for n, c in enumerate(answer.claims, start=1):
            cited = [alias[i][0] for i in dict.fromkeys(c.citations)]  # ids were validated against alias
            # a claim that is its source sentences word for word (or a part: a dateline cut) keeps their language
            lang = source_language(c.text, [(s, alias[i][1]) for i, s in zip(dict.fromkeys(c.citations), cited)],
                                   language)
            claims.append(Claim(id=f"{cited[0].id}:k{n}", countries=c.countries, text=c.text, language=lang,
                                citations=[s.id for s in cited], kind=c.kind, date=c.date))
    return claims


def source_language(text: str, cited: list[tuple[Sentence, Article]], default: str) -> str:
    """The language of the cited articles when ``text`` is copied from the cited sentences (verbatim,
    whitespace aside: one sentence, a part of one, or adjacent ones joined); else ``default``."""
    shown = " ".join(text.split())
    if not shown:
        return default
    for s, a in cited:  # one of them (another outlet's version may be cited as corroboration)
        if shown in " ".join(s.text.split()):
            return a.language
    joined = " ".join(" ".join(s.text.split()) for s, _ in cited)
    if cited and shown in joined and len({a.language for _, a in cited}) == 1:
        return cited[0][1].language
    return default


def count_dropped(llm, unit: str, dropped: list[str]) -> None:
    """One invented id costs its own claim or sentence, not the unit: counted and logged."""
    if not dropped:
        return
    usage = getattr(llm, "usage", None)
    if usage is not None:
        usage.dropped += len(dropped)
    log.warning("%s: %d item(s) of the answer cut: %s", unit, len(dropped), "; ".join(dropped)[:300])
