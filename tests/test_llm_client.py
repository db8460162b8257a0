"""LLM client behaviour with the in-process FakeBackend: re-ask, failures, usage, cache, registry."""

from __future__ import annotations

import json
import pytest

from briefings.errors import LLMError, UsageError, ValidationFailed
from fake_backend import FakeBackend

from briefings.llm import LLM, REGISTRY, Backend, Prompt, Response, get_backend, make_prompt
from briefings.llm.client import cache_path
from briefings.schemas import VerifyAnswer

OK = json.dumps({"verdicts": [{"index": 0, "verdict": "supported", "reason": "stated"}]})


def verify_prompt(settings, sentence: str = "Berlin raised taxes."):
    return make_prompt("verify", settings, VerifyAnswer, items=[
        {"index": 0, "sentence": sentence, "spans": [{"id": "a1:s1", "text": "Berlin raised taxes on Monday."}]},
    ])


@pytest.fixture
def fake(fake_backend):
    return FakeBackend()


def test_fake_backend_is_registered_by_fixture_only_and_records_history(tmp_settings, fake):
    assert REGISTRY["fake"] is FakeBackend
    tmp_settings.llm.backend = "fake"
    assert isinstance(get_backend(tmp_settings), FakeBackend)
    fake.enqueue(OK, lambda p: OK.replace("stated", p.task))
    with LLM(tmp_settings, fake) as llm:
        assert llm.ask(verify_prompt(tmp_settings, "a"), VerifyAnswer).verdicts[0].reason == "stated"
        assert llm.ask(verify_prompt(tmp_settings, "b"), VerifyAnswer).verdicts[0].reason == "verify"
    assert [p.task for p in fake.history] == ["verify", "verify"]


def test_unknown_backend_lists_the_registry(tmp_settings):
    from briefings.config import load_settings

    with pytest.raises(UsageError, match="extractive, local, openai"):  # ConfigError is a UsageError (exit 2)
        load_settings(overrides={"llm": {"backend": "nope"}}, environ={})


def test_reask_appends_the_validation_error(tmp_settings, fake):
    fake.enqueue('{"verdicts": [{"index": 0, "verdict": "maybe"}]}', OK)
    with LLM(tmp_settings, fake) as llm:
        assert llm.ask(verify_prompt(tmp_settings), VerifyAnswer).verdicts[0].verdict == "supported"
    second = fake.history[1].messages
    assert second[-2]["role"] == "assistant" and "maybe" in second[-2]["content"]
    assert second[-1]["role"] == "user" and "verdicts.0.verdict" in second[-1]["content"]
    assert llm.usage.calls == 2


def test_reask_is_bounded_and_failure_recorded(tmp_settings, fake):
    tmp_settings.llm.reask = 1
    fake.default = "no json here"
    with LLM(tmp_settings, fake) as llm:
        with pytest.raises(ValidationFailed):
            llm.ask(verify_prompt(tmp_settings), VerifyAnswer, unit="brief:DE")
    assert len(fake.history) == 2
    assert llm.failures[0].task == "verify" and llm.failures[0].unit == "brief:DE"
    assert llm.usage.failures == 1


def test_backend_error_is_reported_not_raised_by_ask_many(tmp_settings, fake):
    fake.enqueue(OK, LLMError("upstream down"), OK)
    tmp_settings.llm.concurrency = 1  # the queue is consumed in order
    prompts = [verify_prompt(tmp_settings, s) for s in "abc"]
    with LLM(tmp_settings, fake) as llm:
        results = llm.ask_many(prompts, VerifyAnswer, units=["a", "b", "c"])
    assert isinstance(results[1], LLMError) and not isinstance(results[0], LLMError)
    assert [f.model_dump() for f in llm.failures] == [{"task": "verify", "unit": "b", "error": "upstream down", "attempts": 1}]


def test_unexpected_backend_exception_becomes_llmerror(tmp_settings, fake):
    fake.enqueue(RuntimeError("bug"))
    with LLM(tmp_settings, fake) as llm:
        with pytest.raises(LLMError, match="RuntimeError: bug"):
            llm.ask(verify_prompt(tmp_settings), VerifyAnswer)


def test_cache_hit_costs_no_call(tmp_settings, fake):
    fake.default = OK
    with LLM(tmp_settings, fake) as llm:
        llm.ask(verify_prompt(tmp_settings), VerifyAnswer)
    with LLM(tmp_settings, fake) as llm2:  # a new run, same data dir
        assert llm2.ask(verify_prompt(tmp_settings), VerifyAnswer).verdicts[0].verdict == "supported"
        assert llm2.usage.calls == 0 and llm2.usage.cache_hits == 1
    assert len(fake.history) == 1


def test_cache_key_changes_with_params_and_template(tmp_settings, fake, tmp_path):
    fake.default = OK
    with LLM(tmp_settings, fake) as llm:
        llm.ask(verify_prompt(tmp_settings), VerifyAnswer)
        tmp_settings.llm.temperature = 0.7
        llm.ask(verify_prompt(tmp_settings), VerifyAnswer)
        override = tmp_path / "prompts"
        override.mkdir()
        (override / "verify.j2").write_text("{% block system %}S {{ schema }}{% endblock %}{% block user %}U{% endblock %}")
        tmp_settings.llm.prompts_dir = override
        llm.ask(verify_prompt(tmp_settings), VerifyAnswer)
        assert llm.usage.calls == 3 and llm.usage.cache_hits == 0


