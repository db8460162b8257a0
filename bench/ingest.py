"""Benchmark: ingest + segment + chunk (+ country tagging) of a 10,000-article corpus, and re-ingest.

    python bench/ingest.py [-n 10000] [--profile] [--keep DIR]

Builds a synthetic corpus with ``bench/corpus.py`` (files in 100 directories, every 10th article in one
JSONL file, a few bad files), then runs each stage in its own child process so that the peak RSS
(``ru_maxrss``) of one stage is not inflated by another. Memory and CPU are reported twice: for the
stage's own process, and for its whole process tree (the ingest workers are children of a forkserver,
so ``ru_maxrss`` and ``process_time`` miss them): a thread sums VmRSS over the process and all its
descendants every 50 ms (an upper bound: pages shared between processes count once per process).
Target on a 2-core machine: ≤ 30 s and ≤ 1 GiB (process tree) for 10,000 articles, country tagging
not included (reported next to it). ``--profile`` prints where the time of the ingest stage goes
(cProfile), in this process and in the worker function run in-process on 1,000 files.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import resource
import subprocess
import sys
import tempfile
import threading
import time
from importlib.util import find_spec
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

TARGET_SECONDS = 30.0
TARGET_RSS_MIB = 1024.0


def _rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


# ------------------------------------------------------------------ process tree: RSS and CPU


class TreeSampler(threading.Thread):
    """Peak of the summed VmRSS of this process and all its descendants, sampled every ``interval``
    seconds from /proc, and the CPU seconds (user + system) each of them used, as last seen alive.
    The process table is rescanned for new descendants every 10th sample only (reading every
    /proc/*/stat 20 times a second would itself load the machine being measured)."""

    def __init__(self, interval: float = 0.05):
        super().__init__(daemon=True)
        self.interval, self.peak_kib, self.cpu = interval, 0, {}
        self._done, self._pids = threading.Event(), [os.getpid()]
        self._tick = os.sysconf("SC_CLK_TCK")

    def run(self) -> None:
        n = 0
        while not self._done.is_set():
            if n % 10 == 0:
                self._pids = _descendants(os.getpid())
            n += 1
            self._sample()
            self._done.wait(self.interval)

    def _sample(self) -> None:
        total = 0
        for pid in self._pids:
            try:
                status = Path(f"/proc/{pid}/status").read_text()
                stat = Path(f"/proc/{pid}/stat").read_text()
            except OSError:  # exited since the scan
                continue
            total += next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")), 0)
            fields = stat.rpartition(")")[2].split()
            self.cpu[pid] = (int(fields[11]) + int(fields[12])) / self._tick  # utime + stime
        self.peak_kib = max(self.peak_kib, total)

    def stop(self, own_cpu: float) -> tuple[float, float]:
        """(peak MiB, CPU seconds) of the tree; ``own_cpu``: this process's CPU over the measured span
        (its descendants all started inside it, so their whole CPU counts)."""
        self._done.set()
        self.join()
        self._sample()
        return self.peak_kib / 1024, own_cpu + sum(c for pid, c in self.cpu.items() if pid != os.getpid())


def _descendants(root: int) -> list[int]:
    parent: dict[int, int] = {}
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                parent[int(d.name)] = int((d / "stat").read_text().rpartition(")")[2].split()[1])
            except (OSError, ValueError):
                continue
    out, todo = [root], [root]
    while todo:
        kids = [p for p, pp in parent.items() if pp == todo[-1]]
        todo.pop()
        out += kids
        todo += kids
    return out


def profile_worker(corpus: Path, n: int = 1000) -> str:
    """cProfile of the worker function (``ingest._work``) run in this process on ``n`` files."""
    from briefings import ingest as ingest_mod
    from briefings.config import Settings

    files = [f for f in ingest_mod._files([str(corpus)]) if f[1] is not None][:n]
    settings = Settings()
    ingest_mod._work(files[:5], settings.ingest.max_bytes, None)  # models loaded outside the profile
    prof = cProfile.Profile()
    c0 = time.process_time()
    prof.enable()
    ingest_mod._work(files, settings.ingest.max_bytes, None)
    prof.disable()
    buf = io.StringIO()
    buf.write(f"worker function on {len(files)} files: {time.process_time() - c0:.2f} s CPU (profiled)\n")
    pstats.Stats(prof, stream=buf).sort_stats("tottime").print_stats(20)
    return buf.getvalue()


# ------------------------------------------------------------------ child: one stage


def run_stage(stage: str, corpus: Path, db: Path | None, profile: bool) -> dict:
    from briefings.ingest import ingest
    from briefings.store import Store

    store = Store(db) if db else None
    prof = cProfile.Profile() if profile else None
    tree = TreeSampler()
    tree.start()
    t0, c0 = time.perf_counter(), time.process_time()
    if prof:
        prof.enable()
    result = ingest([str(corpus)], store=store)
    if prof:
        prof.disable()
    t_ingest, c_ingest = time.perf_counter() - t0, time.process_time() - c0
    tree_rss, tree_cpu = tree.stop(c_ingest)
    out = {
        "stage": stage, "seconds": t_ingest, "cpu": c_ingest, "tree_cpu": tree_cpu, "tree_rss_mib": tree_rss, "articles": len(result.articles), "fresh": result.fresh,
        "skipped": len(result.skipped), "stories": len(result.stories),
        "in_stories": sum(len(v) for v in result.stories.values()),
        "duplicates": sum(len(a.duplicates) for a in result.articles),
        "sentences": sum(len(a.sentences) for a in result.articles),
        "chunks": sum(len(a.chunks) for a in result.articles),
        "tokens": sum(a.tokens for a in result.articles),
        "languages": {lang: sum(a.language == lang for a in result.articles) for lang in ("en", "de")},
    }
    if stage == "ingest+countries" and find_spec("briefings.countries"):
        from briefings import countries

        t1, c1 = time.perf_counter(), time.process_time()
        for a in result.articles:
            countries.tag_article(a)
        out["countries_seconds"] = time.perf_counter() - t1
        out["countries_cpu"] = time.process_time() - c1
        out["tagged_sentences"] = sum(bool(s.countries) for a in result.articles for s in a.sentences)
    out["rss_mib"] = _rss_mib()  # this process only; the tree's peak is tree_rss_mib (ingest only)
    if prof:
        buf = io.StringIO()
        stats = pstats.Stats(prof, stream=buf)
        stats.sort_stats("cumulative").print_stats(25)
        stats.sort_stats("tottime").print_stats(15)
        out["profile"] = buf.getvalue() + "\n" + profile_worker(corpus)
    if store:
        store.close()
    return out


def child(stage: str, corpus: Path, db: Path | None = None, profile: bool = False) -> dict:
    cmd = [sys.executable, __file__, "--stage", stage, "--corpus", str(corpus)]
    if db:
        cmd += ["--db", str(db)]
    if profile:
        cmd.append("--profile")
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"stage {stage} failed:\n{p.stderr[-3000:]}")
    return json.loads(p.stdout.strip().splitlines()[-1])


# ------------------------------------------------------------------ parent: corpus, table


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, default=10_000, help="number of articles")
    ap.add_argument("--profile", action="store_true", help="cProfile the ingest stage")
    ap.add_argument("--keep", type=Path, help="write the corpus here and keep it")
    ap.add_argument("--stage", help=argparse.SUPPRESS)
    ap.add_argument("--corpus", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.stage:  # child process
        print(json.dumps(run_stage(a.stage, a.corpus, a.db, a.profile)))
        return

    from corpus import make_corpus, write_bad_files, write_files

    with tempfile.TemporaryDirectory(prefix="bench-ingest-") as tmp:
        root = a.keep or Path(tmp) / "corpus"
        t = time.perf_counter()
        docs = make_corpus(a.n, seed=0)
        files = write_files(docs, root, jsonl_every=10)
        bad = write_bad_files(root)
        size = sum(p.stat().st_size for p in files)
        kinds = {k: sum(d.kind == k for d in docs) for k in ("original", "exact_dup", "near_dup")}
        print(f"corpus: {len(docs):,} articles ({kinds['exact_dup']} exact and {kinds['near_dup']} near "
              f"duplicates, {sum(d.language == 'de' for d in docs):,} German) in {len(files):,} files + {bad} "
              f"bad files, {size / 2**20:.1f} MiB, built in {time.perf_counter() - t:.1f} s; "
              f"{os.cpu_count()} CPUs")

        db = Path(tmp) / "store" / "briefings.sqlite"
        load0 = os.getloadavg()[0]
        has_countries = find_spec("briefings.countries") is not None
        rows = [child("ingest+countries" if has_countries else "ingest", root, profile=a.profile),
                child("ingest, cold store", root, db), child("re-ingest, warm store", root, db)]

    n = len(docs)
    print()
    print(f"{'stage':<28}{'seconds':>9}{'articles/s':>12}{'CPU s main':>12}{'CPU s tree':>12}"
          f"{'RSS MiB main':>14}{'RSS MiB tree':>14}{'fresh':>8}")
    first = rows[0]
    lines = [("ingest+segment+chunk", first["seconds"], first["cpu"], first["tree_cpu"], first["rss_mib"],
              first["tree_rss_mib"], first["fresh"])]
    if "countries_seconds" in first:
        lines.append(("  country tagging (after)", first["countries_seconds"], first["countries_cpu"], None,
                      first["rss_mib"], None, None))
        lines.append(("  total with countries", first["seconds"] + first["countries_seconds"],
                      first["cpu"] + first["countries_cpu"], first["tree_cpu"] + first["countries_cpu"], None,
                      None, None))
    lines += [(r["stage"], r["seconds"], r["cpu"], r["tree_cpu"], r["rss_mib"], r["tree_rss_mib"], r["fresh"])
              for r in rows[1:]]

    def cell(v, width: int, fmt: str = ",.1f") -> str:
        return f"{'' if v is None else format(v, fmt):>{width}}"

    for name, sec, cpu, tcpu, rss, trss, fresh in lines:
        print(f"{name:<28}{sec:>9.2f}{n / sec:>12,.0f}{cell(cpu, 12)}{cell(tcpu, 12)}{cell(rss, 14, ',.0f')}"
              f"{cell(trss, 14, ',.0f')}{cell(fresh, 8, ',')}")
    print()
    print(f"articles kept {first['articles']:,} (exact duplicates merged: {first['duplicates']}), skipped "
          f"{first['skipped']}, stories {first['stories']} grouping {first['in_stories']} articles "
          f"(near duplicates injected: {kinds['near_dup']}), sentences {first['sentences']:,}, chunks "
          f"{first['chunks']:,}, tokens {first['tokens']:,}, languages {first['languages']}"
          + (f", sentences with a country {first['tagged_sentences']:,}" if "tagged_sentences" in first else ""))
    ok = first["seconds"] <= TARGET_SECONDS * n / 10_000 and first["tree_rss_mib"] <= TARGET_RSS_MIB
    print(f"target ≤ {TARGET_SECONDS:.0f} s and ≤ {TARGET_RSS_MIB:.0f} MiB (process tree) per 10,000 articles, "
          f"ingest + segment + chunk: {'MET' if ok else 'MISSED'} ({first['seconds']:.1f} s, "
          f"{first['tree_rss_mib']:,.0f} MiB)")
    print(f"load average (1 min) before {load0:.2f}, at the end {os.getloadavg()[0]:.2f}; wall seconds grow "
          f"when other processes share the {os.cpu_count()} CPUs. RSS tree = peak of the summed VmRSS of the "
          f"stage's process and its descendants (ingest workers, forkserver), sampled every 50 ms")
    if rows[2]["fresh"] != 0:
        print(f"WARNING: re-ingest of unchanged input did work: fresh={rows[2]['fresh']}")
    if a.profile:
        print(first["profile"])


if __name__ == "__main__":
    main()
