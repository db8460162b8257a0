"""Ingest: readers, metadata, cleaning of the seed traps, de-duplication, bad input (issue #2)."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from briefings.config import IngestSettings, Settings
from briefings.ingest import article_id, clean_text, ingest, load_rules

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
DATA = Path(__file__).resolve().parent / "data"


def seed(prefix: str) -> Path:
    return next(SEEDS.glob(f"{prefix}_*.txt"))


@pytest.fixture(scope="module")
def seeds_result():
    return ingest([str(SEEDS)])


def by_source(result, name: str):
    found = [a for a in result.articles if Path(a.source.split("#")[0]).name == name or a.source.endswith(name)]
    assert len(found) == 1, [a.source for a in result.articles]
    return found[0]


def skipped_reason(result, name: str) -> str:
    found = [s.reason for s in result.skipped if s.source.endswith(name)]
    assert len(found) == 1, result.skipped
    return found[0]


# ------------------------------------------------------------------ seeds: metadata, language, ids


def test_seeds_all_ingested_with_languages(seeds_result):
    assert len(seeds_result.articles) == 5
    assert seeds_result.skipped == []
    langs = {Path(a.source).name[:3]: a.language for a in seeds_result.articles}
    assert langs == {"000": "de", "001": "de", "002": "en", "003": "en", "004": "en"}


def test_seed_titles_from_first_line(seeds_result):
    titles = {Path(a.source).name[:3]: a.title for a in seeds_result.articles}
    assert titles["003"] == ("Albania to Receive Kamikaze Drones from Turkey as Defense Enhancements "
                             "Underline Strategic Partnership")
    assert titles["004"] == "Turkey and Serbia suggest they might jointly produce military drones"
    assert titles["000"] is None  # first line is a long sentence, not a headline
    a003 = next(a for a in seeds_result.articles if "003_" in a.source)
    assert not a003.text.startswith("Albania to Receive")  # the title is not repeated in the text


def test_ids_are_stable_hashes_of_normalized_text(seeds_result):
    again = ingest([str(SEEDS)])
    assert [a.id for a in again.articles] == [a.id for a in seeds_result.articles]
    for a in seeds_result.articles:
        assert a.id == article_id(a.text)
        assert len(a.id) == 12
    assert article_id("Hello   World.\nAgain") == article_id("hello world. again")
    assert article_id("Hello world.") != article_id("Hello world!")


# ------------------------------------------------------------------ seed traps


def test_seed_traps_removed(seeds_result):
    text = {Path(a.source).name[:3]: a.text for a in seeds_result.articles}
    # 004: The Independent's donation appeal, including the glued first sentence prefix
    assert "US history" not in text["004"]
    assert "Your support" not in text["004"] and "donation" not in text["004"].lower()
    assert "The Independent" not in text["004"]
    assert "\nThe leaders of Turkey and Serbia suggested Friday" in text["004"]
    # 002: WordPress footer
    assert "Share." not in text["002"] and "Exit mobile version" not in text["002"]
    assert text["002"].endswith("stability in the Balkan region.")
    # 003: source footer
    assert "Original Source" not in text["003"] and "ekathimerini" not in text["003"]
    # 000: a stray ':' line at the end
    assert text["000"].endswith("abgeschossen“.")
    for t in text.values():
        assert all(any(c.isalnum() for c in p) for p in t.split("\n\n"))


def test_stored_text_format():
    rules = load_rules()
    text = clean_text("  A  first\tline \r\n\r\n\n second\u00a0line\u200b here\r:\n", rules)
    assert text == "A first line\n\nsecond line here"


def test_user_rules_extend_builtin(tmp_path):
    src = tmp_path / "a.txt"
    src.write_text("Officials in Oslo confirmed the plan on Monday.\n"
                   "PROMO: buy our mug today\n"
                   "The plan will cost two billion kroner, the ministry said.\n"
                   "Share.\n")
    rules = tmp_path / "rules.toml"
    rules.write_text("[[drop]]\npattern = '^promo:'\n\n[[strip]]\npattern = '^the plan will cost '\n")
    plain = ingest([str(src)]).articles[0].text
    assert "PROMO" in plain and "Share." not in plain
    settings = Settings(ingest=IngestSettings(boilerplate_file=rules))
    custom = ingest([str(src)], settings).articles[0].text
    assert "PROMO" not in custom  # user drop rule
    assert "two billion kroner" in custom and "The plan will cost" not in custom  # user strip rule
    assert "Share." not in custom  # built-in rules still apply


# ------------------------------------------------------------------ duplicates and stories


def test_near_duplicates_grouped_other_stories_not(seeds_result):
    story = {Path(a.source).name[:3]: a.story for a in seeds_result.articles}
    ids = {Path(a.source).name[:3]: a.id for a in seeds_result.articles}
    assert story["002"] is not None and story["002"] == story["004"]  # same story, rewritten
    assert story["002"] in (ids["002"], ids["004"])  # the story id is a member's id
    assert story["003"] is None  # different story on the same topic (Albania, Turkey, drones)
    assert story["000"] is None and story["001"] is None
    assert len(seeds_result.articles) == 5  # grouped, but all kept
    assert list(seeds_result.stories.values()) == [[ids["002"], ids["004"]]]


def test_exact_duplicates_merged(tmp_path):
    shutil.copy(seed("003"), tmp_path / "a.txt")
    # same text with different line breaks and case: same normalized text
    text = seed("003").read_text(encoding="utf-8")
    (tmp_path / "b.txt").write_text(text.replace("\n", "\n\n").replace(" ", "  "), encoding="utf-8")
    shutil.copy(seed("004"), tmp_path / "c.txt")
    r = ingest([str(tmp_path)])
    assert len(r.articles) == 2
    a = by_source(r, "a.txt")
    assert a.duplicates == [str(tmp_path / "b.txt")]
    assert r.skipped == []


# ------------------------------------------------------------------ formats


def test_directories_are_walked_recursively(tmp_path):
    (tmp_path / "x" / "y").mkdir(parents=True)
    shutil.copy(seed("000"), tmp_path / "x" / "y" / "deep.txt")
    shutil.copy(seed("001"), tmp_path / "top.md")
    (tmp_path / ".hidden").mkdir()
    shutil.copy(seed("002"), tmp_path / ".hidden" / "secret.txt")  # hidden dirs are not walked
    r = ingest([str(tmp_path)])
    assert sorted(Path(a.source).name for a in r.articles) == ["deep.txt", "top.md"]


def test_markdown_heading_is_title():
    r = ingest([str(DATA / "note.md")])
    (a,) = r.articles
    assert a.title == "Lithuania plans new LNG terminal"
    assert a.text.startswith("Lithuania will build") and "#" not in a.text
    assert a.language == "en"


def test_html_main_text_and_metadata():
    (a,) = ingest([str(DATA / "page.html")]).articles
    assert a.title == "Harbour talks resume in Valletta"
    assert a.outlet == "The Coastal Ledger"
    assert a.url == "https://ledger.example.org/2024/03/harbour-talks"
    assert a.published == "2024-03-14"
    assert a.language == "en"
    assert "Negotiators from Malta and Italy resumed talks" in a.text
    assert "third round of talks is planned for April in Rome" in a.text
    for junk in ("Most read", "Cat rescued", "Log in", "All rights reserved", "newsletter"):
        assert junk not in a.text


def test_rss_content_preferred_summary_as_fallback():
    r = ingest([str(DATA / "feed.rss")])
    assert r.skipped == []
    one, two = r.articles
    assert one.source.endswith("feed.rss#1") and two.source.endswith("feed.rss#2")
    assert one.title == "Norway extends fishing quota talks with Iceland"
    assert one.outlet == "Northern Wire"
    assert one.url == "https://wire.example.net/norway-iceland-quota"
    assert one.published == "2024-03-05"
    assert "mackerel quotas" in one.text and "teaser" not in one.text.lower()
    assert "<p>" not in one.text and "\n\n" in one.text  # HTML body → paragraphs
    assert two.text.startswith("Finland opened a new border crossing")  # summary, no body
    assert two.published == "2024-03-06"


def test_atom_entry():
    (a,) = ingest([str(DATA / "feed.atom")]).articles
    assert a.title == "Austria and Switzerland sign rail agreement"
    assert a.outlet == "Alpine Courier"
    assert a.url == "https://courier.example.com/rail-agreement"
    assert a.published == "2024-02-19"  # published, not updated
    assert "night trains between Vienna and Zurich" in a.text and "Teaser" not in a.text


def test_jsonl_fields_and_bad_lines():
    r = ingest([str(DATA / "articles.jsonl")])
    assert [a.source.rsplit("#", 1)[1] for a in r.articles] == ["1", "2", "6"]
    first, german, third = r.articles
    assert (first.title, first.outlet, first.url, first.published, first.language) == (
        "Iberian rail link agreed", "Iberia Today", "https://iberia.example.com/rail", "2024-01-12", "en")
    assert german.language == "de"  # not given: detected
    assert german.title == "Neue Regeln für den Bahnverkehr"
    assert third.url is None  # "not a url" is not kept as a link
    assert third.published == "20240305"
    reasons = {s.source.rsplit("#", 1)[1]: s.reason for s in r.skipped}
    assert set(reasons) == {"3", "4"}
    assert reasons["3"].startswith("invalid JSON")
    assert "text" in reasons["4"]


@pytest.mark.parametrize("name", ["latin1_de.txt", "cp1252_de.txt"])
def test_non_utf8_german_decoded(name):
    raw = (DATA / name).read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    (a,) = ingest([str(DATA / name)]).articles
    assert a.language == "de"
    assert "\ufffd" not in a.text and "Ã" not in a.text
    if name.startswith("latin1"):
        assert a.title == "Gemüsehändler in München klagen über höhere Preise"
        assert "Großhandelspreise für Äpfel, Möhren" in a.text
    else:
        assert a.title == "Streit um Parkgebühren in Köln"
        assert "„Das ist für viele Pendler kaum noch bezahlbar“" in a.text
        assert "4 € pro Stunde" in a.text


def test_stdin(monkeypatch):
    data = seed("002").read_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    (a,) = ingest(["-"]).articles
    assert a.source == "<stdin>"
    assert a.language == "en" and "Exit mobile version" not in a.text


def test_stdin_sniffs_format(monkeypatch):
    data = (DATA / "feed.atom").read_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    (a,) = ingest(["-"]).articles
    assert a.title == "Austria and Switzerland sign rail agreement"


# ------------------------------------------------------------------ bad input never stops the run


def test_bad_inputs_each_one_clear_line(tmp_path):
    missing = tmp_path / "nope.txt"
    r = ingest([str(DATA), str(missing), str(seed("003"))])
    assert len(r.articles) >= 2  # good files in the same run still come through
    assert any("003_" in a.source for a in r.articles)
    for s in r.skipped:
        assert s.reason and "\n" not in s.reason and "Traceback" not in s.reason
    assert skipped_reason(r, "empty.txt") == "empty file"
    assert "binary" in skipped_reason(r, "image.txt")
    assert "unknown extension '.csv'" in skipped_reason(r, "table.csv")
    assert "no article text" in skipped_reason(r, "malformed.html")
    assert skipped_reason(r, "nope.txt") == "no such file or directory"
    feed = [s for s in r.skipped if "malformed.rss" in s.source]
    assert feed and all(a.source.split("#")[0] != str(DATA / "malformed.rss") for a in r.articles)


def test_malformed_feed_without_entries(tmp_path):
    bad = tmp_path / "broken.rss"
    bad.write_bytes(b"<?xml version='1.0'?><rss><channel><title>x</title>\x01<<<")
    r = ingest([str(bad)])
    assert r.articles == []
    (s,) = r.skipped
    assert s.reason.startswith(("malformed feed", "feed has no entries"))


def test_size_limit(tmp_path):
    big = tmp_path / "big.txt"
    big.write_text("Officials in Rome said the budget would grow. " * 10)
    small = tmp_path / "small.txt"
    small.write_text("Officials in Rome said so.")
    settings = Settings(ingest=IngestSettings(max_bytes=100))
    r = ingest([str(tmp_path)], settings)
    assert [Path(a.source).name for a in r.articles] == ["small.txt"]
    assert "too large" in skipped_reason(r, "big.txt")
    assert "100" in skipped_reason(r, "big.txt")


def test_size_limit_stdin(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"Officials said a lot of things. " * 20)))
    r = ingest(["-"], Settings(ingest=IngestSettings(max_bytes=100)))
    assert r.articles == [] and "too large" in r.skipped[0].reason


def test_unreadable_file_reported(tmp_path, monkeypatch):
    """Works as root too: the read itself is made to fail like a chmod-000 file."""
    f = tmp_path / "locked.txt"
    f.write_text("Officials in Vienna said the talks would continue next week.")

    real_open = os.open

    def denied(path, *args, **kw):
        if str(path) == str(f):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kw)

    monkeypatch.setattr(os, "open", denied)
    r = ingest([str(f)])
    assert r.articles == []
    assert r.skipped[0].reason == "permission denied"


def test_unreadable_file_real_permissions(tmp_path):
    """A real chmod 000 file. Root reads anything, so as root the ingest runs under ``unshare --user``:
    in a fresh user namespace root's capabilities do not apply to the host's files."""
    locked = tmp_path / "locked.txt"
    locked.write_text("Officials in Vienna said the talks would continue next week.")
    shutil.copy(seed("003"), tmp_path / "ok.txt")
    locked.chmod(0o000)
    try:
        code = ("import json,sys; from briefings.ingest import ingest; r = ingest([sys.argv[1]]); "
                "print(json.dumps([[a.source for a in r.articles], [s.model_dump() for s in r.skipped]]))")
        cmd = [sys.executable, "-c", code, str(tmp_path)]
        if os.geteuid() == 0:
            probe = subprocess.run(["unshare", "--user", "cat", str(locked)], capture_output=True)
            if probe.returncode == 0 or b"Permission denied" not in probe.stderr:
                pytest.skip("running as root and 'unshare --user' is not available to drop file access rights")
            cmd = ["unshare", "--user", *cmd]
        p = subprocess.run(cmd, capture_output=True, text=True, cwd=str(ROOT), timeout=120)
        assert p.returncode == 0, p.stderr
        articles, skipped = json.loads(p.stdout.strip().splitlines()[-1])
        assert [Path(s).name for s in articles] == ["ok.txt"]
        assert skipped == [{"source": str(locked), "reason": "permission denied"}]
    finally:
        locked.chmod(0o644)


def test_nothing_ingestable_gives_empty_result():
    r = ingest([str(DATA / "empty.txt"), str(DATA / "image.txt")])
    assert r.articles == [] and len(r.skipped) == 2 and r.fresh == 0


def test_short_text_language_detection_stays_small():
    """A one-line article must not make the detector load every language's 1-5-gram models (~600 MB)."""
    # VmHWM, the peak of this process image: ru_maxrss survives exec on Linux, so a child forked from a
    # large pytest process reported the parent's size (455 MiB once the suite had grown), not its own
    code = ("import re; from briefings.ingest import detect_languages; "
            "print(detect_languages(['Officials in Rome said so.', 'Er blieb bis zum 1. Mai.', 'He left early.'])); "
            "print(re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read()).group(1))")
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=str(ROOT), timeout=300)
    assert p.returncode == 0, p.stderr
    langs, maxrss_kib = p.stdout.strip().splitlines()
    assert langs == "['en', 'de', 'en']"
    assert int(maxrss_kib) < 450 * 1024  # measured ~80 MiB; all models load ~600+ MiB


