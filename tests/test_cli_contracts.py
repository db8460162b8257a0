"""CLI contracts (issue #18, issue #13 item 4): bad requests exit 2 before any work, exit codes a monitor
can trust. Table-driven; every row runs the real CLI in a subprocess against a fake model server, whose
request count shows that no (paid) call was made before a refusal."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from scripted_model import ScriptedModel, install

ROOT = Path(__file__).resolve().parent.parent
SEEDS = str(ROOT / "seeds")
MODEL = "{model}"  # replaced by the fake server's URL


def cli(tmp: Path, *args: str, key: bool = True) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "OPENAI_API_KEY"}
    env.update(PYTHONPATH=str(ROOT), BRIEFINGS_RUN_DATA_DIR=str(tmp / "data"))
    if key:
        env["OPENAI_API_KEY"] = "sk-dummy"
    return subprocess.run([sys.executable, "-m", "briefings", *args], cwd=tmp, env=env, capture_output=True,
                          text=True, timeout=300)


def with_model(url: str) -> list[str]:
    return ["--backend", "openai", "--base-url", url, "--model", "fake-model"]


# (name, args, exit code, text expected on stderr, calls allowed)
REFUSED = [
    ("unknown country code", ["build", SEEDS, "--country", "ZZ"], 2, "unknown country 'ZZ'"),
    ("grounding out of range", ["build", SEEDS, "--min-grounding", "1.5"], 2, "verify.min_grounding"),
    ("unknown language", ["build", SEEDS, "--language", "xx"], 2, "'xx' is not an ISO 639-1"),
    ("format typo", ["build", SEEDS, "--format", "md,htlm"], 2, "output.formats"),
    ("bad period", ["build", SEEDS, "--period", "../../etc"], 2, "invalid period"),
    # shaped like an ISO week but not one: failed in compose, after ingest and the model calls (exit 1)
    ("week 99", ["build", SEEDS, "--period", "2026-W99"], 2, "invalid period '2026-W99': 2026 has ISO weeks 01 to 53"),
    ("week 53 of a 52-week year", ["build", SEEDS, "--period", "2025-W53"], 2, "2025 has ISO weeks 01 to 52"),
    ("week 00", ["build", SEEDS, "--period", "2026-W00"], 2, "invalid period '2026-W00'"),
    ("out is a file", ["build", SEEDS, "--out", "afile"], 2, "not a directory"),
]


@pytest.mark.parametrize("name,args,code,says", REFUSED, ids=[r[0] for r in REFUSED])
def test_bad_requests_exit_2_before_any_model_call(name, args, code, says, tmp_path, fake_openai):
    install(fake_openai, ScriptedModel(hallucinate=False))
    (tmp_path / "afile").write_text("x")
    res = cli(tmp_path, *args, *with_model(fake_openai.base_url))
    assert res.returncode == code, res.stderr
    assert says in res.stderr and "Traceback" not in res.stderr
    assert fake_openai.requests == [], "refused before any model call"
    assert not (tmp_path / "data" / "briefings.sqlite").exists(), "refused before ingest"


def test_unknown_backend_and_missing_key_exit_2(tmp_path):
    res = cli(tmp_path, "build", SEEDS, "--backend", "foo")
    assert res.returncode == 2 and "unknown backend 'foo'" in res.stderr and "fake" not in res.stderr
    res = cli(tmp_path, "build", SEEDS, "--backend", "openai", "--base-url", "https://llm.example.com/v1", key=False)
    assert res.returncode == 2 and "OPENAI_API_KEY" in res.stderr
    assert not (tmp_path / "data" / "briefings.sqlite").exists()


@pytest.mark.parametrize("given,codes", [("Serbia", {"RS"}), ("rs,xk", {"RS", "XK"}), ("Serbien", {"RS"}),
                                         ("セルビア,코소보", {"RS", "XK"})])  # any script (issue 28)
def test_countries_by_name_or_comma_list(given, codes, tmp_path):
    res = cli(tmp_path, "build", SEEDS, "--country", given, "--format", "md", "--period", "P", "--quiet")
    assert res.returncode == 0, res.stderr
    assert {p.stem for p in (tmp_path / "out" / "P").glob("*.md")} - {"digest"} == codes


def test_a_known_country_without_evidence_builds_nothing_and_says_so_leaving_old_outputs(tmp_path):
    first = cli(tmp_path, "build", SEEDS, "--country", "RS", "--format", "md", "--period", "P", "--quiet")
    assert first.returncode == 0, first.stderr
    before = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in (tmp_path / "out" / "P").iterdir()}
    res = cli(tmp_path, "build", SEEDS, "--country", "Chile", "--format", "md", "--period", "P")
    assert res.returncode == 1 and "nothing built" in res.stderr and "CL" in res.stderr, res.stderr
    after = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in (tmp_path / "out" / "P").iterdir()}
    assert after == before, "an empty result never replaces the last good set"
    res = cli(tmp_path, "summary", "Chile", SEEDS)
    assert res.returncode == 1 and "no evidence for CL" in res.stderr
    res = cli(tmp_path, "summary", "Serbia", SEEDS)
    assert res.returncode == 0 and "Serbia" in res.stdout


def test_unreachable_endpoint_is_a_failure_with_one_line_per_failed_unit(tmp_path):
    res = cli(tmp_path, "build", SEEDS, "--country", "RS", *with_model("http://127.0.0.1:9/v1"))
    assert res.returncode == 1, res.stderr
    lines = res.stderr.splitlines()
    failed = [line for line in lines if line.startswith("failed:")]
    assert failed and len(failed) == len(set(failed)), res.stderr
    assert lines[-1].startswith("error: nothing built") and "cannot reach" in lines[-1]
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").glob("*/index.json"))


def test_check_ends_with_a_summary_and_fails_on_unsupported_statements(tmp_path):
    import json

    doc = json.loads(cli(tmp_path, "ingest", SEEDS, "--json").stdout)
    s = doc["articles"][0]["sentences"][0]
    draft = tmp_path / "draft.md"
    draft.write_text(f"{doc['articles'][0]['text'][s['start']:s['end']]} [{s['id']}]\n"
                     f"Serbia joined NATO on Friday with 90,000 troops. [{s['id']}]\n", encoding="utf-8")
    res = cli(tmp_path, "check", str(draft), "--sources", SEEDS)
    assert res.returncode == 3, res.stderr
    assert "2 statement(s): 1 supported" in res.stderr and "1 unsupported" in res.stderr
    res = cli(tmp_path, "check", str(draft), "--sources", SEEDS, "--min-grounding", "0.5")
    assert res.returncode == 0, res.stderr  # grounding 0.50 meets the floor the user chose


def test_ingest_follows_the_same_skip_policy_as_build(tmp_path):
    res = cli(tmp_path, "ingest", SEEDS, str(tmp_path / "nonexistent"))
    assert res.returncode == 4 and "nonexistent" in res.stderr
    res = cli(tmp_path, "ingest", str(tmp_path / "nonexistent"))
    assert res.returncode == 1 and "no article could be ingested" in res.stderr


def test_the_readmes_country_forms_work(tmp_path):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "--country RS --country XK" in readme and "--country RS,XK" in readme
    res = cli(tmp_path, "build", SEEDS, "--country", "RS", "--country", "XK", "--format", "md", "--period", "P", "--quiet")
    assert res.returncode == 0, res.stderr
    assert {p.stem for p in (tmp_path / "out" / "P").glob("*.md")} - {"digest"} == {"RS", "XK"}


def test_run_since_last_week_reports_its_window(tmp_path):
    import json
    from datetime import date, timedelta

    monday = date.today() - timedelta(days=date.today().weekday())
    rows = [{"title": "Old", "published": (monday - timedelta(days=3)).isoformat(),
             "text": "Serbia opened a new rail line to Hungary on Thursday, the Serbian government said."},
            {"title": "Undated", "text": "Serbia and Kosovo resumed talks in Brussels, the European Union said."}]
    (tmp_path / "news.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    (tmp_path / "briefings.toml").write_text(
        '[run]\nsources = ["news.jsonl"]\nundated = "drop"\n[output]\nformats = ["json"]\n', encoding="utf-8")
    res = cli(tmp_path, "run", "--since", "last-week")
    assert res.returncode == 0, res.stderr
    assert "kept 1, excluded 1, undated 1 (drop)" in res.stderr
    (run,) = (tmp_path / "out").glob("*/run.json")
    assert json.loads(run.read_text())["window"]["end"] == monday.isoformat()


@pytest.mark.parametrize("period,ok", [("2026-W53", True), ("2020-W53", True), ("2026-W01", True), ("weekly", True),
                                       ("2026-W54", False), ("2025-W53", False), ("2026-W00", False),
                                       ("0000-W01", False), ("a/b", False)])
def test_a_label_shaped_like_an_iso_week_must_be_one(period, ok):
    from briefings.config import period_problem

    assert (period_problem(period) is None) == ok
