"""Words that deny what follows them: "failed to deliver", "refused to recognise", "prevented protesters
from entering", "has yet to ratify". The event after them did not happen, so a statement that keeps the
event and drops the word says the opposite of its source ("The company delivered the jets"). A negation
check that looks for "not" never sees these; this module finds them and the verb they govern.

``governed(text, lang)``: (trigger as written, governed word, offset) for each such construction in ``text``.
The words that deny or doubt a whole clause ("denied reports that …", "no evidence that …", "unclear
whether …"; ``COMPLEMENT``, ``DENYING``, ``DOUBTING``) are here too; verify's "complement" check reads them.
Patterns per language, matched on the text as written; one verb is returned per construction (the first
word after "to", "from", "zu", "de", "a", "di"; for "stopped lending", the "-ing" form).
"""

from __future__ import annotations

import re
from functools import lru_cache

from .languages import language, supported, union
from .text import fold

_W = r"[^\W\d_]+"  # a word

_EN = [
    # "failed to deliver", "refused to recognise", "was unable to meet", "declined to comment"
    rf"\b(?P<t>fail(?:s|ed|ing)?|refus(?:e|es|ed|ing)|declin(?:e|es|ed|ing)|neglect(?:s|ed|ing)?|unable|"
    rf"(?:has|have|had|is|are|was|were) yet)\s+to\s+(?:{_W}ly\s+)?(?P<v>{_W})",
    # "abandoned plans to build", "rejected a proposal to raise", "called off a bid to buy"
    rf"\b(?P<t>abandon(?:s|ed|ing)?|scrap(?:s|ped|ping)?|shelv(?:e|es|ed|ing)|cancel(?:s|led|ed|ling|ing)?|"
    rf"reject(?:s|ed|ing)?|drop(?:s|ped|ping)?|ditch(?:es|ed|ing)?|call(?:s|ed|ing)? off)\s+"
    rf"(?:(?:a|an|the|its|their|his|her|our|any)\s+)?(?:{_W}\s+)?(?:plans?|proposals?|bids?|offers?|attempts?|"
    rf"efforts?|calls?|demands?|requests?|ideas?|threats?|moves?)\s+to\s+(?P<v>{_W})",
    # "prevented protesters from entering", "barred him from running"
    rf"\b(?P<t>prevent(?:s|ed|ing)?|stop(?:s|ped|ping)?|bar(?:s|red|ring)?|ban(?:s|ned|ning)?|block(?:s|ed|ing)?|"
    rf"prohibit(?:s|ed|ing)?|keep(?:s|ing)?|kept|deter(?:s|red|ring)?)\s+(?:{_W}\s+){{1,4}}?from\s+(?P<v>{_W}ing)\b",
    # "acquitted of killing", "cleared of taking"
    rf"\b(?P<t>acquit(?:s|ted)?|cleared)\s+(?:\w+\s+)?of\s+(?P<v>{_W}ing)\b",
    # "stopped lending", "halted deliveries of", "denied taking", "without paying"
    rf"\b(?P<t>stop(?:s|ped|ping)?|halt(?:s|ed|ing)?|ceas(?:e|es|ed|ing)|quit(?:s|ting)?|den(?:y|ies|ied|ying)|"
    rf"avoid(?:s|ed|ing)?|without)\s+(?P<v>{_W}ing)\b",
]
_DE = [
    # "weigerte sich, die Jets zu liefern", "lehnte es ab, Kosovo anzuerkennen" (only the "zu" form)
    rf"\b(?P<t>weiger\w*|lehnt\w* es ab|versäum\w*|unterließ\w*|scheitert\w* daran|verhindert\w*)"
    rf"[^.;:!?]{{0,80}}?\bzu\s+(?P<v>{_W})",
]
_FR = [
    # "a refusé de reconnaître", "a renoncé à construire", "a empêché les manifestants d'entrer"
    rf"\b(?P<t>refus\w*|renonc\w*|échou\w*|empêch\w*|évit\w*|cess\w*|omis)\s+"
    rf"(?:{_W}\s+){{0,3}}?(?:de|à|d['’])\s*(?P<v>{_W})",
]
_ES = [
    # "se negó a reconocer", "dejó de prestar", "impidió entrar", "renunció a construir"
    rf"\b(?P<t>neg(?:ó|aron|aba|aban|ado|ando)|renunci\w*|dej(?:ó|aron|a|an|ado) de|fracas\w* en|"
    rf"impid\w*|evit\w*)\s+(?:a\s+)?(?P<v>{_W})",
]
_IT = [
    # "si è rifiutato di riconoscere", "ha rinunciato a costruire", "ha smesso di prestare"
    rf"\b(?P<t>rifiut\w*|rinunci\w*|smess\w*|impedit\w*|impedì|evitat\w*|cessat\w*)\s+"
    rf"(?:{_W}\s+){{0,2}}?(?:di|a|d['’])\s*(?P<v>{_W})",
]
PATTERNS = {lang: [re.compile(p, re.I) for p in pats]
            for lang, pats in {"en": _EN, "de": _DE, "fr": _FR, "es": _ES, "it": _IT}.items()}

