"""Quality of the embedded default (extractive, no model) on real multi-source news (issue #17): ROUGE
against human summaries next to the published extractive baselines, plus two readability rates.

Data: ``bench/data/multinews/clusters.jsonl``, 50 Multi-News test clusters (see its README.md).

For each cluster the real pipeline runs offline (``pipeline.build(..., write=False)``, extractive
backend, no cache) on the cluster's documents as one JSONL source. Every system then selects from the
same sentences, the ones the pipeline's own ingest and segmenter made of the documents:

- **ours (digest)**: the statements shown in every briefing of the cluster, briefings in the pipeline's
  order (most articles about the country first), sections in their order (bottom line, key
  developments, context, what to watch); a statement already shown under another country is not
  counted again (folded text). **ours (top country)**: the first briefing alone.
- **TextRank**, **LexRank** (``sumy`` 0.13, Snowball stemmer and sumy's stop words, over the sentences
  of all documents together, as the Multi-News paper ran them), **centroid** (Radev et al. 2004 in the
  bag-of-words form of Ghalandari 2017: tf-idf centroid of the cluster, idf from all documents of the
  sample as the background corpus, words whose weight is under a tenth of the largest dropped;
  sentences by cosine to the centroid, one more than 0.95 similar to a chosen one skipped), **Lead**
  (first sentence of each document in turn, then the second, ...).

Each output is its sentences in the system's order, each sentence once (folded text: a wire story
carried by two outlets would otherwise fill the budget twice), cut at the human summary's length in words
(whitespace tokens); an output shorter than that is not padded (a briefing that says less scores
less recall). A cluster in which no country was found has no briefing: ours scores 0 there. The table
is given over all clusters, over the clusters with a briefing, and over those with every system cut to
the length of our digest in that cluster (selection quality apart from length).

ROUGE-1/2/L F-measure (``rouge-score``, Porter stemming on), mean over clusters, in percent.

On our output (every briefing, every shown statement):

- **duplicate-fact rate**: share of statements that state a fact already stated earlier in the same
  briefing. Two statements state the same fact when their folded texts are equal, when at least 60 % of
  the content words of the shorter one (3 or more content words, Snowball-stemmed in the statement's
  language; stop words, words under 3 letters and country, month and weekday words left out) are in the
  other, or when they carry the same numbers (one at least) and two names (runs of capitalised words:
  a fact restated in another language counts too). The **digest rate** does the same over all
  statements of a cluster's briefings together as the digest shows them: a statement already shown in
  full under an earlier country (same text, or same language with most word stems shared and no new
  number) is rendered as a pointer to it and is not counted again.
- **dangling-reference rate**: share of statements whose opening needs the previous sentence: a pronoun
  subject or possessive (He, They, Its, Er, Sie, Es ...), a connective (However, But, Also, Meanwhile,
  Jedoch, Außerdem, Dabei ...), or a demonstrative in the first three words that is not a time phrase
  ("These drones", "Im Zuge dieser Gefechte", not "This week" nor "those who"), in en, de, fr, es, it,
  pt, nl, pl, ru, tr (the statement's own language). "It is/was ... that/to ..." and "Es gibt" are not
  counted. Quotation marks before the first word are skipped ('"We will ...," he said' is dangling).
  A pronoun subject behind a fronted phrase counts too: "During the trip, he ..." when no capitalised
  word precedes it; in German "er"/"sie" in the first clause ("Während der Reise sollte er ...").

    .venv/bin/python bench/rouge.py [--data bench/data/multinews/clusters.jsonl] [-n 50] [--json] [--pin]

``--pin`` writes the gated figures (see ``gated``) into tests/quality_baseline.json, lower ones too: use it
after a deliberate change of the composer, and say in the commit why a figure went down.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / "data" / "multinews" / "clusters.jsonl"
SYSTEMS = ("ours (digest)", "ours (top country)", "TextRank", "LexRank", "centroid", "Lead")
METRICS = ("rouge1", "rouge2", "rougeL")


@dataclass
class Cluster:
    id: str
    summary: str
    documents: list[str]


@dataclass
class Statement:
    text: str
    language: str


@dataclass
class ClusterRun:
    cluster: Cluster
    documents: list[list[str]]  # the pipeline's sentences, per ingested article
    briefings: list[list[Statement]]  # shown statements per briefing, in the pipeline's order
    outputs: dict[str, str] = field(default_factory=dict)  # system -> summary text within the budget
    scores: dict[str, dict[str, float]] = field(default_factory=dict)  # system -> metric -> F
    # the same, every system cut to the length of our digest (clusters with a briefing only)
    outputs_our_length: dict[str, str] = field(default_factory=dict)
    scores_our_length: dict[str, dict[str, float]] = field(default_factory=dict)


def load(path: Path = DATA, n: int | None = None) -> list[Cluster]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [Cluster(r["id"], r["summary"], r["documents"]) for r in rows[:n]]


# --- the system under test -----------------------------------------------------------------------

def run_pipeline(cluster: Cluster, workdir: Path) -> ClusterRun:
    """The real build, offline, on the cluster's documents; the articles' sentences for the baselines."""
    from briefings.config import Settings
    from briefings.errors import NoInput
    from briefings.log import Reporter
    from briefings.pipeline import build

    src = workdir / f"{cluster.id}.jsonl"
    # no outlet or date: Multi-News keeps neither in this form, and the window is off (run.since unset)
    src.write_text("".join(json.dumps({"text": t}, ensure_ascii=False) + "\n" for t in cluster.documents),
                   encoding="utf-8")
    s = Settings()
    s.run.data_dir = workdir / cluster.id / "data"
    s.output.dir = workdir / cluster.id / "out"
    s.llm.backend = "extractive"
    s.llm.cache = False
    try:
        res = build([str(src)], s, write=False, reporter=Reporter(quiet=True))
    except NoInput:  # nothing to brief: the baselines still get the segmented documents
        from briefings.ingest import ingest

        return ClusterRun(cluster, [[x.text for x in a.sentences] for a in ingest([str(src)], s).articles], [])
    docs = [[x.text for x in a.sentences] for a in res.articles]
    briefings = [[Statement(x.text, x.language) for sec in b.sections for x in sec.sentences]
                 for b in res.briefings]
    return ClusterRun(cluster, docs, briefings)


def _key(text: str) -> str:
    from briefings.text import fold

    return " ".join(fold(text).split())


def unique(sentences: list[str]) -> list[str]:
    """Each sentence once (folded text): a wire story carried by two outlets is one sentence for every system."""
    seen: set[str] = set()
    return [t for t in sentences if not (_key(t) in seen or seen.add(_key(t)))]


def digest(briefings: list[list[Statement]]) -> list[str]:
    return unique([st.text for b in briefings for st in b])


# --- baselines -----------------------------------------------------------------------------------

_WORD = re.compile(r"[^\W_]+", re.UNICODE)


class _Tokenizer:
    """sumy's own tokenizer needs NLTK's punkt data (a download); words are all sumy needs here."""

    language = "english"

    def to_words(self, text: str) -> list[str]:
        return _WORD.findall(text)

    def to_sentences(self, text: str) -> list[str]:
        return [text]


def _sumy_ranked(kind: str, sentences: list[str]) -> list[str]:
    from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence
    from sumy.summarizers.lex_rank import LexRankSummarizer
    from sumy.summarizers.text_rank import TextRankSummarizer

    if not sentences:
        return []
    tok = _Tokenizer()
    doc = ObjectDocumentModel([Paragraph([Sentence(t, tok) for t in sentences])])
    stem, stop = _english()
    summarizer = (TextRankSummarizer if kind == "TextRank" else LexRankSummarizer)(stem)
    summarizer.stop_words = stop
    ranked: list[str] = []

    def take_all(infos):  # sumy hands the sentences sorted by rating (stable: ties in document order)
        ranked.extend(str(i.sentence) for i in infos)
        return infos

    summarizer(doc, take_all)
    return ranked


@lru_cache(maxsize=1)
def _english():
    """sumy's Snowball stemmer, each word stemmed once (the same stems, faster), and its stop words."""
    from sumy.nlp.stemmers import Stemmer
    from sumy.utils import get_stop_words

    return lru_cache(maxsize=None)(Stemmer("english")), get_stop_words("english")


