"""Diff-aware checking (issue #16): align a claim to the cited sentences it was copied from; the words
that differ are exactly what must be justified.

An honest writer shortens a source sentence, reorders it, or changes an inflection. A fabrication made
from a real sentence changes one word: "abandoned" → "completed", "might" → "will", "five" → "several",
"Kosovo leaders" → "Serbian leaders", "does not recognize" → "recognizes". Bag-of-words overlap cannot
see that (every other word is still there), so the claim is aligned token by token to its support
(``difflib.SequenceMatcher`` over normalised keys: stems, number values, country codes) and every
substituted, inserted or dropped token is classified:

- *hard* (the sentence is unsupported, whatever a judge says): a substituted name, country, number,
  title, date, negation, modal, quantifier or tense marker; an inserted negation, modal, quantifier,
  number or date the spans do not have; a dropped negation, modal, quantifier or hedge whose governed
  words the claim keeps ("might jointly produce" → "jointly produce"); a name used more often than its
  support has it ("PSV have informed PSV" for "United have informed PSV": one of them takes another's role).
- *not a difference* (issue #14): the news perfect of a past event ("has been arrested" for "was
  arrested"), and a first name the cited article gives to a surname in the spans ("Pep" Guardiola).
- *cap* (at best "partial", even when a judge says "supported"): a substituted or inserted content word
  the spans do not contain. Antonyms need no dictionary: "praised" for "condemned" is such a word. So is
  a synonym; an honest synonym costs a "partial" badge, never a removal.
- *soft* (not "supported" without a judge): tense backshift in reported speech ("will" → "would").

Only claims that are edited copies (at least half their tokens, and four or more, aligned in order) are
diffed: a free paraphrase has no meaningful token alignment and goes through the other checks and the
judge.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import lru_cache
from typing import Protocol

from .numbers import _t2n, _word_value
from .languages import language, union
from .text import NEGATION_ROMANCE, fold

COPY_SHARE = 0.6  # share of the claim's content tokens aligned in order to one sentence: an edited copy
COPY_MIN = 4

# Word tables from the language registry (briefings/data/languages/). English and German ones are merged
# and applied to text of every language, as before the registry (issue #29: the next step splits them);
# French, Spanish and Italian ones are read for their own language only.
_MERGED = ("en", "de")
_ROMANCE = ("fr", "es", "it")
# "ohne" is in align's negation only, not in text.negation_for (a drift kept by the pure move)
NEGATION = union("negation", _MERGED, folded=True) | language("de").folded("negation_align")
MODAL = union("modal", _MERGED, folded=True)
# tense markers, keyed by tense: "is" and "are" differ in person only, "is" and "was" in tense
TENSE = {fold(w): t for t in ("pres", "past", "subj", "be") for code in _MERGED
         for w in language(code).table("tense").get(t, ())}
QUANTIFIER = union("quantifiers", _MERGED, folded=True)
QUANTIFIER_ROMANCE = {code: language(code).folded("quantifiers") for code in _ROMANCE}
HEDGE = union("hedge", _MERGED, folded=True)
DATE = union("date", _MERGED, folded=True)
# reported speech shifts tense without changing the fact: "will" in the source, "would" in "X said ..."
# (the tense keys of TENSE backshift in every language)
BACKSHIFT = [frozenset(fold(w) for w in g.split()) for g in (
    *language("en").list("backshift"), "pres past", "pres subj", "past subj", *language("de").list("backshift"))]
# irregular English verb forms: "said" and "says" are one verb, "sold" is "sell" (and German speech verbs)
_IRREGULAR = {fold(k): str(v) for code in _MERGED for k, v in language(code).values("irregular").items()}

HARD_SUBSTITUTION = {"name", "country", "number", "title", "date", "negation", "modal", "quantifier", "tense"}
HARD_INSERTION = {"negation", "number", "date", "country", "name"}
# what may stand in for what: a substitution across classes is a rewording, checked as an insertion
CLASS = {"name": "entity", "country": "entity", "number": "amount", "quantifier": "amount",
         "modal": "verb", "tense": "verb", "negation": "negation", "date": "date", "title": "title"}
HARD_DROP = {"negation", "modal", "quantifier", "hedge"}
ENTITY = {"name", "country"}
WEAK_QUANTIFIER = union("weak_quantifiers", _MERGED, folded=True)
PRONOUN = union("pronouns", _MERGED)
SUBSTITUTION_MAX = 3  # source words a substitution replaces; more is a rewording
SKIP_MAX = 6  # source words a cut may skip for the number after it to take the place of one inside it


@dataclass(frozen=True)
class Tok:
    word: str  # as written
    key: str  # what two tokens must share to be "the same": stem, number value, country code
    kind: str  # negation modal tense quantifier hedge date number country name title content function
    span: str = ""  # sentence id of a span token
    sub: str = ""  # for a country: how it is named (name, adjective, capital)


@dataclass
class Diff:
    copy: bool  # an edited copy: most of the claim aligned to its support in order
    aligned: int  # claim tokens aligned
    total: int  # claim tokens
    hard: list[str] = field(default_factory=list)
    cap: list[str] = field(default_factory=list)
    soft: list[str] = field(default_factory=list)


PERFECT_AUX = language("en").raw("perfect_aux")
_PARTICIPLE = re.compile(r"(ed|en|wn|ne|nt|ught|ung|ood|ld|id|un|ot)$")


def _participle(word: str) -> bool:
    """An English past participle, regular or common irregular ("pleaded", "taken", "held", "said")."""
    w = fold(word)
    return bool(_PARTICIPLE.search(w)) or _IRREGULAR.get(w) is not None


def _backshifted(a: str, b: str) -> bool:
    return any(a in g and b in g for g in BACKSHIFT)


def classify(word: str, folded: str, cap: bool, at_start: bool, lang: str, *, stop: frozenset[str],
             titles: frozenset[str], speech: frozenset[str], stem, country_code, is_person,
             is_date_word) -> tuple[str, str]:
    """(kind, key) of one token. Callables come from verify (stemmer, country tagger, month names)."""
    if folded in NEGATION or folded.endswith("n't") or folded.endswith("n’t") or \
            folded in NEGATION_ROMANCE.get(lang, ()) or (lang in ("fr", "it") and folded[:2] in ("n'", "n’")):
        return "negation", "neg"  # all negations are one key: "no" for "not" is no change of polarity
    if folded.isdigit() or any(c.isdigit() for c in folded):
        digits = re.sub(r"[^\d.]", "", folded.replace(",", ""))
        try:
            return "number", f"num:{float(digits):g}"
        except ValueError:
            return "number", f"num:{folded}"
    value = _word_value(folded, lang)
    if value is None and lang in ("fr", "es", "it", "pt", "nl") and folded.isalpha():
        value = _t2n(folded, lang)  # "trois", "cinco", "dieci": the number check reads these too
    if value is not None and folded not in ("one", "ein", "eine"):
        return "number", f"num:{value:g}"
    if folded in MODAL:
        return "modal", folded
    if folded in TENSE:
        return "tense", TENSE[folded]
    if folded in QUANTIFIER or folded in QUANTIFIER_ROMANCE.get(lang, ()):
        return "quantifier", folded
    if folded in HEDGE:
        return "hedge", "approx" if folded in ROUNDING else folded  # "almost 100" for "nearly 100"
    code = country_code(word)
    if code:
        return "country", f"cc:{code}"
    if folded in DATE or is_date_word(folded):
        return "date", folded
    if folded in titles and folded not in stop:
        return "title", stem(folded, lang)
    if folded in speech:
        return "speech", _IRREGULAR.get(folded) or stem(folded, lang)
    if folded in stop or len(folded) < 2:
        return "function", folded
    if is_person(word) or (cap and not at_start and lang != "de"):  # German capitalises every noun
        return "name", folded
    # a stem's first five letters: "delivered" (deliv) and "delivery" (deliveri) are one word here
    return "content", _IRREGULAR.get(folded) or stem(folded, lang)[:5]


def diff(claim: list[Tok], spans: list[list[Tok]], aliases: set[str] | frozenset[str] = frozenset(),
         lexicon: Lexicon | None = None) -> Diff:
    """Diff ``claim`` against each support span it is an edited copy of; the findings are pooled.
    ``aliases``: name keys the cited article gives to a name in the spans ("Eddie" of "Eddie Howe");
    ``lexicon``: word relations of the language (WordNet for English), when there are any."""
    total = Diff(False, 0, sum(t.kind != "function" for t in claim))
    pool = {t.key for sp in spans for t in sp} | set(aliases)
    # an entity's mentions in the support (the sentence with most of them): how often the claim may use it
    pool_count: Counter[str] = Counter()
    for sp in spans:
        pool_count |= Counter(t.key for t in sp if t.word[:1].isupper() and t.kind in ("name", "content"))
    for span in spans:
        d = _diff_one(claim, span, pool, pool_count, aliases, lexicon)
        if not d.copy:
            total.hard += d.hard  # (a short claim's hard findings, or an order swap, without a copy)
        else:
            total.copy = True
            total.aligned = max(total.aligned, d.aligned)
            total.hard += d.hard
            total.cap += d.cap
            total.soft += d.soft
            total.cap += _other_event(claim, span, [sp for sp in spans if sp is not span])
    for bucket in (total.hard, total.cap, total.soft):
        bucket[:] = list(dict.fromkeys(bucket))
    return total


def _other_event(claim: list[Tok], span: list[Tok], others: list[list[Tok]]) -> list[str]:
    """A place or name of another cited sentence put on this one's dated event: "Erdogan visited Tirana on
    Monday" for "Erdogan visited Belgrade on Monday. On Tuesday he went to Tirana." The claim keeps this
    sentence's date; the entity it adds stands in a sentence dated otherwise, without that date."""
    def dated(toks: list[Tok]) -> set[str]:  # a day or a month ("Monday", "March"), not "last" or "earlier"
        return {t.key for t in toks if t.kind == "date" and fold(t.word) not in DATE and t.key != "this"}

    own = {t.key for t in span}
    claim_dates = dated(claim)
    dates = claim_dates & dated(span)
    if not dates:
        return []
    elsewhere = [(sp, {t.key for t in sp}, dated(sp)) for sp in others]
    out = []
    for c in claim:
        if c.kind not in ENTITY or c.key in own:
            continue
        for sp, keys, theirs in elsewhere:
            if c.key in keys and theirs and not theirs & claim_dates:
                when = next(t.word for t in sp if t.key in theirs)
                out.append(f"'{c.word}' is from cited sentence {sp[0].span}, about {when}, not from what cited "
                           f"sentence {span[0].span} says of {next(t.word for t in claim if t.key in dates)}")
                break
    return out


