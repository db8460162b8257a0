"""An article's ``published`` value as a date: RFC 3339 / ISO 8601, RFC 2822 (feeds, e-mail), numeric
day-first forms ("05.03.2024") and written dates in the article's language ("5. März 2024", "March 5,
2024", "5 марта 2024 г.").

The cheap unambiguous forms are read here; written dates go to dateparser (maintained, 200+ locales),
restricted to absolute dates and to the article's language and English: with every language allowed
it spent 4.7 s on one word, and a relative "yesterday" has no reference date in a stored article.
A value nothing reads stays as given and counts as undated (the pipeline warns with a count).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from email.utils import parsedate_to_datetime
from functools import lru_cache

_DOTTED = re.compile(r"(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4})")  # day-first wherever dots are used (de, ru, pl, tr…)
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")  # 20240305: a date written as a number
_SETTINGS = {"PARSERS": ["absolute-time"], "REQUIRE_PARTS": ["day", "month", "year"],
             "RETURN_AS_TIMEZONE_AWARE": False, "PREFER_DAY_OF_MONTH": "first"}


def _iso(value: str) -> datetime | date | None:
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        pass
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _rfc2822(value: str) -> datetime | None:
    if not re.search(r"[A-Za-z]{3}", value):
        return None
    try:
        return parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None


def _numeric(value: str) -> date | None:
    for rx, order in ((_DOTTED, "dmy"), (_COMPACT, "ymd")):
        m = rx.fullmatch(value)
        if m:
            parts = dict(zip(order, map(int, m.groups())))
            try:
                return date(parts["y"], parts["m"], parts["d"])
            except ValueError:
                return None
    return None


def _written(value: str, language: str | None) -> datetime | None:
    try:
        import dateparser
    except ImportError:  # pragma: no cover - a declared dependency
        return None
    languages = list(dict.fromkeys(x for x in (language, "en") if x and x != "und"))
    try:
        return dateparser.parse(value, languages=languages, settings=_SETTINGS)
    except Exception:  # noqa: BLE001 - a parser's bug on a hostile string is an unreadable date, not a crash
        return None


@lru_cache(maxsize=8192)
def parse_published(value: str | None, language: str | None = None) -> date | None:
    """The calendar date of ``value`` as written (its own offset), or None when nothing reads it."""
    if not value or not value.strip():
        return None
    value = value.strip()[:100]
    found = _iso(value) or _rfc2822(value) or _numeric(value) or _written(value, language)
    if isinstance(found, datetime):
        found = found.date()  # the day where it was published, as written (no shift to UTC)
    if found is None or not (1900 <= found.year <= 2200):
        return None
    return found


def normalize_published(value: str | None, language: str | None = None) -> str | None:
    """``value`` as written, in ISO form when it can be read: what documents show and the window reads.
    An unreadable value is kept as given (the run counts it and treats the article as undated)."""
    if not value:
        return value
    if _iso(value.strip()) is not None:
        return value.strip()  # already ISO: keep its time and offset
    d = parse_published(value, language)
    return d.isoformat() if d else value