def _stems(text: str) -> list[str]:
    stem, stop = _english()
    return [stem(w.lower()) for w in _WORD.findall(text) if w.lower() not in stop]


def background_idf(documents: list[str]) -> dict[str, float]:
    """idf over a background set of documents (MEAD's centroid takes it from a corpus, not the cluster:
    within a cluster the topic words are in every document and would weigh nothing)."""
    df = Counter(w for d in documents for w in set(_stems(d)))
    return {w: math.log(len(documents) / n) for w, n in df.items()}


def centroid(sentences: list[str], idf: dict[str, float], topic_threshold: float = 0.1,
             sim_threshold: float = 0.95) -> list[str]:
    """Centroid-based selection (MEAD's centroid score, Ghalandari 2017's bag-of-words variant)."""
    import numpy as np

    if not sentences:
        return []
    bags = [Counter(_stems(s)) for s in sentences]
    vocab = {w: k for k, w in enumerate(dict.fromkeys(w for b in bags for w in b))}
    unseen = max(idf.values(), default=1.0)
    weights = np.array([idf.get(w, unseen) for w in vocab])
    tf = np.zeros((len(bags), len(vocab)))
    for i, b in enumerate(bags):
        for w, x in b.items():
            tf[i, vocab[w]] = x
    vecs = tf * weights
    cent = vecs.sum(axis=0)
    cent[cent < topic_threshold * cent.max(initial=0.0)] = 0.0
    norms = np.linalg.norm(vecs, axis=1)
    unit = vecs / np.where(norms > 0, norms, 1.0)[:, None]
    score = unit @ (cent / (np.linalg.norm(cent) or 1.0))
    chosen: list[int] = []
    for i in sorted(range(len(bags)), key=lambda i: -score[i]):  # stable: ties in document order
        if not chosen or float((unit[chosen] @ unit[i]).max()) <= sim_threshold:
            chosen.append(i)
    return [sentences[i] for i in chosen]


