"""Where things go inside a node: outline per kind, the content box, and the layout of title,
owner, status chip and badges for a snapshot. Pure geometry and text fitting; no painting."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QColor, QPainterPath, QPolygonF

from sopdesigner.model.enums import NodeKind
from sopdesigner.model.status import STATUS_STYLES
from sopdesigner.ui.canvas import text
from sopdesigner.ui.canvas.snapshot import NodeSnapshot, RoleBadge
from sopdesigner.ui.canvas.style import Theme, decision_status, status_colour, status_text_colour


def outline_path(kind: NodeKind, w: float, h: float) -> QPainterPath:
    """The node's outline, centred on (0, 0)."""
    r = QRectF(-w / 2, -h / 2, w, h)
    path = QPainterPath()
    if kind in (NodeKind.START, NodeKind.END):
        path.addRoundedRect(r, h / 2, h / 2)
    elif kind is NodeKind.STEP:
        path.addRoundedRect(r, 10, 10)
    elif kind is NodeKind.CHECKPOINT:
        c = 14.0  # cut corners: a gate reads differently from a step even in grey scale
        path.addPolygon(
            QPolygonF(
                [
                    QPointF(r.left() + c, r.top()),
                    QPointF(r.right() - c, r.top()),
                    QPointF(r.right(), r.top() + c),
                    QPointF(r.right(), r.bottom() - c),
                    QPointF(r.right() - c, r.bottom()),
                    QPointF(r.left() + c, r.bottom()),
                    QPointF(r.left(), r.bottom() - c),
                    QPointF(r.left(), r.top() + c),
                ]
            )
        )
        path.closeSubpath()
    elif kind is NodeKind.DECISION:
        path.addPolygon(
            QPolygonF(
                [QPointF(0, r.top()), QPointF(r.right(), 0), QPointF(0, r.bottom()), QPointF(r.left(), 0)]
            )
        )
        path.closeSubpath()
    else:  # note: folded top-right corner
        f = 16.0
        path.addPolygon(
            QPolygonF(
                [
                    r.topLeft(),
                    QPointF(r.right() - f, r.top()),
                    QPointF(r.right(), r.top() + f),
                    r.bottomRight(),
                    r.bottomLeft(),
                ]
            )
        )
        path.closeSubpath()
    return path


def content_rect(kind: NodeKind, w: float, h: float) -> QRectF:
    """Where text and badges go inside the outline."""
    r = QRectF(-w / 2, -h / 2, w, h)
    if kind in (NodeKind.START, NodeKind.END):
        return r.adjusted(h / 2 - 8, 5, -(h / 2 - 8), -5)
    if kind is NodeKind.CHECKPOINT:
        return r.adjusted(12, 7, -12, -7)
    if kind is NodeKind.DECISION:
        return QRectF(-w * 0.30, -h * 0.31, w * 0.60, h * 0.62)
    if kind is NodeKind.NOTE:
        return r.adjusted(9, 7, -18, -7)
    return r.adjusted(9, 6, -9, -6)


@dataclass
class Layout:
    """Text and badge geometry, computed once per snapshot/theme/review mode."""

    top_left: str
    top_left_rect: QRectF
    badges: list[tuple[QRectF, str, QColor | None, QColor]]  # rect, text, fill (None: outline), text colour
    title_lines: list[str]
    title_rect: QRectF
    title_line_height: float
    chip_rect: QRectF | None
    chip_text: str
    title_px: int


