"""The openai backend + LLM client against the fake HTTP server, through the real openai client."""

from __future__ import annotations

import json
import logging
import threading

import pytest
from fakeserver import Reply

from briefings.errors import LLMError, MissingKey, ValidationFailed
from briefings.llm import LLM, get_backend, make_prompt
from briefings.llm.openai_backend import OpenAIBackend
from briefings.schemas import ExtractAnswer

IDS = {"1", "2"}
CONTEXT = {"sentence_ids": IDS, "countries": {"DE", "FR"}}
GOOD = {"claims": [{"countries": ["DE"], "text": "Berlin raised taxes.", "citations": ["1"], "kind": "event"}]}


def extract_prompt(settings, n: int = 1):
    return make_prompt("extract", settings, ExtractAnswer,
        articles=[{"n": 1, "title": f"T{n}", "outlet": "Outlet", "published": "2024-05-01", "language": "en",
                   "countries": ["DE", "FR"],
                   "sentences": [{"id": "1", "text": f"Berlin raised taxes ({n}).", "countries": ["DE"]},
                                 {"id": "2", "text": "Paris did not.", "countries": ["FR"]}]}],
        countries=[{"code": "DE", "name": "Germany"}, {"code": "FR", "name": "France"}],
    )


def test_success_sends_json_schema_and_counts_usage(openai_settings, fake_openai):
    openai_settings.llm.prices = {"fake-model": {"input": 1.0, "output": 2.0}}
    fake_openai.enqueue(Reply(content=json.dumps(GOOD), usage={"prompt_tokens": 1000, "completion_tokens": 500}))
    with LLM(openai_settings) as llm:
        answer = llm.ask(extract_prompt(openai_settings), ExtractAnswer, CONTEXT, unit="a1:c1")
    assert answer.claims[0].citations == ["1"]
    sent = fake_openai.requests[0]
    assert sent["model"] == "fake-model"
    assert sent["response_format"]["type"] == "json_schema"
    assert sent["response_format"]["json_schema"]["schema"] == ExtractAnswer.model_json_schema()
    assert sent["messages"][0]["role"] == "system" and sent["temperature"] == 0.0
    assert llm.usage.calls == 1 and llm.usage.prompt_tokens == 1000 and llm.usage.completion_tokens == 500
    assert llm.usage.cost == pytest.approx((1000 * 1.0 + 500 * 2.0) / 1_000_000)


def test_429_honours_retry_after(openai_settings, fake_openai):
    fake_openai.enqueue(Reply.error(429, "slow down", retry_after=1), GOOD)
    with LLM(openai_settings) as llm:
        assert llm.ask(extract_prompt(openai_settings), ExtractAnswer, CONTEXT).claims
    assert len(fake_openai.requests) == 2
    # the default first backoff is <= 0.5 s; waiting about 1 s shows the header was honoured
    gap = fake_openai.request_times[1] - fake_openai.request_times[0]
    assert gap >= 0.9
    assert llm.usage.calls == 1 and llm.failures == []


def test_500_is_retried_then_succeeds(openai_settings, fake_openai):
    fake_openai.enqueue(Reply.error(500), Reply.error(503), GOOD)
    with LLM(openai_settings) as llm:
        assert llm.ask(extract_prompt(openai_settings), ExtractAnswer, CONTEXT).claims
    assert len(fake_openai.requests) == 3


def test_500_beyond_retries_fails_cleanly(openai_settings, fake_openai):
    openai_settings.llm.max_retries = 1
    fake_openai.set_handler(lambda body: Reply.error(500, "boom"))
    with LLM(openai_settings) as llm:
        with pytest.raises(LLMError, match="HTTP 500"):
            llm.ask(extract_prompt(openai_settings), ExtractAnswer, CONTEXT, unit="u1")
    assert len(fake_openai.requests) == 2  # first try + one retry
    assert [(f.task, f.unit, f.attempts) for f in llm.failures] == [("extract", "u1", 1)]
    assert llm.usage.failures == 1 and llm.usage.calls == 0


def test_hang_beyond_timeout_is_retried(openai_settings, fake_openai):
    openai_settings.llm.timeout = 0.5
    fake_openai.enqueue(Reply.hang(5, then=json.dumps(GOOD)), GOOD)
    with LLM(openai_settings) as llm:
        assert llm.ask(extract_prompt(openai_settings), ExtractAnswer, CONTEXT).claims
    assert len(fake_openai.requests) == 2


