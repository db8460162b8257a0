"""Country detection per language on a public NER set: WikiNEuRal's LOC spans, countries by CLDR name.

    python bench/countries_public.py [--inflected PATH] [--root PATH] [--misses LANG]

Reads ``bench/data/wikineural/sample.jsonl`` (7,200 Wikipedia sentences in de, en, es, fr, it, nl, pl,
pt, ru; see its README and ``convert.py``) and tags every sentence with the sentence's language.

* Recall: of the LOC spans that name a country (the span or its lemma is the country's CLDR name in
  that language: "Korei Południowej", "Deutschlands"), the share overlapped by a mention of that code.
* Precision: of the *name* mentions the tagger puts on a LOC or PER span, the share that sit on a
  country span of the same code; one on a city, a region or a person is wrong. Name mentions inside
  ORG/MISC spans ("Bank of Poland") or outside every span are not judged (WikiNEuRal's silver
  annotations miss many), nor are adjectives, capitals and leaders, which the span-level gold cannot
  judge: ``tests/gold/countries_sentences*.jsonl`` covers those.

``--inflected`` swaps the generated ``inflected.tsv`` (e.g. one written by ``inflect.py --mode rules``)
to compare generators; ``--root`` imports ``briefings`` from another checkout (the "before" figures).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
SAMPLE = HERE / "data" / "wikineural" / "sample.jsonl"


def load(path: Path = SAMPLE) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def measure(rows: list[dict], tag) -> dict[str, dict]:
    """Per language: gold, tp, fn, fp, judged, precision, recall, and the misses for inspection.
    ``tag(text, lang)`` returns mentions with start, end, code and kind."""
    out: dict[str, dict] = defaultdict(lambda: {"gold": 0, "found": 0, "correct": 0, "judged": 0, "misses": []})
    for r in rows:
        st = out[r["lang"]]
        mentions = tag(r["text"], r["lang"])
        ents = r["entities"]
        for s, e, _typ, code in ents:
            if code and code != "-":  # "-": a part of a country or a convention, not judged
                st["gold"] += 1
                if any(m.code == code and m.start < e and s < m.end for m in mentions):
                    st["found"] += 1
                else:
                    st["misses"].append(("missed", r["text"][s:e], code, r["id"]))
        for m in mentions:
            if m.kind != "name":
                continue
            over = [x for x in ents if x[0] < m.end and m.start < x[1]]
            if not over or all(x[2] in ("ORG", "MISC") or x[3] == "-" for x in over):
                continue
            st["judged"] += 1
            if any(x[2] == "LOC" and x[3] == m.code for x in over):
                st["correct"] += 1
            else:
                st["misses"].append(("wrong", m.surface, m.code, r["id"]))
    for st in out.values():
        st["recall"] = st["found"] / st["gold"] if st["gold"] else 1.0
        st["precision"] = st["correct"] / st["judged"] if st["judged"] else 1.0
    return dict(sorted(out.items()))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--inflected", type=Path, help="another inflected.tsv (generator comparison)")
    ap.add_argument("--root", type=Path, help="import briefings from this checkout (before/after)")
    ap.add_argument("--misses", help="print the misses of this language")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    sys.path.insert(0, str(args.root or HERE.parent))
    from briefings import countries as C

    matcher = C.load_matcher(inflected=args.inflected) if args.inflected else C.default_matcher()
    res = measure(load(), lambda text, lang: C.tag_text(text, lang, matcher))
    if args.json:
        print(json.dumps({k: {x: v[x] for x in ("gold", "found", "judged", "correct", "precision", "recall")}
                          for k, v in res.items()}, indent=1))
        return
    print(f"{'lang':5} {'country spans':>13} {'found':>6} {'recall':>7} {'judged':>7} {'correct':>8} {'precision':>9}")
    tot = defaultdict(int)
    for lang, st in res.items():
        print(f"{lang:5} {st['gold']:13d} {st['found']:6d} {st['recall']:7.3f} {st['judged']:7d} {st['correct']:8d} "
              f"{st['precision']:9.3f}")
        for k in ("gold", "found", "judged", "correct"):
            tot[k] += st[k]
    print(f"{'all':5} {tot['gold']:13d} {tot['found']:6d} {tot['found'] / tot['gold']:7.3f} {tot['judged']:7d} "
          f"{tot['correct']:8d} {tot['correct'] / tot['judged']:9.3f}")
    if args.misses:
        for miss in res.get(args.misses, {}).get("misses", []):
            print(*miss, sep="\t")


if __name__ == "__main__":
    main()
