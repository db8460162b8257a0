"""The `briefings` command line: a thin layer over the stage functions.

Every BriefingsError becomes one line on stderr and its exit code (see README, "Exit codes").
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.table import Table

from .config import Settings, load_settings
from .errors import BriefingsError, NoInput
from .text import inert

# pretty_exceptions off: a traceback with locals could show a key; errors are one line (see main()).
app = typer.Typer(add_completion=False, no_args_is_help=True, rich_markup_mode="rich",
                  pretty_exceptions_enable=False,
                  help="Per-country news briefings in which every sentence is cited and verified.")
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)  # one error = one line, whatever the width (logs, cron mail)

# ------------------------------------------------------------------ shared options
Paths = Annotated[list[str], typer.Argument(metavar="PATH", help="Files, directories (recursive) or - for stdin.")]
ConfigOpt = Annotated[Optional[Path], typer.Option("--config", "-c", metavar="FILE", help="TOML config file.")]
JsonOpt = Annotated[bool, typer.Option("--json", metavar="", help="Machine-readable JSON on stdout.")]
DataDirOpt = Annotated[Optional[Path], typer.Option("--data-dir", metavar="DIR", help="Store and cache directory.")]
BackendOpt = Annotated[Optional[str], typer.Option("--backend", metavar="NAME", help="extractive | openai | local")]
ModelOpt = Annotated[Optional[str], typer.Option("--model", metavar="NAME", help="Model name for the endpoint.")]
BaseUrlOpt = Annotated[Optional[str], typer.Option("--base-url", metavar="URL", help="OpenAI-compatible endpoint URL.")]
ModelPathOpt = Annotated[Optional[Path], typer.Option("--model-path", metavar="FILE", help="GGUF file for --backend local.")]
NoCacheOpt = Annotated[bool, typer.Option("--no-cache", metavar="", help="Bypass the LLM response cache.")]


def _settings(config: Path | None = None, *, data_dir: Path | None = None, backend: str | None = None,
              model: str | None = None, base_url: str | None = None, model_path: Path | None = None,
              no_cache: bool = False, **sections: dict) -> Settings:
    over: dict[str, dict] = {
        "run": {"data_dir": data_dir},
        "llm": {"backend": backend, "model": model, "base_url": base_url, "model_path": model_path,
                "cache": False if no_cache else None},
    }
    for name, values in sections.items():
        over.setdefault(name, {}).update(values)
    return load_settings(config, over)


def _store(settings: Settings):
    from .store import Store

    return Store(settings.db_path)


def _ingest(paths: list[str], settings: Settings):
    from .ingest import ingest

    store = _store(settings)
    try:
        return ingest(paths, settings, store=store)
    finally:
        store.close()


_reporters: list = []  # the running command's Reporter: its final error line goes through it too


def _reporter(quiet: bool, log_json: bool, log_file: Path | None):
    from .log import Reporter

    reporter = Reporter.auto(quiet=quiet, log_json=log_json, log_file=log_file)
    _reporters.append(reporter)
    return reporter


def _error_line(message: str) -> None:
    """One line on stderr: through the command's Reporter (JSON with --log-json, also into --log-file),
    else through the console."""
    if _reporters:
        _reporters[-1].error(message)
    else:
        err.print(f"[red]error:[/] {inert(message)}", highlight=False)


def _print_skipped(skipped) -> None:
    for s in skipped:
        err.print(f"[yellow]skipped[/] {inert(s.source)}: {inert(s.reason)}", highlight=False)


# ------------------------------------------------------------------ commands


@app.command()
def ingest(paths: Paths, json_out: JsonOpt = False, config: ConfigOpt = None, data_dir: DataDirOpt = None) -> None:
    """Read sources into articles: cleaned text, language, sentences with exact spans, token counts.

    Examples:
      briefings ingest seeds/
      briefings ingest feed.rss articles.jsonl page.html --json | jq '.articles[].title'
      cat article.txt | briefings ingest -
    """
    settings = _settings(config, data_dir=data_dir)
    result = _ingest(paths, settings)
    if json_out:
        doc = {
            "articles": [
                {"id": a.id, "source": a.source, "title": a.title, "language": a.language, "text": a.text,
                 "sentences": [{"id": s.id, "start": s.start, "end": s.end} for s in a.sentences],
                 "tokens": a.tokens, "story": a.story, "outlet": a.outlet, "url": a.url,
                 "published": a.published, "duplicates": a.duplicates, "hidden": a.hidden, "unsure": a.unsure}
                for a in result.articles
            ],
            "skipped": [s.model_dump() for s in result.skipped],
            "undetermined_language": result.undetermined,
        }
        sys.stdout.write(json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
    else:
        table = Table(title=f"{len(result.articles)} articles ({result.fresh} new)")
        for col in ("id", "lang", "title", "sentences", "tokens", "story"):
            table.add_column(col, overflow="fold")
        for a in result.articles:
            title = a.title or (a.sentences[0].text[:70] + "…" if a.sentences else "")
            table.add_row(*map(inert, (a.id, a.language, title, len(a.sentences), a.tokens, a.story or "")))
        out.print(table)
        if result.stories:
            for story, ids in result.stories.items():
                out.print(f"story {inert(story)}: {len(ids)} articles grouped as one story: {inert(', '.join(ids))}",
                          highlight=False)
    _print_skipped(result.skipped)
    _skip_policy(result)


def _skip_policy(result) -> None:
    """As for build: nothing ingested is a failure (1), something skipped a partial run (4)."""
    from .errors import PartialFailure

    if not result.articles:
        raise NoInput("no article could be ingested")
    if result.skipped:
        raise PartialFailure(f"partial: {len(result.skipped)} source(s) skipped")


@app.command()
def show(article_id: Annotated[str, typer.Argument(metavar="ID", help="Article id (or a unique prefix, or a sentence id, which is then marked).")],
         config: ConfigOpt = None, data_dir: DataDirOpt = None) -> None:
    """Print an ingested article's sentences with their ids; given a sentence id, that sentence is marked.

    Examples:

      briefings show d0cf06b6d27f

      briefings show d0cf06b6d27f:s4
    """
    settings = _settings(config, data_dir=data_dir)
    store = _store(settings)
    try:
        found = store.find(article_id)
    finally:
        store.close()
    if not found:
        raise NoInput(f"no ingested article with id {article_id!r}: run 'briefings ingest' first")
    if len(found) > 1:
        raise BriefingsError(f"{article_id!r} is ambiguous: {', '.join(a.id for a in found[:10])}")
    a = found[0]
    out.print(f"[bold]{inert(a.title or '(untitled)')}[/]  {a.id}  {inert(a.language)}  {inert(a.source)}",
              highlight=False)
    asked = article_id if ":" in article_id else None  # a sentence id: mark that sentence
    if asked and not any(s.id == asked for s in a.sentences):
        raise NoInput(f"article {a.id} has no sentence {article_id!r}")
    for s in a.sentences:
        if s.id == asked:
            out.print(f"[bold reverse]{s.id:>20}[/] [bold]» {inert(s.text)}[/]", highlight=False)
        else:
            out.print(f"[dim]{s.id:>20}[/]   {inert(s.text)}", highlight=False)


FormatOpt = Annotated[Optional[str], typer.Option("--format", "-f", metavar="LIST", help="Comma list of md,html,pdf,json.")]
OutOpt = Annotated[Optional[Path], typer.Option("--out", "-o", metavar="DIR", help="Output directory (default out/).")]
LangOpt = Annotated[Optional[str], typer.Option("--language", metavar="CODE", help="Output language (ISO 639-1), e.g. en, de.")]
CountryOpt = Annotated[Optional[list[str]], typer.Option(
    "--country", metavar="COUNTRY", help="Country code or name (RS, XK, Serbia, Serbien); repeat or comma-separate: --country RS,XK. "
                      "Default: every country the sources are about.")]
PolicyOpt = Annotated[Optional[str], typer.Option("--on-unsupported", metavar="POLICY", help="drop | flag | fail")]
MinGroundOpt = Annotated[Optional[float], typer.Option("--min-grounding", metavar="0..1", help="Exit 3 when the run's grounding is below this (0..1).")]
PeriodOpt = Annotated[Optional[str], typer.Option("--period", metavar="LABEL", help="Period label, e.g. 2026-W47 (default: ISO week of the newest article).")]
SinceOpt = Annotated[Optional[str], typer.Option("--since", metavar="WINDOW", help="Window start: 7d, 2w, last-week, or a date (default: the period's week).")]
UntilOpt = Annotated[Optional[str], typer.Option("--until", metavar="DATE", help="Last day of the window (a date, or 7d for a week ago).")]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", metavar="", help="Only warnings and errors on stderr.")]
LogJsonOpt = Annotated[bool, typer.Option("--log-json", metavar="", help="Log lines as JSON on stderr.")]
LogFileOpt = Annotated[Optional[Path], typer.Option("--log-file", metavar="FILE", help="Also append log lines to this file.")]


def _summary_lines(res) -> list[str]:
    u = res.usage
    lines = [
        f"period {res.period}: {len(res.briefings)} briefing(s) {', '.join(b.country for b in res.briefings)}",
        f"articles {len(res.articles)} ({len(res.skipped)} source(s) skipped); model calls {u.calls}, "
        f"cache hits {u.cache_hits}, tokens {u.prompt_tokens}+{u.completion_tokens}, cost ${u.cost:.4f}",
        f"grounding {res.grounding:.2f} " + " ".join(f"{b.country}={b.grounding:.2f}" for b in res.briefings),
    ]
    w = res.run.get("window")
    if w:
        lines.append(f"window {w.get('label') or w['since']}: {w['start'] or 'any'} to {w['end'] or 'now'}; kept "
                     f"{w['kept']}, excluded {w['excluded']}, undated {w['undated']} ({w['undated_rule']}); "
                     f"{w.get('before', 0)} earlier (context only)")
    lines += [f"note: {m}" for m in res.messages]
    lines += [f"failed: {f.task} {f.unit} after {f.attempts} attempt{'s' * (f.attempts != 1)}: {f.error}"
              for f in res.failures]
    if res.run.get("duration_s") is not None:
        lines.append(f"duration {res.run['duration_s']:.1f}s")
    return lines


@app.command()
def build(
    paths: Paths, country: CountryOpt = None, fmt: FormatOpt = None, out_dir: OutOpt = None,
    language: LangOpt = None, period: PeriodOpt = None, since: SinceOpt = None, until: UntilOpt = None,
    on_unsupported: PolicyOpt = None,
    min_grounding: MinGroundOpt = None, config: ConfigOpt = None, data_dir: DataDirOpt = None,
    backend: BackendOpt = None, model: ModelOpt = None, base_url: BaseUrlOpt = None,
    model_path: ModelPathOpt = None, no_cache: NoCacheOpt = False, quiet: QuietOpt = False,
    log_json: LogJsonOpt = False, log_file: LogFileOpt = None,
    deliver: Annotated[bool, typer.Option("--deliver", metavar="", help="Then send them as \\[deliver] in the config says (exit 6 when a delivery fails).")] = False,
) -> None:
    """Build verified per-country briefings from sources and write them to out/<period>/.

    Examples:

      briefings build seeds/ --out out

      briefings build news/ --country RS --country XK --format md,pdf

      briefings build news/ --backend openai --model gpt-4o-mini --min-grounding 0.8

      briefings build news/ --since 2026-11-16 --until 2026-11-22

    The window is the period's ISO week (the newest article's, or --period), or --since/--until;
    articles from up to run.background_days before it feed Context only, shown with their date.
    """
    from .pipeline import build as run_build, check_thresholds, preflight

    reporter = _reporter(quiet, log_json, log_file)  # first: a configuration error reaches the log too
    settings = _settings(
        config, data_dir=data_dir, backend=backend, model=model, base_url=base_url,
        model_path=model_path, no_cache=no_cache,
        run={"since": since, "until": until},
        output={"dir": out_dir, "language": language, "period": period,
                "formats": [f.strip() for f in fmt.split(",")] if fmt else None},
        verify={"on_unsupported": on_unsupported, "min_grounding": min_grounding},
    )
    from .fsutil import output_lock

    codes = preflight(settings, country)  # a bad request exits 2 here, before the lock and any work
    if deliver:
        from .deliver import preflight as deliver_preflight

        deliver_preflight(settings)
    with reporter.capture_logging(), output_lock(settings.output.dir):  # lock first: a locked out/ costs no call
        res = run_build(paths, settings, countries=codes, reporter=reporter)
    for s in res.skipped:
        reporter.warn(f"skipped {s.source}: {s.reason}")
    for line in _summary_lines(res):
        reporter.info(line)
    if res.files:
        reporter.info(f"wrote {len(res.files)} file(s) to {Path(settings.output.dir) / res.period}")
    if deliver:
        from .deliver import after_build

        with output_lock(settings.output.dir):
            after_build(settings, res, reporter, check_thresholds)
        return
    check_thresholds(res, settings)


@app.command()
def summary(
    code: Annotated[str, typer.Argument(metavar="COUNTRY", help="Country code or name, e.g. RS, XK (Kosovo), Serbia.")],
    paths: Paths, language: LangOpt = None, config: ConfigOpt = None, data_dir: DataDirOpt = None,
    backend: BackendOpt = None, model: ModelOpt = None, base_url: BaseUrlOpt = None,
    model_path: ModelPathOpt = None, no_cache: NoCacheOpt = False,
) -> None:
    """Print one country's verified briefing in the terminal, with citations. Writes no files.

    Example:

      briefings summary RS seeds/
    """
    from .log import Reporter
    from .pipeline import build as run_build
    from .render import print_briefing

    settings = _settings(config, data_dir=data_dir, backend=backend, model=model, base_url=base_url,
                         model_path=model_path, no_cache=no_cache,
                         output={"language": language})
    res = run_build(paths, settings, countries=[code], reporter=Reporter("plain", quiet=True), write=False)
    _print_skipped(res.skipped)
    if not res.briefings:
        raise NoInput("; ".join(res.messages) or f"no briefing for {code.upper()}")
    print_briefing(res.briefings[0], out)


@app.command()
def countries(paths: Paths, json_out: JsonOpt = False,
              min_articles: Annotated[int, typer.Option("--min-articles", metavar="N", help="Only countries with at least N articles.")] = 1,
              config: ConfigOpt = None, data_dir: DataDirOpt = None) -> None:
    """Which countries the sources are about: article counts, mentions and salience.

    Example:

      briefings countries seeds/ --min-articles 2
    """
    from .countries import summarize, tag_article

    settings = _settings(config, data_dir=data_dir)
    result = _ingest(paths, settings)
    stats = summarize([tag_article(a, outlets=settings.countries.outlets) for a in result.articles],
                      min_articles=min_articles)
    if json_out:
        doc = {"countries": [{"code": c.code, "name": c.name, "articles": c.articles, "mentions": c.mentions,
                              "salience": round(c.salience, 4)} for c in stats]}
        sys.stdout.write(json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
    else:
        table = Table(title=f"countries in {len(result.articles)} articles")
        for col in ("code", "name", "articles", "mentions", "salience"):
            table.add_column(col)
        for c in stats:
            table.add_row(*map(inert, (c.code, c.name, len(c.articles), c.mentions, f"{c.salience:.2f}")))
        out.print(table)
    _print_skipped(result.skipped)
    _skip_policy(result)


def _verdict_rows(results) -> None:
    colors = {"supported": "green", "partial": "yellow", "unverified": "blue", "unsupported": "red"}
    for i, r in enumerate(results, start=1):
        v = r.verdict.value
        out.print(f"{i:>3}. [{colors[v]}]{v:<11}[/] {inert(r.text)}", highlight=False)
        for reason in r.reasons:
            out.print(f"       [dim]- {inert(reason)}[/]", highlight=False)


@app.command()
def check(
    draft: Annotated[Path, typer.Argument(metavar="DRAFT.md", help="Markdown draft whose sentences cite [<sentence-id>].")],
    sources: Annotated[list[str], typer.Option("--sources", "-s", metavar="PATH", help="The sources the ids refer to.")],
    country: Annotated[Optional[str], typer.Option("--country", metavar="COUNTRY", help="Country the draft is about.")] = None,
    json_out: JsonOpt = False, config: ConfigOpt = None, data_dir: DataDirOpt = None,
    backend: BackendOpt = None, model: ModelOpt = None, base_url: BaseUrlOpt = None, no_cache: NoCacheOpt = False,
    min_grounding: MinGroundOpt = None,
) -> None:
    """Verify a hand-written Markdown draft against its cited source sentences; print the verdicts.

    Ends with a summary line. Exit 3 when a sentence is unsupported, or with --min-grounding when the
    draft's grounding is below it.

    Example:

      briefings check draft.md --sources seeds/ --min-grounding 0.8
    """
    from .check import check_draft
    from .corpus import Corpus
    from .pipeline import verify_context

    settings = _settings(config, data_dir=data_dir, backend=backend, model=model, base_url=base_url,
                         no_cache=no_cache, verify={"min_grounding": min_grounding})
    from .countries import resolve_country

    code = resolve_country(country) if country else None  # a bad name is refused before any reading
    try:
        text = draft.read_text(encoding="utf-8")
    except OSError as e:
        raise NoInput(f"cannot read {draft}: {e.strerror or e}") from None
    result = _ingest(sources, settings)
    _print_skipped(result.skipped)
    ctx = verify_context(Corpus.tagged(result.articles), settings)
    llm = None
    if settings.llm.backend != "extractive":
        from .llm import LLM

        llm = LLM(settings)
    try:
        results = check_draft(text, ctx, country=code, llm=llm)
    finally:
        if llm:
            llm.close()
    if json_out:
        sys.stdout.write(json.dumps([r.model_dump(mode="json") for r in results], ensure_ascii=False, indent=2) + "\n")
    else:
        _verdict_rows(results)
    _check_verdict(results, settings.verify.min_grounding)


def _check_verdict(results, floor: float | None) -> None:
    """The draft's summary line on stderr (stdout may be JSON), then its exit code."""
    from collections import Counter

    from .errors import GroundingBelowThreshold
    from .verify import grounding

    counts = Counter(r.verdict.value for r in results)
    score = grounding(results)
    err.print(f"{len(results)} statement(s): " + ", ".join(f"{counts[v]} {v}" for v in
              ("supported", "partial", "unverified", "unsupported")) + f"; grounding {score:.2f}", highlight=False)
    if not results:
        raise NoInput("the draft has no statement to check")
    if floor is not None and score < floor:
        raise GroundingBelowThreshold(f"grounding {score:.2f} is below the threshold {floor:.2f}")
    if floor is None and counts["unsupported"]:
        raise GroundingBelowThreshold(f"{counts['unsupported']} statement(s) unsupported by their citations")


