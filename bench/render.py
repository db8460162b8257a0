"""Benchmark: a 40-country digest rendered to PDF (target: <= 10 s on 2 cores). Prints the numbers.

Two measurements: the digest PDF alone (its chapters laid out from scratch), and what a run does —
40 country PDFs plus the digest, where every chapter is laid out once and reused by both.
"""

from __future__ import annotations

import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import io  # noqa: E402

from briefing_fixture import many_briefings  # noqa: E402
from pypdf import PdfReader  # noqa: E402

import tempfile  # noqa: E402

from briefings.render import render_briefing, render_digest, write_outputs  # noqa: E402

TARGET_S = 10.0


def _cpu() -> float:
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def main() -> int:
    briefings = many_briefings(40)
    run = {"backend": "extractive", "generated_at": "2024-05-13T08:00:00Z"}
    render_briefing(briefings[0], "pdf")  # warm-up: imports, font loading
    t = time.perf_counter()
    html = render_digest(briefings, "2024-W19", run, "html")
    t_html = time.perf_counter() - t
    cpu0 = _cpu()
    t = time.perf_counter()
    pdf = render_digest(briefings, "2024-W19", run, "pdf")
    t_pdf = time.perf_counter() - t
    cpu = _cpu() - cpu0
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    print(f"render: 40-country digest html {t_html:.2f}s ({len(html) // 1024} KiB), "
          f"pdf {t_pdf:.2f}s wall, {cpu:.1f}s cpu incl. workers ({len(pdf) // 1024} KiB, {pages} pages); "
          f"target <= {TARGET_S:.0f}s wall: {'OK' if t_pdf <= TARGET_S else 'SLOW'}; load average {os.getloadavg()[0]:.1f}")
    cpu0 = _cpu()
    t = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        written = write_outputs(briefings, "2024-W19", run, Path(tmp), ["pdf"])
    t_all = time.perf_counter() - t
    print(f"render: 40 country PDFs + digest PDF (as a run writes them): {t_all:.2f}s wall, "
          f"{_cpu() - cpu0:.1f}s cpu incl. workers, {len(written)} files; load average {os.getloadavg()[0]:.1f}")
    return 0 if t_pdf <= TARGET_S else 1


if __name__ == "__main__":
    sys.exit(main())
