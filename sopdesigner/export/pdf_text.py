"""Cheap text for the report's bulk content: PDF text operators written straight to the canvas.

reportlab's text object encodes every string character by character in Python (to assign the
glyphs of the embedded TrueType subset), which made drawing a third of a long report's time.
Here each string is encoded once per document (repeated names, labels and item texts are
looked up), ASCII-only strings whose characters are already in the first subset are translated
in one C call, and a block of text (a table's rows, a paragraph) is one ``BT … ET`` object.
The encoding is reportlab's own (``splitString``/``getSubsetInternalName``), so fonts, subsets
and text extraction are exactly as with ``drawString``.

``TextBlock`` is a plain-text paragraph flowable on top of it: wrapped by ``break_lines``,
split between pages by lines, carrying outline entries when it is a heading.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any, Protocol

from reportlab.lib.colors import Color
from reportlab.lib.rl_accel import escapePDF, fp_str
from reportlab.pdfbase.pdfmetrics import getFont
from reportlab.platypus import Flowable

from sopdesigner.export.pdf_fonts import plain_text
from sopdesigner.export.pdf_styles import INK, break_lines

_CACHE_LIMIT = 100_000  # distinct strings per font and document; a bound, not a tuning knob
# The encoder remembers the strings of free text (footers, paragraphs, diagram labels) up to
# this length; longer ones are mostly unique. Table cells keep their own operators instead.
_ENCODE_CACHE_LEN = 120


class _FontEncoder:
    """One embedded font's strings encoded for one PDF document (subset codes are per document)."""

    def __init__(self, font_name: str, doc: Any) -> None:
        self.font = getFont(font_name)
        self.doc = doc
        self.cache: dict[str, list[tuple[str, str]]] = {}
        self.names: dict[int, str] = {}
        self.table0: dict[int, int] = {}  # code point -> byte, for characters in subset 0
        self.known0: set[str] = set()
        self._learnt = 0  # how many assignments _learn has seen
        # The document's subsets map printable ASCII to itself when reportlab's ttfAsciiReadable
        # is on (its default): check the assignments rather than trust the setting.
        self.font.splitString(" ~", doc)
        assignments = self.font.state[doc].assignments
        self.ascii_readable = all(
            assignments.get(c) == c for c in range(32, 127) if c in self.font.face.charToGlyph
        )

    def encode(self, text: str, keep: bool = True) -> list[tuple[str, str]]:
        """``[(subset font name, "(bytes) Tj"), …]`` for ``text``; remembered when ``keep``
        (a table cell is encoded once and keeps the result itself: see ``TextWriter.row``)."""
        hit = self.cache.get(text)
        if hit is not None:
            return hit
        if text.isascii() and text.isprintable() and self.ascii_readable:
            # Printable ASCII is its own code in subset 0 (reportlab's "ASCII readable" subsets).
            name = self.names.get(0) or self._name(0)
            out = [(name, f"({escapePDF(text.encode('ascii'))}) Tj")]
        elif self.known0.issuperset(text):
            name = self.names.get(0) or self._name(0)
            out = [(name, f"({escapePDF(text.translate(self.table0).encode('latin-1'))}) Tj")]
        else:
            out = [
                (self.names.get(sub) or self._name(sub), f"({escapePDF(raw)}) Tj")
                for sub, raw in self.font.splitString(text, self.doc)
            ]
            self._learn()
        if keep and len(text) <= _ENCODE_CACHE_LEN:
            if len(self.cache) >= _CACHE_LIMIT:
                self.cache.clear()
            self.cache[text] = out
        return out

    def _name(self, subset: int) -> str:
        name = self.font.getSubsetInternalName(subset, self.doc)
        self.names[subset] = name
        return name

    def _learn(self) -> None:
        assignments = self.font.state[self.doc].assignments
        if len(assignments) == self._learnt:
            return
        self._learnt = len(assignments)
        for code, n in assignments.items():
            if n < 256 and code not in self.table0 and code != 0xA0:
                self.table0[code] = n
                self.known0.add(chr(code))


