"""The evidence panel: the selected node's evidence files (name, size, SHA-256 prefix, who
added them and when, image thumbnails), attach by dialog or drop, open, save a copy, remove."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from PySide6.QtCore import QSize, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QIcon, QImage, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from sopdesigner.model.display import human_size
from sopdesigner.model.document import Evidence
from sopdesigner.ops.records import DetachEvidence
from sopdesigner.ui.records.checklist_panel import category_combo
from sopdesigner.ui.records.context import RecordsContext
from sopdesigner.ui.records.evidence_import import EvidenceImport
from sopdesigner.ui.records.fmt import short_time

IMAGE_TYPES = ("image/png", "image/jpeg")
THUMB = 96
MAX_PREVIEW_BYTES = 30 * 1024 * 1024  # larger images are listed without a thumbnail


class EvidenceDetailsDialog(QDialog):
    """Title and category for a file being attached."""

    def __init__(self, filename: str, category: str | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Attach evidence")
        self.setMinimumWidth(440)
        self.title = QLineEdit(Path(filename).stem)
        self.category = category_combo(category, allow_none=False)
        form = QFormLayout(self)
        form.addRow(QLabel(f"File: {filename}"))
        form.addRow("Title:", self.title)
        form.addRow("Category:", self.category)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    @staticmethod
    def ask(filename: str, category: str | None, parent: QWidget | None) -> tuple[str, str] | None:
        dlg = EvidenceDetailsDialog(filename, category, parent)
        if dlg.exec() != QDialog.Accepted:
            return None
        return dlg.title.text().strip(), dlg.category.currentData() or ""


def thumbnail(store, ev: Evidence, size: int = THUMB) -> QPixmap | None:
    """A scaled preview of PNG/JPEG evidence, or None."""
    if store is None or ev.media_type not in IMAGE_TYPES or ev.size > MAX_PREVIEW_BYTES:
        return None
    try:
        if not store.has_blob(ev.sha256):
            return None
        data = b"".join(store.iter_blob(ev.sha256))
    except OSError:
        return None
    image = QImage.fromData(data)
    if image.isNull():
        return None
    return QPixmap.fromImage(image.scaled(size, size, Qt.KeepAspectRatio, Qt.SmoothTransformation))


def extract(store, ev: Evidence, dest: Path) -> Path:
    with open(dest, "wb") as f:
        for chunk in store.iter_blob(ev.sha256):
            f.write(chunk)
    return dest


class EvidencePanel(QWidget):
    def __init__(self, context: RecordsContext, *, review: bool = False, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("EvidencePanel")
        self._ctx = context
        self._review = review
        self._thumbs: dict[str, QPixmap | None] = {}
        self._imports: list[EvidenceImport] = []
        self._tmp = tempfile.TemporaryDirectory(prefix="sopdesigner-evidence-")
        self.setAcceptDrops(True)

        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.list = QListWidget()
        self.list.setIconSize(QSize(THUMB, THUMB))
        self.list.setWordWrap(True)
        self.list.setAcceptDrops(False)  # drops are handled by the panel itself
        self.attach_button = QPushButton("Attach…")
        self.open_button = QPushButton("Open")
        self.save_button = QPushButton("Save a copy…")
        self.remove_button = QPushButton("Remove")
        buttons = QHBoxLayout()
        for b in (self.attach_button, self.open_button, self.save_button, self.remove_button):
            buttons.addWidget(b)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)
        hint = QLabel("Drop files here or onto a node to attach them.")
        hint.setEnabled(False)
        layout.addWidget(hint)

        self.attach_button.clicked.connect(self.choose_files)
        self.open_button.clicked.connect(self.open_current)
        self.save_button.clicked.connect(self.save_current)
        self.remove_button.clicked.connect(self.remove_current)
        self.list.currentRowChanged.connect(lambda _r: self._update_buttons())
        self.list.itemDoubleClicked.connect(lambda _i: self.open_current())
        context.selection_changed.connect(lambda _ids: self.refresh())
        context.controller_changed.connect(self._on_controller)
        context.document_edited.connect(self.refresh)
        self.refresh()

    def _on_controller(self) -> None:
        self._thumbs.clear()
        self.refresh()

    # -- view --
    def refresh(self) -> None:
        node = self._ctx.current_node()
        row = self.list.currentRow()
        self.list.clear()
        if node is None:
            self.heading.setText("Select a node to see its evidence.")
        else:
            self.heading.setText(f"Evidence for “{node.title}” ({len(node.evidence)})")
            for ev in node.evidence:
                self.list.addItem(self._row(ev))
            self.list.setCurrentRow(min(row, self.list.count() - 1))
        self._update_buttons()

    def _row(self, ev: Evidence) -> QListWidgetItem:
        lines = [
            ev.title or ev.filename,
            f"{ev.filename} · {human_size(ev.size)} · SHA-256 {ev.sha256[:12]}…",
        ]
        if ev.category:
            lines.append(ev.category)
        lines.append(f"added by {ev.added_by or 'unknown'}, {short_time(ev.added_at)}")
        row = QListWidgetItem("\n".join(lines))
        row.setData(Qt.UserRole, ev.id)
        row.setToolTip(f"SHA-256 {ev.sha256}\nadded {ev.added_at}")
        if ev.sha256 not in self._thumbs:
            self._thumbs[ev.sha256] = thumbnail(self._ctx.store(), ev)
        pix = self._thumbs[ev.sha256]
        if pix is not None:
            row.setIcon(QIcon(pix))
        return row

    def has_thumbnail(self, row: int) -> bool:
        return not self.list.item(row).icon().isNull()

    def _update_buttons(self) -> None:
        has_node = self._ctx.current_node() is not None
        has_row = has_node and self.list.currentRow() >= 0
        self.attach_button.setEnabled(has_node)
        for b in (self.open_button, self.save_button, self.remove_button):
            b.setEnabled(has_row)

    def current_evidence(self) -> Evidence | None:
        node = self._ctx.current_node()
        row = self.list.currentRow()
        if node is None or row < 0:
            return None
        ev_id = self.list.item(row).data(Qt.UserRole)
        return next((e for e in node.evidence if e.id == ev_id), None)

    # -- attach --
    def choose_files(self) -> None:
        if self._ctx.current_node() is None:
            return
        paths, _ = QFileDialog.getOpenFileNames(self, "Attach evidence", "", "All files (*)")
        for p in paths:
            self.attach_path(Path(p))

    def attach_path(self, path: Path, node_id: str | None = None) -> EvidenceImport | None:
        """Ask title and category, then store and attach ``path`` in the background."""
        node = self._ctx.controller.document.node(node_id) if node_id else self._ctx.current_node()
        if node is None or self._ctx.controller is None:
            self._ctx.message.emit("Select a node to attach evidence to.")
            return None
        path = Path(path)
        if not path.is_file():
            self._ctx.message.emit(f"'{path.name}' is not a file that can be attached.")
            return None
        hint = next((i.evidence_category for i in node.checklist if i.evidence_category), None)
        answer = EvidenceDetailsDialog.ask(path.name, hint, self)
        if answer is None:
            return None
        job = EvidenceImport(self._ctx, node.id, path, answer[0], answer[1], self)
        self._imports.append(job)
        job.finished.connect(lambda _ok, j=job: self._imports.remove(j))
        job.start()
        return job

    def dragEnterEvent(self, event) -> None:
        if event.mimeData().hasUrls() and self._ctx.current_node() is not None:
            event.acceptProposedAction()

    def dragMoveEvent(self, event) -> None:
        self.dragEnterEvent(event)

    def dropEvent(self, event) -> None:
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        event.acceptProposedAction()
        for p in paths:
            self.attach_path(p)

    # -- use --
    def open_current(self) -> None:
        ev = self.current_evidence()
        store = self._ctx.store()
        if ev is None or store is None:
            return
        folder = Path(self._tmp.name) / ev.sha256[:16]
        folder.mkdir(exist_ok=True)
        try:
            target = extract(store, ev, folder / Path(ev.filename).name)
        except OSError as err:
            self._ctx.message.emit(f"Could not extract '{ev.filename}' to open it ({err.strerror or err}).")
            return
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(target))):
            self._ctx.message.emit(f"No application is set up to open '{ev.filename}'.")

    def save_current(self) -> None:
        ev = self.current_evidence()
        store = self._ctx.store()
        if ev is None or store is None:
            return
        dest, _ = QFileDialog.getSaveFileName(self, "Save a copy", ev.filename)
        if not dest:
            return
        try:
            extract(store, ev, Path(dest))
        except OSError as err:
            self._ctx.message.emit(f"Could not save '{Path(dest).name}' ({err.strerror or err}).")
            return
        self._ctx.message.emit(f"Saved a copy of {ev.filename}.")

    def remove_current(self) -> None:
        ev = self.current_evidence()
        node = self._ctx.current_node()
        if ev is not None and node is not None:
            self._ctx.execute(DetachEvidence(node.id, ev.id))

    def closeEvent(self, event) -> None:
        shutil.rmtree(self._tmp.name, ignore_errors=True)
        super().closeEvent(event)
