"""Builds the ops behind canvas gestures that touch lane layout (no Qt in here).

Lanes stack from y = 0 and node positions are absolute, so anything that changes a lane's
top (growing a lane to fit a dropped node, resizing, reordering, adding or removing a lane)
also moves the nodes of the lanes below by the same amount, in the same undo step.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from sopdesigner.errors import InvalidEditError
from sopdesigner.model.document import Document, Lane, Node, Role
from sopdesigner.model.enums import NodeKind
from sopdesigner.model.geometry import GRID, NODE_SIZES
from sopdesigner.model.ids import slugify
from sopdesigner.ops import (
    AddLane,
    AddNodes,
    AddRole,
    Batch,
    MoveLane,
    MoveNodes,
    Op,
    RemoveLane,
    RemoveRole,
    ResizeLanes,
)

#: Space kept between a node's bottom and its lane's bottom border when a lane grows.
LANE_PADDING = 20.0
MIN_LANE = 40.0

Positions = dict[str, tuple[float, float]]


def snap(value: float, grid: float = GRID) -> float:
    """The nearest grid line (halves round up, not to even, so snapping never looks random)."""
    return math.floor(value / grid + 0.5) * grid


def _tops(lanes: Iterable[tuple[str, float]]) -> dict[str, float]:
    tops, y = {}, 0.0
    for lane_id, height in lanes:
        tops[lane_id] = y
        y += height
    return tops


def lane_for_y(doc: Document, y: float) -> str | None:
    """The lane whose band holds ``y``; above the first lane → first, below the last → last."""
    if not doc.lanes:
        return None
    top = 0.0
    for lane in doc.lanes:
        if y < top + lane.height:
            return lane.id
        top += lane.height
    return doc.lanes[-1].id


def _shift(
    doc: Document,
    old: dict[str, float],
    new: dict[str, float],
    positions: Positions,
    lanes: dict[str, str | None],
) -> Positions:
    """Final positions: every node follows its (final) lane's change of top."""
    out: Positions = {}
    for n in doc.nodes:
        x, y = positions.get(n.id, (n.position.x, n.position.y))
        lane = lanes.get(n.id, n.lane)
        dy = new[lane] - old[lane] if lane in old and lane in new else 0.0
        if dy or n.id in positions:
            out[n.id] = (x, y + dy)
    return out


def _grown_heights(
    doc: Document, positions: Positions, lanes: dict[str, str | None], extra: Iterable[Node] = ()
) -> dict[str, float]:
    """New heights for lanes that must grow so every node in them fits."""
    old_tops = _tops((la.id, la.height) for la in doc.lanes)
    need: dict[str, float] = {}
    for n in [*doc.nodes, *extra]:
        lane = lanes.get(n.id, n.lane)
        if lane not in old_tops:
            continue
        _, y = positions.get(n.id, (n.position.x, n.position.y))
        bottom = y + NODE_SIZES[n.kind][1] / 2 + LANE_PADDING
        need[lane] = max(need.get(lane, 0.0), bottom - old_tops[lane])
    heights = {}
    for la in doc.lanes:
        if need.get(la.id, 0.0) > la.height:
            heights[la.id] = math.ceil(need[la.id] / GRID) * GRID
    return heights


def _below_top(doc: Document, kind: NodeKind, y: float) -> float:
    """Keep a node from sticking out above the first lane (into the request header)."""
    half = NODE_SIZES[kind][1] / 2
    if doc.lanes and y - half < 0:
        return math.ceil((half + LANE_PADDING / 2) / GRID) * GRID
    return y


