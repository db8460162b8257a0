"""Calibrate check-claims' ``score`` on public human labels: fit on dev, report reliability on test.

The score is a logistic model over the lexical evidence of a verdict (``briefings.check.claim_features``:
verdict, share of content words found, findings by kind). Fitted on the dev split's single-sentence
summaries (their human label is the sentence's own) and verbatim sentences, L2-regularised; ``--write`` stores the weights in
``briefings/data/claim_calibration.json``. Prints the reliability table (predicted against observed
share faithful, by bin), AUC and ECE on the test split, and operating points: a summary is taken as
faithful when its lowest sentence score reaches the threshold.

    .venv/bin/python bench/verify_calibration.py [--write]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from briefings.check import FEATURES, calibrated, claim_features  # noqa: E402
import verify_public  # noqa: E402

OUT = ROOT / "briefings" / "data" / "claim_calibration.json"
L2 = 1.0


def fit(x: np.ndarray, y: np.ndarray, l2: float = L2) -> np.ndarray:
    """Logistic regression by Newton's method, the bias not penalised."""
    w = np.zeros(x.shape[1])
    pen = np.full(x.shape[1], l2)
    pen[0] = 0.0
    for _ in range(50):
        p = 1 / (1 + np.exp(-x @ w))
        grad = x.T @ (p - y) + pen * w
        hess = (x * (p * (1 - p))[:, None]).T @ x + np.diag(pen + 1e-9)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w


def auc(pos: list[float], neg: list[float]) -> float:
    return sum((p > n) + 0.5 * (p == n) for p in pos for n in neg) / (len(pos) * len(neg))


def reliability(p: list[float], y: list[int], bins: int = 5) -> tuple[list[tuple[str, int, float, float]], float]:
    rows, ece = [], 0.0
    for b in range(bins):
        lo, hi = b / bins, (b + 1) / bins
        idx = [i for i, v in enumerate(p) if lo <= v < hi or (b == bins - 1 and v == 1.0)]
        if idx:
            mp, obs = float(np.mean([p[i] for i in idx])), float(np.mean([y[i] for i in idx]))
            rows.append((f"{lo:.1f}-{hi:.1f}", len(idx), mp, obs))
            ece += len(idx) / len(p) * abs(mp - obs)
    return rows, ece


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--write", action="store_true", help=f"store the fitted weights in {OUT.relative_to(ROOT)}")
    args = ap.parse_args()
    results = verify_public.run(verify_public.load())
    for r in results:
        r["features"] = claim_features(r["verdict"], r["reasons"])
    sizes: dict[str, int] = {}
    for r in results:
        sizes[r["group"]] = sizes.get(r["group"], 0) + 1
    single = {s: [r for r in results if r["split"] == s and sizes[r["group"]] == 1] for s in ("dev", "test")}
    # verbatim copies are rare in one-sentence summaries (1 in dev): those of longer summaries join the fit
    # with their summary's label, a lower bound (an unfaithful summary's error is mostly in another sentence)
    train = single["dev"] + [r for r in results if r["split"] == "dev" and sizes[r["group"]] > 1
                             and r["reasons"] == ["verbatim"]]
    x = np.array([[r["features"][k] for k in FEATURES] for r in train])
    y = np.array([r["label"] for r in train], dtype=float)
    w = fit(x, y)
    weights = {k: round(float(v), 4) for k, v in zip(FEATURES, w)}
    if args.write:
        OUT.write_text(json.dumps({"fitted_on": "bench/data/verify_public dev split: single-sentence summaries and "
                                   f"verbatim sentences of longer ones ({len(y)}, {int(y.sum())} faithful)",
                                   "l2": L2, "weights": weights},
                                  indent=2) + "\n", encoding="utf-8")
        calibrated.__globals__["_calibration"].cache_clear()
    print("weights:", json.dumps(weights))
    for split in ("dev", "test"):
        rows = single[split]
        p = [calibrated(r["verdict"], r["reasons"]) for r in rows]
        y_ = [r["label"] for r in rows]
        table, ece = reliability(p, y_)
        print(f"\n== {split}: {len(rows)} single-sentence summaries, AUC "
              f"{auc([v for v, t in zip(p, y_) if t], [v for v, t in zip(p, y_) if not t]):.3f}, ECE {ece:.3f}")
        print(f"{'predicted':<10}{'n':>6}{'mean predicted':>16}{'observed faithful':>19}")
        for name, n, mp, obs in table:
            print(f"{name:<10}{n:>6}{mp:>16.3f}{obs:>19.3f}")
    test = [r for r in results if r["split"] == "test"]
    for r in test:
        r["p"] = calibrated(r["verdict"], r["reasons"])
    sums = verify_public.summaries(test)
    print("\n== operating points, test split, every summary (its lowest sentence score)")
    print(f"{'threshold':<10}{'bal. acc.':>11}{'unfaithful supported':>22}{'faithful lost':>15}")
    for t in (0.3, 0.4, 0.5, 0.6, 0.7, 0.8):
        for s in sums:
            s["supported"] = min(r["p"] for r in s["rows"]) >= t
        m = verify_public.metrics(sums)
        print(f"{t:<10}{m['balanced_accuracy']:>11.3f}{m['unfaithful_supported']:>22.3f}{m['faithful_lost']:>15.3f}")


if __name__ == "__main__":
    main()