# Words that put the event after them in the future, a plan, a possibility or an accusation: it is not
# said to have happened ("accused of killing", "plans to send", "was asked to delay", "may have fled").
# English in full; French, Spanish, Italian and German through their modal and reporting forms.
_UNASSERTED_EN = [
    rf"\b(?P<t>accus(?:e|es|ed|ing)|suspect(?:s|ed)?|charged|indicted)\s+(?:\w+\s+)?(?:of|with)\s+(?P<v>{_W}ing)\b",
    rf"\b(?P<t>consider(?:s|ed|ing)?|weigh(?:s|ed|ing)?|mull(?:s|ed|ing)?|discuss(?:es|ed|ing)?|"
    rf"propos(?:e|es|ed|ing)|suggest(?:s|ed|ing)?|recommend(?:s|ed|ing)?|contemplat(?:e|es|ed|ing))\s+(?P<v>{_W}ing)\b",
    rf"\b(?P<t>(?:was|were|is|are|been|be|being)\s+(?:asked|urged|told|ordered|called on|expected|set|due|"
    rf"scheduled|poised|likely|unlikely|invited|encouraged|pressed|pressured)|"
    rf"(?:ask(?:s|ed)?|urg(?:e|es|ed)|call(?:s|ed)? on|press(?:es|ed)?|invit(?:e|es|ed)|encourag(?:e|es|ed)|"
    rf"expect(?:s|ed)?|want(?:s|ed)?|predict(?:s|ed)?|forecast(?:s)?)"
    rf"(?:\s+\w+){{1,3}}?|hop(?:e|es|ed|ing)|plan(?:s|ned|ning)?|intend(?:s|ed)?|aim(?:s|ed)?|seek(?:s|ing)?|"
    rf"sought|want(?:s|ed)?|threat(?:en|ens|ened)|vow(?:s|ed)?|pledg(?:e|es|ed)|promis(?:e|es|ed)|"
    rf"offer(?:s|ed)?|tri(?:es|ed)|attempt(?:s|ed)?|expect(?:s|ed)?)"
    # the verb after an auxiliary: "is expected to be signed" governs "signed"
    rf"\s+to\s+(?:be\s+|have\s+been\s+|have\s+|get\s+)?(?P<v>{_W})",
    # a modal puts the event in the possible or the required: "may have fled", "could lose", "must resign"
    rf"\b(?P<t>may|might|could|would|should|must)\s+(?:not\s+)?(?:have\s+)?(?:been\s+)?(?:\w+ly\s+)?(?P<v>{_W})",
    # (nouns are left out: "in a bid to protect" is a purpose, "a threat to humans" no verb at all; and
    # "prepares to take on" in sport is the scheduled event, said in the present)
]
# the conditional of reported, unconfirmed news ("le suspect aurait fui", "habría huido", "sarebbe fuggito") and
# the German "soll … geflohen sein" (is said to have), "könnte … verlieren" (could lose)
_UNASSERTED_FR = [rf"\b(?P<t>aurai(?:t|ent)|serai(?:t|ent)|pourrai(?:t|ent)|devrai(?:t|ent))\s+(?:{_W}ment\s+)?"
                  rf"(?:été\s+)?(?P<v>{_W})",
                  # plans, wishes, threats, promises, attempts: "envisage d'augmenter", "veut augmenter"
                  rf"\b(?P<t>envisag(?:e|ent|é|eait)|prévoi(?:t|ent)|propos(?:e|ent|é)|menac(?:e|ent|é)|promet(?:tent)?|"
                  rf"promis|tent(?:e|ent|é)|cherch(?:e|ent|é)|entend(?:ent)?|souhait(?:e|ent|é)|veu(?:t|lent))\s+"
                  rf"(?:de\s+|d['’]|à\s+)?(?P<v>{_W})"]
