"""The main job: sources → verified per-country briefings → documents. Plain functions, one per stage."""

from __future__ import annotations

import json
import os
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from .config import Settings
from .dates import parse_published as _parse_date
from .errors import GroundingBelowThreshold, LLMError, NoInput, OutputError, UsageError
from .fsutil import atomic_write
from .log import Reporter

if TYPE_CHECKING:
    from .corpus import Corpus
from .models import Article, Briefing, BriefingSentence, Claim, Failure, Skipped, Usage, Window

PERIOD_FMT = "{y:04d}-W{w:02d}"


@dataclass
class BuildResult:
    briefings: list[Briefing]
    articles: list[Article]
    skipped: list[Skipped]
    failures: list[Failure] = field(default_factory=list)  # units (packs, countries, judge batches) that failed for good
    messages: list[str] = field(default_factory=list)  # e.g. "no evidence for FR: no briefing written"
    usage: Usage = field(default_factory=Usage)
    grounding: float = 0.0
    period: str = ""
    files: list[Path] = field(default_factory=list)
    run: dict = field(default_factory=dict)


def iso_week(d: date) -> str:
    y, w, _ = d.isocalendar()
    return PERIOD_FMT.format(y=y, w=w)


def default_period(articles: list[Article], today: date | None = None) -> str:
    """ISO week of the newest dated article; this week when no article carries a date."""
    dates = [d for d in (_parse_date(a.published) for a in articles) if d]
    return iso_week(max(dates) if dates else (today or date.today()))


def choose_targets(tags: dict, settings: Settings, wanted: list[str] | None) -> tuple[list[str], list[str]]:
    """(countries to brief, messages). Requested countries are honoured; otherwise those that at least
    ``run.min_articles`` articles are about."""
    from .countries import country_name

    messages = []
    if wanted:
        about = {c for t in tags.values() for c in [*t.mentions, *t.about]}
        targets = []
        for code in dict.fromkeys(c.upper() for c in wanted):
            if code in about:
                targets.append(code)
            else:
                messages.append(f"no evidence for {code} ({country_name(code)}) in the sources: no briefing written")
        return targets, messages
    counts: dict[str, int] = defaultdict(int)
    for t in tags.values():
        for code in t.about:
            counts[code] += 1
    targets = sorted((c for c, n in counts.items() if n >= settings.run.min_articles), key=lambda c: (-counts[c], c))
    return targets, messages


def preflight(settings: Settings, countries: list[str] | None = None, write: bool = True) -> list[str]:
    """Everything knowably wrong with a request, found before any work (no file read, no model call):
    an unknown country (names are accepted), a missing key or model file, an output path that is not
    a directory. Settings values themselves were validated when they were loaded. Returns the codes."""
    from .countries import resolve_countries
    from .llm import REGISTRY

    from .translate import translators

    codes = resolve_countries(countries)
    REGISTRY[settings.llm.backend].preflight(settings)
    translators()[settings.compose.translator].preflight(settings)  # "llm": its backend's key or model file
    if write:
        out = Path(settings.output.dir)
        if out.exists() and not out.is_dir():
            raise UsageError(f"the output path {out} exists and is not a directory")
        existing = next(p for p in (out, *out.absolute().parents) if p.exists())
        if not os.access(existing, os.W_OK | os.X_OK):
            raise OutputError(f"cannot write to {existing}: permission denied")
    return codes