def _diff_one(claim: list[Tok], support: list[Tok], pool: set[str], pool_count: dict[str, int] | None = None,
              aliases: set[str] | frozenset[str] = frozenset(), lexicon: Lexicon | None = None) -> Diff:
    """Align ``claim`` to one cited sentence and classify every difference (see the module docstring).
    ``pool``: the keys of every support sentence (a word moved from the neighbour is not invented)."""
    content = [t for t in claim if t.kind != "function"]
    if not content or not support:
        return Diff(False, 0, len(content))
    sm = SequenceMatcher(None, [t.key for t in support], [t.key for t in claim], autojunk=False)
    blocks = [b for b in sm.get_matching_blocks() if b.size]
    aligned = sum(claim[j].kind != "function" for b in blocks for j in range(b.b, b.b + b.size))
    d = Diff((aligned >= COPY_MIN or aligned == len(content) >= 2) and aligned / len(content) >= COPY_SHARE, aligned, len(content))
    # a short claim with one word of its own: "Unemployment is highest in Prague" for "… lowest in Prague and
    # highest in Ostrava". Only its hard findings count (a word changed into its opposite, an entity swapped):
    # an added "says" or "do" is how a short sentence is rewritten
    near = not d.copy and 2 <= aligned >= len(content) - 1 and aligned / len(content) >= COPY_SHARE
    if not d.copy and not near:
        # two entities around one relation need no copy to be swapped: "Azerbaijan is Turkey's closest ally"
        swapped = _order_swapped(claim, support, same_relation=True)
        if swapped:
            d.hard.append(f"{swapped} of cited sentence {support[0].span}")
        return d
    kept = {i for b in blocks for i in range(b.a, b.a + b.size)}  # support tokens the claim keeps
    first, last = blocks[0].a, blocks[-1].a + blocks[-1].size  # the claim's extent in the support
    sid = support[0].span
    # a capitalised first word is a name when the same word is a name elsewhere ("PSV have informed PSV")
    # (names only: "Serbian President … Serbia" names one country twice and takes no one's place)
    ent_keys = {t.key for t in claim + support if t.kind == "name"}
    claim_count = Counter(t.key for t in claim if t.key in ent_keys and t.word[:1].isupper())
    pool_count = pool_count if pool_count is not None else Counter(t.key for t in support if t.kind == "name")

    unkept = {t.key for i, t in enumerate(support) if i not in kept}
    claim_keys = {t.key for t in claim}
    claim_words = {fold(t.word) for t in claim}

    def speaker(s_tok: Tok, c: Tok) -> bool:
        """Both say something: "Dacic said" in the source, "Vucic said" in the claim."""
        i, j = support.index(s_tok), claim.index(c)
        return fold(s_tok.word) != fold(c.word) and i + 1 < len(support) and support[i + 1].kind == "speech" \
            and j + 1 < len(claim) and claim[j + 1].kind == "speech"

    def moved(c: Tok) -> bool:
        """The word stands somewhere else in the source, at a place the claim does not keep."""
        return c.key in unkept

    def perfect(c: Tok) -> bool:
        """"has pleaded" for "pleaded", "has been arrested" for "was arrested": the present perfect of a
        past event the source reports in the simple past (news style), not a change of tense."""
        j = claim.index(c)
        nxt = claim[j + 1:j + 3]
        if c.key == "pres" and fold_key(c) in PERFECT_AUX:
            return any(t.kind == "tense" and t.key == "be" for t in nxt[:1]) or \
                any(t.kind in ("content", "speech") and t.key in pool and _participle(t.word) for t in nxt[:1])
        return c.key == "be" and fold_key(c) == "been" and j > 0 and fold_key(claim[j - 1]) in PERFECT_AUX

    source_words = [t.word for t in support if t.kind == "content"]

    def reworded(c: Tok, among: Sequence[str]) -> bool:
        """A content word the source says in other words: a synonym or a broader word (WordNet)."""
        return lexicon is not None and c.kind == "content" and any(lexicon.entails(w, c.word) for w in among)

    def invented(c: Tok, s_side: Sequence[Tok] = ()) -> None:
        if c.kind == "tense" and perfect(c):
            return
        if reworded(c, source_words):
            return
        if c.key in ent_keys and c.word[:1].isupper() and c.key in pool and claim_count[c.key] > pool_count.get(c.key, 0) \
                and not any(fold_key(t) in PRONOUN for t in s_side) and c.key not in aliases:
            # "PSV have informed PSV" for "United have informed PSV": the one PSV of the source is
            # already used where it stands; this one comes from nowhere and takes someone's role
            d.hard.append(f"'{c.word}' appears {claim_count[c.key]} times, cited sentences have it "
                          f"{pool_count.get(c.key, 0)} time(s): it stands in another's place")
            return
        if c.kind == "function" or (c.key in pool and c.kind != "negation") or (c.kind == "negation" and moved(c)):
            return  # a function word, or a word moved from elsewhere in the support (a negation only
            # when one is left unused there: "have no place" -> "have not no place" adds one)
        if c.kind in HARD_INSERTION:
            d.hard.append(f"adds '{c.word}', which cited sentence {sid} does not have")
        elif c.kind == "tense":
            d.soft.append(f"adds '{c.word}' (tense not in cited sentence {sid})")
        else:
            d.cap.append(f"adds '{c.word}', which cited sentence {sid} does not have")

    claim_negated = any(t.kind == "negation" for t in claim)

    def bounds_kept_number(i: int) -> bool:
        """The support word at ``i`` is part of the bound of a number the claim keeps ("about 3,000")."""
        return any(support[j].kind == "number" and j in kept and i in range(j - len(_bound(support, j)), j)
                   for j in range(i + 1, min(i + 3, len(support))))

    def dropped(s_side: list[Tok], i1: int, c_side: list[Tok]) -> None:
        c_keys = {t.key for t in c_side}
        c_words = {fold_key(t) for t in c_side}
        for k, s in enumerate(s_side):
            if _same_amount(s, c_words, claim_negated):
                continue
            if fold(s.word) in APPROX and bounds_kept_number(i1 + k):
                continue  # "employs 3,000" for "employs about 3,000": a bound, read below (at best partial)
            if s.kind in HARD_DROP and s.key not in c_keys and \
                    not any(_backshifted(s.key, c.key) for c in c_side) and _governs_kept(support, i1 + k, kept):
                if s.key in WEAK_QUANTIFIER:  # "some concerns" -> "concerns": at best partial
                    d.cap.append(f"drops '{s.word}' of cited sentence {sid}")
                else:
                    d.hard.append(f"drops '{s.word}' of cited sentence {sid}")

    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        s_side, c_side = support[i1:i2], claim[j1:j2]
        if tag == "replace":  # "before" for "after", "against" for "for": small words, opposite facts
            s_words = {fold(t.word) for t in s_side}
            for k, c in enumerate(c_side):
                reversed_by = RELATION_OPPOSITE.get(fold(c.word), frozenset()) & s_words
                before = [fold(t.word) for t in claim[max(0, j1 + k - SIDE_REACH):j1 + k]]
                if fold(c.word) in SIDES and not any(w.startswith(SIDE_VERBS) for w in before):
                    continue  # "scored for Wasps" / "scored against Atletico": both, about different teams
                if reversed_by and fold(c.word) not in s_words:
                    d.hard.append(f"'{c.word}' says the opposite of '{min(reversed_by)}' in cited sentence {sid}")
        n_s = sum(t.kind != "function" for t in s_side)
        n_c = sum(t.kind != "function" for t in c_side)
        if tag == "replace" and n_c and n_s <= SUBSTITUTION_MAX and n_s <= 2 * n_c + 1:
            # a substitution: a few words of the source put in place of a few others
            s_keys = {t.key for t in s_side}
            was = " ".join(t.word for t in s_side)
            for c in c_side:
                if c.kind == "function" or c.key in s_keys:
                    continue
                if c.key in aliases and c.word[:1].isupper() and not moved(c):
                    continue  # "Pep" before the cited "Guardiola": the full name the article gives him (not a
                    # name the sentence has elsewhere: "The Democrats won 50 %" for "Rama's party won 50 %,
                    # while the Democrats got 35 %")
                if lexicon is not None and c.kind == "content":
                    opposite = next((t for t in s_side if t.kind == "content" and lexicon.antonyms(t.word, c.word)), None)
                    if opposite is not None:
                        d.hard.append(f"'{c.word}' says the opposite of '{opposite.word}' in cited sentence {sid}")
                        continue
                    if reworded(c, [t.word for t in s_side if t.kind == "content"]):
                        continue  # "plunged" -> "fell", "launched" -> "started"
                if c.kind == "tense" and perfect(c) and any(t.key == "past" for t in s_side):
                    continue  # "has been" for "was"
                if any(_backshifted(c.key, t.key) for t in s_side):
                    d.soft.append(f"'{c.word}' for '{was}' in cited sentence {sid} (tense shifted)")
                elif c.kind in ENTITY and any(fold_key(t) in PRONOUN for t in s_side) and c.key not in pool:
                    d.cap.append(f"'{c.word}' stands for '{was}' of cited sentence {sid}")
                elif c.kind in ENTITY and any(fold_key(t) in PRONOUN for t in s_side):
                    continue  # "He said" -> "Vucic said", the name given by a cited neighbour
                elif c.kind in ENTITY and moved(c):
                    others = {t.key for t in claim[:j1] + claim[j2:]}
                    swap = next((t for t in s_side if t.kind in ENTITY and t.key in others and t.key != c.key), None)
                    if swap is not None:
                        d.hard.append(f"'{c.word}' and '{swap.word}' of cited sentence {sid} swap places")
                    else:
                        # (a name of the article's runs counts too: the claim's name is another one, moved)
                        # (or the speaker the sentence opens with, whose name reads as a common word there:
                        # "Dacic said …, but Vucic said …" → "Vucic said …")
                        gone = next((t for t in s_side if t.key not in claim_keys and (
                            CLASS.get(t.kind) == "entity" or (t is support[0] and t.kind == "content"
                                                               and t.word[:1].isupper() and speaker(t, c)))), None)
                        if gone is not None and speaker(gone, c):  # who said it is not a reading
                            d.hard.append(f"'{c.word}' did not say it: cited sentence {sid} gives it to '{gone.word}'")
                        elif gone is not None:  # "German officials" for "French officials … in Berlin"
                            d.cap.append(f"'{c.word}' stands where cited sentence {sid} has '{gone.word}'")
                elif c.kind in HARD_SUBSTITUTION and any(CLASS.get(t.kind) == CLASS[c.kind] for t in s_side):
                    d.hard.append(f"'{c.word}' replaces '{was}' of cited sentence {sid}")
                elif c.kind in HARD_SUBSTITUTION:
                    invented(c)
                elif not moved(c):
                    d.cap.append(f"'{c.word}' replaces '{was}' of cited sentence {sid}")
            dropped(s_side, i1, c_side)
        elif tag in ("replace", "insert"):
            for c in c_side:  # a rewording: what the claim adds must be in the support
                invented(c, s_side)
            if tag == "replace" and first < i1 and i2 <= last:
                dropped(s_side, i1, c_side)
        elif tag == "delete" and first < i1 and i2 <= last:  # inside the claim's extent only
            dropped(s_side, i1, [])
            cut = next((t for t in s_side if fold(t.word) in CONDITIONAL), None)
            if cut is not None and not claim_words & CONDITIONAL:  # "join NATO [only if Russia agrees], he said"
                d.cap.append(f"drops the condition '{cut.word} …' of cited sentence {sid}")
            content_at = [n for n, t in enumerate(s_side) if t.kind != "function"]
            # connectives inside the cut with words of the cut on both sides: a clause ends inside it
            # ("Ankara on Monday and flew to"; "Rama [and Kurti] in Brussels" only shortens a list)
            between = [n for n, t in enumerate(s_side) if fold(t.word) in CLAUSE_JOIN | AND
                       and content_at[0] < n < content_at[-1]] if content_at else []
            join = next((n for n in between if fold(s_side[n].word) not in claim_words and (
                fold(s_side[n].word) in CLAUSE_JOIN or s_side[n + 1].kind == "number")), None)
            # the first word after the cut that is not a function word ("… in March, resigned] on Friday",
            # "… um 5 Prozent")
            at = next((n for n in range(i2, min(i2 + 2, len(support))) if support[n].kind != "function"), None)
            goes_on = support[at] if at is not None else None
            if join is not None and goes_on is not None:
                # "Exports fell by 5 percent" cut from "Exports rose by 20 percent, while imports fell by 5
                # percent", "Two soldiers were wounded" from "were killed and five wounded": the claim's start
                # is in one clause, what follows the cut in the next ("Serbia and Hungary signed" → "Serbia
                # signed" cuts no clause: nothing of the first stands before the "and")
                nxt = next(t for t in s_side[join + 1:] if t.kind != "function")
                d.cap.append(f"joins two clauses of cited sentence {sid}: '{goes_on.word}' there follows "
                             f"'{s_side[join].word} {nxt.word}'")
            left, right = support[i1 - 1], support[i2] if i2 < len(support) else None
            if at is not None and (support[at].kind in ("number", "date") or (
                    support[at].kind in ENTITY and between)) and len(s_side) <= SKIP_MAX:
                # "stood at 25 percent" cut from "stood at 20 percent, down from 25 percent": the claim's
                # number (or date) comes from after a short cut that removed the one standing there, with
                # the same unit ("percent", "million euros"); a place or name too when the cut crosses into
                # the next clause ("met him in [Ankara on Monday and flew to] Baku")
                after = support[at + 1].key if at + 1 < len(support) else None
                moved_in = support[at]
                gone = next((t for n, t in enumerate(s_side) if CLASS.get(t.kind) == CLASS.get(moved_in.kind)
                             and t.kind != "quantifier" and t.key != moved_in.key and t.key not in claim_keys
                             and (t.kind != "number" or (
                                 i1 + n + 1 < len(support) and support[i1 + n + 1].key == after))), None)
                if gone is not None:
                    d.cap.append(f"'{moved_in.word}' stands where cited sentence {sid} has '{gone.word}' (its "
                                 f"'{moved_in.word}' is said of something else)")
            other = next((t for t in s_side if t.kind == "country" and t.key != left.key), None)
            if left.kind == "country" and right is not None and right.kind in ("title", "name") and other is not None:
                # "Serbia's prime minister Edi Rama" cut from "Serbia's president … met Albania's prime minister"
                d.cap.append(f"'{left.word}' now qualifies '{right.word}', which cited sentence {sid} gives "
                             f"to '{other.word}'")
    # a number kept without the words that bound it: "100 people" for "nearly 100", "300" for "up to 300"
    to_claim = {b.a + k: b.b + k for b in blocks for k in range(b.size)}
    for j in sorted(kept):
        if support[j].kind != "number" or _bound(claim, to_claim[j]):  # the claim has a bound of its own
            continue
        bound = _bound(support, j)
        if bound and all(i not in kept for i in range(j - len(bound), j)):
            # at best partial: "up to 64 points" may be a verb's "moved up to", not a bound
            d.cap.append(f"drops '{' '.join(t.word for t in bound)}' before {support[j].word} of cited sentence {sid}")
    # a word dropped before what it qualifies, which the claim keeps: a status ("President Boris Tadic" for
    # "Former president Boris Tadic", "the law" for "the draft law"), an ordinal before a superlative ("the
    # largest buyer" for "the second largest buyer")
    for i, t in enumerate(support[:-1]):
        word, nxt = _ELIDED.sub("", fold(t.word)), support[i + 1]  # "l'ancien président": "ancien"
        if i in kept or i + 1 not in kept or word in claim_words:
            continue
        reason = f"drops '{t.word}' before '{nxt.word}' of cited sentence {sid}"
        if word in STATUS and nxt.kind not in ("function", "number", "date"):  # not "the late 1990s"
            (d.cap if word in STATUS_SOFT else d.hard).append(reason)
        elif word in ORDINAL and _superlative(nxt):
            d.hard.append(reason)
    # what the claim's part of the sentence is under: "None of the 20 suspects were charged" → "20 suspects
    # were charged" (a negation or quantifier of the noun phrase the claim starts inside), and a condition
    # that follows it ("would resign if the vote failed" → "would resign")
    # (a bound before a number is read above: "more than 50", "some 2,000 people"; "Some opposition parties"
    # is a part of them)
    head = [i for i in range(max(0, first - 3), first)
            if support[i].kind in ("negation", "quantifier") and support[i].key not in claim_keys
            and not (fold(support[i].word) in APPROX and support[first].kind == "number")]
    if head and all(support[i].kind == "function" for i in range(head[-1] + 1, first)):
        d.hard.append(f"drops '{support[head[-1]].word}' of cited sentence {sid}, which governs "
                      f"'{support[first].word}'")
    k = first - 1 - (first > 1 and fold(support[first - 1].word) in _DETERMINER)
    if 0 < k < first and fold(support[k].word) in _PARTITIVE and k - 1 not in kept and (
            support[k - 1].kind in ("number", "quantifier", "negation") or fold(support[k - 1].word) in _PART):
        # "20 suspects were charged" cut from "Only two of the 20 suspects were charged"
        d.hard.append(f"drops '{support[k - 1].word} {support[k].word}' before '{support[first].word}' of "
                      f"cited sentence {sid}: what the statement is about is not what the source says")
    # right after the claim's part, or opening the sentence before it ("If the vote fails, Vucic will resign")
    cond = [t for t in support[last:last + 2] + support[:min(first, 1)] if fold(t.word) in CONDITIONAL]
    if cond and not claim_words & CONDITIONAL:
        d.cap.append(f"drops the condition '{cond[0].word} …' of cited sentence {sid}")
    swapped = _order_swapped(claim, support, same_relation=near)
    if swapped:
        d.hard.append(f"{swapped} of cited sentence {sid}")
    if near:
        d.cap, d.soft = [], []
    return d