def _drop_all_controls(text: str) -> str:
    """The reference: every Cc/Cf character but newline and tab removed."""
    import unicodedata

    return "".join(c for c in text if c in "\n\t" or unicodedata.category(c) not in ("Cc", "Cf"))


def test_control_and_format_characters_removed():
    from briefings.ingest import _MAYBE_CONTROL, _drop_control

    # exhaustive: every code point (surrogates excluded) is handled like the reference
    every = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF)
    assert _MAYBE_CONTROL.sub(_drop_control, every) == _drop_all_controls(every)
    text = "Soft\u00adhyphen, zero\u200bwidth, \ufeffBOM, bidi \u202eabc\u202c, NUL\x00, NEL\x85 „ok“ – ß"
    assert clean_text(text, load_rules()) == "Softhyphen, zerowidth, BOM, bidi abc, NUL, NEL „ok“ – ß"


def test_user_rule_with_inline_flags_still_applies(tmp_path):
    """Rules are combined into one regex; a rule that cannot be combined must still work."""
    src = tmp_path / "a.txt"
    src.write_text("Officials in Oslo confirmed the plan on Monday.\nPROMO: buy our mug today\n")
    rules = tmp_path / "rules.toml"
    rules.write_text("[[drop]]\npattern = '(?x) ^ promo \\s* :'\n")
    text = ingest([str(src)], Settings(ingest=IngestSettings(boilerplate_file=rules))).articles[0].text
    assert text == "Officials in Oslo confirmed the plan on Monday."


