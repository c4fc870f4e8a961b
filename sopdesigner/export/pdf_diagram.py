"""The PDF report's diagram pages: lanes, nodes and edges drawn as vector graphics.

A diagram that fits a landscape page at a legible scale is drawn on one page; a larger one is
tiled over several pages at ``MIN_SCALE``, each tile
overlapping its neighbours a little and naming its row and column. Colours are a light print
palette derived from ``STATUS_STYLES``: a pale tint fills the shape and a full-colour pill
carries the status glyph and label, so colour is never the only signal.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from reportlab.lib.colors import Color, HexColor, white
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable

from sopdesigner.export.pdf_diagram_index import SceneIndex
from sopdesigner.export.pdf_diagram_shapes import node_path, pill_path
from sopdesigner.export.pdf_fonts import BOLD, REGULAR, plain_text
from sopdesigner.export.pdf_text import TextWriter, colour_op, num
from sopdesigner.model.document import Document, Node
from sopdesigner.model.enums import NodeKind, Status
from sopdesigner.model.geometry import (
    LANE_HEADER_WIDTH,
    NODE_SIZES,
    Rect,
    content_rect,
    node_rect,
)
from sopdesigner.model.routing import route_nodes
from sopdesigner.model.status import STATUS_STYLES, node_status

#: Below this scale shapes get too small to carry their text; larger diagrams are tiled. Text
#: never prints under the ``MIN_*_PT`` floors: at small scales it wraps onto more lines instead.
MIN_SCALE = 0.28
MIN_TITLE_PT = 5.2
MIN_PILL_PT = 4.2
MIN_LABEL_PT = 4.6
#: Never scale a small diagram up by more than this.
MAX_SCALE = 1.25
#: Past this many tiles the scale drops (to the plain fit at worst) to keep the report bounded.
MAX_TILES = 48
#: Scene units each tile repeats from its neighbours, so a node cut at an edge is whole on one.
TILE_OVERLAP = 60.0
#: Scene units of air around the content (nodes may touch the lanes' right end).
CONTENT_PAD = 20.0

TITLE_SIZE = 12.0
PILL_SIZE = 9.0
LABEL_SIZE = 9.0
INK = HexColor("#222222")
LANE_LINE = HexColor("#9A9A9A")
LANE_HEADER_FILL = HexColor("#ECECEC")
LANE_ODD_FILL = HexColor("#F7F7F7")
NOTE_FILL = HexColor("#FFF8C4")
EDGE_INK = HexColor("#444444")

LEGEND_HEIGHT = 44.0
CAPTION_HEIGHT = 18.0

SHAPES_KEY = (
    "Shapes: rounded = start/end · rectangle = step · double border = checkpoint · "
    "diamond = decision · folded corner = note · dashed arrow = rework"
)


def tint(hex_colour: str, amount: float = 0.28) -> Color:
    """The status colour mixed into white: a print-friendly fill that keeps dark text readable."""
    c = HexColor(hex_colour)
    return Color(1 - (1 - c.red) * amount, 1 - (1 - c.green) * amount, 1 - (1 - c.blue) * amount)


@dataclass(frozen=True)
class TilePlan:
    scale: float
    views: list[Rect]  # scene rectangles, row by row
    rows: int
    cols: int


def plan_tiles(content: Rect, area_w: float, area_h: float) -> TilePlan:
    """One fitted page when that is legible, else a grid of tiles at the smallest legible scale."""
    cw, ch = max(content.w, 1.0), max(content.h, 1.0)
    fit = min(area_w / cw, area_h / ch)
    if fit >= MIN_SCALE:
        return TilePlan(min(fit, MAX_SCALE), [content], 1, 1)
    scale = MIN_SCALE
    while True:
        tw, th = area_w / scale, area_h / scale
        cols = max(1, math.ceil((cw - TILE_OVERLAP) / (tw - TILE_OVERLAP)))
        rows = max(1, math.ceil((ch - TILE_OVERLAP) / (th - TILE_OVERLAP)))
        if cols * rows <= MAX_TILES or scale <= fit:
            break
        scale = max(fit, scale * 0.9)
    views = []
    for r in range(rows):
        for c in range(cols):
            x, y = content.x + c * (tw - TILE_OVERLAP), content.y + r * (th - TILE_OVERLAP)
            # The last row and column stop where the content does, so the drawing hugs it.
            views.append(Rect(x, y, min(tw, content.x + cw - x), min(th, content.y + ch - y)))
    return TilePlan(scale, views, rows, cols)


def wrap_lines(text: str, font: str, size: float, width: float, max_lines: int) -> list[str]:
    """Greedy word wrap; over-long words are broken, and the last line gets an ellipsis."""
    words = text.split()
    lines: list[str] = []
    current = ""
    for word in words:
        candidate = f"{current} {word}" if current else word
        if stringWidth(candidate, font, size) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        current = word
        while stringWidth(current, font, size) > width and len(current) > 1:
            cut = len(current) - 1
            while cut > 1 and stringWidth(current[:cut], font, size) > width:
                cut -= 1
            lines.append(current[:cut])
            current = current[cut:]
    if current:
        lines.append(current)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        last = lines[-1]
        while last and stringWidth(last + "…", font, size) > width:
            last = last[:-1]
        lines[-1] = last.rstrip() + "…"
    return lines


def fit_text(
    text: str, font: str, size: float, min_size: float, width: float, height: float, max_lines: int
) -> tuple[float, list[str]]:
    """The largest size from ``size`` down to ``min_size`` at which ``text`` wraps into the box
    without breaking a word or cutting it short; at the floor, the wrap (with ellipsis) it gets."""
    words = text.split()
    while True:
        lines_allowed = max(1, min(max_lines, int(height // (size * 1.15))))
        fits_words = all(stringWidth(w, font, size) <= width for w in words)
        lines = wrap_lines(text, font, size, width, lines_allowed)
        if (
            fits_words and not (lines and lines[-1].endswith("…") and not text.endswith("…"))
        ) or size <= min_size:
            return size, lines
        size = max(min_size, size - 0.25)


def _border_point(node: Node, toward_x: float, toward_y: float) -> tuple[float, float]:
    """Where the ray from the node's centre toward a point leaves the node's shape (scene units)."""
    cx, cy = node.position.x, node.position.y
    dx, dy = toward_x - cx, toward_y - cy
    if dx == 0 and dy == 0:
        return cx, cy
    w, h = NODE_SIZES[node.kind]
    if node.kind is NodeKind.DECISION:
        t = 1.0 / (abs(dx) / (w / 2) + abs(dy) / (h / 2))
    else:
        t = min((w / 2) / abs(dx) if dx else math.inf, (h / 2) / abs(dy) if dy else math.inf)
    return cx + dx * t, cy + dy * t


class DiagramTile(Flowable):
    """One landscape page of the diagram: caption, lanes, edges, nodes and the status legend."""

    def __init__(
        self,
        doc: Document,
        view: Rect,
        scale: float,
        caption: str,
        show_lane_names: bool,
        index: Callable[[], SceneIndex] | None = None,
        statuses: dict[str, Status] | None = None,
    ):
        super().__init__()
        self.doc = doc
        self.statuses = statuses  # the report's, when it has them already
        self.index = index or (lambda: SceneIndex(doc))
        self.view = view
        self.scale = scale
        self.caption = caption
        self.show_lane_names = show_lane_names
        self._size = (0.0, 0.0)

    def wrap(self, avail_w: float, avail_h: float) -> tuple[float, float]:
        self._size = (avail_w, avail_h - 1)
        return self._size

    # -- coordinates ---------------------------------------------------------------------
    def _setup(self) -> None:
        w, h = self._size
        # The drawing hugs the content (a wide diagram leaves no empty band), legend right below.
        self.area_w = min(w, self.view.w * self.scale)
        self.area_h = min(h - CAPTION_HEIGHT - LEGEND_HEIGHT, self.view.h * self.scale)
        self.ox = 0.0
        self.oy = h - CAPTION_HEIGHT - self.area_h

    def px(self, x: float) -> float:
        return self.ox + (x - self.view.x) * self.scale

    def py(self, y: float) -> float:
        return self.oy + self.area_h - (y - self.view.y) * self.scale

    # -- drawing -------------------------------------------------------------------------
    def draw(self) -> None:
        self._setup()
        c = self.canv
        c.setFillColor(INK)
        c.setFont(BOLD, 12)
        c.drawString(0, self._size[1] - 13, plain_text(self.caption))
        c.saveState()
        clip = c.beginPath()
        clip.rect(self.ox, self.oy, self.area_w, self.area_h)
        c.clipPath(clip, stroke=0, fill=0)
        self._draw_lanes()
        margin = 200.0
        view = Rect(
            self.view.x - margin, self.view.y - margin, self.view.w + 2 * margin, self.view.h + 2 * margin
        )
        index = self.index()
        for src, dst, label, rework in index.edges_in(view):
            self._draw_edge(src, dst, label, rework)
        for node in index.nodes_in(view):
            self._draw_node(node)
        c.restoreState()
        c.setStrokeColor(LANE_LINE)
        c.setLineWidth(0.6)
        c.rect(self.ox, self.oy, self.area_w, self.area_h, stroke=1, fill=0)
        draw_legend(c, 0, self.oy - 16, self._size[0])

    def _draw_lanes(self) -> None:
        c = self.canv
        s = self.scale
        index = self.index()  # the diagram's extent and lanes, measured once for all tiles
        bands = index.bands
        right = max(self.view.right, index.content.right)
        for i, lane in enumerate(self.doc.lanes):
            top, bottom = bands[lane.id]
            y0, y1 = self.py(bottom), self.py(top)
            x_head, x_body = self.px(-LANE_HEADER_WIDTH), self.px(0)
            x_end = self.px(right)
            if i % 2:
                c.setFillColor(LANE_ODD_FILL)
                c.rect(x_body, y0, x_end - x_body, y1 - y0, stroke=0, fill=1)
            c.setFillColor(LANE_HEADER_FILL)
            c.setStrokeColor(LANE_LINE)
            c.setLineWidth(0.6)
            c.rect(x_head, y0, x_body - x_head, y1 - y0, stroke=1, fill=1)
            c.line(x_body, y0, x_end, y0)
            c.line(x_body, y1, x_end, y1)
            name = plain_text(self.doc.role_name(lane.role))
            size, lines = fit_text(
                name,
                BOLD,
                max(TITLE_SIZE * s, MIN_TITLE_PT + 0.8),
                MIN_PILL_PT,
                (LANE_HEADER_WIDTH - 12) * s,
                y1 - y0,
                4,
            )
            c.setFillColor(INK)
            c.setFont(BOLD, size)
            mid = (y0 + y1) / 2 + (len(lines) - 1) * size * 0.6
            for k, line in enumerate(lines):
                c.drawCentredString((x_head + x_body) / 2, mid - k * size * 1.2 - size * 0.35, line)
            if self.show_lane_names and self.view.x > -LANE_HEADER_WIDTH:
                # A tile right of the header column repeats the lane name at its left edge.
                c.setFillColor(HexColor("#6A6A6A"))
                c.setFont(REGULAR, 7)
                c.drawString(self.ox + 3, y1 - 9, wrap_lines(name, REGULAR, 7, 200, 1)[0] if name else "")

    def _draw_edge(self, src: Node, dst: Node, label: str, rework: bool) -> None:
        """The connector along the same orthogonal route the canvas draws, arrowhead on the
        target's border, dashed for rework, the label on the middle segment."""
        c = self.canv
        s = self.scale
        pts = route_nodes(src, dst)
        if pts[0] == (src.position.x, src.position.y):
            # Overlapping boxes: the router's straight fallback runs centre to centre; clip it.
            (x0, y0), (x1, y1) = pts
            pts = [_border_point(src, x1, y1), _border_point(dst, x0, y0)]
        page = [(self.px(x), self.py(y)) for x, y in pts]
        (ax, ay), (bx, by) = page[-2], page[-1]
        length = math.hypot(bx - ax, by - ay)
        if length < 1e-6:
            return
        ux, uy = (bx - ax) / length, (by - ay) / length
        head = min(10.0 * s, length * 0.5)
        # The line stops at the arrowhead's base so the dashes do not poke through its tip.
        line = [f"{num(page[0][0])} {num(page[0][1])} m"]
        line += [f"{num(x)} {num(y)} l" for x, y in page[1:-1]]
        half = head * 0.45
        ops = [
            _EDGE_STROKE,
            _EDGE_FILL,
            f"{num(max(0.5, 1.4 * s))} w",
            # Dashes are switched on for a rework connector's line and off again after it.
            f"[{num(4 * s)} {num(3 * s)}] 0 d" if rework else "",
            " ".join(line),
            f"{num(bx - ux * head)} {num(by - uy * head)} l S",
            "[] 0 d" if rework else "",
            f"{num(bx)} {num(by)} m {num(bx - ux * head - uy * half)} {num(by - uy * head + ux * half)} l "
            f"{num(bx - ux * head + uy * half)} {num(by - uy * head - ux * half)} l h f",
        ]
        c._code.append(" ".join(op for op in ops if op))
        if label:
            size = max(LABEL_SIZE * s, MIN_LABEL_PT)
            text = wrap_lines(plain_text(label), REGULAR, size, 160 * s, 1)
            if text:
                tw = stringWidth(text[0], REGULAR, size)
                mid = len(page) // 2
                (m0x, m0y), (m1x, m1y) = page[mid - 1], page[mid]
                mx, my = (m0x + m1x) / 2, (m0y + m1y) / 2
                c.setFillColor(white)
                c.rect(mx - tw / 2 - 2 * s, my - size * 0.45, tw + 4 * s, size * 1.3, stroke=0, fill=1)
                c.setFillColor(EDGE_INK)
                c.setFont(REGULAR, size)
                c.drawCentredString(mx, my, text[0])

    def _draw_node(self, node: Node) -> None:
        """The node's shape, its title lines and its status pill. Shapes are PDF path operators
        written straight to the page, each kind's path made once per size and placed with a
        translation (the canvas API cost ten calls per node and a path object per rounded
        corner: a large diagram draws thousands of nodes)."""
        s = self.scale
        r = node_rect(node)
        x, y = self.px(r.x), self.py(r.bottom)
        w, h = r.w * s, r.h * s
        status = self.statuses[node.id] if self.statuses is not None else node_status(node)
        kind = node.kind
        fill = NOTE_FILL if kind is NodeKind.NOTE else _tint_of(status)
        ops = [
            colour_op(fill),
            _INK_STROKE,
            f"{num(max(0.5, 1.3 * s))} w q 1 0 0 1 {num(x)} {num(y)} cm {node_path(kind, w, h, s)} Q",
        ]
        # Text: title lines, then (for workflow nodes) the status pill.
        has_pill = kind is not NodeKind.NOTE
        title_w = (w - 18 * s) * (0.62 if kind is NodeKind.DECISION else 1.0)
        pill_h = max(PILL_SIZE * s, MIN_PILL_PT) * 1.5 if has_pill else 0.0
        room = h * (0.62 if kind is NodeKind.DECISION else 0.92) - (pill_h + 2 * s if has_pill else 0)
        size, lines = fit_text(
            plain_text(node.title),
            BOLD if has_pill else REGULAR,
            max(TITLE_SIZE * s, MIN_TITLE_PT),
            MIN_PILL_PT,
            title_w,
            room,
            2 if kind is NodeKind.DECISION else 3,
        )
        block = len(lines) * size * 1.15 + (pill_h + 2 * s if has_pill else 0)
        top = y + h / 2 + block / 2
        # The node's text is one text object after its shapes (title centred line by line).
        text = TextWriter(self.canv)
        font = BOLD if has_pill else REGULAR
        text.lines(font, size, INK, x, top - size * 0.9, size * 1.15, lines, centre_in=w)
        if has_pill:
            # A pill may overhang a small node a little rather than cut its status label short.
            self._draw_pill(
                ops, text, status, x + w / 2, top - block, w * (0.75 if kind is NodeKind.DECISION else 1.15)
            )
        self.canv._code.append(" ".join(ops))
        text.finish()

    def _draw_pill(
        self, ops: list[str], text: TextWriter, status: Status, cx: float, bottom: float, max_w: float
    ) -> None:
        """The status pill's shape into ``ops``, its label into ``text`` (drawn after the shapes)."""
        s = self.scale
        size = max(PILL_SIZE * s, MIN_PILL_PT)
        label, label_w, colour, ink = _pill_label(status, size, max_w - 8 * s)
        tw = label_w + 8 * s
        ph = size * 1.5
        ops += [
            colour_op(colour),
            f"{num(max(0.3, 0.6 * s))} w q 1 0 0 1 {num(cx - tw / 2)} {num(bottom)} cm {pill_path(tw, ph)} Q",
        ]
        text.lines(REGULAR, size, ink, cx - label_w / 2, bottom + ph * 0.3, size, [label])


