"""The offline verifier on public human-labelled factual-consistency data (bench/data/verify_public/).

Runs ``check_claims`` (what ``briefings check-claims`` runs; lexical layer, no model) on every row and
reports, per dataset and split: balanced accuracy, the share of unfaithful summaries shown as supported
and the share of faithful ones lost (not shown as supported). A summary counts as shown supported when
every one of its sentences is "supported"; labels are the human labels of whole summaries.

    .venv/bin/python bench/verify_public.py [--split dev|test|all] [--dataset NAME] [--show-errors N] [--json]
    .venv/bin/python bench/verify_public.py --backend openai --base-url http://localhost:8080/v1 --model local

With ``--backend`` the same rows go through the LLM judge (what ``check-claims --backend`` does): the judge
decides what the lexical checks leave open, never a hard failure. The bench measures the judge itself
(``verify.judge_lift = always``); ``--as-deployed`` keeps the configured policy instead, and ``--record``
writes the judge's figures into ``briefings/data/judge_quality.json``, which that policy reads.

    .venv/bin/python bench/verify_public.py --split test --backend local --limit 40 --record

``--ceiling`` measures the data, not the verifier: the share of summaries whose every content word is
said somewhere in the source (in its words or WordNet's, at the verifier's reach). "Supported" needs that
of the cited sentences, so no verifier held to it shows more faithful summaries as supported, and
(share + 1) / 2 bounds its balanced accuracy even if it rejected every unfaithful one.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from briefings.check import check_claims  # noqa: E402
from briefings.verify import coverage  # noqa: E402

DATA = ROOT / "bench" / "data" / "verify_public"


def load(dataset: str | None = None, split: str | None = None) -> list[dict]:
    rows = []
    for path in sorted(DATA.glob("*.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as f:
            rows += [json.loads(line) for line in f if line.strip()]
    return [r for r in rows if (dataset is None or r["dataset"] == dataset) and (split in (None, "all") or r["split"] == split)]


def run(rows: list[dict], llm=None) -> list[dict]:
    """Each row with the verifier's verdict, score and reasons added; ``llm``: a judge (briefings.llm.LLM)."""
    return [dict(r, verdict=got["verdict"], score=got["score"], reasons=got.get("reasons", []))
            for r, got in zip(rows, check_claims(rows, llm=llm))]


def judge_llm(backend: str | None, model: str | None, base_url: str | None, as_deployed: bool = False):
    """The judge a bench run uses: None (lexical only) unless a model backend is named, configured as the
    CLI would (config file, environment, keys). Unless ``as_deployed``, the judge may lift any verdict it
    is asked about: the bench measures the model, not the policy that a poor measurement triggers."""
    if not backend or backend == "extractive":
        return None
    from briefings.cli import _settings
    from briefings.llm import LLM

    settings = _settings(backend=backend, model=model, base_url=base_url)
    if not as_deployed:
        settings.verify.judge_lift = "always"
    return LLM(settings)


RECORD = ROOT / "briefings" / "data" / "judge_quality.json"


def record(model: str, figures: dict, command: str, path: Path = RECORD) -> dict:
    """Write one judge's figures (pooled over the split measured) into the record the judge-lift policy
    reads (``briefings.verify.judge_may_lift``); returns the entry."""
    import datetime

    data = json.loads(path.read_text(encoding="utf-8"))
    entry = {"bench": command, "measured": datetime.date.today().isoformat(),
             **{k: figures[k] for k in ("balanced_accuracy", "unfaithful_supported", "faithful_lost")},
             "summaries": figures["faithful"] + figures["unfaithful"]}
    data["models"][model] = entry
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    tmp.replace(path)
    return entry


def coverage_ceiling(rows: list[dict]) -> dict[str, dict]:
    """Per (dataset, split): the summaries whose every sentence's content words are all in the source,
    taken as "supported" (coverage-only balanced accuracy), and ``ceiling``, the balanced accuracy of a
    verifier that supports exactly the faithful ones among them and rejects every unfaithful summary."""
    covered = [dict(r, verdict="supported" if not coverage(r["claim"], r["language"], r["doc"])[1] else "partial",
                    score=0.0, reasons=[]) for r in rows]
    tab = table(summaries(covered))
    for m in tab.values():
        m["ceiling"] = round((1 - m["faithful_lost"] + 1) / 2, 4)
    return tab


def summaries(results: list[dict]) -> list[dict]:
    """One record per summary: its label, and whether every sentence came out supported."""
    by: dict[str, list[dict]] = defaultdict(list)
    for r in results:
        by[r["group"]].append(r)
    return [{"group": g, "dataset": rs[0]["dataset"], "split": rs[0]["split"], "label": rs[0]["label"],
             "supported": all(r["verdict"] == "supported" for r in rs),
             "score": min(r["score"] for r in rs), "rows": rs} for g, rs in by.items()]