# ------------------------------------------------------------------ worker processes, story grouping


def _mixed_corpus(root: Path) -> Path:
    """Seeds, an exact duplicate, a JSONL file, a feed and bad files: every path through ingest."""
    root.mkdir()
    for f in sorted(SEEDS.glob("*.txt")):
        shutil.copy(f, root / f.name)
    shutil.copy(seed("003"), root / "zz_copy_of_003.txt")
    for name in ("articles.jsonl", "feed.rss", "empty.txt", "table.csv"):
        shutil.copy(DATA / name, root / name)
    return root


def _dump(result):
    return [a.model_dump() for a in result.articles], [s.model_dump() for s in result.skipped], result.fresh


def test_worker_processes_give_the_same_result(tmp_path, monkeypatch):
    import briefings.ingest as ingest_mod

    corpus = _mixed_corpus(tmp_path / "in")
    inline = ingest([str(corpus)], workers=1)
    monkeypatch.setattr(ingest_mod, "_POOL_MIN_FILES", 1)
    monkeypatch.setattr(ingest_mod, "_BATCH", 2)  # several batches, results must come back in file order
    here = _spy_reads(monkeypatch)
    pooled = ingest([str(corpus)], workers=2)
    assert here == []  # every file was read by a worker process
    assert _dump(pooled) == _dump(inline)
    assert len(inline.articles) == 5 + 3 + 2 and inline.stories  # the corpus exercises duplicates and stories
    assert by_source(inline, "003_" + seed("003").name[4:]).duplicates == [str(corpus / "zz_copy_of_003.txt")]


