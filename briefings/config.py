"""All defaults in one place, layered: defaults < config file < environment < command line.

The config file is TOML (``briefings.toml`` in the working directory, or the file given with
``--config``, or ``$XDG_CONFIG_HOME/briefings/config.toml``). Environment variables are
``BRIEFINGS_<SECTION>_<KEY>`` (e.g. ``BRIEFINGS_LLM_MODEL``); the usual ``OPENAI_BASE_URL`` and
``OPENAI_MODEL`` are honoured too. Unknown keys are errors that name the key.
"""

from __future__ import annotations

import os
import re
import tomllib
from pathlib import Path
from typing import Any, Literal, get_origin
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, field_validator

from .errors import ConfigError

PACKAGE = Path(__file__).resolve().parent  # prompts/, templates/ and data/ ship inside it (wheel too)
PACKAGE_DATA = PACKAGE / "data"


VAR_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# query parameters whose value is a credential (Azure ?api-key=, signed URLs, tokens)
SECRET_PARAM = re.compile(r"key|token|secret|pass|pwd|sig|auth|cred|session", re.I)
MASK = "***"


def looks_like_key(value: str) -> bool:
    """True for a value that is a secret rather than an environment variable's name."""
    if not VAR_NAME.fullmatch(value):
        return True  # '-', '.', spaces: no variable is named so, every "sk-..." key has one
    if len(value) < 20 or value.isupper():
        return False  # short, or UPPER_SNAKE like OPENAI_API_KEY
    return _random(value) or "_" not in value  # random-looking ("hf_AbC9...") or one long run of characters


def _random(value: str) -> bool:
    return len(value) >= 20 and all(any(f(c) for c in value) for f in (str.islower, str.isupper, str.isdigit))


def mask_url(url: str | None) -> str | None:
    """``url`` for display: credentials in the userinfo and secret-looking query values replaced."""
    if not url:
        return url
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = parts.port
    except ValueError:  # unparsable: hide everything that could be userinfo or a query
        return re.sub(r"(?<=://)[^/?#]*@", MASK + "@", url.split("?")[0])
    netloc = parts.netloc
    if "@" in netloc:
        host = f"[{host}]" if ":" in host else host
        netloc = f"{MASK}@{host}{f':{port}' if port is not None else ''}"
    query = urlencode([(k, MASK if SECRET_PARAM.search(k) or v.startswith("sk-") or _random(v) else v)
                       for k, v in parse_qsl(parts.query, keep_blank_values=True)], safe=MASK, quote_via=quote)
    return urlunsplit((parts.scheme, netloc, parts.path, query, ""))


def _default_data_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "briefings"


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class IngestSettings(_Section):
    max_bytes: int = 10 * 1024 * 1024
    boilerplate_file: Path | None = None  # extra rules, added to briefings/data/boilerplate.toml
    near_duplicate_threshold: float = 0.15  # containment of content-word bigrams (see ingest.group_stories)


class SegmentSettings(_Section):
    chunk_tokens: int = 1500  # budget per chunk sent to extraction
    encoding: str = "cl100k_base"


class LLMSettings(_Section):
    backend: str = "extractive"  # extractive | openai | local | (registered)
    model: str | None = None
    base_url: str | None = None
    api_key_env: str = "OPENAI_API_KEY"  # the NAME of the variable holding the key, never the key
    model_path: Path | None = None  # GGUF file for the local backend
    timeout: float = Field(default=60.0, gt=0)
    max_retries: int = Field(default=4, ge=0)  # transport retries (429, 5xx, timeouts)
    reask: int = Field(default=2, ge=0)  # re-asks after a validation failure
    concurrency: int = Field(default=8, ge=1)
    temperature: float = Field(default=0.0, ge=0.0, le=2.0)
    max_tokens: int = Field(default=4096, ge=16)
    pack_tokens: int = Field(default=6000, ge=100)  # article text per extraction call: short articles share one call
    response_format: Literal["auto", "json_schema", "json_object", "text"] = "auto"
    cache: bool = True
    prompts_dir: Path | None = None  # user overrides, same file names as prompts/
    # price per 1M tokens, by model name: {"gpt-4o-mini" = {input = 0.15, output = 0.6}}
    prices: dict[str, dict[str, float]] = Field(default_factory=dict)

    @field_validator("backend")
    @classmethod
    def _registered(cls, name: str) -> str:
        from .llm import REGISTRY  # here: the backends import this module

        return _one_of(name, REGISTRY, "backend")

    @field_validator("api_key_env")
    @classmethod
    def _a_name_not_a_key(cls, value: str) -> str:
        # the message never repeats the value: it is probably the key itself
        if looks_like_key(value):
            raise ValueError("must name an environment variable (like OPENAI_API_KEY), and the value given "
                             "looks like an API key itself (not shown); put the key in that variable instead")
        return value