def lead(documents: list[list[str]]) -> list[str]:
    return [d[k] for k in range(max(map(len, documents), default=0)) for d in documents if k < len(d)]


def cut(sentences: list[str], budget: int) -> str:
    words: list[str] = []
    for s in sentences:
        if len(words) >= budget:
            break
        words += s.split()
    return " ".join(words[:budget])


# --- readability rates ---------------------------------------------------------------------------

_SNOWBALL = {"en": "english", "de": "german", "fr": "french", "es": "spanish", "it": "italian",
             "pt": "portuguese", "nl": "dutch", "pl": "polish", "ru": "russian", "tr": "turkish"}


@lru_cache(maxsize=None)
def _stemmer(language: str):
    import snowballstemmer

    name = _SNOWBALL.get(language)
    return snowballstemmer.stemmer(name).stemWord if name else (lambda w: w)


def _content(text: str, language: str = "en") -> set[str]:
    """Stems of the folded words of 3+ letters that carry the fact: no stop words, and no country, month
    or weekday words (every statement of a country's briefing names the country; dates are common)."""
    from briefings.names import is_country_word
    from briefings.text import MONTHS, STOP, WEEKDAYS, fold

    stem = _stemmer(language)
    out = set()
    for w in _WORD.findall(text):
        f = fold(w).lower()
        if len(f) >= 3 and f not in STOP and f not in MONTHS and f not in WEEKDAYS and not is_country_word(w):
            out.add(stem(f))
    return out


_NUM = re.compile(r"(?<![^\W\d_])\d+(?:[.,]\d+)*")  # not the 2 of a name like "TB2"


def _numbers(text: str) -> set[str]:
    return {re.sub(r"[.,]", "", m) for m in _NUM.findall(text)}


