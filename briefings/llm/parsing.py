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
                first_error = first_error or e
            start = body.find("{", start + 1)
            tried += 1
    if first_error is None:
        raise AnswerError("the answer contained no JSON object; answer with one JSON object")
    raise AnswerError(f"the answer is not valid JSON (incomplete or malformed: {first_error.msg} "
                      f"at char {first_error.pos}); answer with one complete JSON object")


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