# words that bound or round the number after them ("nearly 100", "up to 300", "at least 70", "rund 50");
# not "only", "just": "at the age of only 25" is 25
_ALL = ("en", "de", "fr", "es", "it")  # the languages these tables hold; applied to text of any language
APPROX = union("approx", _ALL, folded=True)

# words that change who or what the next words are: a former president is not the president
STATUS = union("status", _ALL, folded=True)
# of those, the ones about a document or a count rather than a person: at best partial
STATUS_SOFT = union("status_soft", _ALL, folded=True)

# relation words whose swap reverses the fact; content words have WordNet's antonyms, these are function
# words WordNet does not hold
_OPPOSED = [pair for code in _ALL for pair in language(code).list("opposed")]
# "for"/"against" take sides only after a verb of taking sides ("voted for", "ruled against")
SIDES = union("sides", _ALL, folded=True)
SIDE_VERBS = tuple(stem for code in _ALL for stem in language(code).list("side_verb_stems"))
SIDE_REACH = 4  # words before "for"/"against" where the verb may stand ("voted 120 to 30 against")
RELATION_OPPOSITE: dict[str, frozenset[str]] = {}
for _pair in _OPPOSED:
    _a, _b = (fold(w) for w in _pair.split())
    RELATION_OPPOSITE[_a] = RELATION_OPPOSITE.get(_a, frozenset()) | {_b}
    RELATION_OPPOSITE[_b] = RELATION_OPPOSITE.get(_b, frozenset()) | {_a}

