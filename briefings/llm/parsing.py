"""Tolerant answer parsing: models wrap JSON in prose or ``` fences, or stop mid-object."""

from __future__ import annotations

import json
import re
from typing import Any

from pydantic import BaseModel, ValidationError

FENCE = re.compile(r"```[a-zA-Z0-9_-]*\s*\n?(.*?)```", re.S)
MAX_CANDIDATES = 50  # '{' positions tried; bounds the work on pathological answers


class AnswerError(ValueError):
    """The answer is not usable; the message is written for the model (it is sent back on re-ask)."""


def _closes(text: str, start: int) -> bool:
    """Whether the bracket opened at ``start`` is closed (string-aware)."""
    depth, in_string, escaped = 0, False, False
    for ch in text[start:]:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "{[":
            depth += 1
        elif ch in "}]":
            depth -= 1
            if depth == 0:
                return True
    return False


JSONISH = re.compile(r"\{\s*[\"}]")  # '{"' or '{}': an object, not a brace in prose


def first_json_object(text: str) -> Any:
    """The first balanced JSON object in ``text`` (inside a ``` fence if there is one)."""
    if not text or not text.strip():
        raise AnswerError("the answer was empty; answer with one JSON object")
    fenced = FENCE.search(text)
    candidates = [fenced.group(1), text] if fenced else [text]
    decoder = json.JSONDecoder()
    first_error: json.JSONDecodeError | None = None
    for body in candidates:
        start = body.find("{")
        tried = 0
        while start != -1 and tried < MAX_CANDIDATES:
            try:
                obj, _ = decoder.raw_decode(body, start)  # stops at the end of the first value
                if isinstance(obj, dict):
                    return obj
            except json.JSONDecodeError as e:
                if JSONISH.match(body, start) and not _closes(body, start):
                    # an object that never closes: cut off (length limit). Its inner objects are
                    # complete, but taking one of them would answer a different question.
                    raise AnswerError("the answer stops before the JSON object is complete (truncated); "
                                      "answer with one complete, shorter JSON object") from None
                first_error = first_error or e
            start = body.find("{", start + 1)
            tried += 1
    if first_error is None:
        raise AnswerError("the answer contained no JSON object; answer with one JSON object")
    raise AnswerError(f"the answer is not valid JSON ({first_error.msg} at char {first_error.pos}); "
                      "answer with one complete JSON object")


def describe(error: ValidationError) -> str:
    """A compact, model-readable list of what is wrong (no pydantic URLs)."""
    lines = []
    for err in error.errors(include_url=False)[:20]:
        where = ".".join(str(p) for p in err["loc"]) or "(root)"
        lines.append(f"- {where}: {err['msg']}")
    return "\n".join(lines)


def parse_answer(text: str, answer: type[BaseModel], context: dict | None = None) -> BaseModel:
    """Parse and validate; raises AnswerError with a message meant for a re-ask."""
    obj = first_json_object(text)
    try:
        return answer.model_validate(obj, context=context)
    except ValidationError as e:
        raise AnswerError(f"the JSON does not match the required schema:\n{describe(e)}") from None
