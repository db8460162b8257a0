"""Convert a sample of WikiNEuRal (Babelscape/wikineural) into ``sample.jsonl`` for ``bench/countries_public.py``.

    python bench/data/wikineural/convert.py /work/.mirror/Babelscape+wikineural/repo [--n 800]

Takes the first ``--n`` sentences of ``data/wikineural/<lang>/test.conllu`` for de, en, es, fr, it, nl,
pl, pt, ru (WikiNEuRal has no Turkish), joins the tokens with spaces and keeps every entity span (PER,
ORG, LOC, MISC) with character offsets. A LOC span is given a country code when the span, or its lemma,
is a country's CLDR/ISO name in that language (``briefings/data/countries/names.tsv``, itself generated
from CLDR by babel and ISO 3166 by pycountry): Polish spans are lemmatised with Morfeusz 2, Russian
ones with pymorphy3 ("Korei Południowej" -> "Korea Południowa" = KR, "России" -> "Россия" = RU), a German
genitive "s" is dropped ("Deutschlands"). So which spans are locations is WikiNEuRal's decision, which
location is which country CLDR's; ``overrides.tsv`` fixes the few spans that this lookup gets wrong
(reviewed by hand, each line says why). Needs ``pip install 'briefings[countries-data]'``.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
LANGS = ("de", "en", "es", "fr", "it", "nl", "pl", "pt", "ru")


def read_conllu(text: str, n: int) -> list[list[tuple[str, str]]]:
    out = []
    for block in text.split("\n\n"):
        toks = [tuple(line.split("\t")[1:3]) for line in block.strip().split("\n") if line.count("\t") >= 2]
        if toks:
            out.append(toks)
        if len(out) >= n:
            break
    return out


def spans(tokens: list[tuple[str, str]]) -> tuple[str, list[list]]:
    """Text (tokens joined by spaces) and entity spans [start, end, type]."""
    text, ents, cur = "", [], None
    for word, tag in tokens:
        start = len(text) + (1 if text else 0)
        text = f"{text} {word}" if text else word
        if tag.startswith("B-") or (tag.startswith("I-") and (cur is None or cur[2] != tag[2:])):
            cur = [start, len(text), tag[2:]]
            ents.append(cur)
        elif tag.startswith("I-"):
            cur[1] = len(text)  # type: ignore[index]
        else:
            cur = None
    return text, ents


class Lemmas:
    """Lemma tuples of a phrase (lower case), for Polish and Russian."""

    def __init__(self) -> None:
        import morfeusz2
        import pymorphy3

        self.pl = morfeusz2.Morfeusz(generate=False)
        self.ru = pymorphy3.MorphAnalyzer()

    def of(self, phrase: str, lang: str) -> set[tuple[str, ...]]:
        options: list[set[str]] = []
        for w in phrase.split(" "):
            if lang == "pl":
                rs = self.pl.analyse(w)  # a hyphenated word is several segments: kept as written
                lem = {r[2][1].split(":")[0].lower() for r in rs if r[2][2] != "ign"} if all(r[1] == 1 for r in rs) else set()
            else:
                lem = {p.normal_form.replace("ё", "е") for p in self.ru.parse(w)[:4]}
            options.append(lem or {w.lower()})
        combos: set[tuple[str, ...]] = {()}
        for opts in options:
            combos = {c + (o,) for c in combos for o in sorted(opts)[:4]}
            if len(combos) > 256:
                break
        return combos


def country_lookup(lemmas: Lemmas) -> dict[str, dict]:
    names: dict[str, dict] = {lang: {} for lang in LANGS}
    for line in (ROOT / "briefings/data/countries/names.tsv").read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            continue
        code, lang, surface = line.split("\t")
        if lang not in names:
            continue
        names[lang][surface.lower()] = code
        if lang in ("pl", "ru"):
            for lem in lemmas.of(surface, lang):
                names[lang].setdefault(lem, code)
    return names


def gold_code(span: str, lang: str, names: dict, lemmas: Lemmas, overrides: dict) -> str | None:
    if (lang, span) in overrides:
        return overrides[(lang, span)] or None
    table = names[lang]
    low = span.lower()
    if low in table:
        return table[low]
    if lang == "de" and low.endswith("s") and low[:-1] in table:
        return table[low[:-1]]
    if lang in ("pl", "ru"):
        for lem in lemmas.of(span, lang):
            if lem in table:
                return table[lem]
    return None


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("repo", type=Path, help="git dir of the Babelscape/wikineural snapshot")
    ap.add_argument("--n", type=int, default=800)
    args = ap.parse_args()
    git = ["git", f"--git-dir={args.repo}"]
    commit = subprocess.run(git + ["rev-parse", "HEAD"], capture_output=True, text=True, check=True).stdout.strip()
    lemmas = Lemmas()
    names = country_lookup(lemmas)
    overrides = {}
    for line in (HERE / "overrides.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            lang, span, code = line.split("\t")[:3]
            overrides[(lang, span)] = code.strip()
    out = []
    for lang in LANGS:
        raw = subprocess.run(git + ["show", f"{commit}:data/wikineural/{lang}/test.conllu"], capture_output=True,
                             check=True).stdout.decode("utf-8")
        for i, toks in enumerate(read_conllu(raw, args.n)):
            text, ents = spans(toks)
            for e in ents:
                e.append(gold_code(text[e[0]:e[1]], lang, names, lemmas, overrides) if e[2] == "LOC" else None)
            out.append({"id": f"{lang}-{i}", "lang": lang, "text": text, "entities": ents})
    (HERE / "sample.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in out), encoding="utf-8")
    countries = sum(1 for r in out for e in r["entities"] if e[3] and e[3] != "-")
    print(f"sample.jsonl: {len(out)} sentences, {countries} country spans; source commit {commit}", file=sys.stderr)


if __name__ == "__main__":
    main()