_ELIDED = re.compile(r"^(?:l|d|qu|un|dell|all|dall|nell|sull)['’]")
_PARTITIVE = union("partitive", _MERGED)
# a part of a whole before "of" ("two of the", "half of the", "none of the"); "the boot of Marcelo Bosch"
# or "the establishment of a body" says the same of what follows
_PART = union("part", _MERGED)
_DETERMINER = union("determiners", _MERGED)
# (not "si", "se": the Spanish reflexive, the French "so"; not "provided": "The US provided weapons")
CONDITIONAL = union("conditional", _ALL, folded=True)
# words between two clauses or predicates ("…, while imports fell", "killed and five wounded"): a claim
# that skips from inside the first to after the second joins what the source says of different things
CLAUSE_JOIN = union("clause_join", _ALL, folded=True)
# "and" joins clauses when a count follows it ("two were killed and five wounded"); before a name it mostly
# joins a list ("Vucic and Rama"), which a claim may shorten
AND = union("and", _ALL, folded=True)

ORDINAL = union("ordinal", _ALL, folded=True)


_NOT_SUPERLATIVE = language("en").raw("not_superlative")


def _superlative(t: Tok) -> bool:
    """"largest", "most", "meisten": not "request" ("a second request" is a request)."""
    w = fold(t.word)
    return w in ("most", "least", "meisten", "plus") or (len(w) > 4 and w.endswith("est") and w not in _NOT_SUPERLATIVE)


