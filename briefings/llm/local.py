"""A local GGUF model: xllamacpp's embedded llama.cpp server on 127.0.0.1 (a free port), spoken to
through the ``openai`` backend. The server stops on ``close()``, on leaving a ``with`` block (also on
Ctrl-C and errors) and, as a last resort, at interpreter exit (atexit)."""

from __future__ import annotations

import atexit
import json
import logging
import os
import threading
import time
import urllib.request
from pathlib import Path

from ..config import Settings
from ..errors import ConfigError, LLMError
from .base import register
from .openai_backend import OpenAIBackend

log = logging.getLogger(__name__)
SPEED_FILE = "local-model-speed.json"  # measured tokens/s per model file, in run.data_dir
HEALTH_TIMEOUT = 120.0  # loading a multi-GB GGUF from a cold disk can take a while
# grammar-constrained output after a 2k-token prompt, with 50 ids in an enum, ran at 6.4 tokens/s where
# free text ran at 73 (SmolLM2 on 2 cores)
CONSTRAINED_SLOWDOWN = 10


def _model_key(path: Path) -> str:
    """A model file's identity: its path, size and modification time (a new download measures again)."""
    st = path.stat()
    return f"{path.resolve()}:{st.st_size}:{int(st.st_mtime)}"


def _default_threads() -> int:
    """The usable CPUs that are idle now (1-minute load average), at least one. llama.cpp's threads
    spin: on a busy 2-core box 2 threads were 10x slower than 1, on an idle one 2 threads read prompts
    1.8x faster (bench/local_model.py)."""
    try:
        n = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        n = os.cpu_count() or 1
    try:
        load = os.getloadavg()[0]
    except OSError:
        return max(1, n // 2)
    return max(1, min(n, int(n - load + 0.5)))


class LocalServer:
    """Owns one xllamacpp.Server; ``base_url`` is its OpenAI-compatible /v1 root."""

    def __init__(self, model_path: str | Path, n_ctx: int = 8192, parallel: int = 2, threads: int | None = None):
        self.model_path = Path(model_path)
        self.n_ctx, self.parallel, self.threads = n_ctx, parallel, threads
        self._server = None
        self._lock = threading.Lock()
        self.base_url: str | None = None

    def start(self, health_timeout: float = HEALTH_TIMEOUT) -> "LocalServer":
        if not self.model_path.is_file():
            raise ConfigError(f"llm.model_path: no GGUF file at {self.model_path}")
        try:
            import xllamacpp as xlc
        except ImportError:
            raise ConfigError("the local backend needs xllamacpp: pip install 'briefings[local]'") from None
        params = xlc.CommonParams()
        params.model.path = str(self.model_path)
        params.hostnames = ["127.0.0.1"]  # never listen beyond this machine
        params.port = 0  # the OS picks a free port; listening_address tells us which
        params.n_parallel = self.parallel
        params.n_ctx = self.n_ctx * self.parallel  # llama.cpp splits the context across slots
        params.verbosity = 0
        # llama.cpp's default counts the machine's cores, not the ones this process may use
        threads = self.threads or _default_threads()
        params.cpuparams.n_threads = threads
        params.cpuparams_batch.n_threads = threads
        try:
            server = xlc.Server(params)
        except Exception as e:
            raise LLMError(f"cannot start the local model server for {self.model_path.name}: {e}") from None
        with self._lock:
            self._server = server
        self.base_url = server.listening_address.rstrip("/") + "/v1"
        atexit.register(self.stop)
        self._wait_healthy(server.listening_address.rstrip("/") + "/health", health_timeout)
        return self

    def _wait_healthy(self, url: str, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(url, timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                pass
            if time.monotonic() > deadline:
                self.stop()
                raise LLMError(f"the local model server did not become healthy within {timeout:g}s")
            time.sleep(0.1)

    @property
    def running(self) -> bool:
        return self._server is not None

    def stop(self) -> None:
        """Idempotent. Dropping the last reference runs the server's destructor, which stops it."""
        with self._lock:
            server, self._server = self._server, None
        if server is not None:
            del server
            atexit.unregister(self.stop)
            log.info("local model server stopped")

    def __enter__(self) -> "LocalServer":
        return self if self.running else self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


@register
class LocalBackend(OpenAIBackend):
    """A slow call to our own server is progress, not a fault: each request gets the time its size
    needs at the throughput measured at start (never less than llm.timeout), and a timed-out request is
    not retried (it would start again from zero on the same CPU)."""

    name = "local"
    supports_json_schema = True  # llama.cpp turns the schema into a grammar
    needs_key = False
    retry_on_timeout = False
    prompt_tps: float | None = None  # prompt tokens/s, measured by warm_up()
    output_tps: float | None = None  # generated tokens/s

    @property
    def constrained_tps(self) -> float | None:
        """Tokens/s written under a JSON-schema grammar after a long prompt: what answers are sized by
        (extract, compose) and what deadlines count output at."""
        return self.output_tps / CONSTRAINED_SLOWDOWN if self.output_tps else None

    @classmethod
    def preflight(cls, settings: Settings) -> None:
        if not settings.llm.model_path:
            raise ConfigError("the local backend needs llm.model_path (a GGUF file; BRIEFINGS_LLM_MODEL_PATH)")
        if not Path(settings.llm.model_path).is_file():
            raise ConfigError(f"llm.model_path: no GGUF file at {settings.llm.model_path}")

    def __init__(self, settings: Settings):
        self.preflight(settings)
        model_path = Path(settings.llm.model_path or "")  # preflight: set and a file
        # one request at a time: on a CPU, parallel requests share the same cores (no faster in total),
        # and a request waiting for a slot would spend its deadline in the queue (seeds: two packs in
        # parallel both timed out)
        self.server = LocalServer(model_path, parallel=1)
        self._one_at_a_time = threading.Lock()
        self.context_tokens = self.server.n_ctx  # per request slot: extraction packs are cut to fit
        self.server.start()
        try:
            super().__init__(settings, base_url=self.server.base_url, model=model_path.stem)
        except BaseException:
            self.server.stop()
            raise
        # the model file, not the server's URL: its port is new on every run, the answers are not
        self.endpoint = f"gguf:{model_path.resolve()}"
        self._speed_file = Path(settings.run.data_dir) / SPEED_FILE
        self._speed_key = _model_key(model_path)
        if not self._load_speed():
            try:
                self.warm_up()
                self._save_speed()
            except Exception as e:  # noqa: BLE001 - a failed measurement leaves llm.timeout in force
                log.warning("local model warm-up failed (%s): requests get llm.timeout", e)

    # The rates size packs and answer bounds, so they shape the prompts and with them the cache keys:
    # measured afresh each run they differed by 30 % and an identical rerun of the seeds made 13 calls
    # instead of 0. Measured once per model file and kept in the data dir, they make reruns identical.
    def _load_speed(self) -> bool:
        try:
            known = json.loads(self._speed_file.read_text(encoding="utf-8")).get(self._speed_key)
            prompt_tps, output_tps = float(known["prompt_tps"]), float(known["output_tps"])
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            return False
        if not (prompt_tps > 0 and output_tps > 0):
            return False
        self.prompt_tps, self.output_tps = prompt_tps, output_tps
        log.info("local model: %.0f prompt tokens/s, %.1f output tokens/s (measured before; delete %s to "
                 "measure again)", prompt_tps, output_tps, self._speed_file)
        return True

    def _save_speed(self) -> None:
        from ..fsutil import atomic_write

        try:
            known = json.loads(self._speed_file.read_text(encoding="utf-8"))
            known = known if isinstance(known, dict) else {}
        except (OSError, ValueError):
            known = {}
        # this run uses exactly what the next one will read back
        self.prompt_tps, self.output_tps = round(self.prompt_tps or 0, 1), round(self.output_tps or 0, 1)
        known[self._speed_key] = {"prompt_tps": self.prompt_tps, "output_tps": self.output_tps,
                                  "measured_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
        try:
            atomic_write(self._speed_file, json.dumps(known, indent=2, sort_keys=True) + "\n")
        except Exception as e:  # noqa: BLE001 - not kept: the next run measures again
            log.warning("cannot keep the local model's measured speed in %s: %s", self._speed_file, e)

    def warm_up(self) -> None:
        """Measure prompt and output throughput with two short requests (a few seconds on 2 cores)."""
        model = self.model or "local"
        filler = "The committee met on Monday and discussed the budget, the schedule and the staff. " * 12
        t = time.monotonic()
        r = self.client.chat.completions.create(model=model, max_tokens=1, temperature=0,
                                                messages=[{"role": "user", "content": filler}], timeout=300)
        prefill = time.monotonic() - t
        self.prompt_tps = (r.usage.prompt_tokens if r.usage else 200) / max(prefill, 1e-3)
        t = time.monotonic()
        r = self.client.chat.completions.create(model=model, max_tokens=24, temperature=0,
                                                messages=[{"role": "user", "content": "Count from one to twenty."}],
                                                timeout=300)
        elapsed = time.monotonic() - t
        made = r.usage.completion_tokens if r.usage else 24
        self.output_tps = max(made, 1) / max(elapsed - 20 / self.prompt_tps, 1e-3)
        log.info("local model: %.0f prompt tokens/s, %.1f output tokens/s", self.prompt_tps, self.output_tps)

    def execute(self, prompt):
        with self._one_at_a_time:  # the deadline starts when the server takes the request, not before
            started = time.monotonic()
            response = super().execute(prompt)
        took = time.monotonic() - started
        # what a slow CPU is doing, call by call (log file, --log-json): tokens and rates
        log.info("local model %s: %d prompt + %d output tokens in %.1f s (%.1f output tokens/s)", prompt.task,
                 response.prompt_tokens, response.completion_tokens, took, response.completion_tokens / max(took, 1e-3))
        return response

    def request_timeout(self, prompt) -> float:
        """Twice what the request should take at the measured rates, at least llm.timeout; output is
        counted at the constrained rate (``constrained_tps``)."""
        constrained = self.constrained_tps
        if not self.prompt_tps or not constrained:
            return self.timeout
        prompt_tokens = sum(len(str(m.get("content", ""))) for m in prompt.messages) / 3.5
        expected = prompt_tokens / self.prompt_tps + prompt.params.get("max_tokens", 1024) / constrained
        return max(self.timeout, 2 * expected + 10)

    def __enter__(self) -> "LocalBackend":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        try:
            super().close()
        finally:
            self.server.stop()
