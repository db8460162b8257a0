"""Convert Open English WordNet (YAML sources) into ``briefings/data/wordnet_en.json.gz`` for ``briefings/wordnet.py``.

    python3 bench/data/wordnet/convert.py /work/.mirror/globalwordnet+english-wordnet/repo

The argument is a git directory (bare or not) of https://github.com/globalwordnet/english-wordnet; the
files are read from its HEAD with ``git show`` (``--rev`` picks another commit). Needs PyYAML (``pip
install pyyaml``; any Python 3.11+ that has it will do, the runtime module needs only the standard library).

Kept, all lower-cased, single-word lemmas only (no space in the lemma; hyphenated words stay):

* ``lemmas[pos][lemma]``: synset indices in sense order, as a space-separated string (pos ``n``, ``v``,
  ``a``, ``r``; adjective satellites are in ``a``; homograph entries ``n-1``/``n-2`` are merged in that
  order). Lemmas that differ only in case ("May"/"may") are merged.
* ``forms[pos][form]``: irregular inflected forms from the entries' ``form`` lists ("went" -> "go").
* ``hyper``/``hyper_off``: direct ``hypernym`` links of every synset, compressed-row style (the hypernyms
  of synset ``i`` are ``hyper[hyper_off[i]:hyper_off[i + 1]]``). ``instance_hypernym`` is left out, so
  proper nouns are never "kinds of" anything. Every synset is indexed (also those with only multi-word
  members) so that hypernym paths stay whole.
* ``similar``: adjective ``similar`` links, index pairs ``from, to, from, to, ...``.
  (``hyper_off``, ``hyper`` and ``similar`` are base64 strings of little-endian int32 arrays.)
* ``antonym`` and ``derivation``: sense-level relations collapsed to lemma pairs, one "a b" pair a line,
  sorted and de-duplicated ("fall rise", "investigate investigation"); a lemma paired with itself is
  dropped.
* ``meta``: source repository, commit, counts, and the attribution and licence notices the WordNet
  licence requires on every copy of the database.

Strings and packed integer arrays rather than nested lists: loading then takes about 0.1 s instead of
0.35 s (107,525 small lists), and the runtime keeps the links in ``array``s.

Output is deterministic for a given commit (sorted keys, fixed gzip mtime).
"""

from __future__ import annotations

import argparse
import base64
import gzip
import json
import subprocess
import sys
import time
from array import array
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
OUT = ROOT / "briefings" / "data" / "wordnet_en.json.gz"
POS = ("n", "v", "a", "r")
POS_MAP = {"n": "n", "v": "v", "a": "a", "s": "a", "r": "r"}
ATTRIBUTION = (
    "Derived from Open English WordNet (https://github.com/globalwordnet/english-wordnet), "
    "Copyright (c) 2019-present, The Open English WordNet Team, licensed under the Creative Commons "
    "Attribution 4.0 International License (https://creativecommons.org/licenses/by/4.0/). "
    "Open English WordNet is derived from Princeton WordNet: WordNet 3.1 Copyright 2011 by Princeton "
    "University. All rights reserved. Modified: reduced to single-word lemmas (lower-cased), their "
    "synset indices, irregular forms, hypernym and similar links, and lemma-level antonym and "
    "derivation pairs; definitions, examples and other relations removed. "
    "Provided AS IS, without warranties of any kind (see the licence text)."
)

try:
    Loader = yaml.CSafeLoader
except AttributeError:  # PyYAML without libyaml: slower, same result
    Loader = yaml.SafeLoader  # type: ignore[misc]


def git(gitdir: str, *args: str) -> bytes:
    return subprocess.run(["git", f"--git-dir={gitdir}", *args], check=True, capture_output=True).stdout


def load_yaml(gitdir: str, rev: str, path: str) -> dict:
    return yaml.load(git(gitdir, "show", f"{rev}:{path}"), Loader=Loader) or {}


def single(lemma: str) -> bool:
    return " " not in lemma and "_" not in lemma and bool(lemma)


def int32(values: list[int]) -> str:
    """Base64 of little-endian int32s: read with ``array("i")``, no Python int per value on the way."""
    a = array("i", values)
    if sys.byteorder == "big":
        a.byteswap()
    return base64.b64encode(a.tobytes()).decode("ascii")