def _one_of(name: str, known, what: str) -> str:
    """A registry's name, or the error listing the registered ones."""
    if name not in known:
        raise ValueError(f"unknown {what} {name!r}; choose one of: {', '.join(sorted(known))}")
    return name


class VerifySettings(_Section):
    on_unsupported: Literal["drop", "flag", "fail"] = "drop"
    min_grounding: float | None = Field(default=None, ge=0.0, le=1.0)
    judge: bool = True  # use the LLM judge when a model backend is configured
    # may the judge raise a sentence the lexical checks left short of "supported"? "auto": only a model on
    # record (briefings/data/judge_quality.json) as strict enough; an unmeasured one confirms or lowers
    judge_lift: Literal["auto", "always", "never"] = "auto"
    # a sentence is checked against its best few cited sentences; one citing more is at best partial
    max_citations: int = Field(default=3, ge=1, le=20)


class ComposeSettings(_Section):
    # a statement for a lead section found only in another language: "none" reports it under "Reported in
    # other languages"; "llm" (or a plugin, briefings/translate.py) translates it, checked against its source
    translator: str = "none"
    # the LLM backend the "llm" translator asks (llm.base_url / llm.model, or llm.model_path for "local"):
    # the embedded default composes without a model, the translation needs one
    translator_backend: str = "openai"

    @field_validator("translator")
    @classmethod
    def _known_translator(cls, name: str) -> str:
        from .translate import translators  # here: translate.py imports this module

        return _one_of(name, translators(), "translator")

    @field_validator("translator_backend")
    @classmethod
    def _a_model(cls, name: str) -> str:
        from .llm import REGISTRY

        if name not in REGISTRY or not REGISTRY[name].makes_calls:
            models = sorted(n for n, b in REGISTRY.items() if b.makes_calls)
            raise ValueError(f"{name!r} cannot translate; choose a model backend: {', '.join(models)}")
        return name


Format = Literal["md", "html", "pdf", "json"]
FORMATS: tuple[Format, ...] = ("md", "html", "pdf", "json")
# a period names a directory: an ISO week or a plain label, never a path
PERIOD_PATTERN = r"^(?:[0-9]{4}-W[0-9]{2}|[A-Za-z0-9_-]{1,64})$"


def period_problem(period: str) -> str | None:
    """Why ``period`` cannot name a period (None: it can). A label shaped like an ISO week must be one:
    2026-W99, 2025-W53 (2025 has 52 weeks) or 2026-W00 would otherwise fail only after ingest and the
    model calls, where the week's dates are needed."""
    if not re.fullmatch(PERIOD_PATTERN, period or ""):
        return f"invalid period {period!r}: use YYYY-Www or letters, digits, '_' and '-'"
    m = re.fullmatch(r"([0-9]{4})-W([0-9]{2})", period)
    if m:
        from datetime import date

        year, week = int(m[1]), int(m[2])
        weeks = date(year, 12, 28).isocalendar()[1] if year >= 1 else 0  # Dec 28 is always in the last week
        if not 1 <= week <= weeks:
            return (f"invalid period {period!r}: {year} has ISO weeks 01 to {weeks}" if weeks
                    else f"invalid period {period!r}: no year 0000")
    return None


class OutputSettings(_Section):
    dir: Path = Path("out")
    formats: list[Format] = Field(default_factory=lambda: list(FORMATS), min_length=1)
    language: str = "en"  # ISO 639-1
    period: str | None = None  # default: ISO week of the newest article
    templates_dir: Path | None = None  # user overrides, same file names as templates/

    @field_validator("formats")
    @classmethod
    def _once_each(cls, formats: list[str]) -> list[str]:
        return list(dict.fromkeys(formats))

    @field_validator("period")
    @classmethod
    def _a_name_not_a_path(cls, period: str | None) -> str | None:
        problem = None if period is None else period_problem(period)
        if problem:
            raise ValueError(problem)
        return period

    @field_validator("language")
    @classmethod
    def _iso_639_1(cls, code: str) -> str:
        import pycountry

        code = code.strip().lower()
        if len(code) != 2 or pycountry.languages.get(alpha_2=code) is None:
            raise ValueError(f"{code!r} is not an ISO 639-1 language code (en, de, fr, ...)")
        return code


