"""``MainWindow``: the editor window — menus and tool bar (from the action table), the start
page or the canvas, dockable panels, the status bar, and the glue that switches documents.
File flows live in ``ui/files.py``, exports in ``ui/export_dialog.py``, the panels in
``ui/window_panels.py``. What the empty window does not show (panels, export and find dialogs)
is built, and its module imported, on first use: start-up time and memory are PERFORMANCE.md
targets T1 and T18."""

from __future__ import annotations

import gc
import importlib.util
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray, QSignalBlocker, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication, QKeySequence, QUndoGroup
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QMainWindow,
    QMenu,
    QStackedWidget,
    QToolBar,
    QToolButton,
    QWidget,
)

from sopdesigner import APP_NAME
from sopdesigner.model.document import Document, Identity, Policy, Request
from sopdesigner.ops.base import Change
from sopdesigner.storage.settings import Settings, load_settings, save_settings
from sopdesigner.ui.actions import MENU_NAMES, build_actions
from sopdesigner.ui.canvas.scene import DiagramScene
from sopdesigner.ui.canvas.style import theme_named
from sopdesigner.ui.canvas.view import DiagramView
from sopdesigner.ui.controller import DocumentController
from sopdesigner.ui.files import FileFlows
from sopdesigner.ui.theme import apply_theme
from sopdesigner.ui.window_commands import WindowCommands
from sopdesigner.ui.window_panels import WindowPanels
from sopdesigner.ui.window_start_page import WindowStartPage

if TYPE_CHECKING:
    from sopdesigner.storage.workspace import Workspace
    from sopdesigner.ui.canvas.prepared import PreparedItems
    from sopdesigner.ui.export_dialog import ExportFlows
    from sopdesigner.ui.find_dialog import FindDialog

_log = logging.getLogger(__name__)
VALIDATION_DELAY_MS = 300


def _placeholder_document() -> Document:
    # Constructed, not validated: a fixed empty document, and validating it would build the
    # model's validators at start-up (model/document.py defers them to first use). Its parts
    # too: their default factories would validate (and build) Identity, Request and Policy.
    return Document.model_construct(
        id="no-document",
        title="",
        identity=Identity.model_construct(),
        request=Request.model_construct(),
        policy=Policy.model_construct(),
    )


