"""API key lookup. The key is returned to the caller that builds the HTTP client and nowhere else:
it is never stored on settings, logged, cached or written (only the *name* of its variable is)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from urllib.parse import urlsplit

from ..config import Settings, mask_url
from ..errors import MissingKey
from ..redact import redact

LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
OPENAI_URL = "https://api.openai.com/v1"  # what the openai client talks to without a base URL
DEFAULT_PORTS = {"http": 80, "https": 443}
DUMMY_KEY = "sk-local-no-key"  # local servers ignore the key, but the openai client wants one


def key_variables(settings: Settings) -> list[str]:
    """The fixed lookup order: the configured variable, then BRIEFINGS_API_KEY, then OPENAI_API_KEY."""
    order = [settings.llm.api_key_env, "BRIEFINGS_API_KEY", "OPENAI_API_KEY"]
    return list(dict.fromkeys(v for v in order if v))


def find_key(settings: Settings, environ: dict[str, str] | None = None) -> tuple[str | None, str | None]:
    """(key, variable it came from), or (None, None)."""
    env: Mapping[str, str] = os.environ if environ is None else environ
    for var in key_variables(settings):
        if env.get(var):
            return env[var], var
    return None, None


def is_local(base_url: str | None) -> bool:
    try:
        return bool(base_url) and urlsplit(base_url).hostname in LOCAL_HOSTS
    except ValueError:
        return False


def endpoint_id(base_url: str | None) -> str:
    """The endpoint's identity for cache keys: scheme, host, port, path, non-secret query;
    no credentials, no trailing slash, default port and case differences ignored."""
    url = base_url or OPENAI_URL
    try:
        parts = urlsplit(url)
        scheme, host, port = parts.scheme.lower(), (parts.hostname or "").lower(), parts.port
    except ValueError:
        return mask_url(url) or ""
    netloc = f"[{host}]" if ":" in host else host
    if port is not None and port != DEFAULT_PORTS.get(scheme):
        netloc += f":{port}"
    query = urlsplit(mask_url(url) or "").query  # secret values masked: hashed, but still never stored
    return f"{scheme}://{netloc}{parts.path.rstrip('/')}" + (f"?{query}" if query else "")


def require_key(
    settings: Settings, environ: dict[str, str] | None = None, base_url: str | None = None
) -> tuple[str, str | None]:
    """The key to use, or a dummy one for a local endpoint; raises MissingKey naming the variable."""
    key, var = find_key(settings, environ)
    if key:
        return key, var
    if is_local(base_url or settings.llm.base_url):
        return DUMMY_KEY, None
    raise MissingKey(settings.llm.api_key_env)


def scrub_answer(text: str, key: str | None) -> str:
    """A model's answer without the key in any recognisable form: every run of 8+ of its characters
    (head, middle, tail or reversed), found after normalisation (invisible characters and spaces
    dropped, confusables mapped, case ignored, escapes decoded) and inside base64 and hex
    (``briefings/redact.py`` has the rule). An endpoint that echoes the Authorization header, however
    altered, must not put the key into outputs or the cache."""
    if not key or key == DUMMY_KEY or not text:
        return text
    return redact(text, [key])


def scrub(text: str, key: str | None) -> str:
    """A message without the key, its 8+ character runs and its visible tail (servers echo
    'sk-...abcd'). Harsher than ``scrub_answer``: a message may lose four innocent characters."""
    if key and key != DUMMY_KEY:
        text = scrub_answer(text, key)
        if len(key) > 8:
            text = text.replace(key[-4:], "****")
    return text
