"""The LLM client the pipeline uses: cache -> backend (with transport retries) -> tolerant parse ->
validate with context -> bounded re-ask with the validation error -> clean failure.

Every call, token, cache hit and failure is accumulated in ``usage`` (thread-safe).
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path
from typing import Callable

from pydantic import BaseModel

from ..config import Settings
from ..errors import LLMError, ValidationFailed
from ..models import Failure, Usage
from .base import Backend, Prompt, Response
from .cache import ResponseCache, cache_key
from .parsing import AnswerError, parse_answer

log = logging.getLogger(__name__)

REASK = (
    "Your previous answer could not be used: {error}\n"
    "Answer again with one JSON object that matches the schema, and nothing else."
)
MAX_ECHO = 4000  # chars of a bad answer sent back on re-ask (a runaway answer must not blow the context)


def cache_path(settings: Settings) -> Path:
    return Path(settings.run.data_dir) / "llm-cache.sqlite"


class LLM:
    def __init__(self, settings: Settings, backend: Backend | None = None):
        from . import get_backend  # the registry is filled by the package's imports

        self.settings = settings
        self.backend = backend if backend is not None else get_backend(settings)
        self.usage = Usage()
        self.failures: list[Failure] = []
        self._lock = threading.Lock()
        self.cache: ResponseCache | None = None
        if settings.llm.cache and self.backend.makes_calls:
            try:  # a corrupt file is moved aside inside; what is left (read-only, locked) runs uncached
                self.cache = ResponseCache(cache_path(settings))
            except (OSError, sqlite3.Error) as e:
                log.warning("llm cache %s unusable, running without it: %s", cache_path(settings), e)

    def __enter__(self) -> "LLM":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- accounting ---------------------------------------------------------------------------

    def _price(self, model: str | None) -> dict[str, float]:
        prices = self.settings.llm.prices
        for name in (self.backend.model, model):
            if name and name in prices:
                return prices[name]
        return {}

    def _count(self, response: Response) -> None:
        if not self.backend.makes_calls:
            return
        price = self._price(response.model)
        cost = (response.prompt_tokens * price.get("input", 0.0)
                + response.completion_tokens * price.get("output", 0.0)) / 1_000_000
        with self._lock:
            self.usage.calls += 1
            self.usage.prompt_tokens += response.prompt_tokens
            self.usage.completion_tokens += response.completion_tokens
            self.usage.cost += cost

    def _fail(self, prompt: Prompt, unit: str, error: LLMError, attempts: int = 1) -> LLMError:
        """The one place a failure is recorded (the stages only read ``failures``)."""
        with self._lock:
            self.usage.failures += 1
            self.failures.append(Failure(task=prompt.task, unit=unit, error=str(error), attempts=attempts))
        # detail only: the run's summary lists each failure once (a warning here printed it twice)
        log.info("%s %s failed: %s", prompt.task, unit, error)
        return error

    # -- asking -------------------------------------------------------------------------------

    def _key(self, prompt: Prompt) -> str:
        extra = {"response_format": self.settings.llm.response_format}
        # the endpoint too: another server with the same model name must not be answered from this one's cache
        return cache_key(prompt, self.backend.name, self.backend.model, extra, endpoint=self.backend.endpoint)

    # a broken cache (disk full, locked for too long) costs a call, never the unit
    def _cache_get(self, key: str) -> str | None:
        try:
            return self.cache.get(key) if self.cache is not None else None
        except sqlite3.Error as e:
            log.warning("llm cache read failed: %s", e)
            return None

    def _cache_put(self, key: str, task: str, model: str | None, text: str) -> None:
        try:
            if self.cache is not None:
                self.cache.put(key, task, model, text)
        except sqlite3.Error as e:
            log.warning("llm cache write failed: %s", e)

    def ask(self, prompt: Prompt, answer: type[BaseModel], context: dict | None = None, unit: str = "") -> BaseModel:
        """A validated answer, or LLMError (ValidationFailed after the re-asks); failures are recorded."""
        key = self._key(prompt) if self.cache is not None else None
        if key:
            cached = self._cache_get(key)
            if cached is not None:
                cached = self.backend.scrub(cached)  # written before answers were scrubbed, perhaps
                try:
                    result = parse_answer(cached, answer, context)
                except AnswerError:
                    pass  # stale for this context: ask again (a valid answer replaces it)
                else:
                    with self._lock:
                        self.usage.cache_hits += 1
                    return result

        current = prompt
        error: AnswerError | None = None
        for attempt in range(self.settings.llm.reask + 1):
            try:
                response = self.backend.execute(current)
            except LLMError as e:
                raise self._fail(prompt, unit, e, attempt + 1) from None
            except Exception as e:  # a backend bug must not take the run down; report it as this unit's failure
                message = self.backend.scrub(f"{self.backend.name}: {type(e).__name__}: {e}")
                raise self._fail(prompt, unit, LLMError(message), attempt + 1) from None
            self._count(response)
            try:
                result = parse_answer(response.text, answer, context)
            except AnswerError as e:
                error = e
                log.info("%s %s: answer rejected (attempt %d): %s", prompt.task, unit, attempt + 1, e)
                current = current.model_copy(update={"messages": [
                    *current.messages,
                    {"role": "assistant", "content": response.text[:MAX_ECHO]},
                    {"role": "user", "content": REASK.format(error=e)},
                ]})
                continue
            if key:
                self._cache_put(key, prompt.task, response.model or self.backend.model, response.text)
            return result
        reasks = self.settings.llm.reask
        raise self._fail(prompt, unit, ValidationFailed(
            f"{prompt.task}{' ' + unit if unit else ''}: no valid answer after {reasks} re-ask{'s' * (reasks != 1)}: {error}"
        ), reasks + 1) from None

    def ask_many(
        self,
        prompts: list[Prompt],
        answer: type[BaseModel],
        contexts: list[dict | None] | None = None,
        units: list[str] | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> list[BaseModel | LLMError]:
        """Answers in input order; a unit that fails yields its LLMError (already recorded)."""
        contexts = contexts if contexts is not None else [None] * len(prompts)
        units = units if units is not None else [""] * len(prompts)
        if not (len(contexts) == len(units) == len(prompts)):
            raise ValueError("prompts, contexts and units must have the same length")
        results: list[BaseModel | LLMError | None] = [None] * len(prompts)
        if not prompts:
            return []

        def one(i: int) -> BaseModel | LLMError:
            try:
                return self.ask(prompts[i], answer, contexts[i], units[i])
            except LLMError as e:
                return e

        workers = max(1, min(self.settings.llm.concurrency, len(prompts)))
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="llm") as pool:
            futures = {pool.submit(one, i): i for i in range(len(prompts))}
            for done, fut in enumerate(as_completed(futures), start=1):
                results[futures[fut]] = fut.result()
                if progress:
                    progress(done)
        return results  # type: ignore[return-value]

    def close(self) -> None:
        try:
            self.backend.close()
        finally:
            if self.cache is not None:
                self.cache.close()
