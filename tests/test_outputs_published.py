"""A period's outputs are published as a set, every writer takes the lock, leftovers are cleaned
(issue #19 item 11). Real processes, real SIGKILLs, real files."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from filelock import FileLock

from briefings.errors import LockHeld, OutputError
from briefings.fsutil import clean_leftovers, output_lock, publish

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


def cli(*args: str, cwd: Path, **kw) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "BRIEFINGS_RUN_DATA_DIR": str(cwd / "data")}
    return subprocess.Popen([sys.executable, "-m", "briefings", *args], cwd=cwd, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)


def build(tmp: Path, *args: str) -> subprocess.CompletedProcess:
    p = cli("build", str(SEEDS), "--out", str(tmp / "out"), "--period", "2026-W01", "--quiet", *args, cwd=tmp)
    stdout, stderr = p.communicate(timeout=300)
    return subprocess.CompletedProcess(p.args, p.returncode, stdout, stderr)


def snapshot(d: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(d.iterdir())}


def test_build_into_a_locked_out_dir_exits_5_and_writes_nothing(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    with FileLock(str(out / ".briefings.lock")):
        res = build(tmp_path)
    assert res.returncode == 5, res.stderr
    assert "lock" in res.stderr and "Traceback" not in res.stderr
    assert sorted(p.name for p in out.iterdir()) == [".briefings.lock"]


def test_a_run_killed_while_rendering_leaves_the_previous_set_whole_and_the_next_run_cleans_up(tmp_path):
    first = build(tmp_path, "--country", "RS", "--format", "md,json")
    assert first.returncode == 0, first.stderr
    period = tmp_path / "out" / "2026-W01"
    before = snapshot(period)
    assert {"RS.md", "RS.json", "index.json", "run.json"} <= set(before)

    # the second run renders every country to PDF (seconds of layout): kill it while it is staged
    proc = cli("build", str(SEEDS), "--out", str(tmp_path / "out"), "--period", "2026-W01", "--quiet",
               "--format", "md,html,pdf,json", cwd=tmp_path)
    deadline = time.monotonic() + 240
    staged: list[Path] = []
    while time.monotonic() < deadline and proc.poll() is None:
        staged = list((tmp_path / "out").glob(".2026-W01.staging-*"))
        if staged and list(staged[0].glob("*.md")):
            break
        time.sleep(0.01)
    assert proc.poll() is None and staged, "the run ended before it could be killed while staging"
    proc.send_signal(signal.SIGKILL)
    proc.communicate()

    assert snapshot(period) == before, "out/<period> is the previous run's set, byte for byte"
    assert list((tmp_path / "out").glob(".2026-W01.staging-*")), "the killed run left its staging dir"
    (period / ".RS.pdf.0123456789ab.tmp").write_bytes(b"%PDF half")  # as a kill inside atomic_write leaves

    again = build(tmp_path, "--format", "md,json")
    assert again.returncode == 0, again.stderr
    assert not [p for p in (tmp_path / "out").rglob(".*") if p.name != ".briefings.lock"], "leftovers cleaned"
    after = snapshot(period)
    assert "RS.md" in after and len([n for n in after if n.endswith(".md")]) > 2  # the new set, whole
    assert not [n for n in after if n.endswith((".pdf", ".html"))], "no file of an older set survives"


def test_a_failure_while_writing_leaves_the_published_period_untouched(tmp_path):
    target = tmp_path / "out" / "P"
    target.mkdir(parents=True)
    (target / "A.md").write_text("old A")
    (target / "B.md").write_text("old B")
    with pytest.raises(RuntimeError):
        with output_lock(tmp_path / "out"), publish(target) as stage:
            (stage / "A.md").write_text("new A")
            raise RuntimeError("renderer crashed after A")
    assert snapshot(target) == {"A.md": hashlib.sha256(b"old A").hexdigest(), "B.md": hashlib.sha256(b"old B").hexdigest()}
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [".briefings.lock", "P"]


def test_killed_between_the_two_renames_the_previous_version_comes_back(tmp_path):
    out = tmp_path / "out"
    (out / ".P.old-deadbeef").mkdir(parents=True)
    (out / ".P.old-deadbeef" / "A.md").write_text("previous")
    (out / ".Q.staging-cafe0000").mkdir()
    clean_leftovers(out)
    assert (out / "P" / "A.md").read_text() == "previous"
    assert sorted(p.name for p in out.iterdir()) == ["P"]


def test_the_lock_is_reentrant_in_one_process_and_exclusive_across_processes(tmp_path):
    out = tmp_path / "out"
    with output_lock(out):
        with output_lock(out):  # run -> build -> write_outputs take it again
            pass
        code = ("import sys; from briefings.fsutil import output_lock\n"
                "try:\n    output_lock(sys.argv[1]).__enter__()\nexcept Exception as e:\n"
                "    print(type(e).__name__); sys.exit(5)\n")
        other = subprocess.run([sys.executable, "-c", code, str(out)], capture_output=True, text=True,
                               env={**os.environ, "PYTHONPATH": str(ROOT)})
        assert other.returncode == 5 and other.stdout.strip() == LockHeld.__name__
    shutil.rmtree(out)
    (tmp_path / "file").write_text("x")
    with pytest.raises(OutputError):
        with output_lock(tmp_path / "file" / "out"):
            pass
