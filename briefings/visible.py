"""What a reader of a rendered page would not see, removed from its lxml tree before any text is taken.

One function, :func:`drop_hidden`, for saved HTML pages (run before trafilatura extracts) and for feed
entries. It drops:

* elements the browser never renders: ``<template>``, ``<noscript>``, ``<iframe>``/``<object>`` fallback,
  ``<svg>``, a closed ``<dialog>``; the body of a collapsed ``<details>`` (its ``<summary>`` stays);
* the ``hidden`` attribute; ``aria-hidden="true"`` where asked (feeds, as before);
* class names that hide on every site that uses them (``briefings/data/hidden.toml``: ``sr-only``,
  ``visually-hidden``, ``d-none`` ...), unless a responsive class shows the element again;
* what the element's style says, inline and from the page's own ``<style>`` blocks (cascaded: specificity,
  order, ``!important``; rules in ``@media print`` or under a width condition do not count, a ``:hover``
  rule does not apply): ``display:none``, ``opacity`` under 0.1, a zero-area ``clip``/``clip-path``,
  ``transform: scale(0)``, far off-screen offsets and ``text-indent``, a zero width or height box;
* text a reader cannot see where it is: ``visibility:hidden``, ``font-size:0`` (inherited, so a child
  that sets them back is kept), transparent text, text of (nearly) the background's colour.

Text whose visibility cannot be judged is dropped too and counted apart (``unsure``): light text where
the background is the page default or an image (the site's stylesheet may paint it dark; we do not
have it), and elements a ``<style>`` rule hides through a selector we cannot evaluate (its last compound
selector is matched instead). Text is evidence only when we can tell a reader saw it.
"""

from __future__ import annotations

import re
import tomllib
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from .config import PACKAGE_DATA

# elements a reader never sees: their text is not the article's (and is where injected instructions hide)
INVISIBLE_TAGS = frozenset({"script", "style", "template", "noscript", "head", "title", "iframe", "object", "svg",
                            "datalist"})
_PAGE_KEEP = frozenset({"script", "style", "head", "title"})  # trafilatura reads metadata there, drops the rest


@dataclass
class Dropped:
    """What :func:`drop_hidden` removed: runs of text (an element's subtree or its own text) a reader would
    not see, and those whose visibility could not be judged."""

    hidden: int = 0
    unsure: int = 0
    reasons: Counter | None = None

    def add(self, reason: str, unsure: bool = False) -> None:
        if self.reasons is None:
            self.reasons = Counter()
        self.reasons[reason] += 1
        if unsure:
            self.unsure += 1
        else:
            self.hidden += 1

    @property
    def total(self) -> int:
        return self.hidden + self.unsure


@lru_cache(maxsize=1)
def _classes() -> tuple[frozenset[str], re.Pattern | None]:
    data = tomllib.loads((PACKAGE_DATA / "hidden.toml").read_text(encoding="utf-8"))
    shown = data.get("shown_by", [])
    return (frozenset(c.lower() for c in data.get("classes", [])),
            re.compile("|".join(f"(?:{p})" for p in shown)) if shown else None)


# ---------------------------------------------------------------- values

_PX = {"px": 1.0, "em": 16.0, "rem": 16.0, "pt": 4 / 3, "pc": 16.0, "in": 96.0, "cm": 96 / 2.54, "mm": 96 / 25.4,
       "q": 96 / 101.6, "ex": 8.0, "ch": 8.0, "vw": 12.0, "vh": 8.0, "vmin": 8.0, "vmax": 12.0, "lh": 19.0}
_FAR = 500.0  # px: a negative offset this large puts the box off any screen (sr-only uses -9999px, -10000px, -999em)


def _tokens(value) -> list:
    return [t for t in value if t.type not in ("whitespace", "comment")]


