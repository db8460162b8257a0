"""The LLM layer against hostile servers and damaged state (issue #19 items 6, 9, 10, 12, 13).

Every test goes through the real openai client to a real HTTP server on 127.0.0.1 (tests/fakeserver.py)
or through real files on disk; nothing is patched but the sleep between attempts where a test would
otherwise wait minutes.
"""

from __future__ import annotations

import json
import logging
import shutil
import sqlite3
import time
from pathlib import Path

import pytest
from fakeserver import FakeOpenAIServer, Reply

from briefings.config import load_settings, mask_url, masked
from briefings.doctor import doctor
from briefings.errors import ConfigError, LLMError
from briefings.ingest import ingest
from briefings.llm import LLM
from briefings.llm.client import cache_path
from briefings.llm.keys import endpoint_id, scrub_answer
from briefings.llm.openai_backend import OpenAIBackend
from briefings.schemas import ExtractAnswer
from briefings.store import Store

from test_llm_openai import CONTEXT, GOOD, extract_prompt

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


# -- item 6: a deadline per request and a budget per call ---------------------------------------

def test_a_dripping_server_cannot_hold_a_request_past_its_deadline(openai_settings, fake_openai):
    # ~280 bytes at one byte per 50 ms is 14 s; httpx's per-read timeout alone never fires
    openai_settings.llm.timeout, openai_settings.llm.max_retries = 1.5, 0
    fake_openai.enqueue(Reply(content=json.dumps(GOOD), drip=0.05))
    started = time.monotonic()
    with LLM(openai_settings) as llm, pytest.raises(LLMError) as err:
        llm.ask(extract_prompt(openai_settings), ExtractAnswer, CONTEXT)
    elapsed = time.monotonic() - started
    assert elapsed < 4, elapsed
    assert "deadline" in str(err.value) and "llm.timeout" in str(err.value)


def test_retry_after_beyond_the_call_budget_fails_at_once_and_says_why(openai_settings, fake_openai):
    fake_openai.enqueue(Reply.error(429, "slow down", retry_after=3600), GOOD)
    started = time.monotonic()
    with LLM(openai_settings) as llm, pytest.raises(LLMError) as err:
        llm.ask(extract_prompt(openai_settings), ExtractAnswer, CONTEXT)
    assert time.monotonic() - started < 1.5
    assert len(fake_openai.requests) == 1
    assert "Retry-After" in str(err.value) and "3600" in str(err.value) and "budget" in str(err.value)


def test_a_long_retry_after_that_fits_the_budget_is_honoured(openai_settings, fake_openai, monkeypatch):
    # The openai client ignores Retry-After over 60 s and backs off ~1 s instead; here 130 s is waited
    # when the budget (timeout x (retries + 1)) allows it. The sleep is recorded, not slept.
    openai_settings.llm.timeout = 60.0
    slept: list[float] = []
    monkeypatch.setattr(OpenAIBackend, "sleep", staticmethod(slept.append))
    fake_openai.enqueue(Reply.error(429, "slow down", retry_after=130), GOOD)
    with LLM(openai_settings) as llm:
        assert llm.ask(extract_prompt(openai_settings), ExtractAnswer, CONTEXT).claims
    assert slept == [pytest.approx(130)] and len(fake_openai.requests) == 2


def test_retry_after_as_an_http_date_is_understood(openai_settings, fake_openai, monkeypatch):
    from email.utils import formatdate

    slept: list[float] = []
    monkeypatch.setattr(OpenAIBackend, "sleep", staticmethod(slept.append))
    when = formatdate(time.time() + 3, usegmt=True)
    fake_openai.enqueue(Reply(status=503, headers={"Retry-After": when}, body="{}"), GOOD)
    with LLM(openai_settings) as llm:
        llm.ask(extract_prompt(openai_settings), ExtractAnswer, CONTEXT)
    assert len(slept) == 1 and 1.0 < slept[0] <= 3.0


def test_a_server_that_says_do_not_retry_is_not_retried(openai_settings, fake_openai):
    fake_openai.enqueue(Reply(status=500, headers={"x-should-retry": "false"}, body="{}"), GOOD)
    with LLM(openai_settings) as llm, pytest.raises(LLMError) as err:
        llm.ask(extract_prompt(openai_settings), ExtractAnswer, CONTEXT)
    assert len(fake_openai.requests) == 1 and "HTTP 500" in str(err.value)


# -- item 12: the cache key includes the endpoint -------------------------------------------------

