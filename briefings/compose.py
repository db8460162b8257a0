"""Reduce step: one call per country turns its merged claims into a briefing with cited sentences.

The title is built here, not by the model: a heading carries no citation, so it must not be a place
where invented facts could reach the reader.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from .config import Settings
from .errors import LLMError
from .models import Briefing, BriefingSentence, Claim, Section, SectionKey, Sentence, SourceRef
from .extract import count_dropped, source_language
from .schemas import ComposeAnswer
from .text import fold

if TYPE_CHECKING:
    from .corpus import Corpus

SECTIONS = {
    "bottom_line": "Bottom line",
    "key_developments": "Key developments",
    "context": "Context",
    "watch": "What to watch",
}
OTHER_LANGUAGES = ("other_languages", "Reported in other languages")  # not an answer key: placed here
LEAD = ("bottom_line", "key_developments", "watch")  # where a translation may stand in for a statement
MAX_CLAIMS = 80  # per country sent to compose; the rest are the least salient (cost bound)
# citations per claim sent to compose. A fact repeated by many outlets merges into one claim citing
# every copy (68 ids measured on bench/run_cost.py's corpus), and each id was sent twice (in the claim
# and as a source): 250k prompt tokens per compose call. A few independent ones are enough to cite;
# the claim's corroboration still carries the count.
MAX_CITATIONS = 3
SECTION_CAPS = {"bottom_line": 3, "key_developments": 8, "context": 5, "watch": 4}  # sentences a section
SENTENCE_CHARS = 300  # a briefing sentence, as a claim: the schema's bound
SENTENCE_CITATIONS = 4  # a sentence may join a few claims' citations
SENTENCE_TOKENS = SENTENCE_CHARS + 60  # at most (a token a character), with its citations and JSON


def section_caps(claims: int, backend=None) -> dict[str, int]:
    """Sentences each section may have: no more than there are claims to say (a model otherwise pads),
    and for a backend that measured its output rate, what it writes in about a minute (the sections
    that matter least give way first). Unbounded, SmolLM2 filled every slot of one article's briefing
    for minutes on 2 cores."""
    from .extract import ANSWER_SECONDS

    caps = {k: max(1, min(v, claims)) for k, v in SECTION_CAPS.items()}
    speed = getattr(backend, "constrained_tps", None)  # a local model's, measured at start
    if speed:
        total = max(4, int(speed * ANSWER_SECONDS / SENTENCE_TOKENS))
        for key in ("watch", "context", "key_developments", "bottom_line"):
            while sum(caps.values()) > total and caps[key] > 1:
                caps[key] -= 1
    return caps


def compose_tokens(caps: dict[str, int], settings: Settings) -> int:
    """``max_tokens`` for an answer within ``caps``: the title and every sentence at its longest."""
    return min(settings.llm.max_tokens, 120 + sum(caps.values()) * SENTENCE_TOKENS)


def _position(claim: Claim, sentences: dict[str, Sentence]) -> int:
    idx = [sentences[i].index for i in claim.citations if i in sentences]
    return min(idx) if idx else 99


def focus(text: str, code: str) -> float:
    """How much a sentence is about ``code``: 1.0 when the country is its first country reference."""
    from .countries import tag_text

    mentions = tag_text(text)
    codes = [m.code for m in mentions]
    if not codes or code not in codes:
        return 0.2
    if codes[0] == code:
        return 1.0
    return 0.6 if codes.count(code) > 1 else 0.4


def prompt_citations(claim: Claim, corpus: Corpus, limit: int = MAX_CITATIONS, country: str | None = None) -> list[str]:
    """Up to ``limit`` known citations of ``claim``: its first one (the sentence whose words it has),
    then sentences tagged with ``country`` (a merged claim also cites copies about other countries,
    and the verifier needs one about this one), one per story not yet cited, then the rest in order."""
    sentences, story = corpus.sentences, corpus.story
    known = [i for i in dict.fromkeys(claim.citations) if i in sentences]
    rest = sorted(known[1:], key=lambda i: bool(country) and country not in sentences[i].countries)  # stable
    picked, stories = known[:1], {story(i) for i in known[:1]}
    for i in rest:
        if len(picked) < limit and story(i) not in stories:
            picked.append(i)
            stories.add(story(i))
    picked += [i for i in rest if i not in picked][:limit - len(picked)]
    return picked


def compose_prompts(claims_by_country: dict[str, list[Claim]], corpus: Corpus, settings: Settings, backend=None,
                    period: str = "", translate: bool = False):
    """(prompts, validation contexts, alias maps). Sentence ids are sent as short per-prompt aliases
    (``S1``, ``S2``…; a full id is 9+ tokens and each was sent twice), mapped back by ``unalias``. A
    source sentence that some claim citing it states word for word is not sent again under <sources>.
    ``translate``: a translator will show lead statements in other languages translated (the offline
    composer then lets them lead; the template does not show it)."""
    from .countries import country_name
    from .llm import make_prompt
    from .offline import compose as offline_compose

    sentences, salience = corpus.sentences, corpus.salience
    prompts, contexts, aliases = [], [], []
    for code, claims in claims_by_country.items():
        about = {c.id: 0.5 * salience.get((c.citations[0].split(":")[0], code), 0.0) + 0.5 * focus(c.text, code)
                 for c in claims}

        def pre(c: Claim, about: dict[str, float] = about) -> tuple:
            return (-c.corroboration, -about[c.id], _position(c, sentences))
        chosen = sorted(claims, key=pre)[:MAX_CLAIMS]
        cites = {c.id: prompt_citations(c, corpus, country=code) for c in chosen}
        cited = list(dict.fromkeys(i for c in chosen for i in cites[c.id]))
        alias = {i: f"S{n}" for n, i in enumerate(cited, start=1)}
        verbatim = {i for c in chosen for i in cites[c.id] if sentences[i].text == c.text}
        caps = section_caps(len(chosen), backend)
        prompts.append(make_prompt(
            "compose", settings, ComposeAnswer, offline=offline_compose,
            country={"code": code, "name": country_name(code)},
            claims=[{"id": c.id, "text": c.text, "citations": [alias[i] for i in cites[c.id]], "kind": c.kind,
                     "date": c.date, "corroboration": c.corroboration, "language": c.language,
                     "position": _position(c, sentences),
                     # for the offline composer only (the template does not show them): one story's
                     # rewrites of a fact are one fact, and old news is context
                     "stories": sorted({corpus.story(i) for i in c.citations if i in sentences}),
                     "background": corpus.background_date(c.citations),
                     "salience": round(about[c.id], 4)} for c in chosen],
            period=period, translate=translate,
            sources=[{"id": alias[i], "text": sentences[i].text} for i in cited if i not in verbatim],
            choices={"citations": list(alias.values())},
            limits={**{k: {"maxItems": v} for k, v in caps.items()},
                    "text": {"maxLength": SENTENCE_CHARS}, "title": {"maxLength": 120},
                    # unbounded, SmolLM2 repeated one allowed id until max_tokens
                    "citations": {"maxItems": SENTENCE_CITATIONS}},
            max_tokens=compose_tokens(caps, settings),
        ))
        # full ids stay valid too: a model may copy one from elsewhere in a re-ask
        contexts.append({"sentence_ids": set(cited) | set(alias.values())})
        aliases.append({a: i for i, a in alias.items()})
    return prompts, contexts, aliases


def unalias(answer: ComposeAnswer, alias: dict[str, str]) -> ComposeAnswer:
    """The answer with per-prompt citation aliases replaced by sentence ids."""
    for key in SECTIONS:
        for item in getattr(answer, key):
            item.citations = [alias.get(i, i) for i in item.citations]
    return answer


def only_shown(answer: ComposeAnswer, shown: set[str], corpus: Corpus) -> ComposeAnswer:
    """The answer citing only sentences its prompt showed. A sentence of the run that the prompt did not
    carry is no evidence the model was given: its id is cut, like an invented one (the schema's validation
    counted the sentence in ``dropped``); a sentence left without a citation is removed by the verifier.
    Invented ids stay, for the verifier to name ("does not exist in this run")."""
    for key in SECTIONS:
        for item in getattr(answer, key):
            item.citations = [i for i in item.citations if i in shown or i not in corpus.sentences]
    return answer


def _statements(answer: ComposeAnswer, corpus: Corpus, language: str):
    """(section key, statement, its language) of each statement once, whichever section it was put in
    first (the schema wants a development even when the bottom line said it all)."""
    said: set[str] = set()
    for key in SECTIONS:
        for item in getattr(answer, key):
            seen = " ".join(fold(item.text).split())
            if seen in said:
                continue
            said.add(seen)
            cited = [corpus.sentences[i] for i in item.citations if i in corpus.sentences]
            yield key, item, source_language(item.text, [(s, corpus.by_id[s.article_id]) for s in cited], language)


def foreign_leads(code: str, answer: ComposeAnswer, corpus: Corpus, language: str) -> list[tuple[str, str, str, list[str]]]:
    """(country, text, language, citations) of each lead statement not in ``language``: what a translator
    may show translated. Background goes to Context whatever its section, and Context is not translated."""
    return [(code, item.text.strip(), lang, list(item.citations)) for key, item, lang in _statements(answer, corpus, language)
            if key in LEAD and lang != language and not corpus.background_date(item.citations)]


def _fold_translated_twins(placed: dict[str, list[BriefingSentence]]) -> None:
    """A translation that says what a statement written in the reader's language says (same wording, no
    new number) is not shown twice: its original becomes that statement's corroboration, as a fact
    reported in both languages is when the composer sees it is one (``offline.prefer_language``)."""
    from .offline import MAX_CITATIONS, same_wording

    own = [s for sents in placed.values() for s in sents if s.translated_from is None]
    for sents in placed.values():
        for t in [s for s in sents if s.translated_from]:
            twin = next((s for s in own if s.language == t.language and same_wording(s.text, t.text)), None)
            if twin is None:
                continue
            sents.remove(t)
            if t.citations[0] not in twin.citations and len(twin.citations) < MAX_CITATIONS:
                twin.citations.append(t.citations[0])


def to_briefing(code: str, answer: ComposeAnswer, period: str, corpus: Corpus, settings: Settings,
                translations: dict[str, str] | None = None) -> Briefing:
    """``translations``: statement text -> its checked translation (``translate.translate_statements``),
    shown in the statement's place, marked, citing the original."""
    from .countries import country_name

    language = settings.output.language
    name = country_name(code, language)
    titles = {**SECTIONS, OTHER_LANGUAGES[0]: OTHER_LANGUAGES[1]}
    placed: dict[str, list[BriefingSentence]] = {key: [] for key in titles}
    for key, item, lang in _statements(answer, corpus, language):
        sent = BriefingSentence(text=item.text.strip(), language=lang, citations=list(item.citations),
                                background=corpus.background_date(item.citations))
        shown = (translations or {}).get(sent.text) if key in LEAD and lang != language and not sent.background else None
        if shown:
            sent = sent.model_copy(update={"text": shown, "language": language, "translated_from": lang})
        # a statement not in the reader's language is reported apart, after the briefing; news
        # from before the window is background: whatever section a model put either in
        placed[OTHER_LANGUAGES[0] if sent.language != language else "context" if sent.background else key].append(sent)
    _fold_translated_twins(placed)
    sections = [Section(key=cast(SectionKey, key), title=title, sentences=placed[key])
                for key, title in titles.items() if placed[key]]
    return Briefing(country=code, country_name=name, title=f"{name} — briefing {period}", language=language,
                    period=period, sections=sections, backend=settings.llm.backend)


