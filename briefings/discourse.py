"""Whether a source sentence can stand alone in a briefing, and what of it to show.

The embedded default copies source sentences. Copied out of their article, some lean on the sentence
before ("However, …", "These enhancements…", "Im Zuge dieser Gefechte…", "…sollte er…" with "er"
named earlier) and some open with a dateline ("ANKARA –", "NAIROBI —"). ``dependence`` names what a
sentence leans on; ``dateline`` measures the prefix to cut (the citation stays the whole sentence: the
shown text is a verbatim part of it, and is verified as such). ``event_year`` reads the year a sentence
dates its event to, so old news is not shown as this week's.
"""

from __future__ import annotations

import re

from .languages import language, supported
from .names import is_country_word, is_person
from .text import MONTH_WORDS

# Openers that continue an argument. Matched on the lower-cased start of the sentence, whole words.
# (the language registry's "connectives", per language; a phrase is one entry)
_CONNECTIVES = {code: "|".join(language(code).list("connectives")) for code in sorted(supported())
                if language(code).has("connectives")}
# Pronoun subjects and demonstratives that need an antecedent when they open a sentence.
_OPENERS = {code: "|".join(language(code).list("openers")) for code in sorted(supported())
            if language(code).has("openers")}
# Openers that presuppose one of the kind named before ("Another Serbian neighbour, Bosnia, …"): the
# sentence is a fact of its own, so it is not joined to the one before (that made one statement of two
# facts), and copied alone it dangles: left out.
_PRESUPPOSING = {code: "|".join(language(code).list("presupposing")) for code in sorted(supported())
                 if language(code).has("presupposing")}
# A demonstrative a few words in ("Im Zuge dieser Gefechte", "During these talks") points back too.
_DEMONSTRATIVE = {
    "en": r"this|these|those|that|such",
    "de": r"dies|diese|dieser|dieses|diesen|diesem|jene|jener|jenes|jenen|derartige\w*|solche\w*",
}
# ...unless it names a time: "this week", "diese Woche" date the sentence, they do not point back.
_TIME_NOUN = re.compile(
    r"^(?:week|weekend|year|month|morning|afternoon|evening|night|time|summer|winter|spring|autumn|fall|"
    r"season|century|decade|day|monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
    r"woche|wochenende|jahr|jahres|monat|monats|morgen|abend|nacht|zeit|sommer|winter|frühjahr|herbst|"
    r"tag|tages|jahrhundert|jahrzehnt|montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag)$")
# Pronouns that need a person named earlier, wherever they stand ("Während der Reise sollte er …").
_PERSON_PRONOUN = {code: set(language(code).list("person_pronouns")) for code in ("en", "de")}
_FIRST_PERSON = {code: set(language(code).list("first_person")) for code in ("en", "de")}
_PRONOUN_SAYS = {
    "en": re.compile(r"[,”\"]\s+(he|she|they)\s+(?:said|says|writes|wrote|added|told|argued|noted|explained)\b"),
    "de": re.compile(r"[,“\"]\s+(?:sagte|sagt|schreibt|schrieb|fügte|erklärte)\s+(er|sie)\b"),
}
_POSSESSIVE = set(language("en").list("possessive")) | set(language("de").list("possessive"))  # en + de, any text
# German role nouns a pronoun may stand for ("Der Präsident sagte, er …"), compounds included
_ROLE = re.compile(r"(?:präsident|präsidentin|minister|ministerin|kanzler|kanzlerin|regierungschef\w*|sprecher|"
                   r"sprecherin|chef|chefin|leiter|leiterin|botschafter\w*|beamte|beamter|staatschef\w*|könig|"
                   r"papst|sekretär\w*|vorsitzende\w*|bürgermeister\w*|general|kommandeur|premier|"
                   r"abgeordnete\w*|diplomat\w*)$", re.I)
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")


def _alternation(words: str) -> re.Pattern[str]:
    alts = sorted((w.strip() for w in words.split("|") if w.strip()), key=len, reverse=True)
    # "That’s", "It's", "They’re": the contraction belongs to the opener
    return re.compile(r"^[\s\"“„«‚'(]*(?:" + "|".join(re.escape(a) for a in alts) + r")(?:['’](?:s|re|ll|d|ve)\b)?"
                      r"(?![\w'’-])", re.I)


_CONNECTIVE = {lang: _alternation(w) for lang, w in _CONNECTIVES.items()}
_OPENER = {lang: _alternation(w) for lang, w in _OPENERS.items()}
_PRESUPPOSE = {lang: _alternation(w) for lang, w in _PRESUPPOSING.items()}