_NUMS: dict[float, str] = {}


def num(value: float) -> str:
    """A coordinate as PDF writes it (``fp_str``), remembered: a report's rows sit at the same
    few hundred heights and column positions on every page."""
    text = _NUMS.get(value)
    if text is None:
        if len(_NUMS) >= _CACHE_LIMIT:
            _NUMS.clear()
        text = _NUMS[value] = fp_str(value)
    return text


_MOVES: dict[float, tuple[str, str]] = {}


def _moves(x: float) -> tuple[str, str]:
    """The text moves to a cell at ``x`` from its row's origin and back (a table has a few
    column positions; a report draws a hundred thousand cells at them)."""
    if len(_MOVES) >= _CACHE_LIMIT:
        _MOVES.clear()
    moves = _MOVES[x] = (f"{num(x)} 0 Td ", f" {num(-x) if x else '0'} 0 Td")
    return moves


def clear_caches() -> None:
    _NUMS.clear()
    _MOVES.clear()


def colour_op(colour: Color, stroke: bool = False) -> str:
    """The operator setting ``colour`` (kept on the colour: the report uses a dozen colours,
    set some fifty thousand times)."""
    key = "_sop_stroke_op" if stroke else "_sop_fill_op"
    op: str | None = colour.__dict__.get(key)
    if op is None:
        op = f"{fp_str(colour.red, colour.green, colour.blue)} {'RG' if stroke else 'rg'}"
        setattr(colour, key, op)
    return op


_CANVASES = itertools.count(1)


class Placed(Protocol):
    """Something drawn by ``TextWriter.placed``: it keeps its operators in ``frag``."""

    frag: tuple | None


class RowCell(Placed, Protocol):
    """A table cell as ``TextWriter.row`` draws it (``pdf_grid.Cell``)."""

    lines: list[str]
    font: str
    colour: Color
    centre: bool


