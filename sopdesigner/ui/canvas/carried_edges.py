"""``CarriedEdges``: the drag proxy for connectors whose two nodes are both being dragged.

Such a connector only translates with the selection, so during the drag it is not moved at
all: it is made fully transparent (the scene then skips it without calling its ``paint``) and
one proxy item per stacking level draws it, moved by one ``setPos`` per mouse move. Moving
each connector cost a Python call and a BSP re-index per connector per move (6,000 of them at
5,000 nodes); the proxy costs one. When the drag ends the connectors are shown again, their
routes translated by the step the drag committed (``EdgeItem.translate``), or untouched when
it was cancelled.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QGraphicsItem, QGraphicsScene, QStyleOptionGraphicsItem, QWidget

from sopdesigner.ui.canvas.edge_item import EdgeItem

#: Width of the columns the proxy files its connectors in (scene units): a repaint at reading
#: zoom exposes a few columns, so it looks at the connectors there, not at all of them.
COLUMN = 1024.0


class CarriedEdges(QGraphicsItem):
    """Draws ``edges`` (all at one z value) offset by its own position."""

    def __init__(self, edges: list[EdgeItem]):
        super().__init__()
        self._edges = edges
        rect = QRectF()
        # Column → indices of the connectors whose bounds reach into it. The carried routes do
        # not change during the drag, so this is made once, at its start.
        columns: dict[int, list[int]] = {}
        for i, edge in enumerate(edges):
            bounds = edge.boundingRect()
            rect = rect.united(bounds)
            for c in range(int(bounds.left() // COLUMN), int(bounds.right() // COLUMN) + 1):
                columns.setdefault(c, []).append(i)
        self._rect = rect
        self._columns = columns
        self._span = (min(columns), max(columns)) if columns else (0, -1)
        self.setZValue(edges[0].zValue())
        # exposedRect in paint(): only the connectors in the repainted area are drawn.
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemUsesExtendedStyleOption)

    def edges(self) -> list[EdgeItem]:
        return list(self._edges)

    def boundingRect(self) -> QRectF:
        return self._rect

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        exposed = option.exposedRect  # type: ignore[attr-defined]
        first, last = int(exposed.left() // COLUMN), int(exposed.right() // COLUMN)
        if first <= self._span[0] and self._span[1] <= last:  # every column exposed (zoomed out)
            candidates: range | list[int] = range(len(self._edges))
        else:
            # In their stacking order (the order they were given in), each once.
            found = {i for c in range(first, last + 1) for i in self._columns.get(c, ())}
            candidates = sorted(found)
        edges = self._edges
        for i in candidates:
            edge = edges[i]
            if edge.boundingRect().intersects(exposed):
                edge.paint(painter, option, widget)


def carry(scene: QGraphicsScene, edges: list[EdgeItem]) -> list[CarriedEdges]:
    """Hide ``edges`` and add the proxies that draw them in their place (one per z value, so
    the stacking against nodes and other connectors stays as it was)."""
    levels: dict[float, list[EdgeItem]] = {}
    for edge in edges:
        levels.setdefault(edge.zValue(), []).append(edge)
    proxies = []
    for level in levels.values():
        proxy = CarriedEdges(level)
        scene.addItem(proxy)
        proxies.append(proxy)
    for edge in edges:
        edge.setOpacity(0.0)
    return proxies


def drop(
    scene: QGraphicsScene, proxies: list[CarriedEdges], edges: list[EdgeItem], dx: float, dy: float
) -> None:
    """Remove the proxies and show ``edges`` again, their routes moved by (dx, dy)."""
    for proxy in proxies:
        scene.removeItem(proxy)
    for edge in edges:
        if dx or dy:
            edge.translate(dx, dy)
        edge.setOpacity(1.0)
