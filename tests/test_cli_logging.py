"""One log channel (issue #13 item 3): with --log-json every stderr line is JSON, including the stdlib
loggers' warnings (LLM client, cache) and the final error line; plain runs show them as plain lines."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from fakeserver import Reply

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


def build(tmp: Path, base_url: str, *extra: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "OPENAI_API_KEY": "sk-dummy",
           "BRIEFINGS_RUN_DATA_DIR": str(tmp / "data")}
    return subprocess.run([sys.executable, "-m", "briefings", "build", str(SEEDS), str(tmp / "missing.txt"),
                           "--backend", "openai", "--base-url", base_url, "--model", "fake-model",
                           "--out", str(tmp / "out"), *extra],
                          capture_output=True, text=True, timeout=300, env=env, cwd=tmp)


def test_a_failing_log_json_run_writes_json_lines_only(tmp_path, fake_openai):
    fake_openai.set_handler(lambda body: Reply.error(500, "upstream down"))
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "llm-cache.sqlite").write_bytes(b"garbage, not sqlite" * 40)  # a cache warning too
    res = build(tmp_path, fake_openai.base_url, "--log-json")
    assert res.returncode != 0
    lines = res.stderr.splitlines()
    assert lines, "the run said nothing"
    docs = [json.loads(line) for line in lines]  # raises on any non-JSON line
    levels = {d["level"] for d in docs}
    assert {"warning", "error"} <= levels, levels
    text = " ".join(d["msg"] for d in docs)
    assert "moved aside" in text and "failed" in text and "missing.txt" in text
    assert any(d.get("logger", "").startswith("briefings.llm") for d in docs)
    assert docs[-1]["level"] == "error"  # the exit line, as JSON


def test_plain_runs_show_library_warnings_once_as_plain_lines(tmp_path, fake_openai):
    fake_openai.set_handler(lambda body: Reply.error(500, "upstream down"))
    res = build(tmp_path, fake_openai.base_url, "--country", "RS")
    assert res.returncode != 0 and "Traceback" not in res.stderr
    failed = [line for line in res.stderr.splitlines() if "failed" in line and not line.startswith("error:")]
    assert len(failed) == 1 and failed[0].startswith("failed: extract"), res.stderr  # one line per failure
    assert res.stderr.splitlines()[-1].startswith("error:")
