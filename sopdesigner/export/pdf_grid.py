"""The report's long tables as one fixed-layout flowable drawn straight onto the canvas.

A platypus ``Table`` measures, styles and draws every cell through general machinery (spans,
styles per cell, nested flowables); for the summary, the node records and the audit trail —
tens of thousands of rows — that machinery was most of the report's time. ``Grid`` knows its
column widths up front: each cell's text is wrapped once by ``break_lines``, fills and rules are
rectangles and lines in one path each, and the text of a page is one text object.

The look is ``grid_table``'s: thin rules, a tinted bold header row repeated after every page
break, optional zebra rows, per-cell fills (status colours). A row may carry a ``detail``: a
line spanning all columns under it (evidence hashes, sign-off meanings) that stays with its row.
Rows are made on demand (``row_at(i)``) so a 100,000-event trail is never held as cells all at
once; a row is never cut between pages unless it alone is taller than a page.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from reportlab.lib.colors import Color
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable

from sopdesigner.export.pdf_fonts import BOLD, REGULAR, measure, plain_text
from sopdesigner.export.pdf_styles import (
    CELL_LEADING,
    CELL_SIZE,
    HEAD_FILL,
    INK,
    RULE,
    ZEBRA,
    break_lines,
)
from sopdesigner.export.pdf_text import RawFlowable, TextWriter, colour_op, num

PAD_X, PAD_TOP, PAD_BOTTOM = 3.0, 2.0, 2.5
RULE_WIDTH = 0.4
ELLIPSIS = "…"


class Cell:
    """A cell's text already broken into lines, and how it is drawn."""

    __slots__ = ("centre", "colour", "fill", "font", "frag", "lines")

    def __init__(
        self,
        lines: list[str],
        font: str = REGULAR,
        colour: Color = INK,
        fill: Color | None = None,
        centre: bool = False,
    ) -> None:
        self.lines, self.font, self.colour, self.fill, self.centre = lines, font, colour, fill, centre
        self.frag: tuple | None = None  # its text operators, kept by TextWriter.placed


_CELL_MAX_LEN = 120  # names, labels, item texts: the strings that repeat from row to row
_COLUMN_CELLS_LIMIT = 20_000  # per column; a bound, not a tuning knob


class Column:
    """How a table column draws user text (width, font, colours), and the cells it has made:
    cells are never changed once made, so the many that repeat (a signer's name, "Yes", an
    item's text in every node) are wrapped and encoded once per report."""

    __slots__ = ("_cells", "centre", "colour", "fill", "font", "max_lines", "width")

    def __init__(
        self, width: float, font: str, colour: Color, fill: Color | None, centre: bool, max_lines: int
    ) -> None:
        self.width, self.font, self.colour, self.fill = width, font, colour, fill
        self.centre, self.max_lines = centre, max_lines
        self._cells: dict[str, Cell] = {}

    def __call__(self, text: object) -> Cell:
        raw = text if isinstance(text, str) else str(text)
        made = self._cells.get(raw)
        if made is None:
            made = Cell(
                fit_lines(raw, self.width, self.font, self.max_lines),
                self.font,
                self.colour,
                self.fill,
                self.centre,
            )
            if len(raw) <= _CELL_MAX_LEN and len(self._cells) < _COLUMN_CELLS_LIMIT:
                self._cells[raw] = made
        return made


_COLUMNS: dict[tuple[float, str, int, int, bool, int], Column] = {}


def column(
    width: float,
    font: str = REGULAR,
    colour: Color = INK,
    fill: Color | None = None,
    *,
    centre: bool = False,
    max_lines: int = 0,
) -> Column:
    """The report's column of that look (one per look per report: see ``clear_caches``)."""
    key = (width, font, id(colour), id(fill), centre, max_lines)  # colours live in the columns
    found = _COLUMNS.get(key)
    if found is None:
        found = _COLUMNS[key] = Column(width, font, colour, fill, centre, max_lines)
    return found


def clear_caches() -> None:
    """Forget the columns and header rows of the last report (their cells hold its text
    operators)."""
    _COLUMNS.clear()
    _HEADERS.clear()