def test_another_endpoint_with_the_same_model_name_is_not_answered_from_cache(openai_settings, fake_openai):
    fake_openai.enqueue(GOOD)
    with LLM(openai_settings) as llm:
        llm.ask(extract_prompt(openai_settings), ExtractAnswer, CONTEXT)
    other_answer = {"claims": [{"countries": ["FR"], "text": "Paris did not.", "citations": ["2"], "kind": "event"}]}
    with FakeOpenAIServer() as other:
        other.enqueue(other_answer)
        openai_settings.llm.base_url = other.base_url
        with LLM(openai_settings) as llm:
            answer = llm.ask(extract_prompt(openai_settings), ExtractAnswer, CONTEXT)
        assert len(other.requests) == 1 and answer.claims[0].countries == ["FR"]
    # and the first endpoint, spelt differently (case, trailing slash), is still answered from cache
    host_port = fake_openai.base_url.split("//")[1].split("/")[0]
    openai_settings.llm.base_url = f"HTTP://{host_port}/v1/"
    fake_openai.reset()
    with LLM(openai_settings) as llm:
        assert llm.ask(extract_prompt(openai_settings), ExtractAnswer, CONTEXT).claims[0].countries == ["DE"]
        assert llm.usage.calls == 0 and fake_openai.requests == []


def test_endpoint_identity_ignores_spelling_and_credentials():
    assert endpoint_id("https://API.example.com:443/v1/") == endpoint_id("https://api.example.com/v1")
    assert endpoint_id("http://u:secret@h:8000/v1") == "http://h:8000/v1"
    assert endpoint_id(None) == "https://api.openai.com/v1"
    assert endpoint_id("http://h/v1?api-key=sk-abc") != endpoint_id("http://other/v1?api-key=sk-abc")
    assert "sk-abc" not in endpoint_id("http://h/v1?api-key=sk-abc")


# -- item 9: damaged cache and store ---------------------------------------------------------------

def test_a_corrupt_cache_is_moved_aside_and_the_run_goes_on(openai_settings, fake_openai, caplog):
    path = cache_path(openai_settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"this is not a database\n" * 100)
    fake_openai.enqueue(GOOD)
    caplog.set_level(logging.WARNING)
    with LLM(openai_settings) as llm:
        assert llm.ask(extract_prompt(openai_settings), ExtractAnswer, CONTEXT).claims
        assert llm.cache is not None and len(llm.cache) == 1  # a fresh cache, already in use
    aside = list(path.parent.glob("llm-cache.sqlite.corrupt-*"))
    assert len(aside) == 1 and aside[0].read_bytes().startswith(b"this is not a database")
    assert "moved aside" in caplog.text


def test_a_cache_damaged_under_a_running_client_is_replaced(openai_settings, fake_openai):
    fake_openai.enqueue(GOOD, GOOD)
    with LLM(openai_settings) as llm:
        llm.ask(extract_prompt(openai_settings, 1), ExtractAnswer, CONTEXT)
        for conn in list(llm.cache._conns):
            conn.close()
        llm.cache._local.conn = None
        for suffix in ("-wal", "-shm"):
            Path(f"{llm.cache.path}{suffix}").unlink(missing_ok=True)
        llm.cache.path.write_bytes(b"\0garbage" * 512)
        assert llm.ask(extract_prompt(openai_settings, 2), ExtractAnswer, CONTEXT).claims
        assert llm.cache.moved_to is not None and len(llm.cache) == 1


def test_doctor_reports_a_damaged_cache(tmp_settings):
    path = cache_path(tmp_settings)
    path.parent.mkdir(parents=True)
    path.write_bytes(b"not sqlite" * 50)
    check = {name: (ok, detail) for name, ok, detail in doctor(tmp_settings)}["cache"]
    assert check[0] is False and "moves it aside" in check[1]


def test_unreadable_store_rows_are_read_again_not_fatal(tmp_path, caplog):
    src = tmp_path / "in"
    src.mkdir()
    for f in sorted(SEEDS.glob("*.txt"))[:3]:
        shutil.copy(f, src / f.name)
    db = tmp_path / "b.sqlite"
    store = Store(db)
    first = ingest([str(src)], store=store)
    store.close()
    with sqlite3.connect(db) as conn:  # one article row and one file row hand-damaged
        conn.execute("UPDATE articles SET data = '{not json' WHERE rowid = (SELECT MIN(rowid) FROM articles)")
        conn.execute("UPDATE files SET skipped = '[1, 2' WHERE rowid = (SELECT MAX(rowid) FROM files)")
    store = Store(db)
    report = store.check()
    assert report["integrity"] == "ok" and report["bad_articles"] == 1 and report["bad_files"] == 1
    caplog.set_level(logging.WARNING)
    second = ingest([str(src)], store=store)
    assert [a.id for a in second.articles] == [a.id for a in first.articles]
    assert 1 <= second.fresh <= 2 and "unreadable" in caplog.text
    assert store.check()["bad_articles"] == 0 and store.check()["bad_files"] == 0  # rewritten
    store.close()