def build(paths: list[str], settings: Settings, countries: list[str] | None = None,
          reporter: Reporter | None = None, llm=None, write: bool = True,
          skipped: list[Skipped] | None = None) -> BuildResult:
    """Run every stage; write documents and run.json when ``write``. Raises only for whole-run failures.
    Reads as the pipeline: ingest → countries → extract → merge → compose → verify → render."""
    from .compose import compose_all
    from .corpus import Corpus
    from .llm import LLM
    from .merge import merge_claims
    from .verify import grounding

    reporter = reporter or Reporter.auto()
    started = time.monotonic()
    countries = preflight(settings, countries or settings.run.countries, write)
    articles, skipped, window = ingest_window(paths, settings, reporter, skipped)
    period = settings.output.period or run_period(articles, window)
    with reporter.stage("countries", len(articles)) as step:
        corpus = Corpus.tagged(articles, progress=step, outlets=settings.countries.outlets)
    corpus.background = dict((window or {}).pop("background_dates", {}))
    left_out = (window or {}).pop("left_out", [])
    targets, messages = choose_targets(corpus.tags, settings, countries)
    if countries and not targets:
        raise NoInput("nothing built: " + "; ".join(messages))

    from .translate import get_translator, outcome_line

    own_llm = llm is None
    llm = llm or LLM(settings)
    translator = get_translator(settings)
    try:
        claims = extract(corpus, targets, llm, settings, reporter)
        by_country = claims_by_country(merge_claims(claims, corpus.by_id), targets, messages)
        ctx = verify_context(corpus, settings)
        with reporter.stage("compose", len(by_country)) as step:
            briefings = compose_all(by_country, period, corpus, llm, settings, progress=_delta(step),
                                    translator=translator, ctx=ctx)
        briefings, checked = verify_all(briefings, corpus, llm, settings, reporter, ctx=ctx)
        if window:
            for b in briefings:
                b.window = Window(label=window["label"], start=window["start"], end=window["end"],
                                  before=window["before"], excluded=window["excluded"], undated=window["undated"])
        # one ledger: the clients record every unit that failed for good (translations too: exit 4)
        usage = llm.usage.model_copy().add(translator.usage)
        failed = list(llm.failures) + list(translator.failures)
    finally:
        translator.close()
        if own_llm:
            llm.close()
    line = outcome_line(translator.outcome) if translator.translates else None
    if line:
        reporter.warn(line)
    res = BuildResult(briefings=briefings, articles=articles, skipped=skipped, failures=failed,
                      messages=messages, usage=usage, period=period,
                      grounding=grounding(checked))
    res.run = run_info(res, paths, settings, started, llm, window)
    if translator.translates:
        res.run["translation"] = {"translator": translator.name, **translator.outcome.as_dict()}
        res.run["prompt_versions"] |= prompt_versions(settings, ("translate",))
    res.run["unused"] = unused_sources(res.briefings, corpus, targets, left_out)
    # articles that named no country and got one from their places or their outlet (places.py)
    res.run["countries_from"] = corpus.countries_from()
    guessed = res.run["countries_from"]["places"] + res.run["countries_from"]["outlet"]
    if guessed:
        reporter.info(f"{guessed} article(s) named no country: {res.run['countries_from']['places']} got it from "
                      f"their places, {res.run['countries_from']['outlet']} from their outlet")
    if res.run["unused"]["count"]:
        reporter.warn(unused_line(res.run["unused"]))
    if write and briefings:  # an empty set never replaces the last good one
        res.files = render_all(res, settings, reporter, started)
    return res


def ingest_window(paths: list[str], settings: Settings, reporter: Reporter,
                  skipped: list[Skipped] | None = None) -> tuple[list[Article], list[Skipped], dict | None]:
    """Ingest the sources and keep the articles inside ``run.since``: (articles, every file skipped,
    what the window did). Raises NoInput when nothing is left to brief."""
    from .ingest import ingest
    from .store import Store

    store = Store(settings.db_path)
    try:
        with reporter.stage("ingest", None) as step:
            result = ingest(paths, settings, store=store, progress=lambda _: step(1))
        articles, window = filter_window(result.articles, settings, store)
    finally:
        store.close()
    if window and window["unreadable_dates"]:
        names = ", ".join(window["unreadable_sources"][:5]) + (", …" if window["unreadable_dates"] > 5 else "")
        reporter.warn(f"{window['unreadable_dates']} article(s) with a published date that cannot be read, "
                      f"treated as undated: {names}")
    if not articles or window and not window["kept"]:
        if not result.articles or window is None:
            raise NoInput("no article could be ingested")
        raise NoInput(f"no article in the window {window['label']} ({window['start']} to "
                      f"{window['end'] or 'now'}): {window['before']} before it (context only), "
                      f"{window['excluded']} outside it, {window['undated']} undated "
                      f"(run.undated = {window['undated_rule']})")
    return articles, list(skipped or []) + result.skipped, window


def run_period(articles: list[Article], window: dict | None) -> str:
    """A closed window (last-week, a week) names its own period; otherwise the newest article's week does."""
    if window and window["end"] and window["start"]:
        return iso_week(date.fromisoformat(window["start"]))
    return default_period(articles)


