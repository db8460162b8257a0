"""Any OpenAI-compatible chat endpoint through the official ``openai`` client.

Deadlines: every attempt ends within ``llm.timeout`` of wall-clock time, however slowly the server
sends (``deadline.py``), and the whole call -- attempts, backoff and Retry-After waits -- within
``llm.timeout * (llm.max_retries + 1)``. Retries (429, 408, 409, 5xx, timeouts, connection errors) are
done here, not by the openai client, so that they live inside that budget: Retry-After is honoured
however long it is when it fits the budget left, and fails at once, saying so, when it does not.
Structured output: a JSON schema where the endpoint accepts it; in ``response_format = "auto"`` a
400/422 answer to it downgrades once to ``json_object`` and then to plain text (tolerant parsing
happens in the client either way). Answers and messages are scrubbed of the key.
Size: the bytes read for one attempt are capped by what its ``max_tokens`` can need (``answer_limit``);
a longer response is cut off unread and fails the unit (``AnswerTooLarge``), without a retry: the same
request would bring the same flood.
"""

from __future__ import annotations

import email.utils
import json
import math
import random
import threading
import time
from typing import Any, ClassVar

from ..config import Settings, mask_url
from ..errors import AnswerTooLarge, LLMError
from . import deadline
from .base import Backend, Prompt, Response, register
from .keys import DUMMY_KEY, endpoint_id, require_key, scrub, scrub_answer

DEFAULT_MODEL = "gpt-4o-mini"  # used only when no model is configured anywhere
MODES = ("json_schema", "json_object", "text")
RETRY_STATUS = {408, 409, 429}  # and every 5xx, as the openai client does
BACKOFF, MAX_BACKOFF = 0.5, 8.0
# The most bytes an answer of max_tokens tokens can take: a token is ~4 characters, up to ~18 bytes
# when JSON-escaped (\uXXXX for each of 3 CJK characters); 32 leaves room for reasoning text and
# whitespace. Plus the envelope (id, usage, headers), with a floor for tiny requests; a request
# without max_tokens may take MAX_ANSWER_BYTES.
BYTES_PER_TOKEN, ENVELOPE_BYTES = 32, 64 * 1024
MIN_ANSWER_BYTES, MAX_ANSWER_BYTES = 1 << 20, 16 << 20


def answer_limit(max_tokens: int | None) -> int:
    """Bytes one response to a request with ``max_tokens`` may take (status line and headers included)."""
    if not max_tokens or max_tokens <= 0:
        return MAX_ANSWER_BYTES
    return max(MIN_ANSWER_BYTES, max_tokens * BYTES_PER_TOKEN + ENVELOPE_BYTES)


def retry_after(headers: Any) -> float | None:
    """Seconds the server asked to wait (retry-after-ms, Retry-After in seconds or as a date), or None."""
    for name, unit in (("retry-after-ms", 1000.0), ("retry-after", 1.0)):
        value = headers.get(name)
        if value is None:
            continue
        try:
            seconds = float(value) / unit
        except ValueError:
            continue
        return None if math.isnan(seconds) or seconds <= 0 else seconds
    try:
        when = email.utils.parsedate_to_datetime(headers.get("retry-after") or "")
    except (TypeError, ValueError, IndexError):
        return None
    seconds = when.timestamp() - time.time()
    return seconds if seconds > 0 else None


def _retryable(response: Any) -> bool:
    said = response.headers.get("x-should-retry")  # the server's explicit word wins
    if said in ("true", "false"):
        return said == "true"
    return response.status_code in RETRY_STATUS or response.status_code >= 500