def _spy_reads(monkeypatch) -> list[int]:
    """Number of files read in this process, per call of ``ingest._read``."""
    import briefings.ingest as ingest_mod

    calls: list[int] = []
    real = ingest_mod._read

    def spy(files, *args, **kwargs):
        calls.append(len(files))
        return real(files, *args, **kwargs)

    monkeypatch.setattr(ingest_mod, "_read", spy)
    return calls


def _die(*args):
    os._exit(3)  # a worker killed mid-task


def test_broken_worker_pool_falls_back_to_reading_here(tmp_path, monkeypatch):
    import briefings.ingest as ingest_mod

    corpus = _mixed_corpus(tmp_path / "in")
    inline = ingest([str(corpus)], workers=1)
    monkeypatch.setattr(ingest_mod, "_POOL_MIN_FILES", 1)
    monkeypatch.setattr(ingest_mod, "_work", _die)
    here = _spy_reads(monkeypatch)
    assert _dump(ingest([str(corpus)], workers=2)) == _dump(inline)
    assert sum(here) == len(list(corpus.iterdir()))  # the files the workers never delivered, read here


def _reference_stories(texts: list[str], threshold: float, cap: int) -> list[int]:
    """The documented rule, pair by pair: shared bigrams found in 2..cap texts >= threshold * smaller set."""
    from briefings.ingest import _bigrams

    grams = [set(_bigrams(t)) for t in texts]
    df: dict[int, int] = {}
    for g in grams:
        for b in g:
            df[b] = df.get(b, 0) + 1
    group = list(range(len(texts)))
    for i in range(len(texts)):
        for j in range(i + 1, len(texts)):
            if min(len(grams[i]), len(grams[j])) < 5:
                continue
            n = sum(1 < df[b] <= cap for b in grams[i] & grams[j])
            if n >= threshold * min(len(grams[i]), len(grams[j])):
                old, new = max(group[i], group[j]), min(group[i], group[j])
                group = [new if x == old else x for x in group]
    return group


