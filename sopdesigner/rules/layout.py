"""Deterministic layered left-to-right auto layout that keeps every node in its swimlane.

How it works (the README's "Auto layout" section says the same for users):

1. **Columns.** Flow edges form a graph; ``rework`` edges are ignored (they loop back by
   design). Any remaining cycle is broken by dropping the back edges of a depth-first search
   in document order. Each node's column is its longest-path distance from a source, so every
   flow edge points to the right.
2. **Notes** have no flow. Each note follows the node it annotates: the nearest non-note node
   (by the current centres; ties go to the earlier node in the document). It takes that
   node's column and is stacked below the flow nodes of that column in its own lane.
3. **Rows.** Within a lane, nodes of one column are stacked; the lane is sized to fit its
   tallest stack (never below the default lane height). Nodes with no lane go in a band
   below the last lane. The stacking order comes from barycentre sweeps (left to right, then
   right to left, a few rounds) so edges cross less.
4. **Coordinates.** Fixed column and row pitches wider and taller than the largest node, so
   no two nodes overlap, and every centre is on the ``GRID``. Same input, same output.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sopdesigner.model.document import Document, Node
from sopdesigner.model.enums import EdgeKind, NodeKind
from sopdesigner.model.geometry import DEFAULT_LANE_HEIGHT, GRID, NODE_SIZES
from sopdesigner.ops.batch import Batch
from sopdesigner.ops.lanes import ResizeLanes
from sopdesigner.ops.nodes import MoveNodes

_MAX_W = max(w for w, _ in NODE_SIZES.values())
_MAX_H = max(h for _, h in NODE_SIZES.values())
#: Centre-to-centre distance of columns: the widest node plus room for an edge label.
COLUMN_PITCH = 280.0
#: Centre-to-centre distance of stacked nodes in one lane column.
ROW_PITCH = 140.0
#: x of the first column's centre (content starts at x = 0, right of the lane headers).
FIRST_COLUMN_X = 140.0
#: Gap between the last lane and the band of nodes that have no lane.
UNLANED_GAP = 40.0
#: Barycentre sweep rounds; more rarely helps on SOP-sized graphs.
SWEEPS = 4

assert COLUMN_PITCH > _MAX_W and ROW_PITCH > _MAX_H, "pitches must keep nodes apart"
assert FIRST_COLUMN_X - _MAX_W / 2 >= 0


@dataclass(frozen=True)
class Layout:
    """Node centres and lane heights computed by :func:`auto_layout`."""

    positions: dict[str, tuple[float, float]] = field(default_factory=dict)
    lane_heights: dict[str, float] = field(default_factory=dict)


def _snap(v: float) -> float:
    return round(v / GRID) * GRID


def _lane_height(rows: int) -> float:
    return max(DEFAULT_LANE_HEIGHT, _snap(rows * ROW_PITCH + (DEFAULT_LANE_HEIGHT - ROW_PITCH)))


def _columns(flow: list[Node], succ: dict[str, list[str]]) -> dict[str, int]:
    """Longest-path layering after dropping DFS back edges (document order, so deterministic)."""
    ids = [n.id for n in flow]
    state: dict[str, int] = {}  # 1 = on the DFS stack, 2 = finished
    dag: dict[str, list[str]] = {nid: [] for nid in ids}
    order: list[str] = []  # reverse post-order = a topological order of the DAG
    for root in ids:
        if root in state:
            continue
        state[root] = 1
        stack = [(root, iter(succ[root]))]
        while stack:
            nid, it = stack[-1]
            nxt = next(it, None)
            if nxt is None:
                state[nid] = 2
                order.append(nid)
                stack.pop()
            elif state.get(nxt) == 1:
                continue  # a back edge: it would close a cycle
            else:
                dag[nid].append(nxt)
                if nxt not in state:
                    state[nxt] = 1
                    stack.append((nxt, iter(succ[nxt])))
    column = dict.fromkeys(ids, 0)
    for nid in reversed(order):
        c = column[nid] + 1
        for t in dag[nid]:
            if column[t] < c:
                column[t] = c
    return column


def _note_anchor(note: Node, flow: list[Node]) -> str | None:
    best: tuple[float, int] | None = None
    anchor = None
    nx, ny = note.position.x, note.position.y
    for i, n in enumerate(flow):
        d = (n.position.x - nx) ** 2 + (n.position.y - ny) ** 2
        if best is None or (d, i) < best:
            best, anchor = (d, i), n.id
    return anchor


def auto_layout(doc: Document) -> Layout:
    """Columns left to right by flow, rows stacked within lanes; see the module docstring."""
    lane_ids = [lane.id for lane in doc.lanes]
    lane_index = {lid: i for i, lid in enumerate(lane_ids)}
    band_of = {n.id: lane_index.get(n.lane, len(lane_ids)) if n.lane else len(lane_ids) for n in doc.nodes}
    flow = [n for n in doc.nodes if n.kind is not NodeKind.NOTE]
    notes = [n for n in doc.nodes if n.kind is NodeKind.NOTE]
    flow_ids = {n.id for n in flow}

    succ: dict[str, list[str]] = {n.id: [] for n in flow}
    neighbours: dict[str, list[str]] = {n.id: [] for n in flow}
    for e in doc.edges:
        if e.kind is EdgeKind.REWORK or e.source not in flow_ids or e.target not in flow_ids:
            continue
        if e.source == e.target:
            continue
        succ[e.source].append(e.target)
        neighbours[e.source].append(e.target)
        neighbours[e.target].append(e.source)

    column = _columns(flow, succ)
    for note in notes:
        anchor = _note_anchor(note, flow)
        column[note.id] = column[anchor] if anchor is not None else 0

    # Cells: (band, column) → node ids, flow nodes first in document order, then notes.
    cells: dict[tuple[int, int], list[str]] = defaultdict(list)
    for n in (*flow, *notes):
        cells[(band_of[n.id], column[n.id])].append(n.id)
    row: dict[str, int] = {}
    for members in cells.values():
        for r, nid in enumerate(members):
            row[nid] = r

    _order_by_barycentre(cells, column, band_of, row, neighbours, {n.id for n in notes})

    # Lane sizes from the tallest stack; bands stack from y = 0 like geometry.lane_bands.
    rows_in_band: dict[int, int] = defaultdict(int)
    for (band, _), members in cells.items():
        rows_in_band[band] = max(rows_in_band[band], len(members))
    lane_heights = {lid: _lane_height(rows_in_band.get(i, 0)) for i, lid in enumerate(lane_ids)}
    tops: list[float] = []
    y = 0.0
    for lid in lane_ids:
        tops.append(y)
        y += lane_heights[lid]
    tops.append(y + UNLANED_GAP if lane_ids else 0.0)

    pad = (DEFAULT_LANE_HEIGHT - ROW_PITCH) / 2
    positions: dict[str, tuple[float, float]] = {}
    for n in doc.nodes:
        x = FIRST_COLUMN_X + column[n.id] * COLUMN_PITCH
        top = tops[band_of[n.id]]
        y_centre = top + pad + ROW_PITCH * (row[n.id] + 0.5)
        positions[n.id] = (_snap(x), _snap(y_centre))
    return Layout(positions, lane_heights)


def _order_by_barycentre(
    cells: dict[tuple[int, int], list[str]],
    column: dict[str, int],
    band_of: dict[str, int],
    row: dict[str, int],
    neighbours: dict[str, list[str]],
    notes: set[str],
) -> None:
    """Reorder each cell's stack by the mean vertical rank of its neighbours in other columns.

    Rank is (band, row): bands never change, so only the order inside a cell moves. Notes stay
    at the bottom of their cell in document order. Sorting is stable, so ties keep their order.
    """
    if not cells:
        return
    columns = sorted({c for _, c in cells})
    by_column: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for key in sorted(cells):
        by_column[key[1]].append(key)
    scale = 1 + max(len(m) for m in cells.values())

    def rank(nid: str) -> float:
        return band_of[nid] * scale + row[nid]

    for sweep in range(SWEEPS * 2):
        sequence = columns if sweep % 2 == 0 else list(reversed(columns))
        left_to_right = sweep % 2 == 0
        changed = False
        for c in sequence:
            for key in by_column[c]:
                members = cells[key]
                if len(members) < 2:
                    continue
                flow_members = [m for m in members if m not in notes]
                keys: dict[str, float] = {}
                for m in flow_members:
                    # Look at the side already placed in this sweep; fall back to all neighbours.
                    side = [t for t in neighbours[m] if (column[t] < c) == left_to_right and column[t] != c]
                    used = side or neighbours[m]
                    keys[m] = sum(rank(t) for t in used) / len(used) if used else rank(m)
                ordered = sorted(flow_members, key=lambda m: keys[m])
                new = ordered + [m for m in members if m in notes]
                if new != members:
                    changed = True
                    cells[key] = new
                    for r, m in enumerate(new):
                        row[m] = r
        if not changed and sweep > 0:
            break


def layout_op(doc: Document) -> Batch:
    """One undoable step that applies :func:`auto_layout` (lanes resized, nodes moved)."""
    layout = auto_layout(doc)
    return Batch([ResizeLanes(layout.lane_heights), MoveNodes(layout.positions)], "Auto layout")
