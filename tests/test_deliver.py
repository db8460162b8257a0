"""Delivery of written briefings (briefings/deliver.py) against real servers on 127.0.0.1: an aiosmtpd
SMTP server (STARTTLS with login, implicit TLS) whose messages are read back with their attachments,
and an HTTP server checking the webhook's HMAC. Failures are recorded, exit 6, and are retried."""

from __future__ import annotations

import contextlib
import email
import email.policy
import hashlib
import hmac
import json
import os
import shutil
import socket
import ssl
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Iterator

import pytest

aiosmtpd = pytest.importorskip("aiosmtpd")
from aiosmtpd.controller import Controller  # noqa: E402
from aiosmtpd.smtp import AuthResult, LoginPassword  # noqa: E402

from briefings.config import load_settings  # noqa: E402
from briefings.pipeline import build  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
USER, PASSWORD = "analyst", "s3cret-Pa55word-for-smtp"
HOOK_SECRET = "hook-secret-0123456789abcdef"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Inbox:
    """aiosmtpd handler: keeps every accepted message as (envelope recipients, parsed message)."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], email.message.EmailMessage]] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        msg = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        self.messages.append((list(envelope.rcpt_tos), msg))
        return "250 OK"

    def to(self, address: str) -> email.message.EmailMessage:
        (msg,) = [m for rcpt, m in self.messages if rcpt == [address]]
        return msg


@contextlib.contextmanager
def smtp_server(port: int, **kw) -> Iterator[Inbox]:
    """A real SMTP server (aiosmtpd) on 127.0.0.1:``port`` for the block; yields what it received."""
    inbox = Inbox()
    ctl = Controller(inbox, hostname="127.0.0.1", port=port, **kw)
    ctl.start()
    try:
        yield inbox
    finally:
        ctl.stop()


def authenticator(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and auth_data.login == USER.encode() and auth_data.password == PASSWORD.encode()
    return AuthResult(success=ok)


@pytest.fixture(scope="module")
def cert(tmp_path_factory) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 (the client trusts it through deliver.smtp_ca_file)."""
    if not shutil.which("openssl"):
        pytest.skip("openssl not installed")
    d = tmp_path_factory.mktemp("tls")
    crt, key = d / "cert.pem", d / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(crt)],
                   check=True, capture_output=True)
    return crt, key


def server_tls(cert: tuple[Path, Path]) -> ssl.SSLContext:
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(str(cert[0]), str(cert[1]))
    return ctx


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> tuple[Path, str]:
    """out/ with one period built from the seeds in every format (built once; tests copy it)."""
    base = tmp_path_factory.mktemp("built")
    settings = load_settings(None, {"run": {"data_dir": base / "data"}, "output": {"dir": base / "out"}}, environ={})
    res = build([str(SEEDS)], settings)
    return base / "out", res.period


@pytest.fixture
def out(written, tmp_path) -> tuple[Path, str]:
    target = tmp_path / "out"
    shutil.copytree(written[0], target)
    return target, written[1]


def config(tmp: Path, out_dir: Path, deliver: str) -> Path:
    cfg = tmp / "briefings.toml"
    cfg.write_text(f'[run]\nsources = ["{SEEDS}"]\ndata_dir = "{tmp / "data"}"\n'
                   f'[output]\ndir = "{out_dir}"\nformats = ["md", "html", "pdf", "json"]\n'
                   f"[deliver]\nretry_wait = 0\n{deliver}")  # retries within a run: no waiting in tests
    return cfg


def cli(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "briefings", *args], capture_output=True, text=True, timeout=300,
                          env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}, cwd=cwd)


SMTP_ENV = {"BRIEFINGS_SMTP_USER": USER, "BRIEFINGS_SMTP_PASSWORD": PASSWORD}


def all_text_under(*dirs: Path) -> bytes:
    return b"".join(p.read_bytes() for d in dirs if d.exists() for p in d.rglob("*") if p.is_file())