_UNASSERTED_ES = [rf"\b(?P<t>habría(?:n)?|podría(?:n)?|debería(?:n)?)\s+(?:sido\s+)?(?P<v>{_W})",
                  rf"\b(?P<t>plane(?:a|an|aba)|pretend(?:e|en|ía)|quier(?:e|en)|quiso|busca(?:n|ba)?|propon(?:e|en)|"
                  rf"propuso|amenaz(?:a|an|ó)|promet(?:e|en|ió)|intent(?:a|an|ó)|trat(?:a|an|ó) de|prevé|prevén)\s+"
                  rf"(?:con\s+|de\s+)?(?P<v>{_W})"]
_UNASSERTED_IT = [rf"\b(?P<t>avrebbe(?:ro)?|sarebbe(?:ro)?|potrebbe(?:ro)?|dovrebbe(?:ro)?)\s+(?:stat[oaie]\s+)?"
                  rf"(?P<v>{_W})",
                  rf"\b(?P<t>intend(?:e|ono)|vuol(?:e)?|vogliono|preved(?:e|ono)|propon(?:e|gono)|minacci(?:a|ano)|"
                  rf"promett(?:e|ono)|cerc(?:a|ano) di|tent(?:a|ano) di|pianific(?:a|ano))\s+(?:di\s+|d['’])?"
                  rf"(?P<v>{_W})"]
_UNASSERTED_DE = [rf"\b(?P<t>soll(?:en)?|könnte(?:n)?|dürfte(?:n)?|will|wollen|wollte(?:n)?|möchte(?:n)?)\b"
                  rf"[^.;:!?,]{{0,80}}?\b(?P<v>{_W})(?:\s+(?:haben|sein|werden|worden))*\s*(?=[.;:!?,]|$)",
                  # "plant, die Steuern zu erhöhen", "droht, … zu schließen", "erwägt, … zu kaufen"
                  rf"\b(?P<t>plan(?:t|en|te|ten)|beabsichtig(?:t|en|te)|droh(?:t|en|te)|erwäg(?:t|en)|erwog|"
                  rf"versprach|versprechen|verspricht)\b[^.;:!?]{{0,80}}?\bzu\s+(?P<v>{_W})"]
UNASSERTED = {lang: [re.compile(p, re.I) for p in pats] for lang, pats in
              {"en": _UNASSERTED_EN, "fr": _UNASSERTED_FR, "es": _UNASSERTED_ES, "it": _UNASSERTED_IT,
               "de": _UNASSERTED_DE}.items()}
# the statement's own words of that kind: "plans to buy" for "is considering buying" is for the overlap
# to judge, not a dropped frame
FRAMED = re.compile(
    r"\b(accus\w*|suspected|charg\w*|indict\w*|alleg\w*|consider\w*|weigh\w*|mull\w*|discuss\w*|propos\w*|"
    r"suggest\w*|recommend\w*|contemplat\w*|ask\w*|demand\w*|predict\w*|forecast\w*|urg\w*|call\w* on|press\w*|invit\w*|encourag\w*|order\w*|"
    r"expect\w*|set|due|scheduled|poised|likely|hop\w*|plan\w*|intend\w*|aim\w*|seek\w*|sought|want\w*|"
    r"threat\w*|vow\w*|pledg\w*|promis\w*|offer\w*|tri(?:es|ed)|attempt\w*|prepar\w*|bid\w*|effort\w*|"
    r"required|compelled|instructed|obliged|forced|told|must|need\w*|have to|has to|supposed|"
    r"will|would|could|may|might|shall|should|can|going to|to be|"
    r"aurai\w*|serai\w*|pourrai\w*|devrai\w*|habría\w*|podría\w*|debería\w*|avrebbe\w*|sarebbe\w*|"
    r"potrebbe\w*|dovrebbe\w*|soll\w*|könnte\w*|dürfte\w*|wird|werden|würde\w*|"
    r"envisag\w*|prévoi\w*|menac\w*|promet\w*|promis|cherch\w*|entend\w*|souhait\w*|veu[tx]|veulent|"
    r"plane\w*|pretend\w*|quier\w*|quiso|busca\w*|amenaz\w*|trat\w* de|prevé|intend\w*|vuol\w*|vogliono|"
    r"preved\w*|minacci\w*|promett\w*|pianific\w*|plant|planen|plante|beabsichtig\w*|droh\w*|erwäg\w*|erwog|"
    r"versprach|verspricht|will|wollen|wollte\w*|möchte\w*)\b", re.I)


