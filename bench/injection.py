"""Benchmark: the cost of ``briefings.injection.addresses_model`` on real news sentences, and what it flags.

    python bench/injection.py [-n 2000] [--repeat 5]

Sentences: every sentence of seeds/ and then of the Multi-News documents (bench/data/multinews) until
``-n`` English sentences; then the 7,200 sentences of bench/data/wikineural/sample.jsonl (de, en, es,
fr, it, nl, pl, pt, ru) as a second, multilingual set. The uncached function is timed (every sentence of
a new article is new), best of ``--repeat`` runs; the sentences it flags are printed: each is a false
positive unless a real article carries an attack.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from briefings.injection import addresses_model  # noqa: E402
from briefings.segment import split_sentences  # noqa: E402


def english(n: int) -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted((HERE.parent / "seeds").glob("*.txt"))]
    with (HERE / "data" / "multinews" / "clusters.jsonl").open(encoding="utf-8") as f:
        texts += [d for line in f for d in json.loads(line)["documents"]]
    out: list[str] = []
    for t in texts:
        out += [t[a:b] for a, b in split_sentences(t, "en")]
        if len(out) >= n:
            break
    return out[:n]


def multilingual() -> list[str]:
    with (HERE / "data" / "wikineural" / "sample.jsonl").open(encoding="utf-8") as f:
        return [json.loads(line)["text"] for line in f]


def timed(sentences: list[str], repeat: int) -> tuple[float, list[str]]:
    fn = addresses_model.__wrapped__  # type: ignore[attr-defined]
    for s in sentences[:50]:  # compile the patterns, load the tables
        fn(s)
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        flagged = [s for s in sentences if fn(s)]
        best = min(best, time.perf_counter() - start)
    return best / len(sentences) * 1e6, flagged


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("-n", type=int, default=2000)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    for name, sentences in (("english news", english(args.n)), ("wikineural, 9 languages", multilingual())):
        us, flagged = timed(sentences, args.repeat)
        print(f"{name}: {len(sentences)} sentences, {us:.1f} µs a sentence, {len(flagged)} flagged")
        for s in flagged:
            print("   ", s[:160])


if __name__ == "__main__":
    main()
