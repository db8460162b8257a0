"""A realistic, hand-built Briefing for render tests and benchmarks.

German and Turkish text, every verdict, a flagged unsupported sentence, a removed one, a citation to an
unknown id, and hostile article text (``<script>``, attribute-breaking quotes) in titles and spans.
"""

from __future__ import annotations

from briefings.models import (
    Briefing,
    BriefingSentence,
    CitedSpan,
    Section,
    SourceRef,
    Usage,
    Verdict,
)

XSS_TITLE = 'Drones <script>alert("t")</script> deal'
XSS_SPAN = 'Officials said "><img src=x onerror=alert(1)> nothing <script>alert(2)</script> more.'
GERMAN_SPAN = (
    "„Das Problem von unbemannten Kampfflugzeugen steht ebenfalls auf unserer Tagesordnung“, "
    "sagte Fikrim Damka, Minister für regionale Entwicklung, gegenüber der türkischen Agentur Anadolu."
)
TURKISH_SPAN = "Çavuşoğlu, İstanbul'da yaptığı açıklamada ağır silahların ılımlı bir şekilde teslim edileceğini söyledi."
DIACRITICS = "„“äöüßÇşğıİ"

A1 = "a1f8c84b4ead7772"  # German article
A2 = "b2dcbb33817fed35"  # English article with hostile title
A3 = "c355ce9e8ac83d00"  # Turkish article, no URL


def _span(sid: str, article: str, start: int, text: str, lang: str) -> CitedSpan:
    return CitedSpan(sentence_id=sid, article_id=article, start=start, end=start + len(text), text=text, language=lang)


def sample_briefing(country: str = "AL", name: str = "Albania", period: str = "2024-W19") -> Briefing:
    cits = {
        f"{A1}:s2": _span(f"{A1}:s2", A1, 240, GERMAN_SPAN, "de"),
        f"{A1}:s5": _span(
            f"{A1}:s5", A1, 900,
            "Damkas Erklärung kommt, nachdem der albanische Premierminister Edi Rama bekannt gegeben hatte, "
            "dass er mit der türkischen Firma Baykar Makina einen Vertrag über eine „Flotte“ von Drohnen "
            "unterzeichnet habe.",
            "de",
        ),
        f"{A2}:s1": _span(
            f"{A2}:s1", A2, 0,
            "Albania will acquire kamikaze drones from Turkey, Prime Minister Edi Rama announced on Tuesday.",
            "en",
        ),
        f"{A2}:s3": _span(f"{A2}:s3", A2, 310, XSS_SPAN, "en"),
        f"{A3}:s1": _span(f"{A3}:s1", A3, 0, TURKISH_SPAN, "tr"),
    }
    S = BriefingSentence
    sections = [
        Section(key="bottom_line", title="Bottom line", sentences=[
            S(text="Albania signed a contract with Turkey's Baykar for a fleet of attack drones.",
              language="en", citations=[f"{A1}:s5", f"{A2}:s1"], verdict=Verdict.supported, score=0.94),
            S(text="Kosovo says it is negotiating with Ankara over the same drone type.",
              language="en", citations=[f"{A1}:s2"], verdict=Verdict.partial, score=0.61,
              reasons=["source says talks were held, not that they are ongoing"]),
        ]),
        Section(key="key_developments", title="Key developments", sentences=[
            S(text=GERMAN_SPAN, language="de", citations=[f"{A1}:s2"], verdict=Verdict.supported, score=1.0),
            S(text="Ankara will deliver heavy weapons gradually, according to Çavuşoğlu in İstanbul.",
              language="en", citations=[f"{A3}:s1"], verdict=Verdict.supported, score=0.88),
            S(text='Officials reacted to the "><img src=x onerror=alert(1)> report <script>x()</script>.',
              language="en", citations=[f"{A2}:s3"], verdict=Verdict.unverified),
            S(text="Albania will deploy the drones against Serbia next month.",
              language="en", citations=[f"{A2}:s1"], verdict=Verdict.unsupported, score=0.05,
              reasons=["no source sentence mentions deployment or Serbia"]),
        ]),
        Section(key="context", title="Context", sentences=[]),  # empty: must be omitted
        Section(key="watch", title="What to watch", sentences=[
            S(text="Whether Serbia's relations with Ankara cool after the deal.",
              language="en", citations=[f"{A1}:s5", "zzz:s9"], verdict=Verdict.partial, score=0.55,
              reasons=["citation zzz:s9 is not a known sentence"]),
        ]),
    ]
    removed = [
        S(text="The drones cost 300 million euros.", language="en", citations=[f"{A2}:s1"],
          verdict=Verdict.unsupported, score=0.02, reasons=["figure not in any cited sentence"]),
    ]
    sources = [
        SourceRef(article_id=A1,
                  title="Große Sorge: Kosovo will auch Bayraktar-Drohnen – „nicht gut“ für Belgrad, sagt Vučić",
                  outlet="RT DE", url="https://de.example.org/kosovo-drohnen?id=7&x=1",
                  published="2022-12-20T10:00:00+01:00", source="seeds/000.txt", story=A1, cited=4),
        SourceRef(article_id=A2, title=XSS_TITLE, outlet='Daily "Quote" <b>News</b>',
                  url="https://news.example.com/albania-drones", published="2022-12-21",
                  source="seeds/003.txt", story=A1, cited=3),
        SourceRef(article_id=A3, title="Çavuşoğlu: Ağır silahlar İstanbul'dan", outlet="Anadolu",
                  url=None, published="2022-12-22", source="seeds/tr.txt", story=A3, cited=1),
    ]
    return Briefing(
        country=country, country_name=name, title=f"{name}: drone deal with Türkiye",
        language="en", period=period, sections=sections, removed=removed, grounding=0.7,
        citations=cits, sources=sources,
        usage=Usage(calls=3, prompt_tokens=4200, completion_tokens=800, cost=0.0012),
        backend="extractive", model=None,
    )


def hostile_briefing() -> Briefing:
    """Same as the sample, but the briefing title itself carries a script and an attribute breaker."""
    b = sample_briefing()
    b.title = 'Albania <script>alert("x")</script> "><img src=x onerror=alert(3)>'
    b.country_name = 'Albania"><script>1</script>'
    return b


def many_briefings(n: int = 40) -> list[Briefing]:
    """``n`` distinct countries (for the digest benchmark): codes AA, AB, ... with the sample's content."""
    out = []
    for i in range(n):
        code = chr(65 + i // 26) + chr(65 + i % 26)
        out.append(sample_briefing(code, f"Country {code} – Çğış", "2024-W19"))
    return out