def _name_runs(text: str) -> list[set[str]]:
    """Runs of capitalised words ("New York City", "Vučić"), folded, less stop words, months and
    weekdays; German nouns come along, harmless: the rule asks for names two statements share."""
    from briefings.text import MONTHS, STOP, WEEKDAYS, fold

    runs: list[set[str]] = [set()]
    for tok in re.findall(r"[^\W_]+|[^\w\s]", text):
        f = fold(tok).lower()
        if tok[0].isupper() and f not in STOP and f not in MONTHS and f not in WEEKDAYS:
            runs[-1].add(f)
        elif runs[-1]:
            runs.append(set())
    return [r for r in runs if r]


def _share_two_names(a: str, b: str) -> bool:
    """Two different names in common: shared words that fall in two runs of each ("New York City" is one)."""
    ra, rb = _name_runs(a), _name_runs(b)
    shared = set().union(*ra) & set().union(*rb) if ra and rb else set()
    return sum(bool(r & shared) for r in ra) >= 2 and sum(bool(r & shared) for r in rb) >= 2


def same_fact(a: Statement, b: Statement) -> bool:
    if _key(a.text) == _key(b.text):
        return True
    ca, cb = _content(a.text, a.language), _content(b.text, b.language)
    small = min(len(ca), len(cb))
    if small >= 3 and len(ca & cb) >= 0.6 * small:
        return True
    na = _numbers(a.text)
    return bool(na) and na == _numbers(b.text) and _share_two_names(a.text, b.text)


def duplicates(statements: list[Statement]) -> int:
    """Statements that state a fact already stated by an earlier one."""
    return sum(any(same_fact(s, t) for t in statements[:i]) for i, s in enumerate(statements))


# openers that need the previous sentence, per language: words that do it alone, multi-word openers,
# demonstratives (dangling within the first three words unless a time word follows them)
_DANGLING: dict[str, tuple[str, str, str]] = {
    "en": ("he she they it his her their its him them we our i my both another such also and but yet so "
           "still however moreover furthermore meanwhile nevertheless nonetheless therefore thus hence "
           "instead besides otherwise likewise similarly additionally consequently indeed later then",
           "in addition(?! to)|as a result|by contrast|in contrast|on the other hand|the latter|the former|"
           "at the same time|even so|after that|in turn",
           "this these that those"),
    "de": ("er sie es ihr ihre ihren ihrem ihrer sein seine seinen seinem seiner dies dabei damit dazu daher "
           "deshalb deswegen darum dennoch jedoch aber außerdem zudem trotzdem allerdings auch ebenfalls "
           "somit folglich stattdessen hierbei hierzu daraufhin danach dafür dagegen darüber demnach beide "
           "beiden",
           "im zuge dessen|es handelt sich",
           "diese dieser dieses diesem diesen jene jener jenes"),
    "fr": ("il elle ils elles cependant toutefois mais aussi néanmoins pourtant ainsi donc puis ensuite",
           "en outre|par ailleurs|de plus|en revanche|par conséquent|de son côté",
           "ce cet cette ces celui celle ceux"),
    "es": ("él ella ellos ellas pero también además sin embargo asimismo entonces luego",
           "sin embargo|por ello|por eso|por lo tanto|no obstante|en cambio|por su parte",
           "este esta estos estas ese esa esos esas"),
    "it": ("egli lui lei loro tuttavia però inoltre anche quindi dunque poi",
           "in seguito|per questo|d'altra parte|da parte sua",
           "questo questa questi queste quello quella quelli quelle"),
    "pt": ("ele ela eles elas porém mas também além contudo todavia entretanto então",
           "no entanto|além disso|por isso|por sua vez",
           "este esta estes estas esse essa esses essas"),
    "nl": ("hij zij ze zijn haar hun echter maar ook bovendien daarom toch daarnaast vervolgens",
           "daarnaast|aan de andere kant",
           "deze dit die dat"),
    "pl": ("on ona oni one jego jej ich jednak ale także również ponadto natomiast dlatego więc",
           "poza tym|z kolei|w związku z tym",
           "ten ta to ci te tego tej tych"),
    "ru": ("он она они его её их однако но также тоже поэтому затем",
           "кроме того|при этом|в то же время|в свою очередь",
           "этот эта это эти тот та те"),
    "tr": ("o onlar onun onların ancak fakat ama ayrıca bu nedenle ise",
           "bunun yanı sıra|öte yandan|bu nedenle",
           "bu bunlar şu bunun"),
}
_TIME = frozenset("""week year month morning afternoon evening night weekend season spring summer fall autumn
winter january february march april may june july august september october november december monday tuesday
wednesday thursday friday saturday sunday woche jahr jahres monat morgen abend wochenende sommer winter herbst
frühling semaine année mois an matin soir semana año mes mañana settimana anno mese mattina ano mês manhã week
jaar maand ochtend tydzień roku miesiąc неделе году месяце hafta yıl ay""".split())
_NOT_ANAPHORIC = _TIME | {"who", "which", "die", "qui", "que", "che", "welche", "der"}  # "those who"
_EXPLETIVE = re.compile(r"^it\s+(?:is|was|'s|remains|seems|seemed|appears|appeared|would be|will be)\b.*"
                        r"\b(?:that|to|whether|if|how|why|unclear|not clear)\b|^es\s+gibt\b")
