"""Finding a secret in text written to hide it, and replacing it with ``***`` (issue #27 item 7).

An endpoint or a mail server that echoes a credential need not echo it verbatim: zero-width characters
between its letters (removed later by character cleaning, leaving the exact key in the outputs), another
case, Cyrillic look-alike letters, fullwidth forms, spaces between the letters, reversed, %-encoded,
JSON-escaped, hex, base64 of the key or of ``Bearer KEY`` / ``user:KEY`` / AUTH PLAIN's
``\\0user\\0pass``. The rule:

* A *run* is a stretch of at least ``MIN_RUN`` (8) consecutive characters of the secret -- its head, its
  middle or its tail -- or of the secret reversed; for a secret shorter than that, or one that counts
  only whole (``whole=True``: a URL, whose 8-character stretches are ``https://``), the whole secret.
  Fewer characters never count, so ordinary words survive: what is removed is random-looking text that
  a model or a server could only have copied from the credential.
* Runs are looked for in a *view* of the text: NFKC, invisible characters (format, combining and control
  characters: zero-width, soft hyphen, joiners, bidi marks, variation selectors) and whitespace dropped,
  TR39 confusables mapped to their Latin letter (``briefings.injection.skeleton``), JSON ``\\uXXXX``,
  ``\\xXX``, ``%XX`` and ``&#..;`` escapes decoded, case ignored.
* and in what base64 (standard or URL-safe, padded or not, at any alignment) and hex stretches of that
  view decode to.

The whole stretch of the original text that carries a run -- escapes, invisible characters and the
spaces between its letters included -- becomes ``***``; text between JSON quotes stays valid JSON.
"""

from __future__ import annotations

import base64
import binascii
import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import TypeVar

MIN_RUN = 8
MASK = "***"

# one unit of the view each: an escape, or any character that is not printable ASCII (copied as is)
_SPECIAL = re.compile(r"[ \t\r\n]+|\\u([0-9a-fA-F]{4})|\\x([0-9a-fA-F]{2})|((?:%[0-9a-fA-F]{2})+)"
                      r"|&#(?:[xX]([0-9a-fA-F]{1,6})|([0-9]{1,7}));|\\[nrt]|[^\x21-\x7e]")
_B64 = re.compile(r"[A-Za-z0-9+/_-]{11,}={0,2}")
_HEX = re.compile(r"[0-9a-fA-F]{16,}")
_DROPPED = {"Cf", "Cc", "Mn", "Me", "Zs", "Zl", "Zp"}


@lru_cache(maxsize=8192)
def _fold_char(c: str) -> str:
    """What one character is in the view: '' for invisible ones and whitespace, the Latin letter a
    confusable stands for, the NFKC form of compatibility characters (fullwidth ｓ → s)."""
    from .injection import skeleton

    out = []
    for ch in unicodedata.normalize("NFKC", c):
        if ch.isspace() or unicodedata.category(ch) in _DROPPED:
            continue
        if ch.isascii():
            out.append(ch)
            continue
        latin = skeleton(ch).strip()
        out.append(latin if len(latin) == 1 and latin.isascii() else ch)
    return "".join(out)


def _shown(m: re.Match[str]) -> str:
    """What one special unit of the text is in the view."""
    u, x, pct, hx, dec = m.groups()
    if u or x or hx or dec:
        code = int(u or x or hx, 16) if not dec else int(dec)
        return _fold_char(chr(code)) if code < 0x110000 else m.group()
    if pct:
        return "".join(map(_fold_char, bytes.fromhex(pct.replace("%", "")).decode("utf-8", "replace")))
    first = m.group()[0]
    return "" if first in " \t\r\n\\" else _fold_char(first)


@dataclass
class _View:
    """Where each character of the view came from in the original text (built only when a run was
    found: most texts hold none)."""

    starts: list[int]  # view offset of each segment
    origin: list[int]  # original offset of each segment
    length: list[int]  # original length of a special unit; -1 for a verbatim (copied) segment

    def span(self, a: int, b: int) -> tuple[int, int]:
        """The original stretch carrying view characters [a, b)."""
        return self._at(a)[0], self._at(b - 1)[1]

    def _at(self, i: int) -> tuple[int, int]:
        k = bisect_right(self.starts, i) - 1
        if self.length[k] < 0:
            o = self.origin[k] + i - self.starts[k]
            return o, o + 1
        return self.origin[k], self.origin[k] + self.length[k]


def _mapped(text: str) -> _View:
    """The segments of ``_SPECIAL.sub(_shown, text)``."""
    view = _View([], [], [])

    def segment(v: int, o: int, length: int) -> None:
        view.starts.append(v)
        view.origin.append(o)
        view.length.append(length)

    v = pos = 0
    for m in _SPECIAL.finditer(text):
        if m.start() > pos:  # printable ASCII, copied
            segment(v, pos, -1)
            v += m.start() - pos
        shown = _shown(m)
        if shown:  # a dropped character is no segment: a run found across it covers it
            segment(v, m.start(), m.end() - m.start())
            v += len(shown)
        pos = m.end()
    if pos < len(text):
        segment(v, pos, -1)
    return view


def _lower(s: str) -> str:
    low = s.lower()
    return low if len(low) == len(s) else "".join(c if len(c.lower()) != 1 else c.lower() for c in s)


