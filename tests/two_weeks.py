"""A corpus that grows over two ISO weeks (2024-W19, 2024-W20), for the "changes since" tests.

Week 1: the Jarinje border deal (Serbia, Kosovo) and Serbia's lithium law. Week 2 adds: the crossing
reopened (a report of the same deal, sharing a sentence with week 1 through a wire copy, plus new facts),
and a new development in Kosovo (a speaker elected). Montenegro appears in week 1 only.
"""

from __future__ import annotations

import json
from pathlib import Path

WEEK1 = [
    {"title": "Serbia and Kosovo agree to reopen Jarinje", "outlet": "Balkan Insight", "published": "2024-05-07",
     "url": "https://balkaninsight.example/jarinje-deal",
     "text": "Serbia and Kosovo agreed on Monday to reopen the Jarinje border crossing for freight traffic. "
             "The agreement was brokered by European Union envoy Miroslav Lajčák in Brussels after two days of "
             "talks. Serbian President Aleksandar Vučić said the deal was a step toward normal trade between "
             "Serbia and Kosovo."},
    {"title": "Serbia adopts lithium law", "outlet": "Reuters", "published": "2024-05-08",
     "url": "https://reuters.example/serbia-lithium",
     "text": "Serbia's parliament adopted a new lithium mining law on Wednesday despite protests in Belgrade. "
             "Environmental groups in Serbia said the law would allow the Jadar mine to pollute farmland in "
             "western Serbia. Thousands of protesters marched through central Belgrade against the lithium "
             "project on Saturday."},
    {"title": "Montenegro budget", "outlet": "Vijesti", "published": "2024-05-09",
     "url": "https://vijesti.example/budget",
     "text": "Montenegro's government approved a revised budget for the coastal tourism season on Thursday. "
             "Finance officials in Montenegro said the revised budget adds funds for road repairs near Budva."},
]

WEEK2 = [
    {"title": "Trucks cross Jarinje again", "outlet": "AP", "published": "2024-05-14",
     "url": "https://ap.example/jarinje-trucks",
     "text": "Trucks crossed the Jarinje border crossing between Serbia and Kosovo on Tuesday for the first time "
             "in months. Serbia and Kosovo agreed last week to reopen the Jarinje border crossing for freight "
             "traffic. Kosovo customs officials said more than two hundred trucks crossed the border on the "
             "first day."},
    {"title": "Kosovo elects a speaker", "outlet": "Koha", "published": "2024-05-15",
     "url": "https://koha.example/speaker",
     "text": "Kosovo's parliament elected Albulena Haxhiu as its new speaker on Wednesday after a long "
             "deadlock. The vote in Pristina ended a three-month deadlock in the Kosovo assembly over the "
             "election of a speaker."},
]


def write(directory: Path, rows: list[dict], name: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def corpus(root: Path) -> tuple[Path, Path]:
    """(week-1 directory, both-weeks directory): the second is the first plus week 2's file."""
    one, two = root / "week1", root / "week2"
    write(one, WEEK1, "week1.jsonl")
    write(two, WEEK1, "week1.jsonl")
    write(two, WEEK2, "week2.jsonl")
    return one, two