def _length(t) -> float | None:
    """A token's length in CSS px (em taken as 16 px; % of an unknown box: None unless 0)."""
    if t.type == "number":
        return float(t.value)  # unitless: 0, or a number where the property takes one
    if t.type == "percentage":
        return 0.0 if t.value == 0 else None
    if t.type == "dimension":
        f = _PX.get(t.lower_unit)
        return t.value * f if f is not None else (0.0 if t.value == 0 else None)
    return None


def _first_length(value) -> float | None:
    toks = _tokens(value)
    return _length(toks[0]) if toks else None


def _is_zero(value) -> bool:
    toks = _tokens(value)
    return len(toks) == 1 and toks[0].type in ("number", "percentage", "dimension") and toks[0].value == 0


def _ident(value) -> str:
    toks = _tokens(value)
    return toks[0].lower_value if len(toks) == 1 and toks[0].type == "ident" else ""


def _args(fn) -> list:
    return [t for t in _tokens(fn.arguments) if t.type != "literal" or t.value not in (",", "/")]


def _color(tokens) -> tuple[float, float, float, float] | str | None:
    """sRGB + alpha of the first colour among ``tokens``; "image" for an image (url, gradient); None
    when none is given or it cannot be read."""
    from tinycss2 import color4

    for t in tokens:
        if t.type == "url" or (t.type == "function" and (t.lower_name == "url" or "gradient" in t.lower_name
                                                         or t.lower_name in ("image", "image-set", "element"))):
            return "image"
    for t in tokens:
        if t.type not in ("ident", "hash", "function"):
            continue
        try:
            c = color4.parse_color(t)
            if c is None or isinstance(c, str):
                continue
            r, g, b = c.to("srgb").coordinates
            return (min(1.0, max(0.0, r)), min(1.0, max(0.0, g)), min(1.0, max(0.0, b)), float(c.alpha))
        except Exception:  # noqa: BLE001 - a colour space tinycss2 cannot convert: unknown
            return None
    return None


def _luminance(c: tuple[float, float, float, float]) -> float:
    def ch(v: float) -> float:
        return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4

    return 0.2126 * ch(c[0]) + 0.7152 * ch(c[1]) + 0.0722 * ch(c[2])


def _contrast(fg: tuple[float, float, float, float], bg: tuple[float, float, float, float]) -> float:
    a = fg[3]
    mixed = (fg[0] * a + bg[0] * (1 - a), fg[1] * a + bg[1] * (1 - a), fg[2] * a + bg[2] * (1 - a), 1.0)
    la, lb = _luminance(mixed), _luminance(bg)
    return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)


_WHITE = (1.0, 1.0, 1.0, 1.0)
_LOW_CONTRAST = 1.5  # below this ratio text does not stand out from its background (#eee on white: 1.16, #ccc: 1.6)


# ---------------------------------------------------------------- declarations

Decls = dict  # property (lower case) -> its value's component values


@lru_cache(maxsize=4096)
def _inline(style: str) -> tuple[tuple[str, tuple, bool], ...]:
    """(property, value, important) of an inline ``style`` attribute, in order."""
    import tinycss2

    out = []
    for d in tinycss2.parse_blocks_contents(style, skip_comments=True, skip_whitespace=True):
        if d.type == "declaration":
            out.append((d.lower_name, tuple(d.value), bool(d.important)))
    return tuple(out)