def fit_lines(text: str, width: float, font: str = REGULAR, max_lines: int = 0) -> list[str]:
    """User text wrapped to a column of ``width`` (padding included); at most ``max_lines``
    lines when given, the last one ending in an ellipsis if text was cut."""
    plain = plain_text(text)
    inner = width - 2 * PAD_X
    if "\n" not in plain and "\t" not in plain and measure(font)(plain, CELL_SIZE) <= inner:
        return [plain]
    lines = break_lines(plain, font, CELL_SIZE, inner)
    if max_lines and len(lines) > max_lines:
        lines = lines[:max_lines]
        last = lines[-1]
        while last and stringWidth(last + ELLIPSIS, font, CELL_SIZE) > inner:
            last = last[:-1]
        lines[-1] = last.rstrip() + ELLIPSIS
    return lines


def cell(
    text: object,
    width: float,
    font: str = REGULAR,
    colour: Color = INK,
    fill: Color | None = None,
    *,
    centre: bool = False,
    max_lines: int = 0,
) -> Cell:
    """A cell of user text in a column of that look (see ``Column``); in loops over rows, make
    the ``column`` once and call it."""
    return column(width, font, colour, fill, centre=centre, max_lines=max_lines)(text)


def _block_h(lines: int) -> float:
    return max(lines, 1) * CELL_LEADING + PAD_TOP + PAD_BOTTOM