def extract(corpus: Corpus, targets: list[str], llm, settings: Settings, reporter: Reporter) -> list[Claim]:
    """The map step: the targets' chunks, packed to the backend's budget, each → claims."""
    from .extract import chunk_units, extract_claims, pack_budget, pack_units

    units = pack_units(chunk_units(corpus.articles, set(targets)), pack_budget(settings, llm.backend))
    with reporter.stage("extract", len(units)) as step:
        return extract_claims(units, llm, settings, progress=_delta(step))


def claims_by_country(merged: list[Claim], targets: list[str], messages: list[str]) -> dict[str, list[Claim]]:
    """Merged claims per target country; a country without any is dropped with a message."""
    by_country: dict[str, list[Claim]] = {c: [] for c in targets}
    for c in merged:
        for code in c.countries:
            if code in by_country:
                by_country[code].append(c)
    for code in [c for c, cl in by_country.items() if not cl]:
        messages.append(f"no claims extracted for {code}: no briefing written")
        del by_country[code]
    return by_country


def verify_all(briefings: list[Briefing], corpus: Corpus, llm, settings: Settings,
               reporter: Reporter, ctx=None) -> tuple[list[Briefing], list[BriefingSentence]]:
    """Every sentence checked against its cited spans, the policy applied, sources attached; and every
    sentence as checked, before the policy removed any (the run's grounding is measured on those)."""
    from .compose import attach_sources
    from .verify import apply_policy, verify_sentences

    ctx = ctx if ctx is not None else verify_context(corpus, settings)
    out, checked = [], []
    with reporter.stage("verify", len(briefings)) as step:
        for b in briefings:
            # one judge batch series per briefing, not per section: fewer calls, one unit name each
            flat = verify_sentences([s for sec in b.sections for s in sec.sentences], b.country, ctx,
                                    llm=llm, unit=f"verify {b.country}")
            for sec in b.sections:
                sec.sentences, flat = flat[:len(sec.sentences)], flat[len(sec.sentences):]
            checked += [s for sec in b.sections for s in sec.sentences]
            b = apply_policy(b, settings.verify.on_unsupported)
            b.model = llm.backend.model
            out.append(attach_sources(b, corpus))
            step(1)
    return out, checked


def render_all(res: BuildResult, settings: Settings, reporter: Reporter, started: float) -> list[Path]:
    """Write every document of the period, run.json last (its duration covers rendering too)."""
    from .render import write_outputs

    def run_json(stage: Path) -> list[Path]:
        res.run["duration_s"] = round(time.monotonic() - started, 3)
        return [atomic_write(stage / "run.json", json.dumps(res.run, ensure_ascii=False, indent=2) + "\n")]

    with reporter.stage("render", None) as step:  # counts the files written
        files = write_outputs(res.briefings, res.period, res.run, Path(settings.output.dir),
                              settings.output.formats, settings, finish=run_json)
        step(len(files))
    return files


def _delta(step):
    """The LLM client reports how many units are done; the reporter wants increments."""
    last = [0]

    def progress(done: int) -> None:
        step(done - last[0])
        last[0] = done
    return progress


def verify_context(corpus: Corpus, settings: Settings | None = None):
    """Everything the verifier checks against: every sentence of the run, and the countries tagged."""
    from .verify import VerifyContext

    return VerifyContext(
        spans={i: corpus.span(i) for i in corpus.sentences},
        sentence_countries={i: s.countries for i, s in corpus.sentences.items()},
        article_countries={aid: sorted(t.mentions) for aid, t in corpus.tags.items()},
        max_citations=(settings or Settings()).verify.max_citations,
    )


