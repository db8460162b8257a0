"""Benchmark: ingest + segment + chunk (+ country tagging) of a 10,000-article corpus, and re-ingest.

    python bench/ingest.py [-n 10000] [--profile] [--keep DIR]

Builds a synthetic corpus with ``bench/corpus.py`` (files in 100 directories, every 10th article in one
JSONL file, a few bad files), then runs each stage in its own child process so that the peak RSS
(``ru_maxrss``) of one stage is not inflated by another. Target on a 2-core machine: ≤ 30 s and ≤ 1 GiB
for 10,000 articles. ``--profile`` prints where the time of the ingest stage goes (cProfile).
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


# ------------------------------------------------------------------ child: one stage


def run_stage(stage: str, corpus: Path, db: Path | None, profile: bool) -> dict:
    from briefings.ingest import ingest
    from briefings.store import Store

    store = Store(db) if db else None
    prof = cProfile.Profile() if profile else None
    t0, c0 = time.perf_counter(), time.process_time()
    if prof:
        prof.enable()
    result = ingest([str(corpus)], store=store)
    if prof:
        prof.disable()
    t_ingest, c_ingest = time.perf_counter() - t0, time.process_time() - c0
    out = {
        "stage": stage, "seconds": t_ingest, "cpu": c_ingest, "articles": len(result.articles), "fresh": result.fresh,
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
    out["rss_mib"] = _rss_mib()  # this process only: the 2 ingest workers (forkserver children) are not counted
    if prof:
        buf = io.StringIO()
        stats = pstats.Stats(prof, stream=buf)
        stats.sort_stats("cumulative").print_stats(25)
        stats.sort_stats("tottime").print_stats(15)
        out["profile"] = buf.getvalue()
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
        has_countries = find_spec("briefings.countries") is not None
        rows = [child("ingest+countries" if has_countries else "ingest", root, profile=a.profile),
                child("ingest, cold store", root, db), child("re-ingest, warm store", root, db)]

    n = len(docs)
    print()
    print(f"{'stage':<28}{'seconds':>9}{'main CPU s':>11}{'articles/s':>12}{'peak RSS MiB':>14}{'fresh':>8}")
    first = rows[0]
    lines = [("ingest+segment+chunk", first["seconds"], first["cpu"], first["rss_mib"], first["fresh"])]
    if "countries_seconds" in first:
        lines.append(("  country tagging", first["countries_seconds"], first["countries_cpu"], None, None))
        lines.append(("  total with countries", first["seconds"] + first["countries_seconds"],
                      first["cpu"] + first["countries_cpu"], first["rss_mib"], None))
    lines += [(r["stage"], r["seconds"], r["cpu"], r["rss_mib"], r["fresh"]) for r in rows[1:]]
    for name, sec, cpu, rss, fresh in lines:
        print(f"{name:<28}{sec:>9.2f}{cpu:>11.1f}{n / sec:>12,.0f}{'' if rss is None else f'{rss:,.0f}':>14}"
              f"{'' if fresh is None else f'{fresh:,}':>8}")
    print()
    print(f"articles kept {first['articles']:,} (exact duplicates merged: {first['duplicates']}), skipped "
          f"{first['skipped']}, stories {first['stories']} grouping {first['in_stories']} articles "
          f"(near duplicates injected: {kinds['near_dup']}), sentences {first['sentences']:,}, chunks "
          f"{first['chunks']:,}, tokens {first['tokens']:,}, languages {first['languages']}"
          + (f", sentences with a country {first['tagged_sentences']:,}" if "tagged_sentences" in first else ""))
    total = first["seconds"] + first.get("countries_seconds", 0.0)
    ok = total <= TARGET_SECONDS * n / 10_000 and first["rss_mib"] <= TARGET_RSS_MIB
    print(f"target ≤ {TARGET_SECONDS:.0f} s and ≤ {TARGET_RSS_MIB:.0f} MiB per 10,000 articles: "
          f"{'MET' if ok else 'MISSED'} ({total:.1f} s, {first['rss_mib']:,.0f} MiB)")
    print(f"load average at the end: {os.getloadavg()[0]:.1f} (main CPU s and peak RSS are the main process's; "
          f"new files are read in up to 2 worker processes, not counted; wall seconds grow when other "
          f"processes share the {os.cpu_count()} CPUs)")
    if rows[2]["fresh"] != 0:
        print(f"WARNING: re-ingest of unchanged input did work: fresh={rows[2]['fresh']}")
    if a.profile:
        print(first["profile"])


if __name__ == "__main__":
    main()
