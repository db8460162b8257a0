"""The reader's language (issue #28 item 4): in a briefing whose output language is X, Bottom line, Key
developments, What to watch and Context hold statements in X only. The embedded backend does not
translate: a statement available only in another language goes to a final section, "Reported in other
languages", marked with its language."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefings.config import load_settings
from briefings.pipeline import build

ROOT = Path(__file__).resolve().parent.parent
LEAD = ("bottom_line", "key_developments", "watch", "context")


@pytest.fixture(scope="module")
def seeds_en(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("lang")
    settings = load_settings(None, {"run": {"data_dir": tmp / "data"}, "output": {"dir": tmp / "out"}}, environ={})
    return build([str(ROOT / "seeds")], settings, write=False)


def test_the_lead_sections_are_in_the_readers_language(seeds_en):
    lead = [s for b in seeds_en.briefings for sec in b.sections if sec.key in LEAD for s in sec.sentences]
    assert lead and all(s.language == "en" for s in lead), [s.text for s in lead if s.language != "en"]
    other = [s for b in seeds_en.briefings for sec in b.sections if sec.key == "other_languages"
             for s in sec.sentences]
    assert other and all(s.language != "en" for s in other)
    for b in seeds_en.briefings:
        keys = [sec.key for sec in b.sections]
        assert "other_languages" not in keys[:-1], "reported after the briefing, last"
        assert all(sec.title == "Reported in other languages" for sec in b.sections if sec.key == "other_languages")


def test_a_country_reported_only_in_another_language_gets_no_lead(seeds_en):
    (az,) = [b for b in seeds_en.briefings if b.country == "AZ"]  # German sources only
    assert [sec.key for sec in az.sections] == ["other_languages"]
    assert all(s.verdict.value == "supported" for s in az.sections[0].sentences)


def test_a_model_statement_left_in_another_language_is_moved_out_of_the_lead(tmp_path):
    from briefings.compose import to_briefing
    from briefings.corpus import Corpus
    from briefings.ingest import ingest
    from briefings.schemas import ComposeAnswer

    (tmp_path / "de.txt").write_text("Serbien und Albanien unterzeichneten am Montag in Belgrad ein Abkommen über "
                                     "den Bahnverkehr, teilte die serbische Regierung mit.", encoding="utf-8")
    settings = load_settings(None, {"run": {"data_dir": tmp_path / "data"}}, environ={})
    corpus = Corpus.tagged(ingest([str(tmp_path / "de.txt")], settings).articles)
    (sid,) = corpus.sentences
    text = corpus.sentences[sid].text
    answer = ComposeAnswer.model_validate({"title": "Serbia", "bottom_line": [{"text": text, "citations": [sid]}],
                                           "key_developments": [{"text": text[:60], "citations": [sid]}]})
    b = to_briefing("RS", answer, "2026-W47", corpus, settings)
    assert [(sec.key, [s.language for s in sec.sentences]) for sec in b.sections] == [
        ("other_languages", ["de", "de"])]
