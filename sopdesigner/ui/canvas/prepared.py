"""``PreparedItems``: the part of a scene rebuild that needs no Qt — every node's and
connector's snapshot and every connector's route — made from the model ahead of the rebuild.

The open worker makes them for a large file right after reading it, on its own thread, so
showing the document on the GUI thread only builds the Qt items (issue 7: at 10,000 nodes
about 60 ms less of the install's stall). The controller keeps them while the document is
unchanged (``DocumentController.prepared_items``); the scene falls back to making any that
is missing itself.
"""

from __future__ import annotations

from dataclasses import dataclass

from sopdesigner.model.document import Document
from sopdesigner.model.geometry import NODE_SIZES
from sopdesigner.model.routing import Box, Pt, crosses_outlines, item_box, route
from sopdesigner.ui.canvas.snapshot import EdgeSnapshot, NodeSnapshot, edge_snapshot, node_snapshot


@dataclass(frozen=True)
class PreparedItems:
    document: Document  # the document they were made from (the controller checks it is its own)
    nodes: dict[str, NodeSnapshot]
    edges: dict[str, EdgeSnapshot]
    routes: dict[str, list[Pt]]  # a connector whose boxes overlap is left out (clipped with Qt)


def prepare_items(doc: Document) -> PreparedItems:
    """Snapshots of every node and the routes of every connector between two of them."""
    names = {r.id: r.name for r in doc.roles}
    lane_roles = {la.id: la.role for la in doc.lanes}
    nodes: dict[str, NodeSnapshot] = {}
    boxes: dict[str, Box] = {}
    for node in doc.nodes:
        snap = node_snapshot(doc, node, names, lane_roles)
        nodes[node.id] = snap
        boxes[node.id] = item_box(snap.x, snap.y, *NODE_SIZES[snap.kind])
    edges: dict[str, EdgeSnapshot] = {}
    routes: dict[str, list[Pt]] = {}
    for edge in doc.edges:
        s, t = boxes.get(edge.source), boxes.get(edge.target)
        if s is None or t is None:
            continue
        edges[edge.id] = edge_snapshot(edge)
        points = route(s, t)
        if not crosses_outlines(points, s):
            routes[edge.id] = points
    return PreparedItems(doc, nodes, edges, routes)