Seq = TypeVar("Seq", str, bytes)


@dataclass(frozen=True)
class _Needle:
    text: dict[str, list[tuple[str, int]]]  # each shortest run of the secret and of its reverse -> where
    data: dict[bytes, list[tuple[bytes, int]]]  # the same in UTF-8, for decoded base64 and hex
    size: int  # the shortest run that counts, in characters
    data_size: int


def _grams(seqs: tuple[Seq, Seq], size: int) -> dict[Seq, list[tuple[Seq, int]]]:
    grams: dict[Seq, list[tuple[Seq, int]]] = {}
    for s in seqs:
        for j in range(len(s) - size + 1):
            grams.setdefault(s[j:j + size], []).append((s, j))
    return grams


@lru_cache(maxsize=16)  # one or a few secrets per run, looked for in every answer and message
def _needle(secret: str, whole: bool) -> _Needle:
    low = _lower(secret)
    data = low.encode("utf-8")
    size = len(low) if whole else min(MIN_RUN, len(low))
    data_size = len(data) if whole else min(MIN_RUN, len(data))
    return _Needle(_grams((low, low[::-1]), size), _grams((data, data[::-1]), data_size), size, data_size)


def _runs(hay: Seq, grams: dict[Seq, list[tuple[Seq, int]]], size: int) -> list[tuple[int, int]]:
    """Maximal stretches [a, b) of ``hay`` (lower case) that are stretches of the secret or its reverse.
    One ``find`` per gram (C speed): a gram is rarely there at all."""
    starts: dict[int, list[tuple[Seq, int]]] = {}
    for gram, where in grams.items():
        i = hay.find(gram)
        while i >= 0:
            starts.setdefault(i, []).extend(where)
            i = hay.find(gram, i + 1)
    found: list[tuple[int, int]] = []
    end = 0
    for i in sorted(starts):
        if i < end:
            continue
        best = size
        for s, j in starts[i]:
            k = size
            while i + k < len(hay) and j + k < len(s) and hay[i + k] == s[j + k]:
                k += 1
            best = max(best, k)
        found.append((i, i + best))
        end = i + best
    return found


def _decoded_runs(view: str, needle: _Needle) -> list[tuple[int, int]]:
    """View stretches whose base64 or hex decoding holds a run (the characters that encode it)."""
    # every decoding of every candidate, joined by NUL (in no secret), searched once
    pieces: list[bytes] = []
    joined_at: list[int] = []
    # per piece: view offset, bits per view character, end of its token in the view
    where: list[tuple[int, int, int]] = []

    def add(data: bytes, start: int, bits: int, end: int) -> None:
        if len(data) >= needle.data_size:
            joined_at.append(joined_at[-1] + len(pieces[-1]) + 1 if pieces else 0)
            pieces.append(data)
            where.append((start, bits, end))

    for token in _HEX.finditer(view):
        t = token.group()
        for off in (0, 1):
            add(bytes.fromhex(t[off:off + (len(t) - off) // 2 * 2]), token.start() + off, 4, token.end())
    for token in _B64.finditer(view):
        t = token.group().rstrip("=").replace("-", "+").replace("_", "/")
        for off in range(4):
            body = t[off:]
            body = body[:-1] if len(body) % 4 == 1 else body  # a lone last character holds no byte
            try:
                data = base64.b64decode(body + "=" * (-len(body) % 4))
            except (binascii.Error, ValueError):
                continue
            add(data, token.start() + off, 6, token.end())
    found: list[tuple[int, int]] = []
    for p, q in _runs(b"\0".join(pieces).lower(), needle.data, needle.data_size) if pieces else ():
        k = bisect_right(joined_at, p) - 1
        (start, bits, end), p, q = where[k], p - joined_at[k], q - joined_at[k]
        # exactly the characters holding a bit of the run's bytes; a run to the last byte takes the padding
        found.append((start + 8 * p // bits, end if q == len(pieces[k]) else start + (8 * q - 1) // bits + 1))
    return found


def find(text: str, secret: str, whole: bool = False) -> list[tuple[int, int]]:
    """Stretches [start, end) of ``text`` carrying ``secret`` in any form the module docstring lists."""
    if not text or not secret:
        return []
    needle = _needle(secret, whole)
    view = _SPECIAL.sub(_shown, text)
    stretches = _runs(_lower(view), needle.text, needle.size) + _decoded_runs(view, needle)
    if not stretches:
        return []
    mapped = _mapped(text)
    return [mapped.span(a, b) for a, b in stretches]


def redact(text: str, secrets: Iterable[str], whole: Iterable[str] = ()) -> str:
    """``text`` with every run of each of ``secrets`` (and every whole one of ``whole``) as ``***``."""
    spans: list[tuple[int, int]] = []
    for secret in secrets:
        spans += find(text, secret)
    for secret in whole:
        spans += find(text, secret, whole=True)
    if not spans:
        return text
    out, pos = [], 0
    for a, b in sorted(spans):
        if b <= pos:
            continue
        out.append(text[pos:max(a, pos)])
        if a >= pos:
            out.append(MASK)
        pos = b
    out.append(text[pos:])
    return "".join(out)
