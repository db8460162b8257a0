"""Domestic news that names no country: its places decide, else its outlet (briefings/places.py, issue #28)."""

from __future__ import annotations

import json

import pytest

from briefings.config import load_settings
from briefings.countries import tag_article, tag_text
from briefings.errors import ConfigError
from briefings.extract import chunk_units
from briefings.models import Article
from briefings.pipeline import build
from briefings.places import PLACES, outlet_country, tag_places, tld_country
from briefings.segment import segment


def _article(text: str, lang: str = "en", url: str | None = None, title: str | None = None,
             outlet: str | None = None) -> Article:
    return segment(Article(id="a" + str(abs(hash((text, url, outlet))))[:8], source="x.txt", language=lang,
                           text=text, url=url, title=title, outlet=outlet))


def test_an_earthquake_in_a_japanese_prefecture_is_japan():
    a = _article("宮崎県で11日午前、震度5強の地震があった。気象庁によると、津波の心配はない。"
                 "宮崎市内では停電が起きた。", "ja")
    ac = tag_article(a)
    assert ac.about == ["JP"] and ac.decided_by == "places"
    assert {m.surface for ms in ac.sentence_mentions.values() for m in ms} == {"宮崎県", "宮崎市"}
    assert all(m.kind == "place" for ms in ac.sentence_mentions.values() for m in ms)
    # every statement of domestic news is about its country, so extraction reads the whole article
    assert all(s.subject_countries == ["JP"] for s in a.sentences)
    assert chunk_units([a], {"JP"})


def test_a_party_congress_in_busan_is_korea():
    # (서울 is the capital, read as the country itself since lexicon_scripts.tsv; Busan is only a place)
    a = _article("더불어민주당은 부산에서 전당대회를 열고 새 대표를 선출했다. 대회에는 당원 1만 명이 참석했다.", "ko")
    ac = tag_article(a)
    assert ac.about == ["KR"] and ac.decided_by == "places"
    assert [m.surface for ms in ac.sentence_mentions.values() for m in ms] == ["부산"]  # "부산에서": the particle


@pytest.mark.parametrize("text, lang", [
    ("बिहार में पुलिस ने तीन लोगों को गिरफ्तार किया। पुलिस अधीक्षक ने बताया कि जांच जारी है।", "hi"),
    ("Police in Bihar arrested three men on Sunday. The superintendent in Patna said the inquiry goes on.", "en"),
])
def test_a_police_story_from_bihar_is_india(text, lang):
    ac = tag_article(_article(text, lang))
    assert ac.about == ["IN"] and ac.decided_by == "places"


def test_a_named_country_wins_and_places_are_not_read():
    a = _article("France is bracing for strikes. Unions in Lyon called a walkout on Monday, "
                 "and the French government said talks would continue.")
    ac = tag_article(a)
    assert ac.about == ["FR"] and ac.decided_by == "text"
    assert set(ac.mentions) == {"FR"}
    assert all(m.kind != "place" for ms in ac.sentence_mentions.values() for m in ms)
    # the tagger's own answer is unchanged by places: the precision/recall gates measure it
    assert all(m.kind != "place" for m in tag_text(a.text, "en"))


@pytest.mark.parametrize("text", [
    "Paris Hilton launched a new perfume on Tuesday, her publicist said.",
    "Florence Pugh and Regina King arrived at the premiere on Sunday evening.",
    "Sydney Sweeney and Austin Butler were seen at the gala, a spokesperson said.",
])
def test_a_person_named_like_a_place_gives_no_country(text):
    ac = tag_article(_article(text))
    assert ac.about == [] and ac.decided_by is None and not ac.mentions


def test_ambiguous_and_common_forms_are_not_places():
    forms = {line.split("\t")[3] for line in PLACES.read_text(encoding="utf-8").splitlines()
             if not line.startswith("#")}
    # two countries' places (Córdoba AR/ES, Hyderabad IN/PK, Punjab IN/PK), common English words (Reading,
    # Nice, Split), first names (Florence, Victoria), countries themselves (Georgia, Luxembourg)
    for f in ("Córdoba", "Hyderabad", "Punjab", "Reading", "Nice", "Split", "Florence", "Victoria", "Georgia",
              "Luxembourg", "Paris", "Seoul"):
        assert f not in forms, f
    for f in ("Lyon", "Bihar", "宮崎県", "서울", "बिहार", "Novosibirsk", "Новосибирск"):
        assert f in forms, f


