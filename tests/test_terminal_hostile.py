"""Rich markup, terminal escapes and bidi controls in article text, titles and file names are printed
inertly by every command, and never reach outputs (issue #19 item 5). Real files, real processes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from briefings.schemas import ComposeAnswer, ExtractAnswer
from briefings.text import inert, visible

ROOT = Path(__file__).resolve().parent.parent
ESC, RLO = "\x1b", "\u202e"
LINK = "[link=https://evil.example]click[/link]"
OSC8 = f"{ESC}]8;;https://evil.example{ESC}\\here{ESC}]8;;{ESC}\\"
HOSTILE = f"Serbia {LINK} [/] [bold]loud {OSC8} {RLO}txt.exe"
NAME = "[link=evil.example]x [red]"  # file names cannot hold "/", so no closing tag here
BAD = ("\x00", ESC, RLO, "\u2066", "\x9b")  # NUL, ESC, bidi override and isolate, C1 CSI


def briefings(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "BRIEFINGS_RUN_DATA_DIR": str(cwd / "data"),
           "COLUMNS": "200"}
    return subprocess.run([sys.executable, "-m", "briefings", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=300)


def assert_inert(res: subprocess.CompletedProcess) -> str:
    shown = res.stdout + res.stderr
    assert "Traceback" not in shown and "MarkupError" not in shown, shown[-2000:]
    assert not [c for c in BAD if c in shown], f"unsafe characters reached the terminal: {shown!r}"[:2000]
    return shown


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    src = tmp_path / f"in{NAME}"
    src.mkdir()
    body = (f"Belgrade talks{RLO} resume {LINK}\n\n"
            f"Serbia and Kosovo resumed talks in Brussels on Monday, officials said. {HOSTILE}.\n\n"
            "The European Union mediated the meeting between the two delegations in Brussels.\n")
    (src / f"news {NAME}.txt").write_text(body, encoding="utf-8")
    (src / f"broken [bold]{ESC}[31m.bin").write_bytes(b"\x00\x01\x02binary" * 50)  # skipped, name printed
    return src


def test_ingest_show_countries_print_markup_literally_and_escapes_inertly(corpus, tmp_path):
    res = briefings("ingest", str(corpus), cwd=tmp_path)
    assert res.returncode == 4, res.stderr  # one source skipped: partial
    shown = assert_inert(res)
    assert "skipped" in shown and "\\x1b" in shown  # the skipped file's name, its ESC shown as an escape
    doc = json.loads(briefings("ingest", str(corpus), "--json", cwd=tmp_path).stdout)
    (article,) = doc["articles"]
    assert not [c for c in BAD if c in (article["title"] or "")], "title stored clean"
    res = briefings("show", article["id"], cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    shown = assert_inert(res)
    assert LINK in shown and "[/]" in shown and "[bold]" in shown  # printed literally, not as markup
    res = briefings("countries", str(corpus), cwd=tmp_path)
    assert res.returncode == 4, res.stderr
    assert_inert(res)


def test_check_and_build_and_errors_are_inert(corpus, tmp_path):
    doc = json.loads(briefings("ingest", str(corpus), "--json", cwd=tmp_path).stdout)
    sid = doc["articles"][0]["sentences"][1]["id"]
    draft = tmp_path / "draft.md"
    draft.write_text(f"Serbia {LINK} [/] resumed talks {OSC8} in Brussels {RLO}. [{sid}]\n", encoding="utf-8")
    res = briefings("check", str(draft), "--sources", str(corpus), cwd=tmp_path)
    assert res.returncode in (0, 3), res.stderr
    assert LINK in assert_inert(res)
    res = briefings("build", str(corpus), "--out", str(tmp_path / "out"), "--format", "md,html,json", cwd=tmp_path)
    assert res.returncode in (0, 4), res.stderr
    assert_inert(res)
    for f in (tmp_path / "out").rglob("*.*"):
        text = f.read_text(encoding="utf-8")
        assert not [c for c in BAD if c in text], f"{f.name} carries an unsafe character"
    res = briefings("show", f"no-such-{LINK}{ESC}[2J", cwd=tmp_path)  # the error line quotes the input
    assert res.returncode != 0 and "error" in res.stderr
    assert_inert(res)


def test_model_answers_lose_unsafe_characters_at_validation():
    answer = ExtractAnswer.model_validate({"claims": [{"countries": ["RS"], "citations": ["1"],
                                                       "text": f"Serbia {RLO}joined{ESC}[31m talks."}]})
    assert answer.claims[0].text == "Serbia joined[31m talks."
    compose = ComposeAnswer.model_validate({"title": f"RS{ESC}]8;;x{ESC}\\", "bottom_line": [
        {"text": f"Talks{RLO} resumed.", "citations": ["1"]}], "key_developments": [{"text": "x", "citations": ["1"]}]})
    assert compose.title == "RS]8;;x\\" and compose.bottom_line[0].text == "Talks resumed."


def test_helpers():
    assert visible(f"a{ESC}b{RLO}c\td\n") == "a\\x1bb\\u202ec\td\n"
    assert inert("[bold]x[/]") == "\\[bold]x\\[/]"
