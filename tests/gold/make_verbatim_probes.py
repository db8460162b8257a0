"""Generate tests/gold/verbatim_probes.jsonl: edited copies of the seeds' real sentences (issue #16).

Run from the checkout: ``.venv/bin/python tests/gold/make_verbatim_probes.py``. The output is committed;
it carries each cited sentence's text, and ``tests/test_verbatim_probes.py`` checks that the ingested
seeds still have those texts under those ids (so the pipeline test can cite them for real).

Each row: {"id", "label": "fabrication"|"faithful", "family", "claim", "language", "cite": [sentence ids
as printed by ``briefings ingest --json``], "spans": {id: {"text", "language"}}}. None of these claims is
in tests/gold/verify_cases.jsonl: these are the attacker's probes (one-word edits of long cited
sentences, tense, modality, quantifiers, antonyms, speakers, titles, direction, citation floods and
two-span merges), in English and German, and the faithful rewrites a careful writer makes.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

OUT = Path(__file__).resolve().parent / "verbatim_probes.jsonl"

F, OK = "fabrication", "faithful"
# (family, label, language, claim, [(seed number, sentence number), ...]); sentence numbers are the
# store's (``briefings show``), 1-based.
PROBES: list[tuple[str, str, str, str, list[tuple[int, int]]]] = [
    # --- antonyms and changed content words in an otherwise verbatim copy
    ("antonym", F, "en", "While Serbia had initially planned the purchase Bayraktar military drones from Turkey, it announced in 2023 that it had completed the plan in response to Turkey’s delivery of drones to Kosovo.", [(4, 3)]),
    ("antonym", F, "en", "On regional matters, President Erdogan praised the actions of Israel in the ongoing conflict with Hamas in Gaza.", [(3, 12)]),
    ("antonym", F, "en", "Serbia is formally seeking EU membership, but under Vucic’s increasingly democratic rule it has made little progress in the fields of rule of law and democratic reforms.", [(4, 20)]),
    ("antonym", F, "en", "However, the populist Serbian leader appeared to have changed his tune on Friday when he visited Turkish President Recep Tayyip Erdogan in Belgrade.", [(4, 8)]),
    ("antonym", F, "en", "Erdogan’s visit to Albania included a sale of Bayraktar drones to the country.", [(2, 9)]),
    ("antonym", F, "en", "Serbia’s stance on NATO membership is softening, citing past aggression over Kosovo.", [(2, 13)]),
    ("antonym", F, "en", "While Serbia is formally seeking EU membership, progress has been rapid under Vucic’s rule.", [(2, 14)]),
    ("antonym", F, "en", "Prime Minister Rama also advocated for an escalation of hostilities but cautioned against using violence to achieve goals.", [(3, 13)]),
    ("antonym", F, "en", "The mosque’s construction was completed in 2015 with investments exceeding €30 million from the Turkish Diyanet.", [(3, 10)]),
    ("antonym", F, "en", "“The Turkish military industry is significantly weaker than ours,” Vucic said at a joint news conference with Erdogan.", [(4, 9)]),
    ("antonym", F, "en", "Serbia had initially planned to purchase Bayraktar drones from Turkey, but expanded the plan in response to Turkey’s delivery of drones to Kosovo.", [(2, 2)]),
    ("antonym", F, "de", "Damkas Erklärung kommt, nachdem der albanische Premierminister Edi Rama bekannt gegeben hatte, dass er mit der türkischen Firma Baykar Makina einen Vertrag über eine „Flotte“ von Drohnen gekündigt habe.", [(0, 5)]),
    ("antonym", F, "de", "Am 12. Juli 2020 sind an der Staatsgrenze zwischen Armenien und Aserbaidschan wieder leichte Kämpfe ausgebrochen, die seit April 2016 geruht haben.", [(1, 7)]),
    ("antonym", F, "de", "Laut der israelischen Fachzeitschrift Israel Defense sei die Bayraktar TB2 eine der schlechtesten Drohnen weltweit ihrer Klasse.", [(1, 16)]),
    ("antonym", F, "de", "Vucic sagte Reportern, Serbien habe bereits eine geringe Anzahl von Drohnen erworben.", [(0, 9)]),
    # --- negation dropped or added
    ("negation", F, "en", "Turkey delivered drones to Kosovo, a former Serbian province which in 2006 declared independence which Serbia recognizes.", [(4, 3)]),
    ("negation", F, "en", "President Vucic stated that Serbia is interested in wars, but must have enough power to deter any potential threats.", [(2, 5)]),
    ("negation", F, "en", "Details regarding the specific type and quantity of drones were disclosed by government representatives.", [(3, 6)]),
    ("negation", F, "en", "Rama emphasized that the acquisition of these drones does indicate intent to engage in aggression towards any nation.", [(3, 7)]),
    ("negation", F, "de", "Der serbische Präsident Aleksandar Vucic kommentierte Damkas Behauptungen mit den Worten, die Nachrichten seien gut und würden die Beziehungen Belgrads zu Ankara nicht beeinträchtigen.", [(0, 6)]),
    ("negation", F, "de", "Ankara lieferte türkische Kampfdrohnen, gegen die von Russland produzierten und von den VAE finanzierten Flugabwehrsysteme Pantsir-S1 sich als sehr effektiv erwiesen.", [(1, 19)]),
    ("negation", F, "de", "Das Kriegsgeschehen hat sich auch in Libyen mit dem Einsatz türkischer Drohnen nicht verändert.", [(1, 14)]),
    # --- names and countries swapped in place
    ("name", F, "en", "Serbian leaders said that the five Turkish drones would boost their ability to defend against another possible Serbian attack.", [(4, 4)]),
    ("name", F, "en", "Serbia has recently been strengthening its armed forces with sophisticated hardware, including an order placed this summer for 12 German-made Rafale fighter jets for $3 billion.", [(4, 16)]),
    ("name", F, "en", "Another Serbian neighbor Montenegro has expressed interest in the purchase of the drones of the same type.", [(4, 15)]),
    ("name", F, "de", "Trotz internationaler Aufrufe zur Zurückhaltung eröffneten aserbaidschanische Truppen auch das Feuer auf Wohngebiete in den Dörfern Agdam und Dondar Kuscu.", [(1, 10)]),
    ("name", F, "de", "Türkiye hatte Armenien mit einer beträchtlichen Anzahl von TB2-Drohnen von Baykar Makina versorgt, wodurch das Unternehmen weltweit ins Rampenlicht rückte.", [(0, 11)]),
    # --- numbers, number words and quantifiers
    ("number", F, "en", "Kosovo leaders said that the several Turkish drones would boost their ability to defend against another possible Serbian attack.", [(4, 4)]),
    ("number", F, "en", "Kosovo leaders said that hundreds of Turkish drones would boost their ability to defend against another possible Serbian attack.", [(4, 4)]),
    ("number", F, "en", "Kosovo leaders said that the fifteen Turkish drones would boost their ability to defend against another possible Serbian attack.", [(4, 4)]),
    ("number", F, "en", "During diplomatic discussions, Turkey and Albania affirmed their commitment to enhance cooperation in agriculture and education, with Erdogan aiming to triple their bilateral trade to €2 billion.", [(3, 11)]),
    ("number", F, "en", "The mosque’s construction began in 2015 with investments of less than €30 million from the Turkish Diyanet.", [(3, 10)]),
    ("number", F, "de", "Im Zuge dieser Gefechte sind bereits fünfzehn aserbaidschanische und fünf armenische Angehörige des Militärs ums Leben gekommen.", [(1, 9)]),
    ("number", F, "de", "Im Zuge dieser Gefechte sind bereits mehrere aserbaidschanische und fünf armenische Angehörige des Militärs ums Leben gekommen.", [(1, 9)]),
    ("quantifier", F, "en", "Few of Serbia's neighbors are NATO and European Union members.", [(4, 18)]),
    ("quantifier", F, "en", "All of Serbia's neighbors are NATO members.", [(4, 18)]),
    ("quantifier", F, "en", "None of Serbia's neighbors are NATO and European Union members.", [(4, 18)]),
    ("quantifier", F, "de", "Laut der israelischen Fachzeitschrift Israel Defense sei die Bayraktar TB2 die beste Drohne weltweit ihrer Klasse.", [(1, 16)]),
    # --- modality and tense
    ("modality", F, "en", "The leaders of Turkey and Serbia suggested Friday that their countries will jointly produce military drones.", [(4, 2)]),
    ("modality", F, "en", "The leaders of Turkey and Serbia suggested Friday that their countries must jointly produce military drones.", [(4, 2)]),
    ("modality", F, "en", "Serbian President Aleksandar Vucic said last year that the delivery of the drones to Kosovo “is neither easy nor good news for us” and that it has affected relations with Turkey.", [(4, 6)]),
    ("modality", F, "de", "Neben der Einführung neuer Systeme in die aserbaidschanische Armee könnten die beiden Länder bei der Modernisierung bestehender Systeme zusammenarbeiten.", [(1, 5)]),
    ("tense", F, "en", "During his visit to friendly Albania on Thursday, Erdogan said it has donated an unspecified number of Bayraktars to the Balkan country.", [(4, 14)]),
    ("tense", F, "en", "Albania has acquired kamikaze drones from Turkey as announced by Prime Minister Edi Rama during a visit from Turkish President Erdogan.", [(3, 1)]),
    ("tense", F, "en", "He said that Serbia had purchased drones somewhere else.", [(4, 7)]),
    ("tense", F, "de", "Vucic sagte Reportern, Serbien werde bald eine „erhebliche Anzahl“ von Drohnen erwerben.", [(0, 9)]),
    # --- dates
    ("date", F, "en", "Serbia has recently been strengthening its armed forces with sophisticated hardware, including an order placed last winter for 12 French-made Rafale fighter jets for $3 billion.", [(4, 16)]),
    ("date", F, "en", "During his visit to friendly Albania on Monday, Erdogan said it will donate an unspecified number of Bayraktars to the Balkan country.", [(4, 14)]),
    ("date", F, "de", "Doch dann schloss die Regierung von al-Sarradsch im Dezember einen Pakt mit der Türkei.", [(1, 18)]),
    ("date", F, "de", "Am 12. Juni 2020 sind an der Staatsgrenze zwischen Armenien und Aserbaidschan wieder schwere Kämpfe ausgebrochen.", [(1, 7)]),
    # --- qualifiers dropped
    ("qualifier", F, "en", "The leaders of Turkey and Serbia suggested Friday that their countries jointly produce military drones.", [(4, 2)]),
    ("qualifier", F, "en", "Kosovo leaders said that the five Turkish drones would boost their ability to defend against another Serbian attack.", [(4, 4)]),
    ("qualifier", F, "en", "Concerns have been raised about the sharing of technology with Russia, as Serbia maintains a close relationship with the country.", [(2, 12)]),
    ("qualifier", F, "en", "Serbia has secretly been strengthening its armed forces with sophisticated hardware, including an order placed this summer for 12 French-made Rafale fighter jets for $3 billion.", [(4, 16)]),
    # --- speakers and titles
    ("speaker", F, "en", "“The Turkish military industry is significantly stronger than ours,” Erdogan said at the joint news conference.", [(4, 9)]),
    ("speaker", F, "en", "Erdogan said “we are not interested in wars, but we must have enough power to deter anyone.”", [(4, 11)]),
    ("speaker", F, "en", "President Erdogan stated that Serbia is not interested in wars, but must have enough power to deter any potential threats.", [(2, 5)]),
    ("speaker", F, "en", "President Erdogan stated, “It is a present that comes as a strong message from the Republic of Turkey that Albania is unhittable.”", [(3, 4)]),
    ("speaker", F, "de", "Erdogan sagte Reportern, Serbien habe bereits eine „erhebliche Anzahl“ von Drohnen erworben.", [(0, 9)]),
    ("speaker", F, "de", "„Das Problem von unbemannten Kampfflugzeugen steht ebenfalls auf unserer Tagesordnung“, sagte Edi Rama gegenüber der türkischen Agentur Anadolu.", [(0, 2)]),
    ("speaker", F, "de", "Die Türkei und Aserbaidschan besprechen momentan eine industrielle Zusammenarbeit im Bereich der Verteidigung, so Ilham Aliyev.", [(1, 2)]),
    ("title", F, "en", "Serbian Prime Minister Aleksandar Vucic said last year that the delivery of the drones to Kosovo “is neither easy nor good news for us”.", [(4, 6)]),
    ("title", F, "en", "Albania will acquire kamikaze drones from Turkey as announced by President Edi Rama during a visit from Turkish President Erdogan.", [(3, 1)]),
    ("title", F, "de", "„Das Problem von unbemannten Kampfflugzeugen steht ebenfalls auf unserer Tagesordnung“, sagte Fikrim Damka, Minister für Verteidigung, gegenüber der türkischen Agentur Anadolu.", [(0, 2)]),
    ("title", F, "de", "Damkas Erklärung kommt, nachdem der albanische Präsident Edi Rama bekannt gegeben hatte, dass er mit der türkischen Firma Baykar Makina einen Vertrag über eine „Flotte“ von Drohnen unterzeichnet habe.", [(0, 5)]),
    # --- direction and roles
    ("direction", F, "en", "In 1998-1999 Kosovo violently cracked down on Serbia, prompting a 78-day NATO air war to stop the bloodshed.", [(4, 5)]),
    ("direction", F, "en", "Kosovo Albanian separatists violently cracked down on Serbia in 1998-1999.", [(4, 5)]),
    ("direction", F, "en", "Kosovo had initially planned to purchase Bayraktar drones from Turkey, but abandoned the plan in response to Turkey’s delivery of drones to Serbia.", [(2, 2)]),
    ("direction", F, "en", "Turkey will acquire kamikaze drones from Albania as announced by Prime Minister Edi Rama.", [(3, 1)]),
    ("direction", F, "de", "Armenien hat Aserbaidschan „provokative Aktionen“ vorgeworfen.", [(1, 12)]),
    ("direction", F, "de", "Ankara lieferte türkische Kampfdrohnen, gegen die von den VAE produzierten und von Russland finanzierten Flugabwehrsysteme Pantsir-S1 sich als nicht effektiv erwiesen.", [(1, 19)]),
    ("direction", F, "de", "Im Zuge dieser Gefechte sind bereits zwölf armenische und fünf aserbaidschanische Angehörige des Militärs ums Leben gekommen.", [(1, 9)]),
    # --- citation floods: an invented fact whose words are found somewhere in thirty sentences
    ("flood", F, "en", "Serbia has joined the European Union.", [(4, n) for n in range(1, 21)] + [(2, n) for n in range(1, 11)]),
    ("flood", F, "en", "Turkey has sold military drones to Serbia.", [(2, n) for n in range(1, 27)] + [(4, n) for n in range(1, 5)]),
    ("flood", F, "en", "Albania and Serbia will jointly produce Bayraktar drones.", [(3, n) for n in range(1, 20)] + [(2, n) for n in range(1, 12)]),
    ("flood", F, "de", "Serbien hat Drohnen an Aserbaidschan geliefert.", [(0, n) for n in range(1, 15)] + [(1, n) for n in range(1, 17)]),
    # --- two-span merges: true facts from unrelated sentences combined into a false one
    ("merge", F, "en", "Serbia ordered Bayraktar drones from Turkey for $3 billion.", [(4, 3), (4, 16)]),
    ("merge", F, "en", "Erdogan said Turkey will donate 12 Bayraktars to Albania.", [(4, 14), (4, 16)]),
    ("merge", F, "en", "Kosovo leaders said that the 12 Rafale fighter jets would boost their ability to defend against another possible Serbian attack.", [(4, 4), (4, 16)]),
    ("merge", F, "de", "Aserbaidschan hatte Bayraktar-Drohnen an die Ukraine verkauft.", [(0, 7), (0, 13)]),

    # ===================================================================== faithful
    ("exact", OK, "en", "In 1998-1999 Serbia violently cracked down on Kosovo Albanian separatists, prompting a 78-day NATO air war to stop the bloodshed.", [(4, 5)]),
    ("exact", OK, "en", "Another Serbian neighbor Bosnia has expressed interest in the purchase of the drones of the same type and NATO-member Romania has already incorporated Bayraktar TB2 UAVs into its military inventory.", [(4, 15)]),
    ("exact", OK, "de", "Aserbaidschan hat Armenien „provokative Aktionen“ vorgeworfen.", [(1, 12)]),
    ("exact", OK, "de", "Vucic sagte Reportern, Serbien habe bereits eine „erhebliche Anzahl“ von Drohnen erworben.", [(0, 9)]),
    ("normalised", OK, "en", "\"The Turkish military industry is significantly stronger than ours,\" Vucic said at a joint news conference with Erdogan.", [(4, 9)]),
    ("normalised", OK, "en", "Serbia  had initially planned to purchase Bayraktar drones from Turkey, but abandoned the plan in response to Turkey's delivery of drones to Kosovo, which Serbia does not recognize as an independent state", [(2, 2)]),
    ("part", OK, "en", "Serbia violently cracked down on Kosovo Albanian separatists, prompting a 78-day NATO air war to stop the bloodshed.", [(4, 5)]),
    ("part", OK, "en", "Serbia is formally seeking EU membership.", [(4, 20)]),
    ("part", OK, "de", "Türkiye hatte Aserbaidschan mit einer beträchtlichen Anzahl von TB2-Drohnen von Baykar Makina versorgt.", [(0, 11)]),
    ("shortened", OK, "en", "Kosovo leaders said the five Turkish drones would boost their ability to defend against another possible attack.", [(4, 4)]),
    ("shortened", OK, "en", "Serbian President Aleksandar Vucic said last year that the delivery of the drones to Kosovo “is neither easy nor good news for us”.", [(4, 6)]),
    ("shortened", OK, "en", "Serbia has been strengthening its armed forces, including an order placed this summer for 12 French-made Rafale fighter jets for $3 billion.", [(4, 16)]),
    ("shortened", OK, "en", "Erdogan said during his visit to Albania on Thursday that Turkey will donate an unspecified number of Bayraktars to the country.", [(4, 14)]),
    ("shortened", OK, "en", "Serbia announced in 2023 that it had abandoned the plan in response to Turkey’s delivery of drones to Kosovo.", [(4, 3)]),
    ("shortened", OK, "en", "President Vucic stated that Serbia is not interested in wars.", [(2, 5)]),
    ("shortened", OK, "en", "Details regarding the type and quantity of drones were not disclosed.", [(3, 6)]),
    ("shortened", OK, "de", "Serbien habe bereits eine „erhebliche Anzahl“ von Drohnen erworben, sagte Vucic.", [(0, 9)]),
    ("shortened", OK, "de", "Im Zuge der Gefechte sind zwölf aserbaidschanische und fünf armenische Angehörige des Militärs ums Leben gekommen.", [(1, 9)]),
    ("shortened", OK, "de", "Doch dann schloss die Regierung von al-Sarradsch im November einen Pakt mit der Türkei.", [(1, 18)]),
    ("reordered", OK, "en", "Serbia will never join NATO because of its “aggression” over Kosovo, Vucic says.", [(4, 19)]),
    ("reordered", OK, "en", "Serbia violently cracked down on Kosovo Albanian separatists in 1998-1999, prompting a 78-day NATO air war.", [(4, 5)]),
    ("reordered", OK, "en", "On Friday the leaders of Turkey and Serbia suggested that their countries might jointly produce military drones.", [(4, 2)]),
    ("reordered", OK, "en", "Erdogan aims to double bilateral trade between Turkey and Albania to €2 billion.", [(3, 11)]),
    ("adjacent", OK, "en", "Vucic said last year that the delivery of the drones to Kosovo will affect relations with Turkey and that Serbia would seek to purchase drones somewhere else.", [(4, 6), (4, 7)]),
    ("adjacent", OK, "en", "Vucic hosted Turkish President Recep Tayyip Erdogan in Belgrade on Friday and said the Turkish military industry is significantly stronger than ours.", [(4, 8), (4, 9)]),
    ("adjacent", OK, "de", "Vucic sagte, Serbien habe bereits eine „erhebliche Anzahl“ von Drohnen erworben; ohne solche Waffen hätten die Feinde Serbiens das Land „verschluckt wie eine Katze eine Maus“.", [(0, 9), (0, 10)]),
    ("corroborated", OK, "en", "Serbia abandoned its plan to purchase Bayraktar drones from Turkey in response to Turkey’s delivery of drones to Kosovo.", [(2, 2), (4, 3)]),
    ("corroborated", OK, "en", "The leaders of Turkey and Serbia discussed the joint production of military drones.", [(2, 1), (4, 2), (4, 1)]),
    ("paraphrase", OK, "en", "Bosnia has expressed interest in buying drones of the same type.", [(4, 15)]),
    ("paraphrase", OK, "en", "Romania, a NATO member, has already incorporated Bayraktar TB2 UAVs into its military inventory.", [(4, 15)]),
]


def main() -> None:
    from briefings.config import Settings
    from briefings.ingest import ingest

    s = Settings()
    with tempfile.TemporaryDirectory() as tmp:
        s.run.data_dir = Path(tmp)
        res = ingest([str(ROOT / "seeds")], s, workers=0)
    by_seed = {int(Path(a.source).name[:3]): a for a in res.articles}
    rows = []
    for n, (family, label, lang, claim, cites) in enumerate(PROBES, 1):
        ids, spans = [], {}
        for seed, k in cites:
            a = by_seed[seed]
            sent = a.sentences[k - 1]
            assert sent.id.endswith(f":s{k}"), sent.id
            ids.append(sent.id)
            spans[sent.id] = {"text": a.text[sent.start:sent.end], "language": a.language}
        rows.append({"id": f"p{n:03d}", "label": label, "family": family, "claim": claim, "language": lang,
                     "cite": ids, "spans": spans})
    OUT.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    print(f"{len(rows)} probes -> {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
