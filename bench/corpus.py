"""A realistic synthetic news corpus for benchmarks (reusable: ``from corpus import make_corpus``).

Not one text copied N times: every article mixes templated sentences (varied countries, people, cities,
numbers, dates) with sentences taken from the seed articles, whose country names are swapped. Mixed
English/German, 1-8 KB, paragraphs, a headline on the first line, plus injected exact duplicates (same
text, another file) and near duplicates (same story rewritten: most sentences kept, some reworded,
some dropped, some added). Deterministic for a given ``seed``.

    python bench/corpus.py OUT_DIR [-n 10000] [--jsonl]     # writes files (and a JSONL part)
"""

from __future__ import annotations

import argparse
import json
import random
import re
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"

COUNTRIES = {
    "en": ["Albania", "Serbia", "Kosovo", "Turkey", "Greece", "Italy", "France", "Germany", "Austria", "Hungary",
           "Romania", "Bulgaria", "Croatia", "Bosnia and Herzegovina", "Montenegro", "North Macedonia", "Ukraine",
           "Russia", "Poland", "Azerbaijan", "Armenia", "Georgia", "Libya", "Egypt", "Israel", "Iran", "Iraq",
           "Syria", "Spain", "Portugal", "Norway", "Sweden", "Finland", "Denmark", "Estonia", "Latvia",
           "Lithuania", "Japan", "China", "India", "Brazil", "Mexico", "Canada", "Nigeria", "Kenya"],
    "de": ["Albanien", "Serbien", "Kosovo", "die Türkei", "Griechenland", "Italien", "Frankreich", "Deutschland",
           "Österreich", "Ungarn", "Rumänien", "Bulgarien", "Kroatien", "Bosnien und Herzegowina", "Montenegro",
           "Nordmazedonien", "die Ukraine", "Russland", "Polen", "Aserbaidschan", "Armenien", "Georgien",
           "Libyen", "Ägypten", "Israel", "Iran", "Irak", "Syrien", "Spanien", "Portugal", "Norwegen",
           "Schweden", "Finnland", "Dänemark", "Estland", "Lettland", "Litauen", "Japan", "China", "Indien",
           "Brasilien", "Mexiko", "Kanada", "Nigeria", "Kenia"],
}
CITIES = ["Tirana", "Belgrade", "Pristina", "Ankara", "Athens", "Rome", "Paris", "Berlin", "Vienna", "Budapest",
          "Bucharest", "Sofia", "Zagreb", "Sarajevo", "Podgorica", "Skopje", "Kyiv", "Moscow", "Warsaw", "Baku",
          "Yerevan", "Tbilisi", "Tripoli", "Cairo", "Madrid", "Lisbon", "Oslo", "Stockholm", "Helsinki", "Tokyo"]
FIRST = ["Edi", "Aleksandar", "Recep", "Ana", "Maria", "Ivan", "Elena", "Jonas", "Leila", "Omar", "Sofia", "Luca",
         "Petra", "Milan", "Ayse", "Mehmet", "Nikos", "Katarina", "Jan", "Olena", "Tomas", "Fatima", "Dragan", "Ines"]
LAST = ["Rama", "Vucic", "Demir", "Kovac", "Petrovic", "Hoxha", "Yilmaz", "Papadopoulos", "Rossi", "Novak",
        "Schmidt", "Horvat", "Kurti", "Popescu", "Ivanova", "Nowak", "Aliyev", "Haddad", "Berisha", "Lindqvist"]
ROLES = {"en": ["Prime Minister", "President", "Defence Minister", "Foreign Minister", "Economy Minister",
                "opposition leader", "central bank governor", "army chief"],
         "de": ["Ministerpräsident", "Präsident", "Verteidigungsminister", "Außenminister", "Wirtschaftsminister",
                "Oppositionsführer", "Notenbankchef", "Armeechef"]}