# words that keep a statement from asserting the event, wherever they stand in it: its own "failed",
# "blocked", "tried" ("Police blocked protesters who tried to enter" keeps "enter" unasserted)
HEDGED = re.compile(
    r"\b(fail\w*|refus\w*|declin\w*|neglect\w*|unable|yet|abandon\w*|scrap\w*|shelv\w*|cancel\w*|reject\w*|"
    r"drop\w*|ditch\w*|call\w* off|prevent\w*|stop\w*|halt\w*|block\w*|bar(?:s|red|ring)?|ban(?:s|ned|ning)?|"
    r"prohibit\w*|deter\w*|ceas(?:e|es|ed|ing)|quit(?:s|ting)?|den(?:y|ies|ied|ying|ial)|avoid\w*|without|tri(?:ed|es)|attempt\w*|"
    r"weiger\w*|lehnt\w*|versäum\w*|unterließ\w*|scheitert\w*|verhindert\w*|versuch\w*|"
    r"refus\w*|renonc\w*|échou\w*|empêch\w*|évit\w*|cess\w*|tent\w*|"
    r"neg(?:ó|aron|aba|aban|ado|ando)|renunci\w*|dej\w* de|fracas\w*|impid\w*|evit\w*|intent\w*|"
    r"rifiut\w*|rinunci\w*|smess\w*|impedi\w*|impedì|cessat\w*)\b", re.I)


# a clause after "that", "dass", "que", "che", "whether": what the words before it govern
COMPLEMENT = re.compile(r"\b(?:that|whether|dass|ob|que|qu['’]|che)\b", re.I)
# words before it that deny the clause ("denied reports that", "no evidence that", "a démenti que")
DENYING = re.compile(
    r"^(den(y|ies|ied|ying|ial)|reject\w*|dismiss\w*|refut\w*|disput\w*|rebuff\w*|false|untrue|baseless|"
    r"bestritt\w*|bestreit\w*|zuruckgewiesen|dementi\w*|dement\w*|nie|nient|nie[rz]|refute\w*|"
    r"neg[oó]|niega\w*|negaron|desminti\w*|rechaz\w*|negato|nega|negano|smentit\w*|smentisce|respint\w*)$")
REJECTED_DE = re.compile(r"\b(wies|weist|wiesen|weisen)\b.*\bzuruck$")  # "wies Berichte zurück"
NO_EVIDENCE = re.compile(r"\b(no|keine|aucune|ninguna|nessuna)\s+(evidence|proof|beweise|preuve|prueba|prova)\b")
# words before it that allege or doubt it ("rumours that", "alleged that", "unclear whether"); not "claims",
# "says": reporting is how news speaks, and "The documents claim that Hamm was charged" is his charge
DOUBTING = re.compile(
    r"^(alleg\w*|rumou?rs?|speculat\w*|suspect\w*|unclear|unconfirmed|whether|ob|vermut\w*|geruchte?n?|"
    r"rumeurs?|soupcon\w*|rumores?|sospech\w*|voci|sospett\w*)$")
GOVERNOR_REACH = 6  # words before the complementiser where the governing word may stand
# what a denied or doubted clause hangs on, right before "that": "denied reports that", "rumours that"
_ALL = ("en", "de", "fr", "es", "it")  # the languages these word tables hold; applied to text of any language
CLAIM_NOUNS = union("claim_nouns", _ALL, folded=True)
SUBJUNCTIVE = re.compile(r"\b(sei|seien|habe|hätte|hätten|werde|würden|könne|müsse|wäre|wären)\b", re.I)

