"""The unattended job behind `briefings run`: locked, incremental, explicit about what went wrong."""

from __future__ import annotations

import glob
import tempfile
import urllib.request
from pathlib import Path

from .config import Settings
from .errors import BriefingsError, UsageError
from .fsutil import output_lock
from .models import Skipped


def expand_sources(sources: list[str], tmp: Path) -> tuple[list[str], list[Skipped]]:
    """Directories and files as they are, globs expanded, feed URLs downloaded into ``tmp``."""
    paths, skipped = [], []
    for n, s in enumerate(sources):
        if s.startswith(("http://", "https://")):
            target = tmp / f"feed{n}.xml"
            try:
                with urllib.request.urlopen(s, timeout=30) as r:  # noqa: S310 - the user's configured feed
                    target.write_bytes(r.read(10 * 1024 * 1024))
                paths.append(str(target))
            except Exception as e:  # noqa: BLE001 - one unreachable feed must not stop the run
                skipped.append(Skipped(source=s, reason=f"cannot fetch feed: {e}"))
        elif any(ch in s for ch in "*?["):
            hits = sorted(glob.glob(s, recursive=True))
            if hits:
                paths += hits
            else:
                skipped.append(Skipped(source=s, reason="glob matches no file"))
        else:
            paths.append(s)
    return paths, skipped


def scheduled_run(settings: Settings, reporter, summary) -> None:
    from .pipeline import build, check_thresholds, preflight

    if not settings.run.sources:
        raise UsageError("no sources: set run.sources in the config file (or BRIEFINGS_RUN_SOURCES)")
    # held for the whole run, so a second run exits at once (5) instead of after its model calls;
    # the writers take it again (re-entrant), which also locks out a `build` into the same out/
    countries = preflight(settings, settings.run.countries)  # bad requests exit 2 before the lock or any work
    from .deliver import after_build, preflight as deliver_preflight, retry_pending

    deliver_preflight(settings)
    with output_lock(settings.output.dir):
        with tempfile.TemporaryDirectory(prefix="briefings-feeds-") as tmp:
            paths, skipped = expand_sources(settings.run.sources, Path(tmp))
            try:
                res = build(paths, settings, countries=countries or None, reporter=reporter, skipped=skipped)
            except BriefingsError:
                retry_pending(settings, reporter)  # a run that builds nothing still retries earlier deliveries
                raise
        for s in res.skipped:
            reporter.warn(f"skipped {s.source}: {s.reason}")
        for line in summary(res):
            reporter.info(line)
        after_build(settings, res, reporter, check_thresholds)  # delivery (exit 6 on failure), then 3/4
