"""Extraction packs: several short articles per call, stable under reruns and new articles; ids mapped back."""

from __future__ import annotations

import json
from pathlib import Path

from briefings.extract import Piece, _starts_pack, extract_claims, pack_units
from briefings.llm import LLM
from fake_backend import FakeBackend
from briefings.models import Article, Sentence


def article(n: int, text: str = "Serbia and Kosovo met in Brussels.\nIt was the  first\nmeeting.",
            aid: str | None = None) -> Article:
    aid = aid or f"{n:04x}" + "0" * 12
    sents, pos = [], 0
    for i, part in enumerate(text.split("\n"), 1):
        start = text.index(part, pos)
        pos = start + len(part)
        sents.append(Sentence(id=f"{aid}:s{i}", article_id=aid, index=i, start=start, end=pos, text=part,
                              countries=["RS", "XK"] if i == 1 else []))
    return Article(id=aid, source=f"{n}.txt", text=text, language="en", sentences=sents)


def pieces(ids: range, tokens: int = 100) -> list[Piece]:
    return [Piece(a, a.sentences, ["RS", "XK"], tokens) for a in (article(n) for n in ids)]


def test_packs_respect_the_budget_and_cover_every_piece_once():
    ps = pieces(range(40))
    packs = pack_units(ps, budget=350)
    assert all(sum(p.tokens for p in pack) <= 350 for pack in packs)
    assert sorted(p.article.id for pack in packs for p in pack) == sorted(p.article.id for p in ps)
    assert len(packs) <= 0.6 * len(ps)  # short articles really share calls
    big = pieces(range(1), tokens=5000)
    assert pack_units(big, budget=350) == [big]  # a piece over budget goes alone, never dropped


def test_packs_are_stable_and_a_new_article_changes_only_its_own_pack():
    ps = pieces(range(60))
    packs = pack_units(ps, budget=10_000)  # only content-defined cuts
    assert pack_units(list(reversed(ps)), budget=10_000) == packs  # input order does not matter
    assert any(_starts_pack(p.article.id) for p in ps) and not all(_starts_pack(p.article.id) for p in ps)
    for aid in ("0010" + "8" * 12, "0021" + "8" * 12, "ffff" + "0" * 12):  # middle, middle, end
        new = Piece(article(0, aid=aid), article(0, aid=aid).sentences, ["RS"], 100)
        after = pack_units(ps + [new], budget=10_000)
        kept = [p for p in packs if p in after]
        # the new article's pack changes, and at most the one it was cut from; all others are reused
        assert len(kept) >= len(packs) - 2 and any(new in p for p in after)
        assert len(after) - len(kept) <= 2


def test_answers_cite_pack_numbers_mapped_back_to_sentence_ids(tmp_settings, fake_backend):
    tmp_settings.llm.backend = "fake"
    pack = pieces(range(2))
    llm = LLM(tmp_settings)
    assert isinstance(llm.backend, FakeBackend)
    # numbers as the model might write them: 4 is the second article's first sentence
    llm.backend.enqueue(json.dumps({"claims": [
        {"countries": ["XK"], "text": "Serbia and Kosovo met in Brussels.", "citations": [4], "kind": "event"},
        {"countries": ["RS"], "text": "They met for the first time.", "citations": ["1", "3", "1"], "kind": "event"},
    ]}))
    claims = extract_claims([pack], llm, tmp_settings)
    assert not llm.failures
    second, first = pack[1].article, pack[0].article
    assert claims[0].citations == [f"{second.id}:s1"] and claims[0].language == "en"
    assert claims[1].citations == [f"{first.id}:s1", f"{first.id}:s3"]
    user = llm.backend.history[0].messages[1]["content"]
    # one line per sentence, whitespace collapsed: no line of the prompt starts inside a sentence
    assert "\n2| It was the first\n" in user and "\n3| meeting.\n" in user
    assert user.count("<article n=") == 2 and first.id not in user  # no long ids in the prompt


def test_pack_budget_fits_a_backend_that_states_its_context(tmp_settings):
    from briefings.extract import pack_budget

    class Small:
        context_tokens = 8192

    assert pack_budget(tmp_settings, object()) == tmp_settings.llm.pack_tokens == 6000
    assert pack_budget(tmp_settings, Small()) == 8192 - tmp_settings.llm.max_tokens - 800
    assert pack_budget(tmp_settings, Small()) + 800 + tmp_settings.llm.max_tokens <= 8192


def test_the_answer_schema_limits_citations_and_countries_to_the_prompts_own(openai_settings, fake_openai):
    """Issue #12: the per-request JSON schema makes invented ids impossible for a grammar-constrained
    model; the validators stay as the second line."""
    from scripted_model import ScriptedModel, install

    from briefings.pipeline import build

    install(fake_openai, ScriptedModel(hallucinate=False))
    openai_settings.output.formats = ["json"]
    build([str(Path(__file__).resolve().parent.parent / "seeds")], openai_settings, write=False)
    for body in fake_openai.requests:
        schema = body["response_format"]["json_schema"]["schema"]
        prompt = body["messages"][-1]["content"]
        if "ExtractAnswer" == body["response_format"]["json_schema"]["name"]:
            claim = schema["$defs"]["ClaimOut"]["properties"]
            ids = claim["citations"]["items"]["enum"]
            assert ids == [str(n) for n in range(1, len(ids) + 1)]
            assert all(f"\n{i}| " in "\n" + prompt or f"{i}| " in prompt for i in ids)
            codes = claim["countries"]["items"]["enum"]
            assert codes and all(len(c) == 2 and c.isupper() for c in codes)
        elif "ComposeAnswer" == body["response_format"]["json_schema"]["name"]:
            ids = schema["$defs"]["SentenceOut"]["properties"]["citations"]["items"]["enum"]
            assert ids and all(i.startswith("S") and i in prompt for i in ids)
