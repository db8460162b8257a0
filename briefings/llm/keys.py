"""API key lookup. The key is returned to the caller that builds the HTTP client and nowhere else:
it is never stored on settings, logged, cached or written (only the *name* of its variable is)."""

from __future__ import annotations

import os
from urllib.parse import urlparse

from ..config import Settings
from ..errors import MissingKey

LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
DUMMY_KEY = "sk-local-no-key"  # local servers ignore the key, but the openai client wants one


def key_variables(settings: Settings) -> list[str]:
    """The fixed lookup order: the configured variable, then BRIEFINGS_API_KEY, then OPENAI_API_KEY."""
    order = [settings.llm.api_key_env, "BRIEFINGS_API_KEY", "OPENAI_API_KEY"]
    return list(dict.fromkeys(v for v in order if v))


def find_key(settings: Settings, environ: dict[str, str] | None = None) -> tuple[str | None, str | None]:
    """(key, variable it came from), or (None, None)."""
    environ = os.environ if environ is None else environ
    for var in key_variables(settings):
        if environ.get(var):
            return environ[var], var
    return None, None


def is_local(base_url: str | None) -> bool:
    return bool(base_url) and urlparse(base_url).hostname in LOCAL_HOSTS


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


def scrub(text: str, key: str | None) -> str:
    """Remove the key (and its visible tail, as some servers echo 'sk-...abcd') from a message."""
    if key and key != DUMMY_KEY:
        text = text.replace(key, "***")
        if len(key) > 8:
            text = text.replace(key[-4:], "****")
    return text