# -- item 10: secrets ------------------------------------------------------------------------------

@pytest.mark.parametrize("value", [
    "sk-proj-Abc123def456GHI789jkl012MNO345",
    "sk-ant-api03-xyz",
    "hf_AbCdEfGhIjKlMnOpQrStUvWx1234",
    "gsk_aBcD1234EfGh5678IjKl9012MnOp",
])
def test_a_key_pasted_as_the_variable_name_is_refused_without_echoing_it(value, tmp_path):
    cfg = tmp_path / "b.toml"
    cfg.write_text(f'[llm]\napi_key_env = "{value}"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_settings(cfg)
    assert value not in str(err.value) and "api_key_env" in str(err.value)
    with pytest.raises(ConfigError) as err:
        load_settings(environ={"BRIEFINGS_LLM_API_KEY_ENV": value})
    assert value not in str(err.value)


@pytest.mark.parametrize("name", ["OPENAI_API_KEY", "MY_KEY", "groq_key", "AZURE_OPENAI_API_KEY_WESTEUROPE_2"])
def test_ordinary_variable_names_are_accepted(name):
    assert load_settings(environ={"BRIEFINGS_LLM_API_KEY_ENV": name}).llm.api_key_env == name


def test_credentials_in_the_endpoint_url_are_masked_everywhere(tmp_settings):
    url = "https://alice:hunter2pass@llm.example.com:8443/v1?api-version=2024-06&api-key=sk-SECRETVALUE99"
    shown = mask_url(url)
    assert "hunter2pass" not in shown and "alice" not in shown and "sk-SECRETVALUE99" not in shown
    assert "llm.example.com:8443/v1" in shown and "api-version=2024-06" in shown
    tmp_settings.llm.base_url = url
    assert "hunter2pass" not in json.dumps(masked(tmp_settings))
    # unreachable (nothing listens on port 9 here): the error names the endpoint, masked
    tmp_settings.llm.backend = "openai"
    tmp_settings.llm.base_url = "http://bob:pa55word-xyz@127.0.0.1:9/v1"
    report = json.dumps(doctor(tmp_settings))
    assert "pa55word-xyz" not in report and "127.0.0.1:9" in report


def test_an_endpoint_that_echoes_the_key_does_not_put_it_in_answers_or_cache(openai_settings, fake_openai, monkeypatch):
    secret = "sk-proj-ECHOED0123456789abcdefXYZ"
    monkeypatch.setenv("OPENAI_API_KEY", secret)
    openai_settings.llm.base_url = fake_openai.base_url.replace("127.0.0.1", "localhost")

    def echo(request):  # a proxy that copies the Authorization header into the answer
        return {"claims": [{"countries": ["DE"], "text": f"Berlin raised taxes, said {secret[:14]}.",
                            "citations": ["1"], "kind": "event"}]}

    fake_openai.set_handler(echo)
    with LLM(openai_settings) as llm:
        answer = llm.ask(extract_prompt(openai_settings), ExtractAnswer, CONTEXT)
    assert secret[:14] not in answer.model_dump_json()
    for f in openai_settings.run.data_dir.iterdir():
        assert secret[:8].encode() not in f.read_bytes()


def test_scrub_answer_removes_key_prefixes_but_not_innocent_text():
    key = "sk-proj-ABCDEFGH12345678"
    assert scrub_answer(f"x {key} y", key) == "x *** y"
    assert scrub_answer("token sk-proj-ABC was cut", key) == "token *** was cut"
    assert scrub_answer("sk-proj is a prefix word", key) == "sk-proj is a prefix word"  # 7 chars: kept
    assert scrub_answer("nothing here", None) == "nothing here"


def test_a_backend_that_sizes_its_deadline_and_never_retries_timeouts(openai_settings, fake_openai):
    """Issue #12: for our own local server a timeout means "slow", and a retry would start from zero:
    such a backend sizes each request's deadline (here 1 s) and does not retry a timed-out one."""
    class Sized(OpenAIBackend):
        retry_on_timeout = False

        def request_timeout(self, prompt):
            return 1.0

    openai_settings.llm.timeout, openai_settings.llm.max_retries = 30.0, 3
    fake_openai.enqueue(Reply.hang(3), GOOD)
    started = time.monotonic()
    with LLM(openai_settings, Sized(openai_settings)) as llm, pytest.raises(LLMError) as err:
        llm.ask(extract_prompt(openai_settings), ExtractAnswer, CONTEXT)
    assert time.monotonic() - started < 2.5 and len(fake_openai.requests) == 1
    assert "1s deadline" in str(err.value)


# -- issue #27 item 7: a key echoed in an altered form --------------------------------------------

ECHO_KEY = "sk-proj-Xa7cEo9pKyM4TbHq2wRz5NdU"
_CYRILLIC = str.maketrans("aceopxyAKMTBHEOPCX", "асеорхуАКМТВНЕОРСХ")
_FULLWIDTH = {c: c + 0xFEE0 for c in range(0x21, 0x7F)}


def _b64(text: str, urlsafe: bool = False, pad: bool = True) -> str:
    import base64

    data = (base64.urlsafe_b64encode if urlsafe else base64.b64encode)(text.encode()).decode()
    return data if pad else data.rstrip("=")


# (name, the key as the endpoint echoes it)
ECHOES = [
    ("verbatim", ECHO_KEY),
    ("zero-width between letters", "\u200b".join(ECHO_KEY)),
    ("soft hyphens and word joiners", "\u00ad\u2060".join(ECHO_KEY)),
    ("lower case", ECHO_KEY.lower()),
    ("upper case", ECHO_KEY.upper()),
    ("base64", _b64(ECHO_KEY)),
    ("base64 unpadded", _b64(ECHO_KEY, pad=False)),
    ("base64 urlsafe", _b64(ECHO_KEY, urlsafe=True)),
    ("base64 of 'Bearer KEY'", _b64(f"Bearer {ECHO_KEY}")),
    ("base64 urlsafe unpadded of 'user:KEY'", _b64(f"user:{ECHO_KEY}", urlsafe=True, pad=False)),
    ("suffix (last 10)", ECHO_KEY[-10:]),
    ("middle (10)", ECHO_KEY[9:19]),
    ("spaced", " ".join(ECHO_KEY)),
    ("reversed", ECHO_KEY[::-1]),
    ("percent-encoded", "".join(f"%{b:02X}" for b in ECHO_KEY.encode())),
    ("hex", ECHO_KEY.encode().hex()),
    ("homoglyphs (Cyrillic)", ECHO_KEY.translate(_CYRILLIC)),
    ("fullwidth", ECHO_KEY.translate(_FULLWIDTH)),
]
_INVISIBLE_CHARS = dict.fromkeys(map(ord, "\u200b\u00ad\u2060"))


def _readable(data: bytes) -> str:
    """What a reader of ``data`` sees: JSON \\u escapes and HTML entities decoded, invisibles dropped."""
    import html
    import re

    text = data.decode("utf-8", "replace")
    text = re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), text)
    return html.unescape(text).translate(_INVISIBLE_CHARS)


