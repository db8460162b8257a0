"""Translators: a statement for a lead section found only in another language, shown in the reader's.

A translator turns sentences into texts (``translate``); which one runs is ``compose.translator``, looked
up in ``REGISTRY`` (``@register``, or the ``briefings.translators`` entry-point group for a plugin package):
adding one never touches a branch here. "none" translates nothing (the statement is reported under
"Reported in other languages", as without this module); "llm" asks a model backend (``llm.base_url`` /
``llm.model``, or the local GGUF with ``compose.translator_backend = "local"``) through the LLM client, so
answers are validated, re-asked, cached and counted like every other call.

A translation is a new text: ``accepted`` checks it against the cited sentences and the statement it
translates (``verify.translation_problems``) before it may stand in the statement's place.
"""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from .errors import LLMError
from .models import Failure, Usage

if TYPE_CHECKING:
    from .config import Settings
    from .verify import VerifyContext

log = logging.getLogger(__name__)
ENTRY_POINTS = "briefings.translators"


@dataclass
class Outcome:
    """What translation did in a run: for run.json and the one warning."""

    asked: int = 0  # statements sent
    translated: int = 0  # shown translated
    rejected: list[str] = field(default_factory=list)  # why a translation was not shown, one per statement
    failed: int = 0  # no translation came back

    def as_dict(self) -> dict[str, Any]:
        return {"asked": self.asked, "translated": self.translated, "rejected": len(self.rejected),
                "failed": self.failed, "reasons": self.rejected[:20]}


class Translator(ABC):
    """One method; ``translates`` is a capability (False: the composer keeps foreign statements apart)."""

    name: ClassVar[str]
    translates: ClassVar[bool] = True

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.usage = Usage()  # model calls and tokens, added to the run's
        self.failures: list[Failure] = []  # units that failed for good: the run exits 4, as for others
        self.outcome = Outcome()

    @abstractmethod
    def translate(self, sentences: list[str], source_lang: str, target_lang: str) -> list[str | None]:
        """One text per sentence, in order; None where none came back (the failure is recorded here)."""

    @classmethod
    def preflight(cls, settings: Settings) -> None:
        """Raise (UsageError, MissingKey) for what is knowably wrong before any work; no network."""

    def close(self) -> None:
        """Release what it holds (a client, a model server)."""


REGISTRY: dict[str, type[Translator]] = {}


def register(cls: type[Translator]) -> type[Translator]:
    REGISTRY[cls.name] = cls
    return cls


def translators() -> dict[str, type[Translator]]:
    """The built-in translators and those installed packages declare (entry points, read once)."""
    if not getattr(translators, "_loaded", False):
        from importlib.metadata import entry_points

        for ep in entry_points(group=ENTRY_POINTS):
            try:
                REGISTRY.setdefault(ep.name, ep.load())
            except Exception as e:  # noqa: BLE001 - a broken plugin is named, the built-ins still work
                log.warning("translator plugin %s (%s) cannot be loaded: %s", ep.name, ep.value, e)
        translators._loaded = True  # type: ignore[attr-defined]
    return REGISTRY


def get_translator(settings: Settings) -> Translator:
    return translators()[settings.compose.translator](settings)  # the name was validated with the settings


@register
class NoTranslator(Translator):
    """The default: nothing is translated."""

    name = "none"
    translates = False

    def translate(self, sentences: list[str], source_lang: str, target_lang: str) -> list[str | None]:
        return [None] * len(sentences)


