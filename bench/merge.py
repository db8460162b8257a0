"""Merge of claims at scale (issue #13): the indexed ``merge_claims`` against the pairwise rule it replaced.

For each corpus size: a synthetic corpus (bench/corpus.py) is ingested, tagged and extracted with the
embedded extractive backend (one claim per tagged sentence: the most claims a run can have), then merged.
The pairwise reference runs up to ``--reference-max`` articles and must give the same merged claims.

    .venv/bin/python bench/merge.py [-n 500 1000 2000 10000] [--reference-max 2000]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from corpus import make_corpus, write_files  # noqa: E402

from briefings.config import Settings  # noqa: E402
from briefings.merge import SIMILARITY, _fold, _numbers, merge_claims  # noqa: E402
from briefings.models import Article, Claim  # noqa: E402


def pairwise(claims: list[Claim], articles: dict[str, Article]) -> list[Claim]:
    """The rule before issue #13: every claim against every merged claim (kept here as the reference)."""
    from rapidfuzz import fuzz

    merged: list[Claim] = []
    keys: list[tuple[str, frozenset[str]]] = []
    for c in claims:
        key = (_fold(c.text), _numbers(c.text))
        for m, (text, nums) in zip(merged, keys):
            if nums == key[1] and set(m.countries) & set(c.countries) and fuzz.token_set_ratio(text, key[0]) >= SIMILARITY:
                m.citations = list(dict.fromkeys(m.citations + c.citations))
                m.countries = sorted(set(m.countries) | set(c.countries))
                m.date = m.date or c.date
                break
        else:
            merged.append(c.model_copy(deep=True))
            keys.append(key)
    for m in merged:
        arts = [articles[i.split(":")[0]] for i in m.citations if i.split(":")[0] in articles]
        m.outlets = sorted({a.outlet or a.source for a in arts})
        m.corroboration = max(1, len({a.story or a.id for a in arts}))
    return merged


def claims_for(n: int, work: Path) -> tuple[list[Claim], dict[str, Article]]:
    from briefings.extract import chunk_units, extract_claims, pack_budget, pack_units
    from briefings.ingest import ingest
    from briefings.llm import LLM
    from briefings.corpus import Corpus

    src = work / f"corpus{n}"
    write_files(make_corpus(n), src)
    s = Settings()
    s.run.data_dir = work / f"data{n}"
    s.llm.cache = False
    articles = ingest([str(src)], s).articles
    tags = Corpus.tagged(articles).tags
    targets = sorted({c for t in tags.values() for c in t.mentions})
    with LLM(s) as llm:
        units = pack_units(chunk_units(articles, set(targets)), pack_budget(s, llm.backend))
        claims = extract_claims(units, llm, s)
    return claims, {a.id: a for a in articles}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, nargs="+", default=[500, 1000, 2000, 10000])
    ap.add_argument("--reference-max", type=int, default=2000)
    a = ap.parse_args()
    print(f"{'articles':>9} {'claims':>8} {'merged':>8} {'indexed s':>10} {'pairwise s':>11} {'same':>5}")
    with tempfile.TemporaryDirectory() as tmp:
        for n in a.n:
            claims, arts = claims_for(n, Path(tmp))
            t = time.perf_counter()
            fast = merge_claims(claims, arts)
            t_fast = time.perf_counter() - t
            ref, t_ref, same = None, float("nan"), "-"
            if n <= a.reference_max:
                t = time.perf_counter()
                ref = pairwise(claims, arts)
                t_ref = time.perf_counter() - t
                same = "yes" if [m.model_dump() for m in ref] == [m.model_dump() for m in fast] else "NO"
            print(f"{n:>9} {len(claims):>8} {len(fast):>8} {t_fast:>10.2f} {t_ref:>11.2f} {same:>5}", flush=True)


if __name__ == "__main__":
    main()
