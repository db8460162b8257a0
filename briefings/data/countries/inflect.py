"""Regenerate ``inflected.tsv``: country names, adjectives, demonyms and capitals in their inflected forms.

    python -m briefings.data.countries.inflect [--mode lexicon|rules] [--out PATH]

Inputs: CLDR names and hand-kept aliases in Polish and Russian (``names.tsv``, ``aliases.tsv``) and the
hand-kept ``lexicon.tsv`` (fr, es, it, pt, nl, pl, ru, tr). Polish and Russian decline names and adjectives by case ("Korea Południowa" ->
"Korei Południowej", "Россия" -> "России"): ``--mode lexicon`` (the default, the one committed) takes
every form from a maintained morphological lexicon, Morfeusz 2 / SGJP for Polish and pymorphy3 /
OpenCorpora for Russian; ``--mode rules`` uses the suffix rules below instead (kept to measure one
against the other: ``bench/countries_public.py --inflected``). The Romance languages, Dutch and Turkish
only inflect adjectives for gender and number (or plural nouns), which suffix rules do well. Names in
those languages do not inflect; Turkish case endings follow an apostrophe ("Polonya'nın"), which the
tagger's folding already separates.

Output columns: code, lang, kind (name | adjective | capital), form, flags ("lang": the bare form that
also names the language, "français", "русский"). Forms that would name two countries are dropped.
Needs ``pip install 'briefings[countries-data]'`` for the lexicon mode; the output is committed.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

HERE = Path(__file__).resolve().parent
LANGS = ("fr", "es", "it", "pt", "nl", "pl", "ru", "tr")
PL_CASES = ("gen", "dat", "acc", "inst", "loc")
RU_CASES = ("gent", "datv", "accs", "ablt", "loct")


def _rows(path: Path) -> list[list[str]]:
    return [[c.strip() for c in line.split("|")] for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]


def _split(cell: str) -> list[str]:
    return [x.strip() for x in cell.split(",") if x.strip()]


def _like(form: str, model: str) -> str:
    """``form`` with the initial capital of ``model`` (generators return lemma case)."""
    return form[:1].upper() + form[1:] if model[:1].isupper() else form


# ------------------------------------------------------------------------------ suffix rules


def romance_adjective(word: str, lang: str) -> list[str]:
    """Gender and number of a masculine singular adjective in fr/es/it/pt."""
    w = word
    if lang == "fr":
        if w.endswith("e"):
            return [w, w + "s"]
        if w.endswith(("ien", "éen")):
            return [w, w + "ne", w + "s", w + "nes"]
        if w.endswith(("s", "x")):
            return [w, w + "e", w + "es"]
        return [w, w + "e", w + "s", w + "es"]
    if lang == "es":
        if w.endswith("o"):
            return [w, w[:-1] + "a", w + "s", w[:-1] + "as"]
        for acc, plain in (("és", "es"), ("án", "an"), ("ón", "on"), ("ín", "in")):
            if w.endswith(acc):
                s = w[:-2] + plain
                return [w, s + "a", s + "es", s + "as"]
        if w.endswith("e") or w.endswith("a"):
            return [w, w + "s"]
        if w.endswith("í") or w.endswith("ú"):
            return [w, w + "es", w + "s"]
        return [w, w + "a", w + "es", w + "as"]  # español, kosovar
    if lang == "it":
        if w.endswith(("co", "go")):
            return [w, w[:-1] + "a", w[:-1] + "hi", w[:-1] + "he"]
        if w.endswith("o"):
            return [w, w[:-1] + "a", w[:-1] + "i", w[:-1] + "e"]
        if w.endswith("a"):  # belga, vietnamita, saudita: -i plural (masc), -e (fem)
            return [w, w[:-1] + "i", w[:-1] + "e"]
        if w.endswith("e"):
            return [w, w[:-1] + "i"]
        return [w]
    if lang == "pt":
        if w.endswith("o"):
            return [w, w[:-1] + "a", w + "s", w[:-1] + "as"]
        if w.endswith("ês"):
            s = w[:-2] + "es"
            return [w, s + "a", s + "es", s + "as"]
        if w.endswith("ão"):
            return [w, w[:-2] + "ã", w[:-2] + "ães", w[:-2] + "ãs"]
        if w.endswith(("e", "a")):
            return [w, w + "s"]
        if w.endswith("i"):
            return [w, w + "s"]
        return [w, w + "a", w + "es", w + "as"]
    raise ValueError(lang)


def dutch_adjective(word: str) -> list[str]:
    return [word, word + "e"]  # Pools -> Poolse, Russisch -> Russische, Frans -> Franse


_BACK = set("aıou")
_FRONT = set("eiöü")


def turkish_plural(word: str) -> list[str]:
    """Rus -> Ruslar, Rusların, Ruslara, Rusları, Ruslarla, Ruslarda, Ruslardan (vowel harmony)."""
    last = next((c for c in reversed(word.lower()) if c in _BACK | _FRONT), "a")
    pl = "lar" if last in _BACK else "ler"
    v = pl[1]
    i = "ı" if v == "a" else "i"
    return [word, word + pl, word + pl + i + "n", word + pl + v, word + pl + i, word + pl + "l" + v,
            word + pl + "d" + v, word + pl + "d" + v + "n"]


_PL_SOFTEN = (("st", "ście"), ("t", "cie"), ("d", "dzie"), ("r", "rze"), ("ł", "le"), ("n", "nie"), ("s", "sie"),
              ("z", "zie"), ("p", "pie"), ("b", "bie"), ("w", "wie"), ("m", "mie"), ("f", "fie"))


def pl_rule(word: str) -> list[str]:
    """Polish case forms of one word by suffix (approximate: no stem alternations beyond the locative)."""
    w = word
    if w.endswith(("ski", "cki", "dzki")) or (w.endswith(("i", "y")) and w[:1].islower()):
        s = w[:-1]
        virile = s[:-2] + "scy" if w.endswith("ski") else s[:-2] + "ccy" if w.endswith("cki") else s + "i"
        return [w, s + "iego" if w.endswith("i") else s + "ego", s + "iej" if w.endswith("i") else s + "ej",
                s + "iemu" if w.endswith("i") else s + "emu", s + "im" if w.endswith("i") else s + "ym",
                s + "imi" if w.endswith("i") else s + "ymi", s + "ich" if w.endswith("i") else s + "ych",
                s + "ie" if w.endswith("i") else s + "e", s + "ą", s + "a", virile]
    if w.endswith(("a", "y")) and len(w) > 3 and w[-2:] in ("wa", "na", "ja") and w[:1].islower():
        return [w]
    if w.endswith(("owa", "na", "ska", "cka")) and w[:1].isupper() and w[-3:] in ("owa",):  # Południowa
        s = w[:-1]
        return [w, s + "ej", s + "ą"]
    if w.endswith(("ja", "ia")):
        return [w, w[:-1] + "i", w[:-1] + "ę", w[:-1] + "ą"]
    if w.endswith("ea"):
        return [w, w[:-1] + "i", w[:-1] + "ę", w[:-1] + "ą"]
    if w.endswith(("ka", "ga")):
        s = w[:-1]
        return [w, s + "i", s[:-1] + ("ce" if w.endswith("ka") else "dze"), s + "ę", s + "ą"]
    if w.endswith("a"):
        s = w[:-1]
        loc = next((s[: -len(a)] + b for a, b in _PL_SOFTEN if s.endswith(a)), s + "ie")
        return [w, s + "y", s + "ę", s + "ą", loc]
    if w.endswith("y"):  # plural names: Niemcy, Włochy, Chiny
        s = w[:-1]
        return [w, s, s + "om", s + "ami", s + "ach"]
    if w.endswith("o"):
        s = w[:-1]
        loc = next((s[: -len(a)] + b for a, b in _PL_SOFTEN if s.endswith(a)), s + "u")
        return [w, s + "a", s + "u", s + "em", loc]
    if w[-1:].isalpha():
        loc = w + "u" if w.endswith(("k", "g", "ch", "l", "j")) else \
            next((w[: -len(a)] + b for a, b in _PL_SOFTEN if w.endswith(a)), w + "u")
        return [w, w + "u", w + "a", w + "owi", w + "em", loc]
    return [w]


def ru_rule(word: str) -> list[str]:
    """Russian case forms of one word by suffix (singular nouns and adjectives)."""
    w = word
    for end, forms in (("ский", ("ского", "скому", "ским", "ском", "ская", "ской", "скую", "ское", "ские", "ских", "скими")),
                       ("цкий", ("цкого", "цкому", "цким", "цком", "цкая", "цкой", "цкую", "цкое", "цкие", "цких", "цкими")),
                       ("ая", ("ой", "ую")), ("ие", ("их", "им", "ими")), ("ые", ("ых", "ым", "ыми")),
                       ("ия", ("ии", "ию", "ией")), ("ья", ("ьи", "ью", "ьей"))):
        if w.endswith(end):
            stem = w[: -len(end)]
            return [w] + [stem + f for f in forms]
    if w.endswith("а"):
        s = w[:-1]
        gen = s + ("и" if s[-1:] in "кгхжшщч" else "ы")
        return [w, gen, s + "е", s + "у", s + "ой"]
    if w.endswith("я"):
        s = w[:-1]
        return [w, s + "и", s + "е", s + "ю", s + "ей"]
    if w.endswith("й"):
        s = w[:-1]
        return [w, s + "я", s + "ю", s + "ем", s + "е"]
    if w.endswith("ы"):  # plural: Штаты -> Штатов
        s = w[:-1]
        return [w, s + "ов", s + "ам", s + "ами", s + "ах"]
    if w[-1:] in "бвгдзклмнпрстфхцчшщ":
        return [w, w + "а", w + "у", w + "ом", w + "е"]
    return [w]


def phrase_by_rule(name: str, rule) -> list[str]:
    """Every word declined in the same slot: "Korea Południowa" -> "Korei Południowej" (forms zip by
    position, which holds for the regular paradigms above)."""
    words = name.split(" ")
    if len(words) == 1:
        return rule(name)
    per = [rule(w) if not re.search(r"[-.]", w) else [w] for w in words]
    heads = [p for p in per if len(p) > 1]
    if not heads:
        return [name]
    # adjective paradigms are longer; keep the noun's slots and pick the adjective's matching case
    return [name] + [" ".join(p[min(i, len(p) - 1)] if len(p) > 1 else p[0] for p in per)
                     for i in range(1, min(len(h) for h in heads))]


# ------------------------------------------------------------------------------ lexicons


class Polish:
    """Case forms from Morfeusz 2 (SGJP): each word declined in agreement with the name's head."""

    def __init__(self) -> None:
        import morfeusz2

        self.an = morfeusz2.Morfeusz(generate=False)
        self.gen = morfeusz2.Morfeusz(analyse=False)

    def _reading(self, word: str, pos: str | None = None):
        best = None
        for _, _, (_orth, lemma, tag, posp, _) in self.an.analyse(word):
            parts = tag.split(":")
            if parts[0] not in ("subst", "adj", "ppas", "depr") or len(parts) < 4 or "nom" not in parts[2].split("."):
                continue
            if parts[0] == "depr" or (pos and parts[0] != pos):
                continue
            # a place name first, then a lemma of the word's own case ("Francuz" the man, not "francuz" the wrench)
            score = ("nazwa_geograficzna" in posp) * 4 + (lemma[:1].isupper() == word[:1].isupper()) * 2 + \
                (parts[0] == "subst") - ("nazwisko" in posp) * 4  # a surname reading ("Francuz:Sf") is last
            if best is None or score > best[0]:  # homonym variants ("Włochy:Sn_pt~szech") generate all
                best = (score, lemma.split(":")[0], parts)
        return best

    def forms(self, name: str, kind: str = "name") -> list[str]:
        """Case forms of a name (singular, agreeing words); every form of a one-word adjective or noun."""
        words = name.split(" ")
        if len(words) == 1 and kind in ("adj", "subst"):
            r = self._reading(name, kind)
            return sorted(self._all(name, r) | {name}) if r else [name]
        readings = [self._reading(w) if not re.search(r"[-.]", w) else None for w in words]
        head = next((r for r in readings if r and r[2][0] == "subst"), None) or next((r for r in readings if r), None)
        if head is None:
            return [name]
        number, gender = head[2][1], head[2][3].split(".")[0]
        out = {name}
        for case in PL_CASES:
            picked = []
            for w, r in zip(words, readings):
                if r is None:
                    picked.append([w])
                    continue
                num = r[2][1] if r[2][0] == "subst" else number
                cands = []
                for orth, _, tag, *_ in self.gen.generate(r[1]):
                    p = tag.split(":")
                    if p[0] != r[2][0] or len(p) < 4 or p[1] != num or case not in p[2].split("."):
                        continue
                    if p[0] != "subst" and gender not in p[3].split(".") and not (
                            number == "pl" and set(p[3].split(".")) & {"m2", "m3", "f", "n"}):
                        continue
                    if p[0] in ("adj", "ppas") and p[-1 if p[0] == "adj" else -2] not in ("pos", "perf", "imperf"):
                        continue
                    if p[0] == "ppas" and p[-1] != "aff":
                        continue
                    cands.append(_like(orth, w))
                picked.append(sorted(set(cands)) or [w])
            combos = [""]
            for opts in picked:
                combos = [f"{c} {o}".strip() for c in combos for o in opts[:2]]
            out.update(combos)
        return sorted(out)

    def _all(self, word: str, r) -> set[str]:
        """Every form of an adjective (the virile plural "polscy" included) or a noun of the same gender."""
        out = set()
        for orth, _, tag, *_ in self.gen.generate(r[1]):
            p = tag.split(":")
            if p[0] == "adj" == r[2][0] and p[-1] == "pos" or p[0] == "subst" == r[2][0] and p[3] == r[2][3]:
                out.add(_like(orth, word))
        return out


