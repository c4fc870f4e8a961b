"""The PDF report's fonts and text hygiene: the bundled DejaVu Sans, and user text made safe.

Every user string goes through ``para_text`` (or ``plain_text`` for canvas drawing): characters
the font lacks become U+FFFD instead of failing the export, control characters and lone
surrogates are dropped, and ``& < >`` are escaped so that user text can never become reportlab
markup (bold, an image, a link).
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Callable
from itertools import repeat
from pathlib import Path
from xml.sax.saxutils import escape

REGULAR = "SopSans"
BOLD = "SopSans-Bold"
_FILES = {REGULAR: "DejaVuSans.ttf", BOLD: "DejaVuSans-Bold.ttf"}
_REPLACEMENT = "\ufffd"


def _resources_dir() -> Path:
    """``resources/`` in the source tree, or ``sopdesigner/resources`` in an installed wheel."""
    from sopdesigner.templates import resources_dir

    return resources_dir()


def font_path(name: str) -> Path:
    return _resources_dir() / "fonts" / _FILES[name]


_WIDTH_CACHE_LIMIT = 200_000  # distinct strings per face; a bound, not a tuning knob


def _measured_font_class() -> type:
    """A TTFont whose string widths are memoised. A report measures the same words, labels and
    stamps tens of thousands of times (paragraph line breaking, table cells), and without
    reportlab's optional C accelerator each measure is a Python loop over the characters: the
    largest single cost of a long report. The result is the same float reportlab computes."""
    from reportlab.pdfbase.ttfonts import TTFont

    class MeasuredTTFont(TTFont):
        def __init__(self, name: str, filename: str) -> None:
            super().__init__(name, filename)
            self._units: dict[str, float] = {}

        def stringWidth(self, text: str | bytes, size: float, encoding: str = "utf8") -> float:
            if not isinstance(text, str):
                text = text.decode(encoding or "utf8")
            units = self._units.get(text)
            if units is None:
                # map() keeps the per-character loop in C: most strings are measured once.
                units = sum(map(self.face.charWidths.get, map(ord, text), repeat(self.face.defaultWidth)))
                if len(self._units) >= _WIDTH_CACHE_LIMIT:
                    self._units.clear()
                self._units[text] = units
            return 0.001 * size * units

    return MeasuredTTFont


_MEASURES: dict[str, Callable[[str, float], float]] = {}


def measure(font_name: str) -> Callable[[str, float], float]:
    """``width(text, size)`` of a registered font, without reportlab's font lookup per call
    (table cells measure hundreds of thousands of strings)."""
    width = _MEASURES.get(font_name)
    if width is None:
        from reportlab.pdfbase.pdfmetrics import getFont

        register_fonts()
        width = _MEASURES[font_name] = getFont(font_name).stringWidth
    return width


@functools.cache
def register_fonts() -> frozenset[int]:
    """Register the bundled fonts once; returns the code points the regular face can draw."""
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics

    from sopdesigner.errors import SopError

    font_class = _measured_font_class()
    faces = {}
    for name in (REGULAR, BOLD):
        path = font_path(name)
        try:
            faces[name] = font_class(name, str(path))
        except Exception as err:  # reportlab raises bare TTFError/OSError variants
            raise SopError(f"The report font {path.name} could not be loaded from {path.parent}.") from err
        pdfmetrics.registerFont(faces[name])
    # Paragraph <b> inside our own (escaped) markup maps to the bold face.
    addMapping(REGULAR, 0, 0, REGULAR)
    addMapping(REGULAR, 1, 0, BOLD)
    addMapping(REGULAR, 0, 1, REGULAR)
    addMapping(REGULAR, 1, 1, BOLD)
    regular = set(faces[REGULAR].face.charToGlyph)
    bold = set(faces[BOLD].face.charToGlyph)
    return frozenset(regular & bold)


_PLAIN_CACHE: dict[str, str] = {}
_PLAIN_CACHE_LIMIT = 50_000
_PLAIN_CACHE_MAX_LEN = 300  # long texts are rare and seldom repeated


def plain_text(value: object) -> str:
    """User text safe to draw with the bundled font (no markup handling: canvas drawing)."""
    text = "" if value is None else str(value)
    if text.isascii() and text.isprintable():
        return text  # the common case: nothing to normalise, drop or replace
    # Names, em dashes and glyphs repeat across thousands of table rows: clean each once.
    hit = _PLAIN_CACHE.get(text)
    if hit is not None:
        return hit
    clean = _clean(text)
    if len(text) <= _PLAIN_CACHE_MAX_LEN:
        if len(_PLAIN_CACHE) >= _PLAIN_CACHE_LIMIT:
            _PLAIN_CACHE.clear()
        _PLAIN_CACHE[text] = clean
    return clean


def clear_caches() -> None:
    """Forget the cleaned strings of the last report."""
    _PLAIN_CACHE.clear()


def _clean(text: str) -> str:
    covered = register_fonts()
    if text.isprintable() and covered.issuperset(map(ord, text)) and unicodedata.is_normalized("NFC", text):
        return text  # every character drawable as it is (checked in C, no per-character loop)
    text = unicodedata.normalize("NFC", text)
    out: list[str] = []
    for ch in text:
        code = ord(ch)
        if ch in "\n\t":
            out.append(ch)
        elif code < 32 or code == 127 or 0xD800 <= code <= 0xDFFF or unicodedata.category(ch) == "Cc":
            continue
        elif code in covered:
            out.append(ch)
        elif unicodedata.category(ch) in ("Mn", "Me", "Cf"):
            continue  # an uncovered combining mark or format char: dropping it keeps the base letter
        else:
            out.append(_REPLACEMENT)
    return "".join(out)


def para_text(value: object) -> str:
    """User text for a Paragraph: safe characters, escaped markup, line breaks kept."""
    text = escape(plain_text(value))
    return text.replace("\t", "    ").replace("\n", "<br/>")
