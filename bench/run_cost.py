"""Cost benchmark (issue #7): model calls and tokens of `briefings run` against a naive per-country
map-reduce baseline, on the seeds and on a larger synthetic corpus (bench/corpus.py).

`briefings run` runs as a CLI subprocess with a temp config pointing to the fake OpenAI server
(tests/fakeserver.py), answered by the scripted model (tests/scripted_model.py, ``hallucinate=False``).
The server reports ``usage`` counted with the same tokenizer as the corpus (tiktoken cl100k_base:
message contents plus OpenAI's chat framing of 3 tokens per message and 3 per reply), so run.json's
numbers and the per-phase numbers counted here are in the same unit as "corpus tokens".

Baseline (computed, no server call): for each briefed country, one "summarise this chunk about X" call
per chunk with a sentence tagged X (prompt = instruction + chunk text, completion = ``SUMMARY_TOKENS``),
then one combine call over that country's summaries (completion = ``BRIEFING_TOKENS``). Same countries,
same chunks and same tokenizer as our run; it gets the country tagger for free (generous to it).

Targets: extract prompt tokens <= 1.25 x corpus tokens; baseline tokens >= 5 x ours (where attainable:
see ``reduction_attainable``; not on the seeds); a rerun makes 0 calls. Exit status 1 when one is
missed. Also reports the grounding of the seeds run with a faithful and with a hallucinating scripted
model, and that no hallucinated sentence is shown as supported.

The scripted model is pessimistic where a real one costs less (its extraction restates every tagged
sentence as a claim, so extract completions are about the corpus size) and optimistic where a real one
costs more (it writes source sentences word for word, which the judge never needs to see: a
paraphrasing model pays one judge call per 10 sentences).

    flock /tmp/bench.lock .venv/bin/python bench/run_cost.py [-n 500] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench"), str(ROOT / "tests")]

from fakeserver import FakeOpenAIServer, Reply  # noqa: E402
from scripted_model import ScriptedModel, _task  # noqa: E402

from briefings.tokens import count  # noqa: E402

SEEDS = ROOT / "seeds"
EXTRACT_RATIO_MAX = 1.25
REDUCTION_MIN = 5.0
SUMMARY_TOKENS = 60  # baseline: completion of one chunk summary
BRIEFING_TOKENS = 400  # baseline: completion of one combined briefing
PER_MESSAGE, PER_REPLY = 3, 3  # OpenAI chat framing (tokens per message, reply priming)
SUMMARISE = "Summarise what the following news text says about {country}, in two or three sentences.\n\n"
COMBINE = ("Combine the following summaries about {country} into a short briefing with a bottom line and "
           "the key developments.\n\n")


def chat_tokens(messages: list[dict]) -> int:
    """Prompt tokens of a chat request, as OpenAI bills them (cl100k_base)."""
    return sum(count(str(m.get("content") or "")) + PER_MESSAGE for m in messages) + PER_REPLY


# ------------------------------------------------------------------ our run, through the fake server


@dataclass
class Meter:
    """Per-phase calls and tokens seen by the server (thread-safe: the server is threaded)."""

    phases: dict[str, dict[str, int]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, phase: str, prompt: int, completion: int, system: int) -> None:
        with self.lock:
            p = self.phases.setdefault(phase, {"calls": 0, "prompt_tokens": 0, "completion_tokens": 0,
                                               "system_tokens": 0})
            p["calls"] += 1
            p["prompt_tokens"] += prompt
            p["completion_tokens"] += completion
            p["system_tokens"] += system  # the instructions + schema part of prompt_tokens

    def total(self, key: str) -> int:
        return sum(p[key] for p in self.phases.values())


def serve(server: FakeOpenAIServer, model: ScriptedModel) -> Meter:
    """Answer with ``model``; report usage in cl100k tokens and meter it per phase."""
    meter = Meter()

    def handler(body: dict) -> Reply:
        content = json.dumps(model(body))
        prompt, completion = chat_tokens(body["messages"]), count(content)
        meter.add(_task(body), prompt, completion, chat_tokens(body["messages"][:1]) - PER_REPLY)
        return Reply(content=content, usage={"prompt_tokens": prompt, "completion_tokens": completion})

    server.set_handler(handler)
    return meter


def write_config(work: Path, sources: list[Path], base_url: str) -> Path:
    # md + json only: rendering PDFs costs time and no model call
    cfg = work / "briefings.toml"
    cfg.write_text(
        "[run]\n"
        f"sources = {json.dumps([str(s) for s in sources])}\n"
        f"data_dir = {json.dumps(str(work / 'data'))}\n"
        "[llm]\n"
        f'backend = "openai"\nbase_url = "{base_url}"\nmodel = "fake-model"\n'
        "timeout = 30\nmax_retries = 2\n"
        f'[output]\ndir = {json.dumps(str(work / "out"))}\nformats = ["md", "json"]\n'
    )
    return cfg


def run_cli(cfg: Path) -> tuple[int, dict, str]:
    """(exit code, run.json, stderr) of `briefings run --config cfg`."""
    env = {**os.environ, "OPENAI_API_KEY": "sk-bench-dummy", "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, "-m", "briefings", "run", "--config", str(cfg), "--quiet"],
                          capture_output=True, text=True, env=env, cwd=cfg.parent, timeout=3600)
    runs = sorted((cfg.parent / "out").glob("*/run.json"))
    doc = json.loads(runs[-1].read_text()) if runs else {}
    return proc.returncode, doc, proc.stderr


def measure(sources: list[Path], work: Path, hallucinate: bool = False, rerun: bool = True) -> dict:
    """One cold `briefings run` (and a rerun of the same) against a fresh fake server and cache."""
    work.mkdir(parents=True, exist_ok=True)
    model = ScriptedModel(hallucinate=hallucinate)
    with FakeOpenAIServer() as server:
        meter = serve(server, model)
        cfg = write_config(work, sources, server.base_url)
        code, doc, stderr = run_cli(cfg)
        out = {"exit": code, "stderr": stderr.strip()[-500:], "run": doc,
               "phases": {k: dict(v) for k, v in meter.phases.items()},
               "calls": meter.total("calls"), "prompt_tokens": meter.total("prompt_tokens"),
               "completion_tokens": meter.total("completion_tokens"),
               "grounding": doc.get("grounding"), "grounding_by_country": doc.get("grounding_by_country", {})}
        out["hallucinated"] = len(model.hallucinated)
        out["hallucinated_shown_supported"] = sorted(set(supported_texts(work / "out")) & model.hallucinated)
        if rerun:
            before = len(server.requests)
            code2, doc2, stderr2 = run_cli(cfg)
            out["rerun"] = {"exit": code2, "server_requests": len(server.requests) - before,
                            "run_calls": doc2.get("usage", {}).get("calls"), "stderr": stderr2.strip()[-500:]}
    return out


def supported_texts(out: Path) -> list[str]:
    """Every sentence shown as supported in the per-country JSON briefings."""
    texts = []
    for path in out.glob("*/??.json"):
        for sec in json.loads(path.read_text())["sections"]:
            texts += [s["text"] for s in sec["sentences"] if s.get("verdict") == "supported"]
    return texts


# ------------------------------------------------------------------ corpus and baseline


def corpus_and_baseline(sources: list[Path], work: Path) -> dict:
    """Corpus tokens of the ingested articles, and the naive map-reduce baseline over the same
    countries and chunks our run uses (computed with the tokenizer, no server)."""
    from briefings.config import Settings
    from briefings.countries import country_name
    from briefings.extract import chunk_units
    from briefings.ingest import ingest
    from briefings.corpus import Corpus
    from briefings.pipeline import choose_targets

    settings = Settings()
    settings.run.data_dir = work / "baseline-data"
    articles = ingest([str(s) for s in sources], settings).articles
    tags = Corpus.tagged(articles).tags
    targets, _ = choose_targets(tags, settings, None)
    units = chunk_units(articles, set(targets))
    corpus = sum(count(a.text) for a in articles)

    calls = prompt = completion = 0
    summaries: dict[str, int] = {c: 0 for c in targets}
    for a, sents, present in units:
        chunk = a.text[sents[0].start:sents[-1].end]  # the chunk as the source has it
        n = count(chunk)
        for code in present:
            calls += 1
            prompt += count(SUMMARISE.format(country=country_name(code))) + n + 2 * PER_MESSAGE + PER_REPLY
            completion += SUMMARY_TOKENS
            summaries[code] += 1
    for code, k in summaries.items():
        if k:
            calls += 1
            # summaries joined by blank lines (~1 token each)
            prompt += count(COMBINE.format(country=country_name(code))) + k * (SUMMARY_TOKENS + 1) + PER_MESSAGE + PER_REPLY
            completion += BRIEFING_TOKENS
    return {"articles": len(articles), "corpus_tokens": corpus, "countries": len(targets),
            "chunks_sent": len(units), "baseline": {"calls": calls, "prompt_tokens": prompt,
                                                    "completion_tokens": completion, "tokens": prompt + completion}}


# ------------------------------------------------------------------ report


def row(name: str, stats: dict, ours: dict) -> dict:
    ours_total = ours["prompt_tokens"] + ours["completion_tokens"]
    extract = ours["phases"].get("extract", {}).get("prompt_tokens", 0)
    return {
        "corpus": name, "articles": stats["articles"], "countries": stats["countries"],
        "corpus_tokens": stats["corpus_tokens"], "calls": ours["calls"],
        "prompt_tokens": ours["prompt_tokens"], "completion_tokens": ours["completion_tokens"],
        "extract_ratio": extract / max(1, stats["corpus_tokens"]),
        "extract_system_ratio": ours["phases"].get("extract", {}).get("system_tokens", 0) / max(1, stats["corpus_tokens"]),
        "baseline_calls": stats["baseline"]["calls"], "baseline_tokens": stats["baseline"]["tokens"],
        "reduction": stats["baseline"]["tokens"] / max(1, ours_total),
        "rerun_calls": ours["rerun"]["server_requests"], "phases": ours["phases"],
        "run_json_usage": ours["run"].get("usage", {}), "exit": ours["exit"], "rerun_exit": ours["rerun"]["exit"],
        "grounding": ours["grounding"], "grounding_by_country": ours["grounding_by_country"],
        "hallucinated_shown_supported": ours["hallucinated_shown_supported"],
    }


def table(rows: list[dict]) -> str:
    head = ("| corpus | articles | corpus tokens | our calls | our prompt tok | our completion tok "
            "| extract prompt / corpus | baseline calls | baseline tokens | reduction × | rerun calls |")
    lines = [head, "|" + "---|" * (head.count("|") - 1)]
    for r in rows:
        lines.append(f"| {r['corpus']} | {r['articles']} | {r['corpus_tokens']:,} | {r['calls']:,} | "
                     f"{r['prompt_tokens']:,} | {r['completion_tokens']:,} | {r['extract_ratio']:.2f} | "
                     f"{r['baseline_calls']:,} | {r['baseline_tokens']:,} | {r['reduction']:.1f} | {r['rerun_calls']} |")
    return "\n".join(lines)


def phase_table(rows: list[dict]) -> str:
    lines = ["| corpus | phase | calls | prompt tok | completion tok |", "|---|---|---|---|---|"]
    for r in rows:
        for phase in ("extract", "compose", "verify"):
            p = r["phases"].get(phase, {"calls": 0, "prompt_tokens": 0, "completion_tokens": 0})
            lines.append(f"| {r['corpus']} | {phase} | {p['calls']:,} | {p['prompt_tokens']:,} | {p['completion_tokens']:,} |")
    return "\n".join(lines)


def reduction_attainable(r: dict) -> bool:
    """Whether ``REDUCTION_MIN`` can be reached on this corpus at all: a run whose only cost were an
    extract prompt at the allowed ``EXTRACT_RATIO_MAX`` x corpus (no answers, no compose) must beat it.
    On the seeds (5 articles, 27 country-chunk pairs) it cannot: 20,713 / (1.25 x 3,638) = 4.6."""
    return r["baseline_tokens"] / (EXTRACT_RATIO_MAX * max(1, r["corpus_tokens"])) >= REDUCTION_MIN


def misses(r: dict) -> list[str]:
    out = []
    if r["extract_ratio"] > EXTRACT_RATIO_MAX:
        out.append(f"{r['corpus']}: extract prompt / corpus {r['extract_ratio']:.2f} > {EXTRACT_RATIO_MAX}")
    if r["reduction"] < REDUCTION_MIN and reduction_attainable(r):
        out.append(f"{r['corpus']}: baseline / ours {r['reduction']:.1f} < {REDUCTION_MIN}")
    if r["rerun_calls"] != 0:
        out.append(f"{r['corpus']}: rerun made {r['rerun_calls']} calls")
    if r["exit"] != 0 or r["rerun_exit"] != 0:
        out.append(f"{r['corpus']}: briefings run exited {r['exit']} / rerun {r['rerun_exit']}")
    if r["run_json_usage"].get("calls") != r["calls"]:
        out.append(f"{r['corpus']}: run.json counts {r['run_json_usage'].get('calls')} calls, server {r['calls']}")
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, default=500, help="articles in the larger corpus (0: seeds only)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--json", action="store_true", help="also print every number as JSON")
    args = ap.parse_args(argv)

    rows, failed = [], []
    with tempfile.TemporaryDirectory(prefix="bench-run-cost-") as tmp:
        tmp = Path(tmp)
        corpora = [("seeds", [SEEDS])]
        if args.n:
            from corpus import make_corpus, write_files

            write_files(make_corpus(args.n, args.seed), tmp / "corpus")
            corpora.append((f"synthetic {args.n}", [tmp / "corpus"]))
        for name, sources in corpora:
            work = tmp / name.replace(" ", "-")
            stats = corpus_and_baseline(sources, work)
            rows.append(row(name, stats, measure(sources, work / "faithful")))
            failed += misses(rows[-1])
        lies = measure([SEEDS], tmp / "seeds-hallucinating", hallucinate=True, rerun=False)

    print(table(rows))
    print()
    print(phase_table(rows))
    print()
    for r in rows:
        print(f"{r['corpus']}: extract prompt / corpus {r['extract_ratio']:.2f} = system message (instructions, "
              f"schema, country list) {r['extract_system_ratio']:.2f} + article with sentence markup "
              f"{r['extract_ratio'] - r['extract_system_ratio']:.2f}")
    for r in rows:
        if not reduction_attainable(r):
            print(f"{r['corpus']}: a {REDUCTION_MIN:.0f}x reduction is not attainable on this corpus: the baseline costs "
                  f"{r['baseline_tokens'] / r['corpus_tokens']:.1f}x the corpus, less than {REDUCTION_MIN:.0f} x "
                  f"{EXTRACT_RATIO_MAX} (an extract prompt at its allowed size and nothing else); not counted as missed")
    print(f"seeds grounding: faithful model {rows[0]['grounding']}; "
          f"hallucinating model {lies['grounding']} ({lies['hallucinated']} hallucinated statements written, "
          f"{len(lies['hallucinated_shown_supported'])} shown as supported)")
    if lies["hallucinated_shown_supported"]:
        failed.append(f"hallucinated sentences shown as supported: {lies['hallucinated_shown_supported']}")
    if lies["exit"] not in (0, 3):
        failed.append(f"hallucinating run exited {lies['exit']}: {lies['stderr']}")
    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    if args.json:
        print(json.dumps({"rows": rows, "hallucinating_seeds": {k: lies[k] for k in
                          ("grounding", "grounding_by_country", "hallucinated", "hallucinated_shown_supported",
                           "calls", "phases", "exit")}}, indent=1))
    for f in failed:
        print(f"MISSED {f}")
    print("OK" if not failed else "FAILED")
    return 0 if not failed else 1


if __name__ == "__main__":
    sys.exit(main())
