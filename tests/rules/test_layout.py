"""Auto layout: columns by flow, nodes kept in their lanes, no overlaps, deterministic, undoable."""

from __future__ import annotations

import random

import pytest

from sopdesigner.editing.session import EditSession
from sopdesigner.model import Document, Edge, EdgeKind, Lane, Node, NodeKind, Point, Role
from sopdesigner.model.geometry import GRID, lane_bands, node_rect
from sopdesigner.rules.layout import Layout, auto_layout, layout_op


def _apply(doc: Document, layout: Layout) -> None:
    for lane in doc.lanes:
        lane.height = layout.lane_heights[lane.id]
    for n in doc.nodes:
        n.position = Point(x=layout.positions[n.id][0], y=layout.positions[n.id][1])


def _assert_tidy(doc: Document) -> None:
    """No overlaps, every laned node inside its band, every centre on the grid."""
    bands = lane_bands(doc)
    rects = [(n.id, node_rect(n)) for n in doc.nodes]
    for n in doc.nodes:
        assert n.position.x % GRID == 0 and n.position.y % GRID == 0, n.id
        assert node_rect(n).x >= 0, n.id
        if n.lane is not None:
            top, bottom = bands[n.lane]
            r = node_rect(n)
            assert top <= r.y and r.bottom <= bottom, n.id
    # Sweep by x so the overlap check stays fast on thousands of nodes.
    rects.sort(key=lambda p: p[1].x)
    for i, (a, ra) in enumerate(rects):
        for b, rb in rects[i + 1 :]:
            if rb.x >= ra.right:
                break
            assert not ra.intersects(rb), (a, b)


def _doc(nodes, edges, lanes=("a", "b")) -> Document:
    roles = [Role(id=r, name=r.upper()) for r in lanes]
    return Document(
        id="d", roles=roles, lanes=[Lane(id=f"lane-{r}", role=r) for r in lanes], nodes=nodes, edges=edges
    )


def _node(nid, lane="a", kind=NodeKind.STEP, x=0.0, y=0.0) -> Node:
    return Node(id=nid, kind=kind, title=nid, lane=f"lane-{lane}" if lane else None, position=Point(x=x, y=y))


def test_factory_document_positions(doc):
    layout = auto_layout(doc)
    # Columns at x = 140 + 280·column; one row per lane: centre 80 below each 160-high lane's top.
    assert layout.positions == {
        "start": (140.0, 80.0),
        "validate": (420.0, 80.0),
        "risk": (700.0, 240.0),  # lane 2 (security) starts at 160
        "decide": (980.0, 560.0),  # lane 4 (business) starts at 480
        "deploy": (1260.0, 560.0),
        "iterate": (1260.0, 80.0),
    }
    assert layout.lane_heights == dict.fromkeys(
        ["lane-data-science", "lane-security", "lane-legal", "lane-business"], 160.0
    )


def test_rework_edges_do_not_change_columns(doc):
    before = auto_layout(doc).positions
    doc.edges = [e for e in doc.edges if e.kind is not EdgeKind.REWORK]
    assert auto_layout(doc).positions == before


def test_flow_cycle_is_broken_in_document_order():
    nodes = [_node("p"), _node("q"), _node("r")]
    edges = [
        Edge(id="1", source="p", target="q"),
        Edge(id="2", source="q", target="r"),
        Edge(id="3", source="r", target="q"),
    ]
    pos = auto_layout(_doc(nodes, edges)).positions
    assert [pos[n][0] for n in "pqr"] == [140.0, 420.0, 700.0]


def test_same_lane_same_column_stacks_and_the_lane_grows():
    nodes = [_node("s"), _node("x"), _node("y"), _node("z", lane="b")]
    edges = [
        Edge(id="1", source="s", target="x"),
        Edge(id="2", source="s", target="y"),
        Edge(id="3", source="s", target="z"),
    ]
    doc = _doc(nodes, edges)
    layout = auto_layout(doc)
    assert layout.positions["x"] == (420.0, 80.0) and layout.positions["y"] == (420.0, 220.0)
    assert layout.lane_heights == {"lane-a": 300.0, "lane-b": 160.0}
    assert layout.positions["z"] == (420.0, 380.0)  # lane b now starts at 300
    _apply(doc, layout)
    _assert_tidy(doc)


