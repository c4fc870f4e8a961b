"""The start page shown when no document is open: templates (each with a cached preview
picture of its diagram), recent files (missing ones greyed with a note), "Open…" and
"Blank diagram"."""

from __future__ import annotations

import functools
import hashlib
import logging
import tempfile
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from sopdesigner import __version__
from sopdesigner.errors import SopError
from sopdesigner.model.document import Document
from sopdesigner.model.ids import slugify
from sopdesigner.storage.paths import data_dir
from sopdesigner.storage.settings import load_settings

_log = logging.getLogger(__name__)
PREVIEW_SIZE = QSize(240, 150)
_preview_cache: dict[str, QPixmap] = {}


def _templates() -> list[Any]:
    try:
        from sopdesigner.templates import list_templates
    except ImportError:
        return []
    try:
        return list(list_templates())
    except SopError as err:
        _log.warning("templates unavailable: %s", err)
        return []


def _disk_cache_path(info: Any) -> Path | None:
    """Where the preview of a template file is kept between runs: keyed by the file's size and
    modification time and the app version, so an edited template gets a fresh picture."""
    try:
        st = Path(info.path).stat()
    except OSError:
        return None
    key = hashlib.sha256(f"{info.id}|{st.st_size}|{st.st_mtime_ns}|{__version__}".encode()).hexdigest()[:16]
    folder = data_dir() / "previews"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{slugify(info.id, fallback='template')}-{key}.png"


def template_preview(info: Any) -> QPixmap:
    """A picture of the template's diagram: from memory, else from the disk cache, else
    rendered (with the PRINT theme) and cached in both."""
    if info.id in _preview_cache:
        return _preview_cache[info.id]
    cached = _disk_cache_path(info)
    if cached is not None and cached.exists():
        pix = QPixmap(str(cached))
        if not pix.isNull():
            _preview_cache[info.id] = pix
            return pix
    pix = QPixmap(PREVIEW_SIZE)
    pix.fill(QColor("white"))
    try:
        from sopdesigner.templates import load_template
        from sopdesigner.ui.canvas.image_export import render_png

        doc = load_template(info.id)
        with tempfile.TemporaryDirectory() as tmp:
            png = Path(tmp) / "preview.png"
            render_png(doc, png, scale=0.5)
            full = QPixmap(str(png))
        if not full.isNull():
            scaled = full.scaled(
                PREVIEW_SIZE, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
            )
            p = QPainter(pix)
            p.drawPixmap(
                (PREVIEW_SIZE.width() - scaled.width()) // 2,
                (PREVIEW_SIZE.height() - scaled.height()) // 2,
                scaled,
            )
            p.end()
    except (ImportError, SopError, OSError) as err:
        # Not cached: the next start page tries again.
        _log.warning("no preview for template %s: %s", info.id, err)
        return pix
    _preview_cache[info.id] = pix
    if cached is not None:
        pix.save(str(cached), "PNG")
    return pix


@functools.cache
def _placeholder() -> QPixmap:
    """The grey picture of a template whose preview is not loaded yet. One for all: the items
    share its pixels (a picture each was 0.7 MiB of the empty window, PERFORMANCE.md T18)."""
    pix = QPixmap(PREVIEW_SIZE)
    pix.fill(QColor(235, 235, 235))
    return pix


