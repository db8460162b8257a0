"""The local backend: xllamacpp serving SmolLM2-135M, spoken to through the openai backend.

Structure only -- a 135M model's content is not judged: the answer parses into the schema or the unit
fails cleanly as ValidationFailed, and usage is counted.
"""

from __future__ import annotations

import urllib.request

import pytest

from briefings.errors import ConfigError, ValidationFailed
from briefings.llm import LLM, get_backend, make_prompt
from briefings.llm.local import LocalBackend, LocalServer
from briefings.schemas import ExtractAnswer, VerifyAnswer


def test_local_backend_needs_a_model_path(tmp_settings):
    tmp_settings.llm.backend = "local"
    with pytest.raises(ConfigError, match="model_path"):
        get_backend(tmp_settings)
    tmp_settings.llm.model_path = tmp_settings.run.data_dir / "missing.gguf"
    with pytest.raises(ConfigError, match="no GGUF file"):
        get_backend(tmp_settings)


@pytest.mark.realmodel
def test_smollm2_answers_or_fails_cleanly(tmp_settings, smollm2_gguf):
    tmp_settings.llm.backend = "local"
    tmp_settings.llm.model_path = smollm2_gguf
    # small budgets: a busy 2-core CI box decodes ~20 tokens/s; structure, not quality, is under test
    tmp_settings.llm.max_tokens = 96
    tmp_settings.llm.reask = 0
    tmp_settings.llm.concurrency = 1
    tmp_settings.llm.timeout = 50
    tmp_settings.llm.max_retries = 0
    sentences = [
        {"id": "1", "text": "Germany's parliament approved a new budget of 480 billion euros on Friday.", "countries": ["DE"]},
        {"id": "2", "text": "France said it would send 200 engineers to the project.", "countries": ["FR"]},
    ]
    context = {"sentence_ids": {"1", "2"}, "countries": {"DE", "FR"}}
    extract = make_prompt(
        "extract", tmp_settings,
        articles=[{"n": 1, "title": "Budget", "outlet": "Test", "published": "2024-05-03", "language": "en",
                   "countries": ["DE", "FR"], "sentences": sentences}],
        countries=[{"code": "DE", "name": "Germany"}, {"code": "FR", "name": "France"}],
    )
    verify = make_prompt("verify", tmp_settings, items=[
        {"index": 0, "sentence": "Germany approved a budget.", "spans": [{"id": "a1:s1", "text": sentences[0]["text"]}]},
    ])
    llm = LLM(tmp_settings)
    try:
        assert isinstance(llm.backend, LocalBackend)
        health = llm.backend.server.base_url.removesuffix("/v1") + "/health"
        results = llm.ask_many([extract], ExtractAnswer, [context], ["a1:c1"])
        results += llm.ask_many([verify], VerifyAnswer, None, ["verify"])
        for result, model in zip(results, (ExtractAnswer, VerifyAnswer)):
            assert isinstance(result, (model, ValidationFailed)), result
        assert llm.usage.calls >= 2 and llm.usage.prompt_tokens > 0 and llm.usage.completion_tokens > 0
        assert llm.usage.failures == len(llm.failures) == sum(isinstance(r, ValidationFailed) for r in results)
    finally:
        llm.close()
    assert not llm.backend.server.running
    with pytest.raises(OSError):
        urllib.request.urlopen(health, timeout=2)


@pytest.mark.realmodel
def test_server_context_manager_stops_on_error(smollm2_gguf):
    with pytest.raises(RuntimeError):
        with LocalServer(smollm2_gguf, n_ctx=512, parallel=1) as server:
            url = server.base_url.removesuffix("/v1") + "/health"
            assert urllib.request.urlopen(url, timeout=5).status == 200
            raise RuntimeError("boom")
    assert not server.running
    with pytest.raises(OSError):
        urllib.request.urlopen(url, timeout=2)


@pytest.mark.realmodel
def test_local_backend_measures_its_throughput_and_sizes_deadlines(tmp_settings, smollm2_gguf):
    """Issue #12: the warm-up measures prompt and output tokens/s; a big prompt gets more than
    llm.timeout, and extraction packs are cut to what the CPU reads in about a minute."""
    from briefings.extract import PACK_SECONDS, pack_budget

    tmp_settings.llm.backend, tmp_settings.llm.model_path = "local", smollm2_gguf
    tmp_settings.llm.timeout = 5
    backend = LocalBackend(tmp_settings)
    try:
        assert backend.prompt_tps and backend.prompt_tps > 5 and backend.output_tps and backend.output_tps > 1
        big = make_prompt("verify", tmp_settings, items=[
            {"index": 0, "sentence": "x " * 2000, "spans": [{"id": "a1:s1", "text": "y"}]}])
        assert backend.request_timeout(big) > tmp_settings.llm.timeout
        assert backend.retry_on_timeout is False
        assert pack_budget(tmp_settings, backend) <= max(300, backend.prompt_tps * PACK_SECONDS)
    finally:
        backend.close()
        backend.server.stop()