def move_op(doc: Document, positions: Positions) -> Op:
    """A move (drag, align, distribute): lanes follow the nodes' centres, lanes grow to fit."""
    index = {n.id: n for n in doc.nodes}
    positions = {nid: (x, _below_top(doc, index[nid].kind, y)) for nid, (x, y) in positions.items()}
    lanes: dict[str, str | None] = {}
    for nid, (_, y) in positions.items():
        lane = lane_for_y(doc, y)
        if lane != index[nid].lane and lane is not None:
            lanes[nid] = lane
    heights = _grown_heights(doc, positions, lanes)
    if not heights:
        return MoveNodes(dict(positions), lanes)
    old = _tops((la.id, la.height) for la in doc.lanes)
    new = _tops((la.id, heights.get(la.id, la.height)) for la in doc.lanes)
    final = _shift(doc, old, new, positions, lanes)
    return Batch(
        [ResizeLanes(heights), MoveNodes(final, lanes)],
        "Move" if len(positions) == 1 else f"Move {len(positions)} nodes",
    )


def add_nodes_op(doc: Document, nodes: list[Node], edges: list | None = None, text: str = "Add node") -> Op:
    """Add nodes (drop, paste, duplicate); each takes the lane under its centre, lanes grow to fit."""
    for n in nodes:
        n.position.y = _below_top(doc, n.kind, n.position.y)
        n.lane = lane_for_y(doc, n.position.y)
    add = AddNodes(nodes=nodes, edges=list(edges or []))
    heights = _grown_heights(doc, {}, {}, extra=nodes)
    if not heights:
        return add
    old = _tops((la.id, la.height) for la in doc.lanes)
    new = _tops((la.id, heights.get(la.id, la.height)) for la in doc.lanes)
    for n in nodes:
        if n.lane in old:
            n.position.y += new[n.lane] - old[n.lane]
    shifted = _shift(doc, old, new, {}, {})
    ops: list[Op] = [ResizeLanes(heights), add]
    if shifted:
        ops.append(MoveNodes(shifted))
    return Batch(ops, text)


def resize_lane_op(doc: Document, lane_id: str, height: float) -> Op:
    """Set one lane's height (never smaller than its nodes need); lower lanes' nodes follow."""
    lane = doc.lane(lane_id)
    top = _tops((la.id, la.height) for la in doc.lanes)[lane_id]
    need = MIN_LANE
    for n in doc.nodes:
        if n.lane == lane_id:
            need = max(need, n.position.y + NODE_SIZES[n.kind][1] / 2 + 4 - top)
    height = max(snap(height), math.ceil(need / GRID) * GRID, MIN_LANE)
    if height == lane.height:
        raise InvalidEditError("The lane already has that height.")
    old = _tops((la.id, la.height) for la in doc.lanes)
    new = _tops((la.id, height if la.id == lane_id else la.height) for la in doc.lanes)
    ops: list[Op] = [ResizeLanes({lane_id: height})]
    shifted = _shift(doc, old, new, {}, {})
    if shifted:
        ops.append(MoveNodes(shifted))
    return Batch(ops, "Resize lane")


def move_lane_op(doc: Document, lane_id: str, index: int) -> Op:
    """Reorder a lane; every node moves with its lane."""
    order = [la for la in doc.lanes]
    current = next(i for i, la in enumerate(order) if la.id == lane_id)
    if not 0 <= index < len(order) or index == current:
        raise InvalidEditError("The lane cannot move any further that way.")
    lane = order.pop(current)
    order.insert(index, lane)
    old = _tops((la.id, la.height) for la in doc.lanes)
    new = _tops((la.id, la.height) for la in order)
    ops: list[Op] = [MoveLane(lane_id, index)]
    shifted = _shift(doc, old, new, {}, {})
    if shifted:
        ops.append(MoveNodes(shifted))
    return Batch(ops, "Move lane")


