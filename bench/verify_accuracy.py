"""Accuracy of the verifier on tests/gold/verify_cases.jsonl: confusion matrix, by path and by case type.

``--path probes`` runs tests/gold/verbatim_probes.jsonl (issue #16: edited copies of the seeds' sentences)
and prints, per label, the verdicts, how many the judge would see, and how many a judge that says
"supported" to everything could show as supported.

Two paths: "cited" runs ``verify_sentence`` with the case's explicit citations (invented ids included);
"claims" runs ``check_claims`` on the whole seed article with the claim alone (retrieval + verify;
invented-id cases do not apply there). Lexical checks only: no model is called.

    .venv/bin/python bench/verify_accuracy.py [--path cited|claims|both|probes] [--show-errors]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from briefings.check import check_claims  # noqa: E402
from briefings.models import BriefingSentence, CitedSpan  # noqa: E402
from briefings.verify import VERBATIM, VerifyContext, _check, verify_sentence  # noqa: E402
from briefings.models import Verdict  # noqa: E402

GOLD = ROOT / "tests" / "gold" / "verify_cases.jsonl"
PROBES = ROOT / "tests" / "gold" / "verbatim_probes.jsonl"
VERDICTS = ["supported", "partial", "unverified", "unsupported"]


def load(path: Path = GOLD) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def run_cited(cases: list[dict]) -> list[tuple[dict, str, list[str]]]:
    """The run's context is every span any case cites, as in a real run with all seed articles."""
    spans = {sid: CitedSpan(sentence_id=sid, article_id=sid.split(":")[0], start=0, end=len(sp["text"]),
                            text=sp["text"], language=sp["language"])
             for c in cases for sid, sp in c["spans"].items()}
    ctx = VerifyContext(spans=spans)
    out = []
    for c in cases:
        got = verify_sentence(BriefingSentence(text=c["claim"], language=c["language"], citations=c["cite"]),
                              None, ctx)
        out.append((c, got.verdict.value, got.reasons))
    return out


def run_claims(cases: list[dict]) -> list[tuple[dict, str, list[str]]]:
    cases = [c for c in cases if c["type"] != "invented_id" and c["doc"]]
    docs = {c["doc"]: (ROOT / "seeds" / c["doc"]).read_text(encoding="utf-8") for c in cases}
    rows = [{"id": c["id"], "doc": docs[c["doc"]], "claim": c["claim"], "language": c["language"]} for c in cases]
    return [(c, r["verdict"], r.get("reasons", [])) for c, r in zip(cases, check_claims(rows))]


def run_probes(probes: list[dict]) -> list[tuple[dict, object]]:
    """(probe, the verifier's internal result: verdict, reasons, hard, ceiling) for every probe."""
    spans = {sid: CitedSpan(sentence_id=sid, article_id=sid.split(":")[0], start=0, end=len(sp["text"]),
                            text=sp["text"], language=sp["language"])
             for p in probes for sid, sp in p["spans"].items()}
    ctx = VerifyContext(spans=spans)
    return [(p, _check(BriefingSentence(text=p["claim"], language=p["language"], citations=p["cite"]), None, ctx))
            for p in probes]


def probe_report(results) -> str:
    rows: dict[str, Counter] = defaultdict(Counter)
    for p, r in results:
        judged = not r.hard and r.reasons != [VERBATIM]
        rows[p["label"]][r.verdict.value] += 1
        rows[p["label"]]["sent to judge"] += judged
        rows[p["label"]]["supported, yes-judge"] += (r.verdict == Verdict.supported or judged) and r.ceiling == Verdict.supported
    cols = VERDICTS + ["sent to judge", "supported, yes-judge"]
    return "\n".join([f"== probes: {len(results)} cases", f"{'':<12}" + "".join(f"{c:>22}" for c in cols)]
                     + [f"{k:<12}" + "".join(f"{rows[k][c]:>22}" for c in cols) for k in ("fabrication", "faithful")])


def matrix(results) -> dict[str, Counter]:
    m: dict[str, Counter] = defaultdict(Counter)
    for c, verdict, _ in results:
        m[c["label"]][verdict] += 1
    return m


def rates(results) -> dict[str, float]:
    m = matrix(results)
    alt, fai = sum(m["altered"].values()), sum(m["faithful"].values())
    return {
        "altered_not_supported": (alt - m["altered"]["supported"]) / alt if alt else 0.0,
        "faithful_unsupported": m["faithful"]["unsupported"] / fai if fai else 0.0,
        "faithful_supported": m["faithful"]["supported"] / fai if fai else 0.0,
        "n_altered": alt, "n_faithful": fai,
    }


def report(name: str, results, show_errors: bool = False) -> str:
    m = matrix(results)
    lines = [f"== {name}: {len(results)} cases", f"{'gold/verdict':<16}" + "".join(f"{v:>13}" for v in VERDICTS)]
    for label in ("faithful", "altered"):
        lines.append(f"{label:<16}" + "".join(f"{m[label][v]:>13}" for v in VERDICTS))
    r = rates(results)
    lines.append(f"altered not shown as supported: {r['altered_not_supported']:.1%} (floor 95%)   "
                 f"faithful marked unsupported: {r['faithful_unsupported']:.1%} (ceiling 10%)   "
                 f"faithful supported: {r['faithful_supported']:.1%}")
    by_type: dict[str, Counter] = defaultdict(Counter)
    for c, v, _ in results:
        by_type[c["type"]][v] += 1
    lines.append("by type: " + "; ".join(f"{t} " + "/".join(str(cnt[v]) for v in VERDICTS) for t, cnt in sorted(by_type.items()))
                 + "   (supported/partial/unverified/unsupported)")
    if show_errors:
        for c, v, reasons in results:
            bad = (c["label"] == "altered" and v == "supported") or (c["label"] == "faithful" and v == "unsupported")
            if bad:
                lines.append(f"  {c['id']} {c['type']:<22} -> {v:<11} {c['claim'][:110]} | {'; '.join(reasons)[:160]}")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--path", choices=["cited", "claims", "both", "probes"], default="both")
    ap.add_argument("--show-errors", action="store_true")
    a = ap.parse_args()
    if a.path == "probes":
        print(probe_report(run_probes(load(PROBES))))
        return
    cases = load()
    if a.path in ("cited", "both"):
        print(report("verify_sentence with explicit citations", run_cited(cases), a.show_errors))
    if a.path in ("claims", "both"):
        print(report("check_claims (retrieval + verify)", run_claims(cases), a.show_errors))


if __name__ == "__main__":
    main()