def resolve_window(articles: list[Article], settings: Settings,
                   today: date | None = None) -> tuple[date | None, date | None, str]:
    """(start, end, label) of the run's window, [start, end): ``run.since`` (and ``run.until``) when
    given, else the ``--period`` week, else the ISO week of the newest dated article (the period the
    briefing is named after). (None, None) when nothing dates it."""
    from .window import week_of, window, window_start

    end_given = window_start(settings.run.until, today) + timedelta(days=1) if settings.run.until else None
    if settings.run.since:
        start, end = window(settings.run.since, today)
        return start, end_given or end, settings.run.since
    week = week_of(settings.output.period)
    if week:
        return week[0], end_given or week[1], settings.output.period or ""
    if end_given:
        return None, end_given, f"until {settings.run.until}"
    dates = [d for d in (_parse_date(a.published, a.language) for a in articles) if d]
    if not dates:
        return None, None, ""
    newest = iso_week(max(dates))
    monday, next_monday = week_of(newest) or (None, None)
    return monday, next_monday, newest


def filter_window(articles: list[Article], settings: Settings, store=None,
                  today: date | None = None) -> tuple[list[Article], dict | None]:
    """Articles the run may use and what the window did (see ``resolve_window``): {since, label, start,
    end, kept, before, excluded, undated, ...}. Articles inside the window are the news; those published
    up to ``run.background_days`` before it are background, kept for Context only (``background_dates``);
    older or later ones are left out. An undated article follows ``run.undated``: dated by when it was
    first ingested (first-seen, the default), always kept (keep) or left out (drop) when the window
    comes from ``run.since`` / ``run.until``; in the period's week it is kept."""
    start, end, label = resolve_window(articles, settings, today)
    if start is None and end is None:
        unreadable = [a.source for a in articles if a.published and _parse_date(a.published, a.language) is None]
        return articles, ({"since": None, "label": "", "start": None, "end": None, "kept": len(articles),
                           "before": 0, "excluded": 0, "undated": len(articles), "undated_rule": "keep",
                           "unreadable_dates": len(unreadable), "unreadable_sources": unreadable[:20],
                           "background_dates": {}} if unreadable else None)
    # an undated article follows run.undated in a window the user set with --since; the period's own
    # week (default or --period) cannot place it, so it stays, as the masthead's "undated" says
    rule = settings.run.undated if settings.run.since or settings.run.until else "keep"
    seen = store.first_seen([a.id for a in articles]) if store is not None and rule == "first-seen" else {}
    oldest = start - timedelta(days=settings.run.background_days) if start else None
    out, background, excluded, undated, unreadable = [], {}, 0, 0, []
    left_out: list[tuple[str, str]] = []  # (source, why): what run.json lists as unused
    for a in articles:
        d = _parse_date(a.published, a.language)
        if d is None:
            undated += 1
            if a.published:
                unreadable.append(a.source)
            d = _parse_date(seen.get(a.id)) if rule == "first-seen" else None
            if d is None:
                if rule == "drop":
                    excluded += 1
                    left_out.append((a.source, "undated (run.undated = drop)"))
                else:
                    out.append(a)
                continue
        if end is not None and d >= end or oldest is not None and d < oldest:
            excluded += 1
            left_out.append((a.source, f"{'dated' if a.published else 'first seen'} {d.isoformat()}: "
                                       f"{'after' if end is not None and d >= end else 'long before'} the window"))
            continue
        out.append(a)
        if start is not None and d < start:
            background[a.id] = d.isoformat()
    info = {"since": settings.run.since, "label": label, "start": start.isoformat() if start else None,
            "end": end.isoformat() if end else None, "kept": len(out) - len(background),
            "before": len(background), "excluded": excluded, "undated": undated, "undated_rule": rule,
            "unreadable_dates": len(unreadable), "unreadable_sources": unreadable[:20], "background_dates": background,
            "left_out": left_out}
    return out, info


