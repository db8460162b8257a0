"""A scripted model behind the fake OpenAI server: answers extract / compose / verify requests by
reading the prompt, with a deterministic mix of faithful and hallucinated statements.

Hallucinations are tagged in ``HALLUCINATED`` (their exact text), so tests can assert that none of them
reaches a reader as supported. Used by tests and by bench/run_cost.py.
"""

from __future__ import annotations

import html
import json
import re

ARTICLE = re.compile(r'<article n="\d+" language="([^"]*)">(.*?)</article>', re.S)
LINE = re.compile(r"^(\d+)\| (.*)$", re.M)
CLAIM = re.compile(r'<claim id="([^"]+)"[^>]*citations="([^"]*)"[^>]*>(.*?)</claim>', re.S)
ITEM = re.compile(r'<item index="(\d+)">', re.S)
JUDGED = re.compile(r'<item index="(\d+)">\s*<sentence>(.*?)</sentence>', re.S)
WANTED = re.compile(r"Extract the claims about ([A-Z, ]+) from")


def _task(body: dict) -> str:
    system = body["messages"][0]["content"]
    if "extract factual claims" in system:
        return "extract"
    if "briefing about one country" in system:
        return "compose"
    return "verify"


class ScriptedModel:
    def __init__(self, hallucinate: bool = True, obey_injection: bool = False):
        self.hallucinate = hallucinate
        self.obey_injection = obey_injection
        self.hallucinated: set[str] = set()
        self.calls: dict[str, int] = {"extract": 0, "compose": 0, "verify": 0}

    def _lie(self, text: str) -> str:
        self.hallucinated.add(text)
        return text

    def __call__(self, body: dict):
        task = _task(body)
        self.calls[task] += 1
        user = next(m["content"] for m in body["messages"] if m["role"] == "user")  # re-asks come after it
        if task == "extract":
            answer = self.extract(user)
            if len(body["messages"]) > 2:  # a re-ask with the validation error: drop the invented ids
                answer["claims"] = [c for c in answer["claims"] if not c["citations"][0].endswith(":s999")]
            return answer
        if task == "compose":
            return self.compose(user)
        return {"verdicts": [{"index": int(i), "first_words": " ".join(html.unescape(sent).split()[:3]),
                              "verdict": "supported", "reason": "scripted"} for i, sent in JUDGED.findall(user)]}

    def extract(self, user: str) -> dict:
        wanted = [c.strip() for c in WANTED.search(user).group(1).split(",")]
        claims = []
        for n, (sid, codes, text) in enumerate(self.sentences(user, set(wanted))):
            text = html.unescape(text)
            codes = [c for c in codes if c in wanted]
            if not codes:
                continue
            if "Ignore all previous instructions" in text and self.obey_injection:
                claims.append({"countries": ["RS"] if "RS" in wanted else codes[:1],
                               "text": self._lie("Serbia has joined NATO."), "citations": [sid], "kind": "event"})
                continue
            claims.append({"countries": codes, "text": text, "citations": [sid], "kind": "event"})
            if self.hallucinate and n % 3 == 0:
                # a changed number, an invented id, an invented quote, in turn
                variants = [
                    (re.sub(r"\d+", lambda m: str(int(m.group(0)) + 7), text) if re.search(r"\d", text)
                     else text.rstrip(".") + " in 1987.", [sid]),
                    (text, [sid.rsplit(":", 1)[0] + ":s999"]),
                    ('Officials said "we will never allow this" about ' + text[:40] + ".", [sid]),
                ]
                lie, cites = variants[(n // 3) % 3]
                # an invented id on a faithful text is caught by validation (and re-asked), not a text lie
                text_out = lie if lie == text else self._lie(lie)
                claims.append({"countries": codes, "text": text_out, "citations": cites, "kind": "statement"})
        return {"claims": claims}

    @staticmethod
    def sentences(user: str, allowed: set[str]) -> list[tuple[str, list[str], str]]:
        """(id, countries, text) of every sentence line; a line's countries are those the tagger
        finds in it, among the wanted ones (the prompt does not tag lines)."""
        from briefings.countries import countries_in

        out = []
        for lang, body in ARTICLE.findall(user):
            for sid, text in LINE.findall(body):
                out.append((sid, sorted(countries_in(html.unescape(text), lang) & allowed), text))
        return out

    def compose(self, user: str) -> dict:
        claims = [(cid, cites.split(","), html.unescape(text)) for cid, cites, text in CLAIM.findall(user)]
        items = [{"text": text, "citations": cites} for _, cites, text in claims]
        if not items:
            return {"title": "x", "bottom_line": [], "key_developments": []}
        extra = []
        if self.hallucinate:
            extra = [{"text": self._lie("The government announced 4500 new troops for the border, officials said."),
                      "citations": items[0]["citations"]}]
        return {"title": "Scripted", "bottom_line": items[:2] + extra, "key_developments": items[2:8] or items[:1],
                "context": items[8:10], "watch": []}


def install(server, model: ScriptedModel) -> ScriptedModel:
    server.set_handler(lambda body: json.dumps(model(body)))
    return model


class EditingModel(ScriptedModel):
    """A model that makes exactly the probes' edits (tests/gold/verbatim_probes.jsonl) and a judge that
    calls everything "supported". Extract is faithful; compose writes, for every claim whose text is a
    probe's cited sentence, that probe's fabrication with the claim's citation (a flood cites every id
    of the prompt, a merge cites both claims); ``written`` holds the fabrications it wrote."""

    def __init__(self, probes: list[dict]):
        super().__init__(hallucinate=False)
        self.probes = [p for p in probes if p["label"] == "fabrication"]
        self.written: set[str] = set()

    def compose(self, user: str) -> dict:
        claims = [(cites.split(","), html.unescape(text)) for _, cites, text in CLAIM.findall(user)]
        if not claims:
            return {"title": "x", "bottom_line": [], "key_developments": []}
        alias_of = {text: cites[0] for cites, text in claims}
        every = sorted({c for cites, _ in claims for c in cites}, key=lambda a: int(a[1:]))
        items = []
        for p in self.probes:
            texts = [p["spans"][i]["text"] for i in p["cite"]]
            if p["family"] == "flood":
                if len(every) >= 10 and any(t in alias_of for t in texts):
                    items.append({"text": p["claim"], "citations": every})
            elif all(t in alias_of for t in texts):
                items.append({"text": p["claim"], "citations": [alias_of[t] for t in texts]})
        self.written |= {i["text"] for i in items}
        faithful = [{"text": text, "citations": cites[:1]} for cites, text in claims[:3]]
        return {"title": "Edited", "bottom_line": faithful[:1], "key_developments": items + faithful[1:],
                "context": [], "watch": []}