@app.command("check-claims")
def check_claims_cmd(
    file: Annotated[str, typer.Argument(metavar="FILE", help='JSONL rows {"id","doc","claim"}; - for stdin.')],
    config: ConfigOpt = None, backend: BackendOpt = None, model: ModelOpt = None, base_url: BaseUrlOpt = None,
    no_cache: NoCacheOpt = False, data_dir: DataDirOpt = None,
) -> None:
    """Verify free-standing claims against a document each; one JSON row per input on stdout.

    Output rows: {"id", "verdict", "score", "evidence": [{"start", "end"}]}. Works offline (lexical checks).

    Example:

      briefings check-claims claims.jsonl > verdicts.jsonl
    """
    from .check import check_claims

    settings = _settings(config, data_dir=data_dir, backend=backend, model=model, base_url=base_url,
                         no_cache=no_cache)
    try:
        lines = (sys.stdin if file == "-" else open(file, encoding="utf-8")).read().splitlines()
    except OSError as e:
        raise NoInput(f"cannot read {file}: {e.strerror or e}") from None
    rows = []
    for n, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            rows.append(json.loads(line))
        except json.JSONDecodeError as e:
            err.print(f"[yellow]skipped[/] line {n}: invalid JSON: {inert(e.msg)}", highlight=False)
    llm = None
    if settings.llm.backend != "extractive":
        from .llm import LLM

        llm = LLM(settings)
    try:
        for row in check_claims(rows, llm=llm):
            sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
    finally:
        if llm:
            llm.close()