def test_barycentre_ordering_uncrosses_edges():
    nodes = [_node("u1"), _node("u2"), _node("v1"), _node("v2")]
    edges = [Edge(id="1", source="u1", target="v2"), Edge(id="2", source="u2", target="v1")]
    pos = auto_layout(_doc(nodes, edges)).positions
    # In document order (u1 over u2, v1 over v2) the two edges would cross; after the sweeps the
    # sources and their targets are stacked in the same order.
    assert (pos["u1"][1] < pos["u2"][1]) == (pos["v2"][1] < pos["v1"][1])
    assert {pos["u1"][1], pos["u2"][1]} == {pos["v1"][1], pos["v2"][1]} == {80.0, 220.0}


def test_notes_follow_the_nearest_node_and_sit_below_its_column():
    nodes = [
        _node("s", x=100, y=80),
        _node("t", x=400, y=80),
        _node("n1", kind=NodeKind.NOTE, x=420, y=150),
        _node("n2", lane="b", kind=NodeKind.NOTE, x=90, y=300),
    ]
    doc = _doc(nodes, [Edge(id="1", source="s", target="t")])
    layout = auto_layout(doc)
    assert layout.positions["n1"] == (420.0, 220.0)  # t's column, second row of lane a
    assert layout.positions["n2"] == (140.0, 380.0)  # s's column, lane b (starts at 300)
    _apply(doc, layout)
    _assert_tidy(doc)


def test_nodes_without_a_lane_go_in_a_band_below_the_lanes():
    nodes = [_node("s"), _node("free", lane=None), _node("also-free", lane=None)]
    doc = _doc(nodes, [Edge(id="1", source="s", target="free")])
    layout = auto_layout(doc)
    lanes_bottom = sum(layout.lane_heights.values())
    assert layout.positions["free"] == (420.0, lanes_bottom + 40 + 80)
    assert layout.positions["also-free"] == (140.0, lanes_bottom + 40 + 80)
    _apply(doc, layout)
    _assert_tidy(doc)


def _random_doc(n: int, seed: int) -> Document:
    rng = random.Random(seed)
    lanes = [f"r{i}" for i in range(6)]
    kinds = [NodeKind.STEP, NodeKind.CHECKPOINT, NodeKind.DECISION, NodeKind.END, NodeKind.NOTE]
    nodes = [
        _node(
            f"n{i}",
            lane=rng.choice([*lanes, None]),
            kind=rng.choice(kinds),
            x=rng.uniform(0, 5000),
            y=rng.uniform(0, 900),
        )
        for i in range(n)
    ]
    edges = []
    for i in range(1, n):
        for k in range(rng.randint(1, 2)):
            j = rng.randrange(max(0, i - 200), i)
            kind = EdgeKind.REWORK if rng.random() < 0.05 else EdgeKind.FLOW
            edges.append(Edge(id=f"e{i}-{k}", source=f"n{j}", target=f"n{i}", kind=kind))
    edges.append(Edge(id="back", source=f"n{n - 1}", target="n0"))  # a flow cycle
    return _doc(nodes, edges, lanes=tuple(lanes))


@pytest.mark.parametrize("n", [60, 5000])
def test_large_random_documents_are_tidy_and_flow_points_right(n):
    doc = _random_doc(n, seed=n)
    layout = auto_layout(doc)
    _apply(doc, layout)
    _assert_tidy(doc)
    pos = layout.positions
    kinds = {node.id: node.kind for node in doc.nodes}
    flow = [
        e
        for e in doc.edges
        if e.kind is EdgeKind.FLOW
        and e.id != "back"
        and NodeKind.NOTE not in (kinds[e.source], kinds[e.target])
    ]
    assert all(pos[e.target][0] > pos[e.source][0] for e in flow)


def test_layout_is_deterministic():
    a, b = _random_doc(300, seed=7), _random_doc(300, seed=7)
    assert auto_layout(a) == auto_layout(a) == auto_layout(b)


def test_layout_op_is_one_undoable_step_without_audit_events(doc):
    doc.lanes[0].height = 400.0
    original = doc.model_dump()
    session = EditSession(doc, actor="tester")
    op = layout_op(doc)
    assert op.describe() == "Auto layout"
    outcome = session.apply(op)
    assert outcome.events == [] and doc.audit == []
    assert doc.lanes[0].height == 160.0
    assert (doc.node("risk").position.x, doc.node("risk").position.y) == (700.0, 240.0)
    session.apply(outcome.inverse, phase="undo")
    assert doc.model_dump() == original
