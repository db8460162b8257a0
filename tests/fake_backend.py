"""A scripted model for tests, in the style of simonw/llm's mock model.

It lives in tests/, not in the package: a user cannot select it. The ``fake_backend`` fixture
(conftest.py) registers it as backend "fake" for the tests that go through the registry."""

from __future__ import annotations

import threading
from collections import deque
from typing import Callable, Union

from briefings.config import Settings
from briefings.errors import LLMError
from briefings.llm.base import Backend, Prompt, Response

Script = Union[str, Response, Exception, Callable[[Prompt], Union[str, Response]]]


class FakeBackend(Backend):
    """``enqueue`` answers (text, Response, an exception to raise, or a callable given the Prompt);
    each ``execute`` consumes one, in order. ``history`` holds every Prompt received. When the queue
    is empty, ``default`` (a callable or text) answers, else LLMError is raised."""

    name = "fake"
    supports_json_schema = True
    needs_key = False
    makes_calls = True  # behaves like a real model: cached, counted

    def __init__(self, settings: Settings | None = None, default: Script | None = None):
        self.model = (settings.llm.model if settings else None) or "fake"
        self.default = default
        self.history: list[Prompt] = []
        self._queue: deque[Script] = deque()
        self._lock = threading.Lock()

    def enqueue(self, *items: Script) -> "FakeBackend":
        with self._lock:
            self._queue.extend(items)
        return self

    def execute(self, prompt: Prompt) -> Response:
        with self._lock:
            self.history.append(prompt)
            item = self._queue.popleft() if self._queue else self.default
        if item is None:
            raise LLMError("fake backend: no response queued")
        if isinstance(item, Exception):
            raise item
        if callable(item) and not isinstance(item, (str, Response)):
            item = item(prompt)
        if isinstance(item, Response):
            return item
        # deterministic stand-in for token counts: words in, words out
        words_in = sum(len(m["content"].split()) for m in prompt.messages)
        return Response(text=item, prompt_tokens=words_in, completion_tokens=len(item.split()), model=self.model)
