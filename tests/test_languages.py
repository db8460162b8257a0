"""The language registry (issue #29 step 1): one data file per language under briefings/data/languages/,
read through ``briefings.languages``; the word tables of the verifier come from there."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefings import align, implicatives, numbers, text, verify
from briefings.languages import KEYS, TABLE_KEYS, any_language, language, supported

DIR = Path(__file__).resolve().parents[1] / "briefings" / "data" / "languages"
FILES = sorted(p.stem for p in DIR.glob("*.toml"))


def test_supported_is_the_set_of_files():
    assert supported() == frozenset(FILES)
    assert {"en", "de", "fr", "es", "it", "pt", "nl", "pl", "ru", "tr", "sv"} <= supported()


@pytest.mark.parametrize("code", FILES)
def test_every_file_loads_with_known_keys_only(code):
    lang = language(code)
    assert lang.code == code and lang.name
    assert set(lang.words) <= set(KEYS), set(lang.words) - set(KEYS)
    for key in lang.words:
        assert lang.raw(key), f"{code}.toml: {key} is empty"
        if key in TABLE_KEYS:
            assert isinstance(lang.words[key], dict), key
        else:
            assert lang.list(key), f"{code}.toml: {key} is empty"
            assert isinstance(lang.words[key], (str, list)), key
    assert language(code) is lang  # cached


def test_the_readme_names_every_key():
    readme = (DIR / "README.md").read_text(encoding="utf-8")
    assert not [k for k in KEYS if f"`{k}`" not in readme]


def test_a_language_without_a_file_is_not_supported():
    assert "xx" not in supported()
    with pytest.raises(KeyError):
        language("xx")


def test_month_and_weekday_names_come_from_cldr():
    assert language("en").months["march"] == 3 and language("de").months["märz"] == 3
    assert language("de").weekdays["sonntag"] == 7 and language("en").weekdays["monday"] == 1
    assert language("fr").months["février"] == 2  # any language with a file has them
    # the date checks read English and German names, plus the abbreviations the files add (not "mar", "mai")
    assert text.MONTHS["september"] == 9 and text.MONTHS["sept"] == 9 and text.MONTHS["jänner"] == 1
    assert "mar" not in text.MONTHS and "mai" in text.MONTHS and text.WEEKDAYS["sonnabend"] == 6


# Words of one language that must not be in another's file: the registry keeps them apart even where a
# stage still merges files (the merged sets below are the documented unions, see the README)
FOREIGN = {
    ("en", "negation"): {"nicht", "kein", "keine", "nie", "ne", "pas", "non", "mai", "nunca", "ohne", "sin", "senza"},
    ("en", "stop"): {"der", "die", "das", "und", "le", "la", "el", "il", "che", "que"},
    ("en", "modal"): {"kann", "muss", "soll", "werde"},
    ("en", "framing"): {"dass", "que", "che", "ob"},
    ("en", "quantifiers"): {"alle", "jede", "tous", "todos", "tutti", "nur"},
    ("de", "negation"): {"not", "no", "never", "ne", "pas", "non", "mai"},
    ("de", "stop"): {"the", "and", "of", "le", "el", "il", "che", "que"},
    ("fr", "stop"): {"the", "der", "el", "che", "und"},
    ("es", "stop"): {"the", "der", "il", "che", "und"},
    ("it", "stop"): {"the", "der", "el", "que", "und"},
    ("it", "negation"): {"not", "nicht", "pas", "no", "kein"},
    ("fr", "framing"): {"that", "dass", "che"},
    ("it", "framing"): {"that", "dass", "que"},
}


@pytest.mark.parametrize("code,key", sorted(FOREIGN))
def test_no_word_of_another_language_in_a_file(code, key):
    assert not language(code).folded(key) & FOREIGN[code, key]


def test_romance_words_reach_only_their_own_language():
    """French, Spanish and Italian stop words and negation are read for their language only."""
    assert "mai" in text.negation_for("it") and "mai" not in text.negation_for("de")
    assert "mai" not in text.negation_for("en") and "sin" not in text.negation_for("en")
    assert "era" in text.stop_for("es") and "era" not in text.stop_for("en")
    assert text.stop_for("pt") == text.STOP  # no stop words of its own yet


def test_the_merged_sets_are_exactly_the_documented_unions():
    """The stages that apply several languages' words to any text (issue #29: the next step's fixes) read
    nothing else than the union of the files they name."""
    en, de = language("en"), language("de")
    assert text.STOP == en.raw("stop") | de.raw("stop")
    assert text.NEGATION == en.folded("negation") | de.folded("negation")
    assert align.NEGATION == text.NEGATION | {"ohne"}  # align's "ohne": the drift the pure move keeps
    assert align.MODAL == en.folded("modal") | de.folded("modal")
    assert verify.FRAMING == any_language("framing")
    assert implicatives.CLAIM_NOUNS == any_language("claim_nouns", folded=True)
    assert numbers._ONE == any_language("article_one")
    assert numbers._T2N_LANGS == {"en", "de", "fr", "es", "it", "pt", "nl"}


def test_the_stemmer_comes_from_the_file():
    assert verify._stemmer("de") is not None and verify._stemmer("pl") is None and verify._stemmer("xx") is None
