"""Any OpenAI-compatible chat endpoint through the official ``openai`` client.

Transport retries (429 honouring Retry-After, 5xx, timeouts, connection errors) with exponential
backoff are the openai client's own, bounded by ``settings.llm.max_retries``; the request timeout is
``settings.llm.timeout``. Structured output: a JSON schema where the endpoint accepts it; in
``response_format = "auto"`` a 400/422 answer to it downgrades once to ``json_object`` and then to
plain text (tolerant parsing happens in the client either way).
"""

from __future__ import annotations

import json

import threading
from typing import Any

from ..config import Settings
from ..errors import LLMError
from .base import Backend, Prompt, Response, register
from .keys import DUMMY_KEY, require_key, scrub

DEFAULT_MODEL = "gpt-4o-mini"  # used only when no model is configured anywhere
MODES = ("json_schema", "json_object", "text")


@register
class OpenAIBackend(Backend):
    name = "openai"
    supports_json_schema = True
    needs_key = True

    def __init__(self, settings: Settings, base_url: str | None = None, model: str | None = None):
        self.settings = settings
        self.base_url = base_url or settings.llm.base_url
        self.model = model or settings.llm.model or DEFAULT_MODEL
        if self.needs_key:
            key, self.key_source = require_key(settings, base_url=self.base_url)
        else:  # a server we started ourselves: a real key has no business going there
            key, self.key_source = DUMMY_KEY, None
        self._scrub_key = key  # only to remove it from error messages; never logged or cached
        self.timeout = settings.llm.timeout
        self.max_retries = settings.llm.max_retries
        import openai  # here, not at module level: importing it costs ~1-3 s, and most runs never need it

        self._openai = openai
        self.client = openai.OpenAI(
            api_key=key, base_url=self.base_url, timeout=self.timeout, max_retries=self.max_retries
        )
        configured = settings.llm.response_format
        self.auto = configured == "auto"
        self.mode = "json_schema" if self.auto else configured
        self._mode_lock = threading.Lock()

    def __repr__(self) -> str:  # never shows the key
        return f"OpenAIBackend(base_url={self.base_url!r}, model={self.model!r}, mode={self.mode!r})"

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
                self.mode = MODES[MODES.index(failed) + 1]
            return self.mode != failed

    def _error(self, e: Exception) -> LLMError:
        openai = self._openai
        where = self.base_url or "the OpenAI API"
        if isinstance(e, openai.APITimeoutError):
            msg = f"request to {where} timed out after {self.timeout:g}s ({self.max_retries} retries)"
        elif isinstance(e, openai.APIConnectionError):
            msg = f"cannot reach {where} ({self.max_retries} retries): {e}"
        elif isinstance(e, openai.APIStatusError):
            msg = f"HTTP {e.status_code} from {where}: {e.message}"
        else:
            msg = f"{type(e).__name__} from {where}: {e}"
        return LLMError(scrub(msg, self._scrub_key))

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
                completion = self.client.chat.completions.create(**kwargs)
            except (openai.BadRequestError, openai.UnprocessableEntityError) as e:
                if self.auto and mode != "text" and self._downgrade(mode):
                    continue  # the endpoint refused this response_format: try the next one
                raise self._error(e) from None
            except openai.OpenAIError as e:
                raise self._error(e) from None
            break
        choices = getattr(completion, "choices", None) or []
        text = (choices[0].message.content or "") if choices and choices[0].message else ""
        usage = getattr(completion, "usage", None)
        return Response(
            text=text,
            prompt_tokens=getattr(usage, "prompt_tokens", 0) or 0,
            completion_tokens=getattr(usage, "completion_tokens", 0) or 0,
            model=getattr(completion, "model", None) or self.model,
        )

    def close(self) -> None:
        self.client.close()