TOPICS = {"en": ["drones", "gas pipeline", "rail link", "border crossing", "trade agreement", "power plant",
                 "port expansion", "wheat exports", "visa rules", "air defence system", "solar farm", "bridge"],
          "de": ["Drohnen", "Gaspipeline", "Bahnverbindung", "Grenzübergang", "Handelsabkommen", "Kraftwerk",
                 "Hafenausbau", "Weizenexporte", "Visaregeln", "Luftabwehrsystem", "Solarpark", "Brücke"]}
DAYS = {"en": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
        "de": ["Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"]}
MONTHS = {"en": ["January", "February", "March", "April", "May", "June", "July", "August", "September",
                 "October", "November", "December"],
          "de": ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober",
                 "November", "Dezember"]}

TEMPLATES = {
    "en": [
        "{country} and {country2} signed an agreement on {day} to build a new {topic}, officials in {city} said.",
        "{role} {person} said the {topic} would cost about {money} and should be finished by {year}.",
        "\"We will not accept any pressure from {country2},\" {person} told reporters in {city} on {day}.",
        "According to the ministry, {n} people were affected, {pct} percent more than in {year0}.",
        "The talks in {city} ended without a deal, but both sides agreed to meet again on {date}.",
        "Critics in {country} say the {topic} benefits only a few companies close to the government.",
        "{person}, the {role} of {country}, is expected to visit {city} on {date}.",
        "Trade between {country} and {country2} grew to {money} last year, up {pct} percent.",
        "The U.S. embassy in {city} declined to comment on the report on {day}.",
        "Protesters gathered outside the parliament in {city}, demanding a referendum on the {topic}.",
        "In {year0}, {country} had already bought {n} units from a company in {country2}.",
        "Dr. {person} of the University of {city} said the plan was \"realistic, but expensive\".",
        "The {topic} is part of a wider deal that also covers energy, tourism and education.",
        "{country} is a member of NATO, while {country2} has said it will remain neutral.",
        "Officials did not say how many of the {n} workers would come from {country2}.",
    ],
    "de": [
        "{country} und {country2} haben am {day} ein Abkommen über {topic} unterzeichnet, teilte die Regierung in {city} mit.",
        "{role} {person} sagte, das Projekt werde etwa {money} kosten und solle bis {year} fertig sein.",
        "„Wir lassen uns nicht unter Druck setzen“, sagte {person} am {day} in {city}.",
        "Nach Angaben des Ministeriums waren {n} Menschen betroffen, {pct} Prozent mehr als {year0}.",
        "Die Gespräche in {city} endeten ohne Einigung, beide Seiten wollen sich am {date} erneut treffen.",
        "Kritiker werfen der Regierung vor, von dem Projekt profitierten vor allem einige Firmen.",
        "{person}, {role} des Landes, wird am {date} in {city} erwartet.",
        "Der Handel zwischen beiden Ländern stieg im vergangenen Jahr auf {money}, ein Plus von {pct} Prozent.",
        "Die US-Botschaft in {city} wollte sich am {day} nicht zu dem Bericht äußern.",
        "Vor dem Parlament in {city} demonstrierten Hunderte Menschen, z. B. Studenten und Rentner.",
        "Bereits {year0} hatte {country} {n} Einheiten von einer Firma aus {country2} gekauft.",
        "Dr. {person} von der Universität {city} nannte den Plan „realistisch, aber teuer“.",
        "Das Vorhaben ist Teil eines größeren Pakets, das auch Energie, Tourismus und Bildung umfasst.",
        "Am {date} soll der Vertrag vom Parlament in {city} ratifiziert werden.",
        "Wie viele der {n} Arbeiter aus dem Ausland kommen sollen, sagte die Behörde nicht.",
    ],
}
HEADLINES = {
    "en": ["{country} and {country2} agree on {topic}", "{person} defends {topic} plan in {city}",
           "Talks on {topic} stall in {city}", "{country} to buy {topic} from {country2}"],
    "de": ["{country} und {country2} einigen sich auf {topic}", "{person} verteidigt Pläne in {city}",
           "Gespräche über {topic} in {city} gescheitert", "Streit um {topic} zwischen {country} und {country2}"],
}