class RunSettings(_Section):
    sources: list[str] = Field(default_factory=list)
    countries: list[str] = Field(default_factory=list)  # empty: automatic
    min_articles: int = 1
    since: str | None = None  # "7d", "last-week", ISO date; default: the period's ISO week
    until: str | None = None  # last day of the window (inclusive), same grammar; default: the window's own end
    # articles published up to this many days before the window are background: Context only, shown
    # with their date (0: left out like later ones)
    background_days: int = Field(default=90, ge=0, le=3650)
    # undated articles (no published date): dated by when briefings first ingested them, kept, or dropped
    undated: Literal["first-seen", "keep", "drop"] = "first-seen"
    data_dir: Path = Field(default_factory=_default_data_dir)  # SQLite store + cache

    @field_validator("since", "until")
    @classmethod
    def _readable_window(cls, since: str | None) -> str | None:
        if since:
            from .errors import UsageError
            from .window import window_start

            try:
                window_start(since)
            except UsageError as e:
                raise ValueError(str(e)) from None
        return since


class CountriesSettings(_Section):
    """How articles get their countries (briefings/countries.py, briefings/places.py)."""

    # outlet -> country for an article whose text names no country and no place: a domain ("nhk.or.jp",
    # also its subdomains) or an outlet's name ("NHK"); overrides the URL's country-code domain.
    # In the environment: BRIEFINGS_COUNTRIES_OUTLETS="nhk.or.jp=JP,example.com=DE"
    outlets: dict[str, str] = Field(default_factory=dict)

    @field_validator("outlets", mode="before")
    @classmethod
    def _pairs(cls, value: Any) -> Any:
        if isinstance(value, str):
            pairs = [p.split("=", 1) for p in value.split(",") if p.strip()]
            if any(len(p) != 2 for p in pairs):
                raise ValueError("write outlet=CODE pairs separated by commas")
            return {k.strip(): v.strip() for k, v in pairs}
        return value

    @field_validator("outlets")
    @classmethod
    def _known_countries(cls, value: dict[str, str]) -> dict[str, str]:
        from .countries import resolve_country
        from .errors import UsageError
        from .places import normalize_outlets

        try:
            return normalize_outlets({k: resolve_country(v) for k, v in value.items() if k.strip()})
        except UsageError as e:
            raise ValueError(str(e)) from None


EMAIL = re.compile(r"[^@\s<>,;\"']+@[^@\s<>,;\"']+\.[^@\s<>,;\"']+")


def _env_name(value: str | None) -> str | None:
    # the message never repeats the value: it may be the secret itself
    if value is not None and (looks_like_key(value) or not VAR_NAME.fullmatch(value)):
        raise ValueError("must name an environment variable; the value given looks like a secret itself (not "
                         "shown): put the secret in that variable instead")
    return value


def _no_control(address: str) -> None:
    """A control character (NUL, CR, LF, DEL, C1) or an invisible format character (zero-width, bidi
    override) has no place in an address: NUL truncates it in C code, CR/LF inject headers, the others
    make it look like another address. EMAIL only keeps out whitespace."""
    import unicodedata

    bad = next((c for c in address if unicodedata.category(c) in ("Cc", "Cf")), None)
    if bad is not None:
        raise ValueError(f"control character U+{ord(bad):04X} in the e-mail address {address[:80]!r}: "
                         "not allowed anywhere in an address")


class Recipient(_Section):
    """One e-mail recipient; ``countries`` empty: every country of the run."""

    address: str
    countries: list[str] = Field(default_factory=list)

    @field_validator("address")
    @classmethod
    def _one_address(cls, value: str) -> str:
        value = value.strip()
        if not EMAIL.fullmatch(value):  # also keeps CR/LF (header injection) and lists out
            raise ValueError(f"not one e-mail address: {value[:80]!r}")
        _no_control(value)  # what EMAIL lets through: NUL, DEL, C1, zero-width and bidi characters
        return value

    @field_validator("countries")
    @classmethod
    def _known_countries(cls, values: list[str]) -> list[str]:
        from .countries import resolve_countries

        return resolve_countries(values)