def test_email_starttls_with_login_html_text_and_pdfs(out, tmp_path, cert):
    out_dir, period = out
    port = free_port()
    with smtp_server(port, tls_context=server_tls(cert), require_starttls=True, authenticator=authenticator,
                     auth_require_tls=True) as inbox:
        cfg = config(tmp_path, out_dir, f'smtp_host = "127.0.0.1"\nsmtp_port = {port}\nsmtp_security = "starttls"\n'
                     f'smtp_ca_file = "{cert[0]}"\nsender = "briefings@example.org"\n'
                     'subject = "Briefings {period}: {countries}"\n'
                     'recipients = ["desk@example.org", {address = "kosovo@example.org", countries = ["Kosovo"]}]\n')
        log = tmp_path / "deliver.log"
        r = cli("deliver", period, "--config", str(cfg), "--log-file", str(log), env=SMTP_ENV)
    assert r.returncode == 0, r.stderr
    assert len(inbox.messages) == 2  # one message per recipient: nobody sees the others' addresses
    codes = sorted(p.stem for p in (out_dir / period).glob("??.json"))

    full = inbox.to("desk@example.org")
    assert full["Subject"] == f"Briefings {period}: {', '.join(codes)}"
    assert full["From"] == "briefings@example.org" and full["Auto-Submitted"] == "auto-generated"
    plain = full.get_body(("plain",)).get_content()
    html = full.get_body(("html",)).get_content()
    for code in codes:
        brief = json.loads((out_dir / period / f"{code}.json").read_text())
        assert brief["title"] in plain
        first = next(s["text"] for sec in brief["sections"] for s in sec["sentences"])
        assert " ".join(first.split()) in plain  # every country's statements, as text
        assert f'id="cc-{code}"' in html  # and as the digest's HTML
    (att,) = list(full.iter_attachments())
    assert att.get_filename() == f"{period}-digest.pdf"
    assert att.get_content() == (out_dir / period / "digest.pdf").read_bytes()

    kosovo = inbox.to("kosovo@example.org")
    assert kosovo["Subject"] == f"Briefings {period}: XK"
    assert 'id="cc-XK"' in kosovo.get_body(("html",)).get_content()
    assert 'id="cc-RS"' not in kosovo.get_body(("html",)).get_content()
    (att,) = list(kosovo.iter_attachments())
    assert att.get_filename() == f"{period}-XK.pdf"
    assert att.get_content() == (out_dir / period / "XK.pdf").read_bytes()

    # the password is in no file written, no log line, no output
    assert PASSWORD.encode() not in all_text_under(out_dir, tmp_path / "data", log.parent)
    assert PASSWORD not in r.stderr + r.stdout
    assert "delivered" in log.read_text()


def test_email_implicit_tls(out, tmp_path, cert):
    out_dir, period = out
    port = free_port()
    with smtp_server(port, ssl_context=server_tls(cert)) as inbox:
        cfg = config(tmp_path, out_dir, f'smtp_host = "127.0.0.1"\nsmtp_port = {port}\nsmtp_security = "ssl"\n'
                     f'smtp_ca_file = "{cert[0]}"\nsender = "b@example.org"\nattach = "countries"\n'
                     'recipients = [{address = "two@example.org", countries = ["RS", "XK"]}]\n')
        r = cli("deliver", period, "--config", str(cfg))
    assert r.returncode == 0, r.stderr
    msg = inbox.to("two@example.org")
    assert sorted(a.get_filename() for a in msg.iter_attachments()) == [f"{period}-RS.pdf", f"{period}-XK.pdf"]


def test_untrusted_certificate_fails_and_never_falls_back_to_plain(out, tmp_path, cert):
    out_dir, period = out
    port = free_port()
    with smtp_server(port, tls_context=server_tls(cert)) as inbox:  # no smtp_ca_file: the certificate is not trusted
        cfg = config(tmp_path, out_dir, f'smtp_host = "127.0.0.1"\nsmtp_port = {port}\nsender = "b@example.org"\n'
                     'recipients = ["x@example.org"]\n')
        r = cli("deliver", period, "--config", str(cfg), env=SMTP_ENV)
    assert r.returncode == 6
    assert "CERTIFICATE_VERIFY_FAILED" in r.stderr
    assert inbox.messages == []