class Russian:
    """Case forms from pymorphy3 (OpenCorpora): adjective + noun phrases agree, appositions do not."""

    def __init__(self) -> None:
        import pymorphy3

        self.m = pymorphy3.MorphAnalyzer()

    def _parse(self, word: str):
        ps = [p for p in self.m.parse(word) if "nomn" in p.tag and ({"NOUN", "ADJF", "PRTF"} & {p.tag.POS})]
        ps.sort(key=lambda p: ("Geox" not in p.tag, -p.score))
        return ps[0] if ps else None

    def forms(self, name: str) -> list[str]:
        words = name.split(" ")
        if len(words) == 1 and "-" in name and name[:1].isupper():  # "Коста-Рика": the last part declines
            head, _, last = name.rpartition("-")
            return sorted({name} | {f"{head}-{f}" for f in self.forms(last) if f != last})
        parses = [self._parse(w) if "-" not in w else None for w in words]
        seen_noun = False
        for i, p in enumerate(parses):
            if p is None:
                continue
            if p.tag.POS == "NOUN":
                if seen_noun and (i == 0 or words[i - 1] not in ("и",)):
                    parses[i] = None  # apposition ("Республика Корея"): not declined
                seen_noun = True
        out = {name}
        for case in RU_CASES:
            combo = []
            for w, p in zip(words, parses):
                f = p.inflect({case}) if p is not None else None
                combo.append(_like(f.word, w) if f else w)
            out.add(" ".join(combo))
        if len(words) == 1 and parses[0] is not None and parses[0].tag.POS == "ADJF":
            out |= {_like(f.word, words[0]) for f in parses[0].lexeme if "ADJF" in f.tag and "Cmp" not in str(f.tag)}
        if len(words) == 1 and parses[0] is not None and parses[0].tag.POS == "NOUN":
            out |= {_like(f.word, words[0]) for f in parses[0].lexeme}  # plural too: "поляки", "поляков"
        return sorted(f.replace("ё", "е") for f in out) + sorted(f for f in out if "ё" in f)