_INK_STROKE = colour_op(INK, stroke=True)
_EDGE_STROKE = colour_op(EDGE_INK, stroke=True)
_EDGE_FILL = colour_op(EDGE_INK)


@functools.cache
def _tint_of(status: Status) -> Color:
    return tint(STATUS_STYLES[status].colour)


@functools.cache
def _pill_label(status: Status, size: float, width: float) -> tuple[str, float, Color, Color]:
    """A status pill's label fitted to ``width``, its width, fill and text colours (a diagram
    draws the same few pills on every node)."""
    style = STATUS_STYLES[status]
    label = wrap_lines(f"{style.glyph} {style.label}", REGULAR, size, width, 1)[0]
    return label, stringWidth(label, REGULAR, size), HexColor(style.colour), HexColor(style.text_on)


def draw_legend(c, x: float, y: float, width: float, statuses: Iterable[Status] = tuple(Status)) -> None:
    """The status legend (colour + glyph + label) and the shape key, baseline at ``y``."""
    c.setFillColor(INK)
    c.setFont(BOLD, 8)
    c.drawString(x, y, "Status:")
    cx = x + stringWidth("Status:", BOLD, 8) + 6
    for status in statuses:
        style = STATUS_STYLES[status]
        text = f"{style.glyph} {style.label}"
        tw = stringWidth(text, REGULAR, 8) + 10
        if cx + tw > x + width:
            break
        c.setFillColor(HexColor(style.colour))
        c.setStrokeColor(INK)
        c.setLineWidth(0.4)
        c.roundRect(cx, y - 3.5, tw, 12, 6, stroke=1, fill=1)
        c.setFillColor(HexColor(style.text_on))
        c.setFont(REGULAR, 8)
        c.drawString(cx + 5, y, text)
        cx += tw + 5
    c.setFillColor(INK)
    c.setFont(REGULAR, 7.5)
    c.drawString(x, y - 18, SHAPES_KEY)


