"""What changed since the previous period: each statement of a briefing is matched to last period's
briefing of the same country, and marked new, continued (with the new evidence) or unchanged; last
period's statements nothing matches are listed as dropped.

A statement is matched by the facts it cites first: a cited sentence id both cite, or the same cited
sentence text (an article republished or re-ingested under another id), or a cited article of the same
story with similar text. Only then by text similarity (the token-set ratio ``merge`` uses for "the same
fact in two outlets"), which is what links this week's report of a development to last week's when the
window holds only new articles. Matches are one-to-one, strongest first.

Nothing here writes a statement: new and continued statements are the briefing's own, verified like any
other; dropped ones are last period's, with last period's verdict. The previous period is read from the
written ``out/<period>/<CC>.json``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .models import Briefing, BriefingSentence, Changes, DroppedStatement
from .text import fold

# token-set ratio for "the same development" by text alone; stricter than merge's 82 within one week:
# tests/gold/changes_pairs.jsonl has one-word substitutions ("lithium law" -> "media law") at 87-96,
# so text alone stays a weak signal (precision .44 at 82, .67 at 90; recall .44 both): facts come first
SIMILAR = 90
STORY_SIMILAR = 60  # a cited article of the same story needs less: the story already says "same event"
MIN_SHARED = 3  # content words two statements must share before their text similarity counts
ISO_WEEK = re.compile(r"[0-9]{4}-W[0-9]{2}")
_WORD = re.compile(r"[^\W\d_]{4,}|\d+", re.UNICODE)


def written_periods(out_dir: str | Path) -> list[Path]:
    """The period directories written in ``out_dir`` (an index.json; no staging or hidden leftovers)."""
    from .render import PERIOD_RE

    out = Path(out_dir)
    if not out.is_dir():
        return []
    return [p for p in out.iterdir() if p.is_dir() and not p.name.startswith(".")
            and PERIOD_RE.fullmatch(p.name) and (p / "index.json").is_file()]


def previous_period(out_dir: str | Path, period: str) -> str | None:
    """The written period before ``period`` in ``out_dir``: the latest earlier ISO week for a week, else
    the most recently written other period."""
    written = [p for p in written_periods(out_dir) if p.name != period]
    if ISO_WEEK.fullmatch(period):
        weeks = sorted(p.name for p in written if ISO_WEEK.fullmatch(p.name) and p.name < period)
        return weeks[-1] if weeks else None
    written.sort(key=lambda p: ((p / "index.json").stat().st_mtime, p.name))
    return written[-1].name if written else None


def load_briefings(out_dir: str | Path, period: str) -> dict[str, Briefing]:
    """Country → briefing of a written period (its ``<CC>.json`` files); empty when there are none."""
    from .render import CC_RE

    base = Path(out_dir) / period
    found: dict[str, Briefing] = {}
    for path in sorted(base.glob("*.json")) if base.is_dir() else []:
        if CC_RE.fullmatch(path.stem):
            try:
                found[path.stem] = Briefing.model_validate_json(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue  # an unreadable old file: nothing to compare with, never a failed run
    return found


def _words(text: str) -> set[str]:
    return set(_WORD.findall(fold(text)))


def _cited_texts(b: Briefing, s: BriefingSentence) -> set[str]:
    return {" ".join(fold(b.citations[c].text).split()) for c in s.citations if c in b.citations}


def _stories(b: Briefing, s: BriefingSentence) -> set[str]:
    story = {r.article_id: r.story or r.article_id for r in b.sources}
    return {story.get(c.partition(":")[0], c.partition(":")[0]) for c in s.citations}


def _articles(s: BriefingSentence) -> set[str]:
    return {c.partition(":")[0] for c in s.citations}


def similarity(a: str, b: str) -> float:
    """Token-set ratio (0..100) of the folded texts; 0 when they share fewer than MIN_SHARED content words
    (a short sentence is contained in many long ones)."""
    from rapidfuzz import fuzz

    if len(_words(a) & _words(b)) < MIN_SHARED:
        return 0.0
    return float(fuzz.token_set_ratio(fold(a), fold(b)))


def match_score(cur: Briefing, c: BriefingSentence, prev: Briefing, p: BriefingSentence) -> float:
    """How surely ``c`` reports what ``p`` reported: > 2 a shared cited fact, 1..2 same story and similar
    text, < 1 similar text only, 0 no match."""
    shared = set(c.citations) & set(p.citations)
    same_text = _cited_texts(cur, c) & _cited_texts(prev, p)
    if shared or same_text:
        return 2.0 + len(shared | same_text) / max(1, len(set(c.citations) | set(p.citations)))
    sim = similarity(c.text, p.text)
    if _stories(cur, c) & _stories(prev, p) and sim >= STORY_SIMILAR:
        return 1.0 + sim / 100
    return sim / 100 if sim >= SIMILAR else 0.0


@dataclass
class Delta:
    since: str
    matches: dict[int, int] = field(default_factory=dict)  # index of a current statement -> previous one
    new_evidence: dict[int, list[str]] = field(default_factory=dict)
    dropped: list[tuple[str, BriefingSentence]] = field(default_factory=list)  # (section key, statement)


def _shown(b: Briefing) -> list[tuple[str, BriefingSentence]]:
    return [(sec.key, s) for sec in b.sections for s in sec.sentences]


def compare(cur: Briefing, prev: Briefing | None, since: str) -> Delta:
    """Match ``cur``'s statements to ``prev``'s (one-to-one, strongest first). ``prev`` None: the country
    had no briefing in the previous period, so everything is new."""
    delta = Delta(since)
    now = _shown(cur)
    before = _shown(prev) if prev else []
    pairs = sorted(((match_score(cur, c, prev, p), i, j) for i, (_, c) in enumerate(now)  # type: ignore[arg-type]
                    for j, (_, p) in enumerate(before)), key=lambda x: (-x[0], x[1], x[2]))
    taken: set[int] = set()
    old_articles = {a for _, p in before for a in _articles(p)}  # what last period's reader was shown
    for score, i, j in pairs:
        if score <= 0:
            break
        if i in delta.matches or j in taken:
            continue
        delta.matches[i] = j
        taken.add(j)
        fresh = [cid for cid in now[i][1].citations if cid.partition(":")[0] not in old_articles]
        if fresh:
            delta.new_evidence[i] = fresh
    delta.dropped = [before[j] for j in range(len(before)) if j not in taken]
    return delta


def apply(cur: Briefing, prev: Briefing | None, since: str) -> Briefing:
    """Set the change fields of ``cur``'s statements and its ``changes`` summary (in place; returned)."""
    delta = compare(cur, prev, since)
    before = _shown(prev) if prev else []
    counts = {"new": 0, "continued": 0, "unchanged": 0}
    for i, (_, s) in enumerate(_shown(cur)):
        if i not in delta.matches:
            s.change, s.new_citations, s.previous = "new", [], None
        else:
            s.previous = before[delta.matches[i]][1].text
            s.new_citations = delta.new_evidence.get(i, [])
            s.change = "continued" if s.new_citations else "unchanged"
        counts[s.change] += 1
    cur.changes = Changes(since=since, **counts, dropped=[
        DroppedStatement(text=s.text, language=s.language, section=key,  # type: ignore[arg-type]
                         citations=s.citations, verdict=s.verdict) for key, s in delta.dropped])
    return cur