# hedges that round a number, one key: "nearly", "almost", "about" 100 say the same
ROUNDING = union("rounding", _ALL, folded=True)

# the second word of a two-word bound needs its first: "up to", "more than", "at least", "2 to 3"
_PAIRED: dict[str, frozenset[str]] = {}
for _code in _ALL:
    for _w, _firsts in language(_code).table("paired_bounds").items():
        _PAIRED[_w] = _PAIRED.get(_w, frozenset()) | frozenset(_firsts)
del _code, _w, _firsts


def _bound(support: list[Tok], j: int) -> list[Tok]:
    """The words right before the number at ``j`` that bound or round it ("nearly", "up to"), or []."""
    prev = support[j - 1] if j > 0 else None
    if prev is None or fold(prev.word) not in APPROX:
        return []
    need = _PAIRED.get(fold(prev.word))
    if need is None:
        return [prev]
    first = support[j - 2] if j > 1 else None
    if first is not None and (fold(first.word) in need or (fold(prev.word) == "to" and first.kind == "number")):
        return [first, prev]  # "up to 300", "more than 50", "2 to 3 million"
    return []  # "sentenced to 10 years", "rose to 50"


# the same amount said another way: "more than 50" / "over 50", "one of its officers" / "an officer"
_SAME_AMOUNT: dict[str, frozenset[str]] = {}
for _code in _MERGED:
    for _k, _ws in language(_code).table("same_amount").items():
        _SAME_AMOUNT[_k] = _SAME_AMOUNT.get(_k, frozenset()) | frozenset(_ws)
