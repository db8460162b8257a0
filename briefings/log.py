"""Progress and log lines: rich progress bars when interactive, plain lines under cron, JSON for machines."""

from __future__ import annotations

import json
import logging
import sys
import threading
import time
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import IO, Callable, Iterator

from .text import visible


class Reporter:
    def __init__(self, mode: str = "plain", quiet: bool = False, log_file: Path | None = None,
                 stream: IO[str] | None = None):
        self.mode = mode  # "rich" | "plain" | "json"
        self.quiet = quiet
        self.stream = stream or sys.stderr
        self._file: IO[str] | None = None
        self._lock = threading.Lock()
        if log_file:
            try:
                self._file = open(log_file, "a", encoding="utf-8")
            except OSError as e:  # a cron line with a missing log directory: say so, before any work
                from .errors import UsageError

                raise UsageError(f"cannot open the log file {log_file}: {e.strerror or e}") from None

    @classmethod
    def auto(cls, quiet: bool = False, log_json: bool = False, log_file: Path | None = None) -> "Reporter":
        mode = "json" if log_json else ("rich" if sys.stderr.isatty() else "plain")
        return cls(mode, quiet, log_file)

    def _emit(self, level: str, msg: str, **fields) -> None:
        ts = datetime.now(timezone.utc).isoformat(timespec="seconds")
        msg = visible(msg)  # file names and article text reach log lines: no ESC or bidi control gets through
        with self._lock:
            self._to_file(f"{ts} {level.upper():5} {msg}\n")
            if level == "detail" or (self.quiet and level == "info"):
                return  # library detail (re-asks, cache misses) goes to the log file only
            if self.mode == "json":
                self.stream.write(json.dumps({"ts": ts, "level": level, "msg": msg, **fields}, ensure_ascii=False) + "\n")
            else:
                self.stream.write(f"{msg}\n" if level == "info" else f"{level}: {msg}\n")
            self.stream.flush()

    def info(self, msg: str, **fields) -> None:
        self._emit("info", msg, **fields)

    def warn(self, msg: str, **fields) -> None:
        self._emit("warning", msg, **fields)

    def error(self, msg: str, **fields) -> None:
        self._emit("error", msg, **fields)

    @contextmanager
    def stage(self, name: str, total: int | None) -> Iterator[Callable[[int], None]]:
        """A pipeline stage; yields ``step(n)`` to advance by n units."""
        started = time.monotonic()
        done = [0]
        if self.mode == "rich" and not self.quiet:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            with Progress(TextColumn("{task.description:>10}"), BarColumn(), MofNCompleteColumn(),
                          TimeElapsedColumn(), transient=False) as progress:
                task = progress.add_task(name, total=total)

                def step(n: int = 1) -> None:
                    done[0] += n
                    progress.advance(task, n)
                yield step
        else:
            def step(n: int = 1) -> None:
                with self._lock:
                    done[0] += n
            yield step
            self._emit("info", f"{name}: {done[0]}{'/' + str(total) if total is not None else ''} "
                               f"in {time.monotonic() - started:.1f}s", stage=name, done=done[0], total=total)
            return
        with self._lock:
            self._to_file(f"{name}: {done[0]} in {time.monotonic() - started:.1f}s\n")

    def _to_file(self, line: str) -> None:
        if self._file is not None:
            self._file.write(line)
            self._file.flush()

    @contextmanager
    def capture_logging(self, logger: str = "briefings") -> Iterator[None]:
        """Every record of ``logger`` (the package's stdlib loggers) becomes one of this Reporter's lines,
        in its mode: with --log-json, stderr holds JSON lines only."""
        handler = _ReporterHandler(self)
        log = logging.getLogger(logger)
        saved = (log.handlers[:], log.propagate, log.level)
        log.handlers, log.propagate = [handler], False
        if log.level == logging.NOTSET or log.level > logging.INFO:
            log.setLevel(logging.INFO)
        try:
            yield
        finally:
            log.handlers, log.propagate, _ = saved
            log.setLevel(saved[2])

    def close(self) -> None:
        """Close the log file (the CLI does, after the command's exit line)."""
        if self._file is not None:
            self._file.close()
            self._file = None


class _ReporterHandler(logging.Handler):
    """stdlib logging -> Reporter: warnings and errors always, info only when the Reporter shows info
    (library info records are detail: re-asks, cache misses; they go to the log file, not the screen)."""

    LEVELS = {logging.DEBUG: "debug", logging.INFO: "info", logging.WARNING: "warning"}

    def __init__(self, reporter: Reporter):
        super().__init__(logging.INFO)
        self.reporter = reporter

    def emit(self, record: logging.LogRecord) -> None:
        try:
            msg = record.getMessage()
        except Exception:  # noqa: BLE001 - a bad format string must not lose the line
            msg = str(record.msg)
        level = self.LEVELS.get(record.levelno, "error") if record.levelno >= logging.WARNING else "detail"
        self.reporter._emit(level, msg, logger=record.name)