def _leaks(echo: str, blob: str) -> bool:
    """True when a 12-character stretch of the echo (or of the key itself) is in ``blob``."""
    shown = echo.translate(_INVISIBLE_CHARS)
    for needle in (shown, ECHO_KEY):
        width = min(12, len(needle))
        if any(needle[i:i + width] in blob for i in range(len(needle) - width + 1)):
            return True
    return False


def _first_compose(first, then=json.dumps):
    """A scripted model's handler whose first compose answer is ``first()`` (a fault); the later compose
    answers go through ``then`` (the answer dict -> body), every other answer as the model gives it."""
    import threading

    from scripted_model import ScriptedModel

    model, lock, composed = ScriptedModel(hallucinate=False), threading.Lock(), []

    def handler(body):
        answer = model(body)
        if "title" not in answer:
            return json.dumps(answer)
        with lock:
            composed.append(1)
            first_one = len(composed) == 1
        return first() if first_one else then(answer)

    return handler


@pytest.mark.parametrize("form,echo", ECHOES, ids=[e[0] for e in ECHOES])
def test_an_altered_echo_of_the_key_reaches_no_output_cache_log_or_stderr(form, echo, tmp_path, fake_openai,
                                                                         monkeypatch):
    """An endpoint echoing the key, altered, in a composed sentence (outputs, digest, cache) and in the
    error message of another compose call (stderr, the log file): in no form is it left readable."""
    from test_cli_contracts import SEEDS as SEED_DIR, cli, with_model

    def echo_in(answer):
        first_item = answer["bottom_line"][0]
        first_item["text"] = first_item["text"].rstrip(".") + f", said the assistant (auth {echo})."
        return json.dumps(answer)

    fake_openai.set_handler(_first_compose(lambda: Reply.error(403, f"token {echo} is not allowed"), then=echo_in))
    monkeypatch.setenv("BRIEFINGS_API_KEY", ECHO_KEY)
    log = tmp_path / "run.log"
    res = cli(tmp_path, "build", SEED_DIR, "--format", "md,html,json", "--log-file", str(log),
              *with_model(fake_openai.base_url), key=False)
    assert res.returncode == 4, res.stderr  # the compose that failed; the others written
    sinks = {"stderr": res.stderr.encode(), "log file": log.read_bytes()}
    sinks.update({str(p.relative_to(tmp_path)): p.read_bytes()
                  for d in ("out", "data") for p in (tmp_path / d).rglob("*") if p.is_file()})
    assert any(p.endswith("digest.md") for p in sinks) and "data/llm-cache.sqlite" in sinks
    leaked = sorted(name for name, blob in sinks.items() if _leaks(echo, _readable(blob)))
    assert not leaked, f"{form}: key readable in {leaked}"
    assert "is not allowed" in res.stderr  # the messages and sentences carrying the echo are there
    assert "said the assistant" in _readable(next(b for p, b in sinks.items() if p.endswith("digest.md")))


