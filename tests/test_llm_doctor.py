import pytest

from briefings.doctor import doctor
from fake_backend import FakeBackend

from briefings.llm import LLM, make_prompt
from briefings.schemas import VerifyAnswer


def checks(settings):
    result = doctor(settings)
    assert all(isinstance(ok, (bool, type(None))) for _, ok, _ in result)
    return {name: (ok, detail) for name, ok, detail in result}


def test_default_backend_needs_no_endpoint_or_key(tmp_settings):
    c = checks(tmp_settings)
    assert c["backend"][0] is True and "extractive" in c["backend"][1]
    assert c["endpoint"][0] is None and c["key"][0] is None
    assert set(c) == {"backend", "endpoint", "model", "key", "tokenizer", "pdf", "cache"}


def test_openai_against_fake_server(openai_settings, fake_openai, monkeypatch):
    secret = "sk-doctor-secret-123456"
    monkeypatch.setenv("OPENAI_API_KEY", secret)
    c = checks(openai_settings)
    assert c["endpoint"][0] is True and "reachable" in c["endpoint"][1]
    assert c["model"] == (True, "fake-model listed by the endpoint")
    assert c["key"] == (True, "set (from OPENAI_API_KEY)")
    assert secret not in repr(doctor(openai_settings))


def test_unreachable_endpoint_and_missing_key(tmp_settings, monkeypatch):
    monkeypatch.setattr("briefings.doctor.ENDPOINT_TIMEOUT", 0.5)
    tmp_settings.llm.backend = "openai"
    tmp_settings.llm.base_url = "http://192.0.2.1:9/v1"  # TEST-NET: not routable
    tmp_settings.llm.api_key_env = "MY_KEY"
    c = checks(tmp_settings)
    assert c["endpoint"][0] is False
    assert c["key"][0] is False and "MY_KEY" in c["key"][1]


def test_refused_local_endpoint(tmp_settings):
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again when the block ends: connection refused
    tmp_settings.llm.backend = "openai"
    tmp_settings.llm.base_url = f"http://127.0.0.1:{port}/v1"
    c = checks(tmp_settings)
    assert c["endpoint"][0] is False and "not reachable" in c["endpoint"][1]
    assert c["key"] == (True, "not set; not needed for a local endpoint")


def test_unknown_backend_is_refused_when_settings_load(tmp_path):
    from briefings.config import load_settings
    from briefings.errors import ConfigError

    with pytest.raises(ConfigError, match="unknown backend 'nope'; choose one of: .*openai"):
        load_settings(environ={"BRIEFINGS_LLM_BACKEND": "nope"})


def test_local_backend_without_model_path(tmp_settings):
    tmp_settings.llm.backend = "local"
    c = checks(tmp_settings)
    assert c["model"][0] is False and "model_path" in c["model"][1]


def test_cache_size_is_reported(tmp_settings):
    with LLM(tmp_settings, FakeBackend(default='{"verdicts": []}')) as llm:
        llm.ask(make_prompt("verify", tmp_settings, VerifyAnswer, items=[]), VerifyAnswer)
    ok, detail = checks(tmp_settings)["cache"]
    assert ok is True and "1 responses" in detail
    tmp_settings.llm.cache = False
    assert checks(tmp_settings)["cache"][0] is None


def test_tokenizer_and_pdf_reported(tmp_settings):
    c = checks(tmp_settings)
    assert c["tokenizer"][0] is True
    assert c["pdf"][0] is True and c["pdf"][1].startswith("weasyprint ")
