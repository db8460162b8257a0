"""Word relations the diff and the overlap use, per language (``LEXICONS``): for English, WordNet
(synonyms and broader words say the same, recorded antonyms and the direction of a change say the
opposite); for German, French, Spanish and Italian, only the direction of a change, from stem lists.
"""

from __future__ import annotations

from . import align
from .languages import language, supported
from .text import fold

# How far a word may be from the source's and still say the same. Measured on the public bench (dev,
# docs/verifier-benchmarks.md): every sense and two hypernym steps let "spotted" vouch for "found" and
# "illegal" for "banned" (Goyal21 unfaithful shown supported 15.8 % -> 21 %); each word's two commonest
# senses, one step up, no derivational links: 17.5 % (one passive-voice role error, "was found" for
# "spotted") and "plunged" still vouches for "fell" (one sense would lose that).
WORDNET_SENSES = 2
WORDNET_DERIVED = False
WORDNET_STEPS = 1


class _EnglishWordNet:
    """Word relations for English claims (briefings/wordnet.py): a synonym or a broader word says the
    same; a recorded antonym says the opposite. (Imported on first use: most runs verify verbatim
    sentences and never need it.)"""

    def entails(self, source: str, claim: str) -> bool:
        from . import wordnet

        return wordnet.entails(source, claim, WORDNET_STEPS, WORDNET_SENSES, WORDNET_DERIVED)

    def antonyms(self, a: str, b: str) -> bool:
        from . import wordnet

        if wordnet.antonyms(a, b):
            return True
        # the direction of a change, which WordNet records for few pairs ("rose"/"fell" but not
        # "raised"/"cut", "surged"/"plunged", "gained"/"lost")
        la, lb = wordnet.lemmas(a) | {a}, wordnet.lemmas(b) | {b}
        return bool((la & _UP and lb & _DOWN) or (la & _DOWN and lb & _UP))


_UP = language("en").raw("change_up")
_DOWN = language("en").raw("change_down")


class _Direction:
    """The direction of a change in languages without a WordNet here: "stieg" is the opposite of "sank",
    "a accéléré" of "a ralenti" (stems, as written in news; nothing is a synonym of anything)."""

    def __init__(self, up: str, down: str) -> None:
        self.up, self.down = tuple(fold(w) for w in up.split()), tuple(fold(w) for w in down.split())

    def entails(self, source: str, claim: str) -> bool:
        return False

    def antonyms(self, a: str, b: str) -> bool:
        fa, fb = fold(a), fold(b)
        return (fa.startswith(self.up) and fb.startswith(self.down)) or (fa.startswith(self.down) and fb.startswith(self.up))


LEXICONS: dict[str, align.Lexicon] = {
    "en": _EnglishWordNet(),
    **{code: _Direction(" ".join(language(code).list("change_up")), " ".join(language(code).list("change_down")))
       for code in sorted(supported()) if code != "en" and language(code).has("change_up")},
}
