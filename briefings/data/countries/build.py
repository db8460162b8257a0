"""Regenerate ``names.tsv`` (country names in many languages) from CLDR (babel) and ISO (pycountry).

Run ``python -m briefings.data.countries.build`` after upgrading babel/pycountry; the output is
committed so that nothing is generated at run time. Hand-kept data (adjectives, capitals, aliases,
leaders) lives in the other files of this folder and is not touched here.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pycountry
from babel import Locale

HERE = Path(__file__).resolve().parent
LANGS = ["en", "de", "fr", "es", "it", "pt", "nl", "pl", "ru", "tr",
         # issue 28 "every script": Japanese, Korean, Chinese (simplified; traditional from zh_Hant, also
         # as "zh"), Arabic, Hindi, Persian, Hebrew, Ukrainian, Greek; and the Scandinavian languages, whose
         # compound names ("Nord-Korea", "Sør-Sudan") were read as their last word
         "ja", "ko", "zh", "ar", "hi", "fa", "he", "uk", "el", "nb", "nn", "da", "sv"]
LOCALES = {"zh": ["zh", "zh_Hant"]}  # CLDR locales read for one language code
AND = {"en": "and", "de": "und", "fr": "et", "es": "y", "it": "e", "pt": "e", "nl": "en", "pl": "i",
       "ru": "и", "tr": "ve", "ko": "및", "ar": "و", "hi": "और", "fa": "و", "he": "ו", "uk": "і", "el": "και",
       "nb": "og", "nn": "og", "da": "og", "sv": "och", "ja": "・", "zh": "和"}
EXTRA_CODES = {"XK"}
# Forms that name something else far more often than the country: a city (Granada, Salvador), a first
# name (Maurice, Malte, Dominika), an English county (Norfolk). Left out in every language.
EXCLUDED = {"Granada", "Salvador", "Maurice", "Malte", "Dominika", "Norfolk", "Keeling", "Guiana",
            "수단", "말리"}  # ko "means", "to dry/stop" (Sudan, Mali)
# Special administrative regions: "中国香港特别行政区", "Гонконг, ОАР Китаю", "Hongkong SAR Kina" -> the city
SAR = re.compile(r"^(中华人民共和国|中華人民共和国|中国|中國|منطقة)|(特别行政区|特別行政区|特別行政區|الإدارية الخاصة|"
                 r"الصينية| ΕΔΠ Κίνας| SAR Kina)$|^SAR ")  # Kosovo: not in ISO 3166-1, user-assigned code used by the EU and CLDR


def variants(name: str, lang: str) -> set[str]:
    """Usable surface forms of one CLDR/ISO display name; alternatives from "(...)" are marked "~"."""
    out: set[str] = set()
    name = name.replace("’", "'").strip()
    # "Myanmar (Burma)" -> both; "Hong Kong SAR China" -> "Hong Kong"
    m = re.fullmatch(r"(.+?) ?[(（](.+)[)）]", name)
    parts = [m.group(1), "~" + m.group(2)] if m else [name]
    if lang not in ("en", "de", "fr", "es", "it", "pt", "nl", "pl", "ru", "tr"):
        # "홍콩(중국 특별행정구)", "Гонконг, ОАР Китаю", "هنگ‌کنگ، منطقهٔ ...": the head only
        parts = [re.split(r"، |, ", p)[0] for p in parts if not p.startswith("~") or not re.search(
                 "特别行政区|특별행정구|منطقة إدارية|विशेष प्रशासनिक|אזור מנהלי", p)]
    for p in parts:
        p = re.sub(r"\s*(SAR China|SAR|\(SAR\))$", "", p).strip()
        if re.search("特别行政区|特別行政|الإدارية الخاصة|الصينية|ΕΔΠ|SAR", p):
            p = SAR.sub("", p).strip()
        p = re.sub(r"^(Sonderverwaltungsregion|Sonderverwaltungszone) ", "", p)
        p = re.sub(r"^R\.A\.S\. chinoise de ", "", p)
        out.add(p)
        if " - " in p:  # CLDR "Congo - Kinshasa" is written "Congo-Kinshasa" in text
            out.add(p.replace(" - ", "-"))
            out.discard(p)
        if "&" in p:
            out.add(p.replace("&", AND[lang]))
    # ISO "Korea, Republic of" -> "Republic of Korea" (and drop the inverted form)
    for p in list(out):
        if ", " in p:
            head, tail = p.split(", ", 1)
            out.discard(p)
            if tail.endswith(" of") or tail.endswith(" of the"):
                out.add(f"{tail} {head}")
            elif tail in ("British", "U.S."):
                out.add(f"{tail} {head}")
    out = {re.sub(r"^(~?)(the|The) ", r"\1", p) for p in out}
    # three characters at least (two in scripts that write a country in two: 中国, 독일, 日本)
    return {p for p in out if len(p.lstrip("~")) >= (2 if lang in ("ja", "zh", "ko") else 3)}


def fold(s: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", s.lower()) if not unicodedata.combining(c))


def resolve(rows: set[tuple[str, str, str]]) -> set[tuple[str, str, str]]:
    """Drop forms that name two codes: first parenthetical alternatives that clash with a main name
    ("SRA Hongkong (Chiny)" must not make "Chiny" Hong Kong), then whatever still clashes."""
    main: dict[str, set[str]] = {}
    for code, _, s in rows:
        if not s.startswith("~"):
            main.setdefault(fold(s), set()).add(code)
    kept = {(c, lang, s.lstrip("~")) for c, lang, s in rows
            if not (s.startswith("~") and main.get(fold(s[1:]), {c}) != {c})}
    codes: dict[str, set[str]] = {}
    for code, _, s in kept:
        codes.setdefault(fold(s), set()).add(code)
    clashes = {k for k, v in codes.items() if len(v) > 1}
    for k in sorted(clashes):
        print(f"dropped ambiguous form {k!r}: {sorted(codes[k])}")
    return {r for r in kept if fold(r[2]) not in clashes}


def main() -> None:
    iso = {c.alpha_2 for c in pycountry.countries} | EXTRA_CODES
    rows: set[tuple[str, str, str]] = set()
    for lang in LANGS:
        for loc in LOCALES.get(lang, [lang]):
            for code, name in Locale.parse(loc).territories.items():
                if code in iso:
                    rows.update((code, lang, v) for v in variants(name, lang))
    for c in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            if getattr(c, attr, None):
                rows.update((c.alpha_2, "en", v) for v in variants(getattr(c, attr), "en"))
    rows = {r for r in rows if r[2].lstrip("~") not in EXCLUDED}
    rows = resolve(rows)
    # Display names (for country_name) in every language we index.
    display = {lang: {code: n for code, n in Locale(lang).territories.items() if code in iso} for lang in LANGS}
    lines = ["# generated by build.py from babel (CLDR) and pycountry (ISO 3166-1); do not edit",
             "# code\tlang\tsurface"]
    lines += [f"{c}\t{lang}\t{s}" for c, lang, s in sorted(rows)]
    (HERE / "names.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    dl = ["# generated by build.py: CLDR display names; code\tlang\tname"]
    dl += [f"{c}\t{lang}\t{n}" for lang in LANGS for c, n in sorted(display[lang].items())]
    (HERE / "display.tsv").write_text("\n".join(dl) + "\n", encoding="utf-8")
    print(f"names.tsv: {len(rows)} forms for {len({r[0] for r in rows})} codes")


if __name__ == "__main__":
    main()
