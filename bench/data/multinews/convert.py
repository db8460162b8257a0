"""Builds clusters.jsonl, a small Multi-News sample, from a fetched mirror of the repository that holds it.

    python bench/data/multinews/convert.py /work/.mirror/TheAthleticCoder+Multi-Document-Summarization/repo

Source: Multi-News test split (Fabbri et al., ACL 2019) as kept in that repository's
``multi_news/sample_test.csv`` (250 clusters; columns documents = a Python list literal of article texts,
num_documents, summary). Kept: the first N clusters in file order with at least two non-empty
documents, unchanged except that the summary's leading "– " (a newser.com house style) is dropped and
empty documents are left out. One JSON object a line: {"id", "row", "summary", "documents": [text, ...]}.
"""

from __future__ import annotations

import argparse
import ast
import csv
import json
import subprocess
import sys
from pathlib import Path

COMMIT = "442595002f2e331d5e16e66222b2c525ad223df6"
PATH = "multi_news/sample_test.csv"
N = 50
OUT = Path(__file__).resolve().parent / "clusters.jsonl"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("git_dir", help="the mirror's git directory (as returned by fetch)")
    ap.add_argument("-n", type=int, default=N, help="clusters to keep")
    args = ap.parse_args()
    data = subprocess.run(["git", "--git-dir", args.git_dir, "show", f"{COMMIT}:{PATH}"], check=True,
                          capture_output=True).stdout.decode("utf-8")
    csv.field_size_limit(sys.maxsize)
    kept = []
    for row_no, row in enumerate(csv.DictReader(data.splitlines(keepends=True))):
        docs = [d.strip() for d in ast.literal_eval(row["documents"]) if d.strip()]
        if len(docs) < 2:
            continue
        summary = row["summary"].strip().removeprefix("–").strip()
        kept.append({"id": f"mn-test-{row_no:03d}", "row": row_no, "summary": summary, "documents": docs})
        if len(kept) == args.n:
            break
    with OUT.open("w", encoding="utf-8") as f:
        for c in kept:
            f.write(json.dumps(c, ensure_ascii=False) + "\n")
    print(f"{len(kept)} clusters, {sum(len(c['documents']) for c in kept)} documents -> {OUT}")


if __name__ == "__main__":
    main()
