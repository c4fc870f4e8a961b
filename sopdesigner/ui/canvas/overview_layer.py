"""The overview layer: zoomed far out, one item draws every node outline and connector line.

Below ``OVERVIEW_ZOOM`` a node is drawn as its bare outline and a connector as a bare line
(no text, no arrowhead). Qt still paid, for each of thousands of items, a call into Python
for ``paint`` and two for ``boundingRect`` on every repaint: the first repaint after opening
1,000 nodes took 23 ms where the bare floor scene takes about a third of that. So in the
overview every node and connector item is marked ``ItemHasNoContents`` (Qt then skips it
while painting), and one ``OverviewLayer`` under the nodes draws those in the exposed area
with the items' own pens, outlines and routes: the same primitives in the same stacking
order, so the picture is the same (a test compares the two pixel for pixel).

Still drawn by their own items in the overview: selected nodes and connectors (selection
ring, handles), nodes being dragged, and connectors a drag proxy carries. An item in the
layer cannot ask Qt to repaint it (Qt ignores updates from an item without contents), so it
has the layer repaint the area instead: the scene repaints the layer after every model change
it applies, a connector re-routed live by a drag repaints where it was and is, and an item
handed back to the layer repaints its own area.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QPainter, QPainterPath
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from sopdesigner.ui.canvas.edge_item import EdgeItem
from sopdesigner.ui.canvas.node_item import LOD_SHAPES, NodeItem
from sopdesigner.ui.canvas.style import Z_EDGE

if TYPE_CHECKING:
    from sopdesigner.ui.canvas.scene import DiagramScene

#: Below this zoom nodes are bare outlines (``LOD_SHAPES``) and connectors bare lines.
OVERVIEW_ZOOM = LOD_SHAPES
NO_CONTENTS = QGraphicsItem.GraphicsItemFlag.ItemHasNoContents
_BY_RECT = Qt.ItemSelectionMode.IntersectsItemBoundingRect
_UPWARDS = Qt.SortOrder.AscendingOrder
_EMPTY = QPainterPath()


class OverviewLayer(QGraphicsItem):
    """Draws the nodes and connectors whose items are in the layer (``in_layer``); shown only
    in the overview. Never hit: its shape is empty and it takes no mouse buttons."""

    def __init__(self) -> None:
        super().__init__()
        self._rect = QRectF()
        self.setZValue(Z_EDGE)  # under selected connectors and nodes, over lanes and header
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        # exposedRect in paint(): a small repaint draws only what is in it.
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemUsesExtendedStyleOption)

    def set_rect(self, rect: QRectF) -> None:
        """Cover the scene rect (everything drawable lies in it)."""
        if rect != self._rect:
            self.prepareGeometryChange()
            self._rect = QRectF(rect)

    def boundingRect(self) -> QRectF:
        return self._rect

    def shape(self) -> QPainterPath:
        return _EMPTY

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        scene = self.scene()
        if scene is None:
            return
        exposed = option.exposedRect  # type: ignore[attr-defined]
        pen: Any = None
        brush: Any = None
        # Ascending stacking order, as Qt paints items: connectors (lower z) before nodes.
        for it in scene.items(exposed, _BY_RECT, _UPWARDS):
            cls = it.__class__
            if cls is EdgeItem:
                if not it.in_layer or it.opacity() == 0.0:  # transparent: a drag proxy draws it
                    continue
                if it._pen is not pen:
                    pen = it._pen
                    painter.setPen(pen)
                painter.drawPolyline(it._polyline())
            elif cls is NodeItem:
                if not it.in_layer:
                    continue
                if it._fill is not brush:
                    brush = it._fill
                    painter.setBrush(brush)
                if it._status_pen is not pen:
                    pen = it._status_pen
                    painter.setPen(pen)
                x, y = it.x(), it.y()
                painter.translate(x, y)
                painter.drawPath(it._outline)
                painter.translate(-x, -y)


def set_in_layer(item: NodeItem | EdgeItem, on: bool, *, repaint: bool = True) -> None:
    """Hand ``item``'s drawing to the layer (``on``) or back to the item; ``repaint`` its area
    (a caller changing many items repaints once instead)."""
    if item.in_layer == on:
        return
    item.in_layer = on
    item.setFlag(NO_CONTENTS, on)
    if not repaint:
        return
    if on:
        scene = item.scene()
        if scene is not None:
            scene.overview_changed(item.sceneBoundingRect())  # type: ignore[attr-defined]
    else:
        item.update()


#: From this many items changing hands at once, one full repaint is cheaper than one each.
_BULK = 200


class SceneOverview:
    """The scene's side of the overview (mixed into ``DiagramScene``; ``self`` is the scene,
    which owns ``_overview``, ``_layer`` and ``_lifted``)."""

    def set_overview(self: DiagramScene, on: bool) -> None:
        """Zoomed far out (the view decides): the layer draws every node and connector but the
        selected ones."""
        if on == self._overview:
            return
        self._overview = on
        if self._layer is not None:
            self._layer.setVisible(on)
        lifted: set[NodeItem | EdgeItem] = set()
        for item in (*self._nodes.values(), *self._edges.values()):
            wanted = on and not item.isSelected()
            if on and not wanted:
                lifted.add(item)
            if item.in_layer != wanted:
                item.in_layer = wanted
                item.setFlag(NO_CONTENTS, wanted)
        self._lifted = lifted
        self.update()  # the whole picture is drawn another way now

    def overview(self: DiagramScene) -> bool:
        return self._overview

    def overview_changed(self: DiagramScene, rect: QRectF | None = None) -> None:
        """Repaint ``rect`` (all when None) of what the layer draws."""
        if self._layer is not None and self._overview:
            if rect is None:
                self._layer.update()
            else:
                self._layer.update(rect)

    def _lift_selection(self: DiagramScene, node_ids: list[str], edge_ids: list[str]) -> None:
        """Selected items draw themselves (ring, handles; a drag moves only selected nodes);
        the rest are in the layer."""
        selected: set[NodeItem | EdgeItem] = {self._nodes[n] for n in node_ids}
        selected.update(self._edges[e] for e in edge_ids)
        back = self._lifted - selected  # (the scene drops removed items from _lifted)
        out = selected - self._lifted
        each = len(back) + len(out) < _BULK
        for item in back:
            set_in_layer(item, True, repaint=each)
        for item in out:
            set_in_layer(item, False, repaint=each)
        if not each:
            self.update()
        self._lifted = selected
