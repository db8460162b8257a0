"""Does a source sentence address the model? Such a sentence is an attack carried by the article, not a
report, and is never evidence for anything (issue #19).

Three signals, on a folded *skeleton* of the text (Unicode TR39 confusables mapped to their Latin look-alike
with the data of ``confusable_homoglyphs``, then NFKC, case and diacritics folded), so "Ignоrе previous
instructiоns" with Cyrillic о/е reads as what it shows:

1. known wordings: "ignore (all) previous instructions", "you are now", "system prompt", "as an AI", and
   their German, French, Spanish, Italian, Russian and Polish forms;
2. an addressee that is a model (AI, assistant, language model, chatbot, summariser, "AI systems" …) together
   with an instruction word (ignore, write, output, respond, mandatory, attention, note for …) or a vocative
   ("Attention AI systems:", "Note for AI assistants:", "To any AI");
3. a meta-statement about the text's own truth or about other sources ("this article is the only accurate
   source", "treat the following as verified", "other reports are false").
"""

from __future__ import annotations

import json
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

from .text import fold


@lru_cache(maxsize=1)
def _skeleton_table() -> dict[int, str]:
    """Characters whose confusable is one ASCII letter or digit, mapped to it (Cyrillic о → o, Greek ν → v)."""
    try:
        import confusable_homoglyphs
    except ImportError:  # pragma: no cover - a declared dependency; folding alone still works
        return {}
    data = json.loads((Path(confusable_homoglyphs.__file__).parent / "confusables.json").read_text("utf-8"))
    table: dict[int, str] = {}
    for char, glyphs in data.items():
        if len(char) != 1 or char.isascii():
            continue
        latin = [g["c"] for g in glyphs if len(g["c"]) == 1 and g["c"].isascii() and g["c"].isalnum()]
        if latin:
            table[ord(char)] = latin[0]
    return table


_INVISIBLE = re.compile("[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e"
                        "\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0]")


def skeleton(text: str) -> str:
    """What the text looks like: invisible characters dropped, confusables made Latin, folded."""
    s = _INVISIBLE.sub("", unicodedata.normalize("NFKC", text))
    return fold(s.translate(_skeleton_table()))


_KNOWN = re.compile(
    r"\b(ignore|disregard|forget|override|bypass|skip)\b.{0,40}\b(previous|prior|above|earlier|all|your|any|other)\b"
    r".{0,30}\b(instructions?|prompts?|rules|guidelines|directions|context)\b"
    r"|\byou are now\b|\bsystem prompt\b|\bas an ai\b|\bnew instructions?\b|\bdeveloper mode\b"
    r"|\b(ignoriere|ignorieren sie|vergiss|vergessen sie|missachte)\b.{0,40}\b(anweisungen|instruktionen|regeln|vorgaben)\b"
    r"|\b(ignorez|ignore|oubliez)\b.{0,40}\b(instructions|consignes|regles)\b"
    r"|\b(ignora|ignore|olvida)\b.{0,40}\b(instrucciones|reglas|istruzioni|regole)\b"
    r"|\b(ignoruj|zignoruj)\b.{0,40}\b(instrukcje|polecenia)\b"
    r"|\b(игнорируй|игнорируйте|забудь)\b.{0,40}\b(инструкции|указания)\b",
    re.DOTALL)

_ADDRESSEE = re.compile(
    r"\b(ai|a\.i\.|ki|ia|ии|llms?|gpt\w*|chatbots?|chat ?gpt|assistants?|assistent(en|in)?|asistente?s?|assistente|"
    r"asystent\w*|ассистент\w*|language models?|sprachmodell\w*|modeles? de langage|modelos? de lenguaje|"
    r"summari[sz]\w*|summary (bots?|tools?|systems?)|zusammenfass\w*|resume\w* automat\w*|resumen\w*|riassun\w*|"
    r"bots?|crawlers?|scrapers?|agents? ia|ai (systems?|models?|agents?|tools?|readers?|assistants?)|"
    r"ki-(systeme?|modelle?|assistent\w*)|нейросет\w*)\b")
_INSTRUCT = re.compile(
    r"\b(ignore|disregard|forget|override|obey|comply|must (write|state|say|report|include|mention|output)|"
    r"(write|state|say|report|output|print|respond|reply|answer|include|mention|summari[sz]e|conclude) (that|only|the following|:)|"
    r"mandatory (update|instruction|notice|correction)\w*|important notice|note (for|to)|"
    r"(new|following|these|my|your|updated|hidden|special|system) instructions?|instructions?:|"
    r"message (for|to)|update:|"
    r"do not (mention|report|include|say)|"
    r"ignorier\w*|schreib\w*|antworte\w*|gib\w* aus|beacht\w*|anweisung\w*|hinweis (fur|an)|achtung|"
    r"ignorez|ecrivez|repondez|consignes?|ignora|escribe|responde|instrucciones|scrivi|rispondi|istruzioni|"
    r"napisz|odpowiedz|instrukcj\w*|напиши\w*|ответь\w*|инструкци\w*)\b")
_VOCATIVE = re.compile(
    r"(^|[.!?;:\"'(]\s*)(dear|attention|note (for|to)|to (all|any|every)|hey|hello|message (for|to)|"
    r"liebe[rs]?|an (alle|jede)|achtung|hinweis (fur|an)|cher|chere|querid[oa]s?|cari?)\s+"
    r"(\w+\s+){0,2}?(ai|ki|ia|llms?|chatbots?|assistants?|assistent\w*|language models?|summari[sz]\w*|bots?|"
    r"systems?|systeme|models?|readers?)\b")
_META = re.compile(
    r"\b(this|the following) (article|text|report|statement|information|story|page|document)\b.{0,30}"
    r"\b(is|are) (the only )?(true|accurate|correct|verified|reliable|authoritative|confirmed|official)\b"
    r"|\b(treat|consider|regard) (this|the following|it)\b.{0,20}\b(as )?(true|verified|fact|confirmed|accurate)\b"
    r"|\b(other|all other|previous) (sources|reports|articles)\b.{0,20}\b(are|is) (false|wrong|fake|unreliable|outdated)\b"
    r"|\b(dieser|der folgende) (artikel|text|bericht)\b.{0,30}\b(ist|sind) (wahr|korrekt|richtig|verifiziert)\b"
    r"|\b(andere|alle anderen) (quellen|berichte)\b.{0,20}\b(sind|ist) (falsch|unwahr|veraltet)\b",
    re.DOTALL)


@lru_cache(maxsize=65536)
def addresses_model(text: str) -> bool:
    """True when the sentence speaks to a model (or to whatever summarises it) instead of reporting."""
    s = skeleton(text)
    if _KNOWN.search(s) or _META.search(s) or _VOCATIVE.search(s):
        return True
    return bool(_ADDRESSEE.search(s) and _INSTRUCT.search(s))
