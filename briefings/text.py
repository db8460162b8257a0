"""Text basics in one place: folding (two kinds), word lists (stop words, titles, speech verbs,
negation, months) and the unsafe-character filters. Stages import them from here; a list that two
stages need differently says why next to it."""

from __future__ import annotations

import codecs
import re
import unicodedata
from functools import lru_cache

_FOLD_EXTRA = str.maketrans({"đ": "d", "Đ": "d", "ł": "l", "Ł": "l", "ø": "o", "Ø": "o", "ı": "i",
                             "æ": "ae", "Æ": "ae", "œ": "oe", "ð": "d", "þ": "th", "ß": "ss"})


@lru_cache(maxsize=65536)
def fold(s: str) -> str:
    """Case and diacritics folding: 'Vučić' -> 'vucic', 'Türkiye' -> 'turkiye', 'Straße' -> 'strasse'."""
    s = unicodedata.normalize("NFKD", s.translate(_FOLD_EXTRA))
    return "".join(c for c in s if not unicodedata.combining(c)).casefold()


# ---------------------------------------------------------------------------------------------
# Folding that keeps every offset: same length as the input.


_FOLD_SAME_LENGTH = {"ی": "ي", "ى": "ي", "ک": "ك", "ς": "σ"}


@lru_cache(maxsize=1)
def _fold_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for cp in range(0x3000):
        ch = chr(cp)
        # vowel signs and viramas of Indic scripts and Thai are part of the word: "भारतीय" is not "भारत ीय"
        if not ch.isalnum() and ch != "&" and not (0x0900 <= cp < 0x0E80 and unicodedata.category(ch)[0] == "M"):
            table[cp] = " "
            continue
        if ch in _FOLD_SAME_LENGTH:  # one letter written two ways: Persian/Arabic yeh and kaf, final sigma
            table[cp] = _FOLD_SAME_LENGTH[ch]
            continue
        base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c)).lower()
        if len(base) != 1:
            base = ch.lower() if len(ch.lower()) == 1 else ch
        if base == "ı":  # Turkish dotless i
            base = "i"
        if base == "ß":  # keeps German text on the fast ASCII path; keys are folded the same way
            base = "s"
        if base != ch:
            table[cp] = base
    return table


@lru_cache(maxsize=1)
def _ascii_table() -> bytes:
    t = _fold_table()
    return bytes(ord(t.get(i, chr(i))) for i in range(128)) + bytes(range(128, 256))


class _NotAscii(Exception):
    pass


def _fold_run(err: UnicodeError) -> tuple[str, int]:
    """Encoding error handler: fold a run of non-ASCII characters, or give up if they stay non-ASCII."""
    run = err.object[err.start:err.end]  # type: ignore[attr-defined]
    out = run.translate(_fold_table())
    if not out.isascii():
        raise _NotAscii
    return out, err.end  # type: ignore[attr-defined]


codecs.register_error("briefings.text.fold", _fold_run)


def fold_same_length(text: str) -> str:
    """Lower case, no diacritics, non-alphanumerics as spaces; ``len(fold_same_length(t)) == len(t)``:
    offsets found in the folded text are offsets in the original (the country tagger's fold)."""
    # str.translate and re are slow on non-ASCII text (15-80 ns a character); the ASCII encoder runs
    # in C and calls the handler only for the few runs of accented letters and curly quotes.
    try:
        data = text.encode("ascii", "briefings.text.fold")
    except _NotAscii:  # Cyrillic, Greek, CJK...: the slow, general path
        return text.translate(_fold_table())
    return data.translate(_ascii_table()).decode("ascii")


# Characters that act on a terminal or on reading order rather than showing: C0/C1 controls (ESC starts
# colour, cursor and OSC-8 hyperlink sequences), bidi embeddings/overrides/isolates and marks ("Trojan
# Source" reordering), zero-width and line/paragraph separators. Tab and newline are kept.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2069\ufeff]")


def visible(s: object) -> str:
    """``s`` with every unsafe character shown as an escape (``\\x1b``, ``\\u202e``): inert, and honest
    about a file name that really contains one."""
    return _UNSAFE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), str(s))


def inert(s: object) -> str:
    """``s`` safe to print with rich markup on: controls shown as escapes, ``[tags]`` printed literally."""
    from rich.markup import escape

    return escape(visible(s))


def drop_unsafe(s: str) -> str:
    """``s`` without the unsafe characters, for stored and rendered text (titles, model answers)."""
    return _UNSAFE.sub("", s)


