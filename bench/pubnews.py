"""Briefings on public multilingual news (issue #28's "done means"): 220 BBC (XL-Sum) and Saudi news
articles in 12 languages and 9 scripts, with main-country labels read by hand (bench/data/pubnews).

    python bench/pubnews.py [--root PATH] [--misses LANG]

Reports, per language, the share of articles whose main country (``countries.main_country``) is the
labelled one, and for an English build with the embedded backend: lead-section statements (Bottom line,
Key developments, What to watch) in English, and lead-section statements resting only on articles
from before the window. The window starts the day after the Saudi articles' date (2015-08-01), so those
are background: they may feed Context, never the lead. ``--root`` imports ``briefings`` from another
checkout (the "before" figures: functions missing there are replaced by what that checkout had).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / "data" / "pubnews"
LEAD = ("bottom_line", "key_developments", "watch")
NON_LATIN = ("ar", "fa", "hi", "ja", "ko", "ru", "uk", "zh")
SINCE = "2015-08-02"  # the day after the dated (Saudi) articles: they are background


def rows(name: str) -> list[dict]:
    return [json.loads(line) for line in (DATA / name).read_text(encoding="utf-8").splitlines() if line.strip()]


def _settings(tmp: Path, **run):
    from briefings.config import load_settings

    return load_settings(None, {"run": {"data_dir": tmp / "data", **run},
                                "output": {"dir": tmp / "out", "language": "en"}}, environ={})


def main_countries(tmp: Path) -> dict[str, dict]:
    """Per source language: articles labelled with one country, right, none found, and the misses."""
    from briefings import countries
    from briefings.ingest import ingest

    src = {r["url"]: r for r in rows("articles.jsonl")}
    gold = {r["id"]: r["country"] for r in rows("main_country.jsonl")}
    main = getattr(countries, "main_country", None) or (lambda ac, a=None: ac.about[0] if ac.about else None)
    out: dict[str, dict] = defaultdict(lambda: {"n": 0, "right": 0, "none": 0, "misses": []})
    for a in ingest([str(DATA / "articles.jsonl")], _settings(tmp)).articles:
        r = src[a.url]
        want = gold[r["id"]]
        if want is None:  # not about one country (global science news, ...): not judged
            continue
        got = main(countries.tag_article(a), a)
        st = out[r["lang"]]
        st["n"] += 1
        st["right"] += got == want
        st["none"] += got is None
        if got != want:
            st["misses"].append((r["id"], want, got, (a.title or a.text)[:70]))
    return dict(out)


def briefings_en(tmp: Path) -> dict:
    """An English build of the whole set with the embedded backend, window from SINCE."""
    from briefings.pipeline import build

    from briefings.ingest import ingest

    published = {a.id: (a.published or "")[:10] for a in ingest([str(DATA / "articles.jsonl")], _settings(tmp)).articles}
    res = build([str(DATA / "articles.jsonl")], _settings(tmp, since=SINCE), write=False)

    def old(s) -> bool:  # every cited article is dated, and dated before the window
        dates = [published.get(c.split(":")[0], "") for c in s.citations]
        return bool(dates) and all(d and d < SINCE for d in dates)
    lead = [s for b in res.briefings for sec in b.sections if sec.key in LEAD for s in sec.sentences]
    every = [s for b in res.briefings for sec in b.sections for s in sec.sentences]
    return {"briefings": len(res.briefings), "lead": len(lead),
            "lead_languages": dict(Counter(s.language for s in lead).most_common()),
            "lead_in_english": sum(s.language == "en" for s in lead),
            "lead_before_window": sum(old(s) for s in lead),
            "before_window": sum(old(s) for s in every),
            "statements": len(every)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--root", type=Path, help="import briefings from this checkout")
    ap.add_argument("--misses", help="print the misses of this language")
    args = ap.parse_args()
    sys.path.insert(0, str(args.root or HERE.parent))
    with tempfile.TemporaryDirectory() as tmp:
        mc = main_countries(Path(tmp) / "a")
        b = briefings_en(Path(tmp) / "b")
    print("| language | articles | right main country | none found |\n|---|---|---|---|")
    for lang, st in sorted(mc.items()):
        print(f"| {lang} | {st['n']} | {st['right'] / st['n']:.2f} | {st['none']} |")
    print(json.dumps(b, ensure_ascii=False))
    if args.misses:
        for m in mc.get(args.misses, {}).get("misses", []):
            print(m)


if __name__ == "__main__":
    main()