def convert(gitdir: str, rev: str) -> dict:
    commit = git(gitdir, "rev-parse", rev).decode().strip()
    files = git(gitdir, "ls-tree", "--name-only", rev, "src/yaml/").decode().split()
    synset_files = sorted(f for f in files if Path(f).name.split(".")[0] in ("noun", "verb", "adj", "adv"))
    entry_files = sorted(f for f in files if Path(f).name.startswith("entries-"))
    licence = git(gitdir, "show", f"{rev}:WNDB_License.txt").decode()

    synsets: dict[str, dict] = {}
    for f in synset_files:
        synsets.update(load_yaml(gitdir, rev, f))
    ids = sorted(synsets)
    index = {sid: i for i, sid in enumerate(ids)}
    hyper = [sorted(index[h] for h in synsets[sid].get("hypernym", ()) if h in index) for sid in ids]
    similar = [sorted(index[h] for h in synsets[sid].get("similar", ()) if h in index) for sid in ids]

    lemmas: dict[str, dict[str, list[int]]] = {p: {} for p in POS}
    forms: dict[str, dict[str, list[str]]] = {p: {} for p in POS}
    sense_lemma: dict[str, str] = {}
    sense_rel: list[tuple[str, str, str]] = []  # (relation, sense id, target sense id)
    for f in entry_files:
        for lemma, by_pos in load_yaml(gitdir, rev, f).items():
            lemma = str(lemma)  # YAML reads "true", "1" etc. as other types
            low = lemma.lower()
            for pos, entry in by_pos.items():
                p = POS_MAP[pos.split("-")[0]]  # "n-1", "n-2": homographs (bass, bow)
                for sense in entry.get("sense", ()):
                    sense_lemma[sense["id"]] = low
                    for rel in ("antonym", "derivation"):
                        for target in sense.get(rel, ()):
                            sense_rel.append((rel, sense["id"], target))
                if not single(low):
                    continue
                idx = lemmas[p].setdefault(low, [])
                for sense in entry.get("sense", ()):
                    i = index[sense["synset"]]
                    if i not in idx:
                        idx.append(i)
                for form in entry.get("form", ()):
                    form = str(form).lower()
                    if single(form) and form != low:
                        out = forms[p].setdefault(form, [])
                        if low not in out:
                            out.append(low)

    pairs: dict[str, set[tuple[str, str]]] = {"antonym": set(), "derivation": set()}
    for rel, src, dst in sense_rel:
        a, b = sense_lemma.get(src), sense_lemma.get(dst)
        if a and b and a != b and single(a) and single(b):
            pairs[rel].add((min(a, b), max(a, b)))

    hyper_off, hyper_flat = [0], []
    for h in hyper:
        hyper_flat.extend(h)
        hyper_off.append(len(hyper_flat))
    similar_flat = [x for i, targets in enumerate(similar) for t in targets for x in (i, t)]
    meta = {
        "source": "https://github.com/globalwordnet/english-wordnet",
        "commit": commit,
        "synsets": len(ids),
        "lemmas": {p: len(lemmas[p]) for p in POS},
        "forms": {p: len(forms[p]) for p in POS},
        "hypernym_links": len(hyper_flat),
        "similar_links": len(similar_flat) // 2,
        "antonym_pairs": len(pairs["antonym"]),
        "derivation_pairs": len(pairs["derivation"]),
        "attribution": ATTRIBUTION,
        "licence": licence,
    }
    return {
        "meta": meta,
        "lemmas": {p: {k: " ".join(map(str, v)) for k, v in lemmas[p].items()} for p in POS},
        "forms": forms,
        "hyper_off": int32(hyper_off),
        "hyper": int32(hyper_flat),
        "similar": int32(similar_flat),
        "antonym": "\n".join(f"{a} {b}" for a, b in sorted(pairs["antonym"])),
        "derivation": "\n".join(f"{a} {b}" for a, b in sorted(pairs["derivation"])),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("gitdir", help="git directory of globalwordnet/english-wordnet")
    ap.add_argument("--rev", default="HEAD")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    data = convert(args.gitdir, args.rev)
    raw = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(gzip.compress(raw, compresslevel=9, mtime=0))
    m = data["meta"]
    print(f"{args.out}: {args.out.stat().st_size:,} bytes ({len(raw):,} raw), commit {m['commit']}, "
          f"{m['synsets']:,} synsets, {m['hypernym_links']:,} hypernym and {m['similar_links']:,} similar links, "
          f"lemmas {m['lemmas']}, forms {m['forms']}, "
          f"{m['antonym_pairs']:,} antonym and {m['derivation_pairs']:,} derivation pairs, "
          f"{time.perf_counter() - t0:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