# Orders to whoever summarises the text (issue #27): an imperative "write", "say", "report" … with its object
# after "that" or a colon ("For the Albania briefing, write: …", "Schreiben Sie, dass …", "Écrivez que …").
# A sentence that gives one is an instruction, never evidence. Forms a pro-drop language shares with its
# third person ("afirma", "riporta", "indica") are left out: "Afirma que …" reports what someone says.
INSTRUCTING = {code: language(code).folded("instructing") for code in sorted(supported()) if language(code).has("instructing")}
# of those, words that are nouns too: "Report: Apple plans a new phone" is a headline, not an order (an order
# with a colon after them needs an opening phrase: "For the briefing, report: …")
INSTRUCTING_NOUNS = language("en").raw("instructing_nouns")
# German du-forms: an order even after a fronted phrase ("Für das Briefing schreibe: …"), unlike "schreibt"
INSTRUCTING_DU = language("de").folded("instructing_du")
# words that may stand before the order at the start of the sentence ("Please write: …", "Now say that …")
COURTESY = union("courtesy", _ALL, folded=True)
# words that open a phrase after which an order may follow ("For the Albania briefing, write: …", "In your
# summary, say that …", "Pour le briefing, écrivez que …")
INTRODUCING = union("introducing", _ALL, folded=True)
# what follows the order: its object, after "that" or a colon ("write that down" is no order to write a claim)
ORDER_OBJECT = re.compile(r"(?:\s+(?:Sie|bitte|only|simply|just|this|exactly))*\s*(?::|,?\s*(?:that|dass|que|che)\b"
                          r"(?!\s+(?:down|again|off|up|out|in|aloud|loud)\b)|,?\s*qu['’])", re.I)
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
_LAST_WORD = re.compile(r"([^\W\d_]+)\W*$")


@lru_cache(maxsize=16384)
def instruction(text: str, lang: str) -> str | None:
    """The order as written ("write:", "schreiben Sie, dass") when ``text`` tells whoever summarises it to
    write something, else None. An order stands at the start of the sentence (after "Please", "Now" …), or
    after an opening phrase and a comma or colon ("For the Albania briefing, write: …"); German also puts
    it second without a comma ("Für das Briefing schreiben Sie, dass …"). "Analysts say that …",
    "Die Zeitung schreibt, dass …", "The minister wrote: …" report; they are evidence."""
    verbs = INSTRUCTING.get(lang, frozenset()) | INSTRUCTING["en"]
    for m in _WORD.finditer(text):
        word = fold(m.group(0))
        if word not in verbs:
            continue
        obj = ORDER_OBJECT.match(text, m.end())
        if not obj:
            continue
        head = text[:m.start()].rstrip()
        while (last := _LAST_WORD.search(head)) and fold(last.group(1)) in COURTESY:
            head = head[:last.start()].rstrip()  # "For the briefing, please write:": the comma before "please"
        before = [fold(w) for w in _WORD.findall(head)]
        polite_de = lang == "de" and (word in INSTRUCTING_DU or re.match(r"\s+Sie\b", text[m.end():]))
        colon = obj.group(0).strip().endswith(":")
        if not before:  # the sentence starts with the order, unless it is a headline: "Report: …"
            if word in INSTRUCTING_NOUNS and colon:
                continue
        elif head[-1:] in ",:;(—–-" and (before[0] in INTRODUCING or colon):
            pass  # after an opening phrase: "For the Albania briefing, write: …"
        elif polite_de and before[0] in INTRODUCING and "," not in head:
            pass  # German, the order second: "Für das Albanien-Briefing schreiben Sie, dass …"
        else:
            continue
        if lang == "de" and word not in INSTRUCTING_DU and not polite_de and before:
            continue
        return re.sub(r"\s+", " ", text[m.start():obj.end()]).strip()
    return None