class MainWindow(WindowCommands, WindowPanels, WindowStartPage, QMainWindow):
    #: A different document (controller) is now shown, or none.
    document_changed = Signal()

    def __init__(self, parent: QWidget | None = None, *, opening: bool = False) -> None:
        """``opening``: a document is about to be opened (``sopdesigner FILE``). The window
        then starts on the empty canvas, without a start page (see ``WindowStartPage``),
        which comes if that open fails or is cancelled."""
        super().__init__(parent)
        self.setObjectName("main_window")
        self._opening = opening
        self.settings: Settings = load_settings()
        self.workspace: Workspace | None = None
        self.controller: DocumentController | None = None
        self._saved_audit_len = 0
        self._selection_counts = (0, 0)
        self._selection_ids: tuple[list[str], list[str]] = ([], [])
        self._dock_state: QByteArray | None = None
        self._needs_default_sizes = not self.settings.window_state
        self._forced_modified = False
        self.problems: list[Any] | None = None
        self.undo_group = QUndoGroup(self)
        # The scene always exists (panels and add-ons connect to it); with no document it
        # shows an empty placeholder and the start page covers it.
        self._placeholder = DocumentController(_placeholder_document(), "nobody", self)
        self.effective_theme = "light"
        self._applied_theme: str | None = None
        self.scene = DiagramScene(self._placeholder, theme_named("light"), self)
        self.view = DiagramView(self.scene, self)
        self.view.setObjectName("diagram_view")
        self.view.setAccessibleName("Diagram")
        self.central = QStackedWidget(self)
        self.central.addWidget(self.view)
        self.setCentralWidget(self.central)
        self.files = FileFlows(self)
        self._start_page = None
        if not opening:
            self.central.setCurrentWidget(self.start_page)
        self._exports: ExportFlows | None = None
        self.find_dialog: FindDialog | None = None
        self._build_menus()
        self._build_panel_docks()
        self._build_status_bar()
        self._validation_timer = QTimer(self)
        self._validation_timer.setSingleShot(True)
        self._validation_timer.setInterval(VALIDATION_DELAY_MS)
        self._validation_timer.timeout.connect(self.run_validation)
        self._connect_scene()
        self.apply_settings()
        QGuiApplication.styleHints().colorSchemeChanged.connect(self._system_scheme_changed)
        self.resize(1400, 900)
        if importlib.util.find_spec("sopdesigner.ui.records") is not None:
            records = importlib.import_module("sopdesigner.ui.records")
            if hasattr(records, "install"):
                records.install(self)
        # Last, so the records panels are restored and hidden with the others.
        self._restore_geometry()
        self.install_workspace(None)
        self._opening = False

    # ---- construction --------------------------------------------------------------------------
    def _build_menus(self) -> None:
        bar = self.menuBar()
        self.menus: dict[str, QMenu] = {}
        for name in MENU_NAMES:
            menu = bar.addMenu(f"&{name}")
            menu.setObjectName(f"menu_{name.lower()}")
            self.menus[name] = menu
        self.actions = build_actions(self, self.menus)
        # Undo/Redo follow the active document's stack through the undo group.
        self.undo_action = self.undo_group.createUndoAction(self, "&Undo")
        self.undo_action.setObjectName("action_undo")
        self.undo_action.setShortcuts(QKeySequence.keyBindings(QKeySequence.StandardKey.Undo))
        self.undo_action.setToolTip("Undo the last edit")
        self.redo_action = self.undo_group.createRedoAction(self, "&Redo")
        self.redo_action.setObjectName("action_redo")
        self.redo_action.setShortcuts(QKeySequence.keyBindings(QKeySequence.StandardKey.Redo))
        self.redo_action.setToolTip("Redo the last undone edit")
        first = self.menus["Edit"].actions()[0]
        self.menus["Edit"].insertActions(first, [self.undo_action, self.redo_action])
        self.actions["undo"], self.actions["redo"] = self.undo_action, self.redo_action
        self.recent_menu = QMenu("Open &recent", self)
        self.recent_menu.setObjectName("menu_recent")
        self.menus["File/Open recent"] = self.recent_menu
        self.menus["File"].insertMenu(self.actions["save"], self.recent_menu)
        self.panels_menu = self.menus["View"].addMenu("&Panels")
        self.panels_menu.setObjectName("menu_panels")
        self.menus["View/Panels"] = self.panels_menu
        self.toolbar = QToolBar("Main tool bar", self)
        self.toolbar.setObjectName("main_toolbar")
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        from sopdesigner.ui.actions import ACTIONS

        for spec in ACTIONS:
            if spec.toolbar:
                if spec.key in ("save", "zoom_in"):
                    self.toolbar.addSeparator()
                self.toolbar.addAction(self.actions[spec.key])
            if spec.key == "save":
                self.toolbar.addAction(self.undo_action)
                self.toolbar.addAction(self.redo_action)
        self.addToolBar(self.toolbar)
        toggle = self.toolbar.toggleViewAction()
        toggle.setObjectName("action_panel_main_toolbar")
        toggle.setToolTip("Show or hide the tool bar")
        self.panels_menu.addAction(toggle)

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.problems_button = QToolButton(self)
        self.problems_button.setObjectName("status_problems")
        self.problems_button.setAutoRaise(True)
        self.problems_button.setToolTip("Show the problems panel")
        self.problems_button.clicked.connect(lambda: self.show_panel("problems_panel"))
        self.selection_label = QLabel(self)
        self.selection_label.setObjectName("status_selection")
        self.zoom_label = QLabel(self)
        self.zoom_label.setObjectName("status_zoom")
        self.saved_label = QLabel(self)
        self.saved_label.setObjectName("status_saved")
        for w in (self.problems_button, self.selection_label, self.zoom_label, self.saved_label):
            w.setContentsMargins(8, 0, 8, 0)
            bar.addPermanentWidget(w)
        self.view.zoom_changed.connect(lambda z: self.zoom_label.setText(f"{round(z * 100)} %"))

    def _connect_scene(self) -> None:
        self.scene.selection_changed_ids.connect(self._selection_changed)
        # A bound slot (not a lambda), so Qt drops the connection when the window goes away.
        self.undo_group.cleanChanged.connect(self._clean_changed)

    # ---- documents -----------------------------------------------------------------------------
    def install_workspace(
        self, workspace: Workspace | None, *, modified: bool = False, prepared: PreparedItems | None = None
    ) -> None:
        """Show ``workspace`` (or the start page when None). Never closes the old one: the
        caller decides whether it was saved or discarded. ``prepared``: the canvas items'
        snapshots and routes the open worker made from this document."""
        # The open document is long-lived: frozen out of the cyclic GC while it is shown, so a
        # full collection never stalls an interaction (PERFORMANCE.md T17); thawed on switch.
        # The collector is paused while the scene and panels are built: with a freshly loaded
        # document in the young generations it would run full passes over it (~1 s at 5,000
        # nodes).
        # A close leaves the heap frozen: the closed document's objects are freed by refcount
        # (the scene unlinks its items first), so thawing would only make the next full pass
        # walk the whole heap to find nothing (T5). Its stray cycles go at the next switch.
        if workspace is not None:
            gc.unfreeze()
        gc_was_enabled = gc.isenabled()
        gc.disable()
        try:
            self._install_workspace(workspace, modified, prepared)
        finally:
            if workspace is not None:
                # No collect first: a full pass costs 0.1-0.3 s here; whatever garbage is
                # frozen with the document returns to the collector on the next switch.
                gc.freeze()
                # A large document fills its panels after the first frame (validation, audit
                # table): freeze again once that work is done, or a full pass walks it all.
                self.view.after_next_frame(gc.freeze)
            if gc_was_enabled:
                gc.enable()

    def _install_workspace(
        self, workspace: Workspace | None, modified: bool, prepared: PreparedItems | None = None
    ) -> None:
        old = self.controller
        if old is not None:
            old.changes_applied.disconnect(self._document_edited)
            old.audit_appended.disconnect(self._audit_appended)
            old.error_raised.disconnect(self._edit_refused)
            self.undo_group.removeStack(old.undo_stack)
            old.deleteLater()
        self.workspace = workspace
        self._forced_modified = modified
        if workspace is None:
            self.controller = None
            # The start page hides the canvas (below): its items may leave in later slices.
            self.scene.set_controller(self._placeholder, hidden=not self._opening)
            if self._opening:
                self._hide_docks()  # as the start page does: they come back with the document
            else:
                self.show_start_page()
            self.problems = None
            if self.panels_built:
                self.problems_panel.set_problems(None)
        else:
            self._ensure_all_panels()  # before the docks come back, so they show their content
            actor = self.settings.user_name or None
            self.controller = DocumentController(workspace.document, actor, self)
            self.controller.changes_applied.connect(self._document_edited)
            self.controller.audit_appended.connect(self._audit_appended)
            self.controller.error_raised.connect(self._edit_refused)
            if prepared is not None:
                self.controller.set_prepared_items(prepared)
            self.undo_group.addStack(self.controller.undo_stack)
            self.undo_group.setActiveStack(self.controller.undo_stack)
            self._saved_audit_len = len(workspace.document.audit)
            # Items are built uncached (cheaper); the fit that follows caches them if its
            # zoom is a reading zoom.
            self.scene.set_node_caching(False)
            self.scene.set_controller(self.controller)
            self._show_canvas()
            self.view.fit_at_next_frame()
            # A large document paints first and is checked right after (issue 7).
            self.problems = None
            self.problems_button.setText("Checking…")
            self.problems_panel.set_checking()
            self.view.after_next_frame(self.run_validation)
        if self.panels_built:
            self.properties_panel.set_controller(self.controller)
        self._selection_changed([], [])
        self.update_modified()
        self.document_changed.emit()

    def _show_hidden_docks(self) -> None:
        if self._dock_state is not None:
            self.restoreState(self._dock_state)
            self._dock_state = None

    def _show_canvas(self) -> None:
        self._show_hidden_docks()
        self.central.setCurrentWidget(self.view)
        self.problems_button.show()
        self.zoom_label.show()
        if self._needs_default_sizes and self.isVisible():
            # Now, not on a timer: the first frame of the document then has its final layout
            # (a later change would resize the canvas and repaint it at a new fit).
            self._needs_default_sizes = False
            self._default_dock_sizes()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        # A document opened before the window was first shown (``sopdesigner FILE``) still
        # gets the first-start panel sizes; one still being read gets them when it is shown
        # (``_show_canvas``), not its hidden docks now.
        if self._needs_default_sizes and self.workspace is not None:
            self._needs_default_sizes = False
            QTimer.singleShot(0, self._default_dock_sizes)

    @property
    def exports(self) -> ExportFlows:
        """File → Export flows, made (and their module imported) on the first export."""
        if self._exports is None:
            from sopdesigner.ui.export_dialog import ExportFlows

            self._exports = ExportFlows(self)
        return self._exports

    def open_path(self, path: str | Path) -> bool:
        return self.files.open_path(path)

    def new_from_document(self, doc: Document) -> None:
        self.files.new_from_document(doc)

    def is_modified(self) -> bool:
        if self.controller is None:
            return False
        return (
            self._forced_modified
            or not self.controller.undo_stack.isClean()
            or len(self.controller.document.audit) != self._saved_audit_len
        )

    def mark_saved(self) -> None:
        if self.controller is not None:
            # cleanChanged would refresh the title and labels from the half-updated state, then
            # they are refreshed again below: once is enough (part of every File → Save).
            with QSignalBlocker(self.undo_group):
                self.controller.undo_stack.setClean()
            self._saved_audit_len = len(self.controller.document.audit)
        self._forced_modified = False
        self.update_modified()

    def document_display_name(self) -> str:
        if self.workspace is None:
            return ""
        if self.workspace.path is not None:
            return self.workspace.path.name
        return self.workspace.document.title or "Untitled"

    def update_modified(self) -> None:
        modified = self.is_modified()
        if self.workspace is None:
            self.setWindowTitle(APP_NAME)
            self.saved_label.setText("")
        else:
            self.setWindowTitle(f"{self.document_display_name()}[*] — {APP_NAME}")
            self.saved_label.setText("Modified" if modified else "Saved")
        self.setWindowModified(modified)
        self._update_enabled()

    def _system_scheme_changed(self, _scheme: object) -> None:
        if self.settings.theme == "system":
            self._applied_theme = None
            self.apply_settings()

    def _clean_changed(self, _clean: bool) -> None:
        self.update_modified()

    def _document_edited(self, changes: list[Change]) -> None:
        self.update_modified()
        self.files.document_edited()
        self._validation_timer.start()

    def _audit_appended(self, _events: list) -> None:
        self.update_modified()
        self.files.document_edited()

    def _edit_refused(self, message: str) -> None:
        self.show_status(message, 8000)

    # ---- status, validation, selection -----------------------------------------------------
    def show_status(self, message: str, timeout_ms: int = 5000) -> None:
        self.statusBar().showMessage(message, timeout_ms)

    def run_validation(self) -> None:
        if self.controller is None:
            return
        try:
            from sopdesigner.rules.validation import validate
        except ImportError:
            self.problems_button.setText("")
            return
        from sopdesigner.ui.panels.problems_panel import summary_text

        try:
            self.problems = list(validate(self.controller.document))
        except Exception as err:
            # A bug in the rules must not stop anyone opening or editing a document.
            _log.exception("validation failed")
            self.problems_button.setText("Validation unavailable")
            self.show_status(f"Validation failed unexpectedly: {err}", 10_000)
            return
        self.problems_panel.set_problems(self.problems)
        self.problems_button.setText(summary_text(self.problems))

    def _selection_changed(self, node_ids: list[str], edge_ids: list[str]) -> None:
        self._selection_ids = (list(node_ids), list(edge_ids))
        if self.panels_built:
            self.properties_panel.show_selection(node_ids, edge_ids)
        n, e = len(node_ids), len(edge_ids)
        parts = ([f"{n} node{'s' if n != 1 else ''}"] if n else []) + (
            [f"{e} connector{'s' if e != 1 else ''}"] if e else []
        )
        self.selection_label.setText(", ".join(parts) + " selected" if parts else "")
        self._update_enabled(n, e)

    def _update_enabled(self, nodes: int | None = None, edges: int | None = None) -> None:
        from sopdesigner.ui.actions import ACTIONS

        if nodes is None or edges is None:
            nodes, edges = self._selection_counts
        self._selection_counts = (nodes, edges)

        has_doc = self.controller is not None
        rule = {
            "always": True,
            "document": has_doc,
            "selection": has_doc and nodes + edges > 0,
            "nodes2": has_doc and nodes >= 2,
            "nodes3": has_doc and nodes >= 3,
        }
        for spec in ACTIONS:
            self.actions[spec.key].setEnabled(rule[spec.enabled_when])
        self.actions["revert"].setEnabled(
            has_doc and self.workspace is not None and self.workspace.path is not None
        )
        if self.panels_built:
            self.palette_panel.setEnabled(has_doc)

    def select_and_centre(self, node_ids: list[str], edge_ids: list[str]) -> None:
        if self.controller is None:
            return
        self.scene.select_ids(node_ids, edge_ids)
        self.view.zoom_to_selection() if len(node_ids) + len(edge_ids) > 1 else self._centre_on(
            node_ids, edge_ids
        )

    def _centre_on(self, node_ids: list[str], edge_ids: list[str]) -> None:
        item = self.scene.node_item(node_ids[0]) if node_ids else None
        if item is not None:
            self.view.centerOn(item)
        elif edge_ids:
            self.view.zoom_to_selection()

    # ---- view settings ----------------------------------------------------------------------
    def update_settings(self, **changes: Any) -> None:
        self.settings = load_settings().updated(**changes)
        try:
            save_settings(self.settings)
        except OSError as err:
            self.show_status(f"Settings could not be saved: {err.strerror or err}.")
        self.apply_settings()

    def apply_settings(self) -> None:
        s = self.settings
        app = QApplication.instance()
        # Re-palette the application only when the theme changed: it repolishes every widget.
        if isinstance(app, QApplication) and s.theme != self._applied_theme:
            self.effective_theme = apply_theme(app, s.theme)
            self._applied_theme = s.theme
            self.scene.set_theme(theme_named(self.effective_theme))
            if self._start_page_shown():
                self.start_page.set_theme(self.effective_theme)
        self.scene.set_grid_visible(s.grid_visible)
        self.scene.set_snap_to_grid(s.snap_to_grid)
        self.scene.set_legend_visible(s.show_legend)
        for key, on in (
            ("grid", s.grid_visible),
            ("legend", s.show_legend),
            ("snap", s.snap_to_grid),
            (f"theme_{s.theme}", True),
        ):
            self.actions[key].setChecked(on)
        self.refresh_recent()

    def refresh_recent(self) -> None:
        self.recent_menu.clear()
        recent = load_settings().recent_files
        for i, path in enumerate(recent, start=1):
            exists = Path(path).exists()
            action = QAction(
                f"&{i % 10} {Path(path).name}" + ("" if exists else " (missing)"), self.recent_menu
            )
            action.setObjectName(f"action_recent_{i}")
            action.setToolTip(path)
            action.setStatusTip(path)
            action.triggered.connect(lambda _=False, p=path: self.files.open_recent(p))
            self.recent_menu.addAction(action)
        self.recent_menu.setEnabled(bool(recent))
        if self._start_page_shown():
            self.start_page.refresh()

    # ---- window state --------------------------------------------------------------------------
    def _restore_geometry(self) -> None:
        s = self.settings
        if s.window_geometry:
            self.restoreGeometry(QByteArray.fromBase64(s.window_geometry.encode()))
        if s.window_state:
            self.restoreState(QByteArray.fromBase64(s.window_state.encode()))

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.files.close_document():
            event.ignore()
            return
        self._closing = True  # the docks shown to save their layout need no content
        try:
            self._show_hidden_docks()  # save the panel layout as the user arranged it
        finally:
            self._closing = False
        self.update_settings(
            window_geometry=bytes(self.saveGeometry().toBase64().data()).decode(),
            window_state=bytes(self.saveState().toBase64().data()).decode(),
        )
        if self.find_dialog is not None:
            self.find_dialog.close()
        event.accept()