def test_no_cache_bypasses(tmp_settings, fake):
    tmp_settings.llm.cache = False
    fake.default = OK
    with LLM(tmp_settings, fake) as llm:
        assert llm.cache is None
        llm.ask(verify_prompt(tmp_settings), VerifyAnswer)
        llm.ask(verify_prompt(tmp_settings), VerifyAnswer)
    assert llm.usage.calls == 2 and not cache_path(tmp_settings).exists()


def test_only_valid_answers_are_cached(tmp_settings, fake):
    tmp_settings.llm.reask = 0
    fake.enqueue("garbage", OK)
    with LLM(tmp_settings, fake) as llm:
        with pytest.raises(ValidationFailed):
            llm.ask(verify_prompt(tmp_settings), VerifyAnswer)
        assert len(llm.cache) == 0
        llm.ask(verify_prompt(tmp_settings), VerifyAnswer)
        assert len(llm.cache) == 1


def test_cached_answer_invalid_for_new_context_is_asked_again(tmp_settings, fake):
    from briefings.schemas import ComposeAnswer

    answer = json.dumps({"title": "T", "bottom_line": [{"text": "x", "citations": ["a:s1"]}],
                         "key_developments": [{"text": "y", "citations": ["a:s1"]}]})
    fixed = answer.replace("a:s1", "a:s2")
    fake.enqueue(answer, fixed)
    prompt = make_prompt("compose", tmp_settings, ComposeAnswer, country={"code": "DE", "name": "Germany"}, claims=[], sources=[])
    with LLM(tmp_settings, fake) as llm:
        llm.ask(prompt, ComposeAnswer, {"sentence_ids": {"a:s1"}})
        again = llm.ask(prompt, ComposeAnswer, {"sentence_ids": {"a:s2"}})
    assert again.bottom_line[0].citations == ["a:s2"] and llm.usage.calls == 2


def test_usage_cost_uses_price_table(tmp_settings):
    tmp_settings.llm.prices = {"m1": {"input": 0.5, "output": 4.0}}
    tmp_settings.llm.model = "m1"
    fake = FakeBackend(tmp_settings, default=lambda p: Response(text=OK, prompt_tokens=2_000_000, completion_tokens=10, model="m1"))
    with LLM(tmp_settings, fake) as llm:
        llm.ask(verify_prompt(tmp_settings), VerifyAnswer)
    assert llm.usage.cost == pytest.approx(1.0 + 40 / 1_000_000)


def test_unpriced_model_costs_zero(tmp_settings, fake):
    fake.default = OK
    with LLM(tmp_settings, fake) as llm:
        llm.ask(verify_prompt(tmp_settings), VerifyAnswer)
    assert llm.usage.cost == 0.0 and llm.usage.prompt_tokens > 0


class Embedded(Backend):
    name = "embedded-test"
    makes_calls = False

    def execute(self, prompt: Prompt) -> Response:
        return Response(text=OK, prompt_tokens=99, completion_tokens=99)


def test_backend_without_calls_is_not_cached_or_counted(tmp_settings):
    with LLM(tmp_settings, Embedded()) as llm:
        assert llm.cache is None
        llm.ask(verify_prompt(tmp_settings), VerifyAnswer)
    assert llm.usage.calls == 0 and llm.usage.prompt_tokens == 0 and llm.usage.cost == 0


def test_ask_many_usage_is_thread_safe(tmp_settings):
    tmp_settings.llm.concurrency = 8
    tmp_settings.llm.cache = False
    fake = FakeBackend(default=lambda p: Response(text=OK, prompt_tokens=3, completion_tokens=2))
    prompts = [verify_prompt(tmp_settings, f"s{i}") for i in range(200)]
    with LLM(tmp_settings, fake) as llm:
        results = llm.ask_many(prompts, VerifyAnswer)
    assert all(not isinstance(r, LLMError) for r in results)
    assert (llm.usage.calls, llm.usage.prompt_tokens, llm.usage.completion_tokens) == (200, 600, 400)


def test_broken_cache_costs_a_call_not_the_unit(tmp_settings, fake):
    fake.default = OK
    with LLM(tmp_settings, fake) as llm:
        llm.cache.close()
        llm.cache.path.unlink()
        llm.cache.path.mkdir()  # now a directory: sqlite cannot open it
        assert llm.ask(verify_prompt(tmp_settings), VerifyAnswer).verdicts
    assert llm.usage.calls == 1 and llm.failures == []


def test_the_test_fake_is_not_a_user_backend(tmp_settings):
    """Issue #13 item 6: `--backend fake` was selectable and advertised in the error message."""
    from briefings.config import load_settings
    from briefings.errors import ConfigError

    assert "fake" not in REGISTRY
    with pytest.raises(ConfigError) as err:
        load_settings(overrides={"llm": {"backend": "fake"}}, environ={})
    assert "fake" not in str(err.value).split("choose one of:")[1]
