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
