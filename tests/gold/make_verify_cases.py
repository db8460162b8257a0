"""Generate tests/gold/verify_cases.jsonl: faithful claims about the seeds, and altered copies of them.

Run from the checkout: ``.venv/bin/python tests/gold/make_verify_cases.py``. The output is committed and
frozen (span texts are copied in), so later changes to the segmenter do not move the gold.

Each row: {"id", "label": "faithful"|"altered", "type", "claim", "language", "cite": [ids],
"spans": {id: {"text", "language"}}, "doc": seed file}. Sentence ids are "a<seed>:s<n>" (1-based).
Alterations are made by rule from the faithful claims (changed number, swapped country, wrong speaker,
invented quote, invented sentence id, negation, unsupported generalisation, stale date), plus a few
written by hand (role swaps and paraphrased fabrications) that the lexical checks are not expected to
catch reliably: they keep the benchmark honest.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from briefings.segment import split_sentences  # noqa: E402

SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
SEED_LANG = {0: "de", 1: "de", 2: "en", 3: "en", 4: "en"}

# (claim, language, citations)
FAITHFUL: list[tuple[str, str, list[str]]] = [
    # English claims about English sources
    ("Serbia has ordered 12 French-made Rafale fighter jets for $3 billion.", "en", ["a4:s26"]),
    ("Vucic says Serbia will never join NATO because of its “aggression” over Kosovo.", "en", ["a4:s29"]),
    ("Kosovo leaders said the five Turkish drones would boost their ability to defend against another possible Serbian attack.", "en", ["a4:s14"]),
    ("In 1998-1999 Serbia cracked down on Kosovo Albanian separatists, prompting a 78-day NATO air war.", "en", ["a4:s15"]),
    ("Serbia announced in 2023 that it had abandoned its plan to buy Bayraktar drones from Turkey in response to Turkey's delivery of drones to Kosovo.", "en", ["a4:s13"]),
    ("Kosovo declared independence in 2006, which Serbia does not recognize.", "en", ["a4:s13"]),
    ("The leaders of Turkey and Serbia suggested on Friday that their countries might jointly produce military drones.", "en", ["a4:s12"]),
    ("Vucic hosted Turkish President Recep Tayyip Erdogan in Belgrade on Friday.", "en", ["a4:s18", "a4:s19"]),
    ("“The Turkish military industry is significantly stronger than ours,” Vucic said at a joint news conference with Erdogan.", "en", ["a4:s19"]),
    ("Erdogan said that Serbia has certain capacities and that as friendly countries they can develop their capacities together.", "en", ["a4:s22"]),
    ("Erdogan said during his visit to Albania on Thursday that it will donate an unspecified number of Bayraktars to the country.", "en", ["a4:s24"]),
    ("Bosnia has expressed interest in the purchase of drones of the same type.", "en", ["a4:s25"]),
    ("NATO-member Romania has already incorporated Bayraktar TB2 drones into its military inventory.", "en", ["a4:s25"]),
    ("Serbia is formally seeking EU membership but has made little progress in the fields of rule of law and democratic reforms.", "en", ["a4:s30"]),
    ("Most of Serbia's neighbors are NATO and European Union members.", "en", ["a4:s28"]),
    ("Vucic said last year that the delivery of the drones to Kosovo “is neither easy nor good news for us”.", "en", ["a4:s16"]),
    ("Vucic said Serbia would seek to purchase drones somewhere else.", "en", ["a4:s16", "a4:s17"]),
    ("Concerns have been raised about how France plans to prevent Rafale technology from being shared with Russia.", "en", ["a4:s27"]),
    ("Vucic said Serbia is not interested in wars but must have enough power to deter anyone.", "en", ["a4:s19", "a4:s21"]),
    ("Albania will acquire kamikaze drones from Turkey, as announced by Prime Minister Edi Rama during a visit by Turkish President Erdogan.", "en", ["a3:s2"]),
    ("The specific type and quantity of the drones were not disclosed by government representatives.", "en", ["a3:s7"]),
    ("Construction of the mosque began in 2015 with investments exceeding €30 million from the Turkish Diyanet.", "en", ["a3:s11"]),
    ("Erdogan is aiming to double bilateral trade between Turkey and Albania to €2 billion.", "en", ["a3:s12"]),
    ("Erdogan labelled the situation in Gaza a “genocide” and asserted the necessity of an immediate ceasefire.", "en", ["a3:s13"]),
    ("Rama emphasized that the acquisition of the drones does not indicate intent to engage in aggression towards any nation.", "en", ["a3:s8"]),
    ("Albania is a NATO member and has previously acquired Turkish Bayraktar reconnaissance and attack drones.", "en", ["a3:s9"]),
    ("The Namazgah mosque features 50-meter-high minarets, making it one of the largest mosques in the Balkans.", "en", ["a3:s10"]),
    ("Rama stated that the drones come as “a strong message from the Republic of Turkey that Albania is unhittable”.", "en", ["a3:s5"]),
    ("Turkey and Albania affirmed their commitment to enhance cooperation in agriculture and education.", "en", ["a3:s12"]),
    ("Serbia had initially planned to purchase Bayraktar drones from Turkey but abandoned the plan after Turkey delivered drones to Kosovo.", "en", ["a2:s2"]),
    ("The delivery of drones to Kosovo sparked anger in the Serbian capital.", "en", ["a2:s3"]),
    ("Erdogan's visit to Albania included a donation of Bayraktar drones.", "en", ["a2:s9"]),
    ("Serbia has been strengthening its armed forces with purchases of sophisticated hardware including French-made Rafale fighter jets.", "en", ["a2:s10"]),
    ("Concerns have been raised about potential sharing of technology with Russia, as Serbia maintains a close relationship with it.", "en", ["a2:s12"]),
    ("Erdogan and Vucic met in Belgrade.", "en", ["a2:s19"]),
    ("Turkish President Recep Tayyip Erdogan emphasized the benefits of cooperation, stating that both countries have capacities that can be developed together.", "en", ["a2:s7"]),
    ("Vucic expressed interest in cooperation with Turkey in the military industry, acknowledging Turkey's stronger capabilities.", "en", ["a2:s4"]),
    ("Kamikaze drones cruise toward their targets before descending at high speed to detonate upon impact.", "en", ["a3:s6"]),
    ("Rama cautioned against using violence to achieve goals, saying entities such as Hamas have no place in the pursuit of lasting peace.", "en", ["a3:s14"]),
    ("Albania, alongside Turkey, is a NATO member and has previously acquired Turkish Bayraktar reconnaissance and attack drones.", "en", ["a3:s9"]),
    ("Vucic says Serbia will never join NATO because of its “aggression” over Kosovo.", "en", ["a4:s29", "a4:s28"]),
    ("Kosovo leaders said that the five Turkish drones would boost their ability to defend against another possible Serbian attack.", "en", ["a4:s14"]),
    ("Serbia ordered 12 Rafale fighter jets this summer for $3 billion.", "en", ["a4:s26"]),
    ("Erdogan said some people will not like the cooperation, but that as leaders they should make these decisions sovereignly.", "en", ["a4:s22", "a4:s23"]),
    ("The Namazgah mosque was inaugurated during Erdogan's visit to Tirana.", "en", ["a3:s10"]),
    ("Erdogan condemned the actions of Israel in the conflict with Hamas in Gaza.", "en", ["a3:s13"]),
    ("Serbia does not recognize Kosovo as an independent state.", "en", ["a2:s2"]),
    ("Turkey and Serbia discussed the potential for joint production of military drones despite previous tensions.", "en", ["a2:s1"]),
    ("Serbian President Aleksandar Vucic said last year that the delivery of the drones to Kosovo would affect Serbia's relations with Turkey.", "en", ["a4:s16"]),
    ("The mosque is a Turkish-funded project in Tirana.", "en", ["a3:s10"]),
    # looser paraphrases, as a model would write them: lexical overlap alone should give "partial" at worst
    ("Serbia dropped plans to buy Turkish Bayraktar drones after Ankara supplied drones to Kosovo.", "en", ["a4:s13"]),
    ("Vucic ruled out NATO membership for Serbia, citing the alliance's aggression over Kosovo.", "en", ["a4:s29"]),
    ("Turkey is to give Albania kamikaze drones, Rama announced.", "en", ["a3:s2"]),
    ("Serbia's 12 Rafale jets cost $3 billion.", "en", ["a4:s26"]),
    ("Romania already operates Bayraktar TB2 drones.", "en", ["a4:s25"]),
    ("Kosovo received five drones from Turkey.", "en", ["a4:s14"]),
    ("Investment in the Tirana mosque exceeded €30 million.", "en", ["a3:s10", "a3:s11"]),
    ("Erdogan wants trade between Turkey and Albania to double to €2 billion.", "en", ["a3:s12"]),
    ("Serbia's bid to join the EU has made little progress because of concerns about the rule of law.", "en", ["a4:s30"]),
    ("Belgrade was angered by a Turkish drone shipment to Kosovo.", "en", ["a4:s12"]),
    ("Vucic acknowledged that Turkey's military industry is stronger than Serbia's but said he sees room for great cooperation.", "en", ["a4:s19", "a4:s20"]),
    ("Erdogan and Vucic held a joint news conference in Belgrade.", "en", ["a4:s18", "a4:s19"]),
    ("There are concerns that Rafale technology could be shared with Russia.", "en", ["a4:s27"]),
    ("Rama sought to reassure that the drones are defensive rather than offensive.", "en", ["a3:s19"]),
    ("Serbia has abandoned its plan to buy Bayraktars from Turkey.", "en", ["a4:s13"]),
    ("Erdogan called for an immediate ceasefire in Gaza to allow humanitarian assistance.", "en", ["a3:s13"]),
    # English claims about German sources (cross-lingual)
    ("Albania announced on Tuesday a contract with Türkiye to buy Bayraktar attack drones.", "en", ["a0:s1"]),
    ("Fikrim Damka, minister for regional development, told the Turkish agency Anadolu that unmanned combat aircraft were also on Kosovo's agenda.", "en", ["a0:s1", "a0:s2"]),
    ("Kosovo declared independence in 2008 with the support of NATO.", "en", ["a0:s4"]),
    ("Albanian Prime Minister Edi Rama said he had signed a contract with the Turkish company Baykar Makina for a fleet of drones.", "en", ["a0:s5"]),
    ("Serbian President Aleksandar Vucic called the news “not good” (translated) and said it would harm Belgrade's relations with Ankara.", "en", ["a0:s6"]),
    ("Azerbaijan used Bayraktar TB2 drones against Armenia in the 2020 Nagorno-Karabakh conflict.", "en", ["a0:s7"]),
    ("Vucic was due to meet Azerbaijani President Ilham Aliyev during the two-day trip.", "en", ["a0:s7", "a0:s8"]),
    ("Vucic told reporters that Serbia had already acquired a “considerable number” (translated) of drones.", "en", ["a0:s9"]),
    ("Selcuk, the brother of CEO Haluk Bayraktar, is the company's chief technology officer and Erdogan's son-in-law.", "en", ["a0:s12"]),
    ("Despite Türkiye's official neutrality in the conflict with Russia, Baykar also sold Bayraktar drones to Ukraine.", "en", ["a0:s13"]),
    ("Turkish missiles and drones are available to Azerbaijan, the head of the Turkish defence industry agency said.", "en", ["a1:s1"]),
    ("Ismail Demir said Turkey and Azerbaijan are discussing industrial cooperation in defence.", "en", ["a1:s2"]),
    ("On July 12, 2020, heavy fighting broke out again on the border between Armenia and Azerbaijan.", "en", ["a1:s7"]),
    ("Twelve Azerbaijani and five Armenian soldiers were killed in the clashes.", "en", ["a1:s9"]),
    ("A 76-year-old Azerbaijani was killed in the Armenian attacks.", "en", ["a1:s11"]),
    ("Azerbaijan accused Armenia of “provocative actions” (translated).", "en", ["a1:s12"]),
    ("Libya's President al-Sarraj can rely on Bayraktar TB2 drones after an agreement with Turkish President Erdogan.", "en", ["a1:s15"]),
    ("The fighting had been dormant since April 2016.", "en", ["a1:s7"]),
    ("Demir said the two countries would cooperate on modernising existing systems as well as maintenance and training.", "en", ["a1:s5"]),
    ("Türkiye supplied Azerbaijan with a considerable number of TB2 drones from Baykar Makina.", "en", ["a0:s11"]),
    ("In a prank call in October, a Ukrainian official described the drones as primarily a PR project.", "en", ["a0:s14"]),
    ("An official said Kosovo was also negotiating with Ankara over the same type of UAV.", "en", ["a0:s1"]),
    ("The government of al-Sarraj concluded a pact with Turkey in November.", "en", ["a1:s18"]),
    # German claims about German sources
    ("Im Zuge der Gefechte sind zwölf aserbaidschanische und fünf armenische Soldaten ums Leben gekommen.", "de", ["a1:s9"]),
    ("Am 12. Juli 2020 brachen an der Grenze zwischen Armenien und Aserbaidschan schwere Kämpfe aus.", "de", ["a1:s7"]),
    ("Die Türkei und Aserbaidschan besprechen eine industrielle Zusammenarbeit im Bereich der Verteidigung, sagte Ismail Demir.", "de", ["a1:s2"]),
    ("Vucic sagte, Serbien habe bereits eine „erhebliche Anzahl“ von Drohnen erworben.", "de", ["a0:s9"]),
    ("Kosovo erklärte 2008 mit Unterstützung der NATO seine Unabhängigkeit.", "de", ["a0:s4"]),
    ("Baykar hat trotz der offiziellen Neutralität der Türkei auch Bayraktar-Drohnen an die Ukraine verkauft.", "de", ["a0:s13"]),
    ("Ein 76-jähriger Aserbaidschaner kam bei den Angriffen Armeniens ums Leben.", "de", ["a1:s11"]),
    ("Laut der Fachzeitschrift Israel Defense ist die Bayraktar TB2 eine der besten Drohnen ihrer Klasse.", "de", ["a1:s16"]),
    ("Edi Rama hat mit der türkischen Firma Baykar Makina einen Vertrag über eine „Flotte“ von Drohnen unterzeichnet.", "de", ["a0:s5"]),
    ("Die Regierung von al-Sarradsch schloss im November einen Pakt mit der Türkei.", "de", ["a1:s18"]),
    ("Vucic besuchte Aserbaidschan, das Bayraktar-Drohnen im Berg-Karabach-Konflikt 2020 gegen Armenien eingesetzt hatte.", "de", ["a0:s7"]),
    ("Die Kämpfe hatten seit April 2016 geruht.", "de", ["a1:s7"]),
    # direction kept ("from Turkey", "to Kosovo"): the reversed-direction check must let these through
    ("Albania is set to receive kamikaze drones from Turkey, Prime Minister Edi Rama announced.", "en", ["a3:s4"]),
    ("Serbia abandoned its plan to buy Bayraktar drones from Turkey after Turkey delivered drones to Kosovo.", "en", ["a2:s2"]),
    ("Erdogan's visit to Albania included a donation of Bayraktar drones to the country.", "en", ["a2:s9"]),
    ("Belgrade was angered by the delivery of drones to Kosovo.", "en", ["a2:s3"]),
]

# hand-written alterations the rule generator cannot make (type, claim, language, citations)
HANDMADE: list[tuple[str, str, str, list[str]]] = [
    ("wrong_speaker", "“The Turkish military industry is significantly stronger than ours,” Erdogan said at a joint news conference with Vucic.", "en", ["a4:s19"]),
    ("wrong_speaker", "Vucic said: “Serbia has certain capacities, we have certain capacities and as friendly countries we can develop our capacities together.”", "en", ["a4:s22"]),
    ("wrong_speaker", "Erdogan stated that the drones come as “a strong message from the Republic of Turkey that Albania is unhittable”.", "en", ["a3:s5"]),
    ("wrong_speaker", "Kerem Mustafayev said Turkey and Azerbaijan are discussing industrial cooperation in defence.", "en", ["a1:s2", "a1:s3"]),
    ("invented_quote", "Vucic said the delivery of the drones to Kosovo was “a stab in the back”.", "en", ["a4:s16"]),
    ("invented_quote", "Rama said the drones were “a gift from our brothers in Ankara”.", "en", ["a3:s5"]),
    ("invented_quote", "Vucic said the news was “a betrayal”.", "en", ["a0:s6"]),
    ("negation", "Serbia recognizes Kosovo as an independent state.", "en", ["a2:s2"]),
    ("negation", "Rama emphasized that the acquisition of the drones indicates intent to engage in aggression.", "en", ["a3:s8"]),
    ("negation", "Details regarding the type and quantity of drones were disclosed by government representatives.", "en", ["a3:s7"]),
    ("negation", "Vucic says Serbia will join NATO despite its aggression over Kosovo.", "en", ["a4:s29"]),
    ("generalisation", "All of Serbia's neighbors are NATO and European Union members.", "en", ["a4:s28"]),
    ("generalisation", "Every Balkan country has bought Bayraktar drones.", "en", ["a4:s25"]),
    ("generalisation", "Turkey has always supplied Azerbaijan with drones.", "en", ["a0:s11"]),
    ("stale_date", "The leaders of Turkey and Serbia suggested on Monday that their countries might jointly produce military drones.", "en", ["a4:s12"]),
    ("stale_date", "On June 12, 2020, heavy fighting broke out again on the border between Armenia and Azerbaijan.", "en", ["a1:s7"]),
    ("stale_date", "Serbia announced in 2021 that it had abandoned its plan to buy Bayraktar drones.", "en", ["a4:s13"]),
    ("changed_number", "Serbia has ordered 24 French-made Rafale fighter jets for $3 billion.", "en", ["a4:s26"]),
    ("changed_number", "Serbia has ordered 12 French-made Rafale fighter jets for $3 million.", "en", ["a4:s26"]),
    ("changed_number", "Serbia has ordered 12 French-made Rafale fighter jets for €3 billion.", "en", ["a4:s26"]),
    ("changed_number", "Thirteen Azerbaijani and five Armenian soldiers were killed in the clashes.", "en", ["a1:s9"]),
    ("swapped_country", "Serbia has ordered 12 German-made Rafale fighter jets for $3 billion.", "en", ["a4:s26"]),
    ("swapped_country", "Greece will acquire kamikaze drones from Turkey, as announced by Prime Minister Edi Rama.", "en", ["a3:s2"]),
    ("invented_id", "Serbia has ordered 12 French-made Rafale fighter jets for $3 billion.", "en", ["a4:s26", "a4:s99"]),
    ("invented_id", "Kosovo declared independence in 2008 with the support of NATO.", "en", ["zz9f:s4"]),
    # fabrications that keep every name and number: lexical overlap must keep them from "supported"
    ("fabrication", "Serbia and Turkey signed a contract for the joint production of Bayraktar drones in Belgrade.", "en", ["a4:s18"]),
    ("fabrication", "Albania will pay for the kamikaze drones from Turkey with loans from NATO.", "en", ["a3:s2"]),
    ("fabrication", "Erdogan threatened Serbia with sanctions over its close relationship with Russia.", "en", ["a2:s12"]),
    ("fabrication", "Vucic said Serbia would buy Bayraktar drones from Turkey next year.", "en", ["a4:s16", "a4:s17"]),
    ("fabrication", "Erdogan promised Serbia a share of Bayraktar drone production.", "en", ["a4:s22"]),
    ("fabrication", "Turkey has donated Bayraktar drones to Serbia.", "en", ["a4:s24"]),
    ("fabrication", "Albania paid €30 million for the kamikaze drones.", "en", ["a3:s2"]),
    ("fabrication", "The drones delivered to Kosovo were paid for by the European Union.", "en", ["a4:s12"]),
    ("fabrication", "Serbia plans to build Rafale fighter jets jointly with France.", "en", ["a4:s26"]),
    ("fabrication", "Kosovo leaders said the drones would be used to attack Serbia.", "en", ["a4:s14"]),
    ("fabrication", "Rama said the drones were bought to deter Serbia.", "en", ["a3:s5"]),
    # role swaps: same words, reversed relation ("from Albania" where the source says "from Turkey")
    ("role_swap", "Kosovo delivered drones to Turkey, which sparked anger in the Serbian capital.", "en", ["a2:s3", "a2:s2"]),
    ("role_swap", "Turkey will acquire kamikaze drones from Albania, as announced by Prime Minister Edi Rama.", "en", ["a3:s2"]),
    ("role_swap", "Turkey is set to receive a significant number of kamikaze drones from Albania.", "en", ["a3:s4"]),
    ("role_swap", "Turkey had initially planned to purchase Bayraktar drones from Serbia.", "en", ["a2:s2"]),
    ("role_swap", "The donation of Bayraktar drones to Turkey highlights Albania's efforts to enhance security in the Balkan region.", "en", ["a2:s17"]),
    ("role_swap", "Kosovo's delivery of drones to Turkey sparked anger in the Serbian capital.", "en", ["a2:s3", "a2:s2"]),
    ("role_swap", "Trotz der Neutralität im Konflikt mit der Ukraine hatte Baykar auch Bayraktar-Drohnen an Russland verkauft.", "de", ["a0:s13"]),
]

NUM_WORDS = {"five": "seven", "twelve": "fifteen", "Twelve": "Fifteen", "zwölf": "fünfzehn", "fünf": "sieben", "two": "three"}
COUNTRY_SWAP = {
    "Turkey": "Greece", "Türkiye": "Greece", "Serbia": "Croatia", "Albania": "Bulgaria", "Kosovo": "Montenegro",
    "Azerbaijan": "Georgia", "Armenia": "Iran", "Russia": "China", "Ukraine": "Poland", "Bosnia": "Hungary",
    "Romania": "Moldova", "France": "Italy", "Israel": "Egypt", "Libya": "Tunisia",
    "Türkei": "Griechenland", "Serbien": "Kroatien", "Aserbaidschan": "Georgien", "Armenien": "Iran",
    "Ukraine_de": "Polen",
    "Turkish": "Greek", "Serbian": "Croatian", "Albanian": "Bulgarian", "Azerbaijani": "Georgian", "French": "German",
}
PEOPLE = ["Vucic", "Erdogan", "Rama", "Demir", "Damka", "Aliyev", "Haftar"]
WEEKDAY_SWAP = {"Friday": "Monday", "Thursday": "Wednesday", "Tuesday": "Sunday", "July": "June", "Juli": "Juni",
                "October": "September", "November": "December", "April": "March"}
AUX_EN = r"\b(is|are|was|were|will|would|has|have|had|can|must)\b"
AUX_DE = r"\b(ist|sind|war|waren|hat|haben|hatte|hatten|habe|kann)\b"


def alter_number(c: str, lang: str) -> str | None:
    m = re.search(r"(?<![\w.])(\d+)(?![\d])", c)
    if m and not re.match(r"(19|20)\d\d$", m.group(1)):
        return c[:m.start()] + str(int(m.group(1)) + 3) + c[m.end():]
    for w, r in NUM_WORDS.items():
        if re.search(rf"\b{w}\b", c):
            return re.sub(rf"\b{w}\b", r, c, count=1)
    if m:  # only a year: move it
        return c[:m.start()] + str(int(m.group(1)) + 2) + c[m.end():]
    return None


def alter_country(c: str, lang: str) -> str | None:
    for w, r in COUNTRY_SWAP.items():
        w = w.split("_")[0]
        if re.search(rf"\b{w}\b", c):
            return re.sub(rf"\b{w}\b", r, c, count=1)
    return None


def alter_speaker(c: str, lang: str) -> str | None:
    for p in PEOPLE:
        if re.search(rf"\b{p}\b", c):
            other = next(q for q in PEOPLE if q != p and not re.search(rf"\b{q}\b", c))
            return re.sub(rf"\b{p}\b", other, c, count=1)
    return None


def alter_quote(c: str, lang: str) -> str | None:
    m = re.search(r"([“„])([^”“]+)([”“])", c)
    if m:
        words = m.group(2).split()
        words[len(words) // 2] = "completely" if lang == "en" else "völlig"
        return c[:m.start()] + m.group(1) + " ".join(words) + m.group(3) + c[m.end():]
    if lang == "en":
        return c.rstrip(".") + ", calling it “a historic turning point”."
    return c.rstrip(".") + ", und nannte es „einen historischen Wendepunkt“."


def alter_negation(c: str, lang: str) -> str | None:
    if lang == "en":
        if re.search(r"\b(not|never)\b", c):
            return re.sub(r"\s*\b(not|never)\b", "", c, count=1)
        if re.search(AUX_EN, c):
            return re.sub(AUX_EN, r"\1 not", c, count=1)
        return None
    if re.search(r"\bnicht\b", c):
        return re.sub(r"\s*\bnicht\b", "", c, count=1)
    if re.search(AUX_DE, c):
        return re.sub(AUX_DE, r"\1 nicht", c, count=1)
    return None


def alter_generalisation(c: str, lang: str) -> str | None:
    aux = AUX_EN if lang == "en" else AUX_DE
    word = "always" if lang == "en" else "immer"
    if re.search(aux, c):
        return re.sub(aux, rf"\1 {word}", c, count=1)
    if lang == "en" and re.search(r"\bthe\b", c):
        return re.sub(r"\bthe\b", "all the", c, count=1)
    return None


def alter_date(c: str, lang: str) -> str | None:
    for w, r in WEEKDAY_SWAP.items():
        if re.search(rf"\b{w}\b", c):
            return re.sub(rf"\b{w}\b", r, c, count=1)
    m = re.search(r"\b(19|20)\d\d\b", c)
    if m:
        return c[:m.start()] + str(int(m.group(0)) - 1) + c[m.end():]
    return None


RULES = [
    ("changed_number", alter_number), ("swapped_country", alter_country), ("wrong_speaker", alter_speaker),
    ("invented_quote", alter_quote), ("negation", alter_negation), ("generalisation", alter_generalisation),
    ("stale_date", alter_date),
]


def load_spans() -> dict[str, dict]:
    spans = {}
    for i, path in enumerate(SEEDS):
        text = path.read_text(encoding="utf-8")
        for n, (a, b) in enumerate(split_sentences(text, SEED_LANG[i]), 1):
            spans[f"a{i}:s{n}"] = {"text": text[a:b], "language": SEED_LANG[i], "doc": path.name}
    return spans


def main() -> None:
    spans = load_spans()
    rows = []

    def add(label: str, kind: str, claim: str, lang: str, cite: list[str]) -> None:
        real = [c for c in cite if c in spans]
        doc = spans[real[0]]["doc"] if real else None
        rows.append({
            "id": f"v{len(rows) + 1:03d}", "label": label, "type": kind, "claim": claim, "language": lang,
            "cite": cite, "spans": {c: {"text": spans[c]["text"], "language": spans[c]["language"]} for c in real},
            "doc": doc,
        })

    for claim, lang, cite in FAITHFUL:
        add("faithful", "faithful" if lang == spans[cite[0]]["language"] else "faithful_crosslingual", claim, lang, cite)
    # rule-made alterations: rotate through the rules so every type gets a share of the claims
    for k, (claim, lang, cite) in enumerate(FAITHFUL):
        made = 0
        for j in range(len(RULES)):
            kind, rule = RULES[(k + j) % len(RULES)]
            altered = rule(claim, lang)
            if altered and altered != claim:
                add("altered", kind, altered, lang, cite)
                made += 1
                if made == 2:
                    break
        if k % 6 == 0:  # an invented id instead of the real citation
            add("altered", "invented_id", claim, lang, [f"{cite[0].split(':')[0]}x:s{40 + k}"])
    for kind, claim, lang, cite in HANDMADE:
        add("altered", kind, claim, lang, cite)
    out = Path(__file__).with_name("verify_cases.jsonl")
    out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    counts: dict[str, int] = {}
    for r in rows:
        counts[r["type"]] = counts.get(r["type"], 0) + 1
    print(f"{len(rows)} cases -> {out}: {counts}")


if __name__ == "__main__":
    main()