class TextWriter:
    """Text show operators for one ``BT … ET`` object; ``finish()`` appends it to the canvas."""

    def __init__(self, canv: Any) -> None:
        self.canv = canv
        encoders = getattr(canv, "_sop_encoders", None)
        if encoders is None:
            encoders = canv._sop_encoders = {}
            canv._sop_serial = next(_CANVASES)
        self._encoders: dict[str, _FontEncoder] = encoders
        self.serial: int = canv._sop_serial
        self.code: list[str] = ["BT"]
        self._subset = ""  # the subset font and size last set with Tf
        self._size = ""
        self._colour: Color | None = None

    def lines(
        self,
        font: str,
        size: float,
        colour: Color,
        x: float,
        y: float,
        leading: float,
        lines: Sequence[str],
        centre_in: float = 0.0,
    ) -> None:
        """Draw ``lines`` with the first baseline at ``y``, left-aligned at ``x`` or, with
        ``centre_in``, centred in the width ``centre_in`` starting at ``x``."""
        code = self.code
        append = code.append
        if colour is not self._colour:
            append(colour_op(colour))
            self._colour = colour
        enc = self._encoders.get(font)
        if enc is None:
            enc = self._encoders[font] = _FontEncoder(font, self.canv._doc)
        size_text = num(size)
        subset, current = self._subset, self._size
        left = num(x)
        for line in lines:
            if line:
                if centre_in:
                    left = num(x + (centre_in - enc.font.stringWidth(line, size)) / 2)
                append(f"1 0 0 1 {left} {num(y)} Tm")
                for name, show in enc.encode(line):
                    if name is not subset or size_text is not current:
                        append(f"{name} {size_text} Tf")
                        subset, current = name, size_text
                    append(show)
            y -= leading
        self._subset, self._size = subset, current

    def origin(self, y: float) -> None:
        """Start a row: ``placed`` text is positioned from (0, ``y``), its first baseline on it."""
        self.code.append(f"1 0 0 1 0 {num(y)} Tm")

    def placed(
        self,
        holder: Placed,
        font: str,
        size: float,
        colour: Color,
        x: float,
        leading: float,
        lines: Sequence[str],
        centre_in: float = 0.0,
    ) -> None:
        """``lines`` at ``x`` from the row origin (centred in ``centre_in`` from ``x`` when
        given). The operators are relative moves (``Td``) that end back at the origin, so the
        same cell drawn in another row reuses them: ``holder.frag`` keeps them, for this canvas
        (subset codes belong to one PDF) and this ``x``."""
        frag = holder.frag
        if frag is None or frag[0] != self.serial or frag[1] != x or frag[2] != size:
            frag = holder.frag = (
                self.serial,
                x,
                size,
                *self._fragment(font, size, x, leading, lines, centre_in),
            )
        first = frag[3]
        if first is None:
            return
        append = self.code.append
        if colour is not self._colour:
            append(colour_op(colour))
            self._colour = colour
        size_text = num(size)
        if first is not self._subset or size_text is not self._size:
            append(f"{first} {size_text} Tf")
            self._size = size_text
        append(frag[4])
        self._subset = frag[5]

    def row(
        self,
        y: float,
        cells: Sequence[RowCell],
        lefts: Sequence[float],
        starts: Sequence[float],
        spans: Sequence[float],
        size: float,
        leading: float,
    ) -> None:
        """A table row's cells from a row origin at (0, ``y``): cell ``c`` left-aligned at
        ``lefts[c]``, or centred in ``spans[c]`` from ``starts[c]``. ``placed`` for a whole row
        at once: a report draws a few hundred thousand cells."""
        append = self.code.append
        append(f"1 0 0 1 0 {num(y)} Tm")
        serial = self.serial
        colour_now, subset_now, size_now = self._colour, self._subset, self._size
        size_text = num(size)
        for c, cl in enumerate(cells):
            x = starts[c] if cl.centre else lefts[c]
            frag = cl.frag
            if frag is None or frag[0] != serial or frag[1] != x or frag[2] != size:
                centre = spans[c] if cl.centre else 0.0
                frag = cl.frag = (
                    serial,
                    x,
                    size,
                    *self._fragment(cl.font, size, x, leading, cl.lines, centre),
                )
            first = frag[3]
            if first is None:
                continue
            colour = cl.colour
            if colour is not colour_now:
                append(colour.__dict__.get("_sop_fill_op") or colour_op(colour))
                colour_now = colour
            if first is not subset_now or size_text is not size_now:
                append(f"{first} {size_text} Tf")
                size_now = size_text
            append(frag[4])
            subset_now = frag[5]
        self._colour, self._subset, self._size = colour_now, subset_now, size_now

    def _fragment(
        self, font: str, size: float, x: float, leading: float, lines: Sequence[str], centre_in: float
    ) -> tuple[str | None, str, str]:
        enc = self._encoders.get(font)
        if enc is None:
            enc = self._encoders[font] = _FontEncoder(font, self.canv._doc)
        if len(lines) == 1 and not centre_in and lines[0]:
            # Most cells: one left-aligned line in one subset, most of them printable ASCII
            # (their own codes in subset 0, see ``_FontEncoder.encode``).
            line = lines[0]
            moves = _MOVES.get(x) or _moves(x)
            if enc.ascii_readable and line.isascii() and line.isprintable():
                name = enc.names.get(0) or enc._name(0)
                return name, f"{moves[0]}({escapePDF(line.encode('ascii'))}) Tj{moves[1]}", name
            if enc.known0.issuperset(line):  # e.g. a hash prefix and "…": subset 0 has them all
                name = enc.names.get(0) or enc._name(0)
                raw = line.translate(enc.table0).encode("latin-1")
                return name, f"{moves[0]}({escapePDF(raw)}) Tj{moves[1]}", name
            shows = enc.encode(line, False)
            if len(shows) == 1:
                name, show = shows[0]
                return name, f"{moves[0]}{show}{moves[1]}", name
        parts: list[str] = []
        first: str | None = None
        current = ""
        at_x = at_y = 0.0
        size_text = num(size)
        for k, line in enumerate(lines):
            lx = x + (centre_in - enc.font.stringWidth(line, size)) / 2 if centre_in else x
            dy = -leading if k else 0.0
            parts.append(f"{num(lx - at_x)} {num(dy)} Td")
            at_x, at_y = lx, at_y + dy
            for name, show in enc.encode(line, False) if line else ():
                if first is None:
                    first = name
                elif name is not current:
                    parts.append(f"{name} {size_text} Tf")
                current = name
                parts.append(show)
        parts.append(f"{num(-at_x) if at_x else '0'} {num(-at_y) if at_y else '0'} Td")
        return first, " ".join(parts), current

    def finish(self) -> None:
        if len(self.code) > 1:
            self.code.append("ET")
            self.canv._code.append("\n".join(self.code))
        self.code = ["BT"]
        self._subset = self._size = ""
        self._colour = None