def attach_sources(b: Briefing, corpus: Corpus) -> Briefing:
    """Fill ``citations`` (exact spans) and ``sources`` from every sentence the briefing shows or removed."""
    every = [s for sec in b.sections for s in sec.sentences] + list(b.removed)
    counts: dict[str, int] = {}
    for s in every:
        for i in dict.fromkeys(s.citations):
            if i in corpus.sentences:
                b.citations[i] = corpus.span(i, context=True)
                aid = corpus.sentences[i].article_id
                counts[aid] = counts.get(aid, 0) + 1
    b.sources = [
        SourceRef(article_id=a.id, title=a.title, outlet=a.outlet, url=a.url, published=a.published,
                  source=a.source, story=a.story, cited=n)
        for a, n in ((corpus.by_id[aid], n) for aid, n in sorted(counts.items(), key=lambda x: (-x[1], x[0])))
    ]
    return b


def compose_all(claims_by_country: dict[str, list[Claim]], period: str, corpus: Corpus, llm, settings: Settings,
                progress=None, translator=None, ctx=None) -> list[Briefing]:
    """One briefing per country; a country whose composition failed is left out (see llm.failures).
    With a ``translator`` that translates, the lead statements in another language are translated (one
    batch for the run), each checked against its citations with ``ctx`` (the verifier's context)."""
    translate = bool(getattr(translator, "translates", False))
    prompts, contexts, aliases = compose_prompts(claims_by_country, corpus, settings,
                                                 backend=getattr(llm, "backend", None), period=period,
                                                 translate=translate)
    codes = list(claims_by_country)
    answers = llm.ask_many(prompts, ComposeAnswer, contexts, [f"compose {c}" for c in codes], progress=progress)
    composed = []
    for code, answer, alias in zip(codes, answers, aliases):
        if isinstance(answer, LLMError):
            continue  # recorded in llm.failures by the client
        count_dropped(llm, f"compose {code}", answer.dropped)
        composed.append((code, only_shown(unalias(answer, alias), set(alias.values()), corpus)))
    translated: dict[tuple[str, str], str] = {}
    wanted = [s for code, answer in composed for s in foreign_leads(code, answer, corpus, settings.output.language)]
    if translate and wanted:
        from .pipeline import verify_context
        from .translate import translate_statements

        translated = translate_statements(wanted, settings.output.language, translator,
                                          ctx if ctx is not None else verify_context(corpus, settings))
    return [to_briefing(code, answer, period, corpus, settings, {t: v for (c, t), v in translated.items() if c == code})
            for code, answer in composed]