def _box_hidden(d: Decls) -> str | None:
    """Why the element's box (and so its whole subtree) is not seen, from its own declarations."""
    if "display" in d and _ident(d["display"]) == "none":
        return "display:none"
    if "opacity" in d:
        toks = _tokens(d["opacity"])
        if len(toks) == 1 and toks[0].type in ("number", "percentage"):
            v = toks[0].value / (100 if toks[0].type == "percentage" else 1)
            if v < 0.1:
                return "opacity:0"
    if "clip" in d:
        for fn in _tokens(d["clip"]):
            if fn.type == "function" and fn.lower_name == "rect":
                vals = [_length(t) for t in _args(fn)]  # "auto" (an edge of the box) reads as None
                nums = [v for v in vals if v is not None]
                if len(vals) == 4 and len(nums) == 4:
                    top, right, bottom, left = nums
                    if bottom - top <= 1 or right - left <= 1:
                        return "clip:rect(0)"
    if "clip-path" in d:
        for fn in _tokens(d["clip-path"]):
            if fn.type == "function" and fn.lower_name == "inset":
                pcts = [t.value for t in _args(fn) if t.type == "percentage"]
                if pcts and max(pcts) >= 50:
                    return "clip-path:inset"
            if fn.type == "function" and fn.lower_name in ("circle", "ellipse"):
                args = _args(fn)
                if args and _length(args[0]) == 0:
                    return "clip-path:" + fn.lower_name + "(0)"
    if "transform" in d:
        for fn in _tokens(d["transform"]):
            if fn.type == "function" and fn.lower_name in ("scale", "scalex", "scaley", "scale3d"):
                if any(t.type in ("number", "percentage") and t.value == 0 for t in _args(fn)):
                    return "transform:scale(0)"
            if fn.type == "function" and fn.lower_name in ("translate", "translatex", "translatey", "translate3d"):
                if any((x := _length(t)) is not None and x <= -_FAR for t in _args(fn)):
                    return "off-screen"
    for prop in ("left", "top", "right", "bottom", "margin-left", "margin-top", "inset", "margin"):
        if prop in d and (x := _first_length(d[prop])) is not None and x <= -_FAR:
            return "off-screen"
    if "text-indent" in d and (x := _first_length(d["text-indent"])) is not None and x <= -_FAR:
        return "text-indent off-screen"
    padded = any(k.startswith("padding") and not _is_zero(v) and _tokens(v) for k, v in d.items())
    if not padded and any(p in d and _is_zero(d[p]) for p in ("height", "max-height", "width", "max-width")):
        return "zero-size box"
    return None


# ---------------------------------------------------------------- the page's own stylesheet

_RELEVANT = re.compile(r"^(display|visibility|opacity|clip|clip-path|transform|left|top|right|bottom|inset|margin|"
                       r"margin-left|margin-top|text-indent|width|height|max-width|max-height|padding.*|font-size|"
                       r"font|color|background|background-color)$")


def _media_applies(prelude) -> bool:
    """``@media`` that holds on any screen: ``screen``, ``all`` (or a list with one of them), no feature test."""
    text = "".join(t.serialize() for t in prelude).strip().lower()
    return any(q.strip() in ("screen", "all", "only screen") for q in text.split(","))


# A stylesheet is tokenised only in the rules that may bear on visibility (tinycss2 takes 0.7 s for a
# 300 KB inline stylesheet; most of its rules set layout, fonts and dark text colours). A rule body is kept
# when it sets display, visibility, opacity, clip, transform or a font size; a zero width or height; a
# negative offset, margin or indent; a light or transparent text colour; a dark or image background.
# Dropping a rule can only make us drop more: a dark colour rule that would override a light one is gone,
# so that text counts as unsure. Strings and comments are matched whole, so a brace in them cannot cut a rule.
_ATOM = r"""(?:[^{}"'/]|"(?:\\.|[^"\\])*"|'(?:\\.|[^'\\])*'|/\*.*?\*/|/)"""
_LEAF = re.compile(rf"{_ATOM}*?\{{({_ATOM}*)\}}", re.S)
_DECL = re.compile(r"(?<![\w-])(display|visibility|opacity|clip|clip-path|transform|font-size|font|text-indent|"
                   r"width|height|max-width|max-height|left|top|right|bottom|inset|margin|margin-left|margin-top|"
                   r"color|background|background-color)\s*:\s*([^;]*)", re.I)
_ZERO = re.compile(r"^\s*0*\.?0+(px|em|rem|%|pt|vw|vh)?\s*(!important)?\s*$", re.I)


_OFFSETS = frozenset({"left", "top", "right", "bottom", "inset", "margin", "margin-left", "margin-top", "text-indent"})