def test_failed_run_keeps_briefings_exits_6_and_next_run_retries(tmp_path):
    """`briefings run` with the SMTP server down: briefings written, exit 6, the delivery pending; the next
    run (server up) delivers it and clears the ledger."""
    port = free_port()
    cfg = config(tmp_path, tmp_path / "out", f'smtp_host = "127.0.0.1"\nsmtp_port = {port}\nsmtp_security = "none"\n'
                 'sender = "b@example.org"\nrecipients = ["desk@example.org"]\n')
    first = cli("run", "--config", str(cfg), "--quiet", cwd=tmp_path)
    assert first.returncode == 6, first.stderr
    assert "retried" in first.stderr
    (period_dir,) = [p for p in (tmp_path / "out").iterdir() if p.is_dir() and not p.name.startswith(".")]
    assert (period_dir / "XK.json").is_file() and (period_dir / "digest.pdf").is_file()
    ledger = json.loads((tmp_path / "data" / "pending-deliveries.json").read_text())
    (entry,) = ledger["pending"]
    assert entry["target"] == "email:desk@example.org" and entry["period"] == period_dir.name
    assert entry["attempts"] == 1 and "Connection refused" in entry["error"]

    with smtp_server(port) as inbox:
        second = cli("run", "--config", str(cfg), cwd=tmp_path)
    assert second.returncode == 0, second.stderr
    assert "(retry)" in second.stderr
    assert len(inbox.messages) == 1  # the same period: delivered once, not once for the retry and once afresh
    assert json.loads((tmp_path / "data" / "pending-deliveries.json").read_text())["pending"] == []


def test_pending_older_period_is_retried_alongside_the_new_one(out, tmp_path):
    out_dir, period = out
    older = out_dir / "2020-W01"
    shutil.copytree(out_dir / period, older)
    port = free_port()
    cfg = config(tmp_path, out_dir, f'smtp_host = "127.0.0.1"\nsmtp_port = {port}\nsmtp_security = "none"\n'
                 'sender = "b@example.org"\nrecipients = ["desk@example.org"]\nmax_attempts = 2\n')
    assert cli("deliver", "2020-W01", "--config", str(cfg)).returncode == 6
    with smtp_server(port) as inbox:
        r = cli("deliver", period, "--config", str(cfg))
    assert r.returncode == 0, r.stderr
    assert sorted(m["X-Briefings-Period"] for _, m in inbox.messages) == sorted(["2020-W01", period])


class Hook(BaseHTTPRequestHandler):
    received: list[tuple[dict[str, str], bytes]] = []
    status = 200
    script: list[int] = []  # statuses to answer first, one per request

    def do_POST(self):  # noqa: N802 - http.server's hook name
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).received.append((dict(self.headers), body))
        self.send_response(type(self).script.pop(0) if type(self).script else type(self).status)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def hook():
    handler = type("H", (Hook,), {"received": [], "status": 200, "script": []})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server, handler
    server.shutdown()
    server.server_close()