_OPEN_QUOTE = re.compile(r"^[\s\"'“”„«»‘’‚‹›(\[—–-]+")


def dangling(text: str, language: str) -> bool:
    words_, phrases, demonstratives = _DANGLING.get(language, _DANGLING["en"])
    low = _OPEN_QUOTE.sub("", text).lower()
    if _EXPLETIVE.match(low):
        return False
    toks = re.findall(r"[^\W_]+(?:'[^\W_]+)?", low)
    if not toks:
        return False
    if toks[0].split("'")[0] in words_.split():
        return True
    if re.match(rf"(?:{phrases})\b", " ".join(toks[:8])):
        return True
    dem = set(demonstratives.split())
    for i, w in enumerate(toks[:3]):
        if w in dem and not (i + 1 < len(toks) and toks[i + 1] in _NOT_ANAPHORIC):
            return True
    return _pronoun_after_opener(_OPEN_QUOTE.sub("", text), language)


def _pronoun_after_opener(text: str, language: str) -> bool:
    """A pronoun subject behind a fronted phrase: "During the trip, he met ..." (nobody named before
    it), "Während der zweitägigen Reise sollte er ..." (German puts the subject after the verb: "er" or
    "sie" in the first clause, before any comma, that no name could precede in English terms)."""
    clause = text.split(",")[0]
    words = re.findall(r"[^\W_]+", clause)
    if language == "de":
        return any(w in ("er", "sie") for w in words[1:7])
    if language != "en" or "," not in text or not 1 < len(words) <= 8:
        return False
    after = re.findall(r"[^\W_]+", text.split(",", 1)[1])
    return (not any(w[0].isupper() for w in words[1:])
            and bool(after) and after[0].lower() in ("he", "she", "they", "his", "her", "their"))


# --- the run -------------------------------------------------------------------------------------

class _Tokenizer4Rouge:
    """rouge-score's own tokenisation and Porter stemmer, each word stemmed once (the same scores, faster)."""

    def __init__(self) -> None:
        from functools import lru_cache

        from nltk.stem import porter

        self.stem = lru_cache(maxsize=None)(porter.PorterStemmer().stem)

    def tokenize(self, text: str) -> list[str]:
        from rouge_score.tokenize import tokenize

        return tokenize(text, self)


def scorer():
    from rouge_score import rouge_scorer

    return rouge_scorer.RougeScorer(list(METRICS), tokenizer=_Tokenizer4Rouge())


