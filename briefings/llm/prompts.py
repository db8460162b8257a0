"""Prompt templates: Jinja2 files in ``prompts/`` (user overrides in ``settings.llm.prompts_dir``).

Each template defines two blocks, ``{% block system %}`` and ``{% block user %}``; they are rendered
separately into a system and a user message. One Environment with StrictUndefined: a missing variable
is an error, never an empty string. Article text is untrusted: templates pass it through the ``data``
filter (``data_attr`` inside attribute values), which escapes the tag delimiters so the text cannot
close or open our <article>/<sentence> tags.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
from pydantic import BaseModel

from ..config import PACKAGE, Settings
from ..errors import ConfigError, UsageError
from .base import Prompt

PROMPTS_DIR = PACKAGE / "prompts"  # the repo's top-level prompts/ links here


def data(value: Any) -> str:
    """Untrusted text inside our XML-like elements: < and > escaped, everything else verbatim
    (quotes stay quotes: the model must be able to copy them exactly)."""
    text = "" if value is None else str(value)
    return text.replace("<", "&lt;").replace(">", "&gt;")


def data_attr(value: Any) -> str:
    """Untrusted text inside an attribute value: also the double quote that would end it."""
    return data(value).replace('"', "&quot;")


def language_name(code: str) -> str:
    """'de' -> 'German'; unknown codes are returned as given."""
    try:
        from babel import Locale

        return Locale.parse(code.replace("-", "_")).get_display_name("en") or code
    except Exception:  # babel raises several types for unknown codes; the code itself is fine
        return code


@lru_cache(maxsize=8)
def environment(prompts_dir: str | None = None) -> jinja2.Environment:
    loaders: list[jinja2.BaseLoader] = []
    if prompts_dir:
        if not Path(prompts_dir).is_dir():
            raise ConfigError(f"llm.prompts_dir is not a directory: {prompts_dir}")
        loaders.append(jinja2.FileSystemLoader(prompts_dir))
    loaders.append(jinja2.FileSystemLoader(str(PROMPTS_DIR)))
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # we produce prompts, not HTML; untrusted text goes through `data`
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["data"] = data
    env.filters["data_attr"] = data_attr
    env.filters["language_name"] = language_name
    return env


def render(task: str, variables: dict[str, Any], prompts_dir: Path | str | None = None) -> tuple[list[dict[str, str]], str]:
    """(messages, sha256 of the template source used)."""
    env = environment(str(prompts_dir) if prompts_dir else None)
    name = f"{task}.j2"
    try:
        source, _, _ = env.loader.get_source(env, name)  # type: ignore[union-attr]
        template = env.get_template(name)
    except jinja2.TemplateNotFound:
        raise UsageError(f"no prompt template {name} (looked in {prompts_dir or ''} {PROMPTS_DIR})") from None
    except jinja2.TemplateSyntaxError as e:
        raise ConfigError(f"prompt template {name} line {e.lineno}: {e.message}") from None
    missing = {"system", "user"} - set(template.blocks)
    if missing:
        raise ConfigError(f"prompt template {name} must define blocks 'system' and 'user' (missing {sorted(missing)})")
    try:
        parts = {}
        for block in ("system", "user"):
            ctx = template.new_context(dict(variables))
            parts[block] = "".join(template.blocks[block](ctx)).strip()
    except jinja2.UndefinedError as e:
        raise UsageError(f"prompt template {name}: {e.message}") from None
    messages = [{"role": "system", "content": parts["system"]}, {"role": "user", "content": parts["user"]}]
    return messages, hashlib.sha256(source.encode("utf-8")).hexdigest()


@lru_cache(maxsize=None)
def _schema(answer: type[BaseModel]) -> tuple[str, str]:
    """(schema JSON text, for the template and the Prompt); generating it costs ~7 ms per call."""
    return json.dumps(answer.model_json_schema(), ensure_ascii=False), answer.__name__


def constrained(schema: dict[str, Any], choices: dict[str, list[str]],
                limits: dict[str, dict[str, Any]] | None = None) -> dict[str, Any]:
    """``schema`` with every array property named in ``choices`` limited to those values (an ``enum``
    on its items), wherever it occurs ($defs included). Sent as the response format, it becomes a
    grammar in llama.cpp and guided decoding in vLLM: the model cannot write an id or a country code
    the prompt did not give. The validators stay as the second line (endpoints that ignore schemas)."""
    def walk(node: Any) -> None:
        if isinstance(node, dict):
            props = node.get("properties")
            if isinstance(props, dict):
                for name, values in choices.items():
                    p = props.get(name)
                    if isinstance(p, dict) and p.get("type") == "array" and isinstance(p.get("items"), dict) and values:
                        p["items"] = {**p["items"], "enum": list(dict.fromkeys(values))}
                # bounds (maxItems, maxLength): a grammar then ends the answer; a small model
                # otherwise loops until max_tokens inside a valid but endless array
                for name, bound in (limits or {}).items():
                    prop = props.get(name)
                    if isinstance(prop, dict):
                        prop.update(bound)
                        # an optional string (anyOf string|null): the bound belongs on the string
                        for branch in prop.get("anyOf", []):
                            if isinstance(branch, dict) and branch.get("type") == "string":
                                branch.update(bound)
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(schema)
    return schema


def make_prompt(template: str, settings: Settings, answer: type[BaseModel], *,
                choices: dict[str, list[str]] | None = None, limits: dict[str, dict[str, Any]] | None = None,
                max_tokens: int | None = None, offline: Callable[[dict], dict] | None = None,
                **data: Any) -> Prompt:
    """Render prompts/<template>.j2 with ``data`` plus ``language`` (output language) and ``schema``,
    the JSON schema of ``answer`` (the caller's answer model, as instructor's ``response_model``).
    ``choices`` ({"citations": ids, "countries": codes}) and ``limits`` constrain that schema
    (``constrained``); ``max_tokens`` lowers ``llm.max_tokens`` to what the bounded answer can need;
    ``offline`` is the stage's answer without a model (the extractive backend's)."""
    schema_text, _ = _schema(answer)
    schema = json.loads(schema_text)  # a private copy per Prompt
    if choices or limits:
        schema = constrained(schema, choices or {}, limits)
        schema_text = json.dumps(schema, ensure_ascii=False)
    data.setdefault("language", settings.output.language)
    variables = {**data, "schema": schema_text}
    messages, template_hash = render(template, variables, settings.llm.prompts_dir)
    return Prompt(
        task=template,
        messages=messages,
        schema_name=answer.__name__,
        json_schema=schema,
        data=data,
        params={"temperature": settings.llm.temperature,
                "max_tokens": min(settings.llm.max_tokens, max_tokens or settings.llm.max_tokens)},
        template_hash=template_hash,
        offline=offline,
    )