def compute_layout(s: NodeSnapshot, w: float, content: QRectF, theme: Theme, review: bool) -> Layout:
    """Where every text and badge of a node goes; computed once per snapshot, theme and mode."""
    c = QRectF(content)
    title_px = 15 if review else 13
    kind = s.kind
    row_h = 15.0
    fm = text.metrics(title_px, True)
    line_h = fm.height()
    specs = badge_specs(s, theme)
    counts = [b for b in specs if b[0] == "count"]
    roles = [b for b in specs if b[0] == "role"]
    badges: list[tuple[QRectF, str, QColor | None, QColor]] = []

    def row_width(items: list) -> float:
        return sum(b[1] for b in items) + 3 * max(len(items) - 1, 0)

    def place(items: list, y: float, right: float) -> None:
        x = right
        for _, w, label, fill, fg in reversed(items):
            x -= w
            badges.append((QRectF(x, y, w, row_h - 1), label, fill, fg))
            x -= 3

    top, bottom = c.top(), c.bottom()
    chip_rect: QRectF | None = None
    chip_text = ""
    top_left, top_left_rect = "", QRectF()
    if kind is not NodeKind.NOTE:
        # Which badges go where: the top row, beside the status chip, or a row of their own.
        style = STATUS_STYLES[s.status]
        full = f"{style.glyph} {style.label}"
        full_w = _advance(full, 10, True) + 10
        top_items: list = []
        chip_items: list = []
        role_row: list = []
        if kind is NodeKind.DECISION:
            top_items = counts + roles  # a diamond's lower tip only has room for the chip
        elif kind in (NodeKind.START, NodeKind.END):
            chip_items = counts + roles  # a stadium keeps its height for the title
        else:
            top_items = counts
            if not roles or full_w + 3 + row_width(roles) <= c.width():
                chip_items = roles
            elif c.height() - 3 * (row_h + 2) >= line_h:
                role_row = roles  # the full status label matters more than a second title line
            else:
                chip_items = roles
        # The status chip: glyph and label, so colour is never the only signal.
        avail = max(c.width() - (row_width(chip_items) + 3 if chip_items else 0), 22.0)
        chip_text = full if full_w <= avail else _elide(full, 10, True, avail - 10)
        if len(chip_text) < 8:
            chip_text = style.glyph  # "○ No…" reads worse than the glyph the legend explains
        chip_w = min(_advance(chip_text, 10, True) + 10, avail)
        centred = kind is NodeKind.DECISION or (kind in (NodeKind.START, NodeKind.END) and not chip_items)
        chip_left = c.center().x() - chip_w / 2 if centred else c.left()
        chip_rect = QRectF(chip_left, bottom - row_h - 1, chip_w, row_h + 1)
        place(chip_items, chip_rect.top() + 1, c.right())
        bottom = chip_rect.top() - 2
        if role_row:
            place(role_row, bottom - row_h + 1, c.right())
            bottom -= row_h + 1
        used = row_width(top_items)
        if top_items:
            right = c.center().x() + used / 2 if kind is NodeKind.DECISION else c.right()
            place(top_items, c.top(), right)
        if kind in (NodeKind.STEP, NodeKind.CHECKPOINT):
            owner = ("⚑ " if kind is NodeKind.CHECKPOINT else "") + s.owner
            width = c.width() - (used + 6 if used else 0)
            top_left = _elide(owner, 10, False, width) if s.owner.strip() else ""
            top_left_rect = QRectF(c.left(), c.top(), max(width, 0.0), row_h)
        if top_left or top_items:
            top = c.top() + row_h + 1

    # Title: as many wrapped lines as fit between the rows; the last one elided. In review
    # mode the larger size is used only when the whole title fits in it without breaking a
    # word; otherwise the normal size shows more of it.
    title_w = w * 0.68 if kind is NodeKind.DECISION else c.width()
    sizes = (title_px, 13) if review else (13,)
    for px in sizes:
        fm = text.metrics(px, True)
        line_h = fm.height()
        avail_h = max(bottom - top, line_h)
        lines = text.wrap(s.title, fm, title_w, max(1, int(avail_h // line_h)))
        if text.complete(s.title, lines):
            break
    block = line_h * len(lines)
    title_rect = QRectF(c.center().x() - title_w / 2, top + (avail_h - block) / 2, title_w, block)
    return Layout(top_left, top_left_rect, badges, lines, title_rect, line_h, chip_rect, chip_text, px)


def badge_specs(s: NodeSnapshot, t: Theme) -> list[tuple[str, float, str, QColor | None, QColor]]:
    """(kind, width, text, fill, text colour) for each badge, in drawing order."""
    specs: list[tuple[str, float, str, QColor | None, QColor]] = []
    if s.checklist_total:
        label = f"☑ {s.checklist_done}/{s.checklist_total}"
        specs.append(
            (
                "count",
                _advance(label, 10, True) + 8,
                label,
                t.color("badge_fill"),
                t.color("badge_text"),
            )
        )
    if s.evidence:
        label = f"⎗ {s.evidence}" if _has_evidence_glyph() else f"Ev {s.evidence}"
        specs.append(
            (
                "count",
                _advance(label, 10, True) + 8,
                label,
                t.color("badge_fill"),
                t.color("badge_text"),
            )
        )
    for badge in s.roles:
        label, fill, fg = _role_badge(badge, t)
        specs.append(("role", _advance(label, 10, True) + 8, label, fill, fg))
    return specs


def _role_badge(badge: RoleBadge, t: Theme) -> tuple[str, QColor | None, QColor]:
    if badge.decision is None:
        return badge.abbrev, None, t.color("node_subtext")
    st = decision_status(badge.decision)
    return f"{badge.abbrev} {STATUS_STYLES[st].glyph}", status_colour(st), status_text_colour(st)


# Badge, chip and owner labels repeat across a document's nodes ("☑ 0/3", "○ Not started",
# a lane's owner): measuring them shapes the text each time, the largest part of laying out a
# node on its first detailed paint (opening, zooming in, a rebuild).
@lru_cache(maxsize=8192)
def _advance(label: str, pixel_size: int, bold: bool) -> float:
    return text.metrics(pixel_size, bold).horizontalAdvance(label)


@lru_cache(maxsize=8192)
def _elide(label: str, pixel_size: int, bold: bool, width: float) -> str:
    return text.elide(label, text.metrics(pixel_size, bold), width)


@cache
def _has_evidence_glyph() -> bool:
    return text.metrics(10, True).inFontUcs4(0x2397)
