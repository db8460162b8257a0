"""A wall-clock deadline and a size limit for HTTP requests made by the openai client.

httpx's timeouts apply to each socket operation: a server that drips one byte a second keeps a request
alive forever (300 s with ``timeout = 4``, measured). Here every connect, read, write and TLS handshake
of the calling thread is cut to the time left before its deadline, so a request ends by its deadline
however its bytes arrive -- in the status line, the headers or the body. The deadline is per thread
(the sync client does its I/O in the calling thread) and set around one request with ``until``.

The same wrapper counts the bytes read for the request: past ``max_bytes`` the read raises
``AnswerTooLarge`` (issue #27 item 6: an endless body reached 3.1 GB of RSS in 20 s, then MemoryError),
so a response is never held in memory beyond its limit, however fast the server sends. What a
compressed body inflates to is counted against the same limit (a 300 KB gzip body made 300 MB).
"""

from __future__ import annotations

import importlib
import logging
import threading
import time
from contextlib import contextmanager
from typing import Any, Iterator

from ..errors import AnswerTooLarge

log = logging.getLogger(__name__)
_current = threading.local()


@contextmanager
def until(deadline: float, max_bytes: int | None = None) -> Iterator[None]:
    """Socket operations of this thread inside the block end by ``deadline`` (time.monotonic()), and
    read at most ``max_bytes`` (status line, headers and body) when it is given."""
    previous = (getattr(_current, "deadline", None), getattr(_current, "max_bytes", None),
                getattr(_current, "read", 0))
    _current.deadline, _current.max_bytes, _current.read = deadline, max_bytes, 0
    try:
        yield
    finally:
        _current.deadline, _current.max_bytes, _current.read = previous


def _count(n: int, counter: list[int]) -> None:
    limit = getattr(_current, "max_bytes", None)
    if limit is not None:
        counter[0] += n
        if counter[0] > limit:
            raise AnswerTooLarge(f"the response inflated to more than {limit:,} bytes", limit)


class _CountedDecoder:
    """An httpx(2) content decoder whose output counts against the request's limit."""

    def __init__(self, inner: Any):
        self._inner, self._decoded = inner, [0]

    def decode(self, data: bytes) -> Iterator[bytes]:
        for chunk in self._inner.decode(data):
            _count(len(chunk), self._decoded)
            yield chunk

    def flush(self) -> Iterator[bytes]:
        for chunk in self._inner.flush():
            _count(len(chunk), self._decoded)
            yield chunk


def _limit_decoding(response: Any) -> None:
    """Response hook (before the body is read): count what a Content-Encoding inflates to."""
    if getattr(_current, "max_bytes", None) is not None and response.headers.get("content-encoding"):
        response._decoder = _CountedDecoder(response._get_content_decoder())


def bytes_read() -> int:
    """Bytes read so far by this thread's request inside ``until``."""
    return getattr(_current, "read", 0)


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
        data = self._inner.read(max_bytes, _cap(timeout, self._core.ReadTimeout))
        limit = getattr(_current, "max_bytes", None)
        if limit is not None:
            _current.read += len(data)
            if _current.read > limit:  # not an httpcore error: the client neither maps nor retries it
                raise AnswerTooLarge(f"the response exceeded {limit:,} bytes", limit)
        return data

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
    hooks = getattr(http_client, "event_hooks", {}).get("response")  # run before the body is read
    if not isinstance(hooks, list):
        armed = False
    elif _limit_decoding not in hooks:
        hooks.append(_limit_decoding)
    if not armed:
        log.warning("cannot enforce llm.timeout as a deadline (or the size limit of answers) with this "
                    "httpx version: a server that sends slowly or endlessly may hold a request longer")
    return armed
