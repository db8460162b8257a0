"""The LLM layer: one backend interface + registry, prompts, cache and the client the pipeline uses.

Backends register themselves on import (``@register``); ``get_backend`` looks the configured name up
in ``REGISTRY`` -- adding a backend never touches a branch here.
"""

from __future__ import annotations

from ..config import Settings
from ..errors import UsageError
from . import local as _local, openai_backend as _openai  # noqa: F401  (registration)
from .base import REGISTRY, Backend, Prompt, Response, register
from .client import LLM
from .prompts import make_prompt

try:  # the embedded extractive backend lives in its own module (written separately)
    from . import extractive as _extractive  # noqa: F401
except ImportError:  # pragma: no cover - only while that module does not exist yet
    pass


def get_backend(settings: Settings) -> Backend:
    name = settings.llm.backend
    cls = REGISTRY.get(name)
    if cls is None:
        raise UsageError(f"unknown backend {name!r}; choose one of: {', '.join(sorted(REGISTRY))}")
    return cls(settings)


__all__ = [
    "LLM", "REGISTRY", "Backend", "Prompt", "Response",
    "get_backend", "make_prompt", "register",
]