@dataclass
class Doc:
    name: str  # relative file name, e.g. "017/000123.txt"
    language: str
    title: str
    text: str  # body, without the title line
    kind: str = "original"  # original | exact_dup | near_dup
    of: str | None = None  # the original's name, for duplicates
    meta: dict = field(default_factory=dict)

    def file_text(self) -> str:
        return f"{self.title}\n\n{self.text}\n"


def _seed_sentences() -> dict[str, list[str]]:
    """Seed sentences per language (naive split; they are only raw material)."""
    out: dict[str, list[str]] = {"en": [], "de": []}
    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        lang = "de" if re.search(r"\b(und|der|die|das)\b", text) else "en"
        for para in text.splitlines():
            for s in re.split(r"(?<=[.!?“])\s+(?=[A-ZÄÖÜ„\"])", para.strip()):
                if 40 <= len(s) <= 400 and not re.search(r"(?i)donation|support|share|source", s):
                    out[lang].append(s)
    return out


class Generator:
    def __init__(self, seed: int = 0):
        self.rng = random.Random(seed)
        self.seed_sents = _seed_sentences()
        names = {n for lang in COUNTRIES.values() for n in lang if not n.startswith("die ")}
        names |= {"Türkiye", "Türkei", "Turkish", "Serbian", "Albanian"}
        self.country_re = re.compile(r"\b(" + "|".join(sorted(map(re.escape, names), key=len, reverse=True)) + r")\b")

    def _slots(self, lang: str) -> dict[str, str]:
        r = self.rng
        c1, c2 = r.sample(COUNTRIES[lang], 2)
        year = r.randint(2015, 2026)
        return {
            "country": c1[0].upper() + c1[1:], "country2": c2, "city": r.choice(CITIES),
            "person": f"{r.choice(FIRST)} {r.choice(LAST)}", "role": r.choice(ROLES[lang]),
            "topic": r.choice(TOPICS[lang]), "day": r.choice(DAYS[lang]),
            "n": f"{r.randint(2, 99_000):,}".replace(",", "." if lang == "de" else ","),
            "pct": str(r.randint(1, 90)) + (f",{r.randint(1, 9)}" if lang == "de" else f".{r.randint(1, 9)}"),
            "money": (f"{r.randint(2, 900)} Millionen Euro" if lang == "de" else f"${r.randint(2, 900)} million"),
            "year": str(year), "year0": str(year - r.randint(1, 8)),
            "date": (f"{r.randint(1, 28)}. {r.choice(MONTHS['de'])} {year}" if lang == "de"
                     else f"{r.choice(MONTHS['en'])} {r.randint(1, 28)}, {year}"),
        }

    def sentence(self, lang: str, slots: dict[str, str]) -> str:
        r = self.rng
        if r.random() < 0.25 and self.seed_sents[lang]:  # a real sentence, other countries
            s = r.choice(self.seed_sents[lang])
            return self.country_re.sub(lambda m: r.choice(COUNTRIES[lang]).removeprefix("die "), s)
        if r.random() < 0.3:  # fresh entities now and then, so articles do not repeat one pair
            slots = {**slots, **{k: v for k, v in self._slots(lang).items() if r.random() < 0.5}}
        return r.choice(TEMPLATES[lang]).format(**slots)

    def article(self, name: str, lang: str | None = None) -> Doc:
        r = self.rng
        lang = lang or ("de" if r.random() < 0.4 else "en")
        slots = self._slots(lang)
        target = int(1024 * (1 + 7 * r.random() ** 1.5))  # 1-8 KB, more short than long
        paras, size, used = [], 0, set()
        while size < target - 100:
            sents = []
            for _ in range(r.randint(1, 5)):
                s = self.sentence(lang, slots)
                if s not in used:  # a real article does not repeat itself
                    used.add(s)
                    sents.append(s)
            if sents:
                paras.append(" ".join(sents))
                size += len(paras[-1].encode()) + 2
        title = r.choice(HEADLINES[lang]).format(**slots)
        return Doc(name=name, language=lang, title=title, text="\n\n".join(paras))

    def near_duplicate(self, doc: Doc, name: str) -> Doc:
        """The same story rewritten: keep ~70% of sentences, reword some, add a few new ones."""
        r = self.rng
        slots = self._slots(doc.language)
        paras = []
        for para in doc.text.split("\n\n"):
            sents = re.split(r"(?<=[.!?“\"])\s+", para)
            kept = []
            for s in sents:
                x = r.random()
                if x < 0.15:
                    continue
                if x < 0.35:
                    s = s.replace(" said", " stated").replace(" sagte", " erklärte").replace(" on ", " on Friday, ")
                kept.append(s)
            if r.random() < 0.3:
                kept.append(self.sentence(doc.language, slots))
            if kept:
                paras.append(" ".join(kept))
        title = r.choice(HEADLINES[doc.language]).format(**slots)
        return Doc(name=name, language=doc.language, title=title, text="\n\n".join(paras), kind="near_dup",
                   of=doc.name)


