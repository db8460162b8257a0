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

# pretty_exceptions off: a traceback with locals could show a key; errors are one line (see main()).
app = typer.Typer(add_completion=False, no_args_is_help=True, rich_markup_mode="rich",
                  pretty_exceptions_enable=False,
                  help="Per-country news briefings in which every sentence is cited and verified.")
out = Console(soft_wrap=True)
err = Console(stderr=True)

# ------------------------------------------------------------------ shared options
Paths = Annotated[list[str], typer.Argument(help="Files, directories (recursive) or - for stdin.")]
ConfigOpt = Annotated[Optional[Path], typer.Option("--config", "-c", help="TOML config file.")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Machine-readable JSON on stdout.")]
DataDirOpt = Annotated[Optional[Path], typer.Option("--data-dir", help="Store and cache directory.")]
BackendOpt = Annotated[Optional[str], typer.Option("--backend", help="extractive | openai | local")]
ModelOpt = Annotated[Optional[str], typer.Option("--model", help="Model name for the endpoint.")]
BaseUrlOpt = Annotated[Optional[str], typer.Option("--base-url", help="OpenAI-compatible endpoint URL.")]
ModelPathOpt = Annotated[Optional[Path], typer.Option("--model-path", help="GGUF file for --backend local.")]
NoCacheOpt = Annotated[bool, typer.Option("--no-cache", help="Bypass the LLM response cache.")]


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

    result = ingest(paths, settings, store=_store(settings))
    return result


def _print_skipped(skipped) -> None:
    for s in skipped:
        err.print(f"[yellow]skipped[/] {s.source}: {s.reason}", highlight=False)


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
                 "published": a.published, "duplicates": a.duplicates}
                for a in result.articles
            ],
            "skipped": [s.model_dump() for s in result.skipped],
        }
        sys.stdout.write(json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
    else:
        table = Table(title=f"{len(result.articles)} articles ({result.fresh} new)")
        for col in ("id", "lang", "title", "sentences", "tokens", "story"):
            table.add_column(col, overflow="fold")
        for a in result.articles:
            title = a.title or (a.sentences[0].text[:70] + "…" if a.sentences else "")
            table.add_row(a.id, a.language, title, str(len(a.sentences)), str(a.tokens), a.story or "")
        out.print(table)
        if result.stories:
            for story, ids in result.stories.items():
                out.print(f"story {story}: {len(ids)} articles grouped as one story: {', '.join(ids)}")
    _print_skipped(result.skipped)
    if not result.articles:
        raise NoInput("no article could be ingested")


@app.command()
def show(article_id: Annotated[str, typer.Argument(help="Article id (or a unique prefix, or a sentence id).")],
         config: ConfigOpt = None, data_dir: DataDirOpt = None) -> None:
    """Print an ingested article's sentences with their ids.

    Example:
      briefings show d0cf06b6d27f
    """
    settings = _settings(config, data_dir=data_dir)
    found = _store(settings).find(article_id)
    if not found:
        raise NoInput(f"no ingested article with id {article_id!r}: run 'briefings ingest' first")
    if len(found) > 1:
        raise BriefingsError(f"{article_id!r} is ambiguous: {', '.join(a.id for a in found[:10])}")
    a = found[0]
    out.print(f"[bold]{a.title or '(untitled)'}[/]  {a.id}  {a.language}  {a.source}", highlight=False)
    for s in a.sentences:
        out.print(f"[dim]{s.id:>20}[/] {s.text}", highlight=False)


def main() -> None:
    """Console entry point: one clean line and an exit code for every known failure."""
    try:
        app()
    except BriefingsError as e:
        err.print(f"[red]error:[/] {e}", highlight=False)
        sys.exit(e.exit_code)
    except KeyboardInterrupt:
        err.print("interrupted")
        sys.exit(130)
