"""Issue 29 item 5: names written another way are the same name (possessives and genitives, transliteration
schemes), and a short claim full of names is read in its own language. Each a failure seen on real text."""

from __future__ import annotations

import pytest

from briefings.models import BriefingSentence, CitedSpan, Verdict
from briefings.verify import VerifyContext, language_of, verify_sentence


def _verify(claim: str, source: str, lang: str = "en", source_lang: str = "en"):
    sp = CitedSpan(sentence_id="a:s1", article_id="a", start=0, end=len(source), text=source, language=source_lang)
    ctx = VerifyContext(spans={"a:s1": sp}, sentence_countries={}, article_countries={})
    return verify_sentence(BriefingSentence(text=claim, language=lang, citations=["a:s1"]), None, ctx)


def _name_reasons(r) -> list[str]:
    return [x for x in r.reasons if x.startswith("name ") or "is not the speaker" in x]


# ------------------------------------------------------------------------------ possessive names

POSSESSIVE = [
    "The UN's Antonio Guterres called for a ceasefire.",
    "The UN’s Antonio Guterres called for a ceasefire.",
    "The ACLU’s Keegan Medrano said the law was unconstitutional.",
    "The EU's Ursula von der Leyen announced new sanctions on Tuesday.",
    "The IMF's Kristalina Georgieva warned of slower growth.",
    "The Smiths' lawyer, John Doe, said they would appeal.",  # passed before
]


@pytest.mark.parametrize("text", POSSESSIVE)
def test_possessive_name_verbatim_is_supported(text):
    r = _verify(text, text)
    assert r.verdict == Verdict.supported, r.reasons
    assert not _name_reasons(r)


def test_possessive_name_against_paraphrase():
    r = _verify("The UN's Antonio Guterres called for a ceasefire.",
                "UN Secretary-General Antonio Guterres called for a ceasefire in Gaza.")
    assert not _name_reasons(r), r.reasons


def test_a_possessive_inside_a_name_is_matched_as_written():
    claim = "The telescope captured a new image of Pandora's Box, a megacluster of galaxies."
    assert not _name_reasons(_verify(claim, claim))
    r = _verify(claim, "The telescope peered into a celestial Pandora's box beyond a megacluster of galaxies.")
    assert any("Pandora Box" in x for x in _name_reasons(r)), r.reasons  # the idiom is not the name


def test_possessive_with_another_name_still_fails():
    r = _verify("The EU's Roberta Metsola announced new sanctions on Tuesday.",
                "The EU's Ursula von der Leyen announced new sanctions on Tuesday.")
    assert r.verdict == Verdict.unsupported
    assert any("Metsola" in x for x in _name_reasons(r)), r.reasons


@pytest.mark.parametrize("claim", ["Merkels Regierung beschloss das Gesetz.",
                                   "Angela Merkels Regierung beschloss das Gesetz."])
def test_german_genitive_name(claim):
    r = _verify(claim, "Die Regierung von Angela Merkel beschloss das Gesetz.", "de", "de")
    assert not _name_reasons(r), r.reasons
    assert r.verdict == Verdict.supported, r.reasons


# ------------------------------------------------------------------------------ transliteration

SAME = [("Zelensky", "Selenskyj"), ("Zelenskyy", "Selenskyj"), ("Zelenskij", "Selenskyj"),
        ("Nadezhdin", "Nadeschdin"), ("Khodorkovsky", "Chodorkowski"),
        ("Navalny", "Nawalny"), ("Kadyrov", "Kadyrow")]  # the last two passed before (fuzzy ratio >= 85)


@pytest.mark.parametrize("en,de", SAME)
def test_transliterated_name_is_the_same_name(en, de):
    r = _verify(f"President Volodymyr {en} met the chancellor in Berlin.",
                f"Präsident Wolodymyr {de} traf den Kanzler in Berlin.", "en", "de")
    assert not _name_reasons(r), r.reasons
    assert r.verdict != Verdict.unsupported, r.reasons


def test_transliterated_speaker_is_the_same_speaker():
    r = _verify("The attacks will continue, President Zelenskyy said.",
                "Die Angriffe würden weitergehen, sagte Präsident Selenskyj.", "en", "de")
    assert not _name_reasons(r), r.reasons


@pytest.mark.parametrize("en,de", [("Zelensky", "Poroshenko"), ("Navalny", "Nawrocki"), ("Kadyrov", "Kadri")])
def test_other_name_stays_another_name(en, de):
    r = _verify(f"President Volodymyr {en} met the chancellor in Berlin.",
                f"Präsident Wolodymyr {de} traf den Kanzler in Berlin.", "en", "de")
    assert r.verdict == Verdict.unsupported
    assert any(en in x for x in _name_reasons(r)), r.reasons


def test_name_key():
    from briefings.names import name_key

    assert len({name_key(w) for w in ("Zelensky", "Zelenskyy", "Selenskyj", "Zelenskij", "Зеленский")}) == 1
    assert name_key("Navalny") == name_key("Nawalny") == name_key("Навальный")
    assert name_key("Nadezhdin") == name_key("Nadeschdin")
    assert name_key("Kadyrov") == name_key("Kadyrow")
    assert name_key("Khrushchev") == name_key("Chruschtschow")
    assert name_key("Zelensky") == name_key("Selenskij")
    assert name_key("Chernobyl") == name_key("Tschernobyl")
    assert name_key("Zelensky") != name_key("Poroshenko")
    assert name_key("Navalny") != name_key("Nawrocki")
    assert name_key("Scholz") != name_key("Schulz")  # vowels stay in the key
    assert name_key("Navalny") != name_key("Navalnaya")
    assert name_key("Kim") == ""  # too short for a key


# ------------------------------------------------------------------------------ short claims

@pytest.mark.parametrize("text,lang", [
    ("Volodymyr Zelensky visited Berlin on Monday.", "en"),
    ("Chernobyl was destroyed in 1986.", "en"),
    ("Edi Rama visited Tirana on Monday.", "en"),
])
def test_short_claim_language_fixed(text, lang):
    assert language_of(text) == lang


@pytest.mark.parametrize("text,lang", [
    ("Selenskyj besuchte am Montag Berlin.", "de"),
    ("Merkels Regierung beschloss das Gesetz.", "de"),
    ("Tchernobyl a été détruit en 1986.", "fr"),
    ("Emmanuel Macron a rencontré Olaf Scholz lundi.", "fr"),
    ("De president bezocht Berlijn op maandag.", "nl"),
    ("Erdoğan pazartesi Berlin'i ziyaret etti.", "tr"),
    ("El presidente visitó Berlín el lunes.", "es"),
    ("Putin met Xi in Beijing.", "en"),
])
def test_short_claim_language_kept(text, lang):
    assert language_of(text) == lang
