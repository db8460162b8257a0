"""Concurrency benchmark: N calls against the fake OpenAI server (tests/fakeserver.py) with a fixed
latency, through the real openai client and the LLM client's thread pool. Ideal time =
calls * latency / concurrency; the run must finish within 1.3x of it. Exit status 0 when it does.

    .venv/bin/python bench/llm_concurrency.py [--calls 100] [--latency 0.2] [--concurrency 8]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from fakeserver import FakeOpenAIServer  # noqa: E402

from briefings.config import Settings  # noqa: E402
from briefings.errors import LLMError  # noqa: E402
from briefings.llm import LLM, make_prompt  # noqa: E402
from briefings.schemas import VerifyAnswer  # noqa: E402

LIMIT = 1.3


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--calls", type=int, default=100)
    ap.add_argument("--latency", type=float, default=0.2)
    ap.add_argument("--concurrency", type=int, default=8)
    args = ap.parse_args(argv)

    answer = {"verdicts": [{"index": 0, "verdict": "supported", "reason": "stated"}]}
    with FakeOpenAIServer(latency=args.latency) as server, tempfile.TemporaryDirectory() as tmp:
        server.set_handler(lambda body: answer)
        settings = Settings()
        settings.run.data_dir = Path(tmp)
        settings.llm.backend = "openai"
        settings.llm.base_url = server.base_url
        settings.llm.model = "fake-model"
        settings.llm.cache = False  # every call must reach the server
        settings.llm.concurrency = args.concurrency
        prompts = [
            make_prompt("verify", settings, VerifyAnswer, items=[{"index": 0, "sentence": f"Sentence {i}.",
                                                    "spans": [{"id": "a:s1", "text": f"Source {i}."}]}])
            for i in range(args.calls)
        ]
        with LLM(settings) as llm:
            start = time.perf_counter()
            results = llm.ask_many(prompts, VerifyAnswer)
            elapsed = time.perf_counter() - start
        served = len(server.requests)
    failed = sum(isinstance(r, LLMError) for r in results)
    ideal = args.calls * args.latency / args.concurrency
    ratio = elapsed / ideal
    print(json.dumps({
        "calls": args.calls, "latency_s": args.latency, "concurrency": args.concurrency,
        "elapsed_s": round(elapsed, 3), "ideal_s": round(ideal, 3), "ratio": round(ratio, 3),
        "limit": LIMIT, "failed": failed, "server_requests": served, "usage": llm.usage.model_dump(),
    }))
    ok = ratio <= LIMIT and failed == 0 and served == args.calls
    print(f"ratio {ratio:.2f} (limit {LIMIT}): {'OK' if ok else 'FAILED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