def annotate(briefings: list[Briefing], out_dir: str | Path, period: str) -> str | None:
    """Compare every briefing with the previous written period in ``out_dir``; returns that period (None:
    there is none, and nothing is marked)."""
    since = previous_period(out_dir, period)
    if since is None:
        return None
    previous = load_briefings(out_dir, since)
    if not previous:
        return None
    for b in briefings:
        apply(b, previous.get(b.country), since)
    return since


def view(b: Briefing, shown: list[dict]) -> dict | None:
    """The template's Changes section: counts, short references to new and continued statements (shown
    in full, marked, in their sections), dropped statements in full (shown nowhere else)."""
    ch = b.changes
    if ch is None:
        return None
    new = [s for s in shown if s.get("change") == "new"]
    continued = [s for s in shown if s.get("change") == "continued"]
    return {"since": ch.since, "new": new, "continued": continued, "unchanged": ch.unchanged,
            "dropped": [{"text": " ".join(d.text.split()), "lang": d.language,
                         "foreign": d.language not in (b.language, "und")} for d in ch.dropped]}


def short(text: str, words: int = 12) -> str:
    parts = text.split()
    return " ".join(parts[:words]) + (" …" if len(parts) > words else "")


# ------------------------------------------------------------------ `briefings diff`


def _evidence(b: Briefing, sid: str) -> dict:
    span = b.citations.get(sid)
    src = next((r for r in b.sources if span and r.article_id == span.article_id), None)
    return {"sentence_id": sid, "text": " ".join(span.text.split()) if span else None,
            "outlet": src.outlet if src else None, "published": src.published if src else None,
            "url": src.url if src else None}