def test_story_grouping_matches_the_pairwise_rule(monkeypatch):
    """Generated articles with rewrites and shared boilerplate, and a cap small enough to matter."""
    import random

    import briefings.ingest as ingest_mod
    from briefings.models import Article

    rng = random.Random(7)
    vocab = [f"word{i}" for i in range(400)]
    texts = []
    for _ in range(60):
        if texts and rng.random() < 0.3:  # a rewrite: most words kept
            base = rng.choice(texts).split()
            texts.append(" ".join(w for w in base if rng.random() < 0.8) + " " + " ".join(rng.choices(vocab, k=10)))
        else:
            texts.append("common words everywhere here " + " ".join(rng.choices(vocab, k=rng.randint(3, 80))))
    monkeypatch.setattr(ingest_mod, "_STORY_CAP", 6)
    arts = [Article(id=f"a{i}", source=f"s{i}", text=t) for i, t in enumerate(texts)]
    got = ingest_mod.group_stories(arts, 0.15)
    want = _reference_stories(texts, 0.15, 6)
    assert [got[a.id] for a in arts] == [f"a{g}" for g in want]
    assert 3 < len(set(want)) < len(texts)  # some groups formed, not one big group


@pytest.mark.parametrize("guarded", [False, True])
def test_script_without_main_guard_reads_here_with_one_warning(tmp_path, guarded):
    """Worker processes import the main script; an unguarded one would run again in each of them."""
    corpus = _mixed_corpus(tmp_path / "in")
    call = f"r = ingest([{str(corpus)!r}])\nprint(len(r.articles), ingest_mod._main_importable())\n"
    body = ("if __name__ == '__main__':\n" + "".join(f"    {line}\n" for line in call.splitlines())) if guarded else call
    script = tmp_path / "script.py"
    script.write_text("import briefings.ingest as ingest_mod\nfrom briefings.ingest import ingest\n"
                      "ingest_mod._POOL_MIN_FILES = 1\n" + body, encoding="utf-8")
    p = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, cwd=str(ROOT), timeout=300)
    assert p.returncode == 0, p.stderr
    assert p.stdout.split() == ["10", str(guarded)]
    assert "Traceback" not in p.stderr
    assert ("no 'if __name__" in p.stderr) is not guarded