# -- issue #27 item 6: an endless answer -----------------------------------------------------------

def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _gzip_bomb(megabytes: int) -> Reply:
    import zlib

    z = zlib.compressobj(9, zlib.DEFLATED, 31)
    body = z.compress(b'{"choices": [{"message": {"content": "') + b"".join(
        z.compress(b" " * 2**20) for _ in range(megabytes)) + z.flush()
    return Reply(body=body, headers={"Content-Encoding": "gzip"})


@pytest.mark.parametrize("kind", ["json", "sse", "length", "gzip"])
def test_an_endless_answer_is_cut_off_at_its_size_limit_in_bounded_memory(kind, openai_settings, fake_openai):
    """A server sending an endless body as fast as it is read (was: 3.1 GB RSS in 20 s, then
    MemoryError), or a small gzip body inflating to 64 MB: the attempt stops reading at
    ``answer_limit(max_tokens)``, fails the unit with AnswerTooLarge, is not retried; memory grows by a
    few MB, not GB."""
    import threading

    from briefings.errors import AnswerTooLarge
    from briefings.llm.openai_backend import answer_limit

    if not Path("/proc/self/status").exists():
        pytest.skip("needs /proc to read RSS")
    openai_settings.llm.timeout, openai_settings.llm.max_retries = 30.0, 2  # the size limit must act, not the deadline
    fake_openai.enqueue(_gzip_bomb(64) if kind == "gzip" else Reply.flood(kind))
    prompt = extract_prompt(openai_settings)
    limit = answer_limit(prompt.params["max_tokens"])
    baseline, peak, done = _rss_mb(), [0.0], threading.Event()

    def sample() -> None:
        while not done.wait(0.005):
            peak[0] = max(peak[0], _rss_mb())

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    started = time.monotonic()
    try:
        with LLM(openai_settings) as llm, pytest.raises(AnswerTooLarge) as err:
            llm.ask(prompt, ExtractAnswer, CONTEXT, unit="pack 1")
    finally:
        done.set()
        sampler.join()
    assert time.monotonic() - started < 10
    assert len(fake_openai.requests) == 1  # not retried: the same request would bring the same flood
    assert "cut off" in str(err.value) and f"{limit:,} bytes" in str(err.value)
    assert [f.unit for f in llm.failures] == ["pack 1"]
    assert peak[0] - baseline < 200, (baseline, peak[0])
    if kind == "gzip":
        return
    for _ in range(100):  # the server notices the hang-up on its next write
        if fake_openai.bytes_sent:
            break
        time.sleep(0.05)
    # what the client read is <= limit; the rest sat in the two sockets' buffers when it hung up
    assert fake_openai.bytes_sent and fake_openai.bytes_sent[0] < limit + 32 * 2**20, (fake_openai.bytes_sent, limit)


def test_a_build_with_one_endless_answer_reports_that_unit_and_exits_4(tmp_path, fake_openai):
    from test_cli_contracts import SEEDS as SEED_DIR, cli, with_model

    fake_openai.set_handler(_first_compose(lambda: Reply.flood("json")))
    res = cli(tmp_path, "build", SEED_DIR, "--format", "md,json", *with_model(fake_openai.base_url))
    assert res.returncode == 4, res.stderr
    failed = [line for line in res.stderr.splitlines() if line.startswith("failed:")]
    assert len(failed) == 1 and "cut off" in failed[0] and "bytes" in failed[0], res.stderr
    assert "MemoryError" not in res.stderr and "Traceback" not in res.stderr