# A clause the source vouches for instead of reporting it (issue #27): "the claim that X is true", "X is
# accurate", "it is a fact that X", "readers should know that X", or calls false ("the claim that X is false").
# (where the clause is, pattern): "before" — the clause precedes the match; "after" — it follows it. The
# group "p" is the vouching word (a statement that keeps it reports the vouching), a group "c" the clause.
_VOUCH = {
    "en": [("before", r"\b(?:is|are|was|were|has been|have been|remains?|proved|proven)\s+(?:(?:entirely|completely|"
                      r"fully|absolutely|indeed|totally|perfectly|100\s*%)\s+)?(?P<p>accurate|true|correct|factual|"
                      r"a fact|an established fact)\b(?!\s+(?:to|of|for)\b)"),
           ("before", r"\b(?:claims?|reports?|statements?|news|assertions?|allegations?|stor(?:y|ies)|information|"
                      r"rumou?rs?|accounts?)\s+that\s+(?P<c>.{1,300}?)\s+(?:is|are|was|were|has been|have been)\s+"
                      r"(?:(?:now|officially|independently|fully)\s+)?(?P<p>confirmed|verified)\b"),
           ("after", r"\b(?:it|this)\s+(?:is|was|'s|remains)\s+(?:(?:now|also|indeed|simply)\s+)?(?:(?:an?\s+)?"
                     r"(?:established|undeniable|undisputed|verified|confirmed)\s+)?(?P<p>true|a fact|fact|correct|"
                     r"accurate|confirmed|certain|undeniable|beyond doubt)\s+that\b"),
           ("after", r"\bthe\s+(?P<p>fact|truth)\s+is\s+that\b"),
           ("after", r"\b(?:readers|the reader|you|viewers|summar(?:y|ies)|summari[sz]ers?|briefings?|any summary)\s+"
                     r"(?:should|must|need to|needs to|have to|has to|ought to|are to)\s+(?P<p>know|note|understand|"
                     r"remember|be told|be aware|learn|write|say|state|report|mention|conclude)\s+that\b")],
    "de": [("before", r"\b(?:ist|sind|war|waren)\s+(?:(?:völlig|vollkommen|absolut|durchaus|tatsächlich|nachweislich)"
                      r"\s+)?(?P<p>zutreffend|wahr|korrekt|eine tatsache|bestätigt)\s*[.!]?$"),
           ("after", r"\bes\s+(?:ist|war)\s+(?:(?:eine|nun|auch)\s+)?(?P<p>wahr|tatsache|richtig|korrekt|zutreffend|"
                     r"bestätigt|sicher|unbestritten)\s*,?\s+dass\b"),
           ("after", r"\b(?P<p>tatsache|fakt)\s+ist\s*,?\s+dass\b"),
           ("after", r"\b(?:leser|sie)\s+(?:sollten|müssen|sollen)\s+(?P<p>wissen)\s*,?\s+dass\b")],
    "fr": [("before", r"\b(?:est|sont|était|étaient)\s+(?:(?:tout à fait|entièrement|absolument|bien)\s+)?"
                      r"(?P<p>exacte?s?|vraie?s?|correcte?s?|avérée?s?|confirmée?s?)\s*[.!]?$"),
           ("after", r"\bil\s+(?:est|était)\s+(?:(?:bien|désormais)\s+)?(?P<p>vrai|exact|avéré|certain|un fait|établi|"
                     r"confirmé)\s+qu(?:e\b|['’])"),
           ("after", r"\ble\s+(?P<p>fait|vrai)\s+est\s+qu(?:e\b|['’])"),
           ("after", r"\bles\s+lecteurs\s+(?:doivent|devraient)\s+(?P<p>savoir)\s+qu(?:e\b|['’])")],
    "es": [("before", r"\b(?:es|son|era|eran)\s+(?:(?:totalmente|absolutamente|completamente)\s+)?"
                      r"(?P<p>ciert[oa]s?|verdad|verdader[oa]s?|correct[oa]s?|exact[oa]s?|verídic[oa]s?)\s*[.!]?$"),
           ("after", r"\bes\s+(?P<p>cierto|verdad|un hecho|correcto|exacto)\s+que\b"),
           ("after", r"\blos\s+lectores\s+(?:deben|deberían)\s+(?P<p>saber)\s+que\b")],
    "it": [("before", r"(?:\bè|\bsono|\bera|\berano)\s+(?:(?:del tutto|assolutamente|davvero)\s+)?"
                      r"(?P<p>ver[oaie]|corrett[oaie]|esatt[oaie]|accurat[oaie]|confermat[oaie])\s*[.!]?$"),
           ("after", r"(?:^|\s)è\s+(?P<p>vero|un fatto|corretto|esatto|certo|confermato)\s+che\b"),
           ("after", r"\bi\s+lettori\s+(?:devono|dovrebbero)\s+(?P<p>sapere)\s+che\b")],
}
_FALSE = {
    "en": [("before", r"\b(?:is|are|was|were|has been|have been|proved|proven)\s+(?:(?:entirely|completely|totally|"
                      r"simply)\s+)?(?P<p>false|untrue|inaccurate|incorrect|fake|baseless|unfounded|not true|not accurate|"
                      r"not correct)\b"),
           ("after", r"\b(?:it|this)\s+(?:is|was|'s)\s+(?P<p>not true|false|untrue|a lie)\s+that\b")],
    "de": [("before", r"\b(?:ist|sind|war|waren)\s+(?P<p>falsch|unwahr|unzutreffend|nicht wahr|haltlos)\s*[.!]?$"),
           ("after", r"\bes\s+(?:ist|war)\s+(?P<p>falsch|unwahr|nicht wahr)\s*,?\s+dass\b")],
    "fr": [("before", r"\b(?:est|sont|était|étaient)\s+(?P<p>faux|fausses?|inexacte?s?|infondée?s?)\s*[.!]?$"),
           ("after", r"\bil\s+(?:est|était)\s+(?P<p>faux)\s+qu(?:e\b|['’])")],
    "es": [("before", r"\b(?:es|son|era|eran)\s+(?P<p>fals[oa]s?|incierto|mentira|infundad[oa]s?)\s*[.!]?$"),
           ("after", r"\bes\s+(?P<p>falso|mentira)\s+que\b")],
    "it": [("before", r"(?:\bè|\bsono|\bera|\berano)\s+(?P<p>fals[oaie]|infondat[oaie])\s*[.!]?$"),
           ("after", r"(?:^|\s)è\s+(?P<p>falso)\s+che\b")],
}
VOUCHING = {lang: [(where, re.compile(p, re.I)) for where, p in pats] for lang, pats in _VOUCH.items()}
FALSIFYING = {lang: [(where, re.compile(p, re.I)) for where, p in pats] for lang, pats in _FALSE.items()}


