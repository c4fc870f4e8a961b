"""Lane bands, the scene rect and the content rect of the canvas (mixed into ``DiagramScene``;
``self`` is the scene): lanes follow the model's order and heights and stretch past the
rightmost node; the scene rect leaves room to drop nodes beyond the content and only grows
between rebuilds (each change of it re-indexes every item)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QRectF

from sopdesigner.model.geometry import LANE_HEADER_WIDTH
from sopdesigner.ui.canvas.header_item import HEADER_TOP
from sopdesigner.ui.canvas.lane_item import LaneItem, LaneSnapshot
from sopdesigner.ui.canvas.legend_item import LEGEND_GAP, LEGEND_WIDTH

if TYPE_CHECKING:
    from sopdesigner.ui.canvas.scene import DiagramScene

MIN_LANE_WIDTH = 1200.0
SCENE_MARGIN = 400.0  # room to drop nodes beyond the current content


class SceneLayout:
    """Lanes, scene rect and content rect; ``self`` is the DiagramScene."""

    def _node_extent(self: DiagramScene) -> tuple[float, float, float, float, float] | None:
        """(min x, min y, max x, max y) of the node centres and the rightmost outline edge,
        in one pass over plain floats (None without nodes)."""
        if not self._nodes:
            return None
        inf = float("inf")
        x0 = y0 = inf
        x1 = y1 = right = -inf
        for it in self._nodes.values():
            x, y = it.x(), it.y()
            if x < x0:
                x0 = x
            if x > x1:
                x1 = x
            if y < y0:
                y0 = y
            if y > y1:
                y1 = y
            r = x + it.half_width
            if r > right:
                right = r
        return x0, y0, x1, y1, right

    def _sync_lanes(self: DiagramScene) -> None:
        """Lane bands follow the model's order and heights, and stretch past the rightmost node."""
        doc = self.document
        extent = self._node_extent()
        right = extent[4] if extent is not None else 0.0
        self._lane_width = max(MIN_LANE_WIDTH, right + 240.0)
        names = {r.id: r.name for r in doc.roles}
        seen = set()
        top = 0.0
        for i, lane in enumerate(doc.lanes):
            snap = LaneSnapshot(
                lane.id, lane.role, names.get(lane.role, lane.role), i, top, lane.height, self._lane_width
            )
            item = self._lanes.get(lane.id)
            if item is None:
                item = LaneItem(snap, self.theme)
                self.addItem(item)
                self._lanes[lane.id] = item
            elif item.snapshot != snap:
                item.set_snapshot(snap)
            seen.add(lane.id)
            top += lane.height
        for lane_id in [lid for lid in self._lanes if lid not in seen]:
            self.removeItem(self._lanes.pop(lane_id))
        full = QRectF(-LANE_HEADER_WIDTH, 0.0, LANE_HEADER_WIDTH + self._lane_width, top)
        self._lanes_rect = full if top > 0 else None
        # Header on the left, legend flush with the lanes' right edge; the header takes the rest.
        header_w = LANE_HEADER_WIDTH + self._lane_width - LEGEND_WIDTH - LEGEND_GAP
        if self._header is not None:
            self._header.set_width(header_w)
            if self._legend is not None:
                self._legend.set_left(self._header.rect().right() + LEGEND_GAP)
        self._update_scene_rect(top, extent)

    def _update_scene_rect(
        self, lanes_bottom: float, extent: tuple[float, float, float, float, float] | None
    ) -> None:
        rect = QRectF(
            -LANE_HEADER_WIDTH,
            HEADER_TOP,
            LANE_HEADER_WIDTH + self._lane_width,
            max(lanes_bottom, 0.0) - HEADER_TOP,
        )
        for it in (self._header, self._legend):
            if it is not None:
                rect = rect.united(it.boundingRect())
        if extent is not None:
            x0, y0, x1, y1, _ = extent
            rect = rect.united(QRectF(x0 - 120, y0 - 80, x1 - x0 + 240, y1 - y0 + 160))
        rect = rect.adjusted(-SCENE_MARGIN, -SCENE_MARGIN / 2, SCENE_MARGIN, SCENE_MARGIN)
        # Between rebuilds the rect only grows: every change of it re-indexes all items (BSP).
        if not self._rect_fresh and self.sceneRect().contains(rect):
            return
        self.setSceneRect(rect if self._rect_fresh else rect.united(self.sceneRect()))
        if self._layer is not None:
            self._layer.set_rect(self.sceneRect())
        self._rect_fresh = False

    def content_rect(self: DiagramScene) -> QRectF:
        """What an export or "fit" shows: header, legend, lanes, nodes and connectors (no drop
        margin, no gesture guides). From the item maps: ``items()`` would sort every item."""
        rect = QRectF()
        for it in (self._header, self._legend, *self._lanes.values()):
            if it is not None and it.isVisible():
                rect = rect.united(it.sceneBoundingRect())
        for node in self._nodes.values():
            rect = rect.united(node.sceneBoundingRect())
        for edge in self._edges.values():
            rect = rect.united(edge.boundingRect())  # connectors live at (0, 0)
        return rect
