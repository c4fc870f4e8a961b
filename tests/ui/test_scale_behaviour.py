"""What keeps a large SOP fast, pinned as behaviour (the speed itself is measured by
``benchmarks/run.py``, never asserted here): the canvas index fits the document it shows, one
edit refreshes the record panels once and recounts only the nodes it changed, a hidden review
panel catches up when it is asked, a drag routes each connector once per mouse move, and Qt's
GUI thread pool is off before Qt starts."""

from __future__ import annotations

import gc

import pytest
from PySide6.QtCore import QPointF, QRectF

from sopdesigner.model import Decision, Document
from sopdesigner.ops import RemoveItems, SetItemDone, SignNode
from sopdesigner.ops.nodes import SetNodeFields
from sopdesigner.ui.canvas import edge_item
from sopdesigner.ui.canvas.interactions import DragNodesInteraction
from sopdesigner.ui.canvas.scene import DiagramScene
from sopdesigner.ui.canvas.style import LIGHT
from sopdesigner.ui.canvas.view import DiagramView
from sopdesigner.ui.controller import DocumentController
from sopdesigner.ui.records.context import RecordsContext
from sopdesigner.ui.records.progress import ProgressTally, progress_summary
from sopdesigner.ui.records.review_panel import ReviewPanel
from tests.factories import chain_document, make_document


@pytest.fixture(autouse=True)
def _collect_after(qapp):
    # Scenes, panels and controllers made here form reference cycles through Qt signal
    # connections; collect them while the application is alive, not at interpreter exit.
    yield
    gc.collect()
    qapp.processEvents()
    gc.collect()


_chain = chain_document


def _scene(qtbot, doc: Document) -> tuple[DiagramScene, DiagramView]:
    """A scene shown in a view that qtbot closes, as the canvas tests make them."""
    scene = DiagramScene(DocumentController(doc, actor="t"), LIGHT)
    view = DiagramView(scene)
    qtbot.addWidget(view)
    return scene, view


def test_a_scene_reused_for_a_large_document_indexes_it_finely(qtbot):
    # The window's scene is built and shown for a tiny placeholder, then shows a large document.
    scene, _view = _scene(qtbot, _chain(3))
    scene.items(QRectF(0, 0, 10, 10))  # the index is built for three nodes (Qt picks depth 5)
    scene.set_controller(DocumentController(_chain(2000), actor="t", parent=scene))
    near = scene.items(QRectF(120 + 260 * 1000 - 800, -400, 1600, 1000))
    assert 3 <= sum(isinstance(it, edge_item.EdgeItem) for it in near) <= 12
    # Qt keeps the depth it chose first; at depth 5 every paint of a 100 % view tested a
    # large share of the 4,000 items (PERFORMANCE.md T8 measured 7.5 ms instead of 1.2 ms).
    assert scene.bspTreeDepth() >= 11


def test_one_edit_refreshes_the_record_panels_once(qapp):
    controller = DocumentController(make_document(), actor="Ana")
    context = RecordsContext(controller)
    refreshed = []
    context.document_edited.connect(lambda: refreshed.append(1))
    assert controller.execute(SetItemDone("risk", "privacy", True))  # a change and an audit event
    assert len(refreshed) == 1
    assert controller.execute(SetNodeFields("validate", {"title": "Validation"}))
    assert len(refreshed) == 2
    controller.log("review.started", None, {})  # an audit event with no model change
    assert len(refreshed) == 3
    controller.undo_stack.undo()
    assert len(refreshed) == 4


def test_a_hidden_review_panel_catches_up_when_asked(qtbot):
    controller = DocumentController(make_document(), actor="Ana")
    context = RecordsContext(controller)
    panel = ReviewPanel(context)
    qtbot.addWidget(panel)  # never shown: it is not refreshed on every edit
    assert panel.step_ids() == ["risk", "decide"]
    assert controller.execute(RemoveItems(node_ids=["risk"]))
    assert panel.step_ids() == ["decide"]
    assert panel.current_step() == "decide"
    controller.undo_stack.undo()
    panel.show()
    qtbot.waitExposed(panel)
    assert panel.steps.count() == 2 and panel.step_ids() == ["risk", "decide"]


