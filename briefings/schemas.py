"""Answer models for each prompt. Their JSON schema is sent to the model; the same model validates it.

Validation context (``{"sentence_ids": set[str], "countries": set[str]}``) lets the validators reject
invented sentence ids and unknown country codes, so the LLM layer can re-ask with the error.

One bad item does not cost the whole answer (issue #19): an extraction answer keeps its valid claims and
drops the ones citing invented ids (unknown country codes are dropped from a claim that has a known one);
a briefing keeps every sentence, and the verifier removes one citing an id that does not exist, with that
reason. Only an answer with nothing valid left is rejected (and re-asked). ``dropped`` lists what was cut.

The judge's answer is validated as a whole (context ``{"judge_items": {index: sentence}}``): every index
exactly once, and each verdict echoes the first words of the sentence it judges, so an answer applied to
the wrong sentences is rejected instead of silently misapplied.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, ValidationInfo, field_validator, model_validator

from .models import ClaimKind
from .text import drop_unsafe


def _check_ids(ids: list[str], info: ValidationInfo) -> list[str]:
    known = (info.context or {}).get("sentence_ids")
    if known is not None:
        bad = [i for i in ids if i not in known]
        if bad:
            raise ValueError(f"unknown sentence ids {bad}: cite only ids given in the input")
    return ids


def _printable(value):
    """A model's text goes to terminals, Markdown and HTML: no ESC, bidi or other unsafe control."""
    return drop_unsafe(value).strip() if isinstance(value, str) else value


def _ids_as_text(ids):
    """Models often write numeric ids as numbers: [12] for ["12"]."""
    return [str(i) if isinstance(i, int) and not isinstance(i, bool) else i for i in ids] if isinstance(ids, list) else ids


class ClaimOut(BaseModel):
    countries: list[str] = Field(description="ISO 3166-1 alpha-2 codes (XK for Kosovo)", min_length=1)
    text: str = Field(description="the claim, one sentence, in the output language", min_length=1)
    citations: list[str] = Field(description="ids of the input sentences that state it", min_length=1)
    kind: ClaimKind = "event"
    date: str | None = Field(default=None, description="date the claim states, ISO 8601, if any")

    _text = field_validator("text", mode="before")(_printable)
    _ids_text = field_validator("citations", mode="before")(_ids_as_text)
    _ids = field_validator("citations")(_check_ids)

    @field_validator("countries")
    @classmethod
    def _known_countries(cls, codes: list[str], info: ValidationInfo) -> list[str]:
        codes = [c.upper() for c in codes]
        known = (info.context or {}).get("countries")
        if known is not None:
            bad = [c for c in codes if c not in known]
            if bad:
                raise ValueError(f"country codes {bad} are not among the input's countries {sorted(known)}")
        return codes


class ExtractAnswer(BaseModel):
    claims: list[ClaimOut]
    _dropped: list[str] = PrivateAttr(default_factory=list)

    @model_validator(mode="wrap")
    @classmethod
    def _keep_valid_claims(cls, data, handler, info: ValidationInfo):
        if not (isinstance(data, dict) and isinstance(data.get("claims"), list) and info.context):
            return handler(data)
        known = info.context.get("countries")
        good, dropped = [], []
        for n, raw in enumerate(data["claims"]):
            if isinstance(raw, dict) and known is not None and isinstance(raw.get("countries"), list):
                kept = [c for c in raw["countries"] if isinstance(c, str) and c.upper() in known]
                raw = {**raw, "countries": kept or raw["countries"]}
            try:
                ClaimOut.model_validate(raw, context=info.context)
            except ValidationError as e:
                dropped.append(f"claim {n}: {e.errors()[0]['msg']}")
                continue
            good.append(raw)
        if dropped and not good:
            return handler(data)  # nothing valid: the error goes back to the model
        out = handler({**data, "claims": good})
        out._dropped = dropped
        return out

    @property
    def dropped(self) -> list[str]:
        return self._dropped


class SentenceOut(BaseModel):
    text: str = Field(min_length=1)
    citations: list[str] = Field(min_length=1)

    _text = field_validator("text", mode="before")(_printable)
    _ids_text = field_validator("citations", mode="before")(_ids_as_text)


