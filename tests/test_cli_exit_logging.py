"""Exit codes under the logging flags (issue #27 item 1): every code of README's table holds with
`--log-file`, `--log-json` and `--quiet`, in every command that takes them (build, run, deliver), and the
final error line reaches the log file. README's cron line is `run --quiet --log-file run.log`.

Each row runs the real CLI in a subprocess on one small article (extractive backend, no model), or against
the scripted model on the fake OpenAI server for the grounding floor.
"""

from __future__ import annotations

import http.server
import json
import os
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from filelock import FileLock
from scripted_model import ScriptedModel, install

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = ("Serbia and Albania signed a transport agreement in Belgrade on Monday. The Serbian government said "
           "the agreement covers rail links. Albania will build a new road to the border, officials said.\n")

# the three ways cron and monitors run it; each keeps --log-file where it can, since that is what broke
FLAGS = {
    "quiet+file": ["--quiet", "--log-file", "run.log"],
    "json+file": ["--log-json", "--log-file", "run.log"],
    "json+quiet": ["--log-json", "--quiet"],
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _Hook(http.server.BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802 - http.server's hook name
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def hook_url():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Hook)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/hook"
    server.shutdown()


def _config(tmp: Path, *, sources: list[str], webhook: str | None = None, backend: str = "",
            min_grounding: float | None = None) -> Path:
    cfg = tmp / "briefings.toml"
    text = (f"[run]\nsources = {json.dumps(sources)}\ndata_dir = \"{tmp / 'data'}\"\n"
            f"[output]\ndir = \"{tmp / 'out'}\"\nformats = [\"md\", \"json\"]\nperiod = \"P\"\n")
    text += backend or "[llm]\nbackend = \"extractive\"\n"
    if min_grounding is not None:
        text += f"[verify]\nmin_grounding = {min_grounding}\n"
    if webhook:
        text += f"[deliver]\nwebhook_url = \"{webhook}\"\nretries = 0\n"
    cfg.write_text(text, encoding="utf-8")
    return cfg


def cli(tmp: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "BRIEFINGS_RUN_DATA_DIR": str(tmp / "data"),
           "OPENAI_API_KEY": "sk-dummy"}
    return subprocess.run([sys.executable, "-m", "briefings", *args], cwd=tmp, env=env, capture_output=True,
                          text=True, timeout=300)


def _scripted(server) -> str:
    install(server, ScriptedModel(hallucinate=True))
    return (f"[llm]\nbackend = \"openai\"\nbase_url = \"{server.base_url}\"\nmodel = \"fake-model\"\n"
            "timeout = 5\nmax_retries = 0\n")


def _setup(tmp: Path, case: str, fake_openai, hook_url: str) -> list[str]:
    """Prepare tmp for ``case`` ("<command> <code>") and return the command's arguments."""
    (tmp / "a.txt").write_text(ARTICLE, encoding="utf-8")
    dead = f"http://127.0.0.1:{free_port()}/hook"
    command, code = case.split()
    code = code.rstrip("b")
    if command == "deliver":
        # a period written first, by a build that delivers nowhere
        cfg = _config(tmp, sources=["a.txt"], webhook=dead if code == "6" else hook_url)
        assert cli(tmp, "build", "a.txt", "--config", str(cfg)).returncode == 0
        if case == "deliver 2":
            cfg = _config(tmp, sources=["a.txt"])  # nothing to deliver to
        # a period never written: refused, naming those that are (it was a delivery failing on every run)
        return ["deliver", "NOPE" if case == "deliver 2b" else "P", "--config", str(cfg)]
    sources = {"1": ["missing.txt"], "4": ["a.txt", "missing.txt"]}.get(code, ["a.txt"])
    backend = _scripted(fake_openai) if code == "3" else ""
    cfg = _config(tmp, sources=sources, webhook=dead if code == "6" else None, backend=backend,
                  min_grounding=0.99 if code == "3" else None)
    if command == "run":
        return ["run", "--config", str(cfg)] + (["--since", "nonsense"] if code == "2" else [])
    args = ["build", *sources, "--config", str(cfg)]
    return args + {"2": ["--country", "ZZ"], "6": ["--deliver"]}.get(code, [])


CASES = ["build 0", "build 1", "build 2", "build 3", "build 4", "build 5", "build 6",
         "run 0", "run 1", "run 2", "run 3", "run 4", "run 5", "run 6",
         "deliver 0", "deliver 2", "deliver 2b", "deliver 5", "deliver 6"]


@pytest.mark.parametrize("flags", list(FLAGS), ids=list(FLAGS))
@pytest.mark.parametrize("case", CASES)
def test_every_exit_code_holds_under_the_logging_flags(case, flags, tmp_path, fake_openai, hook_url):
    args = _setup(tmp_path, case, fake_openai, hook_url)
    code = int(case.split()[1].rstrip("b"))
    if code == 5:
        (tmp_path / "out").mkdir(exist_ok=True)
        with FileLock(str(tmp_path / "out" / ".briefings.lock")):
            res = cli(tmp_path, *args, *FLAGS[flags])
    else:
        res = cli(tmp_path, *args, *FLAGS[flags])
    assert res.returncode == code, (res.returncode, res.stderr[-2000:])
    assert "Traceback" not in res.stderr and "closed file" not in res.stderr, res.stderr[-2000:]
    lines = res.stderr.splitlines()
    if "--log-json" in FLAGS[flags]:
        docs = [json.loads(line) for line in lines]  # every stderr line is JSON, the final one included
        if code:
            assert docs and docs[-1]["level"] == "error", lines
    elif code:
        assert lines and lines[-1].startswith("error:"), lines
    if "--log-file" in FLAGS[flags]:
        log = (tmp_path / "run.log").read_text(encoding="utf-8")
        if code:
            last = log.splitlines()[-1]
            assert " ERROR " in last, log[-1000:]  # the exit line reaches the log file
        else:
            assert "ERROR" not in log, log


def test_a_log_file_that_cannot_be_opened_is_a_usage_error_before_any_work(tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    res = cli(tmp_path, "build", "a.txt", "--quiet", "--log-file", "no-such-dir/run.log")
    assert res.returncode == 2 and "Traceback" not in res.stderr, res.stderr
    assert res.stderr.splitlines() == [f"error: cannot open the log file no-such-dir{os.sep}run.log: "
                                       "No such file or directory"]
    assert not (tmp_path / "data" / "briefings.sqlite").exists()