def test_hang_every_time_gives_timeout_error(openai_settings, fake_openai):
    openai_settings.llm.timeout = 0.3
    openai_settings.llm.max_retries = 1
    fake_openai.set_handler(lambda body: Reply.hang(5))
    with LLM(openai_settings) as llm:
        with pytest.raises(LLMError, match="timed out"):
            llm.ask(extract_prompt(openai_settings), ExtractAnswer, CONTEXT)


def test_truncated_json_is_reasked(openai_settings, fake_openai):
    fake_openai.enqueue(Reply.truncated(json.dumps(GOOD)[:40]), GOOD)
    with LLM(openai_settings) as llm:
        assert llm.ask(extract_prompt(openai_settings), ExtractAnswer, CONTEXT).claims
    reask = fake_openai.requests[1]["messages"]
    assert reask[-2] == {"role": "assistant", "content": json.dumps(GOOD)[:40]}
    assert "truncated" in reask[-1]["content"] and reask[-1]["role"] == "user"
    assert llm.usage.calls == 2


def test_schema_violation_reasked_with_error_then_fails(openai_settings, fake_openai):
    openai_settings.llm.reask = 2
    bad = {"claims": [{"countries": [], "text": "", "citations": ["1"]}]}
    fake_openai.set_handler(lambda body: bad)
    with LLM(openai_settings) as llm:
        with pytest.raises(ValidationFailed, match="after 2 re-asks"):
            llm.ask(extract_prompt(openai_settings), ExtractAnswer, CONTEXT, unit="a1:c1")
    assert len(fake_openai.requests) == 3
    last = fake_openai.requests[-1]["messages"]
    assert "claims.0.countries" in last[-1]["content"]
    assert len(last) == 2 + 2 * 2  # system, user, then (assistant, error) per re-ask
    assert llm.failures[0].unit == "a1:c1" and llm.failures[0].attempts == 3 and llm.usage.failures == 1 and llm.usage.calls == 3


def test_unknown_sentence_ids_are_rejected_with_context(openai_settings, fake_openai):
    invented = {"claims": [{"countries": ["DE"], "text": "x.", "citations": ["99"]}]}
    fake_openai.enqueue(invented, GOOD)
    with LLM(openai_settings) as llm:
        answer = llm.ask(extract_prompt(openai_settings), ExtractAnswer, CONTEXT)
    assert answer.claims[0].citations == ["1"]
    assert "99" in fake_openai.requests[1]["messages"][-1]["content"]


def test_empty_answer_is_reasked_then_fails(openai_settings, fake_openai):
    openai_settings.llm.reask = 1
    fake_openai.set_handler(lambda body: "")
    with LLM(openai_settings) as llm:
        with pytest.raises(ValidationFailed, match="empty"):
            llm.ask(extract_prompt(openai_settings), ExtractAnswer, CONTEXT)
    assert len(fake_openai.requests) == 2


def test_fenced_json_in_prose_is_accepted(openai_settings, fake_openai):
    fake_openai.enqueue("Sure! Here it is:\n```json\n" + json.dumps(GOOD) + "\n```\nAnything else?")
    with LLM(openai_settings) as llm:
        assert llm.ask(extract_prompt(openai_settings), ExtractAnswer, CONTEXT).claims


def test_auto_downgrades_response_format_when_refused(openai_settings, fake_openai):
    def handler(body):
        kind = (body.get("response_format") or {}).get("type")
        return Reply.error(400, "response_format json_schema unsupported") if kind == "json_schema" else GOOD

    fake_openai.set_handler(handler)
    with LLM(openai_settings) as llm:
        assert llm.ask(extract_prompt(openai_settings, 1), ExtractAnswer, CONTEXT).claims
        assert llm.ask(extract_prompt(openai_settings, 2), ExtractAnswer, CONTEXT).claims
    kinds = [(r.get("response_format") or {}).get("type") for r in fake_openai.requests]
    assert kinds == ["json_schema", "json_object", "json_object"]  # remembered after the first refusal
    schema = json.dumps(ExtractAnswer.model_json_schema(), ensure_ascii=False)
    systems = [r["messages"][0]["content"] for r in fake_openai.requests]
    # the schema is in the system message exactly when the response format cannot carry it
    assert [schema in s for s in systems] == [False, True, True]


