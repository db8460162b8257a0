"""Run windows: ``7d``, ``24h``, ``2w``, ``last-week`` (the previous ISO week), or an ISO date."""

from __future__ import annotations

import re
from datetime import date, timedelta

from .errors import UsageError


def week_of(period: str | None) -> tuple[date, date] | None:
    """[Monday, next Monday) of an ISO-week label ("2026-W47"), else None (a plain label, or no such week)."""
    m = re.fullmatch(r"([0-9]{4})-W([0-9]{2})", period or "")
    if not m:
        return None
    try:
        monday = date.fromisocalendar(int(m[1]), int(m[2]), 1)
    except ValueError:
        return None
    return monday, monday + timedelta(days=7)


def window(since: str, today: date | None = None) -> tuple[date, date | None]:
    """[start, end) of a run window; end None = up to now. ``last-week`` is the previous ISO week,
    Monday to Monday, so a Monday-morning cron run briefs exactly that week."""
    today = today or date.today()
    s = since.strip().lower()
    if s in ("last-week", "last_week", "lastweek"):
        monday = today - timedelta(days=today.weekday())
        return monday - timedelta(days=7), monday
    return window_start(since, today), None


def window_start(since: str, today: date | None = None) -> date:
    today = today or date.today()
    s = since.strip().lower()
    m = re.fullmatch(r"(\d+)\s*([dwh])", s)
    if m:
        n, unit = int(m.group(1)), m.group(2)
        days = {"d": n, "w": 7 * n, "h": max(1, -(-n // 24))}[unit]
        return today - timedelta(days=days)
    if s in ("last-week", "last_week", "lastweek"):
        monday = today - timedelta(days=today.weekday())
        return monday - timedelta(days=7)
    if s in ("this-week", "week"):
        return today - timedelta(days=today.weekday())
    try:
        return date.fromisoformat(s)
    except ValueError:
        raise UsageError(f"cannot read the window {since!r}: use e.g. 7d, 2w, last-week or 2026-11-16") from None