class StartPage(QWidget):
    #: str: a recent file to open.
    open_requested = Signal(str)
    #: "Open…" was clicked.
    open_dialog_requested = Signal()
    #: Document: start a new unsaved document from a template or blank.
    document_requested = Signal(object)
    #: str: a recent file that no longer exists, to forget.
    recent_missing = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("start_page")
        self.setAccessibleName("Start page")
        self._theme = "light"
        title = QLabel(
            "<h1>SOP Designer</h1><p>Design the approval SOP for an AI model, record checklists, "
            "evidence and sign-offs, and export an audit package.</p>",
            self,
        )
        title.setWordWrap(True)
        self.blank_button = QPushButton("&Blank diagram", self)
        self.blank_button.setObjectName("start_blank")
        self.blank_button.setToolTip("Start an empty diagram")
        self.blank_button.clicked.connect(self._blank)
        self.open_button = QPushButton("&Open…", self)
        self.open_button.setObjectName("start_open")
        self.open_button.setToolTip("Open a .sop document or an audit package")
        self.open_button.clicked.connect(self.open_dialog_requested)
        buttons = QHBoxLayout()
        buttons.addWidget(self.blank_button)
        buttons.addWidget(self.open_button)
        buttons.addStretch(1)

        self.templates = QListWidget(self)
        self.templates.setObjectName("start_templates")
        self.templates.setAccessibleName("Templates")
        self.templates.setViewMode(QListView.ViewMode.IconMode)
        self.templates.setIconSize(PREVIEW_SIZE)
        self.templates.setGridSize(QSize(PREVIEW_SIZE.width() + 24, PREVIEW_SIZE.height() + 80))
        self.templates.setResizeMode(QListView.ResizeMode.Adjust)
        self.templates.setMovement(QListView.Movement.Static)
        self.templates.setWordWrap(True)
        self.templates.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.templates.itemActivated.connect(self._template_chosen)
        self.templates.itemDoubleClicked.connect(self._template_chosen)

        self.recent = QListWidget(self)
        self.recent.setObjectName("start_recent")
        self.recent.setAccessibleName("Recent files")
        self.recent.itemActivated.connect(self._recent_chosen)
        self.recent.itemDoubleClicked.connect(self._recent_chosen)

        left = QVBoxLayout()
        left.addWidget(QLabel("<b>New from a template</b> (double-click or Enter)", self))
        left.addWidget(self.templates, 1)
        right = QVBoxLayout()
        right.addWidget(QLabel("<b>Recent files</b>", self))
        right.addWidget(self.recent, 1)
        columns = QHBoxLayout()
        columns.addLayout(left, 3)
        columns.addLayout(right, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 24, 32, 24)
        layout.addWidget(title)
        layout.addLayout(buttons)
        layout.addLayout(columns, 1)
        self.setTabOrder(self.blank_button, self.open_button)
        self.setTabOrder(self.open_button, self.templates)
        self.setTabOrder(self.templates, self.recent)
        self._templates_loaded = False
        self._painted = False
        self._pending_previews: list[tuple[QListWidgetItem, Any]] = []

    def paintEvent(self, event) -> None:
        super().paintEvent(event)
        if not self._painted:
            # The template pictures are read (or rendered) only once the page is on screen:
            # the window's first frame does not wait for them (PERFORMANCE.md T1).
            self._painted = True
            self._start_previews()

    def _start_previews(self) -> None:
        if self._pending_previews and self._painted:
            QTimer.singleShot(0, self._next_preview)

    def set_theme(self, effective: str) -> None:
        self._theme = effective
        self.refresh()

    def refresh(self) -> None:
        """Reload recent files (cheap) and, the first time, the templates."""
        if not self._templates_loaded:
            self._load_templates()
        self.recent.clear()
        grey = self.palette().color(self.palette().ColorGroup.Disabled, self.palette().ColorRole.Text)
        for path in load_settings().recent_files:
            exists = Path(path).exists()
            item = QListWidgetItem(f"{Path(path).name}\n{path}" + ("" if exists else "\n(file not found)"))
            item.setData(Qt.ItemDataRole.UserRole, path)
            item.setToolTip(path if exists else f"{path} no longer exists")
            if not exists:
                item.setForeground(grey)
            self.recent.addItem(item)
        if self.recent.count() == 0:
            item = QListWidgetItem("No recent files yet.")
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.recent.addItem(item)

    def _load_templates(self) -> None:
        self._templates_loaded = True
        self.templates.clear()
        self._pending_previews = []
        for info in _templates():
            icon = QIcon(_preview_cache.get(info.id) or _placeholder())
            item = QListWidgetItem(icon, info.title)
            item.setData(Qt.ItemDataRole.UserRole, info.id)
            item.setToolTip(info.description or info.title)
            item.setTextAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
            self.templates.addItem(item)
            if info.id not in _preview_cache:
                self._pending_previews.append((item, info))
        # Pictures come one per event-loop turn after the page is first painted, so start-up
        # never waits for a template to be read or rendered.
        self._start_previews()

    def _next_preview(self) -> None:
        if not self._pending_previews:
            return
        item, info = self._pending_previews.pop(0)
        item.setIcon(QIcon(template_preview(info)))
        if self._pending_previews:
            QTimer.singleShot(0, self._next_preview)

    def previews_pending(self) -> int:
        return len(self._pending_previews)

    def _template_chosen(self, item: QListWidgetItem) -> None:
        template_id = item.data(Qt.ItemDataRole.UserRole)
        try:
            from sopdesigner.templates import load_template

            doc = load_template(template_id)
        except (ImportError, SopError, OSError) as err:
            QMessageBox.warning(self, "Cannot use template", str(err))
            return
        self.document_requested.emit(doc)

    def _blank(self) -> None:
        try:
            from sopdesigner.templates import blank_document

            doc = blank_document()
        except ImportError:
            from sopdesigner.model.ids import new_id

            doc = Document(id=new_id())
        self.document_requested.emit(doc)

    def _recent_chosen(self, item: QListWidgetItem) -> None:
        path = item.data(Qt.ItemDataRole.UserRole)
        if not path:
            return
        if Path(path).exists():
            self.open_requested.emit(path)
            return
        answer = QMessageBox.question(
            self,
            "File not found",
            f"“{path}” no longer exists. Remove it from the recent files?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.recent_missing.emit(path)