class Row:
    """One table row (cells left to right) and an optional full-width ``detail`` line under it.
    ``cells`` may be empty for the continuation of a detail split across pages."""

    __slots__ = ("cells", "detail", "fill", "height", "main_h")

    def __init__(self, cells: list[Cell], detail: Cell | None = None, fill: Color | None = None) -> None:
        self.cells, self.detail, self.fill = cells, detail, fill
        self.main_h = _block_h(max([len(c.lines) for c in cells])) if cells else 0.0
        self.height = self.main_h + (_block_h(len(detail.lines)) if detail is not None else 0.0)

    def split(self, avail: float) -> tuple[Row, Row] | None:
        """This row cut by lines into a part at most ``avail`` high and the rest (only for a
        row taller than a page: a user text of thousands of words)."""
        if self.cells and self.main_h > avail:
            n = int((avail - PAD_TOP - PAD_BOTTOM) // CELL_LEADING)
            if n < 1:
                return None
            top = [Cell(c.lines[:n], c.font, c.colour, c.fill, c.centre) for c in self.cells]
            rest = [Cell(c.lines[n:] or [""], c.font, c.colour, c.fill, c.centre) for c in self.cells]
            return Row(top, fill=self.fill), Row(rest, self.detail, self.fill)
        d = self.detail
        if d is None:
            return None
        n = int((avail - self.main_h - PAD_TOP - PAD_BOTTOM) // CELL_LEADING)
        if n < 1:
            return (Row(self.cells, fill=self.fill), Row([], d, self.fill)) if self.cells else None
        head = Cell(d.lines[:n], d.font, d.colour, d.fill, d.centre)
        tail = Cell(d.lines[n:], d.font, d.colour, d.fill, d.centre)
        return Row(self.cells, head, self.fill), Row([], tail, self.fill)


_HEADERS: dict[tuple[tuple[str, ...], tuple[float, ...], int | None], Row] = {}


def header_row(labels: Sequence[str], widths: Sequence[float], *, centre_from: int | None = None) -> Row:
    """A bold header row on the header tint; made once per report for each table layout (every
    node record repeats the same three headers)."""
    key = (tuple(labels), tuple(widths), centre_from)
    row = _HEADERS.get(key)
    if row is None:
        row = _HEADERS[key] = Row(
            [
                cell(label, w, BOLD, centre=centre_from is not None and i >= centre_from)
                for i, (label, w) in enumerate(zip(labels, widths, strict=True))
            ],
            fill=HEAD_FILL,
        )
    return row


class Caption:
    """A heading drawn as the top of a grid's first part, so that it is never left alone at
    the foot of a page and costs no flowable of its own (a report has thousands). Its space
    before is the grid's (dropped at the top of a frame, as for any flowable)."""

    def __init__(
        self,
        text: str,
        font: str,
        size: float,
        leading: float,
        width: float,
        *,
        colour: Color = INK,
        space_before: float = 0.0,
        space_after: float = 0.0,
    ) -> None:
        self.lines = break_lines(plain_text(text), font, size, width)
        self.font, self.size, self.leading, self.colour = font, size, leading, colour
        self.space_before = space_before
        self.height = len(self.lines) * leading + space_after
        self.frag: tuple | None = None  # for TextWriter.placed


class Grid(RawFlowable):
    """Rows ``start``..``end`` of a table whose row ``i`` is ``row_at(i)``; see the module doc.
    ``page_h`` is the frame height: ``wrap`` measures rows until they pass it, so the height it
    reports is either the true height or more than a page, which is all layout needs to know
    (keep-with-next groups measure with unlimited height). ``on_draw`` runs
    before each page's part is drawn (the export's cancel check). A ``caption`` heads the
    first part, which carries the ``outline`` entries too (see ``Heading``)."""

    def __init__(
        self,
        widths: Sequence[float],
        count: int,
        row_at: Callable[[int], Row],
        *,
        page_h: float,
        header: Row | None = None,
        zebra: bool = True,
        on_draw: Callable[[], None] | None = None,
        start: int = 0,
        cache: dict[int, Row] | None = None,
        first: Row | None = None,
        caption: Caption | None = None,
        outline: Sequence[tuple[str, str, int]] = (),
    ) -> None:
        super().__init__()
        self.caption = caption
        self.outline = list(outline)
        self.spaceBefore = caption.space_before if caption is not None else 0.0
        self.widths = list(widths)
        self.xs = [0.0]
        for w in self.widths:
            self.xs.append(self.xs[-1] + w)
        self.count, self.row_at, self.page_h = count, row_at, page_h
        self.header, self.zebra, self.on_draw = header, zebra, on_draw
        self.start = start
        self._cache: dict[int, Row] = {} if cache is None else cache
        self._first = first  # the rest of a row split across pages, standing in for row ``start``
        self.width = self.xs[-1]
        self.height = 0.0

    def _row(self, i: int) -> Row:
        if i == self.start and self._first is not None:
            return self._first
        row = self._cache.get(i)
        if row is None:
            row = self._cache[i] = self.row_at(i)
        return row

    def _top_h(self) -> float:
        """The caption and the header row: what each part draws before its rows."""
        h = self.header.height if self.header is not None else 0.0
        return h + self.caption.height if self.caption is not None else h

    def wrap(self, avail_w: float, avail_h: float) -> tuple[float, float]:
        h = self._top_h()
        for i in range(self.start, self.count):
            h += self._row(i).height
            if h > self.page_h and i + 1 < self.count:
                break  # taller than a page: the rest is measured when it is reached
        self.height = h
        return self.width, h

    def split(self, avail_w: float, avail_h: float) -> list[Flowable]:
        head_h = self._top_h()
        h, i = head_h, self.start
        while i < self.count:
            rh = self._row(i).height
            if h + rh > avail_h:
                break
            h += rh
            i += 1
        if i == self.count:
            return [self]
        if i == self.start:
            row = self._row(i)
            if head_h + row.height <= self.page_h:
                return []  # fits on the next page
            parts = row.split(avail_h - head_h)
            if parts is None:
                return []
            top = self._part([parts[0]])
            rest = self._clone(i, parts[1])
            return [top, rest]
        top = self._part([self._row(j) for j in range(self.start, i)])
        for j in range(self.start, i):
            self._cache.pop(j, None)
        return [top, self._clone(i, None)]

    def _part(self, rows: list[Row]) -> Grid:
        return Grid(
            self.widths,
            self.start + len(rows),
            lambda j: rows[j - self.start],
            page_h=self.page_h,
            header=self.header,
            zebra=self.zebra,
            on_draw=self.on_draw,
            start=self.start,
            caption=self.caption,
            outline=self.outline,
        )

    def _clone(self, start: int, first: Row | None) -> Grid:
        return Grid(
            self.widths,
            self.count,
            self.row_at,
            page_h=self.page_h,
            header=self.header,
            zebra=self.zebra,
            on_draw=self.on_draw,
            start=start,
            cache=self._cache,
            first=first,
        )

    def draw(self) -> None:
        if self.on_draw is not None:
            self.on_draw()
        text = TextWriter(self.canv)
        grid_top = self.height
        cap = self.caption
        if cap is not None:
            text.origin(self.height - cap.size)
            text.placed(cap, cap.font, cap.size, cap.colour, 0.0, cap.leading, cap.lines)
            grid_top -= cap.height
        rows: list[tuple[Row, Color | None]] = []
        if self.header is not None:
            rows.append((self.header, self.header.fill))
        for i in range(self.start, self.count):
            row = self._row(i)
            rows.append((row, row.fill or (ZEBRA if self.zebra and i % 2 else None)))
        xs = self.xs
        right = num(xs[-1])
        # Text x of each column: left-aligned after the padding, or the column's left edge for
        # centred cells (``placed`` centres within the width).
        lefts = [x + PAD_X for x in xs]
        spans = [xs[c + 1] - xs[c] for c in range(len(xs) - 1)]
        inner = [num(x) for x in xs[1:-1]]
        fills: list[str] = []
        rules: list[str] = [f"{num(RULE_WIDTH)} w", colour_op(RULE, stroke=True)]
        fill_colour: Color | None = None
        v_top: str | None = None  # where the open run of column rules started

        y = grid_top
        y_text = num(y)
        rules.append(f"0 {y_text} m {right} {y_text} l")
        for row, fill in rows:
            bottom = y - row.height
            bottom_text = num(bottom)
            if fill is not None:
                if fill is not fill_colour:
                    fills.append(colour_op(fill))
                    fill_colour = fill
                fills.append(f"0 {bottom_text} {right} {num(row.height)} re f")
            cells = row.cells
            if cells:
                if v_top is None:
                    v_top = y_text
                for c, cl in enumerate(cells):
                    if cl.fill is not None:
                        if cl.fill is not fill_colour:
                            fills.append(colour_op(cl.fill))
                            fill_colour = cl.fill
                        fills.append(
                            f"{num(xs[c])} {num(y - row.main_h)} {num(spans[c])} {num(row.main_h)} re f"
                        )
                text.row(y - PAD_TOP - CELL_SIZE, cells, lefts, xs, spans, CELL_SIZE, CELL_LEADING)
            d = row.detail
            if d is not None:
                # The detail spans the row: the column rules stop above it.
                main_bottom = num(y - row.main_h)
                if v_top is not None:
                    rules += [f"{x} {v_top} m {x} {main_bottom} l" for x in inner]
                    v_top = None
                if row.cells:
                    rules.append(f"0 {main_bottom} m {right} {main_bottom} l")
                text.origin(y - row.main_h - PAD_TOP - CELL_SIZE)
                text.placed(d, d.font, CELL_SIZE, d.colour, PAD_X, CELL_LEADING, d.lines)
            rules.append(f"0 {bottom_text} m {right} {bottom_text} l")
            y, y_text = bottom, bottom_text
        if v_top is not None:
            rules += [f"{x} {v_top} m {x} {y_text} l" for x in inner]
        top = num(grid_top)
        rules.append(f"0 {top} m 0 {y_text} l {right} {top} m {right} {y_text} l S")
        code = self.canv._code
        if fills:
            code.append(" ".join(fills))
        text.finish()
        code.append(" ".join(rules))


def list_grid(
    widths: Sequence[float],
    rows: list[Row],
    *,
    page_h: float,
    header: Row | None = None,
    zebra: bool = True,
    on_draw: Callable[[], None] | None = None,
    caption: Caption | None = None,
    outline: Sequence[tuple[str, str, int]] = (),
) -> Grid:
    """A grid over rows already made (a node's checklist, its sign-offs)."""
    return Grid(
        widths,
        len(rows),
        rows.__getitem__,
        page_h=page_h,
        header=header,
        zebra=zebra,
        on_draw=on_draw,
        caption=caption,
        outline=outline,
    )