del _code, _k, _ws


def _same_amount(s: Tok, c_words: set[str], claim_negated: bool) -> bool:
    """A dropped word whose meaning the claim keeps in other words: "more than" for "over", and "any"
    under a negation the claim also has ("have not found any evidence" / "have found no evidence")."""
    if s.key == "any" and claim_negated:
        return True
    return bool(_SAME_AMOUNT.get(s.key, frozenset()) & c_words)


class Lexicon(Protocol):
    """Word relations the diff may use (``briefings.wordnet`` for English)."""

    def entails(self, source: str, claim: str) -> bool: ...

    def antonyms(self, a: str, b: str) -> bool: ...


def fold_key(t: Tok) -> str:
    return t.word.casefold()


def _order_swapped(claim: list[Tok], support: list[Tok], same_relation: bool = False) -> str | None:
    """Two countries or names, each named once in the claim and once in its source, in the opposite order
    with a word of the sentence between them: "Armenien hat Aserbaidschan … vorgeworfen" for
    "Aserbaidschan hat Armenien … vorgeworfen", "Vucic accused Kurti" for "Kurti accused Vucic". Two in a
    list ("Armenia and Azerbaijan signed") and the passive ("was attacked by") say who did it otherwise.
    ``same_relation``: for countries too, only around the same words (a claim that is no copy of the sentence)."""
    def once(toks: list[Tok]) -> list[str]:
        keys = [t.key for t in toks if (t.kind == "country" and t.sub == "name") or t.kind == "name"]
        return [k for k in keys if keys.count(k) == 1]

    def relation(toks: list[Tok], a: str, b: str) -> set[str] | None:
        """The words between two of them, unless a list or a passive joins them."""
        at = {t.key: n for n, t in enumerate(toks)}
        i, j = sorted((at[a], at[b]))
        inside = toks[i + 1:j]
        words = {t.key for t in inside if t.kind not in ("function", "name", "country")}
        if not words or any(fold(t.word) in _PASSIVE_AGENT for t in inside):
            return None
        # two of them next to each other around a short relation, not far apart in a long sentence
        near = len(words) <= 3 and not any(t.kind in ("name", "country") and t.key not in (a, b) for t in inside)
        return words if near else None

    def counts(toks: list[Tok]) -> set[tuple[str, str]]:
        """Two numbers one after the other ("120 to 30", "2-1"): a score, a vote, a range."""
        nums = [(n, t) for n, t in enumerate(toks) if t.kind == "number"]
        return {(a.key, b.key) for (i, a), (j, b) in zip(nums, nums[1:])
                if j - i <= 2 and all(t.kind == "function" for t in toks[i + 1:j]) and a.key != b.key}

    word = {t.key: t.word for t in claim}
    c_pairs, s_pairs = counts(claim), counts(support)
    for a, b in sorted(c_pairs):
        if (b, a) in s_pairs and (a, b) not in s_pairs:
            return f"'{word[a]}' and '{word[b]}' are in the opposite order"
    c_order, s_order = once(claim), once(support)
    kind = {t.key: t.kind for t in claim}
    common = [k for k in c_order if k in s_order]
    for a_i, a in enumerate(common):
        for b in common[a_i + 1:]:
            if s_order.index(b) > s_order.index(a):
                continue
            c_rel, s_rel = relation(claim, a, b), relation(support, a, b)
            if c_rel is None or s_rel is None:
                continue
            # a name is swapped only around the same relation ("Vucic accused Kurti" / "Kurti accused Vucic");
            # names stand in other orders for other reasons ("died at a Santa Monica hospital")
            if ("name" in (kind[a], kind[b]) or same_relation) and not c_rel <= s_rel:
                continue
            return f"'{word[a]}' and '{word[b]}' are in the opposite order"
    return None


