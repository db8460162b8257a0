"""Delivery of a written period: e-mail (SMTP) and a webhook, after the outputs are written.

Everything is read back from what the run wrote (``out/<period>/<CC>.json``, the PDFs, ``run.json``),
never from the pipeline's objects: a delivery that failed is retried by a later run, or by
``briefings deliver``, from the files alone. Failures are recorded in ``<data_dir>/pending-deliveries.json``
(targets, periods and one-line errors; never a credential) and end the run with exit code 6.

Secrets come from environment variables only (their names are the settings): the SMTP user and
password, the webhook URL (a Slack/Teams URL is itself a secret) and the HMAC key. Error messages are
scrubbed of them before they are logged or recorded.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import os
import re
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .config import DeliverSettings, Settings
from .errors import BriefingsError, DeliveryFailed, UsageError
from .fsutil import atomic_write
from .models import Briefing

PENDING_NAME = "pending-deliveries.json"
SIGNATURE_HEADER = "X-Briefings-Signature"  # "sha256=<hex>" of HMAC-SHA256(secret, "<timestamp>." + body)
TIMESTAMP_HEADER = "X-Briefings-Timestamp"  # seconds since 1970; receivers reject old ones (replays)
DELIVERY_HEADER = "X-Briefings-Delivery"  # the same for every retry of one delivery: receivers can dedupe


@dataclass
class Outcome:
    delivered: list[str] = field(default_factory=list)  # targets, e.g. "email:ops@example.org", "webhook"
    failed: dict[str, str] = field(default_factory=dict)  # target -> one-line error (scrubbed)
    notes: list[str] = field(default_factory=list)


# ------------------------------------------------------------------ settings, secrets


def enabled(settings: Settings) -> bool:
    return settings.deliver.email or settings.deliver.webhook


def targets(d: DeliverSettings) -> list[str]:
    """Every configured target, in order: one per e-mail recipient, then the webhook."""
    return [f"email:{r.address}" for r in d.recipients] * d.email + ["webhook"] * d.webhook


def _env(name: str | None, environ: dict[str, str] | None = None) -> str | None:
    value = (os.environ if environ is None else environ).get(name) if name else None
    return value or None


def _secrets(d: DeliverSettings) -> list[str]:
    found = [_env(n) for n in (d.smtp_user_env, d.smtp_password_env, d.webhook_url_env, d.webhook_secret_env)]
    return [s for s in found if s and len(s) >= 4]


def scrub(message: str, d: DeliverSettings) -> str:
    """One line, with every secret value the settings point at replaced by ***, also altered or encoded
    (an SMTP 535 reply quoting the base64 AUTH PLAIN ``\\0user\\0pass`` or AUTH LOGIN lines): the SMTP
    password by any run of 8+ of its characters, every secret whole (``briefings/redact.py``)."""
    from .redact import redact

    password = _env(d.smtp_password_env) or ""
    message = redact(message, [password] * (len(password) >= 8), whole=_secrets(d))
    return " ".join(message.split())[:500]


def _loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def preflight(settings: Settings) -> None:
    """What is knowably wrong before any work (exit 2): a named secret variable that is unset."""
    d = settings.deliver
    if enabled(settings) and "json" not in settings.output.formats:
        raise UsageError("delivery reads the written briefings back: add \"json\" to output.formats")
    if d.email:
        user, password = _env(d.smtp_user_env), _env(d.smtp_password_env)
        if user and not password:
            raise UsageError(f"SMTP user set but no password: set the environment variable {d.smtp_password_env}")
        if user and d.smtp_security == "none" and not _loopback(d.smtp_host or ""):
            raise UsageError("refusing to send an SMTP password unencrypted: set deliver.smtp_security to "
                             "starttls or ssl")
        if d.smtp_ca_file and not Path(d.smtp_ca_file).is_file():
            raise UsageError(f"deliver.smtp_ca_file not found: {d.smtp_ca_file}")
    if d.webhook_url_env and not _env(d.webhook_url_env):
        raise UsageError(f"no webhook URL: set the environment variable {d.webhook_url_env}")


# ------------------------------------------------------------------ reading a written period


@dataclass
class Period:
    name: str
    dir: Path
    briefings: list[Briefing]
    run: dict[str, Any]


def load_period(out_dir: Path, period: str) -> Period:
    from .render import CC_RE, check_period

    base = Path(out_dir) / check_period(period)
    if not base.is_dir():
        raise BriefingsError(f"no written period {period} in {out_dir}")
    briefings = [Briefing.model_validate_json(p.read_text(encoding="utf-8"))
                 for p in sorted(base.glob("*.json")) if CC_RE.fullmatch(p.stem)]
    if not briefings:
        raise BriefingsError(f"period {period} in {out_dir} has no briefing JSON (format json is needed to deliver)")
    run_path = base / "run.json"
    run = json.loads(run_path.read_text(encoding="utf-8")) if run_path.is_file() else {}
    return Period(period, base, briefings, run)


# ------------------------------------------------------------------ content


def plain_text(briefings: list[Briefing], period: str) -> str:
    """The digest as plain text: the e-mail's text alternative (numbered citations quoted at the end of
    each country)."""
    from .render import prepare

    lines = [f"Country briefings — {period}", ""]
    for b in sorted(briefings, key=lambda b: b.country):
        v = prepare(b)
        c = v["counts"]
        lines += [f"{b.country} · {b.country_name}", b.title,
                  f"Grounding {v['grounding_pct']}% — {c['supported']} supported, {c['partial']} partly supported, "
                  f"{c['unverified']} unverified of {v['shown']} statements", ""]
        lines += _changes_text(b)
        for sec in v["sections"]:
            lines.append(sec["title"].upper())
            for s in sec["sentences"]:
                flag = "NOT SUPPORTED: " if s["verdict"] == "unsupported" else ""
                new = f" [{s['change_label']}]" if s.get("change_label") else ""
                lang = f" ({s['lang']})" if s["foreign"] else ""
                cites = "".join(f"[{n['n']}]" for n in s["cites"])
                lines.append(f" {s['mark']} {flag}{s['text']}{lang} {cites}{new}".rstrip())
            lines.append("")
        for n in v["notes"]:
            if n["missing"]:
                lines.append(f"[{n['n']}] cited sentence not found: {n['sentence_id']}")
            else:
                where = ", ".join(x for x in (n["outlet"], n["date"]) if x)
                lines.append(f"[{n['n']}] “{n['text']}” ({n['lang']}) — {where}" + (f"\n    {n['link']}" if n["link"] else ""))
        lines += ["", "—" * 20, ""]
    return "\n".join(lines).rstrip() + "\n"


def _changes_text(b: Briefing) -> list[str]:
    ch = getattr(b, "changes", None)
    if ch is None:
        return []
    lines = [f"CHANGES SINCE {ch.since}: {ch.new} new, {ch.continued} continued, {len(ch.dropped)} dropped"]
    lines += [f" - dropped: {s.text}" for s in ch.dropped]
    return lines + [""]


def summary(period: Period) -> dict[str, Any]:
    """The webhook's JSON document: per country its title, grounding, counts and bottom line."""
    countries = []
    for b in sorted(period.briefings, key=lambda b: b.country):
        shown = [s for sec in b.sections for s in sec.sentences]
        bottom = next((sec.sentences[0].text for sec in b.sections if sec.key == "bottom_line" and sec.sentences), None)
        entry: dict[str, Any] = {"country": b.country, "name": b.country_name, "title": b.title,
                                 "grounding": round(b.grounding, 4), "statements": len(shown),
                                 "bottom_line": bottom}
        ch = getattr(b, "changes", None)
        if ch is not None:
            entry["changes"] = {"since": ch.since, "new": ch.new, "continued": ch.continued,
                                "dropped": len(ch.dropped)}
        countries.append(entry)
    return {"period": period.name, "generated_at": period.run.get("generated_at"),
            "grounding": period.run.get("grounding"), "countries": countries,
            "files": sorted(p.name for p in period.dir.iterdir() if p.is_file() and not p.name.startswith("."))}


