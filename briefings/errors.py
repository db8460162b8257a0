"""One exception hierarchy; the CLI turns any of these into one clean line and an exit code."""

from __future__ import annotations


class BriefingsError(Exception):
    """Base class. `exit_code` is what the CLI exits with."""

    exit_code = 1


class UsageError(BriefingsError):
    exit_code = 2


class ConfigError(UsageError):
    """Bad or unknown configuration key/value."""


class GroundingBelowThreshold(BriefingsError):
    exit_code = 3


class PartialFailure(BriefingsError):
    """Some sources or units failed; everything else was delivered."""

    exit_code = 4


class LockHeld(BriefingsError):
    exit_code = 5


class DeliveryFailed(BriefingsError):
    """The briefings were written, but a delivery (e-mail, webhook) failed; the next run retries it."""

    exit_code = 6


class NoInput(BriefingsError):
    """Nothing could be ingested."""


class OutputError(BriefingsError):
    """The output directory cannot be written (read-only, full, ...)."""


class LLMError(BriefingsError):
    """A model call failed for good (after retries / re-asks)."""


class MissingKey(LLMError, UsageError):
    exit_code = 2

    def __init__(self, variable: str):
        super().__init__(f"no API key: set the environment variable {variable} (or llm.api_key_env in config)")
        self.variable = variable


class AnswerTooLarge(LLMError):
    """A response longer than its request could need (``max_tokens``): cut off unread, not retried."""

    def __init__(self, message: str, limit: int = 0):
        super().__init__(message)
        self.limit = limit


class ValidationFailed(LLMError):
    """The model's answer did not validate after the allowed re-asks."""