_PASSIVE_AGENT = union("passive_agent", _ALL)


def _governs_kept(support: list[Tok], i: int, kept: set[int]) -> bool:
    """A dropped negation, modal or hedge matters when the words it governs (the next content words,
    and in German also the ones before) are still in the claim: "does not recognize" → "recognizes".
    Dropping a whole clause that carries the negation ("is neither easy nor good news") does not."""
    def content(j: int) -> bool:
        return support[j].kind not in ("function", "negation", "modal", "tense", "hedge", "quantifier")
    ahead = [j for j in range(i + 1, min(len(support), i + 5)) if content(j)][:2]
    behind = [j for j in range(max(0, i - 4), i) if content(j)][-1:]
    return any(j in kept for j in ahead) or (support[i].kind == "negation" and any(j in kept for j in behind)
                                             and not ahead)


@lru_cache(maxsize=4096)
def normal(text: str) -> str:
    """Whitespace, quote marks, dashes and Unicode compatibility forms made uniform; nothing else."""
    import unicodedata

    s = unicodedata.normalize("NFKC", text)
    s = re.sub(r"[“”„‟«»〝〞＂″]", '"', s)
    s = re.sub(r"[‘’‚‛‹›′`´]", "'", s)
    s = re.sub(r"[‐‑‒–—―−]", "-", s)
    s = s.replace("\u00ad", "")  # soft hyphen
    return re.sub(r"\s+", " ", s).strip()


def verbatim_in(claim: str, span: str, min_words: int = 4) -> tuple[int, int] | None:
    """Where ``claim`` occurs in ``span`` exactly (after ``normal``; the claim's final punctuation and a
    capitalised first letter may differ), on word boundaries: (start, end) in the normalised span."""
    c = normal(claim).rstrip(" .!?;:,")
    if len(re.findall(r"\w+", c)) < min_words:
        return None
    s = normal(span)
    for cand in dict.fromkeys((c, c[:1].lower() + c[1:])):
        start = s.find(cand)
        while start >= 0:
            end = start + len(cand)
            if (start == 0 or not s[start - 1].isalnum()) and (end == len(s) or not s[end].isalnum()):
                return start, end
            start = s.find(cand, start + 1)
    return None