# A chat client turns a URL in plain text into a link by itself (Slack and Teams link "https://…" and
# "www.…"; some link a bare "name.tld"): the scheme's colon and a host name's dots are bracketed, the
# way security reports "defang" a URL, so "https://evil.example/login" reads "https[:]//evil[.]example/login".
_SCHEME = re.compile(r"(?i)\b([a-z][a-z0-9+.-]{0,30}):(?=//)")
# a host name: labels of letters, digits and '-' (any script) joined by dots, ending in a label of 2+ letters;
# "e.g.", "U.S.", "3.5bn" and "v1.2" are not one
_HOST = re.compile(r"(?<![\w.-])[^\W_](?:[\w-]*[^\W_])?(?:\.[^\W_](?:[\w-]*[^\W_])?)*\.[^\W\d_]{2,63}\b")
# Teams' MessageCard text is Markdown with some HTML: every character that opens a link ([text](url),
# <https://…>, <a href>, ![image](url), [text][ref]) or formatting is written as an HTML character reference
_TEAMS = {c: f"&#{ord(c)};" for c in "\\[]()*_~`"} | {"&": "&amp;", "<": "&lt;", ">": "&gt;"}


def _defang(text: str) -> str:
    text = _SCHEME.sub(r"\1[:]", text)
    return _HOST.sub(lambda m: m[0].replace(".", "[.]"), text)