@register
class LLMTranslator(Translator):
    """One prompt per sentence (prompts/translate.j2): a cached answer survives a change elsewhere in the
    run, and a bad answer costs its own sentence. The backend starts on the first sentence to translate
    (a local model server is not started for a run that needs none)."""

    name = "llm"

    def __init__(self, settings: Settings) -> None:
        super().__init__(settings)
        self._llm = None

    @classmethod
    def preflight(cls, settings: Settings) -> None:
        from .llm import REGISTRY as BACKENDS

        BACKENDS[settings.compose.translator_backend].preflight(settings)

    def _client(self):
        if self._llm is None:
            from .llm import LLM, REGISTRY as BACKENDS

            self._llm = LLM(self.settings, backend=BACKENDS[self.settings.compose.translator_backend](self.settings))
        return self._llm

    def translate(self, sentences: list[str], source_lang: str, target_lang: str) -> list[str | None]:
        from .llm import make_prompt
        from .schemas import TRANSLATION_GROWTH, TranslateAnswer

        if not sentences:
            return []
        llm = self._client()
        prompts = [make_prompt("translate", self.settings, TranslateAnswer, text=s, source_language=source_lang,
                               language=target_lang,
                               limits={"translation": {"maxLength": TRANSLATION_GROWTH * len(s) + 40}},
                               # a token a character at most, with the JSON around it
                               max_tokens=TRANSLATION_GROWTH * len(s) + 80) for s in sentences]
        units = [f"{source_lang}>{target_lang} “{' '.join(s.split()[:6])} …”" for s in sentences]
        before_usage, before_failures = llm.usage.model_copy(), len(llm.failures)
        answers = llm.ask_many(prompts, TranslateAnswer, [{"source": s} for s in sentences], units)
        self.usage.add(_since(llm.usage, before_usage))
        self.failures += llm.failures[before_failures:]
        return [None if isinstance(a, LLMError) else a.translation for a in answers]

    def close(self) -> None:
        if self._llm is not None:
            self._llm.close()


def _since(now: Usage, before: Usage) -> Usage:
    return Usage(**{k: getattr(now, k) - getattr(before, k) for k in Usage.model_fields})


def translate_statements(wanted: list[tuple[str, str, str, list[str]]], target_lang: str, translator: Translator,
                         ctx: VerifyContext) -> dict[tuple[str, str], str]:
    """(country, text) -> the translation shown in its place, for each (country, text, language, citations)
    in ``wanted``. A text is sent once whatever the countries citing it; each statement's translation is
    checked against its own citations (``verify.translation_problems``): one that changes or drops a number,
    a name, a negation, or is not in ``target_lang``, is rejected and counted in ``translator.outcome``."""
    from .verify import translation_problems

    by_lang: dict[str, list[str]] = {}
    for _, text, lang, _ in wanted:
        if text not in by_lang.setdefault(lang, []):
            by_lang[lang].append(text)
    got: dict[tuple[str, str], str | None] = {}
    for lang, texts in by_lang.items():
        try:
            answers = translator.translate(texts, lang, target_lang)
        except Exception as e:  # noqa: BLE001 - a plugin's bug costs its translations, not the run
            log.warning("translator %s failed: %s", translator.name, e)
            translator.failures.append(Failure(task="translate", unit=f"{lang}>{target_lang}", error=str(e)))
            answers = [None] * len(texts)
        got.update({(lang, t): a for t, a in zip(texts, answers)})
    out, outcome = {}, translator.outcome
    for code, text, lang, cites in wanted:
        outcome.asked += 1
        answer = got.get((lang, text))
        if not answer:
            outcome.failed += 1
            continue
        problems = translation_problems(text, lang, answer, target_lang, cites, code, ctx)
        if problems:
            outcome.rejected.append(f"{code} “{' '.join(text.split()[:6])} …”: {'; '.join(problems)}")
            log.info("translation rejected (%s): %s", code, "; ".join(problems))
            continue
        outcome.translated += 1
        out[(code, text)] = " ".join(answer.split())
    return out


def outcome_line(outcome: Outcome) -> str | None:
    """The one warning when translations were not shown (None when every one was)."""
    if not (outcome.failed or outcome.rejected):
        return None
    parts = ([f"{outcome.failed} failed"] if outcome.failed else []) + \
        ([f"{len(outcome.rejected)} rejected by the checks ({outcome.rejected[0]}{', …' if len(outcome.rejected) > 1 else ''})"]
         if outcome.rejected else [])
    return (f"{outcome.failed + len(outcome.rejected)} of {outcome.asked} statement(s) not translated: "
            f"{'; '.join(parts)}; shown in their language under \"Reported in other languages\"")
