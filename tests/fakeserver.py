"""A scriptable fake OpenAI-compatible HTTP server for tests and benchmarks (stdlib only).

Speaks ``POST /v1/chat/completions`` (with ``usage``) and ``GET /v1/models`` on 127.0.0.1, a free
port. Each chat request takes the next scripted reply from the queue (``enqueue``); when the queue is
empty, the handler (``set_handler(fn)``, ``fn(request_json) -> reply``) answers; with neither, a 500.

A reply is a ``str`` (the assistant's content), a ``dict`` (sent as JSON content) or a ``Reply`` for
status codes, headers, raw bodies, hangs, slow drips, truncation and endless bodies. ``latency`` (seconds)
delays every reply. ``requests`` holds every chat request body received, ``request_times`` their arrival
times, ``bytes_sent`` the body bytes written for each endless reply.

    with FakeOpenAIServer() as srv:
        srv.enqueue({"claims": []}, Reply.error(429, retry_after=1), Reply.hang(5))
        OpenAI(base_url=srv.base_url, api_key="x") ...
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable, Union

MODEL_ID = "fake-model"


@dataclass
class Reply:
    content: str | None = None  # the assistant message content (status 200)
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: str | bytes | None = None  # raw body, overrides everything else
    delay: float = 0.0  # extra seconds before answering (a "hang" when beyond the client timeout)
    finish_reason: str = "stop"
    usage: dict[str, int] | None = None  # default: ~4 chars per token
    drip: float = 0.0  # seconds between bytes of the body: a server that sends, but too slowly
    endless: str | None = None  # "json", "sse" or "length": a body that never ends (see ``Reply.flood``)

    @classmethod
    def error(cls, status: int, message: str = "fake error", retry_after: float | None = None) -> "Reply":
        headers = {"Retry-After": f"{retry_after:g}"} if retry_after is not None else {}
        body = json.dumps({"error": {"message": message, "type": "fake", "code": status}})
        return cls(status=status, headers=headers, body=body)

    @classmethod
    def hang(cls, seconds: float, then: str = "{}") -> "Reply":
        return cls(content=then, delay=seconds)

    @classmethod
    def flood(cls, kind: str = "json") -> "Reply":
        """A body that never ends, as fast as the client reads: "json" (a chat completion whose content
        string never closes, chunked), "sse" (server-sent chunks without [DONE]) or "length" (the same
        JSON under a Content-Length of 1 TB)."""
        return cls(endless=kind)

    @classmethod
    def truncated(cls, content: str) -> "Reply":
        """The model ran out of tokens mid-answer."""
        return cls(content=content, finish_reason="length")


Script = Union[str, dict, Reply]
Handler = Callable[[dict], Script]


def _tokens(text: str) -> int:
    return max(1, len(text) // 4)


class FakeOpenAIServer:
    def __init__(self, latency: float = 0.0):
        self.latency = latency
        self.requests: list[dict[str, Any]] = []
        self.request_times: list[float] = []
        self.headers: list[dict[str, str]] = []  # request headers, to check what the client sent
        self.bytes_sent: list[int] = []  # body bytes written for each endless reply, until the client left
        self._queue: deque[Script] = deque()
        self._handler: Handler | None = None
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.base_url = ""

    # -- scripting -------------------------------------------------------------------------

    def enqueue(self, *replies: Script) -> "FakeOpenAIServer":
        with self._lock:
            self._queue.extend(replies)
        return self

    def set_handler(self, fn: Handler | None) -> "FakeOpenAIServer":
        self._handler = fn
        return self

    def reset(self) -> None:
        with self._lock:
            self._queue.clear()
            self.requests.clear()
            self.request_times.clear()
            self.headers.clear()
            self.bytes_sent.clear()
        self._handler = None
        self.latency = 0.0

    def _next(self, body: dict) -> Reply:
        with self._lock:
            self.requests.append(body)
            self.request_times.append(time.monotonic())
            item = self._queue.popleft() if self._queue else None
        if item is None and self._handler is not None:
            item = self._handler(body)
        if item is None:
            return Reply.error(500, "fakeserver: no reply scripted")
        if isinstance(item, dict):
            return Reply(content=json.dumps(item))
        if isinstance(item, str):
            return Reply(content=item)
        return item

    def _sleep(self, seconds: float) -> None:
        self._stopping.wait(seconds)  # returns early when the server stops

    # -- lifecycle -------------------------------------------------------------------------

    def start(self) -> "FakeOpenAIServer":
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, like real endpoints
            # headers and body go out in two writes; with Nagle + delayed ACK each reply on a
            # kept-alive connection would stall ~40 ms
            disable_nagle_algorithm = True

            def log_message(self, *args: Any) -> None:  # quiet
                pass

            def _send(self, status: int, body: str | bytes, headers: dict[str, str] | None = None,
                      drip: float = 0.0) -> None:
                data = body.encode("utf-8") if isinstance(body, str) else body
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    for k, v in (headers or {}).items():
                        self.send_header(k, v)
                    self.end_headers()
                    if not drip:
                        self.wfile.write(data)
                    for i in range(len(data) if drip else 0):
                        self.wfile.write(data[i:i + 1])
                        self.wfile.flush()
                        if server._stopping.wait(drip):
                            return
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (timeout); nothing to do

            def _flood(self, kind: str) -> None:
                """Write an endless body until the client hangs up or the server stops."""
                sse = kind == "sse"
                head = ('{"id": "chatcmpl-flood", "object": "chat.completion", "created": 0, "model": "fake-model", '
                        '"choices": [{"index": 0, "finish_reason": null, "message": {"role": "assistant", '
                        '"content": "').encode()
                piece = (b'data: {"id": "c", "object": "chat.completion.chunk", "choices": [{"index": 0, '
                         b'"delta": {"content": "' + b"flood " * 100 + b'"}}]}\n\n') if sse else b"flood " * 10_000
                sent = 0
                try:
                    self.send_response(200)
                    self.send_header("Content-Type", "text/event-stream" if sse else "application/json")
                    if kind == "length":
                        self.send_header("Content-Length", str(10**12))
                    else:
                        self.send_header("Transfer-Encoding", "chunked")
                    self.end_headers()
                    chunked = kind != "length"
                    first = b"" if sse else head
                    while not server._stopping.is_set():
                        data = first + piece
                        first = b""
                        self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data) if chunked else data)
                        sent += len(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client stopped reading: what the test wants
                finally:
                    with server._lock:
                        server.bytes_sent.append(sent)
                    self.close_connection = True

            def do_GET(self) -> None:
                if self.path.rstrip("/") in ("/v1/models", "/models"):
                    body = {"object": "list", "data": [{"id": MODEL_ID, "object": "model", "created": 0, "owned_by": "fake"}]}
                    self._send(200, json.dumps(body))
                else:
                    self._send(404, json.dumps({"error": {"message": "not found"}}))

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                if self.path.rstrip("/") not in ("/v1/chat/completions", "/chat/completions"):
                    self._send(404, json.dumps({"error": {"message": "not found"}}))
                    return
                try:
                    body = json.loads(raw or b"{}")
                except json.JSONDecodeError:
                    self._send(400, json.dumps({"error": {"message": "bad json"}}))
                    return
                with server._lock:
                    server.headers.append({k.lower(): v for k, v in self.headers.items()})
                reply = server._next(body)
                server._sleep(server.latency + reply.delay)
                if server._stopping.is_set():
                    return
                if reply.endless:
                    self._flood(reply.endless)
                    return
                if reply.body is not None:
                    self._send(reply.status, reply.body, reply.headers, reply.drip)
                    return
                content = reply.content or ""
                prompt_text = "".join(str(m.get("content", "")) for m in body.get("messages", []))
                usage = reply.usage or {"prompt_tokens": _tokens(prompt_text), "completion_tokens": _tokens(content)}
                usage = {**usage, "total_tokens": usage["prompt_tokens"] + usage["completion_tokens"]}
                answer = {
                    "id": f"chatcmpl-fake-{len(server.requests)}",
                    "object": "chat.completion",
                    "created": int(time.time()),
                    "model": body.get("model") or MODEL_ID,
                    "choices": [{
                        "index": 0,
                        "message": {"role": "assistant", "content": content},
                        "finish_reason": reply.finish_reason,
                    }],
                    "usage": usage,
                }
                self._send(reply.status, json.dumps(answer), reply.headers, reply.drip)

        class Server(ThreadingHTTPServer):
            daemon_threads = True  # a hanging handler must not block shutdown
            request_queue_size = 128

        self._stopping.clear()
        self._httpd = Server(("127.0.0.1", 0), Handler)
        host, port = self._httpd.server_address[:2]
        self.base_url = f"http://{host}:{port}/v1"
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> "FakeOpenAIServer":
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()