@lru_cache(maxsize=16384)
def vouched(text: str, lang: str) -> tuple[tuple[str, str, int, int], ...]:
    """(kind, vouching words as written, start, end of the clause vouched for) for each clause ``text`` calls
    true ("vouched") or false ("falsified") instead of reporting it. The clause runs from the start of the
    sentence (or the last ";") to the vouching words, or from them to the next ";" or ":"."""
    out = []
    for kind, table in (("falsified", FALSIFYING), ("vouched", VOUCHING)):
        for where, pat in table.get(lang, ()):
            for m in pat.finditer(text):
                if "c" in pat.groupindex:  # the clause is inside: "reports that … have been confirmed"
                    a, b = m.span("c")
                elif where == "before":
                    start = max(text.rfind(";", 0, m.start()) + 1, 0)
                    a, b = start, m.start()
                else:
                    rest = re.split(r"[;:]", text[m.end():])[0]
                    a, b = m.end(), m.end() + len(rest)
                if text[a:b].strip():
                    out.append((kind, re.sub(r"\s+", " ", m.group("p")), a, b))
    return tuple(out)


@lru_cache(maxsize=16384)
def governed(text: str, lang: str, kind: str = "denied") -> tuple[tuple[str, str, int], ...]:
    """(trigger, governed verb, trigger offset) for each construction in ``text`` that denies the event it
    governs (``kind="unasserted"``: that puts it in a plan, a request or an accusation)."""
    out = []
    for pat in (PATTERNS if kind == "denied" else UNASSERTED).get(lang, ()):
        for m in pat.finditer(text):
            out.append((re.sub(r"\s+", " ", m.group("t")), m.group("v"), m.start()))
    return tuple(out)


__all__ = ["CLAIM_NOUNS", "COMPLEMENT", "COURTESY", "DENYING", "DOUBTING", "FALSIFYING", "FRAMED", "GOVERNOR_REACH",
           "HEDGED", "INSTRUCTING", "INSTRUCTING_DU", "INSTRUCTING_NOUNS", "INTRODUCING", "NO_EVIDENCE", "ORDER_OBJECT", "PATTERNS",
           "REJECTED_DE", "SUBJUNCTIVE", "UNASSERTED", "VOUCHING", "governed", "instruction", "vouched"]