@lru_cache(maxsize=4096)
def _light(value: str) -> bool | None:
    """Whether a colour value (text) is light or transparent; None when it is no colour we can read."""
    import tinycss2

    c = _color(_tokens(tinycss2.parse_component_value_list(value.replace("!important", ""), skip_comments=True)))
    if not isinstance(c, tuple):
        return None if c is None else False
    return c[3] < 0.1 or _contrast(c, _WHITE) < _LOW_CONTRAST


def _bears(body: str) -> bool:
    for m in _DECL.finditer(body):
        prop, value = m.group(1).lower(), m.group(2)
        if prop in ("display", "visibility", "opacity", "clip", "clip-path", "transform", "font-size", "font"):
            return True
        if prop == "color":
            if _light(value) is not False:
                return True
        elif prop.startswith("background"):
            if "url(" in value.lower() or "gradient" in value.lower() or _light(value) is False:
                return True
        elif value.lstrip().startswith("-") if prop in _OFFSETS else _ZERO.match(value):
            return True  # a negative offset, margin or indent; a zero width or height
    return False


def _bearing(css: str) -> str:
    return _LEAF.sub(lambda m: m.group(0) if _bears(m.group(1)) else "", css)


def _rules(css: str, out: list, unsure: list) -> None:
    import cssselect2
    import tinycss2

    css = _bearing(css)

    def walk(nodes) -> None:
        for r in nodes:
            if r.type == "at-rule" and r.content is not None:
                kw = r.lower_at_keyword
                if (kw == "media" and _media_applies(r.prelude)) or kw in ("supports", "layer"):
                    walk(tinycss2.parse_rule_list(r.content, skip_comments=True, skip_whitespace=True))
            elif r.type == "qualified-rule":
                decls = [(d.lower_name, tuple(d.value), bool(d.important))
                         for d in tinycss2.parse_blocks_contents(r.content, skip_comments=True, skip_whitespace=True)
                         if d.type == "declaration" and _RELEVANT.match(d.lower_name)]
                if not decls:
                    continue
                try:
                    selectors = cssselect2.compile_selector_list(r.prelude)
                except Exception:  # noqa: BLE001 - a selector cssselect2 cannot evaluate
                    _fallback(r.prelude, decls, unsure)
                    continue
                for sel in selectors:
                    if sel.pseudo_element is None:  # ::before/::after: generated text, not the element's
                        out.append((sel, decls))

    walk(tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True))


def _fallback(prelude, decls, unsure: list) -> None:
    """A rule whose selector we cannot evaluate: when its declarations hide, the elements matching the
    last compound selector of each part (pseudo-classes removed) are taken as maybe hidden."""
    import cssselect2

    d = {p: v for p, v, _ in decls}
    if not (_box_hidden(d) or _ident(d.get("visibility", ())) in ("hidden", "collapse")
            or ("font-size" in d and _is_zero(d["font-size"]))):
        return
    text = "".join(t.serialize() for t in prelude)
    for part in text.split(","):
        last = re.split(r"[\s>+~]+", part.strip())[-1]
        last = re.sub(r"::?[\w-]+(\([^)]*\))?", "", last)
        if not last:
            continue
        try:
            for sel in cssselect2.compile_selector_list(last):
                unsure.append((sel, decls))
        except Exception:  # noqa: BLE001
            continue


def _stylesheet(root) -> tuple[dict, set]:
    """Element -> the declarations of the page's ``<style>`` rules that match it, in cascade order
    (specificity, then source order); and the elements matched only through a selector we could not
    evaluate."""
    styles = [el for el in root.iter("style") if (el.get("media") or "all").strip().lower() in ("all", "screen", "")
              or _media_applies_text(el.get("media") or "")]
    if not styles:
        return {}, set()
    import cssselect2

    rules: list = []
    unsure: list = []
    for el in styles:
        try:
            _rules(el.text_content(), rules, unsure)
        except Exception:  # noqa: BLE001 - a stylesheet we cannot parse adds nothing
            continue
    if not rules and not unsure:
        return {}, set()
    matcher, maybe = cssselect2.Matcher(), cssselect2.Matcher()
    for n, (sel, decls) in enumerate(rules):
        matcher.add_selector(sel, (n, decls))
    for sel, decls in unsure:
        maybe.add_selector(sel, decls)
    matched: dict = {}
    flagged: set = set()
    top = root.getroottree().getroot()
    for w in cssselect2.ElementWrapper.from_html_root(top).iter_subtree():
        hits = matcher.match(w)
        if hits:
            # (specificity, order, pseudo, payload); payload (n, decls): later rules win at equal specificity
            matched[w.etree_element] = [p[1] for p in sorted((h[0], h[3]) for h in hits)]
        if unsure and maybe.match(w):
            flagged.add(w.etree_element)
    return matched, flagged