@register
class OpenAIBackend(Backend):
    name = "openai"
    supports_json_schema = True
    needs_key = True
    retry_on_timeout: ClassVar[bool] = True  # False where a timeout means "slow", not "lost" (our own server)
    sleep = staticmethod(time.sleep)  # between attempts (tests replace it to skip long waits)

    def __init__(self, settings: Settings, base_url: str | None = None, model: str | None = None):
        self.settings = settings
        self.base_url = base_url or settings.llm.base_url
        self.model = model or settings.llm.model or DEFAULT_MODEL
        if self.needs_key:
            key, self.key_source = require_key(settings, base_url=self.base_url)
        else:  # a server we started ourselves: a real key has no business going there
            key, self.key_source = DUMMY_KEY, None
        self._scrub_key = key  # only to remove it from answers and messages; never logged or cached
        self.endpoint = endpoint_id(self.base_url)
        self.where = mask_url(self.base_url) or "the OpenAI API"
        self.timeout = settings.llm.timeout
        self.max_retries = settings.llm.max_retries
        import openai  # here, not at module level: importing it costs ~1-3 s, and most runs never need it

        self._openai = openai
        http = openai.DefaultHttpxClient(timeout=self.timeout)
        deadline.arm(http)
        self.client = openai.OpenAI(
            api_key=key, base_url=self.base_url, timeout=self.timeout, max_retries=0, http_client=http
        )
        configured = settings.llm.response_format
        self.auto = configured == "auto"
        self.mode = "json_schema" if self.auto else configured
        self._mode_lock = threading.Lock()

    @classmethod
    def preflight(cls, settings: Settings) -> None:
        if cls.needs_key:
            require_key(settings, base_url=settings.llm.base_url)

    def __repr__(self) -> str:  # never shows the key
        return f"OpenAIBackend(base_url={self.where!r}, model={self.model!r}, mode={self.mode!r})"

    def scrub(self, text: str) -> str:
        return scrub_answer(text, self._scrub_key)

    def _response_format(self, prompt: Prompt, mode: str) -> dict[str, Any] | None:
        if mode == "json_schema" and prompt.json_schema:
            return {
                "type": "json_schema",
                "json_schema": {"name": prompt.schema_name or "answer", "schema": prompt.json_schema, "strict": False},
            }
        if mode in ("json_schema", "json_object"):
            return {"type": "json_object"}
        return None

    @staticmethod
    def _messages(prompt: Prompt, mode: str) -> list[dict[str, str]]:
        """The prompt's messages; the schema goes into the system message only when the endpoint
        does not take it as the response format (sending it twice cost ~300 tokens per call)."""
        if mode == "json_schema" or not prompt.json_schema or not prompt.messages:
            return prompt.messages
        schema = json.dumps(prompt.json_schema, ensure_ascii=False)
        first, *rest = prompt.messages
        note = f"\n\nThe JSON object must match this JSON schema:\n{schema}"
        return [{**first, "content": first["content"] + note}, *rest]

    def _downgrade(self, failed: str) -> bool:
        """Step down from ``failed`` (compare-and-set: concurrent failures step down once)."""
        with self._mode_lock:
            if self.mode == failed and failed != "text":
                self.mode = MODES[MODES.index(failed) + 1]  # type: ignore[assignment]  # MODES are modes
            return self.mode != failed

    def _error(self, e: Exception | str, attempts: int = 1, timeout: float | None = None) -> LLMError:
        openai, where = self._openai, self.where
        tries = f"{attempts} attempt{'s' * (attempts != 1)}"
        if isinstance(e, str):
            msg = e
        elif isinstance(e, openai.APITimeoutError):
            msg = (f"request to {where} timed out: no complete answer within the {timeout or self.timeout:g}s deadline "
                   f"(llm.timeout, the whole request however slowly the server sends; {tries})")
        elif isinstance(e, openai.APIConnectionError):
            msg = f"cannot reach {where} ({tries}): {e}"
        elif isinstance(e, openai.APIStatusError):
            msg = f"HTTP {e.status_code} from {where}: {e.message}"
        else:
            msg = f"{type(e).__name__} from {where}: {e}"
        return LLMError(scrub(msg, self._scrub_key))

    def request_timeout(self, prompt: Prompt) -> float:
        """Seconds one attempt at ``prompt`` may take (llm.timeout here; the local backend sizes it)."""
        return self.timeout

    def _too_large(self, e: AnswerTooLarge, kwargs: dict[str, Any]) -> AnswerTooLarge:
        asked = kwargs.get("max_tokens")
        why = f"max_tokens {asked} x {BYTES_PER_TOKEN} + {ENVELOPE_BYTES // 1024} KiB" if asked else "no max_tokens"
        return AnswerTooLarge(scrub(f"response from {self.where} cut off: more than {e.limit:,} bytes, longer than "
                                    f"the request can need ({why}); not retried", self._scrub_key), e.limit)

    def _create(self, kwargs: dict[str, Any], timeout: float | None = None) -> Any:
        """One completion within the call's budget: attempts (each within ``timeout``) and waits; each
        attempt reads at most ``answer_limit(max_tokens)`` bytes."""
        openai = self._openai
        timeout = timeout or self.timeout
        limit = answer_limit(kwargs.get("max_tokens"))
        budget = timeout * (self.max_retries + 1)
        end = time.monotonic() + budget
        attempts = self.max_retries + 1
        for attempt in range(1, attempts + 1):
            left = end - time.monotonic()
            try:
                with deadline.until(time.monotonic() + min(timeout, left), limit):
                    return self.client.chat.completions.create(**kwargs, timeout=timeout)
            except AnswerTooLarge as e:
                raise self._too_large(e, kwargs) from None
            except (openai.BadRequestError, openai.UnprocessableEntityError):
                raise  # the caller may downgrade the response format; never retried
            except openai.APIStatusError as e:
                if attempt == attempts or not _retryable(e.response):
                    raise self._error(e, attempt, timeout) from None
                asked = retry_after(e.response.headers)
                left = end - time.monotonic()
                if asked is not None and asked > left:
                    raise self._error(
                        f"HTTP {e.status_code} from {self.where}: the server asked to retry after {asked:g}s "
                        f"(Retry-After), more than the {max(left, 0):.1f}s left of this call's "
                        f"{budget:g}s budget (llm.timeout x (llm.max_retries + 1)); not retried") from None
                wait = asked if asked is not None else self._backoff(attempt)
                error: Exception = e
            except (openai.APITimeoutError, openai.APIConnectionError) as e:
                if isinstance(e.__cause__, AnswerTooLarge):  # wrapped by a client that catches everything
                    raise self._too_large(e.__cause__, kwargs) from None
                if attempt == attempts or (isinstance(e, openai.APITimeoutError) and not self.retry_on_timeout):
                    raise self._error(e, attempt, timeout) from None
                wait, error = self._backoff(attempt), e
            if wait >= end - time.monotonic():  # no time left for another attempt: say what happened last
                raise self._error(error, attempt, timeout) from None
            self.sleep(wait)
        raise AssertionError("unreachable")  # pragma: no cover

    @staticmethod
    def _backoff(attempt: int) -> float:
        return min(BACKOFF * 2 ** (attempt - 1), MAX_BACKOFF) * (1 - 0.25 * random.random())

    def execute(self, prompt: Prompt) -> Response:
        while True:
            mode = self.mode
            kwargs: dict[str, Any] = {"model": self.model, "messages": self._messages(prompt, mode)}
            for name in ("temperature", "max_tokens", "seed", "top_p"):
                if prompt.params.get(name) is not None:
                    kwargs[name] = prompt.params[name]
            fmt = self._response_format(prompt, mode)
            if fmt is not None:
                # sent as-is: the client's typed-param transform walks the whole JSON schema on
                # every call (~7 ms of CPU each, measured), for a dict it would not change
                kwargs["extra_body"] = {"response_format": fmt}
            openai = self._openai
            try:
                completion = self._create(kwargs, self.request_timeout(prompt))
            except (openai.BadRequestError, openai.UnprocessableEntityError) as e:
                if self.auto and mode != "text" and self._downgrade(mode):
                    continue  # the endpoint refused this response_format: try the next one
                raise self._error(e) from None
            except openai.OpenAIError as e:
                raise self._error(e) from None
            break
        choices = getattr(completion, "choices", None) or []
        text = (choices[0].message.content or "") if choices and choices[0].message else ""
        text = self.scrub(text)  # an endpoint that echoes the Authorization header: before cache and use
        usage = getattr(completion, "usage", None)
        return Response(
            text=text,
            prompt_tokens=getattr(usage, "prompt_tokens", 0) or 0,
            completion_tokens=getattr(usage, "completion_tokens", 0) or 0,
            model=getattr(completion, "model", None) or self.model,
        )

    def close(self) -> None:
        self.client.close()