@app.command()
def doctor(config: ConfigOpt = None, backend: BackendOpt = None, model: ModelOpt = None,
           base_url: BaseUrlOpt = None, model_path: ModelPathOpt = None, data_dir: DataDirOpt = None) -> None:
    """Check the setup: backend, endpoint, model, key (never printed), tokenizer offline, PDF engine, cache."""
    from .doctor import doctor as run_doctor

    settings = _settings(config, data_dir=data_dir, backend=backend, model=model, base_url=base_url,
                         model_path=model_path)
    bad = 0
    for name, ok, detail in run_doctor(settings):
        mark = {True: "[green]ok[/]  ", False: "[red]FAIL[/]", None: "[dim]--[/]  "}[ok]
        bad += ok is False
        out.print(f"{mark} {name:<12} {inert(detail)}", highlight=False)
    if bad:
        raise typer.Exit(1)


@app.command("config")
def show_config(config: ConfigOpt = None) -> None:
    """Print the effective configuration (defaults < file < environment), secrets masked."""
    from .config import masked

    settings = _settings(config)
    doc = masked(settings)
    out.print(f"# config file: {inert(settings._source or '(none)')}", highlight=False)
    sys.stdout.flush()
    sys.stdout.write(json.dumps(doc, ensure_ascii=False, indent=2) + "\n")