class RawFlowable(Flowable):
    """A flowable whose ``draw`` writes raw PDF operators only and never changes the canvas's
    tracked state (fonts, colours, line widths). Its placement is then one ``q … cm … Q``
    instead of reportlab's saveState/translate/restoreState, which copy the canvas's whole
    graphics state for every flowable (a long report places tens of thousands)."""

    def drawOn(self, canvas: Any, x: float, y: float, _sW: float = 0) -> None:
        x = self._hAlignAdjust(x, _sW)
        canvas._code.append(f"q 1 0 0 1 {num(x)} {num(y)} cm")
        self.canv = canvas
        self.draw()
        del self.canv
        canvas._code.append("Q")


class TextBlock(RawFlowable):
    """Plain text (user text is fine: it is never parsed) in one font, wrapped at spaces like a
    Paragraph; it splits between pages by whole lines. ``outline`` entries ``(title, key,
    level)`` make it a heading (the report template bookmarks it where it lands)."""

    def __init__(
        self,
        text: str,
        font: str,
        size: float,
        leading: float,
        *,
        colour: Color = INK,
        space_before: float = 0.0,
        space_after: float = 0.0,
        keep_with_next: bool = False,
        outline: Sequence[tuple[str, str, int]] = (),
        lines: list[str] | None = None,
    ) -> None:
        super().__init__()
        self.text = text
        self.font, self.size, self.leading, self.colour = font, size, leading, colour
        self.spaceBefore, self.spaceAfter = space_before, space_after
        self.keepWithNext = keep_with_next
        self.outline = list(outline)
        self._lines = lines
        self._for_width: float | None = None if lines is None else -1.0

    def _wrap_lines(self, avail_w: float) -> list[str]:
        if self._lines is None or (self._for_width != avail_w and self._for_width != -1.0):
            self._lines = break_lines(plain_text(self.text), self.font, self.size, avail_w)
            self._for_width = avail_w
        return self._lines

    def wrap(self, avail_w: float, avail_h: float) -> tuple[float, float]:
        self.width = avail_w
        self.height = len(self._wrap_lines(avail_w)) * self.leading
        return avail_w, self.height

    def split(self, avail_w: float, avail_h: float) -> list[Flowable]:
        lines = self._wrap_lines(avail_w)
        n = int(avail_h // self.leading)
        if n < 1 or n >= len(lines):
            return []
        first = TextBlock(
            self.text,
            self.font,
            self.size,
            self.leading,
            colour=self.colour,
            space_before=self.spaceBefore,
            outline=self.outline,
            lines=lines[:n],
        )
        rest = TextBlock(
            self.text,
            self.font,
            self.size,
            self.leading,
            colour=self.colour,
            space_after=self.spaceAfter,
            keep_with_next=bool(self.keepWithNext),
            lines=lines[n:],
        )
        return [first, rest]

    def draw(self) -> None:
        w = TextWriter(self.canv)
        w.lines(
            self.font, self.size, self.colour, 0.0, self.height - self.size, self.leading, self._lines or ()
        )
        w.finish()