def _media_applies_text(media: str) -> bool:
    return any(q.strip().lower() in ("screen", "all", "only screen") for q in media.split(","))


def _cascade(sheet: list, style: str | None) -> Decls:
    """The element's own declared values: stylesheet rules, the inline style, then ``!important`` ones."""
    d: Decls = {}
    inline = _inline(style) if style else ()
    for important in (False, True):
        for decls in sheet:
            for p, v, imp in decls:
                if imp is important:
                    d[p] = v
        for p, v, imp in inline:
            if imp is important:
                d[p] = v
    return d


# ---------------------------------------------------------------- the walk


@dataclass(frozen=True)
class _Inherited:
    invisible: bool = False  # visibility: hidden
    tiny: bool = False  # font-size 0
    color: tuple | None = None  # declared text colour (None: the default, taken as legible)
    background: tuple | str | None = None  # declared background: a colour, "image", or None (page default)


_SEEN = _Inherited()


def _has_text(el) -> bool:
    return bool("".join(el.itertext()).strip())


def _drop(el, why: str, dropped: Dropped, unsure: bool = False) -> None:
    if _has_text(el):
        dropped.add(why, unsure)
    parent = el.getparent()
    if parent is None:  # the root: empty it
        el.text = None
        for child in list(el):
            el.remove(child)
    else:
        el.drop_tree()  # keeps the text that follows the element


def _own_text(el) -> str:
    return (el.text or "") + "".join(c.tail or "" for c in el)


def _clear_own_text(el) -> None:
    el.text = None
    for c in el:
        c.tail = None


def _hides_text(s: _Inherited) -> tuple[str, bool] | None:
    """Why text in state ``s`` is not seen (and whether that is only a guess), or None when it is."""
    if s.invisible:
        return "visibility:hidden", False
    if s.tiny:
        return "font-size:0", False
    if s.color is None:
        return None
    if s.color[3] < 0.1:
        return "transparent text", False
    if isinstance(s.background, tuple):
        return ("text of the background's colour", False) if _contrast(s.color, s.background) < _LOW_CONTRAST else None
    # background unknown (page default, which the site's stylesheet may set, or an image)
    if _contrast(s.color, _WHITE) < _LOW_CONTRAST:
        return "light text on an unknown background", True
    return None


