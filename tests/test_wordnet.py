"""briefings.wordnet: offline English WordNet lookups (lemmas, synonyms, entailment, antonyms).

The pairs are the verifier's cases: faithful paraphrases ("found no proof of" ~ "not found any evidence
of", "deemed" ~ "regarded", "plunged" -> "fell") and antonym swaps ("rose" vs "fell").
"""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from importlib import resources
from pathlib import Path

import pytest
from netns import needs_netns

from briefings import wordnet as wn

ROOT = Path(__file__).resolve().parent.parent


# ------------------------------------------------------------------------------------------- lemmas

@pytest.mark.parametrize("word, lemma", [
    ("went", "go"), ("gone", "go"),  # irregular forms from the data
    ("investigations", "investigation"), ("churches", "church"), ("policemen", "policeman"),
    ("countries", "country"), ("geese", "goose"), ("children", "child"),
    ("plunged", "plunge"), ("deemed", "deem"), ("making", "make"), ("tries", "try"),
    ("planned", "plan"), ("stopping", "stop"),  # doubled consonant
    ("bigger", "big"), ("largest", "large"),
    ("rose", "rise"), ("fell", "fall"),
    ("Investigation", "investigation"), ("WENT", "go"),  # input is lower-cased
])
def test_lemmas(word, lemma):
    assert lemma in wn.lemmas(word)


def test_lemmas_keeps_the_word_itself_and_only_wordnet_lemmas():
    assert wn.lemmas("rose") == {"rose", "rise"}  # the flower and the verb
    assert wn.lemmas("investigation") == {"investigation"}
    assert "investigat" not in wn.lemmas("investigated")  # rule outputs must be lemmas
    assert wn.lemmas("xqzvbl") == frozenset()
    assert wn.lemmas("") == frozenset()


# ------------------------------------------------------------------------------------------ synonyms

def test_synonyms_share_a_synset():
    assert wn.synonyms("considered", "regarded")
    assert wn.synonyms("began", "started")
    assert wn.synonyms("boss", "chief")
    assert wn.synonyms("rose", "rising")  # forms of one lemma
    assert not wn.synonyms("rose", "fell")
    assert not wn.synonyms("car", "vehicle")  # hypernym, not the same synset


def test_deem_is_a_kind_of_regard_not_its_synonym():
    # WordNet puts "deem" (with "hold", "view as") directly below "regard" ("see", "consider", "view"):
    # a hyponym, so "deemed" -> "regarded" is an entailment, not a shared synset
    assert not wn.synonyms("deemed", "regarded")
    assert wn.entails("deemed", "regarded")
    assert wn.entails("deemed", "considered")
    assert not wn.entails("regarded", "deemed")


# ------------------------------------------------------------------------------------------- entails

@pytest.mark.parametrize("source, claim", [
    ("plunged", "fell"), ("plunged", "dropped"), ("slumped", "fell"), ("soared", "rose"),
    ("proof", "evidence"),  # "found no proof of" supports "not found any evidence of"
    ("launched", "started"), ("launched", "began"), ("initiated", "started"),
    ("murdered", "killed"), ("car", "vehicle"), ("man", "person"),
    ("investigate", "investigation"), ("investigation", "investigated"), ("died", "death"),  # derivation
    ("huge", "large"),  # adjective "similar"
    ("investigations", "investigation"), ("went", "go"),  # same lemma
])
def test_entails(source, claim):
    assert wn.entails(source, claim)


@pytest.mark.parametrize("source, claim", [
    ("fell", "plunged"), ("vehicle", "car"), ("person", "man"),  # the claim is more specific
    ("evidence", "proof"),  # see below
    ("rose", "fell"), ("fell", "rose"), ("increase", "decrease"), ("increased", "decreased"),
    ("win", "lose"), ("accepted", "rejected"),  # antonyms never entail
    ("monday", "tuesday"), ("Monday", "Tuesday"),  # co-hyponyms (both weekdays), not hypernyms
    ("France", "Germany"),  # proper nouns: no instance hypernyms, and not in this WordNet at all
    ("xqzvbl", "xqzvbl"),
])
def test_does_not_entail(source, claim):
    assert not wn.entails(source, claim)


def test_evidence_does_not_entail_proof():
    # WordNet: "proof" (any factual evidence that helps to establish the truth of something) is a
    # hyponym of "evidence"; no synset holds both. So the claim may generalise ("proof" -> "evidence")
    # but not specialise: evidence is not yet proof.
    assert not wn.synonyms("evidence", "proof")
    assert wn.entails("proof", "evidence") and not wn.entails("evidence", "proof")


# ------------------------------------------------------------------------------------------ antonyms

@pytest.mark.parametrize("a, b", [
    ("rose", "fell"), ("rise", "fall"), ("rising", "falling"), ("increase", "decrease"),
    ("increased", "decreased"), ("win", "lose"), ("won", "lost"), ("accept", "reject"),
    ("open", "close"), ("opened", "closed"), ("buy", "sell"), ("high", "low"), ("raised", "lowered"),
])
def test_antonyms(a, b):
    assert wn.antonyms(a, b) and wn.antonyms(b, a)


@pytest.mark.parametrize("a, b", [
    ("rose", "climbed"), ("plunged", "fell"), ("deemed", "regarded"), ("monday", "tuesday"),
    ("happy", "unhappily"),  # no prefix guessing: only recorded pairs
    ("xqzvbl", "fell"),
])
def test_not_antonyms(a, b):
    assert not wn.antonyms(a, b)


# ------------------------------------------------------------------------------------- data and load

def test_data_ships_in_the_package_and_names_its_source():
    data = resources.files("briefings").joinpath(wn.DATA)
    assert data.is_file()
    d = json.loads(gzip.decompress(data.read_bytes()))
    assert {"meta", "lemmas", "forms", "hyper_off", "hyper", "similar", "antonym", "derivation"} <= set(d)
    meta = wn.metadata()
    assert len(meta["commit"]) == 40
    assert "Open English WordNet" in meta["attribution"] and "Princeton" in meta["attribution"]
    assert "Princeton University" in meta["licence"]
    assert meta["synsets"] > 100_000 and meta["antonym_pairs"] > 1000


def test_all_lemmas_are_single_lower_case_words():
    db = wn._db()
    for pos in wn.POS:
        bad = [w for w in db.lemmas[pos] if w != w.lower() or " " in w]
        assert not bad, bad[:10]


def test_loads_from_the_local_file_with_sockets_disabled(tmp_path):
    # a child in which opening any socket raises: the lookups must not need one
    code = (
        "import socket\n"
        "def refuse(*a, **k): raise OSError('network used')\n"
        "socket.socket.connect = refuse; socket.create_connection = refuse; socket.getaddrinfo = refuse\n"
        "from briefings import wordnet as wn\n"
        "print(wn.entails('plunged', 'fell'), wn.antonyms('rose', 'fell'), sorted(wn.lemmas('went')))\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=str(ROOT),
                       timeout=120)
    assert p.returncode == 0, p.stderr
    assert p.stdout.split() == ["True", "True", "['go']"]


@needs_netns
def test_loads_in_a_network_namespace():
    p = subprocess.run(["unshare", "-n", sys.executable, "-c",
                        "from briefings import wordnet as wn; print(wn.synonyms('began', 'started'))"],
                       capture_output=True, text=True, cwd=str(ROOT), timeout=120)
    assert p.returncode == 0, p.stderr
    assert p.stdout.strip() == "True"