def diff(prev: Briefing | None, cur: Briefing | None, period_a: str, period_b: str) -> dict:
    """One country's changes from ``period_a`` to ``period_b`` as a JSON-able document."""
    code = (cur or prev).country  # type: ignore[union-attr]
    name = (cur or prev).country_name  # type: ignore[union-attr]
    doc: dict = {"country": code, "name": name, "from": period_a, "to": period_b,
                 "new": [], "continued": [], "unchanged": [], "dropped": []}
    if cur is None:
        doc["dropped"] = [{"text": s.text, "section": k, "citations": s.citations} for k, s in _shown(prev)]  # type: ignore[arg-type]
        return doc
    cur = apply(cur.model_copy(deep=True), prev, period_a)
    for key, s in _shown(cur):
        item: dict = {"text": s.text, "section": key, "citations": s.citations, "verdict": s.verdict.value}
        if s.change != "new":
            item["previous"] = s.previous
        if s.change == "continued":
            item["new_evidence"] = [_evidence(cur, c) for c in s.new_citations]
        doc[s.change or "new"].append(item)
    doc["dropped"] = [{"text": d.text, "section": d.section, "citations": d.citations}
                      for d in cur.changes.dropped] if cur.changes else []
    return doc


def diff_periods(out_dir: str | Path, period_a: str, period_b: str, countries: list[str] | None = None) -> list[dict]:
    """Every country's changes between two written periods (those in ``countries`` when given)."""
    from .errors import NoInput
    from .render import check_period

    a, b = load_briefings(out_dir, check_period(period_a)), load_briefings(out_dir, check_period(period_b))
    for period, found in ((period_a, a), (period_b, b)):
        if not found:
            raise NoInput(f"no briefing JSON for period {period} in {out_dir} (written with format json?)")
    codes = sorted(set(a) | set(b))
    if countries:
        codes = [c for c in codes if c in countries]
        if not codes:
            raise NoInput(f"no briefing for {', '.join(countries)} in {period_a} or {period_b}")
    return [diff(a.get(c), b.get(c), period_a, period_b) for c in codes]


def print_diff(docs: list[dict], console) -> None:
    """Terminal view: + new, ~ continued (with the new evidence quoted), - dropped, = unchanged count."""
    from rich.text import Text

    from .text import visible

    titles = {"bottom_line": "Bottom line", "key_developments": "Key developments", "context": "Context",
              "watch": "What to watch", "other_languages": "Reported in other languages"}
    for doc in docs:
        n = {k: len(doc[k]) for k in ("new", "continued", "unchanged", "dropped")}
        console.print(Text.assemble((f"{doc['country']} {visible(doc['name'])}", "bold"),
                                    f"  {doc['from']} → {doc['to']}:  ",
                                    (f"{n['new']} new", "green"), ", ", (f"{n['continued']} continued", "cyan"),
                                    f", {n['unchanged']} unchanged, ", (f"{n['dropped']} dropped", "red")))
        for item in doc["new"]:
            console.print(Text.assemble(("  + ", "green"), visible(item["text"]),
                                        (f"  ({titles.get(item['section'], item['section'])})", "dim")))
        for item in doc["continued"]:
            console.print(Text.assemble(("  ~ ", "cyan"), visible(item["text"])))
            for e in item["new_evidence"]:
                where = " · ".join(x for x in (e["outlet"], (e["published"] or "")[:10]) if x)
                console.print(Text.assemble("      new: ", (f"“{visible(e['text'] or e['sentence_id'])}”", "italic"),
                                            (f"  {visible(where)}" if where else "", "dim")))
        for item in doc["dropped"]:
            console.print(Text.assemble(("  - ", "red"), (visible(item["text"]), "strike")))
        console.print()
