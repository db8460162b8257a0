"""`briefings doctor`: what is configured and whether it works. Never prints a key, only its source;
credentials in the endpoint URL are masked."""

from __future__ import annotations

import http.client
import sqlite3
import urllib.error
import urllib.request
from pathlib import Path

from .config import Settings, mask_url
from .llm.base import Backend

Check = tuple[str, "bool | None", str]  # (name, ok, detail); ok None = not applicable
ENDPOINT_TIMEOUT = 3.0


def _size(n: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024  # type: ignore[assignment]
    return f"{n} B"


def _backend(settings: Settings) -> tuple[Check, type | None]:
    from .llm import REGISTRY

    cls = REGISTRY.get(settings.llm.backend)
    if cls is None:
        return ("backend", False, f"unknown backend {settings.llm.backend!r}; registered: {', '.join(sorted(REGISTRY))}"), None
    caps = [c for c, on in (("json schema", cls.supports_json_schema), ("needs key", cls.needs_key),
                            ("model calls", cls.makes_calls)) if on]
    return ("backend", True, f"{cls.name} ({', '.join(caps) or 'embedded'})"), cls


def _key(settings: Settings, cls: type[Backend] | None) -> Check:
    from .llm.keys import find_key, is_local, key_variables

    if cls is None or not cls.needs_key:
        return ("key", None, "not needed by this backend")
    _, var = find_key(settings)
    if var:
        return ("key", True, f"set (from {var})")
    if is_local(settings.llm.base_url):
        return ("key", True, "not set; not needed for a local endpoint")
    return ("key", False, f"not set: set {settings.llm.api_key_env} (looked in {', '.join(key_variables(settings))})")


def _endpoint(settings: Settings, cls: type[Backend] | None) -> tuple[Check, list[str]]:
    if cls is None or cls.name != "openai":
        return ("endpoint", None, "not used by this backend"), []
    from .llm.keys import find_key, scrub

    base = (settings.llm.base_url or "https://api.openai.com/v1").rstrip("/")
    shown = mask_url(base) or base
    key, _ = find_key(settings)

    def safe(text: str) -> str:  # an error may quote the URL, or the server may echo the key
        return scrub(text.replace(base, shown), key)

    try:
        import json

        request = urllib.request.Request(f"{base}/models")
        if key:
            request.add_header("Authorization", f"Bearer {key}")
        with urllib.request.urlopen(request, timeout=ENDPOINT_TIMEOUT) as r:
            body = json.loads(r.read() or b"{}")
        models = [m.get("id", "") for m in body.get("data", []) if isinstance(m, dict)]
        return ("endpoint", True, f"{shown} reachable ({len(models)} models)"), models
    except urllib.error.HTTPError as e:
        # the server answered: reachable, but e.g. 401 without a key
        return ("endpoint", e.code < 500 and e.code != 404, f"{shown}/models answered HTTP {e.code}"), []
    except (OSError, ValueError, http.client.HTTPException) as e:
        reason = getattr(e, "reason", e)
        return ("endpoint", False, safe(f"{shown} not reachable: {reason}")), []


def _model(settings: Settings, cls: type[Backend] | None, listed: list[str]) -> Check:
    if cls is None:
        return ("model", None, "no backend")
    if cls.name == "local":
        path = settings.llm.model_path
        if not path:
            return ("model", False, "llm.model_path is not set (a GGUF file)")
        p = Path(path)
        return ("model", p.is_file(), f"{p} ({_size(p.stat().st_size)})" if p.is_file() else f"{p} not found")
    if not cls.makes_calls:
        return ("model", None, "embedded, no model")
    from .llm.openai_backend import DEFAULT_MODEL

    model = settings.llm.model or DEFAULT_MODEL
    if listed:
        return ("model", model in listed, f"{model} {'listed' if model in listed else 'not listed'} by the endpoint")
    return ("model", None, f"{model} (not checked)")


def _tokenizer(settings: Settings) -> Check:
    try:
        from . import tokens

        enc = tokens.encoding(settings.segment.encoding)
        return ("tokenizer", True, f"{enc.name} available offline")
    except ImportError as e:
        return ("tokenizer", None, f"not available: {e}")
    except Exception as e:  # tiktoken raises various errors when it would need the network
        return ("tokenizer", False, f"{settings.segment.encoding} not available offline: {e}")


def _pdf() -> Check:
    try:
        import weasyprint
        from weasyprint.text.ffi import harfbuzz_subset

        subset = ("fonts subset with HarfBuzz" if harfbuzz_subset else
                  "fonts subset with fontTools (install libharfbuzz-subset0 for faster PDFs)")
        return ("pdf", True, f"weasyprint {weasyprint.__version__}, {subset}")
    except (ImportError, OSError) as e:  # OSError: missing system libraries (pango)
        return ("pdf", False, f"weasyprint unusable: {e}")


def _cache(settings: Settings) -> Check:
    from .llm.client import cache_path

    path = cache_path(settings)
    if not settings.llm.cache:
        return ("cache", None, f"disabled ({path})")
    if not path.exists():
        return ("cache", True, f"{path} (empty, not created yet)")
    size = sum(p.stat().st_size for p in (path, Path(f"{path}-wal")) if p.is_file())
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)
        try:
            verdict = conn.execute("PRAGMA quick_check").fetchone()[0]
            n = conn.execute("SELECT COUNT(*) FROM responses").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error as e:
        return ("cache", False, f"{path} unreadable ({e}): the next run moves it aside and starts afresh")
    if verdict != "ok":
        return ("cache", False, f"{path} damaged ({verdict}): the next run moves it aside and starts afresh")
    return ("cache", True, f"{path} ({n} responses, {_size(size)}, integrity ok)")


def _store(settings: Settings) -> Check | None:
    """The ingest store, once there is one (None before the first ingest)."""
    from .store import Store

    path = settings.db_path
    if not path.exists():
        return None
    try:
        store = Store(path, repair=False)  # doctor reports; the next run moves a broken store aside
        try:
            r = store.check()
        finally:
            store.close()
    except Exception as e:  # OutputError, sqlite3.DatabaseError: whatever it is, doctor reports it
        return ("store", False, f"{path} unreadable ({e}): the next run moves it aside and reads the sources again")
    counts = f"{r['files']} files, {r['articles']} articles"
    if r["integrity"] != "ok":
        return ("store", False, f"{path} damaged ({r['integrity']}): move it aside; sources are then read again")
    bad = int(r["bad_files"]) + int(r["bad_articles"])
    if bad:
        return ("store", False, f"{path} ({counts}): {bad} unreadable rows, their sources are read again on the next run")
    return ("store", True, f"{path} ({counts}, {_size(path.stat().st_size)}, integrity ok)")


def doctor(settings: Settings) -> list[Check]:
    backend, cls = _backend(settings)
    endpoint, listed = _endpoint(settings, cls)
    return [
        backend,
        endpoint,
        _model(settings, cls, listed),
        _key(settings, cls),
        _tokenizer(settings),
        _pdf(),
        _cache(settings),
        *filter(None, [_store(settings)]),
    ]
