"""``DiagramView``: zoom (Ctrl+wheel around the cursor, pinch, keys), pan (space-drag, middle
button), fit and zoom-to-selection, rubber-band selection and drops onto the scene.

Tuned for large diagrams: minimal viewport updates, antialiasing, no background cache
(a zoom repaints everything anyway).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QKeySequence, QPainter, QTransform
from PySide6.QtWidgets import QGraphicsView, QWidget

from sopdesigner.ui.canvas.after_frame import AfterFrame
from sopdesigner.ui.canvas.fit_at_frame import FitAtFrame
from sopdesigner.ui.canvas.node_item import LOD_TEXT
from sopdesigner.ui.canvas.overview_layer import OVERVIEW_ZOOM
from sopdesigner.ui.canvas.scene import DiagramScene

MIN_ZOOM = 0.05
#: Below this zoom the overview is drawn without antialiasing: a third cheaper, and no text shows.
ANTIALIAS_ZOOM = 0.4
MAX_ZOOM = 6.0
STEP = 1.25
#: From this many nodes a newly shown document paints before its follow-up work (validation,
#: audit table, progress tally) runs; below it that work takes a few ms and runs at once.
DEFER_FROM_NODES = 500


class DiagramView(QGraphicsView):
    #: float: the zoom factor after a change (1.0 = 100 %).
    zoom_changed = Signal(float)

    def __init__(self, scene: DiagramScene, parent=None):
        super().__init__(scene, parent)
        # A viewport of our own, the same plain QWidget Qt would make: handing Qt's own one to
        # Python made PySide6 load every QtWidgets class first (~0.6 MiB, 2-4 ms of start-up).
        self.setViewport(QWidget())
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.MinimalViewportUpdate)
        self.setOptimizationFlag(QGraphicsView.OptimizationFlag.DontSavePainterState, True)
        self.setDragMode(QGraphicsView.DragMode.RubberBandDrag)
        self.setRubberBandSelectionMode(Qt.ItemSelectionMode.IntersectsItemShape)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setAcceptDrops(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.viewport().grabGesture(Qt.GestureType.PinchGesture)
        self._space = False
        self._pan_from: QPointF | None = None
        self.zoom_changed.connect(self._zoom_quality)
        self._zoom_quality(self.zoom())
        self._after_frame = AfterFrame(self.viewport())
        self._fit_at_frame = FitAtFrame(self, self.fit_to_window)
        # A new scene rect shows or hides a scroll bar on a queued call that can come after the
        # next paint: the view then painted every item at the old size and again at the new
        # one (a rebuild at 1,000 nodes: ~4 ms). Settled right before that frame instead, as
        # the first frame's fit does (FitAtFrame with nothing to fit).
        self._settle_at_frame = FitAtFrame(self, lambda: None)
        scene.sceneRectChanged.connect(self._scene_rect_changed)

    def _scene_rect_changed(self, _rect) -> None:
        self._settle_at_frame.request(frame=False)

    def fit_at_next_frame(self) -> None:
        """Fit the diagram to the viewport the window's next frame paints (a document just
        shown, the window's layout still settling): see ``FitAtFrame``."""
        self._fit_at_frame.request()

    def after_next_frame(self, fn: Callable[[], None]) -> None:
        """Run ``fn`` once the diagram has painted, when the shown document is large and the
        view visible (opening paints first); otherwise at once."""
        if self.isVisible() and self.diagram_scene().node_count() >= DEFER_FROM_NODES:
            self._after_frame.call(fn)
        else:
            fn()

    def run_deferred(self) -> None:
        """Run the work still waiting for the next frame now."""
        self._after_frame.flush()

    @property
    def deferred_pending(self) -> int:
        return self._after_frame.pending

    def _zoom_quality(self, zoom: float) -> None:
        self.setRenderHint(QPainter.RenderHint.Antialiasing, zoom >= ANTIALIAS_ZOOM)
        self.diagram_scene().set_node_caching(zoom >= LOD_TEXT)
        self.diagram_scene().set_overview(zoom < OVERVIEW_ZOOM)

    def diagram_scene(self) -> DiagramScene:
        scene = self.scene()
        assert isinstance(scene, DiagramScene)
        return scene

    # -- zoom ------------------------------------------------------------------------------------
    def zoom(self) -> float:
        return self.transform().m11()

    def set_zoom(self, factor: float, anchor: QPointF | None = None) -> None:
        """Zoom to ``factor`` (clamped), keeping the scene point under ``anchor`` (viewport px) still."""
        factor = max(MIN_ZOOM, min(MAX_ZOOM, factor))
        current = self.zoom()
        if abs(factor - current) < 1e-9:
            return
        if anchor is None:
            anchor = QPointF(self.viewport().rect().center())
        before = self.mapToScene(anchor.toPoint())
        old_anchor = self.transformationAnchor()
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.NoAnchor)
        self.scale(factor / current, factor / current)
        after = self.mapToScene(anchor.toPoint())
        delta = after - before
        self.translate(delta.x(), delta.y())
        self.setTransformationAnchor(old_anchor)
        self.zoom_changed.emit(self.zoom())

    def zoom_in(self) -> None:
        self.set_zoom(self.zoom() * STEP)

    def zoom_out(self) -> None:
        self.set_zoom(self.zoom() / STEP)

    def reset_zoom(self) -> None:
        self.set_zoom(1.0)

    def fit_to_window(self) -> None:
        self._fit(self.diagram_scene().content_rect())

    def zoom_to_selection(self) -> None:
        rect = QRectF()
        for it in self.diagram_scene().selectedItems():
            rect = rect.united(it.sceneBoundingRect())
        if rect.isNull():
            self.fit_to_window()
        else:
            self._fit(rect.adjusted(-60, -60, 60, 60), max_zoom=2.0)

    def _fit(self, rect: QRectF, max_zoom: float = 1.5) -> None:
        if rect.isNull() or rect.isEmpty():
            self._zoom_quality(self.zoom())  # nothing to fit: node caching still follows the zoom
            return
        vp = self.viewport().rect()
        factor = min((vp.width() - 16) / rect.width(), (vp.height() - 16) / rect.height())
        factor = max(MIN_ZOOM, min(max_zoom, factor))
        # One transform change (none if already fitted): each change repaints the viewport.
        self.setTransform(QTransform.fromScale(factor, factor))
        self.centerOn(rect.center())
        self.zoom_changed.emit(self.zoom())

    def center_scene_pos(self) -> QPointF:
        """The scene point at the centre of the viewport (where keyboard-inserted nodes go)."""
        return self.mapToScene(self.viewport().rect().center())

    # -- events ---------------------------------------------------------------------------------------
    def wheelEvent(self, event) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            steps = event.angleDelta().y() / 120.0
            if steps:
                self.set_zoom(self.zoom() * (STEP**steps), event.position())
            event.accept()
            return
        super().wheelEvent(event)

    def viewportEvent(self, event) -> bool:
        if (
            event.type() == QEvent.Type.NativeGesture
            and event.gestureType() == Qt.NativeGestureType.ZoomNativeGesture
        ):
            self.set_zoom(self.zoom() * (1.0 + event.value()), event.position())
            return True
        return super().viewportEvent(event)

    def keyPressEvent(self, event) -> None:
        if event.key() == Qt.Key.Key_Space and not event.isAutoRepeat() and self._editing_text() is False:
            self._space = True
            # While space is held the scene gets no clicks: the drag pans, it never moves a node.
            self.setInteractive(False)
            self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
            event.accept()
            return
        if event.matches(QKeySequence.StandardKey.ZoomIn) or (
            event.key() == Qt.Key.Key_Equal and event.modifiers() & Qt.KeyboardModifier.ControlModifier
        ):
            self.zoom_in()
            event.accept()
            return
        if event.matches(QKeySequence.StandardKey.ZoomOut):
            self.zoom_out()
            event.accept()
            return
        if event.key() == Qt.Key.Key_0 and event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.reset_zoom()
            event.accept()
            return
        super().keyPressEvent(event)

    def keyReleaseEvent(self, event) -> None:
        if event.key() == Qt.Key.Key_Space and not event.isAutoRepeat() and self._space:
            self._space = False
            self.setDragMode(QGraphicsView.DragMode.RubberBandDrag)
            self.setInteractive(True)
            event.accept()
            return
        super().keyReleaseEvent(event)

    def _editing_text(self) -> bool:
        return self.diagram_scene().inline_editor() is not None

    def mousePressEvent(self, event) -> None:
        if event.button() == Qt.MouseButton.MiddleButton:
            self._pan_from = event.position()
            self.viewport().setCursor(Qt.CursorShape.ClosedHandCursor)
            event.accept()
            return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event) -> None:
        if self._pan_from is not None:
            delta = event.position() - self._pan_from
            self._pan_from = event.position()
            self.horizontalScrollBar().setValue(self.horizontalScrollBar().value() - int(delta.x()))
            self.verticalScrollBar().setValue(self.verticalScrollBar().value() - int(delta.y()))
            event.accept()
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event) -> None:
        if event.button() == Qt.MouseButton.MiddleButton and self._pan_from is not None:
            self._pan_from = None
            self.viewport().unsetCursor()
            event.accept()
            return
        super().mouseReleaseEvent(event)
