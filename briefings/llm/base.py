"""The one backend interface (in the spirit of simonw/llm's ``Model.execute``) and its registry."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from typing import Any, ClassVar

from pydantic import BaseModel, Field


class Prompt(BaseModel):
    """A fully rendered request. ``data`` carries the structured inputs the prompt was rendered from,
    so a backend without a model (extractive) can fulfil the same contract."""

    task: str  # the template it was rendered from: a label for logs, failures and the cache
    messages: list[dict[str, str]]  # [{"role": "system"|"user"|"assistant", "content": ...}]
    schema_name: str
    json_schema: dict[str, Any] | None = None
    data: dict[str, Any] = Field(default_factory=dict)
    params: dict[str, Any] = Field(default_factory=dict)  # temperature, max_tokens, ...
    template_hash: str = ""  # sha256 of the template sources used
    # the stage's answer without a model (the extractive backend calls it with ``data``); not part of
    # the request or its cache key
    offline: Callable[[dict[str, Any]], dict[str, Any]] | None = Field(default=None, exclude=True, repr=False)


class Response(BaseModel):
    text: str
    prompt_tokens: int = 0
    completion_tokens: int = 0
    model: str | None = None


class Backend(ABC):
    """One method. Capabilities are class attributes, not branches in callers."""

    name: ClassVar[str]
    supports_json_schema: ClassVar[bool] = False
    needs_key: ClassVar[bool] = False
    makes_calls: ClassVar[bool] = True  # False for the embedded extractive backend (no tokens billed)

    model: str | None = None
    endpoint: str | None = None  # where answers come from (normalised URL, model file): part of cache keys
    context_tokens: int | None = None  # prompt + answer the model can hold, when known and small

    def __init__(self, settings: Any = None) -> None:
        """Backends are built from the settings alone (``get_backend``)."""

    @abstractmethod
    def execute(self, prompt: Prompt) -> Response:
        """Answer one prompt. Raise ``briefings.errors.LLMError`` (or a transient error) on failure."""

    def scrub(self, text: str) -> str:
        """``text`` (an answer, also a cached one) without any secret this backend holds."""
        return text

    @classmethod
    def preflight(cls, settings: Any) -> None:
        """Raise (UsageError, MissingKey) for what is knowably wrong before any work: a missing key or
        model file. No network: reachability is ``doctor``'s job."""

    def close(self) -> None:  # pragma: no cover - default no-op
        """Release resources (servers, sockets)."""


REGISTRY: dict[str, type[Backend]] = {}


def register(cls: type[Backend]) -> type[Backend]:
    REGISTRY[cls.name] = cls
    return cls