# ------------------------------------------------------------------------------------ word lists
# The verifier's: content words are what is left after these; titles and speech verbs tell names and
# speakers; negation words flip polarity.
STOP_EN = frozenset("""
a about above after again against all also although am an and any are as at be because been before
being below between both but by can could did do does doing down during each either few for from further
had has have having he her here hers herself him himself his how however i if in into is it its itself
just me might more most must my myself nor of off on once only or other our ours ourselves out over own
per same shall she should so some such than that the their theirs them themselves then there these they
this those through thus to too under until up upon us very via was we were what when where whether which
while who whom whose why will with within would yet you your yours yourself also amid among around
across according toward towards told said says say saying stated added including since despite
""".split())
STOP_DE = frozenset("""
aber als also am an auch auf aus bei beim bin bis bist da dabei damit dann das dass daß dein deine dem den
denen der deren des dessen die dies diese diesem diesen dieser dieses doch dort du durch ein eine einem
einen einer eines er es etwas euer eure für gegen gegenüber gewesen hab habe haben hat hatte hatten
hätte hätten ich ihm ihn ihnen ihr ihre ihrem ihren ihrer ihres im in ins ist ja jedoch jetzt kann
können könnte man mich mir mit muss musste müssen nach neben nun nur ob oder ohne sehr sei seien sein
seine seinem seinen seiner seines seit sich sie sind so soll sollte sondern sowie um und uns unser
unsere unter vom von vor wann war waren warum was weil welche welchem welchen welcher welches wenn wer
werde werden wie wieder will wir wird wo wurde wurden zu zum zur über zwischen sagte sagt sagten
laut zufolge bereits noch dabei darauf darüber beiden beide
""".split())
STOP = STOP_EN | STOP_DE

# capitalised words that are not names (titles, institutions, generic title-case words)
TITLES = frozenset(fold(w) for w in """
president presidents prime minister ministers ministry foreign defence defense interior chancellor
king queen prince general secretary government parliament army republic state states department
national chief officer leader leaders mr mrs ms dr sir pope spokesman spokeswoman spokesperson ceo cto
deputy vice head commander premier mayor governor senator ambassador envoy agency ministerium
präsident präsidentin premierminister ministerin kanzler kanzlerin außenminister verteidigungsminister
regierung armee chef sprecher sprecherin staatspräsident bundeskanzler herr frau
the a an in on at but and or as if when while after before during however it its this that these those
there he she they we i you his her their our my new according also both even still meanwhile
technology industry industries development regional production military company union nations news
international european western eastern northern southern west east north south central world
""".split())

SPEECH = frozenset(fold(w) for w in """
said says say told tells stated states added adds announced announces wrote tweeted declared emphasized
emphasised stressed noted argued claimed insisted warned asserted acknowledged explained commented
cautioned urged replied answered confirmed denied
sagte sagt sagten erklärte erklärt betonte betont twitterte fügte teilte schrieb kommentierte räumte
warnte behauptete bestätigte verkündete so laut zufolge
""".split())

NEGATION = frozenset(fold(w) for w in """
not no never none neither nor nobody nothing nowhere cannot without
nicht kein keine keinen keinem keiner keines nie niemals weder niemand nichts
""".split())

