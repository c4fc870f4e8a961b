"""Connector routes: orthogonal polylines from one node's border to another's.

Shared by the canvas (``ui/canvas/edge_item.py``), the PNG/SVG export and the PDF diagram, so
a connector takes the same path everywhere. Plain floats: it runs for every edge of a dragged
node on every mouse move.
"""

from __future__ import annotations

from sopdesigner.model.document import Node
from sopdesigner.model.geometry import node_rect

GAP = 20.0  # how far apart boxes must be before a side-to-side elbow is used

Box = tuple[float, float, float, float]  # left, top, right, bottom
Pt = tuple[float, float]


def route(s: Box, t: Box) -> list[Pt]:
    """Points of an orthogonal route from box ``s`` to box ``t``, starting and ending on their
    borders (side midpoints, which lie on every node shape's outline)."""
    sl, st, sr, sb = s
    tl, tt, tr, tb = t
    sx, sy = (sl + sr) / 2, (st + sb) / 2
    tx, ty = (tl + tr) / 2, (tt + tb) / 2
    if tl >= sr + GAP:
        return _elbow_h((sr, sy), (tl, ty))
    if tr <= sl - GAP and abs(ty - sy) < ((sb - st) + (tb - tt)) / 2:
        # Backwards on the same row (a rework loop): go over the top rather than through nodes.
        y = min(st, tt) - 30.0
        return [(sx, st), (sx, y), (tx, y), (tx, tt)]
    if tt >= sb + GAP:
        return _elbow_v((sx, sb), (tx, tt))
    if tb <= st - GAP:
        return _elbow_v((sx, st), (tx, tb))
    if tr <= sl - GAP:
        return _elbow_h((sl, sy), (tr, ty))
    return [(sx, sy), (tx, ty)]  # overlapping boxes: a straight line, clipped to the outlines by the caller


def item_box(x: float, y: float, width: float, height: float) -> Box:
    """(left, top, right, bottom) of a node drawn at centre (x, y): the same arithmetic as
    ``NodeItem.box``, so a prepared route equals the one the canvas item computes."""
    hw, hh = width / 2, height / 2
    return x - hw, y - hh, x + hw, y + hh


def crosses_outlines(points: list[Pt], source: Box) -> bool:
    """Whether ``route`` gave up on these boxes (they overlap): a straight line between the
    centres, which the connector item clips to the node outlines."""
    return len(points) == 2 and points[0] == ((source[0] + source[2]) / 2, (source[1] + source[3]) / 2)


def node_box(node: Node) -> Box:
    r = node_rect(node)
    return (r.x, r.y, r.right, r.bottom)


def route_nodes(source: Node, target: Node) -> list[Pt]:
    return route(node_box(source), node_box(target))


def _elbow_h(a: Pt, b: Pt) -> list[Pt]:
    if abs(a[1] - b[1]) < 0.5:
        return [a, b]
    mx = (a[0] + b[0]) / 2
    return [a, (mx, a[1]), (mx, b[1]), b]


def _elbow_v(a: Pt, b: Pt) -> list[Pt]:
    if abs(a[0] - b[0]) < 0.5:
        return [a, b]
    my = (a[1] + b[1]) / 2
    return [a, (a[0], my), (b[0], my), b]
