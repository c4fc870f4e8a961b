"""The view: Ctrl+wheel zooms around the cursor, zoom keys, fit, zoom to selection, middle-button
and space-drag panning, pinch; and the performance settings the canvas relies on."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QNativeGestureEvent, QPointingDevice, QWheelEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QGraphicsScene, QGraphicsView


def _wheel(view, pos: QPoint, delta: int, modifiers=Qt.KeyboardModifier.ControlModifier):
    ev = QWheelEvent(
        QPointF(pos),
        QPointF(view.viewport().mapToGlobal(pos)),
        QPoint(0, 0),
        QPoint(0, delta),
        Qt.MouseButton.NoButton,
        modifiers,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(view.viewport(), ev)


def test_ctrl_wheel_zooms_around_the_cursor(canvas):
    view = canvas.view
    pos = canvas.vp(580, 240)
    before = view.mapToScene(pos)
    zooms = []
    view.zoom_changed.connect(zooms.append)
    _wheel(view, pos, 120)
    assert view.zoom() == 1.25 and zooms == [1.25]
    after = view.mapToScene(pos)
    assert abs(after.x() - before.x()) < 2 and abs(after.y() - before.y()) < 2
    _wheel(view, pos, -240)
    assert abs(view.zoom() - 1.25 / 1.25**2) < 1e-9


def test_plain_wheel_scrolls_instead_of_zooming(canvas):
    _wheel(canvas.view, canvas.vp(300, 300), -120, Qt.KeyboardModifier.NoModifier)
    assert canvas.view.zoom() == 1.0


def test_zoom_keys_and_reset(canvas):
    canvas.key(Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    assert canvas.view.zoom() == 1.25
    canvas.key(Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    canvas.key(Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert abs(canvas.view.zoom() - 0.8) < 1e-9
    canvas.key(Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert canvas.view.zoom() == 1.0


def test_zoom_is_clamped(canvas):
    for _ in range(40):
        canvas.view.zoom_out()
    assert canvas.view.zoom() == 0.05


def test_fit_shows_everything_and_zoom_to_selection(canvas):
    view = canvas.view
    view.fit_to_window()
    visible = view.mapToScene(view.viewport().rect()).boundingRect()
    content = canvas.scene.content_rect()
    assert visible.contains(content)
    canvas.scene.select_ids(["risk"])
    view.zoom_to_selection()
    assert view.zoom() == 2.0
    assert view.mapToScene(view.viewport().rect().center()).toPoint() in (
        QPoint(x, y) for x in range(575, 586) for y in range(235, 246)
    )


def test_middle_button_pans(canvas):
    view = canvas.view
    start = view.mapToScene(view.viewport().rect().center())
    vp = view.viewport()
    QTest.mousePress(vp, Qt.MouseButton.MiddleButton, Qt.KeyboardModifier.NoModifier, QPoint(600, 400))
    QTest.mouseMove(vp, QPoint(500, 350))
    QTest.mouseRelease(vp, Qt.MouseButton.MiddleButton, Qt.KeyboardModifier.NoModifier, QPoint(500, 350))
    end = view.mapToScene(view.viewport().rect().center())
    assert round(end.x() - start.x()) == 100 and round(end.y() - start.y()) == 50
    assert canvas.controller.undo_stack.count() == 0


def test_space_drag_pans_and_never_moves_a_node(canvas):
    view = canvas.view
    vp = view.viewport()
    QTest.keyPress(vp, Qt.Key.Key_Space)
    assert view.dragMode() == QGraphicsView.DragMode.ScrollHandDrag
    canvas.drag((1060, 80), (1000, 200))
    QTest.keyRelease(vp, Qt.Key.Key_Space)
    assert view.dragMode() == QGraphicsView.DragMode.RubberBandDrag
    assert canvas.doc.node("iterate").position.y == 80
    assert canvas.controller.undo_stack.count() == 0


def test_pinch_zoom(canvas):
    view = canvas.view
    device = QPointingDevice.primaryPointingDevice()
    pos = QPointF(canvas.vp(580, 240))
    ev = QNativeGestureEvent(
        Qt.NativeGestureType.ZoomNativeGesture,
        device,
        1,
        pos,
        pos,
        QPointF(view.viewport().mapToGlobal(pos.toPoint())),
        0.5,
        QPointF(0, 0),
    )
    QApplication.sendEvent(view.viewport(), ev)
    assert abs(view.zoom() - 1.5) < 1e-9


def test_large_scene_settings(canvas):
    assert canvas.scene.itemIndexMethod() == QGraphicsScene.ItemIndexMethod.BspTreeIndex
    assert canvas.view.viewportUpdateMode() == QGraphicsView.ViewportUpdateMode.MinimalViewportUpdate
    assert not canvas.scene.sceneRect().isNull()
    # The explicit scene rect holds every item with room to drop more.
    assert canvas.scene.sceneRect().contains(canvas.scene.itemsBoundingRect())


def test_center_scene_pos_is_viewport_centre(canvas):
    p = canvas.view.center_scene_pos()
    assert abs(p.x() - 560) <= 1 and abs(p.y() - 300) <= 1


def test_scene_rect_grows_with_content_and_resets_on_rebuild(canvas):
    from sopdesigner.ops import MoveNodes

    canvas.controller.execute(MoveNodes({"deploy": (5000.0, 520.0)}))
    assert canvas.scene.sceneRect().contains(canvas.scene.node_item("deploy").sceneBoundingRect())
    # Lanes stretch past the rightmost node.
    assert canvas.scene.lane_item("lane-business").snapshot.width >= 5075
    canvas.undo()
    grown = canvas.scene.sceneRect()
    assert grown.right() > 5000  # not shrunk on every edit: that would re-index every item
    canvas.scene.rebuild()
    assert canvas.scene.sceneRect().right() < grown.right()


def test_a_rebuild_that_shows_the_scroll_bars_paints_the_view_once(canvas, qtbot):
    """Qt shows a scroll bar on a queued call after the next paint: a rebuild to a larger
    document then painted every item twice, at two viewport sizes (issue 7, T4)."""
    from PySide6.QtCore import QEvent, QObject

    from sopdesigner.model.document import Document
    from sopdesigner.ops import MoveNodes
    from sopdesigner.ui.controller import DocumentController

    view, scene = canvas.view, canvas.scene
    canvas.controller.execute(MoveNodes({"deploy": (9000.0, 6000.0)}))  # wider and taller than the view
    empty = DocumentController(Document(id="empty", title="Empty"), actor="tester")
    scene.set_controller(empty)
    qtbot.waitUntil(lambda: not view.verticalScrollBar().isVisible())

    class Paints(QObject):
        sizes: list[tuple[int, int]] = []

        def eventFilter(self, obj, event):
            if event.type() == QEvent.Type.Paint:
                self.sizes.append((event.rect().width(), event.rect().height()))
            return False

    paints = Paints()
    view.viewport().installEventFilter(paints)
    scene.set_controller(canvas.controller)
    for _ in range(5):
        QApplication.processEvents()
    view.viewport().removeEventFilter(paints)
    assert view.verticalScrollBar().isVisible() and view.horizontalScrollBar().isVisible()
    assert paints.sizes == [(view.viewport().width(), view.viewport().height())]
