"""Input the scene takes besides mouse gestures: drops from the palette and the file manager,
inline title editing; and the grid background. Mixed into ``DiagramScene``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QLineF, QRectF, Qt
from PySide6.QtGui import QPainter, QPen

from sopdesigner.model.enums import NodeKind
from sopdesigner.model.geometry import GRID, NODE_SIZES
from sopdesigner.ui.canvas.inline_editor import InlineTitleEditor
from sopdesigner.ui.canvas.mime import NODE_KIND_MIME
from sopdesigner.ui.canvas.style import Theme

if TYPE_CHECKING:
    from sopdesigner.ui.canvas.node_item import NodeItem


class SceneInput:
    """Drops and inline editing; ``self`` is the DiagramScene."""

    # -- drag and drop (palette kinds, evidence files) --------------------------------------------
    def _drop_kind(self, event) -> NodeKind | None:
        mime = event.mimeData()
        if self._review or not mime.hasFormat(NODE_KIND_MIME):
            return None
        try:
            return NodeKind(bytes(mime.data(NODE_KIND_MIME).data()).decode("utf-8").strip())
        except ValueError:
            return None

    def _drop_files(self, event) -> tuple[NodeItem, list[str]] | None:
        mime = event.mimeData()
        if not mime.hasUrls():
            return None
        paths = [u.toLocalFile() for u in mime.urls() if u.isLocalFile()]
        node = self.node_item_at(event.scenePos())
        if not paths or node is None:
            return None
        return node, paths

    def dragEnterEvent(self, event) -> None:
        if self._drop_kind(event) is not None or event.mimeData().hasUrls():
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event) -> None:
        if self._drop_kind(event) is not None or self._drop_files(event) is not None:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragLeaveEvent(self, event) -> None:
        event.accept()

    def dropEvent(self, event) -> None:
        kind = self._drop_kind(event)
        if kind is not None:
            event.acceptProposedAction()
            self.place_node(kind, event.scenePos())
            return
        files = self._drop_files(event)
        if files is not None:
            event.acceptProposedAction()
            self.files_dropped_on_node.emit(files[0].node_id, files[1])
            return
        event.ignore()

    # -- inline title editing ------------------------------------------------------------------
    def start_inline_edit(self, node_id: str) -> None:
        item = self._nodes.get(node_id)
        if item is None or self._review:
            return
        self._close_editor()
        rect = item.mapRectToScene(item.title_rect())
        w = max(rect.width(), NODE_SIZES[item.kind][0] - 24)
        rect = QRectF(item.pos().x() - w / 2, rect.top() - 2, w, rect.height() + 4)
        editor = InlineTitleEditor(
            node_id, item.snapshot.title, rect, self.theme, item.title_pixel_size(), self._editor_done
        )
        self._editor = editor
        self.addItem(editor)
        editor.setFocus(Qt.FocusReason.OtherFocusReason)

    def inline_editor(self) -> InlineTitleEditor | None:
        return self._editor

    def _editor_done(self, editor: InlineTitleEditor, title: str | None) -> None:
        if self._editor is editor:
            self._editor = None
        if editor.scene() is self:
            self.removeItem(editor)
        if title is not None and editor.node_id in self._nodes:
            from sopdesigner.ops import SetNodeFields

            self.execute(SetNodeFields(editor.node_id, {"title": title}))

    def _close_editor(self) -> None:
        if self._editor is not None:
            self._editor.finish(commit=False)
        self._editor = None


def draw_grid(painter: QPainter, rect: QRectF, theme: Theme, visible: bool) -> None:
    """The canvas background: theme colour and, when visible, a grid never denser than 8 px."""
    painter.fillRect(rect, theme.color("background"))
    if not visible:
        return
    scale = painter.worldTransform().m11()
    step = GRID
    while step * scale < 8:  # never draw a grid denser than 8 px on screen
        step *= 5
    pen = QPen(theme.color("grid"), 0)
    lines = []
    x = int(rect.left() // step) * step
    while x < rect.right():
        lines.append(QLineF(x, rect.top(), x, rect.bottom()))
        x += step
    y = int(rect.top() // step) * step
    while y < rect.bottom():
        lines.append(QLineF(rect.left(), y, rect.right(), y))
        y += step
    # Hairlines on pixel rows need no antialiasing, and skipping it makes the grid ~5× cheaper.
    antialias = painter.testRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
    painter.setPen(pen)
    painter.drawLines(lines)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, antialias)
