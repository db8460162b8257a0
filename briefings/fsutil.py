"""Atomic writes: a reader (or a crash) never sees a half-written output file, nor a period directory
with some files new and others old."""

from __future__ import annotations

import os
import re
import secrets
import shutil
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from filelock import FileLock, Timeout

from .errors import LockHeld, OutputError


def atomic_write(path: str | Path, data: str | bytes, encoding: str = "utf-8") -> Path:
    """Write ``data`` to ``path`` via a temp file in the same directory + fsync + rename."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # Not mkstemp: its files are 0600. Mode 0666 here lets the kernel apply the umask, as for any
        # file the user creates, without reading the umask (which means setting it, process-wide).
        tmp = path.parent / f".{path.name}.{secrets.token_hex(6)}.tmp"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except OSError as e:
        raise OutputError(f"cannot write to {path.parent}: {e.strerror or e}") from None
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data.encode(encoding) if isinstance(data, str) else data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except OSError as e:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise OutputError(f"cannot write {path}: {e.strerror or e}") from None
    return path


# -- the output directory: one writer at a time, a period published as a whole ------------------------

LOCK_NAME = ".briefings.lock"
_locks: dict[str, FileLock] = {}
_locks_guard = threading.Lock()


@contextmanager
def output_lock(out_dir: str | Path) -> Iterator[None]:
    """Hold ``out_dir/.briefings.lock`` or raise LockHeld at once. Re-entrant within a process (one
    FileLock object per directory), so `run` can hold it while `build` and the writers take it again.
    flock-based: the OS releases it when the holder dies, so a stale lock file never blocks a run."""
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise OutputError(f"cannot create the output directory {out}: {e.strerror or e}") from None
    with _locks_guard:
        lock = _locks.setdefault(str(out.resolve()), FileLock(str(out / LOCK_NAME), timeout=0))
    try:
        lock.acquire()
    except Timeout:
        raise LockHeld(f"another briefings run holds the lock on {out} ({LOCK_NAME}); exiting") from None
    except OSError as e:
        raise OutputError(f"cannot lock the output directory {out}: {e.strerror or e}") from None
    try:
        yield
    finally:
        lock.release()


_STAGING, _OLD = ".staging-", ".old-"


@contextmanager
def publish(target: str | Path) -> Iterator[Path]:
    """Yield an empty staging directory beside ``target``; when the block ends without error, it
    replaces ``target`` as a whole (two renames; the previous version is deleted only after the new
    one is in place). On error the staging directory is removed and ``target`` is untouched.
    Call under ``output_lock``: leftovers of killed runs are cleaned (``clean_leftovers``) first."""
    target = Path(target)
    clean_leftovers(target.parent)
    stage = target.parent / f".{target.name}{_STAGING}{secrets.token_hex(4)}"
    try:
        stage.mkdir(parents=True)
    except OSError as e:
        raise OutputError(f"cannot write to {target.parent}: {e.strerror or e}") from None
    try:
        yield stage
        _fsync_dir(stage)
        old = target.parent / f".{target.name}{_OLD}{secrets.token_hex(4)}"
        if target.exists():
            os.replace(target, old)
        os.replace(stage, target)  # a crash between the two renames is repaired by clean_leftovers
        _fsync_dir(target.parent)
        shutil.rmtree(old, ignore_errors=True)
    except OSError as e:
        shutil.rmtree(stage, ignore_errors=True)
        raise OutputError(f"cannot publish {target}: {e.strerror or e}") from None
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise


def clean_leftovers(out_dir: str | Path) -> list[Path]:
    """Remove what killed writers left in ``out_dir``: staging directories, replaced versions and
    ``.name.hex.tmp`` files (also one level down, in period directories). A period whose directory is
    missing while a replaced version exists (killed between the two renames) gets that version back.
    Only safe under ``output_lock``; returns what was removed."""
    out = Path(out_dir)
    removed: list[Path] = []
    if not out.is_dir():
        return removed
    entries = sorted(out.iterdir())
    for p in entries:
        name = p.name
        if p.is_dir() and name.startswith(".") and _OLD in name:
            period = out / name[1:name.rindex(_OLD)]
            if not period.exists():
                os.replace(p, period)
                continue
        if p.is_dir() and name.startswith(".") and (_OLD in name or _STAGING in name):
            shutil.rmtree(p, ignore_errors=True)
            removed.append(p)
    for d in [out, *(p for p in out.iterdir() if p.is_dir() and not p.name.startswith("."))]:
        for tmp in d.glob(".*.tmp"):
            if _TMP.fullmatch(tmp.name) and tmp.is_file():
                tmp.unlink(missing_ok=True)
                removed.append(tmp)
    return removed


_TMP = re.compile(r"\..+\.[0-9a-f]{12}\.tmp")  # atomic_write's temp names


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some filesystems refuse fsync on directories; the renames are still atomic
    finally:
        os.close(fd)