def add_lane_op(doc: Document, name: str, after: str | None = None) -> tuple[Op, str]:
    """A new role and its lane, below ``after`` (or at the bottom). Returns (op, new lane id)."""
    name = name.strip()
    if not name:
        raise InvalidEditError("A lane needs a role name.")
    role_id = slugify(name, {r.id for r in doc.roles}, fallback="role")
    lane_id = slugify(f"lane-{role_id}", {la.id for la in doc.lanes}, fallback="lane")
    index = len(doc.lanes)
    if after is not None:
        index = next(i for i, la in enumerate(doc.lanes) if la.id == after) + 1
    lane = Lane(id=lane_id, role=role_id)
    old = _tops((la.id, la.height) for la in doc.lanes)
    new_order = [(la.id, la.height) for la in doc.lanes]
    new_order.insert(index, (lane_id, lane.height))
    new = _tops(new_order)
    ops: list[Op] = [AddRole(Role(id=role_id, name=name)), AddLane(lane, index)]
    shifted = _shift(doc, old, new, {}, {})
    if shifted:
        ops.append(MoveNodes(shifted))
    return Batch(ops, "Add lane"), lane_id


def remove_lane_op(doc: Document, lane_id: str) -> Op:
    """Remove a lane (its nodes stay, without owner); lower lanes move up; the role goes too if unused."""
    lane = doc.lane(lane_id)
    old = _tops((la.id, la.height) for la in doc.lanes)
    new = _tops((la.id, la.height) for la in doc.lanes if la.id != lane_id)
    ops: list[Op] = [RemoveLane(lane_id)]
    role_used = (
        any(la.role == lane.role and la.id != lane_id for la in doc.lanes)
        or any(lane.role in n.required_roles for n in doc.nodes)
        or any(s.role == lane.role for n in doc.nodes for s in n.signoffs)
    )
    if not role_used:
        ops.append(RemoveRole(lane.role))
    shifted = _shift(doc, old, new, {}, {})
    if shifted:
        ops.append(MoveNodes(shifted))
    return Batch(ops, "Remove lane")


def align_positions(boxes: dict[str, tuple[float, float, float, float]], how: str) -> Positions:
    """New centres that align boxes (x, y, w, h by centre) on one side or centre line."""
    if len(boxes) < 2:
        return {}
    lefts = [x - w / 2 for x, _, w, _ in boxes.values()]
    rights = [x + w / 2 for x, _, w, _ in boxes.values()]
    tops = [y - h / 2 for _, y, _, h in boxes.values()]
    bottoms = [y + h / 2 for _, y, _, h in boxes.values()]
    out: Positions = {}
    for nid, (x, y, w, h) in boxes.items():
        if how == "left":
            out[nid] = (min(lefts) + w / 2, y)
        elif how == "right":
            out[nid] = (max(rights) - w / 2, y)
        elif how == "hcenter":
            out[nid] = ((min(lefts) + max(rights)) / 2, y)
        elif how == "top":
            out[nid] = (x, min(tops) + h / 2)
        elif how == "bottom":
            out[nid] = (x, max(bottoms) - h / 2)
        elif how == "vcenter":
            out[nid] = (x, (min(tops) + max(bottoms)) / 2)
        else:
            raise ValueError(f"unknown alignment {how!r}")
    return out


def distribute_positions(boxes: dict[str, tuple[float, float, float, float]], axis: str) -> Positions:
    """Equal gaps between boxes along ``axis`` ("horizontal" or "vertical"); the ends stay put."""
    if len(boxes) < 3:
        return {}
    horizontal = axis == "horizontal"
    if not horizontal and axis != "vertical":
        raise ValueError(f"unknown axis {axis!r}")
    k = 0 if horizontal else 1
    order = sorted(boxes, key=lambda nid: boxes[nid][k])
    sizes = [boxes[nid][2 + k] for nid in order]
    first_edge = boxes[order[0]][k] - sizes[0] / 2
    last_edge = boxes[order[-1]][k] + sizes[-1] / 2
    gap = (last_edge - first_edge - sum(sizes)) / (len(order) - 1)
    out: Positions = {}
    pos = first_edge
    for nid, size in zip(order, sizes, strict=True):
        x, y = boxes[nid][0], boxes[nid][1]
        centre = pos + size / 2
        out[nid] = (centre, y) if horizontal else (x, centre)
        pos += size + gap
    return out