def test_progress_tally_follows_edits_undo_and_structure_like_a_full_count(qapp):
    controller = DocumentController(make_document(), actor="Ana")
    tally = ProgressTally()
    tally.reset(controller.document)
    controller.changes_applied.connect(tally.apply)
    mapped = ProgressTally()  # as the window runs it: nodes found through the controller's map
    mapped.reset(controller.document)
    controller.changes_applied.connect(lambda changes: mapped.apply(changes, controller.node))
    seen = [tally.summary()]
    steps = [
        SetItemDone("risk", "privacy", True),
        SignNode("risk", "Sam", "security", Decision.APPROVE),
        SignNode("risk", "Lee", "legal", Decision.APPROVE),
        SignNode("decide", "Bo", "business", Decision.APPROVE_WITH_CONDITIONS, conditions="Watch drift"),
        SetNodeFields("decide", {"required_roles": []}),
        RemoveItems(node_ids=["risk"]),
    ]
    for op in steps:
        assert controller.execute(op)
        assert tally.summary() == mapped.summary() == progress_summary(controller.document)
        seen.append(tally.summary())
    while controller.undo_stack.canUndo():
        controller.undo_stack.undo()
        assert tally.summary() == mapped.summary() == progress_summary(controller.document)
        seen.append(tally.summary())
    # It really moved: none approved, one, two, then back.
    assert seen[0] == "0 of 2 checkpoints approved"
    assert "1 of 2 checkpoints approved" in seen and "2 of 2 checkpoints approved" in seen
    assert seen[-1] == seen[0]


def test_the_controllers_node_map_follows_removal_undo_and_edits(qapp):
    controller = DocumentController(make_document(), actor="Ana")
    doc = controller.document
    assert all(controller.node(n.id) is n for n in doc.nodes)
    assert controller.node("no-such-node") is None
    assert controller.execute(RemoveItems(node_ids=["risk"]))
    assert controller.node("risk") is None
    assert all(controller.node(n.id) is n for n in doc.nodes)
    controller.undo_stack.undo()
    assert controller.node("risk") is doc.node("risk")
    assert controller.execute(SetNodeFields("risk", {"title": "Risk review"}))
    assert controller.node("risk") is doc.node("risk")
    assert controller.node("risk").title == "Risk review"
    doc.nodes = list(reversed(doc.nodes))  # a reordered list: every entry is checked, not trusted
    assert all(controller.node(n.id) is n for n in doc.nodes)


def test_a_drag_routes_each_connector_once_per_move_and_skips_unchanged_moves(qtbot, monkeypatch):
    scene, _view = _scene(qtbot, make_document())
    scene.set_snap_to_grid(True)
    scene.select_ids(["validate", "risk"])
    grabbed = scene.node_item("validate")
    routed = []
    original = edge_item.EdgeItem.adjust
    monkeypatch.setattr(
        edge_item.EdgeItem, "adjust", lambda self: routed.append(self.edge_id) or original(self)
    )
    press = grabbed.scenePos()
    drag = DragNodesInteraction(scene, grabbed, press)
    drag.mouse_move(press + QPointF(40, 0))
    # validate: e1, e2, e6; risk: e2, e3 — e2 joins the two moved nodes: it is carried (the
    # drag proxy draws it moved), never routed during the drag.
    assert sorted(routed) == ["e1", "e3", "e6"]
    moved = (scene.node_item("risk").pos().x(), grabbed.pos().x())
    routed.clear()
    drag.mouse_move(press + QPointF(43, 2))  # snaps to the same grid point: nothing moves
    assert routed == []
    assert (scene.node_item("risk").pos().x(), grabbed.pos().x()) == moved
    drag.mouse_release(press + QPointF(43, 2))
    assert scene.document.node("risk").position.x == moved[0]
    assert scene.document.node("validate").position.x == moved[1]


def test_the_user_interface_turns_off_qts_gui_thread_pool_before_qt_starts():
    # The canvas repaints small areas, where handing a fill to Qt's thread pool and waiting
    # for it costs more than the fill. Qt reads the variable once: it must be set by the
    # import that every window, test and benchmark goes through, before a QApplication.
    import subprocess
    import sys

    probe = (
        "import os; os.environ.pop('QT_NO_GUI_THREADPOOL', None); import sopdesigner.ui; "
        "from PySide6.QtCore import QCoreApplication; "
        "print(QCoreApplication.instance() is None, os.environ.get('QT_NO_GUI_THREADPOOL'))"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["True", "1"]
