"""Story grouping recall at scale: injected rewrites (bench/corpus.py near duplicates) found in the same
story as their original, and wrong groupings, for the MinHash grouping (briefings/stories.py), the
shared-bigram index, and their union (what ingest uses).

    python bench/stories.py [-n 10000] [--threshold 0.3]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from corpus import make_corpus  # noqa: E402


def score(docs, groups: dict[str, str]) -> dict:
    by = {d.name: d for d in docs}
    near = [d for d in docs if d.kind == "near_dup"]
    found = sum(groups[d.name] == groups[d.of] for d in near)
    root = {d.name: (d.of if d.kind != "original" else d.name) for d in docs}  # the story each doc tells
    size = Counter(groups.values())
    # a wrong grouping: an article in a group whose first article tells another story
    wrong = sum(1 for d in docs if size[groups[d.name]] > 1 and root[d.name] != root[by[groups[d.name]].name])
    return {"rewrites": len(near), "found": found, "recall": found / max(1, len(near)),
            "wrong": wrong, "wrong_rate": wrong / len(docs)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("-n", type=int, default=10_000)
    ap.add_argument("--threshold", type=float, default=None)
    ap.add_argument("--old", action="store_true", help="also the shared-bigram index, alone and joined (as ingest does)")
    args = ap.parse_args()
    docs = [d for d in make_corpus(args.n, seed=0) if d.kind != "exact_dup"]  # exact dups merge at ingest
    names, texts = [d.name for d in docs], [d.text for d in docs]

    from briefings import stories

    t = time.perf_counter()
    sigs = [stories.signature(x) for x in texts]
    t_sig = time.perf_counter() - t
    t = time.perf_counter()
    groups = stories.group_stories(names, sigs, args.threshold or stories.JACCARD)
    t_group = time.perf_counter() - t
    r = score(docs, groups)
    print(f"minhash  n={len(docs)}: rewrites found {r['found']}/{r['rewrites']} ({r['recall']:.1%}), wrong "
          f"groupings {r['wrong']} ({r['wrong_rate']:.2%}); sign {t_sig:.1f} s, group {t_group:.1f} s")
    if args.old:
        from briefings.ingest import _bigrams, group_stories as old_group
        from briefings.models import Article

        arts = [Article(id=n, source=n, language="en", text=x) for n, x in zip(names, texts)]
        t = time.perf_counter()
        old = old_group(arts, 0.15, [_bigrams(x) for x in texts])
        r = score(docs, old)
        print(f"bigrams  n={len(docs)}: rewrites found {r['found']}/{r['rewrites']} ({r['recall']:.1%}), wrong "
              f"groupings {r['wrong']} ({r['wrong_rate']:.2%}); {time.perf_counter() - t:.1f} s")
        from briefings.ingest import union_groups

        both = union_groups(names, groups, old)
        r = score(docs, both)
        print(f"union    n={len(docs)}: rewrites found {r['found']}/{r['rewrites']} ({r['recall']:.1%}), wrong "
              f"groupings {r['wrong']} ({r['wrong_rate']:.2%})")


if __name__ == "__main__":
    main()