def test_place_forms_in_other_scripts_and_cases():
    assert [m.code for m in tag_places("В Новосибирске прошёл митинг.", "ru")] == ["RU"]
    assert [m.code for m in tag_places("Ein Unwetter traf Bayerns Süden.", "de")] == ["DE"]
    assert [(m.code, m.surface) for m in tag_places("وفي بغداد انفجار", "ar")] in ([], [("IQ", "بغداد")])
    assert tag_places("宮崎駿監督の新作", "ja") == []  # 宮崎 alone is a surname: only 宮崎県, 宮崎市 are places


def test_an_article_without_country_or_place_gets_the_outlets_country_from_the_domain():
    text = "The committee met on Tuesday to discuss the budget. Members agreed to meet again next week."
    a = _article(text, url="https://www3.nhk.or.jp/news/html/20261119/k1001.html")
    ac = tag_article(a)
    assert ac.about == ["JP"] and ac.decided_by == "outlet" and ac.mentions == {}
    assert all(s.subject_countries == ["JP"] for s in a.sentences)
    assert tld_country("https://www.bbc.co.uk/news") == "GB"
    assert tld_country("https://www.spiegel.de/politik") == "DE"


def test_the_configured_outlet_map_beats_the_domain():
    a = _article("The committee met on Tuesday to discuss the budget.", url="https://news.example.co.uk/a")
    assert outlet_country(a) == "GB"
    settings = load_settings(None, {"countries": {"outlets": {"example.co.uk": "Ireland"}}}, environ={})
    assert settings.countries.outlets == {"example.co.uk": "IE"}
    ac = tag_article(a, outlets=settings.countries.outlets)
    assert ac.about == ["IE"] and ac.decided_by == "outlet"
    # by the outlet's name too, and from the environment
    b = _article("The committee met on Tuesday.", outlet="NHK")
    env = load_settings(None, environ={"BRIEFINGS_COUNTRIES_OUTLETS": "nhk=JP"})
    assert tag_article(b, outlets=env.countries.outlets).about == ["JP"]
    with pytest.raises(ConfigError):
        load_settings(None, {"countries": {"outlets": {"example.com": "Atlantis"}}}, environ={})


@pytest.mark.parametrize("url", ["https://example.com/a", "https://startup.io/news", "https://radio.fm/x",
                                 "https://site.tv/y", None])
def test_a_generic_domain_gives_no_country(url):
    a = _article("The committee met on Tuesday to discuss the budget.", url=url)
    ac = tag_article(a)
    assert ac.about == [] and ac.decided_by is None
    assert all(s.subject_countries == [] for s in a.sentences)


def test_a_run_counts_where_countries_came_from_and_still_names_articles_with_none(tmp_path):
    rows = [
        {"title": "Talks", "published": "2026-11-18",
         "text": "Serbia and Kosovo resumed talks in Brussels on Tuesday, the European Union said."},
        {"title": "Quake", "published": "2026-11-18", "language": "ja",
         "text": "宮崎県で18日午前、震度5強の地震があった。宮崎市内では停電が起きた。"},
        {"title": "Budget", "published": "2026-11-18", "url": "https://www3.nhk.or.jp/news/a.html",
         "text": "The committee met on Tuesday to discuss the budget. Members agreed to meet again next week."},
        {"title": "Weather", "published": "2026-11-19", "url": "https://weather.example.com/x",
         "text": "Heavy rain is expected across the region on Thursday, forecasters said on Wednesday morning."},
    ]
    src = tmp_path / "news.jsonl"
    src.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    settings = load_settings(None, {"run": {"data_dir": tmp_path / "data", "undated": "keep"},
                                    "output": {"dir": tmp_path / "out", "formats": ["json"]}}, environ={})
    res = build([str(src)], settings)
    assert res.run["countries_from"] == {"text": 1, "places": 1, "outlet": 1, "none": 1}
    reasons = {u["source"].rsplit("#", 1)[-1]: u["reason"] for u in res.run["unused"]["sources"]}
    assert reasons.get("4") == "no country found"
    assert "JP" in {b.country for b in res.briefings}