def _stamp(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


def run_info(res: BuildResult, paths: list[str], settings: Settings, started: float, llm,
             window: dict | None = None) -> dict:
    # Documents carry a time only when it is pinned (SOURCE_DATE_EPOCH, the reproducible-builds
    # convention): a rerun with nothing new then rewrites byte-identical files. run.json always says
    # when the run started.
    pinned = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    return {
        "period": res.period,
        "started_at": _stamp(time.time() - (time.monotonic() - started)),
        "generated_at": _stamp(float(pinned)) if pinned.isdigit() else None,
        "window": window,
        "inputs": {"paths": [str(p) for p in paths], "articles": len(res.articles),
                   "skipped": [s.model_dump() for s in res.skipped],
                   "undetermined_language": [a.source for a in res.articles if a.language == "und"]},
        "backend": settings.llm.backend,
        "model": llm.backend.model,
        "prompt_versions": prompt_versions(settings),
        "countries": [b.country for b in res.briefings],
        "grounding": round(res.grounding, 4),
        "grounding_by_country": {b.country: round(b.grounding, 4) for b in res.briefings},
        "usage": res.usage.model_dump(),
        "failures": [f.model_dump() for f in res.failures],
        "messages": res.messages,
        "duration_s": round(time.monotonic() - started, 3),
        "language": settings.output.language,
    }


UNUSED_LISTED = 1000  # run.json lists this many unused sources; the counts cover all


def unused_sources(briefings: list[Briefing], corpus: Corpus, targets: list[str],
                   left_out: list[tuple[str, str]]) -> dict:
    """The sources no briefing cites, each with why: left out by the window, no country found, about
    no country briefed, or not picked (what was shown said more, or said it first)."""
    cited = {corpus.sentences[i].article_id for b in briefings for sec in b.sections for s in sec.sentences
             for i in s.citations if i in corpus.sentences}
    briefed = {b.country for b in briefings}
    rows: list[tuple[str, str]] = list(left_out)
    for a in corpus.articles:
        if a.id in cited:
            continue
        tags = corpus.tags.get(a.id)
        if tags is None or not (tags.mentions or tags.about):
            why = "no country found"
        elif not (set(tags.mentions) | set(tags.about)) & (briefed or set(targets)):
            why = "about no country briefed"
        else:
            why = "not picked for a briefing"
        rows.append((a.source, why))
    by_reason: dict[str, int] = defaultdict(int)
    for _, why in rows:
        by_reason[why.split(": ")[-1]] += 1
    return {"count": len(rows), "by_reason": dict(sorted(by_reason.items(), key=lambda x: -x[1])),
            "sources": [{"source": src, "reason": why} for src, why in rows[:UNUSED_LISTED]]}


def unused_line(unused: dict) -> str:
    """One counted line naming a few sources per reason: '3 source(s) contributed nothing: 2 no country
    found (a.txt, b.txt), 1 after the window (c.txt); all in run.json'."""
    named: dict[str, list[str]] = defaultdict(list)
    for row in unused["sources"]:
        named[row["reason"].split(": ")[-1]].append(row["source"].rsplit("/", 1)[-1])
    parts = []
    for why, n in unused["by_reason"].items():
        shown = named.get(why, [])[:3]
        more = ", …" if n > len(shown) else ""
        parts.append(f"{n} {why} ({', '.join(shown)}{more})" if shown else f"{n} {why}")
    return f"{unused['count']} source(s) contributed nothing: {'; '.join(parts)}; all in run.json"


def prompt_versions(settings: Settings, tasks: tuple[str, ...] = ("extract", "compose", "verify")) -> dict[str, str]:
    import hashlib

    from .llm.prompts import environment

    env = environment(str(settings.llm.prompts_dir) if settings.llm.prompts_dir else None)
    out = {}
    for task in tasks:
        source, _, _ = env.loader.get_source(env, f"{task}.j2")  # type: ignore[union-attr]
        out[task] = hashlib.sha256(source.encode()).hexdigest()[:12]
    return out


def check_thresholds(res: BuildResult, settings: Settings) -> None:
    """Exit-code policy after a build: grounding threshold (3), then partial failures (4)."""
    from .errors import PartialFailure

    floor = settings.verify.min_grounding
    if not res.briefings:  # nothing was written either: the previous outputs stand
        if res.failures:
            first = res.failures[0]
            raise LLMError(f"nothing built: {len(res.failures)} model unit(s) failed; first: "
                           f"{first.task} {first.unit}: {first.error}")
        raise NoInput("nothing built: " + ("; ".join(res.messages) or "no briefing"))
    if floor is not None and res.grounding < floor:
        raise GroundingBelowThreshold(f"grounding {res.grounding:.2f} is below the threshold {floor:.2f}")
    if res.failures or res.skipped:
        parts = []
        if res.skipped:
            parts.append(f"{len(res.skipped)} source(s) skipped")
        if res.failures:
            parts.append(f"{len(res.failures)} unit(s) failed")
        raise PartialFailure("partial run: " + ", ".join(parts) + " (see run.json)")



