"""Answer models for each prompt. Their JSON schema is sent to the model; the same model validates it.

Validation context (``{"sentence_ids": set[str], "countries": set[str]}``) lets the validators reject
invented sentence ids and unknown country codes, so the LLM layer can re-ask with the error.
"""

from __future__ import annotations

from pydantic import BaseModel, Field, ValidationInfo, field_validator

from .models import ClaimKind


def _check_ids(ids: list[str], info: ValidationInfo) -> list[str]:
    known = (info.context or {}).get("sentence_ids")
    if known is not None:
        bad = [i for i in ids if i not in known]
        if bad:
            raise ValueError(f"unknown sentence ids {bad}: cite only ids given in the input")
    return ids


def _ids_as_text(ids):
    """Models often write numeric ids as numbers: [12] for ["12"]."""
    return [str(i) if isinstance(i, int) and not isinstance(i, bool) else i for i in ids] if isinstance(ids, list) else ids


class ClaimOut(BaseModel):
    countries: list[str] = Field(description="ISO 3166-1 alpha-2 codes (XK for Kosovo)", min_length=1)
    text: str = Field(description="the claim, one sentence, in the output language", min_length=1)
    citations: list[str] = Field(description="ids of the input sentences that state it", min_length=1)
    kind: ClaimKind = "event"
    date: str | None = Field(default=None, description="date the claim states, ISO 8601, if any")

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


class SentenceOut(BaseModel):
    text: str = Field(min_length=1)
    citations: list[str] = Field(min_length=1)

    _ids = field_validator("citations")(_check_ids)


class ComposeAnswer(BaseModel):
    title: str
    bottom_line: list[SentenceOut] = Field(description="two sentences", min_length=1, max_length=3)
    key_developments: list[SentenceOut] = Field(min_length=1)
    context: list[SentenceOut] = Field(default_factory=list)
    watch: list[SentenceOut] = Field(default_factory=list)


class JudgeItem(BaseModel):
    index: int
    verdict: str = Field(pattern="^(supported|partial|unsupported)$")
    reason: str = ""


class VerifyAnswer(BaseModel):
    verdicts: list[JudgeItem]
