"""Editing commands of the canvas (mixed into ``DiagramScene``): each builds one op from the
selection and runs it through the controller — place, delete, copy/paste/duplicate, nudge,
align, distribute, and the lane commands of the lane header menu."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QMimeData, QPointF

from sopdesigner.model.document import Node, Point
from sopdesigner.model.enums import EdgeKind, NodeKind
from sopdesigner.model.ids import new_id
from sopdesigner.ops import MoveNodes, RemoveItems, RenameRole, SetEdgeFields
from sopdesigner.ui.canvas import layout_ops
from sopdesigner.ui.canvas.mime import FRAGMENT_MIME, Fragment, FragmentError

if TYPE_CHECKING:
    from sopdesigner.ui.canvas.scene import DiagramScene

DEFAULT_TITLES: dict[NodeKind, str] = {
    NodeKind.START: "Start",
    NodeKind.STEP: "New step",
    NodeKind.CHECKPOINT: "New checkpoint",
    NodeKind.DECISION: "Decision",
    NodeKind.END: "End",
    NodeKind.NOTE: "Note",
}
PASTE_OFFSET = 40.0


class SceneCommands:
    """Commands over the current selection; ``self`` is the DiagramScene."""

    # -- nodes -----------------------------------------------------------------------------------
    def place_node(self: DiagramScene, kind: NodeKind, scene_pos: QPointF) -> str | None:
        """Add a node of ``kind`` centred at ``scene_pos`` (snapped), in the lane under it."""
        x, y = scene_pos.x(), scene_pos.y()
        if self.snap_to_grid():
            x, y = layout_ops.snap(x), layout_ops.snap(y)
        node = Node(
            id=new_id(), kind=NodeKind(kind), title=DEFAULT_TITLES[NodeKind(kind)], position=Point(x=x, y=y)
        )
        op = layout_ops.add_nodes_op(self.document, [node], text=f"Add {node.kind.value}")
        if not self.execute(op):
            return None
        self.select_ids([node.id])
        return node.id

    def delete_selection(self: DiagramScene) -> None:
        if self.review_mode():
            return
        nodes, edges = self.selected_node_ids(), self.selected_edge_ids()
        if nodes or edges:
            self.execute(RemoveItems(node_ids=nodes, edge_ids=edges))

    def _fragment(self: DiagramScene) -> Fragment | None:
        ids = set(self.selected_node_ids())
        if not ids:
            return None
        doc = self.document
        nodes = [n for n in doc.nodes if n.id in ids]
        edges = [e for e in doc.edges if e.source in ids and e.target in ids]
        return Fragment(nodes, edges)

    def copy_selection(self: DiagramScene) -> QMimeData | None:
        """The selected nodes and the edges between them, as clipboard data (None if nothing selected)."""
        fragment = self._fragment()
        if fragment is None:
            return None
        mime = QMimeData()
        mime.setData(FRAGMENT_MIME, fragment.to_bytes())
        mime.setText("\n".join(n.title for n in fragment.nodes))
        return mime

    def paste(self: DiagramScene, mime: QMimeData, at: QPointF | None = None) -> None:
        """Paste a fragment with new ids: centred on ``at``, else offset from the originals."""
        if mime is None or not mime.hasFormat(FRAGMENT_MIME):
            return
        try:
            fragment = Fragment.from_bytes(bytes(mime.data(FRAGMENT_MIME).data()))
        except FragmentError as err:
            self.controller.error_raised.emit(str(err))
            return
        self._insert_fragment(fragment, at)

    def duplicate_selection(self: DiagramScene) -> None:
        fragment = self._fragment()
        if fragment is not None:
            self._insert_fragment(fragment, None)

    def _insert_fragment(self: DiagramScene, fragment: Fragment, at: QPointF | None) -> None:
        if not fragment.nodes:
            return
        if at is None:
            dx = dy = PASTE_OFFSET
        else:
            xs = [n.position.x for n in fragment.nodes]
            ys = [n.position.y for n in fragment.nodes]
            dx = at.x() - (min(xs) + max(xs)) / 2
            dy = at.y() - (min(ys) + max(ys)) / 2
            if self.snap_to_grid():
                dx, dy = layout_ops.snap(dx), layout_ops.snap(dy)
        copy = fragment.fresh_copy(dx, dy, {r.id for r in self.document.roles})
        text = "Paste" if len(copy.nodes) == 1 else f"Paste {len(copy.nodes)} nodes"
        if self.execute(layout_ops.add_nodes_op(self.document, copy.nodes, copy.edges, text)):
            self.select_ids([n.id for n in copy.nodes], [e.id for e in copy.edges])

    # -- moving ----------------------------------------------------------------------------------
    def nudge_selection(self: DiagramScene, dx: float, dy: float) -> None:
        """Move the selection by (dx, dy); consecutive nudges merge into one undo step."""
        if self.review_mode():
            return
        items = self.selected_node_items()
        if not items:
            return
        positions = {it.node_id: (it.pos().x() + dx, it.pos().y() + dy) for it in items}
        doc = self.document
        index = {n.id: n for n in doc.nodes}
        lanes: dict[str, str | None] = {}
        for nid, (_, y) in positions.items():
            lane = layout_ops.lane_for_y(doc, y)
            if lane is not None and lane != index[nid].lane:
                lanes[nid] = lane
        self.execute(MoveNodes(positions, lanes), merge_key="nudge")

    def _boxes(self: DiagramScene) -> dict[str, tuple[float, float, float, float]]:
        return {it.node_id: (it.pos().x(), it.pos().y(), *it.size()) for it in self.selected_node_items()}

    def align_selection(self: DiagramScene, how: str) -> None:
        """Align the selected nodes: "left", "hcenter", "right", "top", "vcenter" or "bottom"."""
        positions = layout_ops.align_positions(self._boxes(), how)
        self._move_to(positions)

    def distribute_selection(self: DiagramScene, axis: str) -> None:
        """Equal gaps between three or more selected nodes: "horizontal" or "vertical"."""
        positions = layout_ops.distribute_positions(self._boxes(), axis)
        self._move_to(positions)

    def _move_to(self: DiagramScene, positions: dict[str, tuple[float, float]]) -> None:
        current = {it.node_id: (it.pos().x(), it.pos().y()) for it in self.selected_node_items()}
        changed = {nid: p for nid, p in positions.items() if current.get(nid) != p}
        if changed and not self.review_mode():
            self.execute_builder(lambda doc: layout_ops.move_op(doc, changed))

    # -- edges ------------------------------------------------------------------------------------
    def set_edge_kind(self: DiagramScene, edge_id: str, kind: EdgeKind) -> None:
        self.execute(SetEdgeFields(edge_id, {"kind": EdgeKind(kind)}))

    def set_edge_label(self: DiagramScene, edge_id: str, label: str) -> None:
        self.execute(SetEdgeFields(edge_id, {"label": label.strip()}))

    # -- lanes ------------------------------------------------------------------------------------
    def rename_lane(self: DiagramScene, lane_id: str, name: str) -> bool:
        """Rename the role a lane is bound to."""
        return self.execute(RenameRole(self.document.lane(lane_id).role, name))

    def move_lane(self: DiagramScene, lane_id: str, delta: int) -> bool:
        """Move a lane up (-1) or down (+1); its nodes move with it."""
        index = next(i for i, la in enumerate(self.document.lanes) if la.id == lane_id)
        return self.execute_builder(lambda doc: layout_ops.move_lane_op(doc, lane_id, index + delta))

    def add_lane(self: DiagramScene, name: str, after: str | None = None) -> str | None:
        """A new role named ``name`` with its lane below ``after`` (bottom if None)."""
        created: list[str] = []

        def build(doc):
            op, lane_id = layout_ops.add_lane_op(doc, name, after)
            created.append(lane_id)
            return op

        return created[0] if self.execute_builder(build) else None

    def remove_lane(self: DiagramScene, lane_id: str) -> bool:
        """Remove a lane (and its role when nothing else uses it); its nodes stay, unowned."""
        return self.execute_builder(lambda doc: layout_ops.remove_lane_op(doc, lane_id))

    def resize_lane(self: DiagramScene, lane_id: str, height: float) -> bool:
        return self.execute_builder(lambda doc: layout_ops.resize_lane_op(doc, lane_id, height))