class DeliverSettings(_Section):
    """Where a scheduled run sends its briefings (briefings/deliver.py). Secrets are never settings:
    only the names of the environment variables that hold them."""

    smtp_host: str | None = None  # e-mail is off without it
    smtp_port: int | None = Field(default=None, ge=1, le=65535)  # default 587 starttls, 465 ssl, 25 none
    smtp_security: Literal["starttls", "ssl", "none"] = "starttls"
    smtp_user_env: str = "BRIEFINGS_SMTP_USER"  # NAMES of variables; unset variables: no login
    smtp_password_env: str = "BRIEFINGS_SMTP_PASSWORD"
    smtp_ca_file: Path | None = None  # extra CA bundle for a relay with a private CA
    smtp_timeout: float = Field(default=30.0, gt=0)
    sender: str | None = None
    recipients: list[Recipient] = Field(default_factory=list)
    subject: str = "Country briefings {period}"  # placeholders: {period}, {countries}
    attach: Literal["auto", "digest", "countries", "none"] = "auto"
    max_attachments_mb: float = Field(default=20.0, gt=0)
    webhook_url_env: str | None = None  # NAME of the variable holding the URL (Slack/Teams URLs are secrets)
    webhook_url: str | None = None  # or the URL itself, for an endpoint whose URL is not a secret
    webhook_secret_env: str = "BRIEFINGS_WEBHOOK_SECRET"  # HMAC-SHA256 key; unset: unsigned
    webhook_format: Literal["json", "slack", "teams"] = "json"
    webhook_timeout: float = Field(default=30.0, gt=0)
    retries: int = Field(default=2, ge=0)  # within a run, after a transient failure (refused, timeout, 4xx SMTP, 5xx/429 HTTP)
    retry_wait: float = Field(default=10.0, ge=0)  # seconds before the first retry, doubled each time
    max_attempts: int = Field(default=10, ge=1)  # a failed delivery is retried by this many later runs

    @field_validator("recipients", mode="before")
    @classmethod
    def _plain_addresses(cls, values: Any) -> Any:
        # "a@x.org" (config list or BRIEFINGS_DELIVER_RECIPIENTS=a@x.org,b@y.org): every country
        if isinstance(values, str):
            values = [v for v in values.split(",") if v.strip()]
        return [{"address": v} if isinstance(v, str) else v for v in values or []]

    @field_validator("sender")
    @classmethod
    def _sender(cls, value: str | None) -> str | None:
        return None if value is None else Recipient._one_address(value)

    @field_validator("smtp_user_env", "smtp_password_env", "webhook_url_env", "webhook_secret_env")
    @classmethod
    def _names_not_secrets(cls, value: str | None) -> str | None:
        return _env_name(value)

    @field_validator("webhook_url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is not None:
            if not re.match(r"https?://[^/?#\s]+", value):
                raise ValueError("must be an http(s) URL")
            if mask_url(value) != value:
                raise ValueError("the URL carries a credential (not shown): name an environment variable holding "
                                 "it in deliver.webhook_url_env instead")
        return value

    @field_validator("subject")
    @classmethod
    def _placeholders(cls, value: str) -> str:
        import string

        if "\n" in value or "\r" in value:
            raise ValueError("must be one line")
        try:
            names = {f for _, f, _, _ in string.Formatter().parse(value) if f is not None}
        except ValueError as e:
            raise ValueError(f"bad placeholder: {e}") from None
        if names - {"period", "countries"}:
            raise ValueError(f"unknown placeholder(s) {sorted(names - {'period', 'countries'})}: use {{period}}, {{countries}}")
        return value

    def check_complete(self) -> None:
        """Cross-key rules, checked on the merged layers (a file may name the server, the environment the
        recipients)."""
        if self.smtp_host and not (self.sender and self.recipients):
            raise ConfigError("e-mail delivery needs deliver.sender and deliver.recipients as well as deliver.smtp_host")
        if (self.recipients or self.sender) and not self.smtp_host:
            raise ConfigError("deliver.recipients need deliver.smtp_host (the SMTP server)")
        if self.webhook_url and self.webhook_url_env:
            raise ConfigError("give deliver.webhook_url or deliver.webhook_url_env, not both")

    @property
    def email(self) -> bool:
        return bool(self.smtp_host)

    @property
    def webhook(self) -> bool:
        return bool(self.webhook_url or self.webhook_url_env)


class Settings(_Section):
    ingest: IngestSettings = Field(default_factory=IngestSettings)
    segment: SegmentSettings = Field(default_factory=SegmentSettings)
    llm: LLMSettings = Field(default_factory=LLMSettings)
    compose: ComposeSettings = Field(default_factory=ComposeSettings)
    verify: VerifySettings = Field(default_factory=VerifySettings)
    output: OutputSettings = Field(default_factory=OutputSettings)
    run: RunSettings = Field(default_factory=RunSettings)
    deliver: DeliverSettings = Field(default_factory=DeliverSettings)
    countries: CountriesSettings = Field(default_factory=CountriesSettings)
    _source: str | None = PrivateAttr(default=None)  # the config file that was read, if any

    @property
    def db_path(self) -> Path:
        return Path(self.run.data_dir) / "briefings.sqlite"


ENV_ALIASES = {"OPENAI_BASE_URL": ("llm", "base_url"), "OPENAI_MODEL": ("llm", "model")}


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for k, v in over.items():
        out[k] = _merge(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
    return out


def _env_layer(environ: dict[str, str]) -> dict[str, Any]:
    layer: dict[str, Any] = {}
    for var, (section, key) in ENV_ALIASES.items():
        if environ.get(var):
            layer.setdefault(section, {})[key] = environ[var]
    sections = Settings.model_fields
    for var, value in environ.items():
        if not var.startswith("BRIEFINGS_") or var in ("BRIEFINGS_CONFIG",):
            continue
        rest = var[len("BRIEFINGS_"):].lower()
        section, _, key = rest.partition("_")
        if section not in sections:
            continue  # other BRIEFINGS_* variables (e.g. test switches) are not settings
        fields = sections[section].annotation.model_fields  # type: ignore[union-attr]
        if key not in fields:
            raise ConfigError(f"unknown setting in environment variable {var}: {section}.{key}")
        if get_origin(fields[key].annotation) is list:  # comma-separated in the environment
            layer.setdefault(section, {})[key] = [v.strip() for v in value.split(",") if v.strip()]
        else:
            layer.setdefault(section, {})[key] = value
    return layer


def find_config_file(explicit: Path | None, environ: dict[str, str]) -> Path | None:
    if explicit:
        if not explicit.is_file():
            raise ConfigError(f"config file not found: {explicit}")
        return explicit
    if environ.get("BRIEFINGS_CONFIG"):
        return find_config_file(Path(environ["BRIEFINGS_CONFIG"]), {})
    local = Path("briefings.toml")
    if local.is_file():
        return local
    xdg = Path(environ.get("XDG_CONFIG_HOME") or Path.home() / ".config") / "briefings" / "config.toml"
    return xdg if xdg.is_file() else None


def _validate(data: dict[str, Any], origin: str) -> Settings:
    try:
        return Settings.model_validate(data)
    except ValidationError as e:
        err = e.errors()[0]
        where = ".".join(str(p) for p in err["loc"])
        if err["type"] == "extra_forbidden":
            raise ConfigError(f"unknown setting '{where}' in {origin}") from None
        msg = err["msg"].removeprefix("Value error, ")
        raise ConfigError(f"bad value for '{where}' in {origin}: {msg}") from None


def load_settings(
    config: Path | None = None,
    overrides: dict[str, dict[str, Any]] | None = None,
    environ: dict[str, str] | None = None,
) -> Settings:
    """Effective settings. ``overrides`` are command-line values (None values are ignored)."""
    environ = dict(os.environ if environ is None else environ)
    data: dict[str, Any] = {}
    path = find_config_file(config, environ)
    if path:
        try:
            file_data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
            raise ConfigError(f"cannot parse {path}: {e}") from None
        _validate(file_data, str(path))
        data = _merge(data, file_data)
        base = path.resolve().parent  # relative paths in a config file are relative to it
        for section, key in (("output", "dir"), ("run", "data_dir"), ("deliver", "smtp_ca_file")):
            v = data.get(section, {}).get(key)
            if v and not Path(v).is_absolute():
                data[section][key] = str(base / v)
        data.setdefault("run", {})
        data["run"]["sources"] = [
            s if "://" in s or Path(s).is_absolute() or s == "-" else str(base / s)
            for s in data["run"].get("sources", [])
        ]
    env = _env_layer(environ)
    _validate(env, "the environment")
    data = _merge(data, env)
    cli = {s: {k: v for k, v in d.items() if v is not None} for s, d in (overrides or {}).items()}
    data = _merge(data, {s: d for s, d in cli.items() if d})
    settings = _validate(data, "the command line")
    settings.deliver.check_complete()
    settings._source = str(path) if path else None
    return settings


def masked(settings: Settings) -> dict[str, Any]:
    """The effective configuration for display. Keys never live in settings, only their variable name;
    credentials pasted into the endpoint URL are masked."""
    doc = settings.model_dump(mode="json")
    doc["llm"]["base_url"] = mask_url(doc["llm"]["base_url"])
    doc["deliver"]["webhook_url"] = mask_url(doc["deliver"]["webhook_url"])
    return doc
