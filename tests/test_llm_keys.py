import pytest

from briefings.errors import MissingKey
from briefings.llm.keys import DUMMY_KEY, find_key, is_local, require_key, scrub


def test_lookup_order(tmp_settings):
    tmp_settings.llm.api_key_env = "MY_KEY"
    env = {"OPENAI_API_KEY": "o", "BRIEFINGS_API_KEY": "b", "MY_KEY": "m"}
    assert find_key(tmp_settings, env) == ("m", "MY_KEY")
    del env["MY_KEY"]
    assert find_key(tmp_settings, env) == ("b", "BRIEFINGS_API_KEY")
    del env["BRIEFINGS_API_KEY"]
    assert find_key(tmp_settings, env) == ("o", "OPENAI_API_KEY")
    assert find_key(tmp_settings, {"MY_KEY": ""}) == (None, None)  # empty counts as unset


@pytest.mark.parametrize("url,local", [
    ("http://127.0.0.1:8080/v1", True), ("http://localhost/v1", True), ("http://[::1]:1/v1", True),
    ("https://api.openai.com/v1", False), ("http://127.0.0.1.evil.com/v1", False), (None, False),
])
def test_local_endpoints(url, local):
    assert is_local(url) is local


def test_dummy_key_only_for_local(tmp_settings):
    tmp_settings.llm.base_url = "http://localhost:1234/v1"
    assert require_key(tmp_settings, {}) == (DUMMY_KEY, None)
    tmp_settings.llm.base_url = "https://example.com/v1"
    with pytest.raises(MissingKey, match="OPENAI_API_KEY"):
        require_key(tmp_settings, {})


def test_scrub():
    key = "sk-abcdefghijklmnop"
    assert scrub(f"bad key {key} / sk-...mnop", key) == "bad key *** / sk-...****"


def test_scrub_finds_the_key_after_normalisation_and_in_encodings_but_never_a_run_under_8():
    """The rule (briefings/redact.py): runs of 8+ characters of the key, in any of its forms; shorter
    runs and ordinary text stay as they are."""
    import base64
    import json
    from pathlib import Path

    from briefings.llm.keys import scrub_answer

    key = "sk-proj-Xa7cEo9pKyM4TbHq2wRz5NdU"
    answer = json.dumps({"claims": [{"text": "said " + "\u200b".join(key)},
                                    {"text": base64.b64encode(f"Bearer {key}".encode()).decode()}]})
    scrubbed = scrub_answer(answer, key)
    assert key not in json.dumps(json.loads(scrubbed), ensure_ascii=False).replace("\u200b", "")
    assert json.loads(scrubbed)["claims"][0]["text"] == "said ***"  # still valid JSON
    assert scrub_answer(f"suffix {key[-8:]}; seven {key[-7:]}", key) == f"suffix ***; seven {key[-7:]}"
    for path in sorted((Path(__file__).parent.parent / "seeds").glob("*.txt")):
        article = path.read_text(encoding="utf-8")
        assert scrub_answer(article, key) == article  # no false positive in real prose