# ------------------------------------------------------------------------------ generation


def _names(lang: str) -> list[tuple[str, str]]:
    out = []
    for line in (HERE / "names.tsv").read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            continue
        code, lg, surface = line.split("\t")
        if lg == lang:
            out.append((code, surface))
    return out


def generate(mode: str = "lexicon") -> list[tuple[str, str, str, str, str]]:
    pl: object = Polish() if mode == "lexicon" else None
    ru: object = Russian() if mode == "lexicon" else None

    def decline(lang: str, text: str, kind: str = "name") -> list[str]:
        if lang == "pl":
            return pl.forms(text, kind) if pl else phrase_by_rule(text, pl_rule)  # type: ignore[attr-defined]
        return ru.forms(text) if ru else phrase_by_rule(text, ru_rule)  # type: ignore[attr-defined]

    rows: set[tuple[str, str, str, str, str]] = set()
    aliases = [(code, lang, f) for code, lang, kind, forms, _ in _rows(HERE / "aliases.tsv")
               if lang in ("pl", "ru") and kind == "name" for f in _split(forms)]
    for lang in ("pl", "ru"):
        for code, name in _names(lang) + [(c, f) for c, lg, f in aliases if lg == lang]:
            rows |= {(code, lang, "name", f, "") for f in decline(lang, name) if f != name}
    for code, lang, adjs, nouns, caps in _rows(HERE / "lexicon.tsv"):
        for adj in _split(adjs):
            if adj.startswith("="):
                rows.add((code, lang, "adjective", adj[1:], ""))
                continue
            if lang in ("pl", "ru"):
                forms = decline(lang, adj, "adj")
            elif lang == "nl":
                forms = dutch_adjective(adj)
            elif lang == "tr":
                forms = turkish_plural(adj)
            else:
                forms = romance_adjective(adj, lang)
            for f in forms:
                bare = f == adj or lang in ("pl", "ru")  # "z języka polskiego", "на русском языке"
                rows.add((code, lang, "adjective", f, "lang" if bare and lang != "tr" else ""))
        for noun in _split(nouns):
            if noun.startswith("="):
                rows.add((code, lang, "adjective", noun[1:], ""))
            elif lang in ("pl", "ru"):
                rows |= {(code, lang, "adjective", f, "") for f in decline(lang, noun, "subst")}
            elif lang == "tr":
                rows |= {(code, lang, "adjective", f, "") for f in turkish_plural(noun)}
            else:
                rows.add((code, lang, "adjective", noun, ""))
        for cap in _split(caps):
            forms = decline(lang, cap) if lang in ("pl", "ru") else [cap]
            rows |= {(code, lang, "capital", f, "") for f in forms}
    return _resolve(rows)


def _resolve(rows: set[tuple[str, str, str, str, str]]) -> list[tuple[str, str, str, str, str]]:
    """Drop forms that name two countries in one language ("Gwinei": three Guineas)."""
    codes: dict[tuple[str, str], set[str]] = {}
    for code, lang, _, form, _ in rows:
        codes.setdefault((lang, form.lower()), set()).add(code)
    clashes = {k for k, v in codes.items() if len(v) > 1}
    for k in sorted(clashes):
        print(f"dropped ambiguous form {k}: {sorted(codes[k])}")
    return sorted(r for r in rows if (r[1], r[3].lower()) not in clashes and len(r[3]) >= 3)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mode", choices=("lexicon", "rules"), default="lexicon")
    ap.add_argument("--out", type=Path, default=HERE / "inflected.tsv")
    args = ap.parse_args(argv)
    rows = generate(args.mode)
    head = [f"# generated by inflect.py --mode {args.mode} from names.tsv and lexicon.tsv; do not edit",
            "# code\tlang\tkind\tform\tflags"]
    args.out.write_text("\n".join(head + ["\t".join(r) for r in rows]) + "\n", encoding="utf-8")
    print(f"{args.out.name}: {len(rows)} forms")


if __name__ == "__main__":
    main()
