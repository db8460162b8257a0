"""The package works installed from a wheel, not only from the checkout (issue #13 item 1).

The wheel is built offline (no build isolation: the test extra pins a setuptools that builds wheels)
and installed with --target into a temp dir; the CLI then runs from a directory with no checkout in
sight, against the fake OpenAI server, so prompts (model calls) and templates (every output format)
must come from the installed package.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from scripted_model import ScriptedModel, install

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("wheel")
    # from a copy of what a clean clone holds: an in-tree build/ of an earlier run would add stale modules
    src = tmp / "src"
    shutil.copytree(ROOT / "briefings", src / "briefings", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, src / name)
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                            "-w", str(tmp / "dist"), str(src)], capture_output=True, text=True, timeout=300)
    assert built.returncode == 0, built.stderr[-3000:]
    (wheel,) = (tmp / "dist").glob("briefings-*.whl")
    target = tmp / "site"
    done = subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target),
                           str(wheel)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return target


def run(site: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env.update(PYTHONPATH=str(site), OPENAI_API_KEY="sk-dummy", BRIEFINGS_RUN_DATA_DIR=str(cwd / "data"))
    return subprocess.run([sys.executable, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


def test_the_wheel_carries_prompts_templates_and_data(site):
    names = {p.relative_to(site / "briefings").as_posix() for p in (site / "briefings").rglob("*") if p.is_file()}
    assert not [n for n in names if n.startswith("llm/fake")], "the test fake is not shipped"
    assert {"prompts/extract.j2", "prompts/compose.j2", "prompts/verify.j2", "templates/briefing.html.j2",
            "templates/style.css", "data/boilerplate.toml", "data/wordnet_en.json.gz", "data/wordnet_LICENSE.txt",
            "data/judge_quality.json", "data/claim_calibration.json", "data/languages/en.toml",
            "data/languages/de.toml", "data/languages/README.md"} <= names


def test_the_installed_verifier_reads_its_wordnet(site, tmp_path):
    """check-claims from the wheel: a paraphrase WordNet knows is supported, an antonym is not."""
    rows = [{"id": "syn", "doc": "Shares in the company plunged after the report.",
             "claim": "Shares in the company fell after the report."},
            {"id": "ant", "doc": "The bank announced emergency bond buying to contain yields.",
             "claim": "The bank announced emergency bond selling to contain yields."}]
    (tmp_path / "rows.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    res = run(site, tmp_path, "-m", "briefings", "check-claims", "rows.jsonl")
    got = {r["id"]: r["verdict"] for r in map(json.loads, res.stdout.splitlines())}
    assert got == {"syn": "supported", "ant": "unsupported"}, (res.stdout, res.stderr)


def test_an_installed_wheel_builds_with_a_model_and_renders_every_format(site, tmp_path, fake_openai):
    where = run(site, tmp_path, "-c", "import briefings, sys; print(briefings.__file__)")
    assert where.stdout.strip().startswith(str(site)), where  # not the checkout, not the editable install
    install(fake_openai, ScriptedModel(hallucinate=False))
    res = run(site, tmp_path, "-m", "briefings", "build", str(SEEDS), "--backend", "openai", "--base-url",
              fake_openai.base_url, "--model", "fake-model", "--out", str(tmp_path / "out"), "--period", "2026-W01",
              "--format", "md,html,pdf,json", "--quiet")
    assert res.returncode == 0, res.stderr[-3000:]
    assert fake_openai.requests, "the prompts were rendered and sent"
    period = tmp_path / "out" / "2026-W01"
    index = json.loads((period / "index.json").read_text())
    assert index["countries"] and {"digest.md", "digest.html", "digest.pdf"} <= set(index["files"])
    assert (period / "RS.pdf").read_bytes().startswith(b"%PDF")
    res = run(site, tmp_path, "-m", "briefings", "doctor")
    assert res.returncode == 0 and "Traceback" not in res.stderr, res.stdout + res.stderr
