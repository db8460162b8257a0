"""Number words read by text2num (issue #13 item 5): written numbers equal their digits in en/de/fr/es, and
a changed one is still caught. The digit, locale and currency layer stays hand-written."""

from __future__ import annotations

import pytest

from briefings.models import BriefingSentence, CitedSpan, Verdict
from briefings.numbers import missing_numbers, numbers_in
from briefings.verify import VerifyContext, verify_sentence

SAME = [  # (claim, span, language)
    ("Two thousand five hundred troops were sent to the border.", "2,500 troops were sent to the border.", "en"),
    ("The army received one hundred and twenty tanks.", "The army received 120 tanks.", "en"),
    ("Zweitausend Soldaten wurden an die Grenze geschickt.", "2000 Soldaten wurden an die Grenze geschickt.", "de"),
    ("Die Armee erhielt einhundertzwanzig Panzer.", "Die Armee erhielt 120 Panzer.", "de"),
    ("Deux mille cinq cents soldats ont été envoyés à la frontière.", "2 500 soldats ont été envoyés à la frontière.", "fr"),
    ("L'armée a reçu cent vingt chars.", "L'armée a reçu 120 chars.", "fr"),
    ("Dos mil quinientos soldados fueron enviados a la frontera.", "2.500 soldados fueron enviados a la frontera.", "es"),
    ("El ejército recibió ciento veinte tanques.", "El ejército recibió 120 tanques.", "es"),
]
CHANGED = [
    ("Three thousand five hundred troops were sent to the border.", "2,500 troops were sent to the border.", "en"),
    ("Dreitausend Soldaten wurden an die Grenze geschickt.", "2000 Soldaten wurden an die Grenze geschickt.", "de"),
    ("L'armée a reçu cent trente chars.", "L'armée a reçu 120 chars.", "fr"),
    ("El ejército recibió ciento treinta tanques.", "El ejército recibió 120 tanques.", "es"),
]


@pytest.mark.parametrize("claim,span,lang", SAME)
def test_written_numbers_equal_their_digits(claim, span, lang):
    assert numbers_in(claim, lang), claim
    assert missing_numbers(claim, lang, [("a:s1", span, lang)]) == []


@pytest.mark.parametrize("claim,span,lang", CHANGED)
def test_a_changed_written_number_is_caught(claim, span, lang):
    assert missing_numbers(claim, lang, [("a:s1", span, lang)])
    sp = CitedSpan(sentence_id="a:s1", article_id="a", start=0, end=len(span), text=span, language=lang)
    got = verify_sentence(BriefingSentence(text=claim, language=lang, citations=["a:s1"]), None,
                          VerifyContext(spans={"a:s1": sp}))
    assert got.verdict == Verdict.unsupported and any(r.startswith("number") for r in got.reasons)


@pytest.mark.parametrize("text,lang", [("one of the best drones", "en"), ("eine der besten Drohnen", "de"),
                                        ("un des meilleurs drones", "fr")])
def test_the_article_one_is_no_count(text, lang):
    assert numbers_in(text, lang) == []