def evaluate(clusters: list[Cluster]) -> list[ClusterRun]:
    rouge = scorer()
    idf = background_idf([d for c in clusters for d in c.documents])
    runs = []
    with tempfile.TemporaryDirectory(prefix="rouge-bench-") as tmp:
        for c in clusters:
            r = run_pipeline(c, Path(tmp))
            budget = len(c.summary.split())
            flat = [s for d in r.documents for s in d]
            ranked = {
                "ours (digest)": digest(r.briefings),
                "ours (top country)": digest(r.briefings[:1]),
                "TextRank": _sumy_ranked("TextRank", flat),
                "LexRank": _sumy_ranked("LexRank", flat),
                "centroid": centroid(flat, idf),
                "Lead": lead(r.documents),
            }
            ranked = {name: unique(sents) for name, sents in ranked.items()}
            for name, sents in ranked.items():
                r.outputs[name] = cut(sents, budget)
                sc = rouge.score(c.summary, r.outputs[name])
                r.scores[name] = {m: sc[m].fmeasure for m in METRICS}
            ours = len(r.outputs["ours (digest)"].split())
            for name, sents in ranked.items() if ours else ():
                r.outputs_our_length[name] = cut(sents, ours)
                sc = rouge.score(c.summary, r.outputs_our_length[name])
                r.scores_our_length[name] = {m: sc[m].fmeasure for m in METRICS}
            runs.append(r)
    return runs


def _digest_duplicates(digests: list[list[list[Statement]]]) -> float:
    from briefings.render import repeated

    shown = []
    for d in digests:
        kept: list[Statement] = []
        for st in (st for b in d for st in b):
            # what the digest renders as a pointer (render.cross_reference) is not shown again
            if repeated(st.text, st.language, [(k.text, k.language) for k in kept]) is None:
                kept.append(st)
        shown.append(kept)
    n = sum(map(len, shown))
    return sum(duplicates(x) for x in shown) / n if n else 0.0


def rates(digests: list[list[list[Statement]]]) -> dict:
    """The readability rates over digests (one a cluster, each a list of briefings' statements)."""
    statements = [st for d in digests for b in d for st in b]
    n = len(statements)
    dang = [st for st in statements if dangling(st.text, st.language)]
    return {"briefings": sum(map(len, digests)), "statements": n,
            "duplicate_rate": sum(duplicates(b) for d in digests for b in d) / n if n else 0.0,
            # as the digest renders it: a statement already shown under an earlier country is a pointer
            # to it ("shown under AL"), not a second copy; what remains is the same fact in other words
            "digest_duplicate_rate": _digest_duplicates(digests),
            "dangling_rate": len(dang) / n if n else 0.0,
            "dangling_examples": [st.text[:100] for st in dang[:8]]}


def seeds_rates(seeds: Path = ROOT / "seeds") -> dict:
    """The same rates on the digest of the repository's seeds (en and de articles, one story told by
    several outlets): the digest issue #17 asks to free of repeats and dangling openers."""
    from briefings.config import Settings
    from briefings.log import Reporter
    from briefings.pipeline import build

    with tempfile.TemporaryDirectory(prefix="rouge-seeds-") as tmp:
        s = Settings()
        s.run.data_dir, s.output.dir = Path(tmp) / "data", Path(tmp) / "out"
        s.llm.backend, s.llm.cache = "extractive", False
        res = build([str(seeds)], s, write=False, reporter=Reporter(quiet=True))
    return rates([[[Statement(x.text, x.language) for sec in b.sections for x in sec.sentences]
                   for b in res.briefings]])


def summarise(runs: list[ClusterRun]) -> dict:
    covered = [r for r in runs if r.briefings]

    def means(rs: list[ClusterRun], our_length: bool = False) -> dict[str, dict[str, float]]:
        out = {}
        for name in SYSTEMS:
            scores = [(r.scores_our_length if our_length else r.scores)[name] for r in rs]
            texts = [(r.outputs_our_length if our_length else r.outputs)[name] for r in rs]
            out[name] = {m: sum(x[m] for x in scores) / len(rs) if rs else 0.0 for m in METRICS}
            out[name]["words"] = sum(len(t.split()) for t in texts) / len(rs) if rs else 0.0
        return out

    return {
        "clusters": len(runs),
        "documents": sum(len(r.cluster.documents) for r in runs),
        "covered": len(covered),
        "coverage": len(covered) / len(runs) if runs else 0.0,
        "reference_words": sum(len(r.cluster.summary.split()) for r in runs) / len(runs) if runs else 0.0,
        "all": means(runs),
        "with_briefing": means(covered),
        "with_briefing_our_length": means(covered, our_length=True),
        **rates([r.briefings for r in runs]),
    }