@app.command()
def run(
    config: ConfigOpt = None, since: SinceOpt = None, until: UntilOpt = None,
    out_dir: OutOpt = None, backend: BackendOpt = None, model: ModelOpt = None, base_url: BaseUrlOpt = None,
    model_path: ModelPathOpt = None, no_cache: NoCacheOpt = False, data_dir: DataDirOpt = None,
    min_grounding: MinGroundOpt = None, on_unsupported: PolicyOpt = None, quiet: QuietOpt = False,
    log_json: LogJsonOpt = False, log_file: LogFileOpt = None,
) -> None:
    """The scheduled job: sources, countries, window and outputs from the config file; locked, incremental.

    Exit codes: 0 ok, 1 failure, 2 usage, 3 grounding below threshold, 4 partial, 5 another run holds the lock,
    6 written but a delivery failed (retried next run).

    Example (crontab, Mondays 06:00):

      0 6 * * 1  cd /srv/briefings && briefings run --config briefings.toml --quiet --log-file run.log
    """
    from .runner import scheduled_run

    reporter = _reporter(quiet, log_json, log_file)  # first: a configuration error reaches the log too
    settings = _settings(
        config, data_dir=data_dir, backend=backend, model=model, base_url=base_url,
        model_path=model_path, no_cache=no_cache,
        run={"since": since, "until": until}, output={"dir": out_dir},
        verify={"on_unsupported": on_unsupported, "min_grounding": min_grounding},
    )
    with reporter.capture_logging():
        scheduled_run(settings, reporter, summary=_summary_lines)