def metrics(sums: list[dict]) -> dict:
    pos = [s for s in sums if s["label"] == 1]
    neg = [s for s in sums if s["label"] == 0]
    tpr = sum(s["supported"] for s in pos) / len(pos) if pos else float("nan")
    fpr = sum(s["supported"] for s in neg) / len(neg) if neg else float("nan")
    return {"faithful": len(pos), "unfaithful": len(neg), "balanced_accuracy": round((tpr + 1 - fpr) / 2, 4),
            "unfaithful_supported": round(fpr, 4), "faithful_lost": round(1 - tpr, 4)}


def table(sums: list[dict]) -> dict[str, dict]:
    """Per (dataset, split), each split pooled over datasets ("all"), and the macro mean over datasets."""
    out: dict[str, dict] = {}
    datasets = sorted({s["dataset"] for s in sums})
    for split in sorted({s["split"] for s in sums}):
        for d in datasets:
            part = [s for s in sums if s["dataset"] == d and s["split"] == split]
            if part:
                out[f"{d}/{split}"] = metrics(part)
        out[f"all/{split}"] = metrics([s for s in sums if s["split"] == split])
        per = [out[f"{d}/{split}"] for d in datasets if f"{d}/{split}" in out]
        out[f"macro/{split}"] = {k: round(sum(m[k] for m in per) / len(per), 4)
                                 for k in ("balanced_accuracy", "unfaithful_supported", "faithful_lost")}
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--split", default="all", choices=["dev", "test", "all"])
    ap.add_argument("--dataset")
    ap.add_argument("--show-errors", type=int, default=0, help="print N unfaithful summaries shown as supported "
                    "and N faithful ones lost (dev only unless --split test)")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--backend", help="a judge for what the lexical checks leave open (openai, local); "
                    "default: lexical only, as check-claims offline")
    ap.add_argument("--model")
    ap.add_argument("--base-url")
    ap.add_argument("--limit", type=int, help="first N summaries of each dataset (a slow judge)")
    ap.add_argument("--as-deployed", action="store_true", help="keep verify.judge_lift as configured "
                    "(default: the judge may lift, so the model itself is measured)")
    ap.add_argument("--ceiling", action="store_true", help="measure the data: summaries whose content words are "
                    "all in the source, and the balanced accuracy no verifier requiring that can exceed")
    ap.add_argument("--record", action="store_true", help="write the judge's pooled figures into "
                    "briefings/data/judge_quality.json (needs --backend, --split dev or test)")
    args = ap.parse_args()
    if args.record and (not args.backend or args.as_deployed or args.split == "all"):
        ap.error("--record measures one model on one split: give --backend and --split, not --as-deployed")
    rows = load(args.dataset, args.split)
    if args.limit:
        keep: dict[str, list[str]] = defaultdict(list)
        for r in rows:
            if r["group"] not in keep[r["dataset"]] and len(keep[r["dataset"]]) < args.limit:
                keep[r["dataset"]].append(r["group"])
        rows = [r for r in rows if r["group"] in keep[r["dataset"]]]
    if args.ceiling:
        tab = coverage_ceiling(rows)
        if args.json:
            print(json.dumps(tab, indent=2))
            return
        print(f"{'dataset/split':<24}{'faithful covered':>17}{'unfaithful covered':>20}{'coverage bal. acc.':>20}"
              f"{'ceiling':>9}")
        for k, m in tab.items():
            if "ceiling" in m and "faithful" in m:
                print(f"{k:<24}{1 - m['faithful_lost']:>17.3f}{m['unfaithful_supported']:>20.3f}"
                      f"{m['balanced_accuracy']:>20.3f}{m['ceiling']:>9.3f}")
        return
    llm = judge_llm(args.backend, args.model, args.base_url, args.as_deployed)
    try:
        sums = summaries(run(rows, llm))
        model = str(getattr(getattr(llm, "backend", None), "model", None) or "")
    finally:
        if llm is not None:
            llm.close()
    tab = table(sums)
    if args.record:
        entry = record(model, tab[f"all/{args.split}"], "bench/verify_public.py " + " ".join(sys.argv[1:]))
        print(f"recorded {model}: {entry}", file=sys.stderr)
    if args.json:
        print(json.dumps(tab, indent=2))
    else:
        print(f"{'dataset/split':<24}{'faithful':>9}{'unfaith.':>9}{'bal. acc.':>11}{'unfaith. supported':>20}"
              f"{'faithful lost':>15}")
        for k, m in tab.items():
            print(f"{k:<24}{m.get('faithful', ''):>9}{m.get('unfaithful', ''):>9}{m['balanced_accuracy']:>11.3f}"
                  f"{m['unfaithful_supported']:>20.3f}{m['faithful_lost']:>15.3f}")
    if args.show_errors:
        for label, want, title in ((0, True, "UNFAITHFUL SHOWN SUPPORTED"), (1, False, "FAITHFUL LOST")):
            bad = [s for s in sums if s["label"] == label and s["supported"] == want]
            print(f"\n== {title}: {len(bad)}")
            for s in bad[:args.show_errors]:
                print(f"-- {s['group']}")
                for r in s["rows"]:
                    print(f"   [{r['verdict']}] {r['claim']}\n      {'; '.join(r['reasons'])[:300]}")


if __name__ == "__main__":
    main()