def make_corpus(n: int = 10_000, seed: int = 0, exact_dups: float = 0.02, near_dups: float = 0.03) -> list[Doc]:
    """``n`` documents; about ``exact_dups`` and ``near_dups`` of them are duplicates of earlier ones."""
    g = Generator(seed)
    docs: list[Doc] = []
    for i in range(n):
        name = f"{i // 100:03d}/{i:06d}.{'md' if i % 10 == 7 else 'txt'}"
        x = g.rng.random()
        originals = [d for d in docs[-200:] if d.kind == "original"]
        if originals and x < exact_dups:
            src = g.rng.choice(originals)
            docs.append(Doc(name=name, language=src.language, title=src.title, text=src.text,
                            kind="exact_dup", of=src.name))
        elif originals and x < exact_dups + near_dups:
            docs.append(g.near_duplicate(g.rng.choice(originals), name))
        else:
            docs.append(g.article(name))
    return docs


def write_files(docs: list[Doc], out: Path, jsonl_every: int = 0) -> list[Path]:
    """Write documents as files under ``out``; with ``jsonl_every=k``, every k-th goes into one JSONL file."""
    out.mkdir(parents=True, exist_ok=True)
    written, rows = [], []
    for i, d in enumerate(docs):
        if jsonl_every and i % jsonl_every == jsonl_every - 1:
            rows.append({"text": d.text, "title": d.title, "outlet": "Bench Wire", "published": "2024-05-01"})
            continue
        p = out / d.name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(d.file_text(), encoding="utf-8")
        written.append(p)
    if rows:
        p = out / "feed.jsonl"
        p.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
        written.append(p)
    return written


def write_bad_files(out: Path) -> int:
    """A handful of inputs that must be skipped, not crash the run."""
    bad = out / "bad"
    bad.mkdir(parents=True, exist_ok=True)
    (bad / "empty.txt").write_bytes(b"")
    (bad / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00" * 50)
    (bad / "table.csv").write_text("a,b\n1,2\n")
    (bad / "broken.rss").write_text("<rss><channel><item><title>x")
    (bad / "nothing.html").write_text("<html><body><nav>Home</nav></body></html>")
    return 5


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("-n", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--jsonl", action="store_true", help="put every 10th article into one JSONL file")
    a = ap.parse_args()
    docs = make_corpus(a.n, a.seed)
    files = write_files(docs, a.out, jsonl_every=10 if a.jsonl else 0)
    kinds = {k: sum(d.kind == k for d in docs) for k in ("original", "exact_dup", "near_dup")}
    size = sum(p.stat().st_size for p in files)
    print(f"{len(docs)} documents in {len(files)} files, {size / 2**20:.1f} MiB, {kinds}")


if __name__ == "__main__":
    main()