def dependence(text: str, lang: str | None) -> str | None:
    """What the sentence leans on that only the previous sentence says, or None when it stands alone:
    "connective 'However'", "pronoun 'They'", "demonstrative 'dieser'", "'er' before any name"."""
    lang = (lang or "en").split("-")[0].lower()
    body = text[dateline(text):].lstrip()
    for kind, table in (("connective", _CONNECTIVE), ("pronoun or demonstrative", _OPENER),
                        ("presupposition", _PRESUPPOSE)):
        pattern = table.get(lang)
        m = pattern.match(body) if pattern else None
        if m:
            word = m.group(0).strip(" \"“„«‚'(")
            if kind != "connective" and _time_phrase(body[m.end():]):
                continue
            if lang == "en" and word.lower() == "it" and re.match(r"\s+(?:is|was|has been|remains|seems)\s+"
                                                                  r"(?:not\s+)?(?:unclear|likely|expected|"
                                                                  r"possible|important|understood)", body[m.end():]):
                continue  # "It is unclear whether…": no antecedent
            if lang == "en" and word.lower() == "there" and re.match(r"\s+(?:is|are|was|were|have|has)\b",
                                                                     body[m.end():]):
                continue  # "There were 12 dead": existential, not "there" = a place named before
            if lang == "en" and word.lower() in {"so", "then", "and", "or", "still", "yet"} and not re.match(
                    r"[,\s]", body[m.end():m.end() + 1] or " "):
                continue
            return f"{kind} {word!r}"
    words = [w.group(0) for w in _WORD.finditer(body)]
    # a first person with nobody named: "I think …", "“We will not back down,” he said"
    first = _FIRST_PERSON.get(lang)
    if first and words and words[0].split("’")[0].split("'")[0].lower() in first and not _names_someone(words[1:], lang):
        return f"first person {words[0]!r} with nobody named"
    # "…, he writes, since …": a speaker given only as a pronoun
    m = _PRONOUN_SAYS.get(lang, re.compile(r"(?!x)x")).search(body)
    if m and not _names_someone(words[:len(_WORD.findall(body[:m.start()]))], lang):
        return f"speaker {m.group(1)!r} never named"
    demo = _DEMONSTRATIVE.get(lang)
    if demo:
        for i, w in enumerate(words[1:5], start=1):
            if re.fullmatch(demo, w, re.I) and not _TIME_NOUN.match((words[i + 1] if i + 1 < len(words) else "").lower()):
                return f"demonstrative {w!r}"
    pronouns = _PERSON_PRONOUN.get(lang)
    if pronouns:
        for i, w in enumerate(words):
            if w.lower() in pronouns and (lang != "en" or w.islower() or i == 0):
                # "During his visit …, Erdogan said": a possessive may name its person later (cataphora)
                scope = words if w.lower() in _POSSESSIVE else words[:i]
                if not _names_someone(scope, lang) and not (lang == "en" and i > 2):
                    return f"{w!r} before anyone is named"
                break
    return None


def _time_phrase(rest: str) -> bool:
    m = _WORD.search(rest)
    return bool(m and _TIME_NOUN.match(m.group(0).lower()))


def _names_someone(words: list[str], lang: str) -> bool:
    """Whether ``words`` name a person (or an actor a pronoun can stand for): a known leader, two
    capitalised words in a row (a full name), or in English any capitalised word after the first."""
    if any(is_person(w) for w in words):
        return True
    if lang == "de" and any(w[:1].isupper() and _ROLE.search(w) for w in words):
        return True
    # English "I" is capitalised and names nobody: "“I want to thank me …,” he told the crowd"
    caps = [w[:1].isupper() and not is_country_word(w) and not (lang == "en" and w == "I") for w in words]
    if any(a and b for a, b in zip(caps, caps[1:])):
        return True
    if lang == "en":
        return any(caps[1:]) or (bool(caps) and caps[0] and words[0].lower() not in {"the", "a", "an", "during",
                                                                                     "while", "after", "before"})
    return False


# "ANKARA –", "Ankara –", "NAIROBI —", "BERLIN (dpa) -", "Kyiv, Dec 3 (Reuters) -", "Belgrad/Ankara –"
_DATELINE = re.compile(
    r"^\s*(?P<place>[A-ZÀ-ÞČŠŽĆĐ][\w.'’-]+(?:[ /][A-ZÀ-ÞČŠŽĆĐ][\w.'’-]+){0,2})"
    r"(?:,\s*[\w .]{1,24}?)?\s*(?P<agency>\([^()]{1,30}\))?\s*(?:[–—]|--?|:)\s+"
    r"(?=[\"“„«‚'A-ZÀ-ÞČŠŽĆĐ\d])")


def dateline(text: str) -> int:
    """Characters of a leading dateline to cut from the shown text (0 when there is none). Only a place:
    written in capitals, a capital city or country the tagger knows, or followed by an agency in
    parentheses; "Erdogan – Präsident der Türkei – sagte" keeps its start."""
    m = _DATELINE.match(text)
    if not m:
        return 0
    place = m.group("place")
    parts = re.split(r"[ /]", place)
    if not (m.group("agency") or all(p.isupper() and len(p) >= 3 for p in parts if p.isalpha())
            or all(is_country_word(p) for p in parts)):
        return 0
    if m.group(0).rstrip().endswith(":") and not m.group("agency"):
        return 0  # "Belgrade: …" is more often a headline label than a dateline; keep it
    return m.end()


_MONTH = "|".join(sorted({re.escape(w) for w in MONTH_WORDS.split("|")}, key=len, reverse=True))
_YEAR_DATE = re.compile(
    rf"(?:\b\d{{1,2}}\.?\s*(?:{_MONTH})\.?,?\s+|\b(?:{_MONTH})\.?\s+(?:\d{{1,2}}(?:st|nd|rd|th)?,?\s+)?|"
    rf"\b(?:in|im|seit|since|von|bis|until|year|jahr|jahre|of|anno|en|nel|w|em|in het)\s+)"
    r"((?:19|20)\d\d)\b", re.I)


def event_year(text: str) -> int | None:
    """The latest year the sentence dates something to ("Am 12. Juli 2020", "in 2022", "since 2016"),
    or None. A bare number is not a year ("2000 Soldaten")."""
    years = [int(m.group(1)) for m in _YEAR_DATE.finditer(text)]
    return max(years) if years else None