def test_text_mode_sends_no_response_format(openai_settings, fake_openai):
    openai_settings.llm.response_format = "text"
    fake_openai.enqueue(GOOD)
    with LLM(openai_settings) as llm:
        llm.ask(extract_prompt(openai_settings), ExtractAnswer, CONTEXT)
    assert "response_format" not in fake_openai.requests[0]
    assert json.dumps(ExtractAnswer.model_json_schema(), ensure_ascii=False) in fake_openai.requests[0]["messages"][0]["content"]


def test_ask_many_runs_concurrently_keeps_order_and_reports_failures(openai_settings, fake_openai):
    openai_settings.llm.concurrency = 4
    openai_settings.llm.reask = 0
    in_flight, peak, lock = [0], [0], threading.Lock()
    gate = threading.Barrier(4, timeout=5)  # all four must be in flight at once or this times out

    def handler(body):
        with lock:
            in_flight[0] += 1
            peak[0] = max(peak[0], in_flight[0])
        try:
            gate.wait()
        except threading.BrokenBarrierError:
            pass
        with lock:
            in_flight[0] -= 1
        title = body["messages"][1]["content"]
        if "<title>T3</title>" in title:
            return {"claims": [{"countries": ["DE"], "text": "x", "citations": ["nope"]}]}
        n = title.split("<title>T")[1].split("<")[0]
        return {"claims": [{"countries": ["DE"], "text": f"claim {n}", "citations": ["1"]}]}

    fake_openai.set_handler(handler)
    prompts = [extract_prompt(openai_settings, n) for n in range(8)]
    done = []
    with LLM(openai_settings) as llm:
        results = llm.ask_many(prompts, ExtractAnswer, [CONTEXT] * 8, [f"u{n}" for n in range(8)], progress=done.append)
    assert peak[0] == 4
    assert isinstance(results[3], ValidationFailed)
    assert [r.claims[0].text for i, r in enumerate(results) if i != 3] == [f"claim {n}" for n in range(8) if n != 3]
    assert [(f.task, f.unit, f.error) for f in llm.failures] == [("extract", "u3", str(results[3]))]
    assert sorted(done) == list(range(1, 9)) and llm.usage.calls == 8


def test_missing_key_names_the_variable(tmp_settings, monkeypatch):
    tmp_settings.llm.backend = "openai"
    tmp_settings.llm.api_key_env = "MY_KEY"
    with pytest.raises(MissingKey) as err:
        get_backend(tmp_settings)
    assert "MY_KEY" in str(err.value) and err.value.exit_code == 2


def test_local_endpoint_runs_with_dummy_key(openai_settings, fake_openai):
    fake_openai.enqueue(GOOD)
    with LLM(openai_settings) as llm:
        llm.ask(extract_prompt(openai_settings), ExtractAnswer, CONTEXT)
    assert fake_openai.headers[0]["authorization"].startswith("Bearer ")


def test_key_used_but_never_cached_or_logged(openai_settings, fake_openai, monkeypatch, caplog):
    secret = "sk-test-SECRET-0123456789abcdef"
    monkeypatch.setenv("OPENAI_API_KEY", secret)
    fake_openai.enqueue(Reply.error(401, f"Incorrect API key provided: {secret}"), GOOD)
    caplog.set_level(logging.DEBUG)
    with LLM(openai_settings) as llm:
        assert secret not in repr(llm.backend)
        with pytest.raises(LLMError) as err:
            llm.ask(extract_prompt(openai_settings, 1), ExtractAnswer, CONTEXT)
        llm.ask(extract_prompt(openai_settings, 2), ExtractAnswer, CONTEXT)
    assert fake_openai.headers[0]["authorization"] == f"Bearer {secret}"
    assert secret not in str(err.value) and secret[-4:] not in str(err.value)
    assert secret not in json.dumps([f.model_dump() for f in llm.failures])
    assert secret not in caplog.text
    data = openai_settings.run.data_dir
    for f in data.iterdir():
        assert secret.encode() not in f.read_bytes()


def test_backend_repr_and_registry(openai_settings):
    backend = get_backend(openai_settings)
    assert isinstance(backend, OpenAIBackend) and backend.needs_key and backend.supports_json_schema
    backend.close()