def test_webhook_json_summary_signed_with_hmac(out, tmp_path, hook):
    out_dir, period = out
    server, handler = hook
    url = f"http://127.0.0.1:{server.server_port}/hooks/T0/B0/secretpart"
    cfg = config(tmp_path, out_dir, 'webhook_url_env = "HOOK_URL"\n')
    r = cli("deliver", period, "--config", str(cfg), env={"HOOK_URL": url, "BRIEFINGS_WEBHOOK_SECRET": HOOK_SECRET})
    assert r.returncode == 0, r.stderr
    ((headers, body),) = handler.received
    stamp = headers["X-Briefings-Timestamp"]
    expected = hmac.new(HOOK_SECRET.encode(), stamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(headers["X-Briefings-Signature"], "sha256=" + expected)
    doc = json.loads(body)
    assert doc["period"] == period
    codes = sorted(p.stem for p in (out_dir / period).glob("??.json"))
    assert [c["country"] for c in doc["countries"]] == codes
    xk = json.loads((out_dir / period / "XK.json").read_text())
    (entry,) = [c for c in doc["countries"] if c["country"] == "XK"]
    assert entry["title"] == xk["title"] and entry["grounding"] == round(xk["grounding"], 4)
    assert "digest.pdf" in doc["files"]
    assert "secretpart" not in r.stderr and HOOK_SECRET not in r.stderr


def test_webhook_slack_text_escapes_markup_and_failure_is_pending(out, tmp_path, hook):
    out_dir, period = out
    server, handler = hook
    xk = out_dir / period / "XK.json"
    doc = json.loads(xk.read_text())
    bottom = next(sec for sec in doc["sections"] if sec["key"] == "bottom_line")
    bottom["sentences"][0]["text"] = "<!channel> alert"  # article text is untrusted
    xk.write_text(json.dumps(doc))
    cfg = config(tmp_path, out_dir, f'webhook_url = "http://127.0.0.1:{server.server_port}/x"\n'
                                    'webhook_format = "slack"\nretries = 1\n')
    handler.status = 500
    r = cli("deliver", period, "--config", str(cfg))
    assert r.returncode == 6 and "HTTP 500" in r.stderr
    assert "webhook not signed" in r.stderr
    ledger = json.loads((tmp_path / "data" / "pending-deliveries.json").read_text())
    assert [e["target"] for e in ledger["pending"]] == ["webhook"]
    handler.status = 200
    assert cli("deliver", "--config", str(cfg)).returncode == 0  # retries what is pending
    bodies = [json.loads(b) for _, b in handler.received]
    assert len(bodies) == 3 and bodies[0] == bodies[2]  # tried twice in the first run, once in the second
    assert set(bodies[1]) == {"text"}
    assert "&lt;!channel&gt;" in bodies[1]["text"] and "<!channel>" not in bodies[1]["text"]
    ids = {h["X-Briefings-Delivery"] for h, _ in handler.received}
    assert len(ids) == 1  # a retry carries the same delivery id: the receiver can drop the duplicate


# article text that would post a live link: Markdown (inline, image, reference), autolink, bare URL and
# host name, raw HTML
LINKS = ["[Verify your account](https://evil.example/login)", "![pixel](https://evil.example/p.png)",
         "see [your account][1]\n\n[1]: https://evil.example/ref", "<https://evil.example/auto>",
         "log in at https://evil.example/bare now", "or www.evil.example/www, or evil.example",
         '<a href="https://evil.example/html">Verify</a>']


@pytest.mark.parametrize("fmt", ["teams", "slack"])
def test_webhook_chat_text_carries_no_live_link(out, tmp_path, hook, fmt):
    """docs/delivery.md: a source cannot post a link. The card a real receiver gets is rendered as Teams
    does (Markdown with HTML): no <a> or <img> comes out, and no URL or host name a client would link by
    itself is left whole; Slack's text has no <…> and no URL either. The words stay readable."""
    from markdown_it import MarkdownIt

    out_dir, period = out
    server, handler = hook
    files = sorted((out_dir / period).glob("??.json"))
    assert len(files) >= len(LINKS)
    for path, attack in zip(files, LINKS):
        doc = json.loads(path.read_text())
        bottom = next((sec for sec in doc["sections"] if sec["key"] == "bottom_line"), None)
        if bottom is None:  # a country reported only in other languages has no bottom line: give it one
            bottom = {"key": "bottom_line", "title": "Bottom line", "sentences": [dict(doc["sections"][0]["sentences"][0])]}
            doc["sections"].insert(0, bottom)
        bottom["sentences"][0]["text"] = f"Officials said so. {attack}"  # article text is untrusted
        path.write_text(json.dumps(doc))
    cfg = config(tmp_path, out_dir, f'webhook_url = "http://127.0.0.1:{server.server_port}/x"\n'
                                    f'webhook_format = "{fmt}"\n')
    r = cli("deliver", period, "--config", str(cfg))
    assert r.returncode == 0, r.stderr
    ((_, body),) = handler.received
    card = json.loads(body)
    text = card["text"]
    if fmt == "teams":
        assert card["@type"] == "MessageCard"
        shown = MarkdownIt("commonmark", {"html": True}).render(text)
        assert "<a " not in shown and "<img" not in shown, shown
    else:
        shown = text
        assert "<" not in text and ">" not in text  # Slack's <url|text> and <!channel>
    assert "://" not in shown and "evil.example" not in shown, shown
    assert shown.count("Officials said so.") == len(LINKS) and "Verify your account" in shown
    assert "evil[.]example" in shown  # still readable, defanged


@pytest.mark.parametrize("deliver, message", [
    ('smtp_password_env = "hunter2-Very-Secret-Passw0rd"\n', "looks like a secret"),
    ('smtp_host = "h"\nsender = "b@example.org"\nrecipients = ["a@x.org\\nBcc: evil@x.org"]\n', "not one e-mail address"),
    ('smtp_host = "h"\nsender = "b@example.org"\nrecipients = [{address = "a@x.org", countries = ["Atlantis"]}]\n',
     "unknown country"),
    ('smtp_host = "h"\nsender = "b@example.org"\nrecipients = ["a@x.org"]\nsubject = "{password}"\n', "placeholder"),
    ('recipients = ["a@x.org"]\n', "smtp_host"),
    ('webhook_url = "https://example.org/hook?token=abcdef"\n', "credential"),
    ('smtp_pasword_env = "X"\n', "unknown setting 'deliver.smtp_pasword_env'"),
    # control characters inside an address (TOML escapes): NUL truncates it in C code, CR injects headers
    ('smtp_host = "h"\nsender = "b@example.org"\nrecipients = ["a\\u0000@x.org"]\n',
     "'deliver.recipients.0.address' in"),
    ('smtp_host = "h"\nsender = "b@example.org"\nrecipients = ["a@x.org\\u0000"]\n', "control character U+0000"),
    ('smtp_host = "h"\nsender = "b@example.org"\nrecipients = [{address = "a@x.org\\rBcc: e@x.org", countries = []}]\n',
     "'deliver.recipients.0.address' in"),
    ('smtp_host = "h"\nsender = "b\\u0007@example.org"\nrecipients = ["a@x.org"]\n', "'deliver.sender' in"),
    ('smtp_host = "h"\nsender = "b@example.org"\nrecipients = ["a@x.org", "c@x.org\\u202e"]\n',
     "control character U+202E"),
])
def test_config_errors_exit_2_without_echoing_secrets(tmp_path, deliver, message):
    cfg = config(tmp_path, tmp_path / "out", deliver)
    r = cli("deliver", "--config", str(cfg))
    assert r.returncode == 2, r.stderr
    assert message in r.stderr
    assert "hunter2" not in r.stderr and "abcdef" not in r.stderr


def test_preflight_names_the_missing_password_variable(tmp_path):
    cfg = config(tmp_path, tmp_path / "out", 'smtp_host = "127.0.0.1"\nsender = "b@example.org"\nrecipients = ["a@x.org"]\n')
    r = cli("run", "--config", str(cfg), env={"BRIEFINGS_SMTP_USER": USER})
    assert r.returncode == 2 and "BRIEFINGS_SMTP_PASSWORD" in r.stderr
    assert not (tmp_path / "out").exists()  # refused before any work


def test_a_delivery_failure_outranks_a_partial_run(tmp_path):
    """A delivery failure (6) outranks a partial run (4): monitoring sees that nobody got the briefings."""
    port = free_port()  # nothing listens there
    deliver = (f'smtp_host = "127.0.0.1"\nsmtp_port = {port}\nsmtp_security = "none"\n'
               'sender = "b@example.org"\nrecipients = ["desk@example.org"]\n')
    cfg = config(tmp_path, tmp_path / "out", deliver)
    text = cfg.read_text().replace(f'sources = ["{SEEDS}"]', f'sources = ["{SEEDS}", "{tmp_path / "missing.txt"}"]')
    cfg.write_text(text)
    r = cli("run", "--config", str(cfg), "--quiet", cwd=tmp_path)
    assert r.returncode == 6, r.stderr
    assert "skipped" in r.stderr  # the partial run is still reported
    ledger = tmp_path / "data" / "pending-deliveries.json"
    assert len(json.loads(ledger.read_text())["pending"]) == 1



def test_below_the_grounding_gate_nothing_is_sent(tmp_path):
    from types import SimpleNamespace

    from briefings.deliver import after_build
    from briefings.errors import GroundingBelowThreshold
    from briefings.log import Reporter
    from briefings.pipeline import check_thresholds

    settings = load_settings(None, {"run": {"data_dir": tmp_path / "data"}, "output": {"dir": tmp_path / "out"},
                                    "verify": {"min_grounding": 0.8},
                                    "deliver": {"smtp_host": "127.0.0.1", "smtp_port": free_port(),
                                                "sender": "b@example.org", "recipients": ["a@example.org"]}},
                             environ={})
    res = SimpleNamespace(briefings=[object()], grounding=0.5, period="2024-W19", files=[Path("x")],
                          failures=[], skipped=[], messages=[])
    with pytest.raises(GroundingBelowThreshold):
        after_build(settings, res, Reporter("plain", quiet=True), check_thresholds)
    assert not (tmp_path / "data" / "pending-deliveries.json").exists()  # no attempt, nothing pending


def test_teams_and_slack_payloads(written):
    from briefings.deliver import load_period, webhook_payload

    out_dir, period = written
    p = load_period(out_dir, period)
    teams = webhook_payload(p, "teams")
    assert teams["@type"] == "MessageCard" and period in teams["title"]
    assert all(f"• {b.country} " in teams["text"] for b in p.briefings)
    assert webhook_payload(p, "slack")["text"].startswith(f"Country briefings {period}: {len(p.briefings)} countries")


def test_build_with_deliver_flag(tmp_path, hook):
    server, handler = hook
    cfg = config(tmp_path, tmp_path / "out", f'webhook_url = "http://127.0.0.1:{server.server_port}/x"\n')
    r = cli("build", str(SEEDS), "--config", str(cfg), "--format", "md,json", "--deliver", "--quiet", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    ((_, body),) = handler.received
    assert {c["country"] for c in json.loads(body)["countries"]} >= {"RS", "XK"}
    assert cli("build", str(SEEDS), "--config", str(cfg), "--format", "md,json", cwd=tmp_path).returncode == 0
    assert len(handler.received) == 1  # without --deliver, build sends nothing


def test_a_transient_failure_is_retried_within_the_run(out, tmp_path, hook):
    out_dir, period = out
    server, handler = hook
    handler.script = [503, 429]  # then 200
    cfg = config(tmp_path, out_dir, f'webhook_url = "http://127.0.0.1:{server.server_port}/x"\nretries = 2\n')
    r = cli("deliver", period, "--config", str(cfg))
    assert r.returncode == 0, r.stderr
    assert len(handler.received) == 3
    assert len({h["X-Briefings-Delivery"] for h, _ in handler.received}) == 1


def test_permanent_failures_are_not_retried_within_the_run():
    import smtplib
    import ssl
    import urllib.error

    from briefings.deliver import transient

    assert transient(ConnectionRefusedError()) and transient(TimeoutError())
    assert transient(smtplib.SMTPResponseException(451, b"try later"))
    assert not transient(smtplib.SMTPAuthenticationError(535, b"bad credentials"))
    assert not transient(ssl.SSLCertVerificationError("certificate verify failed"))
    assert not transient(urllib.error.HTTPError("http://x", 404, "Not Found", {}, None))  # type: ignore[arg-type]
    assert transient(urllib.error.HTTPError("http://x", 502, "Bad Gateway", {}, None))  # type: ignore[arg-type]


def test_a_run_that_builds_nothing_still_retries_pending_deliveries(out, tmp_path):
    out_dir, period = out
    port = free_port()
    cfg = config(tmp_path, out_dir, f'smtp_host = "127.0.0.1"\nsmtp_port = {port}\nsmtp_security = "none"\n'
                 'sender = "b@example.org"\nrecipients = ["desk@example.org"]\n')
    assert cli("deliver", period, "--config", str(cfg)).returncode == 6
    empty = tmp_path / "empty"
    empty.mkdir()
    cfg.write_text(cfg.read_text().replace(f'sources = ["{SEEDS}"]', f'sources = ["{empty}"]'))
    with smtp_server(port) as inbox:
        r = cli("run", "--config", str(cfg))
    assert r.returncode == 1  # nothing ingested: the run's own failure is its exit code
    assert len(inbox.messages) == 1 and inbox.messages[0][1]["X-Briefings-Period"] == period
    assert json.loads((tmp_path / "data" / "pending-deliveries.json").read_text())["pending"] == []


def quoting_authenticator(server, session, envelope, mechanism, auth_data):
    """A server that quotes the login it got in its 535 reply, as base64 (what AUTH PLAIN / LOGIN sent)."""
    import base64

    login, password = auth_data.login, auth_data.password
    sent = (base64.b64encode(b"\0" + login + b"\0" + password).decode() if mechanism == "PLAIN"
            else f"{base64.b64encode(login).decode()} {base64.b64encode(password).decode()}")
    return AuthResult(success=False, handled=False,
                      message=f"535 5.7.8 Authentication failed for {sent} ({password.decode()})")


@pytest.mark.parametrize("mechanism", ["PLAIN", "LOGIN"])
def test_a_535_reply_quoting_the_login_leaves_no_credential_in_stderr_log_or_ledger(mechanism, out, tmp_path):
    """Issue #27 item 7: the login quoted back -- in plain and as the base64 AUTH PLAIN (\\0user\\0pass) or
    AUTH LOGIN (user, pass) sent -- reaches neither stderr, the log file nor pending-deliveries.json."""
    import base64

    out_dir, period = out
    port = free_port()
    other = {"PLAIN": ["LOGIN"], "LOGIN": ["PLAIN"]}[mechanism]
    with smtp_server(port, authenticator=quoting_authenticator, auth_require_tls=False,
                     auth_exclude_mechanism=other) as inbox:
        cfg = config(tmp_path, out_dir, f'smtp_host = "127.0.0.1"\nsmtp_port = {port}\nsmtp_security = "none"\n'
                     'sender = "b@example.org"\nrecipients = ["desk@example.org"]\n')
        log = tmp_path / "deliver.log"
        r = cli("deliver", period, "--config", str(cfg), "--log-file", str(log), env=SMTP_ENV)
    assert r.returncode == 6 and inbox.messages == []
    assert "535" in r.stderr and "Authentication failed for" in r.stderr  # the reply is reported, scrubbed
    forms = [PASSWORD, USER, base64.b64encode(f"\0{USER}\0{PASSWORD}".encode()).decode(),
             base64.b64encode(PASSWORD.encode()).decode(), base64.b64encode(USER.encode()).decode()]
    sinks = {"stderr": r.stderr, "log file": log.read_text(),
             "ledger": (tmp_path / "data" / "pending-deliveries.json").read_text()}
    leaked = {name: [f for f in forms if f in text or f.rstrip("=") in text] for name, text in sinks.items()}
    assert not any(leaked.values()), leaked