def table(s: dict) -> str:
    lines = [f"Multi-News test sample: {s['clusters']} clusters, {s['documents']} documents, human summaries "
             f"{s['reference_words']:.0f} words on average (each output cut to its reference's length)",
             f"clusters with a briefing: {s['covered']}/{s['clusters']}; {s['briefings']} briefings, "
             f"{s['statements']} statements", ""]
    for key, title in (("all", f"all {s['clusters']} clusters (no briefing = empty output)"),
                       ("with_briefing", f"the {s['covered']} clusters with a briefing"),
                       ("with_briefing_our_length", f"the {s['covered']} clusters with a briefing, every output "
                                                    "cut to our digest's length")):
        lines += [f"ROUGE F (%), {title}", "",
                  "| system | ROUGE-1 | ROUGE-2 | ROUGE-L | words |", "|---|---|---|---|---|"]
        for name in SYSTEMS:
            m = s[key][name]
            lines.append(f"| {name} | {100 * m['rouge1']:.2f} | {100 * m['rouge2']:.2f} | "
                         f"{100 * m['rougeL']:.2f} | {m['words']:.0f} |")
        lines.append("")
    lines += [f"duplicate-fact rate (same briefing): {100 * s['duplicate_rate']:.1f} %",
              f"duplicate-fact rate (whole digest of a cluster): {100 * s['digest_duplicate_rate']:.1f} %",
              f"dangling-reference rate: {100 * s['dangling_rate']:.1f} %"]
    if "seeds" in s:
        r = s["seeds"]
        lines += ["", f"seeds digest ({r['briefings']} briefings, {r['statements']} statements): duplicate-fact "
                      f"rate {100 * r['duplicate_rate']:.1f} % in a briefing, {100 * r['digest_duplicate_rate']:.1f} % "
                      f"across the digest; dangling-reference rate {100 * r['dangling_rate']:.1f} %"]
    return "\n".join(lines)


def gated(s: dict) -> dict[str, tuple[float, str]]:
    """What tests/test_quality_rouge.py pins (name -> (measured, direction)): our figures over all
    clusters (a cluster gained by the country tagger raises them) and the rates, on Multi-News and (key
    "seeds") on the seeds digest; the baselines are reported only."""
    out: dict[str, tuple[float, str]] = {}
    if "all" in s:
        ours = s["all"]["ours (digest)"]
        out |= {f"rouge_multinews.ours.{m}": (ours[m], "min") for m in METRICS}
        out["rouge_multinews.coverage"] = (s["coverage"], "min")
    for prefix, r in (("rouge_multinews", s), ("readability_seeds", s.get("seeds"))):
        if r and "dangling_rate" in r:
            out |= {f"{prefix}.{k}": (r[k], "max") for k in ("duplicate_rate", "digest_duplicate_rate",
                                                             "dangling_rate")}
    return out


def pin(s: dict, path: Path = ROOT / "tests" / "quality_baseline.json") -> None:
    """Writes the measured values as the pinned ones, up or down (after a deliberate change of the
    composer: the diff of the file is what review sees; the ratchet alone never lowers a value)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    for name, (value, direction) in gated(s).items():
        rounded = (math.floor if direction == "min" else math.ceil)(value * 1e4) / 1e4
        data[name] = {**data.get(name, {}), "direction": direction, "value": rounded}
    path.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("-n", type=int, default=None, help="first N clusters only")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--pin", action="store_true",
                    help="write the gated figures into tests/quality_baseline.json (whole sample only)")
    args = ap.parse_args(argv)
    if args.pin and (args.n is not None or args.data != DATA):
        ap.error("--pin measures the committed sample as a whole: no -n, no --data")
    s = summarise(evaluate(load(args.data, args.n)))
    s["seeds"] = seeds_rates()
    print(json.dumps(s, indent=2, ensure_ascii=False) if args.json else table(s))
    if args.pin:
        pin(s)
    return 0


if __name__ == "__main__":
    sys.exit(main())
