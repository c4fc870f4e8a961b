"""Shared geometry: node sizes per kind and lane bands, used by the canvas, layout and PDF.

Positions in the model are node *centres*, in scene units (1 unit = 1 px at 100 % zoom).
Lanes stack from y = 0 in list order; each lane's label column is ``LANE_HEADER_WIDTH`` wide
at x < 0, so diagram content starts at x = 0.
"""

from __future__ import annotations

from dataclasses import dataclass

from sopdesigner.model.document import Document, Node
from sopdesigner.model.enums import NodeKind

NODE_SIZES: dict[NodeKind, tuple[float, float]] = {
    NodeKind.START: (150.0, 64.0),
    NodeKind.STEP: (190.0, 84.0),
    NodeKind.CHECKPOINT: (190.0, 96.0),
    NodeKind.DECISION: (170.0, 110.0),
    NodeKind.END: (150.0, 64.0),
    NodeKind.NOTE: (170.0, 80.0),
}

LANE_HEADER_WIDTH = 140.0
DEFAULT_LANE_HEIGHT = 160.0
GRID = 20.0


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    w: float
    h: float

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def bottom(self) -> float:
        return self.y + self.h

    def intersects(self, other: Rect) -> bool:
        return not (
            other.x >= self.right or other.right <= self.x or other.y >= self.bottom or other.bottom <= self.y
        )

    def contains(self, other: Rect) -> bool:
        return (
            self.x <= other.x
            and self.y <= other.y
            and other.right <= self.right
            and other.bottom <= self.bottom
        )


def node_size(kind: NodeKind) -> tuple[float, float]:
    return NODE_SIZES[kind]


def node_rect(node: Node) -> Rect:
    w, h = NODE_SIZES[node.kind]
    return Rect(node.position.x - w / 2, node.position.y - h / 2, w, h)


def lane_bands(doc: Document) -> dict[str, tuple[float, float]]:
    """Lane id → (top, bottom) in scene y."""
    bands: dict[str, tuple[float, float]] = {}
    y = 0.0
    for lane in doc.lanes:
        bands[lane.id] = (y, y + lane.height)
        y += lane.height
    return bands


def lane_at(doc: Document, y: float) -> str | None:
    """The lane whose band contains scene y, or None outside every lane."""
    top = 0.0
    for lane in doc.lanes:
        if top <= y < top + lane.height:
            return lane.id
        top += lane.height
    return None


def content_rect(doc: Document) -> Rect:
    """Bounding rectangle of lanes (with headers) and nodes."""
    xs: list[float] = [-LANE_HEADER_WIDTH, 0.0]
    ys: list[float] = [0.0, sum(lane.height for lane in doc.lanes)]
    for n in doc.nodes:
        r = node_rect(n)
        xs += [r.x, r.right]
        ys += [r.y, r.bottom]
    x0, y0 = min(xs), min(ys)
    return Rect(x0, y0, max(xs) - x0, max(ys) - y0)
