#!/usr/bin/env python3
"""Re-create bench/data/pubnews/articles.jsonl from two public mirrors (stdlib only).

Sources (fetched as git mirrors; see README.md for the fetch step):

  1. XL-Sum v2.0 (BBC, CC BY-NC-SA 4.0), as the sample files ("dummy data") that the
     huggingface/datasets repository shipped for its `xlsum` loader:
     datasets/xlsum/dummy/<language>/2.0.0/dummy_data.zip at commit XLSUM_COMMIT.
     Every file holds the first records of the real train/val/test splits; we take all of them.
  2. SaudiNewsNet (Arabic Saudi newspapers, CC BY-NC-SA 4.0), dataset/SAUDI_DAY.zip at
     commit SAUDI_COMMIT; a seeded sample of SAUDI_N articles.

Usage:  python convert.py [--hf-mirror DIR] [--saudi-mirror DIR] [--out FILE]
"""
from __future__ import annotations

import argparse
import hashlib
import io
import json
import random
import re
import subprocess
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
HF_MIRROR = "/work/.mirror/huggingface+datasets/repo"
SAUDI_MIRROR = "/work/.mirror/parallelfold+SaudiNewsNet/repo"

XLSUM_COMMIT = "cd395e1ea74b9bf0fd12943557f3fa7f5308be18"
# XL-Sum config name -> (ISO 639-1 code we record, BBC service name)
XLSUM_CONFIGS = {
    "japanese": ("ja", "BBC News Japan"),
    "korean": ("ko", "BBC News Korea"),
    "chinese_simplified": ("zh", "BBC News Chinese"),
    "chinese_traditional": ("zh", "BBC News Chinese"),
    "arabic": ("ar", "BBC News Arabic"),
    "hindi": ("hi", "BBC News Hindi"),
    "persian": ("fa", "BBC News Persian"),
    "ukrainian": ("uk", "BBC News Ukrainian"),
    "russian": ("ru", "BBC News Russian"),
    "english": ("en", "BBC News"),
    "french": ("fr", "BBC News Afrique"),
    "spanish": ("es", "BBC News Mundo"),
    "turkish": ("tr", "BBC News Türkçe"),
}
SPLITS = ("train", "val", "test")

SAUDI_COMMIT = "4e39239966c2ae8a3faa591201acb9cd1f51199d"
SAUDI_DAY = "2015-08-01"
SAUDI_N = 25
SAUDI_SEED = 20150801
SAUDI_MIN_CHARS = 400

MAX_CHARS = 4000
_SENT_END = re.compile(r"[.!?。！？؟।۔](?:[\"'”’»)\]]*)(?=\s|$)|[。！？]")


def git_blob(mirror: str, commit: str, path: str) -> bytes:
    return subprocess.run(["git", "-C", mirror, "show", f"{commit}:{path}"],
                          check=True, capture_output=True).stdout


def truncate(text: str, limit: int = MAX_CHARS) -> str:
    """The text up to the last sentence end at or before `limit` characters (whole text if short)."""
    text = text.strip()
    if len(text) <= limit:
        return text
    cut = 0
    for m in _SENT_END.finditer(text, 0, limit):
        cut = m.end()
    if cut < limit // 2:  # no usable sentence end: cut at the last space
        cut = text.rfind(" ", 0, limit) if text.rfind(" ", 0, limit) > limit // 2 else limit
    return text[:cut].rstrip()


def xlsum_rows(mirror: str) -> list[dict]:
    rows = []
    for config, (lang, outlet) in XLSUM_CONFIGS.items():
        data = git_blob(mirror, XLSUM_COMMIT, f"datasets/xlsum/dummy/{config}/2.0.0/dummy_data.zip")
        z = zipfile.ZipFile(io.BytesIO(data))
        for split in SPLITS:
            # the folder inside the zip is named after the download URL; the file name is fixed
            [name] = [n for n in z.namelist() if n.endswith(f"/{config}_{split}.jsonl")]
            for line in z.read(name).decode("utf-8").splitlines():
                if not line.strip():
                    continue
                r = json.loads(line)
                rows.append({
                    "id": f"xlsum-{config}-{r['id']}",
                    "lang": lang,
                    "title": r["title"].strip(),
                    "text": truncate(r["text"]),
                    "url": r["url"],
                    "published": None,  # XL-Sum records carry no date
                    "outlet": outlet,
                    "source": f"xlsum/{config}/{split}",
                })
    return rows


def saudi_rows(mirror: str) -> list[dict]:
    data = git_blob(mirror, SAUDI_COMMIT, f"dataset/{SAUDI_DAY}.zip")
    z = zipfile.ZipFile(io.BytesIO(data))
    articles = json.loads(z.read(f"{SAUDI_DAY}.json").decode("utf-8"))
    pool = [a for a in articles
            if (a.get("title") or "").strip() and len((a.get("content") or "").strip()) >= SAUDI_MIN_CHARS]
    pool.sort(key=lambda a: a["url"])
    seen, unique = set(), []
    for a in pool:
        if a["url"] not in seen:
            seen.add(a["url"])
            unique.append(a)
    picked = random.Random(SAUDI_SEED).sample(unique, SAUDI_N)
    picked.sort(key=lambda a: a["url"])
    rows = []
    for a in picked:
        num = hashlib.sha1(a["url"].encode("utf-8")).hexdigest()[:10]  # urls are not all numbered
        rows.append({
            "id": f"saudinewsnet-{a['source']}-{num}",
            "lang": "ar",
            "title": a["title"].strip(),
            "text": truncate(a["content"]),
            "url": a["url"],
            "published": a.get("date_extracted") or None,  # extraction time, as the source gives it
            "outlet": a["source"],
            "source": f"saudinewsnet/{SAUDI_DAY}",
        })
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--hf-mirror", default=HF_MIRROR)
    ap.add_argument("--saudi-mirror", default=SAUDI_MIRROR)
    ap.add_argument("--out", default=str(HERE / "articles.jsonl"))
    args = ap.parse_args()
    rows = xlsum_rows(args.hf_mirror) + saudi_rows(args.saudi_mirror)
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids)), "duplicate ids"
    with open(args.out, "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    counts: dict[str, int] = {}
    for r in rows:
        counts[r["lang"]] = counts.get(r["lang"], 0) + 1
    print(f"{len(rows)} articles -> {args.out}: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))


if __name__ == "__main__":
    main()
