import pytest

from briefings.llm.parsing import AnswerError, first_json_object, parse_answer
from briefings.schemas import ExtractAnswer


@pytest.mark.parametrize("text", [
    '{"a": 1}',
    '```json\n{"a": 1}\n```',
    'Here you go:\n```\n{"a": 1}\n```\nbye',
    'Sure. {"a": 1} and then {"b": 2}',
    'prose with a stray { brace, then {"a": 1}',
])
def test_first_balanced_object(text):
    assert first_json_object(text) == {"a": 1}


def test_braces_inside_strings_do_not_confuse():
    assert first_json_object('x {"a": "} {", "b": [1, {"c": 2}]} y') == {"a": "} {", "b": [1, {"c": 2}]}


@pytest.mark.parametrize("text,msg", [
    ("", "empty"), ("   \n", "empty"), ("no json", "no JSON"),
    ('{"a": [1, 2', "truncated"),
    ('{"a": 1,, "b": 2}', "not valid JSON"),
    # cut off mid-answer: the complete inner objects must not be taken for the answer
    ('{"verdicts":[{"index":0,"verdict":"supported"},{"index":1,"verd', "truncated"),
    ('```json\n{"claims": [{"text": "a \\" } {"}, {"te', "truncated"),
])
def test_unusable_answers(text, msg):
    with pytest.raises(AnswerError, match=msg):
        first_json_object(text)


def test_validation_context_rejects_unknown_ids():
    text = '{"claims": [{"countries": ["de"], "text": "t", "citations": ["x:s9"]}]}'
    with pytest.raises(AnswerError, match=r"claims\.0\.citations.*x:s9"):
        parse_answer(text, ExtractAnswer, {"sentence_ids": {"x:s1"}})
    ok = parse_answer(text, ExtractAnswer, {"sentence_ids": {"x:s9"}, "countries": {"DE"}})
    assert ok.claims[0].countries == ["DE"]
