"""Quality floors pinned in one file (``tests/quality_baseline.json``), trafilatura's eval gate style.

Each metric has a pinned value, a direction (``min``: higher is better, the value is a floor; ``max``:
lower is better, a ceiling) and a ``slack`` for measurements that are not exactly repeatable.

``gate(name, measured)`` fails when the measurement is worse than the pinned value (a regression), and
also when it is better by more than the slack: a floor far below what is measured protects nothing
(the old altered-shown-as-supported bound was 5 % while 0.7 % was measured), so the baseline must be
raised. ``BRIEFINGS_RATCHET=1 pytest`` writes the better values; it never writes a worse one, so the
file can be raised by running the suite but lowered only by a visible hand edit in review.
"""

from __future__ import annotations

import json
import math
import os
import threading
from pathlib import Path

PATH = Path(__file__).resolve().parent / "quality_baseline.json"
_lock = threading.Lock()


def load(path: Path = PATH) -> dict[str, dict]:
    return json.loads(path.read_text(encoding="utf-8"))


def gate(name: str, measured: float, detail: object = "", path: Path = PATH) -> None:
    entry = load(path).get(name)
    assert entry is not None, f"no baseline for {name!r} in {PATH.name}: add it with the measured value {measured:.4f}"
    # the default slack is the file's rounding (4 decimals): measurements here are deterministic
    pinned, slack, higher = entry["value"], entry.get("slack", 1e-4), entry["direction"] == "min"
    worse = measured < pinned - slack if higher else measured > pinned + slack
    assert not worse, (f"{name}: {measured:.4f} is worse than the pinned "
                       f"{'floor' if higher else 'ceiling'} {pinned:.4f} (slack {slack}) {detail}")
    better = measured > pinned + slack if higher else measured < pinned - slack
    if better:
        if os.environ.get("BRIEFINGS_RATCHET") == "1":
            _raise(name, measured, path)
            return
        raise AssertionError(f"{name}: {measured:.4f} beats the pinned {pinned:.4f} by more than {slack}: "
                             "raise the baseline (BRIEFINGS_RATCHET=1 pytest) so the gain is kept")


def _raise(name: str, measured: float, path: Path) -> None:
    with _lock:
        data = load(path)
        entry = data[name]
        higher = entry["direction"] == "min"
        if (measured > entry["value"]) if higher else (measured < entry["value"]):  # never lowered
            # rounded towards the safe side, so the pinned value never exceeds what was measured
            entry["value"] = (math.floor if higher else math.ceil)(measured * 1e4) / 1e4
            tmp = path.with_suffix(".tmp")
            tmp.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")
            tmp.replace(path)