# French, Spanish and Italian for the verifier: function words only (articles, prepositions, pronouns,
# auxiliaries, conjunctions). Published stopword lists (stopwords-iso) also hold verbs and nouns such as
# "dire", "premier", "grande": a word listed here escapes every check, so the lists stay short. Kept per
# language: "era", "son", "come", "sin" are English content words.
STOP_ROMANCE = {lang: frozenset(fold(w) for w in words.split()) for lang, words in {
    "fr": """le la les l un une des du de d au aux et ou mais donc or ni car que qu qui quoi dont ou ce cet cette
ces c se s sa son ses leur leurs lui elle elles il ils on nous vous je j me m te t y en a à dans par pour
sur sous avec chez entre vers selon depuis pendant avant après sans être est sont était étaient été sera
seront serait avoir ai as avons avez ont avait avaient eu aura auront aurait fait très plus aussi comme
si cela ça ceci celui celle ceux celles mon ma mes ton ta tes notre nos votre vos même autre autres
déclaré dit a-t-il a-t-elle selon""",
    "es": """el la los las lo un una unos unas de del al a ante bajo con contra desde durante en entre hacia hasta
para por según sobre tras y e o u pero sino que quien quienes cual cuales cuyo cuya este esta estos
estas ese esa esos esas aquel aquella se su sus le les me te nos os él ella ellos ellas yo tú usted
ustedes es son era eran fue fueron ha han había habían sido será serán sería está están estaba estaban
muy más también como si ya mi mis tu tus nuestro nuestra nuestros nuestras dijo afirmó""",
    "it": """il lo la i gli le l un uno una un' di del dello della dei degli delle d a al allo alla ai agli alle
all da dal dallo dalla dai dagli dalle dall in nel nello nella nei negli nelle nell su sul sullo sulla
sui sugli sulle sull con per tra fra e ed o od ma che chi cui quale quali questo questa questi queste
quello quella quelli quelle si suo sua suoi sue loro lui lei essi esse io tu noi voi mi ti ci vi è
sono era erano fu furono stato stata stati state sarà saranno sarebbe ha hanno aveva avevano avuto
molto più anche come se già mio mia miei mie tuo tua nostro nostra ha detto detto""",
}.items()}
# negation, per language for the same reason ("mai" is German "Mai", "sin" and "nada" English words)
NEGATION_ROMANCE = {lang: frozenset(fold(w) for w in words.split()) for lang, words in {
    "fr": "ne n pas jamais aucun aucune rien nul nulle sans ni guère",
    "es": "no nunca jamás ningún ninguno ninguna nada nadie sin ni tampoco",
    "it": "non mai nessun nessuno nessuna niente nulla senza né neanche nemmeno neppure",
}.items()}
ELISION = re.compile(r"^(?:l|d|qu|n|s|j|c|m|t|un|dell|nell|all|dall|sull|quest|quell|coll)['’]", re.I)


def stop_for(lang: str | None) -> frozenset[str]:
    """Stop words a ``lang`` sentence is read with: English and German always, plus its own."""
    return STOP | STOP_ROMANCE.get(lang or "", frozenset())


def negation_for(lang: str | None) -> frozenset[str]:
    return NEGATION | NEGATION_ROMANCE.get(lang or "", frozenset())


def unelide(word: str, lang: str | None) -> str:
    """French and Italian elision: "l'armée" -> "armée", "n'a" -> "a" (the "n'" is read by the negation check)."""
    return ELISION.sub("", word) if lang in ("fr", "it") else word


# Story grouping (content-word bigrams and 3-shingles): a short list, so that shared phrases of a
# rewrite stay shared; part of the store's story memo (changing it regroups every corpus).
STOP_GROUPING = frozenset(
    "the a an and or of to in on at for with by from as is was are were be been that this it its his her "
    "their they he she we said says will would has have had not but which who der die das und oder von zu "
    "im in am an auf mit für aus als ist war sind waren sein dass es sie er wir hat haben nicht aber den dem "
    "des ein eine einer eines einem einen sich auch".split()
)

# The embedded backend's TF-IDF ranking (briefings/offline.py): words too common to tell claims apart.
STOP_RANKING = frozenset(
    "the and that with from this have has had was were are for not but which who their they its his her "
    "will would also been into than then them there these those what when where while about after before "
    "der die das und mit von für auf dem den des ein eine einer eines sich nicht auch als bei nach wie "
    "sind war wird werden hat haben dass oder aus zum zur über".split()
)

# Dates: month and weekday names (en, de) for the date checks (briefings/numbers.py)
MONTHS = {
    **{m: i for i, m in enumerate(["january", "february", "march", "april", "may", "june", "july", "august",
                                    "september", "october", "november", "december"], 1)},
    **{m: i for i, m in enumerate(["januar", "februar", "märz", "april", "mai", "juni", "juli", "august",
                                    "september", "oktober", "november", "dezember"], 1)},
    "jänner": 1, "sept": 9, "jan": 1, "feb": 2, "aug": 8, "oct": 10, "okt": 10, "nov": 11, "dec": 12, "dez": 12,
}
WEEKDAYS = {
    **{d: i for i, d in enumerate(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"], 1)},
    **{d: i for i, d in enumerate(["montag", "dienstag", "mittwoch", "donnerstag", "freitag", "samstag", "sonntag"], 1)},
    "sonnabend": 6,
}

# A sentence that starts with a month after "3." is not a new sentence ("am 3. März"): the segmenter's
# list, abbreviations included (in the date checks "mar" or "mai" alone would be words, not months)
MONTH_WORDS = (
    "jan|feb|mär|mar|apr|mai|may|jun|jul|aug|sep|okt|oct|nov|dez|dec|januar|februar|märz|april|juni|juli|"
    "august|september|oktober|november|dezember|january|february|march|june|july|october|december"
)