def test_whitespace_runs_become_one_space_like_the_regex():
    """clean_text collapses whitespace with str.split(); the rule it implements is the regex below."""
    import re
    import sys as _sys

    spaces = [chr(c) for c in range(_sys.maxunicode + 1) if chr(c).isspace() and chr(c) != "\n"]
    line = "a" + "".join(f"{s}b{s}{s} c" for s in spaces) + " \u2028 d\u3000"
    want = re.sub(r"[^\S\n]+", " ", line).strip()
    assert " ".join(line.split()) == want
    cleaned = clean_text(f"{line}\n", load_rules())
    assert "  " not in cleaned and {c for c in cleaned if c.isspace()} <= {" ", "\n"}
    assert cleaned.replace("\n", "").replace(" ", "") == want.replace(" ", "")


def test_story_grouping_quality_gate_on_the_bench_corpus():
    """Rewrites injected by bench/corpus.py are found as one story with their original, and articles of
    different stories are not grouped, although the generated texts share many of their phrases.
    Measured at 3,000 articles: 94 of 97 rewrites found, no article grouped with another story.
    (At 10,000 the bench finds 189 of 299: more phrases pass the cap and stop counting as shared.)"""
    sys.path.insert(0, str(ROOT / "bench"))
    from corpus import make_corpus

    import briefings.ingest as ingest_mod
    from briefings.models import Article

    docs = make_corpus(3000, seed=3)
    arts = [Article(id=f"a{i}", source=d.name, text=d.text) for i, d in enumerate(docs)]
    story = ingest_mod.group_stories(arts, IngestSettings().near_duplicate_threshold)
    index = {d.name: i for i, d in enumerate(docs)}

    def root(i: int) -> int:  # the original an article was copied or rewritten from
        return root(index[docs[i].of]) if docs[i].of else i

    rewrites = [i for i, d in enumerate(docs) if d.kind == "near_dup"]
    assert len(rewrites) >= 60
    found = sum(story[f"a{i}"] == story[f"a{root(i)}"] for i in rewrites)
    assert found / len(rewrites) >= 0.95, (found, len(rewrites))
    false = [i for i in range(len(docs)) if story[f"a{i}"] != f"a{i}" and root(int(story[f"a{i}"][1:])) != root(i)]
    assert not false, false[:5]


@pytest.mark.slow
def test_story_grouping_recall_holds_at_10000_articles():
    """Issue #13 item 9: the bigram index alone found 193 of 299 injected rewrites at 10,000 articles
    (its common-phrase cap); joined with MinHash over 3-shingles (briefings/stories.py) it finds
    295/299 (98.7 %) with 16 articles (0.16 %) grouped with another story (bench/stories.py).
    Floors pinned: recall >= 0.95, wrong groupings <= 0.5 %."""
    sys.path.insert(0, str(ROOT / "bench"))
    from corpus import make_corpus
    from stories import score

    import briefings.ingest as ingest_mod
    from briefings.models import Article

    docs = [d for d in make_corpus(10_000, seed=0) if d.kind != "exact_dup"]
    arts = [Article(id=d.name, source=d.name, text=d.text) for d in docs]
    ids = [a.id for a in arts]
    groups = ingest_mod.union_groups(ids, ingest_mod.group_stories(arts, IngestSettings().near_duplicate_threshold),
                                     ingest_mod.minhash_groups(arts))
    r = score(docs, groups)
    from baseline import gate

    gate("stories_10000.recall", r["recall"])
    gate("stories_10000.wrong_rate", r["wrong_rate"])