SECTION_KEYS = ("bottom_line", "key_developments", "context", "watch")


class ComposeAnswer(BaseModel):
    title: str
    bottom_line: list[SentenceOut] = Field(description="two sentences", min_length=1, max_length=3)
    key_developments: list[SentenceOut] = Field(min_length=1)
    context: list[SentenceOut] = Field(default_factory=list)
    watch: list[SentenceOut] = Field(default_factory=list)
    _dropped: list[str] = PrivateAttr(default_factory=list)
    _title = field_validator("title", mode="before")(_printable)

    @model_validator(mode="after")
    def _some_sentence_cites_known_ids(self, info: ValidationInfo):
        """Sentences citing unknown ids stay (the verifier removes them, with the reason, and a reader sees
        it under "Removed statements"); an answer in which every sentence does is rejected."""
        known = (info.context or {}).get("sentence_ids")
        if known is None:
            return self
        sents = [s for key in SECTION_KEYS for s in getattr(self, key)]
        bad = [s for s in sents if any(i not in known for i in s.citations)]
        if sents and len(bad) == len(sents):
            ids = sorted({i for s in bad for i in s.citations if i not in known})
            raise ValueError(f"unknown sentence ids {ids}: cite only ids given in the input")
        self._dropped = [f"sentence cites unknown ids {[i for i in s.citations if i not in known]}" for s in bad]
        return self

    @property
    def dropped(self) -> list[str]:
        return self._dropped


_WORD = re.compile(r"\w+", re.U)


def first_words(text: str, n: int = 3) -> list[str]:
    return [w.casefold() for w in _WORD.findall(text)][:n]


def _echo_required(schema: dict) -> None:
    # required in what the model is sent (a grammar then makes a small model write it); defaulted
    # when parsed, so the validator, not pydantic, says what is wrong with a missing echo
    schema.setdefault("required", []).append("first_words")


class JudgeItem(BaseModel):
    model_config = ConfigDict(json_schema_extra=_echo_required)
    index: int = Field(description="the item's index, as given in the input")
    first_words: str = Field(default="", description="the first three words of the item's sentence, copied")
    verdict: str = Field(pattern="^(supported|partial|unsupported)$")
    reason: str = ""


class VerifyAnswer(BaseModel):
    verdicts: list[JudgeItem]

    @model_validator(mode="after")
    def _every_item_once_and_echoed(self, info: ValidationInfo):
        items = (info.context or {}).get("judge_items")
        if items is None:
            return self
        seen = [v.index for v in self.verdicts]
        missing = sorted(set(items) - set(seen))
        extra = sorted(set(seen) - set(items))
        twice = sorted({i for i in seen if seen.count(i) > 1})
        if missing or extra or twice:
            raise ValueError(f"give exactly one verdict for each index {sorted(items)}: "
                             f"missing {missing}, unknown {extra}, repeated {twice}")
        for v in self.verdicts:
            want = first_words(items[v.index])
            got = first_words(v.first_words, len(want))
            if got != want[:len(got)] or len(got) < min(2, len(want)):
                raise ValueError(f"index {v.index}: first_words {v.first_words!r} are not the first words of its "
                                 f"sentence {' '.join(want)!r}")
        return self


TRANSLATION_GROWTH = 3  # a translation this many times longer than its sentence (+40 chars) is not one


class TranslateAnswer(BaseModel):
    """One sentence translated (context ``{"source": text}``: the sentence, to bound the answer's length)."""

    translation: str = Field(min_length=1, description="the sentence, translated; nothing else")
    _text = field_validator("translation", mode="before")(_printable)

    @field_validator("translation")
    @classmethod
    def _one_sentence_long(cls, value: str, info: ValidationInfo) -> str:
        source = (info.context or {}).get("source")
        if source is not None and len(value) > TRANSLATION_GROWTH * len(source) + 40:
            raise ValueError(f"{len(value)} characters for a sentence of {len(source)}: translate the sentence, "
                             "add nothing")
        return value
