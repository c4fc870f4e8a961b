"""The lane-aware op builders behind canvas gestures, applied to a real document (no Qt needed)."""

from __future__ import annotations

import pytest

from sopdesigner.editing.session import EditSession
from sopdesigner.errors import InvalidEditError
from sopdesigner.ui.canvas import layout_ops


def test_snap_rounds_halves_up():
    assert [layout_ops.snap(v) for v in (9.9, 10.0, 29.9, 30.0, -10.0, -10.1)] == [0, 20, 20, 40, 0, -20]


def test_lane_for_y_clamps_to_first_and_last(doc):
    assert layout_ops.lane_for_y(doc, -50) == "lane-data-science"
    assert layout_ops.lane_for_y(doc, 170) == "lane-security"
    assert layout_ops.lane_for_y(doc, 5000) == "lane-business"


def test_move_op_changes_lane_and_undo_restores(doc):
    session = EditSession(doc, "t")
    before = doc.model_dump(exclude={"audit"})
    out = session.apply(layout_ops.move_op(doc, {"iterate": (1060.0, 400.0)}))
    assert doc.node("iterate").lane == "lane-legal"
    assert [e.action for e in out.events] == ["node.changed"]  # the owner role changed: a record
    session.apply(out.inverse, "undo")
    assert doc.model_dump(exclude={"audit"}) == before


def test_move_past_the_last_lane_grows_it(doc):
    session = EditSession(doc, "t")
    session.apply(layout_ops.move_op(doc, {"deploy": (1060.0, 700.0)}))
    # Business lane top 480; needs 700 + 32 + 20 - 480 = 272 → 280.
    assert doc.lane("lane-business").height == 280
    assert doc.node("deploy").lane == "lane-business"


def test_resize_never_hides_nodes(doc):
    # The legal lane is empty: it can shrink to the minimum 40.
    op = layout_ops.resize_lane_op(doc, "lane-legal", 10)
    EditSession(doc, "t").apply(op)
    assert doc.lane("lane-legal").height == 40
    assert doc.node("decide").position.y == 560 - 120
    # The security lane holds "risk" (centre 240, 48 below): at least 240 + 48 + 4 - 160 = 132 → 140.
    EditSession(doc, "t").apply(layout_ops.resize_lane_op(doc, "lane-security", 60))
    assert doc.lane("lane-security").height == 140


def test_resize_to_same_height_is_refused(doc):
    with pytest.raises(InvalidEditError):
        layout_ops.resize_lane_op(doc, "lane-legal", 160)


def test_unique_role_id_for_added_lane(doc):
    op, lane_id = layout_ops.add_lane_op(doc, "Security")
    EditSession(doc, "t").apply(op)
    assert lane_id == "lane-security-2"
    assert doc.lane(lane_id).role == "security-2"
    assert doc.role("security-2").name == "Security"


def test_align_and_distribute_positions():
    boxes = {"a": (0.0, 0.0, 100.0, 40.0), "b": (300.0, 50.0, 60.0, 40.0), "c": (150.0, 20.0, 100.0, 80.0)}
    assert layout_ops.align_positions(boxes, "left") == {
        "a": (0.0, 0.0),
        "b": (-20.0, 50.0),
        "c": (0.0, 20.0),
    }
    assert layout_ops.align_positions(boxes, "bottom")["c"] == (150.0, 30.0)
    # Span -50 … 330 with widths 100 + 100 + 60 → two gaps of 60.
    assert layout_ops.distribute_positions(boxes, "horizontal") == {
        "a": (0.0, 0.0),
        "c": (160.0, 20.0),
        "b": (300.0, 50.0),
    }
    assert layout_ops.distribute_positions({"a": boxes["a"], "b": boxes["b"]}, "vertical") == {}


def test_nodes_never_stick_out_above_the_first_lane(doc):
    EditSession(doc, "t").apply(layout_ops.move_op(doc, {"validate": (340.0, -30.0)}))
    node = doc.node("validate")
    # A step is 84 high: its centre goes to 42 + 10 → 60 on the grid, top edge at 18.
    assert (node.position.y, node.lane) == (60.0, "lane-data-science")
