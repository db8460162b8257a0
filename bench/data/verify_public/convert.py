"""Public human-labelled factual-consistency data -> check-claims rows (bench/data/verify_public/*.jsonl.gz).

Re-runnable from the fetched mirrors (bare git dirs), nothing downloaded here:

    .venv/bin/python bench/data/verify_public/convert.py \
        --aggrefact /work/.mirror/Liyan06+AggreFact/repo --factualnlg /work/.mirror/salesforce+factualNLG/repo

Datasets (see README.md here for sources, commits and licences):
- ``cliff``: BART and PEGASUS summaries of XSum and CNN/DM articles, labelled by people (Cao & Wang 2021),
  from AggreFact's ``data/error_type_mapping/CLIFF_error_types.csv`` (error_type "correct" = faithful).
- ``goyal21``: XSum and CNN/DM summaries with span-level human error labels (Goyal & Durrett 2021), same
  place (no error type = faithful).
- ``summedits_news``: SummEdits news domain (Laban et al. 2023): GPT summaries and edited variants, each
  labelled consistent or not by annotators.

One row per summary sentence (check-claims verifies one statement per row): ``{"id", "doc", "claim",
"language", "doc_language", "label", "dataset", "group", "split", "origin"}``. ``label`` is the human
label of the whole summary (1 faithful, 0 not) and ``group`` names the summary: a summary is shown as
faithful only when all its sentences are supported. ``split`` is ``dev`` or ``test`` by a hash of the
source document, so one article never sits on both sides. QAGS and FaithBench rows are never taken:
they are reserved as outside checks.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import io
import json
import random
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2]))

from briefings.segment import split_sentences  # noqa: E402

RESERVED = ("qags", "faithbench")
MAX_ROWS = 700  # summaries kept per dataset (sampled by hash), so the committed data stays small


def git_show(gitdir: str, path: str) -> tuple[str, str]:
    """(file text, commit) from a bare mirror."""
    commit = subprocess.run(["git", "--git-dir", gitdir, "rev-parse", "HEAD"], check=True,
                            capture_output=True, text=True).stdout.strip()
    text = subprocess.run(["git", "--git-dir", gitdir, "show", f"{commit}:{path}"], check=True,
                          capture_output=True).stdout.decode("utf-8")
    return text, commit


def split_of(doc: str) -> str:
    """dev or test, fixed by the document's text: the same article never lands on both sides."""
    return "dev" if int(hashlib.sha1(doc.encode("utf-8")).hexdigest(), 16) % 2 == 0 else "test"


_PTB = [(re.compile(r"(\d) , (?=\d{3}\b)"), r"\1,"),  # "3 , 000" -> "3,000"
        (re.compile(r"\s+(n['’]t|['’](?:s|re|ve|ll|d|m))\b", re.I), r"\1"),  # "do n't" -> "don't", "city 's"
        (re.compile(r"(\w) - (?=\w)"), r"\1-"),  # "23 - year - old" -> "23-year-old"
        (re.compile(r"\s+([.,;:!?%)\]])"), r"\1"), (re.compile(r"([(\[$£€])\s+"), r"\1")]


def detok(text: str) -> str:
    """Undo the PTB tokenisation some systems' summaries were stored in ("do n't", "23 - year - old",
    "word ."): the annotators judged the text, not its tokens, and a verifier reads ordinary prose."""
    for pat, rep in _PTB:
        text = pat.sub(rep, text)
    return re.sub(r"\s{2,}", " ", text).strip()


def sentences(summary: str) -> list[str]:
    summary = detok(summary)
    out = [summary[a:b].strip() for a, b in split_sentences(summary, "en")]
    return [s for s in out if any(c.isalnum() for c in s)] or [summary.strip()]


def rows_for(dataset: str, key: str, doc: str, summary: str, label: int, origin: str) -> list[dict]:
    sents = sentences(summary)
    return [{"id": f"{dataset}:{key}:{n}", "doc": doc, "claim": s, "language": "en", "doc_language": "en",
             "label": label, "dataset": dataset, "group": f"{dataset}:{key}", "split": split_of(doc),
             "origin": origin} for n, s in enumerate(sents, 1)]


def aggrefact_csv(gitdir: str, name: str, dataset: str) -> tuple[list[dict], str]:
    text, commit = git_show(gitdir, f"data/error_type_mapping/{name}_error_types.csv")
    out = []
    for n, r in enumerate(csv.DictReader(io.StringIO(text))):
        if any(x in (r.get("dataset") or "").lower() for x in RESERVED):
            continue
        err = (r.get("error_type") or "").strip()
        label = 1 if err in ("", "correct", "[]") else 0
        key = f"{r['origin']}-{r['id']}-{r.get('model_name') or 'm'}-{n}"
        out += rows_for(dataset, key, r["doc"], r["summ"], label, r["origin"])
    return out, commit


def summedits(gitdir: str, domain: str) -> tuple[list[dict], str]:
    text, commit = git_show(gitdir, f"data/summedits/summedits_{domain}.json")
    out = []
    for r in json.loads(text):
        out += rows_for(f"summedits_{domain}", r["id"], r["doc"], r["summary"], int(r["label"]), domain)
    return out, commit


def sample(rows: list[dict], n: int) -> list[dict]:
    """At most ``n`` summaries, chosen by a hash of their id (stable across re-runs), all their sentences."""
    groups = sorted({r["group"] for r in rows}, key=lambda g: hashlib.sha1(g.encode()).hexdigest())
    keep = set(groups[:n])
    return [r for r in rows if r["group"] in keep]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--aggrefact", required=True, help="bare git dir of Liyan06/AggreFact")
    ap.add_argument("--factualnlg", required=True, help="bare git dir of salesforce/factualNLG")
    args = ap.parse_args()
    random.seed(0)
    made = {}
    for dataset, (rows, commit) in {
        "cliff": aggrefact_csv(args.aggrefact, "CLIFF", "cliff"),
        "goyal21": aggrefact_csv(args.aggrefact, "Goyal21", "goyal21"),
        "summedits_news": summedits(args.factualnlg, "news"),
    }.items():
        rows = sample(rows, MAX_ROWS)
        path = HERE / f"{dataset}.jsonl.gz"
        # mtime 0: the same input gives the same bytes
        with gzip.GzipFile(path, "wb", mtime=0) as f:
            f.write("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows).encode("utf-8"))
        groups = {r["group"]: (r["split"], r["label"]) for r in rows}
        made[dataset] = {"commit": commit, "rows": len(rows), "summaries": len(groups),
                         "by_split_label": dict(sorted(Counter(f"{s}/{'faithful' if lab else 'unfaithful'}"
                                                               for s, lab in groups.values()).items()))}
    (HERE / "manifest.json").write_text(json.dumps(made, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(made, indent=2))


if __name__ == "__main__":
    main()
