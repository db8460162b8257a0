"""The SQLite response cache under threads and two processes."""

from __future__ import annotations

import multiprocessing as mp
import threading

from briefings.llm import Prompt
from briefings.llm.cache import ResponseCache, cache_key


def prompt(text: str = "hi", **params) -> Prompt:
    return Prompt(task="verify", messages=[{"role": "user", "content": text}], schema_name="VerifyAnswer",
                  json_schema={"type": "object"}, params=params, template_hash="t1")


def test_key_covers_inputs_and_is_stable():
    base = cache_key(prompt(), "openai", "m")
    assert base == cache_key(prompt(), "openai", "m")
    variants = [
        cache_key(prompt("other"), "openai", "m"),
        cache_key(prompt(temperature=0.5), "openai", "m"),
        cache_key(prompt(), "local", "m"),
        cache_key(prompt(), "openai", "m2"),
        cache_key(prompt().model_copy(update={"template_hash": "t2"}), "openai", "m"),
        cache_key(prompt().model_copy(update={"json_schema": {"type": "array"}}), "openai", "m"),
    ]
    assert len({base, *variants}) == 1 + len(variants)


def test_threads_share_one_cache(tmp_path):
    cache = ResponseCache(tmp_path / "c.sqlite")

    def work(n: int) -> None:
        for i in range(50):
            cache.put(f"{n}-{i}", "verify", "m", f"text {n} {i}")
            assert cache.get(f"{n}-{i}") == f"text {n} {i}"

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(cache) == 400
    cache.close()


def _writer(path: str, n: int) -> None:
    cache = ResponseCache(path)
    for i in range(100):
        cache.put(f"p{n}-{i}", "extract", "m", "x" * 100)
        cache.get(f"p{1 - n}-{i}")
    cache.close()


def test_two_processes_write_concurrently(tmp_path):
    path = str(tmp_path / "c.sqlite")
    ResponseCache(path).close()
    ctx = mp.get_context("spawn")  # no forked sqlite handles
    procs = [ctx.Process(target=_writer, args=(path, n)) for n in range(2)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
    assert [p.exitcode for p in procs] == [0, 0]
    cache = ResponseCache(path)
    assert len(cache) == 200
    assert cache._conn().execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    cache.close()
