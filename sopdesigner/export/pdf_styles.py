"""Paragraph and table styles of the PDF report, and small builders shared by its sections."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from reportlab.lib.colors import HexColor
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph, Table, TableStyle

from sopdesigner.export.pdf_fonts import BOLD, REGULAR, measure, para_text, plain_text, register_fonts

INK = HexColor("#222222")
MUTED = HexColor("#666666")
RULE = HexColor("#B8B8B8")
HEAD_FILL = HexColor("#E4E8EE")
ZEBRA = HexColor("#F6F7F9")
CELL_SIZE = 7.8
CELL_LEADING = 9.6
CELL_PAD = 7.0  # left + right padding, plus a hair for rounding
SPACE_SHRINKAGE = 0.05  # reportlab.rl_config.spaceShrinkage, which Paragraph line breaking uses


@dataclass
class Styles:
    title: ParagraphStyle
    subtitle: ParagraphStyle
    h1: ParagraphStyle
    h2: ParagraphStyle
    h3: ParagraphStyle
    body: ParagraphStyle
    small: ParagraphStyle
    cell: ParagraphStyle
    cell_bold: ParagraphStyle
    cell_muted: ParagraphStyle
    head: ParagraphStyle
    mono: ParagraphStyle
    centre: ParagraphStyle
    extra: dict[str, ParagraphStyle] = field(default_factory=dict)


def make_styles() -> Styles:
    register_fonts()

    def ps(
        name: str, size: float, *, bold: bool = False, leading: float | None = None, **kw
    ) -> ParagraphStyle:
        return ParagraphStyle(
            name,
            fontName=BOLD if bold else REGULAR,
            fontSize=size,
            leading=leading or size * 1.25,
            textColor=kw.pop("textColor", INK),
            splitLongWords=1,
            **kw,
        )

    return Styles(
        title=ps("title", 24, bold=True, leading=29, spaceAfter=6),
        subtitle=ps("subtitle", 12, leading=16, textColor=MUTED, spaceAfter=14),
        h1=ps("h1", 16, bold=True, leading=20, spaceBefore=4, spaceAfter=8, keepWithNext=1),
        h2=ps("h2", 12.5, bold=True, leading=16, spaceBefore=8, spaceAfter=4, keepWithNext=1),
        h3=ps("h3", 10, bold=True, leading=13, spaceBefore=6, spaceAfter=3, keepWithNext=1),
        body=ps("body", 9.5, leading=12.5, spaceAfter=4),
        small=ps("small", 8, leading=10, textColor=MUTED),
        cell=ps("cell", 7.8, leading=9.6),
        cell_bold=ps("cell_bold", 7.8, bold=True, leading=9.6),
        cell_muted=ps("cell_muted", 7.8, leading=9.6, textColor=MUTED),
        head=ps("head", 7.8, bold=True, leading=9.6),
        mono=ps("mono", 8.6, leading=11),
        centre=ps("centre", 7.8, leading=9.6, alignment=TA_CENTER),
    )


def P(text: object, style: ParagraphStyle) -> Paragraph:
    """A paragraph of *user* text: always escaped, never markup."""
    return Paragraph(para_text(text), style)


def C(text: object, width: float, style: ParagraphStyle) -> Lines | str:
    """A table cell of user text. When it fits on one line it is a plain string, which the table
    draws as is (never parsed as markup, and ~20x cheaper than a Paragraph: it is what keeps a
    500-node report fast); otherwise ``Lines`` wrapping it in ``style``. A plain cell takes its
    font from the table (``grid_table``'s ``bold_cols``), so pass the matching style."""
    plain = plain_text(text)
    if "\n" not in plain and "\t" not in plain:
        font = BOLD if style.fontName == BOLD else REGULAR
        if stringWidth(plain, font, CELL_SIZE) <= width - CELL_PAD:
            return plain
    return Lines(plain, style)


class Lines(Flowable):
    """Plain text (already ``plain_text``'d) wrapped at spaces in one font, as a Paragraph of
    that text would wrap it, for table cells: no markup parsing and no text fragments, so a few
    times cheaper than a Paragraph — it matters in tables of thousands of rows (the audit
    trail). Line breaks are kept, runs of spaces collapse, a word wider than the cell is split."""

    def __init__(self, text: str, style: ParagraphStyle) -> None:
        super().__init__()
        self.text = text
        self.style = style
        self._lines: list[str] = []
        self._for_width: float | None = None

    def wrap(self, avail_w: float, avail_h: float) -> tuple[float, float]:
        if self._for_width != avail_w:  # a table wraps each cell twice (measure, then draw)
            self._lines = break_lines(self.text, self.style.fontName, self.style.fontSize, avail_w)
            self._for_width = avail_w
        self.width = avail_w
        self.height = len(self._lines) * self.style.leading
        return avail_w, self.height

    def draw(self) -> None:
        st = self.style
        text = self.canv.beginText(0, self.height - st.fontSize)
        text.setFont(st.fontName, st.fontSize, st.leading)
        text.setFillColor(st.textColor)
        for line in self._lines:
            text.textLine(line)
        self.canv.drawText(text)


class Expand(Flowable):
    """A placeholder for part of the story, built only when layout reaches it (the report
    template's ``filterFlowables`` replaces it by ``make()``). A 10,000-node report has ~10⁶
    flowables and table cells; built up front they all stay in memory until the end."""

    def __init__(self, make: Callable[[], list[Flowable]]) -> None:
        super().__init__()
        self.make = make

    def wrap(self, avail_w: float, avail_h: float) -> tuple[float, float]:
        return (0.0, 0.0)  # never drawn: expanded before it is laid out

    def draw(self) -> None:
        pass


def expand_placeholders(flowables: list[Flowable]) -> None:
    """Replace the ``Expand`` placeholders at the front of the story by what they make, and any
    that a leading keep-with-next run (a heading) would pull into its group: platypus groups
    those before it lays them out, and a placeholder inside a group would never expand."""
    i = 0
    while i < len(flowables):
        f = flowables[i]
        if isinstance(f, Expand):
            flowables[i : i + 1] = f.make()
            continue
        if not f.getKeepWithNext():
            return
        i += 1


def break_lines(text: str, font: str, size: float, width: float) -> list[str]:
    """Greedy line breaking of plain text at spaces, as reportlab's Paragraph breaks it: a line
    may run over by its spaces' shrinkage (5 % of a space each), and a word wider than the cell
    starts on the current line and is split by character."""
    width_of = measure(font)
    space = width_of(" ", size)
    shrink = SPACE_SHRINKAGE * space
    out: list[str] = []
    for para in text.split("\n"):
        line: list[str] = []
        used = -space  # the width of " ".join(line), minus one space for the first word
        for word in para.replace("\t", " ").split(" "):
            if not word:
                continue
            w = width_of(word, size)
            if used + space + w <= width + shrink * len(line):
                line.append(word)
                used += space + w
                continue
            if w <= width:
                out.append(" ".join(line))
                line, used = [word], w
                continue
            # Too wide for any line: fill the current line, then whole lines, char by char.
            piece, pw = "", used + space
            for ch in word:
                cw = width_of(ch, size)
                if pw + cw > width and (piece or line):
                    out.append(" ".join([*line, piece]) if piece else " ".join(line))
                    line, piece, pw = [], "", 0.0
                piece += ch
                pw += cw
            line.append(piece)
            used = pw
        out.append(" ".join(line))
    return out


def M(markup: str, style: ParagraphStyle) -> Paragraph:
    """A paragraph of the report's own markup; every user value inside must be para_text'd."""
    return Paragraph(markup, style)


def grid_table(
    rows: list[list[Flowable | str]],
    widths: list[float],
    *,
    header: bool = True,
    zebra: bool = True,
    extra: list[tuple] | None = None,
    bold_cols: Sequence[int] = (),
) -> Table:
    """The report's one table look: thin rules, a tinted header row repeated across pages.
    Plain-string cells are drawn in the cell font; ``bold_cols`` (below the header) in bold."""
    table = Table(rows, colWidths=widths, repeatRows=1 if header else 0, hAlign="LEFT")
    first = 1 if header else 0
    cmds: list[tuple] = [
        ("FONT", (0, 0), (-1, -1), REGULAR, CELL_SIZE, CELL_LEADING),
        ("TEXTCOLOR", (0, 0), (-1, -1), INK),
        *[("FONT", (c, first), (c, -1), BOLD, CELL_SIZE, CELL_LEADING) for c in bold_cols],
        ("GRID", (0, 0), (-1, -1), 0.4, RULE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
    ]
    if header:
        cmds.append(("BACKGROUND", (0, 0), (-1, 0), HEAD_FILL))
        cmds.append(("FONT", (0, 0), (-1, 0), BOLD, CELL_SIZE, CELL_LEADING))
    if zebra:
        start = 1 if header else 0
        for r in range(start, len(rows)):
            if (r - start) % 2:
                cmds.append(("BACKGROUND", (0, r), (-1, r), ZEBRA))
    table.setStyle(TableStyle(cmds + (extra or [])))
    return table


def key_value_table(pairs: list[tuple[str, object]], styles: Styles, widths: tuple[float, float]) -> Table:
    """Labelled fields (label is ours, value is user text); empty values print as an em dash."""
    rows: list[list[Flowable | str]] = [
        [label, C(value if str(value).strip() else "—", widths[1], styles.cell)] for label, value in pairs
    ]
    return grid_table(
        rows,
        list(widths),
        header=False,
        zebra=False,
        bold_cols=[0],
        extra=[("BACKGROUND", (0, 0), (0, -1), HEAD_FILL)],
    )