def _chat_escape(text: str) -> str:
    # article text is untrusted: no "<!channel>" mention, link markup or bare URL reaches Slack as a link
    return _defang(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _teams_escape(text: str) -> str:
    # the same for Teams, whose card text is Markdown: no link syntax of any kind survives
    return "".join(_TEAMS.get(c, c) for c in _defang(text))


def webhook_payload(period: Period, fmt: str) -> dict[str, Any]:
    doc = summary(period)
    if fmt == "json":
        return doc
    head = f"Country briefings {period.name}: {len(doc['countries'])} countries"
    if isinstance(doc["grounding"], (int, float)):
        head += f", grounding {round(doc['grounding'] * 100)}%"
    rows = []
    for c in doc["countries"]:
        ch = c.get("changes")
        delta = f", {ch['new']} new since {ch['since']}" if ch else ""
        row = f"• {c['country']} {c['name']} ({round(c['grounding'] * 100)}%, {c['statements']} statements{delta})"
        if c["bottom_line"]:
            row += f": {c['bottom_line']}"
        rows.append(row)
    if fmt == "slack":
        return {"text": "\n".join(_chat_escape(line) for line in [head, *rows])}
    # Teams: a paragraph per line (a line break inside a bottom line cannot start a paragraph of its own)
    return {"@type": "MessageCard", "@context": "https://schema.org/extensions", "summary": head,
            "title": _chat_escape(head),
            "text": "\n\n".join(_teams_escape(line).replace("\n", " ") for line in [head, *rows])}


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """The signature header's value; a receiver recomputes it over the raw body it got."""
    return "sha256=" + hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


# ------------------------------------------------------------------ sending


def _subset(period: Period, countries: list[str]) -> list[Briefing]:
    return [b for b in period.briefings if not countries or b.country in countries]


def _attachments(period: Period, chosen: list[Briefing], filtered: bool, d: DeliverSettings,
                 notes: list[str]) -> list[Path]:
    mode = d.attach
    if mode == "none":
        return []
    digest = period.dir / "digest.pdf"
    if mode == "digest" or (mode == "auto" and not filtered):
        files = [digest] if digest.is_file() else []
    else:
        files = [p for p in (period.dir / f"{b.country}.pdf" for b in chosen) if p.is_file()]
    if sum(p.stat().st_size for p in files) > d.max_attachments_mb * 1024 * 1024:
        notes.append(f"PDFs not attached: more than {d.max_attachments_mb:g} MB; they are in {period.dir}")
        return []
    return files


def build_email(period: Period, address: str, countries: list[str], settings: Settings) -> Any:
    """The message for one recipient, or None when none of their countries has a briefing this period."""
    from email.message import EmailMessage
    from email.utils import formatdate, make_msgid

    from .render import render_digest

    d = settings.deliver
    chosen = _subset(period, countries)
    if not chosen:
        return None
    notes: list[str] = []
    files = _attachments(period, chosen, bool(countries), d, notes)
    codes = ", ".join(sorted(b.country for b in chosen))
    msg = EmailMessage()
    msg["Subject"] = d.subject.format(period=period.name, countries=codes)
    msg["From"] = d.sender
    msg["To"] = address
    msg["Date"] = formatdate(usegmt=True)
    msg["Message-ID"] = make_msgid(domain=(d.sender or "briefings").rpartition("@")[2])
    msg["Auto-Submitted"] = "auto-generated"  # RFC 3834: no vacation replies to a robot
    msg["X-Briefings-Period"] = period.name
    text = plain_text(chosen, period.name)
    msg.set_content("\n".join(notes + [""] * bool(notes)) + text)
    msg.add_alternative(str(render_digest(chosen, period.name, period.run, "html", settings)), subtype="html")
    for p in files:
        msg.add_attachment(p.read_bytes(), maintype="application", subtype="pdf", filename=f"{period.name}-{p.name}")
    return msg


def _smtp(d: DeliverSettings) -> Any:
    import smtplib
    import ssl

    host = d.smtp_host or ""
    port = d.smtp_port or {"starttls": 587, "ssl": 465, "none": 25}[d.smtp_security]
    context = ssl.create_default_context(cafile=str(d.smtp_ca_file) if d.smtp_ca_file else None)
    if d.smtp_security == "ssl":
        smtp: Any = smtplib.SMTP_SSL(host, port, timeout=d.smtp_timeout, context=context)
    else:
        smtp = smtplib.SMTP(host, port, timeout=d.smtp_timeout)
    try:
        smtp.ehlo()
        if d.smtp_security == "starttls":
            smtp.starttls(context=context)  # fails when the server does not offer it: never falls back to plain
            smtp.ehlo()
        user, password = _env(d.smtp_user_env), _env(d.smtp_password_env)
        if user and password:
            smtp.login(user, password)
    except BaseException:
        smtp.close()
        raise
    return smtp


def send_email(msg: Any, d: DeliverSettings) -> None:
    smtp = _smtp(d)
    try:
        smtp.send_message(msg)
    finally:
        try:
            smtp.quit()
        except Exception:  # noqa: BLE001 - the message was accepted; a rude hang-up changes nothing
            smtp.close()


class _NoRedirect:
    """urllib turns a redirected POST into a GET without body: a redirect is a failure here."""

    @staticmethod
    def opener() -> Any:
        import urllib.request

        class Handler(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args: Any, **kwargs: Any) -> None:
                return None

        return urllib.request.build_opener(Handler)


def send_webhook(period: Period, d: DeliverSettings, now: float | None = None) -> str:
    """POST the summary; returns the delivery id. Raises on a non-2xx answer or a transport error."""
    import urllib.request

    url = d.webhook_url or _env(d.webhook_url_env) or ""
    if urlsplit(url).scheme not in ("http", "https"):
        raise BriefingsError("the webhook URL is not an http(s) URL")
    body = json.dumps(webhook_payload(period, d.webhook_format), ensure_ascii=False, sort_keys=True).encode()
    delivery = hashlib.sha256(f"{period.name}\0webhook\0".encode() + body).hexdigest()[:32]
    stamp = str(int(time.time() if now is None else now))
    headers = {"Content-Type": "application/json; charset=utf-8", "User-Agent": "briefings",
               DELIVERY_HEADER: delivery, TIMESTAMP_HEADER: stamp}
    secret = _env(d.webhook_secret_env)
    if secret:
        headers[SIGNATURE_HEADER] = sign(secret, stamp, body)
    req = urllib.request.Request(url, data=body, headers=headers, method="POST")
    with _NoRedirect.opener().open(req, timeout=d.webhook_timeout) as r:
        if not 200 <= r.status < 300:
            raise BriefingsError(f"webhook answered HTTP {r.status}")
    return delivery


def _describe(e: BaseException) -> str:
    import urllib.error

    if isinstance(e, urllib.error.HTTPError):
        return f"HTTP {e.code} {e.reason}"  # never the URL: it may be the secret
    if isinstance(e, urllib.error.URLError):
        return f"cannot reach the webhook: {e.reason}"
    return f"{type(e).__name__}: {e}"


def transient(e: BaseException) -> bool:
    """Worth another try within the run: the server was unreachable, slow or asked to come back later.
    A refused certificate, a refused login, a 4xx HTTP answer or a 5xx SMTP answer will not change."""
    import smtplib
    import ssl
    import urllib.error

    if isinstance(e, urllib.error.HTTPError):
        return e.code in (408, 425, 429) or e.code >= 500
    if isinstance(e, smtplib.SMTPResponseException):
        return 400 <= e.smtp_code < 500
    if isinstance(e, smtplib.SMTPRecipientsRefused):
        return all(400 <= code < 500 for code, _ in e.recipients.values())
    if isinstance(e, (ssl.SSLError, ssl.CertificateError)):
        return False
    if isinstance(e, urllib.error.URLError):
        return not isinstance(e.reason, (ssl.SSLError, ssl.CertificateError))
    return isinstance(e, (OSError, smtplib.SMTPServerDisconnected))


def _with_retries(send: Any, d: DeliverSettings, sleep: Any = time.sleep) -> None:
    for attempt in range(d.retries + 1):
        try:
            send()
            return
        except Exception as e:
            if attempt == d.retries or not transient(e):
                raise
            sleep(d.retry_wait * 2 ** attempt)


def deliver_period(settings: Settings, period: Period, only: list[str] | None = None, reporter: Any = None) -> Outcome:
    """Send ``period`` to every configured target (or those in ``only``); never raises for a send."""
    d = settings.deliver
    outcome = Outcome()
    filters = {f"email:{r.address}": r.countries for r in d.recipients}
    for target in targets(d):
        if only is not None and target not in only:
            continue
        try:
            if target == "webhook":
                if not _env(d.webhook_secret_env):
                    outcome.notes.append(f"webhook not signed: {d.webhook_secret_env} is not set")
                _with_retries(lambda: send_webhook(period, d), d)
            else:
                address = target.partition(":")[2]
                msg = build_email(period, address, filters[target], settings)
                if msg is None:
                    outcome.notes.append(f"{address}: none of their countries has a briefing in {period.name}")
                    outcome.delivered.append(target)
                    continue
                _with_retries(lambda: send_email(msg, d), d)  # noqa: B023 - called before the loop moves on
            outcome.delivered.append(target)
        except Exception as e:  # noqa: BLE001 - one refused recipient or dead endpoint must not stop the rest
            outcome.failed[target] = scrub(_describe(e), d)
    return outcome


# ------------------------------------------------------------------ the pending ledger


def _pending_path(settings: Settings) -> Path:
    return Path(settings.run.data_dir) / PENDING_NAME


def load_pending(settings: Settings) -> list[dict[str, Any]]:
    path = _pending_path(settings)
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return []
    except (OSError, ValueError):
        return []  # a damaged ledger loses retries, never a run
    return [e for e in doc.get("pending", []) if isinstance(e, dict)]


def _save_pending(settings: Settings, entries: list[dict[str, Any]]) -> None:
    path = _pending_path(settings)
    if not entries and not path.exists():
        return
    atomic_write(path, json.dumps({"version": 1, "pending": entries}, ensure_ascii=False, indent=2) + "\n")


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


def _ledger_lock(settings: Settings) -> Any:
    from filelock import FileLock

    Path(settings.run.data_dir).mkdir(parents=True, exist_ok=True)
    return FileLock(str(_pending_path(settings)) + ".lock", timeout=60)


def deliver(settings: Settings, period: str | None, reporter: Any) -> DeliveryFailed | None:
    """Retry what is pending for this output directory, then deliver ``period`` (None: retries only).

    Returns the failure to raise once the run's other checks are done (it is not raised here, so the
    caller keeps its exit-code order), None when every delivery went through.
    """
    d = settings.deliver
    out_dir = str(Path(settings.output.dir).resolve())
    configured = set(targets(d))
    with _ledger_lock(settings):
        ledger = load_pending(settings)
        mine = [e for e in ledger if e.get("out_dir") == out_dir]
        keep = [e for e in ledger if e.get("out_dir") != out_dir]
        by_period: dict[str, list[dict[str, Any]]] = {}
        for e in mine:
            if e.get("target") not in configured:
                reporter.warn(f"delivery of {e.get('period')} to {e.get('target')} dropped: no longer configured")
            elif e.get("period") != period:  # the current period is delivered afresh below
                by_period.setdefault(str(e.get("period")), []).append(e)
        jobs: list[tuple[str, list[str] | None, dict[str, dict[str, Any]]]] = [
            (p, [e["target"] for e in es], {e["target"]: e for e in es}) for p, es in sorted(by_period.items())]
        if period is not None:
            old = {e["target"]: e for e in mine if e.get("period") == period and e.get("target") in configured}
            jobs.append((period, None, old))
        failed: list[str] = []
        for name, only, previous in jobs:
            try:
                written = load_period(Path(out_dir), name)
            except BriefingsError as e:
                if only is not None:
                    reporter.warn(f"delivery of {name} given up: {e}")
                    continue
                outcome = Outcome(failed={t: str(e) for t in configured})
            else:
                outcome = deliver_period(settings, written, only, reporter)
            for note in outcome.notes:
                reporter.info(f"deliver {name}: {note}")
            for t in outcome.delivered:
                retry = " (retry)" if t in previous else ""
                reporter.info(f"delivered {name} to {t}{retry}")
            for t, error in outcome.failed.items():
                entry = previous.get(t) or {"out_dir": out_dir, "period": name, "target": t, "attempts": 0,
                                            "first_failed": _now()}
                entry.update(attempts=int(entry.get("attempts", 0)) + 1, last_failed=_now(), error=error)
                if entry["attempts"] >= d.max_attempts and only is not None:
                    reporter.error(f"delivery of {name} to {t} given up after {entry['attempts']} attempts: {error}")
                    continue
                keep.append(entry)
                failed.append(f"{name} to {t}: {error}")
                reporter.warn(f"delivery of {name} to {t} failed (attempt {entry['attempts']}, retried next run): {error}")
        _save_pending(settings, keep)
    if failed:
        return DeliveryFailed(f"{len(failed)} deliver{'ies' if len(failed) > 1 else 'y'} failed, the briefings are "
                              f"written and the next run retries: " + "; ".join(failed[:3]))
    return None


def retry_pending(settings: Settings, reporter: Any) -> None:
    """Retry earlier failed deliveries when this run has nothing of its own to send (its own failure is
    the exit code; a retry that fails again stays pending)."""
    if enabled(settings):
        deliver(settings, None, reporter)


def after_build(settings: Settings, res: Any, reporter: Any, check_thresholds: Any) -> None:
    """The hook after a build wrote its outputs: deliver unless the grounding gate failed (a document
    below ``verify.min_grounding`` is written for inspection, not sent), then the exit-code policy.
    Order: 1 (nothing built) and 3 (grounding) first, then 6 (delivery), then 4 (partial)."""
    from .errors import PartialFailure

    floor = settings.verify.min_grounding
    below = floor is not None and bool(res.briefings) and res.grounding < floor
    failure = None
    if enabled(settings):
        if below:
            reporter.warn(f"nothing delivered for {res.period}: grounding below verify.min_grounding")
        failure = deliver(settings, res.period if res.files and not below else None, reporter)
    try:
        check_thresholds(res, settings)
    except PartialFailure:
        if failure is not None:
            raise failure from None
        raise
    if failure is not None:
        raise failure
