"""The embedded default backend: no network, no model, deterministic. It answers a prompt with the
offline answer its stage attached (``Prompt.offline``, see ``briefings/offline.py``): selected verbatim
source sentences, so every sentence it writes can be verified verbatim against its citation."""

from __future__ import annotations

import json

from ..errors import LLMError
from .base import Backend, Prompt, Response, register


@register
class ExtractiveBackend(Backend):
    """Answers with the stage's offline function; makes no calls and bills no tokens."""

    name = "extractive"
    supports_json_schema = True
    needs_key = False
    makes_calls = False

    def __init__(self, settings=None):
        self.model = "extractive"

    def execute(self, prompt: Prompt) -> Response:
        if prompt.offline is None:  # a judge, say: it needs a model
            raise LLMError(f"the extractive backend cannot answer {prompt.task!r} prompts: they carry no "
                           "offline answer (choose a model backend)")
        return Response(text=json.dumps(prompt.offline(prompt.data), ensure_ascii=False), model="extractive")