@app.command("diff")
def diff_cmd(
    period_a: Annotated[str, typer.Argument(metavar="PERIOD_A", help="The earlier written period, e.g. 2026-W47.")],
    period_b: Annotated[str, typer.Argument(metavar="PERIOD_B", help="The later one, e.g. 2026-W48.")],
    country: CountryOpt = None, out_dir: OutOpt = None, config: ConfigOpt = None, json_out: JsonOpt = False,
) -> None:
    """What changed between two written periods: new, continued (with the new evidence), dropped.

    Reads out/<period>/<CC>.json; matches statements by their cited facts first, text second.

    Examples:

      briefings diff 2026-W47 2026-W48

      briefings diff 2026-W47 2026-W48 --country RS --json
    """
    from .changes import diff_periods, print_diff
    from .countries import resolve_countries

    codes = resolve_countries(country) if country else None
    settings = _settings(config, output={"dir": out_dir})
    docs = diff_periods(settings.output.dir, period_a, period_b, codes)
    if json_out:
        sys.stdout.write(json.dumps(docs, ensure_ascii=False, indent=2) + "\n")
    else:
        print_diff(docs, out)


@app.command("deliver")
def deliver_cmd(
    period: Annotated[Optional[str], typer.Argument(metavar="PERIOD", help="A written period to send again (default: retry what is pending).")] = None,
    config: ConfigOpt = None, out_dir: OutOpt = None, data_dir: DataDirOpt = None, quiet: QuietOpt = False,
    log_json: LogJsonOpt = False, log_file: LogFileOpt = None,
) -> None:
    """Send written briefings as \\[deliver] in the config says; without PERIOD, retry failed deliveries.

    Exit 6 when a delivery fails (it stays pending for the next run).

    Examples:

      briefings deliver --config briefings.toml

      briefings deliver 2026-W47 --config briefings.toml
    """
    from .deliver import deliver, enabled, preflight as deliver_preflight
    from .errors import UsageError
    from .fsutil import output_lock
    from .render import check_period

    reporter = _reporter(quiet, log_json, log_file)  # first: a configuration error reaches the log too
    settings = _settings(config, data_dir=data_dir, output={"dir": out_dir})
    if not enabled(settings):
        raise UsageError("nothing to deliver to: configure deliver.smtp_host or deliver.webhook_url(_env)")
    deliver_preflight(settings)
    if period is not None:
        _written_period(Path(settings.output.dir), check_period(period))
    with output_lock(settings.output.dir):
        failure = deliver(settings, period, reporter)
    if failure is not None:
        raise failure


def _written_period(out_dir: Path, period: str) -> None:
    """A period to send must have been written: an unknown one is a usage error naming those that exist
    (it used to become a delivery that failed and stayed pending, retried on every run)."""
    from .changes import written_periods
    from .errors import UsageError

    if not (out_dir / period).is_dir():
        known = sorted(p.name for p in written_periods(out_dir))
        raise UsageError(f"no written period {period} in {out_dir}; written: {', '.join(known[-8:]) or 'none'}")


def main() -> None:
    """Console entry point: one clean line and an exit code for every known failure."""
    from .log import Reporter

    try:
        with Reporter("plain").capture_logging():  # library warnings as plain lines; build/run use their own
            app()
    except BriefingsError as e:
        _error_line(str(e))
        sys.exit(e.exit_code)
    except KeyboardInterrupt:
        err.print("interrupted")
        sys.exit(130)
    except OSError as e:  # a disk that filled up or went read-only where no stage expected it
        where = f": {e.filename}" if getattr(e, "filename", None) else ""
        _error_line(f"{e.strerror or e}{where}")
        sys.exit(1)
    finally:  # the command's Reporter outlives the command: its exit line above goes through it too
        for reporter in _reporters:
            reporter.close()
