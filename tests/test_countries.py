"""Country tagging: API contract, one test per ambiguity rule, gold precision/recall floors, seeds."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pycountry
import pytest
from baseline import gate
from hypothesis import given, settings
from hypothesis import strategies as st

from briefings import countries as C
from briefings.countries import (ArticleCountries, countries_in, country_name, load_matcher, summarize,
                                 tag_article, tag_text)
from briefings.models import Article, Sentence

ROOT = Path(__file__).resolve().parent.parent
GOLD = Path(__file__).resolve().parent / "gold"

# Floors measured on the gold files when they were written (see the report in the commit history).
# Raise them when the tagger improves; never lower them.


def codes(text: str, lang: str | None = None) -> set[str]:
    return {m.code for m in tag_text(text, lang)}


# ------------------------------------------------------------------------------ contract


def test_mentions_index_the_text_sorted_and_never_overlap():
    text = "In Belgrade, Vučić met Erdoğan; Turkey's and Serbia's ministers joined. Papua New Guinea too."
    ms = tag_text(text)
    assert [m.code for m in ms] == ["RS", "RS", "TR", "TR", "RS", "PG"]
    assert [m.kind for m in ms] == ["capital", "person", "person", "name", "name", "name"]
    for m in ms:
        assert text[m.start:m.end] == m.surface
    assert all(a.end <= b.start for a, b in zip(ms, ms[1:]))


def test_empty_and_countryless_text():
    assert tag_text("") == []
    assert tag_text("The committee met on Tuesday to discuss the budget.") == []
    assert countries_in("Nothing here.") == set()


def test_matcher_is_built_once():
    assert C.default_matcher() is C.default_matcher()
    assert C.default_matcher().size > 5000  # one automaton over every form


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_fold_keeps_length_so_offsets_survive(text):
    assert len(C.fold(text)) == len(text)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(["Serbia", "the", "Türkiye", "Kosovo,", "woman", "Oman.", "us", "US", "Niger",
                                 "Nigeria", "é", "İstanbul", "—", "Vučić", "\n", "Belgrads"]), max_size=30))
def test_offsets_hold_for_any_mix_of_words(words):
    text = " ".join(words)
    ms = tag_text(text)
    for m in ms:
        assert text[m.start:m.end] == m.surface
    assert all(a.end <= b.start for a, b in zip(ms, ms[1:]))


# ------------------------------------------------------------------------------ coverage


def test_every_iso_country_plus_kosovo_and_palestine_has_names():
    iso = {c.alpha_2 for c in pycountry.countries}
    assert iso | {"XK", "PS"} <= C.known_codes()
    forms = Counter()
    for line in (C.DATA / "names.tsv").read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            code, lang, _ = line.split("\t")
            forms[(code, lang)] += 1
    for lang in ["en", "de", "fr", "es", "it", "pt", "nl", "pl", "ru", "tr"]:
        covered = {code for code, lg in forms if lg == lang}
        assert len(covered) >= 245, lang


@pytest.mark.parametrize("text,lang,code", [
    ("Le président de la Serbie est arrivé.", "fr", "RS"),
    ("El gobierno de Turquía anunció la compra.", "es", "TR"),
    ("Il governo dell'Albania ha firmato.", "it", "AL"),
    ("O Azerbaijão comprou drones.", "pt", "AZ"),
    ("De regering van Servië protesteerde.", "nl", "RS"),
    ("Rząd Albanii podpisał umowę z Turcja.", "pl", "TR"),
    ("Сербия и Косово договорились.", "ru", "XK"),
    ("Sırbistan ve Kosova anlaştı.", "tr", "XK"),
])
def test_names_in_ten_languages(text, lang, code):
    assert code in codes(text, lang)


@pytest.mark.parametrize("text,expected", [
    ("Albanien", {"AL"}), ("türkischen", {"TR"}), ("Aserbaidschan", {"AZ"}), ("Serbiens", {"RS"}),
    ("Belgrads", {"RS"}), ("Pristina", {"XK"}), ("Ankara", {"TR"}), ("Vucic", {"RS"}), ("VAE", {"AE"}),
    ("Kosovo", {"XK"}), ("Türkiye", {"TR"}), ("Turkey", {"TR"}), ("Kosovar", {"XK"}), ("Turkish", {"TR"}),
    ("serbisch serbische serbischen Serbiens", {"RS"}), ("USA", {"US"}), ("UK", {"GB"}), ("UAE", {"AE"}),
    ("DRC", {"CD"}), ("Vučić", {"RS"}), ("Erdoğan", {"TR"}), ("Aliyev", {"AZ"}), ("Edi Rama", {"AL"}),
])
def test_issue_examples(text, expected):
    assert codes(text) == expected  # language unknown: every language's forms apply


def test_diacritics_and_case_insensitive_where_safe():
    assert codes("TURKIYE and SERBIA") == {"TR", "RS"}
    assert codes("Vucic, Vučić, VUČIĆ") == {"RS"}
    assert codes("TÜRKISCHE Drohnen", "de") == {"TR"}


# ------------------------------------------------------------------------------ one test per rule


def test_rule_word_boundaries_oman_in_woman():
    assert codes("A woman and a Romanian walked by.") == {"RO"}
    assert codes("Oman's sultan") == {"OM"}


def test_rule_longest_match_niger_vs_nigeria():
    ms = tag_text("Nigeria and Niger")
    assert [(m.surface, m.code) for m in ms] == [("Nigeria", "NG"), ("Niger", "NE")]
    assert [m.code for m in tag_text("Papua New Guinea")] == ["PG"]
    assert [m.code for m in tag_text("South Sudan")] == ["SS"]


def test_rule_georgia_us_state():
    assert codes("Georgia's governor spoke in Atlanta.") == set()
    assert codes("Georgia votes in the presidential primary, county officials said.") == set()
    assert codes("Georgia's parliament in Tbilisi passed the law.") == {"GE"}
    assert codes("Georgia wants to join the EU.") == {"GE"}


def test_rule_first_names_jordan_chad_georgia():
    assert codes("Michael Jordan retired.") == set()
    assert codes("Jordan Henderson scored.") == set()
    assert codes("Chad Johnson caught the ball.") == set()
    assert codes("Georgia May Jagger smiled.") == set()
    assert codes("Jordan and Chad signed the accord.") == {"JO", "TD"}
    assert codes("In Jordan, King Abdullah met the Foreign Minister of Chad.") == {"JO", "TD"}
    assert codes("Jordan King Abdullah visited Chad on Monday.") == {"JO", "TD"}


def test_rule_headline_case_does_not_trigger_the_first_name_rule():
    assert codes("Jordan Says It Will Close Its Airspace To All Flights") == {"JO"}


def test_rule_turkey_the_bird():
    assert codes("We roasted a turkey.") == set()
    assert codes("Turkey sandwiches for lunch.") == set()
    assert codes("Roast Turkey with gravy.") == set()
    assert codes("Turkey said it would reply.") == {"TR"}


def test_rule_china_porcelain():
    assert codes("grandmother's china") == set()
    assert codes("China plates were stacked.") == set()
    assert codes("They served tea in fine China.") == set()
    assert codes("China said it would reply.") == {"CN"}


def test_rule_proper_nouns_need_a_capital():
    assert codes("a hanging chad, a jersey and a guinea pig, polish the japan lacquer") == set()
    assert codes("Jersey and Guernsey are crown dependencies.") == {"JE", "GG"}


def test_rule_abbreviations_are_case_exact():
    assert codes("Tell us what you need.") == set()
    assert codes("The US and the UK.") == {"US", "GB"}
    assert codes("Die VAE und die USA", "de") == {"AE", "US"}
    assert codes("the uk") == set()


def test_rule_blockers():
    assert codes("Latin American and North American markets") == set()
    assert codes("New Mexico and New Jersey") == {"US"}  # US states, never MX or JE
    assert codes("The New York Times and Indiana Jones") == set()
    assert codes("The Washington Post said Washington would act.") == {"US"}
    assert codes("Guinea pigs") == set()
    assert codes("French fries and Turkish delight") == set()


def test_rule_foreign_language_forms_keep_their_accents_and_language():
    assert codes("The IRA declared a ceasefire.") == set()  # pt "Irã" folded would be "ira"
    assert codes("Island nations met in Fiji.") == {"FJ"}  # de "Island" = Iceland, not in English text
    assert codes("Island und Norwegen", "de") == {"IS", "NO"}
    assert codes("O Irã respondeu.", "pt") == {"IR"}


def test_rule_ambiguous_leader_names_need_context():
    assert codes("Rama and Sita") == set()
    assert codes("Prime Minister Rama said no.") == {"AL"}
    assert codes("Premier Rama said no.") == {"AL"}
    assert codes("Edi Rama spoke first. Then Rama left.") == {"AL"}
    assert [m.surface for m in tag_text("Rama left. Edi Rama arrived.")] == ["Edi Rama"]  # only after it
    assert codes("President Xi met Vučić.") == {"CN", "RS"}
    assert codes("Xi said.") == set()


def test_rule_german_jordan_is_the_river():
    assert codes("am Ufer des Jordan", "de") == set()
    assert codes("Jordanien und Jordaniens Nachbarn", "de") == {"JO"}


def test_rule_german_genitives_and_inflections():
    got = tag_text("Serbiens Präsident, die serbischen Truppen, Belgrads Haltung, Chinas Exporte, Türkiyes Rolle, "
                   "Erdogans Besuch, die Serben und eine Serbin", "de")
    assert [m.code for m in got] == ["RS", "RS", "RS", "CN", "TR", "TR", "RS", "RS"]


# ------------------------------------------------------------------------------ user data


def test_user_extension_file(tmp_path):
    extra = tmp_path / "mine.toml"
    extra.write_text('''
blockers = ["Malta fever"]

[[leader]]
code = "MT"
names = ["Robert Abela"]
context = ["Abela"]

[[alias]]
code = "KR"
forms = ["Hanguk"]
''', encoding="utf-8")
    m = load_matcher([extra])
    text = "Robert Abela met Abela's staff. Hanguk exports rose. Malta fever is brucellosis."
    assert [(x.surface, x.code, x.kind) for x in tag_text(text, matcher=m)] == [
        ("Robert Abela", "MT", "person"), ("Abela", "MT", "person"), ("Hanguk", "KR", "name")]
    assert codes("Robert Abela") == set()  # the default matcher is untouched


# ------------------------------------------------------------------------------ gold


def _gold_sentences():
    return [json.loads(line) for line in (GOLD / "countries_sentences.jsonl").read_text(encoding="utf-8").splitlines()
            if line.strip()]


def test_gold_sentences_cover_both_languages_and_every_trap():
    gold = _gold_sentences()
    assert len(gold) >= 60
    assert {g["lang"] for g in gold} == {"en", "de"}
    traps = " ".join(g["trap"] for g in gold).lower()
    for word in ["oman", "niger", "georgia", "jordan", "chad", "turkey", "china", "rama", "genitiv", "vae",
                 "kosovo", "abbreviations", "blocker" if "blocker" in traps else "latin american"]:
        assert word in traps, word


def test_gold_sentence_precision_and_recall_floors():
    tp = fp = fn = 0
    misses = []
    for g in _gold_sentences():
        got, want = codes(g["text"], g["lang"]), set(g["codes"])
        tp, fp, fn = tp + len(got & want), fp + len(got - want), fn + len(want - got)
        if got != want:
            misses.append((g["text"], sorted(got), sorted(want)))
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    gate("countries.gold_sentences.precision", precision, detail=misses)
    gate("countries.gold_sentences.recall", recall, detail=misses)


@pytest.fixture(scope="module")
def seed_articles():
    from briefings.config import Settings
    from briefings.ingest import ingest

    result = ingest([str(ROOT / "seeds")], Settings())
    return {Path(a.source).name: a for a in result.articles}


def _prf(got: set, want: set) -> tuple[int, int, int]:
    return len(got & want), len(got - want), len(want - got)


def test_seeds_against_gold(seed_articles):
    gold = [json.loads(line) for line in (GOLD / "countries_seeds.jsonl").read_text(encoding="utf-8").splitlines()]
    assert {g["seed"] for g in gold} == set(seed_articles)
    totals = {"mentioned": [0, 0, 0], "about": [0, 0, 0]}
    all_codes: set[str] = set()
    for g in gold:
        ac = tag_article(seed_articles[g["seed"]])
        all_codes |= set(ac.mentions)
        for key, got in (("mentioned", set(ac.mentions)), ("about", set(ac.about))):
            for i, n in enumerate(_prf(got, set(g[key]))):
                totals[key][i] += n
    assert "US" not in all_codes  # only in the removed donation appeal of 004
    assert {"RS", "TR", "AL", "XK", "AZ"} <= all_codes
    for key in ("mentioned", "about"):
        tp, fp, fn = totals[key]
        gate(f"countries.seeds.{key}.precision", tp / (tp + fp), detail=totals)
        gate(f"countries.seeds.{key}.recall", tp / (tp + fn), detail=totals)


def test_seed_boilerplate_would_have_tagged_us():
    """Why the seed test must run on ingested text: the raw donation appeal names the US."""
    raw = (ROOT / "seeds" / "004_0649ad27615de1ff.txt").read_text(encoding="utf-8")
    assert "US" in codes(raw)


def test_tag_article_sets_sentence_countries(seed_articles):
    a = seed_articles["000_f8c84b4ead7772ee.txt"]
    ac = tag_article(a)
    first = a.sentences[0]
    assert first.countries == ["AL", "RS", "TR", "XK"]  # Albanien, Türkiye, serbischen, Kosovo, Pristina, Ankara
    for s in a.sentences:
        assert s.countries == sorted(set(s.countries))
        assert set(s.countries) == {m.code for m in tag_text(s.text, a.language)} or s.countries
    for sid, ms in ac.sentence_mentions.items():
        sent = next(s for s in a.sentences if s.id == sid)
        assert {m.code for m in ms} == set(sent.countries)
        assert all(a.text[m.start:m.end] == m.surface and sent.start <= m.start < sent.end for m in ms)
    assert ac.about[:2] == sorted(ac.about[:2], key=lambda c: -ac.salience[c])
    assert max(ac.salience.values()) == 1.0


def test_title_counts_for_salience():
    text = "Officials met on Monday. Talks with Serbia went on. Serbia, Serbia, Serbia. Greece was mentioned."
    sents = []
    pos = 0
    for i, part in enumerate(text.split(". ")):
        part = part if part.endswith(".") else part + "."
        start = text.index(part, pos)
        sents.append(Sentence(id=f"a:s{i + 1}", article_id="a", index=i, start=start, end=start + len(part), text=part))
        pos = start + len(part)
    plain = tag_article(Article(id="a", source="x", text=text, sentences=[s.model_copy() for s in sents]))
    titled = tag_article(Article(id="a", source="x", title="Greece and Greece again", text=text,
                                 sentences=[s.model_copy() for s in sents]))
    assert "GR" not in plain.about
    assert "GR" in titled.about
    assert titled.salience["GR"] > plain.salience["GR"]


def test_article_without_sentences_uses_text_offsets():
    ac = tag_article(Article(id="b", source="x", text="Kosovo and Serbia agreed. Kosovo will vote. Kosovo again."))
    assert ac.mentions == {"XK": 3, "RS": 1}
    assert ac.about == ["XK"]


# ------------------------------------------------------------------------------ names and summary


def test_country_name():
    assert country_name("XK") == "Kosovo"
    assert country_name("TR") == "Türkiye"
    assert country_name("TR", "de") == "Türkei"
    assert country_name("rs", "fr") == "Serbie"
    assert country_name("PS") == "Palestine"
    assert country_name("RS", "sv") == "Serbien"  # not shipped: straight from CLDR
    assert country_name("RS", "xx-unknown") == "Serbia"
    assert country_name("ZZ") == "ZZ"


def test_summarize_orders_by_articles_then_salience():
    per = [
        ArticleCountries(article_id="a1", mentions={"RS": 5, "TR": 2}, salience={"RS": 1.0, "TR": 0.4}, about=["RS", "TR"]),
        ArticleCountries(article_id="a2", mentions={"TR": 4, "RU": 1}, salience={"TR": 1.0, "RU": 0.25}, about=["TR"]),
        ArticleCountries(article_id="a3", mentions={"RS": 3}, salience={"RS": 1.0}, about=["RS"]),
    ]
    stats = summarize(per)
    assert [s.code for s in stats] == ["RS", "TR"]  # RU is only mentioned
    assert stats[0].articles == ["a1", "a3"] and stats[0].mentions == 8 and stats[0].name == "Serbia"
    assert stats[1].mentioned_in == ["a1", "a2"]
    assert [s.code for s in summarize(per, min_articles=0)] == ["RS", "TR", "RU"]
    assert summarize(per, min_articles=3) == []


def test_rule_languages_are_not_countries():
    assert codes("The German translation and the French-speaking press.") == set()
    assert codes("Das Buch erscheint auf Deutsch.", "de") == set()
    assert codes("He answered in Russian.") == set()
    assert codes("German troops and the French president.") == {"DE", "FR"}
    assert codes("Die deutsche Regierung", "de") == {"DE"}


def test_rule_capitals_as_surnames():
    assert codes("The novel by Jack London was reprinted, and a talk by Barry Warsaw followed.") == set()
    assert codes("Talks in Warsaw and London ended.") == {"PL", "GB"}
    assert codes("Die Beziehungen Belgrads zu Ankara", "de") == {"RS", "TR"}  # German nouns are capitalised


def test_rule_all_caps_only_in_all_caps_text():
    assert codes("Build with DANE support and CAIRO enabled.") == set()
    assert codes("SERBIA AND KOSOVO AGREE") == {"RS", "XK"}
    assert codes("The USA and the UK") == {"US", "GB"}  # abbreviations are exact, not caps


def test_unsupported_language_uses_every_form_and_threads_share_one_matcher():
    from concurrent.futures import ThreadPoolExecutor

    assert codes("Serbien och Kosovo", "sv") == {"RS", "XK"}  # German/English forms still apply
    m = load_matcher()
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda t: {x.code for x in tag_text(t, "de", matcher=m)}, ["Serbien"] * 16))
    assert all(r == {"RS"} for r in results)


def test_rule_metonyms_for_institutions_are_not_countries():
    assert codes("Brussels wants the member states to agree.") == set()  # the EU, not Belgium
    assert codes("The suspects were sent to The Hague.") == set()  # the courts, not the Netherlands
    assert codes("Oil spills in the Niger Delta") == {"NG"}
    assert codes("a Georgian era townhouse and West Indian cricket") == set()


# ------------------------------------------------------------------------------ other languages (issue #17)

ML_LANGS = ("fr", "es", "it", "pt", "pl", "ru", "tr", "nl")


@pytest.mark.parametrize("text,lang,expected", [
    ("Rząd Korei Południowej i południowokoreańskiej firmy", "pl", {"KR"}),  # the issue's Polish article
    ("Il governo italiano ha firmato.", "it", {"IT"}),  # ...and its Italian one
    ("Ceny wzrosły w Niemczech i we Włoszech.", "pl", {"DE", "IT"}),  # locatives with a stem change
    ("Переговоры с Южной Кореей прошли в Москве.", "ru", {"KR", "RU"}),  # declined phrase and capital
    ("Les forces ukrainiennes et la diplomatie française", "fr", {"UA", "FR"}),
    ("Los agricultores marroquíes y la Armada francesa", "es", {"MA", "FR"}),
    ("Os agricultores espanhóis e a chanceler alemã", "pt", {"ES", "DE"}),
    ("Rusların önerisi ve Türk askerleri", "tr", {"RU", "TR"}),
    ("De Poolse regering en de Russische minister", "nl", {"PL", "RU"}),  # de "russische" is not nl's
    ("Il primo ministro albanese ha parlato.", "it", {"AL"}),  # not hidden by Australia's PM Albanese
])
def test_inflected_names_adjectives_and_demonyms(text, lang, expected):
    assert codes(text, lang) == expected


def test_rule_languages_are_not_countries_in_other_languages():
    assert codes("Le rapport n'est disponible qu'en français.", "fr") == set()
    assert codes("Il documento è stato tradotto in italiano.", "it") == set()
    assert codes("Egzamin z języka polskiego.", "pl") == set()
    assert codes("Доклад опубликован на русском языке.", "ru") == set()
    assert codes("El gobierno español.", "es") == {"ES"}  # an adjective after a noun is the country


def test_rule_generated_forms_apply_only_to_their_language():
    assert codes("Roma and Sinti were not consulted.", "en") == set()  # it/es/pt capital "Roma"
    assert codes("La sequía afecta a América del Sur.", "es") == set()  # the continent, not the US
    assert codes("America sent aid.", "en") == {"US"}
    assert codes("Eurocommissaris Frans Timmermans sprak in het parlement over klimaatbeleid.", "nl") == set()  # a name


def _gold_ml():
    return [json.loads(line) for line in (GOLD / "countries_sentences_ml.jsonl").read_text(encoding="utf-8")
            .splitlines() if line.strip()]


def test_gold_sentences_in_other_languages_per_language_floors():
    gold = _gold_ml()
    per_lang = Counter(g["lang"] for g in gold)
    assert all(per_lang[lang] >= 15 for lang in ML_LANGS), per_lang
    assert all(any(not g["codes"] for g in gold if g["lang"] == lang) for lang in ML_LANGS)  # negatives too
    for lang in ML_LANGS:
        tp = fp = fn = 0
        misses = []
        for g in (g for g in gold if g["lang"] == lang):
            got, want = codes(g["text"], lang), set(g["codes"])
            tp, fp, fn = tp + len(got & want), fp + len(got - want), fn + len(want - got)
            if got != want:
                misses.append((g["text"], sorted(got), sorted(want)))
        gate(f"countries.gold_sentences.{lang}.precision", tp / (tp + fp), detail=misses)
        gate(f"countries.gold_sentences.{lang}.recall", tp / (tp + fn), detail=misses)


def test_public_wikineural_sample_per_language_floors():
    """WikiNEuRal LOC spans that name a country (bench/countries_public.py; ~1 s)."""
    import sys

    sys.path.insert(0, str(ROOT / "bench"))
    from countries_public import load, measure

    res = measure(load(), lambda text, lang: tag_text(text, lang))
    assert set(res) == {"de", "en", "es", "fr", "it", "nl", "pl", "pt", "ru"}
    for lang, stats in res.items():
        gate(f"countries.public_wikineural.{lang}.precision", stats["precision"], detail=stats["misses"][:20])
        gate(f"countries.public_wikineural.{lang}.recall", stats["recall"], detail=stats["misses"][:20])


def test_resolve_country_in_any_language():
    assert [C.resolve_country(v) for v in ("America", "Polska", "Włochy", "Россия", "Serbien")] == [
        "US", "PL", "IT", "RU", "RS"]


def test_generated_forms_are_made_only_for_the_languages_met():
    m = load_matcher()
    tag_text("Serbia and Kosovo", "en", matcher=m)
    tag_text("Serbien und Kosovo", "de", matcher=m)
    assert set(m._generated) == {"fr", "es", "it", "pt", "nl", "pl", "ru", "tr"}  # none made yet
    assert {x.code for x in tag_text("w Polsce", "pl", matcher=m)} == {"PL"}
    assert "pl" not in m._generated and "ru" in m._generated
    assert {x.code for x in tag_text("Polsce", None, matcher=m)} == {"PL"}  # unknown language: every name
    assert not m._generated


def test_us_states_and_cities_are_the_us():
    """Issue #17: US domestic news named no country (18 of 50 Multi-News clusters got no briefing)."""
    assert codes("Police in Houston, Texas, said the suspect fled to Nevada.") == {"US"}
    assert codes("The White House said on Monday that Pentagon officials would testify.") == {"US"}
    assert codes("Die Regierung in Kalifornien reagierte.", "de") == {"US"}
    assert codes("Virginia Woolf and Indiana Jones") == set()
    assert codes("Georgia's parliament in Tbilisi voted.") == {"GE"}