def diagram_flowables(
    doc: Document, frame_w: float, frame_h: float, title: str, statuses: dict[str, Status] | None = None
) -> list[Flowable]:
    """The diagram as one fitted page or a grid of tiles, one flowable per landscape page."""
    c = content_rect(doc)
    padded = Rect(c.x, c.y - CONTENT_PAD, c.w + CONTENT_PAD, c.h + 2 * CONTENT_PAD)
    plan = plan_tiles(padded, frame_w, frame_h - CAPTION_HEIGHT - LEGEND_HEIGHT - 2)
    out: list[Flowable] = []
    total = len(plan.views)
    # One index for all the tiles, made when the first is drawn (not while the story is built).
    shared: list[SceneIndex] = []

    def index() -> SceneIndex:
        if not shared:
            shared.append(SceneIndex(doc))
        return shared[0]

    for i, view in enumerate(plan.views):
        if total == 1:
            caption = f"{title} — fitted to the page ({plan.scale:.0%} scale)"
        else:
            row, col = divmod(i, plan.cols)
            caption = (
                f"{title} — part {i + 1} of {total} (row {row + 1} of {plan.rows}, "
                f"column {col + 1} of {plan.cols}, {plan.scale:.0%} scale)"
            )
        out.append(
            DiagramTile(
                doc, view, plan.scale, caption, show_lane_names=total > 1, index=index, statuses=statuses
            )
        )
    return out