def drop_hidden(root, aria_hidden: bool = False, page: bool = False) -> Dropped:
    """Remove from the lxml tree ``root`` (in place) what a reader would not see; see the module doc.
    ``page``: a whole document that trafilatura reads next: ``<head>``, scripts and styles are left to it
    (metadata lives there) and only the body is walked. ``aria_hidden``: drop ``aria-hidden="true"``
    elements too (feeds: decorative copies of visible text)."""
    dropped = Dropped()
    classes, shown_by = _classes()
    sheet, flagged = _stylesheet(root)
    skip_tags = _PAGE_KEEP if page else frozenset()
    start = root
    if page:
        body = root.find(".//body") if root.tag != "body" else root
        if body is None:
            return dropped
        start = body
    stack: list = [(start, _Inherited())]
    while stack:
        el, parent_state = stack.pop()
        tag = el.tag if isinstance(el.tag, str) else None
        if tag is None:
            continue  # comments, processing instructions: no rendered text (lxml keeps their tail apart)
        tag = tag.lower()
        why = _element_hidden(el, tag, classes, shown_by, aria_hidden, skip_tags)
        if why:
            _drop(el, why, dropped)
            continue
        if el in flagged:
            _drop(el, "a <style> rule we cannot evaluate", dropped, unsure=True)
            continue
        style = el.get("style")
        rules = sheet.get(el)
        state = parent_state
        if style or rules:
            d = _cascade([decls for _, decls in rules] if rules else [], style)
            box = _box_hidden(d)
            if box:
                _drop(el, box, dropped)
                continue
            state = _inherit(parent_state, d)
        if tag == "details" and el.get("open") is None:
            _collapse(el, dropped)
        elif tag == "dialog" and el.get("open") is None:
            _drop(el, "closed <dialog>", dropped)
            continue
        if state != _SEEN:
            text_why = _hides_text(state)
            if text_why and _own_text(el).strip():
                dropped.add(*text_why)
                _clear_own_text(el)
        stack.extend((c, state) for c in reversed(el))
    return dropped


def _element_hidden(el, tag: str, classes: frozenset, shown_by: re.Pattern | None, aria_hidden: bool,
                    skip_tags: frozenset) -> str | None:
    if tag in INVISIBLE_TAGS and tag not in skip_tags:
        return f"<{tag}>"
    if el.get("hidden") is not None:
        return "hidden attribute"
    if aria_hidden and (el.get("aria-hidden") or "").strip().lower() == "true":
        return "aria-hidden"
    cls = el.get("class")
    if cls:
        names = cls.lower().split()
        hit = next((c for c in names if c in classes), None)
        if hit and not (shown_by and any(shown_by.search(c) for c in names)):
            return f"class {hit}"
    return None


def _collapse(details, dropped: Dropped) -> None:
    """A ``<details>`` without ``open``: only its first ``<summary>`` shows."""
    summary = next((c for c in details if isinstance(c.tag, str) and c.tag.lower() == "summary"), None)
    text = (details.text or "") + "".join(c.tail or "" for c in details)
    gone = [c for c in details if c is not summary]
    if text.strip() or any(isinstance(c.tag, str) and _has_text(c) for c in gone):
        dropped.add("collapsed <details>")
    details.text = None
    for c in details:
        c.tail = None
    for c in gone:
        details.remove(c)


def _inherit(s: _Inherited, d: Decls) -> _Inherited:
    invisible, tiny, color, background = s.invisible, s.tiny, s.color, s.background
    if "visibility" in d:
        v = _ident(d["visibility"])
        if v in ("hidden", "collapse"):
            invisible = True
        elif v == "visible":
            invisible = False
    size = d.get("font-size")
    if size is None and "font" in d:  # the shorthand: its size is the length before the family
        size = next(([t] for t in _tokens(d["font"]) if t.type in ("dimension", "percentage", "number")
                     and _length(t) is not None), None)
    if size is not None:
        toks = _tokens(size)
        if len(toks) == 1:
            t = toks[0]
            if t.type in ("number", "percentage", "dimension") and t.value == 0:
                tiny = True
            elif t.type == "dimension" and t.lower_unit in ("em", "ex", "ch", "%") or t.type == "percentage":
                pass  # relative to the parent's size: stays 0 under a 0 parent
            elif t.type == "ident" and t.lower_value in ("smaller", "larger", "inherit", "unset"):
                pass
            else:
                tiny = False  # an absolute size (px, rem, a keyword) sets it back
    if "color" in d:
        c = _color(_tokens(d["color"]))
        if isinstance(c, tuple):
            color = c
        elif _ident(d["color"]) in ("initial", "unset", "revert"):
            color = None
    for prop in ("background-color", "background"):
        if prop in d:
            c = _color(_tokens(d[prop]))
            if c == "image":
                background = "image"
            elif isinstance(c, tuple) and c[3] >= 0.5:
                background = c
            break
    out = _Inherited(invisible, tiny, color, background)
    return s if out == s else out

