"""A wall-clock deadline for HTTP requests made by the openai client.

httpx's timeouts apply to each socket operation: a server that drips one byte a second keeps a request
alive forever (300 s with ``timeout = 4``, measured). Here every connect, read, write and TLS handshake
of the calling thread is cut to the time left before its deadline, so a request ends by its deadline
however its bytes arrive -- in the status line, the headers or the body. The deadline is per thread
(the sync client does its I/O in the calling thread) and set around one request with ``until``.
"""

from __future__ import annotations

import importlib
import logging
import threading
import time
from contextlib import contextmanager
from typing import Any, Iterator

log = logging.getLogger(__name__)
_current = threading.local()


@contextmanager
def until(deadline: float) -> Iterator[None]:
    """Socket operations of this thread inside the block end by ``deadline`` (time.monotonic())."""
    previous = getattr(_current, "deadline", None)
    _current.deadline = deadline
    try:
        yield
    finally:
        _current.deadline = previous


def _cap(timeout: float | None, error: type[Exception]) -> float | None:
    deadline = getattr(_current, "deadline", None)
    if deadline is None:
        return timeout
    left = deadline - time.monotonic()
    if left <= 0:
        raise error("deadline passed")
    return left if timeout is None else min(timeout, left)


class _Stream:
    """A network stream whose every operation ends by the thread's deadline."""

    def __init__(self, inner: Any, core: Any):
        self._inner, self._core = inner, core

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, _cap(timeout, self._core.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, _cap(timeout, self._core.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(self, ssl_context: Any, server_hostname: str | None = None, timeout: float | None = None) -> "_Stream":
        inner = self._inner.start_tls(ssl_context, server_hostname, _cap(timeout, self._core.ConnectTimeout))
        return _Stream(inner, self._core)

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class _Network:
    """Wraps the connection pool's network backend (httpcore's or httpcore2's, whichever is used)."""

    def __init__(self, inner: Any, core: Any):
        self._inner, self._core = inner, core

    def connect_tcp(self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
                    socket_options: Any = None) -> _Stream:
        timeout = _cap(timeout, self._core.ConnectTimeout)
        return _Stream(self._inner.connect_tcp(host, port, timeout, local_address, socket_options), self._core)

    def connect_unix_socket(self, path: str, timeout: float | None = None, socket_options: Any = None) -> _Stream:
        timeout = _cap(timeout, self._core.ConnectTimeout)
        return _Stream(self._inner.connect_unix_socket(path, timeout, socket_options), self._core)

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


def arm(http_client: Any) -> bool:
    """Put the deadline under every transport of an httpx(2) client (the default one and the proxy
    mounts). httpx has no public hook at this level; False (and a warning) when its layout is not the
    one expected, so a library upgrade costs the deadline loudly, not silently."""
    transports = [getattr(http_client, "_transport", None), *getattr(http_client, "_mounts", {}).values()]
    armed = True
    for transport in filter(None, transports):
        pool = getattr(transport, "_pool", None)
        network = getattr(pool, "_network_backend", None)
        if network is None:
            armed = False
            continue
        if pool is not None and not isinstance(network, _Network):
            core = importlib.import_module(type(pool).__module__.split(".")[0])  # httpcore or httpcore2
            pool._network_backend = _Network(network, core)
    if not armed:
        log.warning("cannot enforce llm.timeout as a deadline with this httpx version: a server that "
                    "sends slowly may hold a request longer")
    return armed
