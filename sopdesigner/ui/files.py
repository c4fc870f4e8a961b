"""File flows of the editor window on top of ``storage.workspace.Workspace``: new, open
(``.sop`` documents and ``.zip`` audit packages), save, save as, revert, close with the
unsaved-changes prompt, recent files, autosave after editing stops, and crash recovery.
The storage layer is imported on the first file operation: the empty window has none.

A ``.sop`` larger than ``BACKGROUND_OPEN_BYTES`` is read on a worker thread (``OpenWorker``)
behind a busy, window-modal progress dialog, so the window keeps painting; it is installed on
the GUI thread as a small one is.

Every file error is shown as one sentence and never loses the open document: the workspace is
only replaced after the new one opened successfully."""

from __future__ import annotations

import gc
import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QProgressDialog,
    QVBoxLayout,
    QWidget,
)

from sopdesigner.editing.session import default_actor
from sopdesigner.errors import SopError
from sopdesigner.storage.paths import autosave_dir
from sopdesigner.storage.settings import load_settings, save_settings
from sopdesigner.ui.release import hold_while, release_later

if TYPE_CHECKING:
    from sopdesigner.storage.workspace import RecoveryInfo, Workspace
    from sopdesigner.ui.canvas.prepared import PreparedItems
    from sopdesigner.ui.main_window import MainWindow
    from sopdesigner.ui.open_worker import OpenWorker

_log = logging.getLogger(__name__)

OPEN_FILTER = "SOP documents (*.sop);;Audit packages (*.zip);;diagram.json (*.json);;All files (*)"
SAVE_FILTER = "SOP documents (*.sop)"

#: Files from this size on are read on a worker thread. A 2,000-node document is ~16 MB and
#: takes ~0.3 s to read; small files keep the synchronous open, which callers rely on.
BACKGROUND_OPEN_BYTES = 2 * 1024 * 1024


def error_sentence(err: BaseException) -> str:
    """One sentence for the user from a SopError or an OSError."""
    if isinstance(err, OSError):
        where = f" '{Path(err.filename).name}'" if err.filename else ""
        return f"The file{where} could not be accessed: {err.strerror or err}."
    return str(err)


def _is_latest_recent(path: Path) -> bool:
    """True if ``path`` already heads the recent files: saving it again changes nothing there,
    so the settings file is not rewritten (two fsyncs) nor the menus rebuilt on every save."""
    recent = load_settings().recent_files
    return bool(recent) and recent[0] == str(path.resolve())


class FileFlows(QObject):
    #: A background open ended: True when its document was installed (False: it failed, was
    #: cancelled, or the user kept the current document).
    opened = Signal(bool)

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        #: The background open in progress (None when no open is pending).
        self.open_worker: OpenWorker | None = None
        self.open_progress: QProgressDialog | None = None
        self._gc_was_enabled = False
        self.autosave_timer = QTimer(self)
        self.autosave_timer.setObjectName("autosave_timer")
        self.autosave_timer.setSingleShot(True)
        self.autosave_timer.timeout.connect(self.autosave_now)
        # A background open needs the interpreter: a closed document's memory can wait.
        hold_while(self._open_running)

    # ---- prompts and errors ---------------------------------------------------------------
    def show_error(self, title: str, err: BaseException) -> None:
        _log.info("%s: %s", title, err)
        QMessageBox.warning(self.window, title, error_sentence(err))

    def maybe_save(self) -> bool:
        """Ask Save / Discard / Cancel when the document has unsaved changes.
        True means: go on (saved or discarded); False: the user cancelled."""
        w = self.window
        if w.workspace is None or not w.is_modified():
            return True
        name = w.document_display_name()
        answer = QMessageBox.question(
            w,
            "Unsaved changes",
            f"Save the changes to “{name}” before closing?",
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save,
        )
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        return answer == QMessageBox.StandardButton.Discard

    # ---- new / open -----------------------------------------------------------------------
    def new_document(self) -> None:
        """File → New: close the current document (asking first) and show the start page."""
        self.close_document()

    def new_from_document(self, document) -> bool:
        if not self.close_document():
            return False
        from sopdesigner.storage.workspace import Workspace

        self.window.install_workspace(Workspace.new(document), modified=True)
        return True

    def open_dialog(self) -> None:
        start = ""
        recent = load_settings().recent_files
        if recent:
            start = str(Path(recent[0]).parent)
        path, _ = QFileDialog.getOpenFileName(self.window, "Open document", start, OPEN_FILTER)
        if path:
            self.open_path(path)

    @property
    def open_in_progress(self) -> bool:
        return self._open_running()

    def _open_running(self) -> bool:
        # A method, not only the property: ui.release holds it (weakly) as a bound method.
        return self.open_worker is not None

    def open_path(self, path: str | Path) -> bool:
        """Open a document (see ``_open_path``) with the cyclic GC paused from reading the file
        until the window has frozen the new document: it would otherwise run full passes over
        the freshly loaded objects (about a second at 5,000 nodes).

        A large ``.sop`` is read in the background: True then means the open started, and
        ``opened(bool)`` reports how it ended."""
        p = Path(path)
        if self.window.workspace is not None and self.window.workspace.path == p.resolve():
            return True  # already open
        if self._reads_in_background(p):
            return self._start_background_open(p)
        gc_was_enabled = gc.isenabled()
        gc.disable()
        try:
            return self._open_path(p)
        finally:
            if gc_was_enabled:
                gc.enable()

    def _reads_in_background(self, p: Path) -> bool:
        if p.suffix.lower() in (".zip", ".json"):
            return False
        try:
            return p.stat().st_size >= BACKGROUND_OPEN_BYTES
        except OSError:
            return False  # the synchronous open reports it in its own words

    def _open_path(self, p: Path) -> bool:
        """Open a ``.sop`` (or import a ``.zip`` audit package or a ``diagram.json``). False if
        refused or cancelled."""
        imported = p.suffix.lower() in (".zip", ".json")
        try:
            if imported:
                ws = self._import_package(p)
            else:
                from sopdesigner.storage.workspace import Workspace

                ws = Workspace.open(p)
        except (SopError, OSError) as err:
            self.show_error("Cannot open", err)
            self._show_start_page_if_empty()
            return False
        return self._install_opened(ws, modified=imported)

    def _show_start_page_if_empty(self) -> None:
        """An open that failed or was cancelled while no document is shown ends on the start
        page: a window started to open a file shows the empty canvas until then."""
        if self.window.workspace is None:
            self.window.show_start_page()

    def _install_opened(
        self, ws: Workspace, *, modified: bool = False, prepared: PreparedItems | None = None
    ) -> bool:
        """Ask to close the current document, then show ``ws`` (closed if the user cancels).
        With no document shown there is nothing to close (nor a start page to refresh)."""
        if self.window.workspace is not None and not self.close_document():
            ws.close()
            return False
        self.window.install_workspace(ws, modified=modified, prepared=prepared)
        if ws.path is not None:
            # Writing the settings and rebuilding the recent menus waits for the first frame.
            self.window.view.after_next_frame(lambda p=ws.path: self.remember_recent(p))
        return True

    # ---- background open ------------------------------------------------------------------
    def _start_background_open(self, p: Path) -> bool:
        if self.open_worker is not None:
            self.window.show_status("Another document is still being opened.")
            return False
        from sopdesigner.ui.open_worker import OpenWorker

        worker = OpenWorker(p)
        progress = QProgressDialog(f"Opening {p.name}…", "Cancel", 0, 0, self.window)
        progress.setObjectName("open_progress")
        progress.setWindowTitle("Open")
        # Window-modal: the old document cannot be edited while the new one is read.
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(300)
        progress.setValue(0)  # starts the minimum-duration timer; without it the dialog never shows
        progress.canceled.connect(self._cancel_background_open)
        # The worker is passed along rather than found with sender(): sender() is not reliable
        # for a queued signal from a thread object that a reaper may already be deleting.
        worker.finished.connect(lambda w=worker: self._background_open_finished(w))
        self.open_worker, self.open_progress = worker, progress
        # Paused until the document is installed and frozen, as in the synchronous open; the
        # worker's load sees it paused and leaves it so.
        self._gc_was_enabled = gc.isenabled()
        gc.disable()
        worker.start()
        return True

    def _end_background_open(self) -> OpenWorker | None:
        """Forget the pending open and close its progress dialog; the GC is the caller's."""
        worker, self.open_worker = self.open_worker, None
        progress, self.open_progress = self.open_progress, None
        if progress is not None:
            progress.canceled.disconnect(self._cancel_background_open)
            progress.reset()
            progress.deleteLater()
        return worker

    def _restore_gc(self) -> None:
        if self._gc_was_enabled:
            gc.enable()

    def _cancel_background_open(self) -> None:
        """Cancel abandons the open: the worker cannot be interrupted mid-read, so its result is
        closed by the worker's reaper when it arrives."""
        worker = self._end_background_open()
        if worker is None:
            return
        worker.abandoned = True
        self._restore_gc()
        self._show_start_page_if_empty()
        self.window.show_status(f"Stopped opening {worker.path.name}.")
        self.opened.emit(False)

    def _background_open_finished(self, worker: OpenWorker) -> None:
        if worker is not self.open_worker:
            return  # cancelled: the reaper closes whatever it read
        # The dialog goes first: the error or the close prompt must not sit behind it.
        self._end_background_open()
        # Paused again in case the read re-enabled it; kept so through the install.
        gc.disable()
        try:
            if worker.error is not None:
                self.show_error("Cannot open", worker.error)
                ok = False
            else:
                ws = worker.take()
                ok = ws is not None and self._install_opened(ws, prepared=worker.prepared)
        finally:
            self._restore_gc()
        if not ok:
            self._show_start_page_if_empty()
        self.opened.emit(ok)

    def _import_package(self, path: Path) -> Workspace:
        """A new unsaved document from a verified audit package (or a diagram.json), its
        evidence staged in the work file so the first save stores it; the import is recorded
        in the audit trail, as the CLI's ``import`` does."""
        from sopdesigner.export.importing import importing
        from sopdesigner.storage.workspace import Workspace

        actor = self.window.settings.user_name.strip() or default_actor()
        with importing(path, actor) as result:
            return Workspace.adopt(result.document, result.blobs, result.missing_bytes)

    # ---- save -------------------------------------------------------------------------------
    def save(self) -> bool:
        w = self.window
        if w.workspace is None:
            return False
        if w.workspace.path is None:
            return self.save_as()
        return self._save_to(None)

    def save_as(self) -> bool:
        w = self.window
        if w.workspace is None:
            return False
        suggested = str(w.workspace.path) if w.workspace.path else f"{w.document_display_name()}.sop"
        path, _ = QFileDialog.getSaveFileName(w, "Save document as", suggested, SAVE_FILTER)
        if not path:
            return False
        if not path.lower().endswith(".sop"):
            path += ".sop"
        return self._save_to(Path(path))

    def _save_to(self, path: Path | None) -> bool:
        w = self.window
        assert w.workspace is not None
        self.autosave_timer.stop()
        before = w.workspace.path
        try:
            w.workspace.save(path)
        except (SopError, OSError) as err:
            self.show_error("Cannot save", err)
            return False
        w.mark_saved()
        saved = w.workspace.path
        if saved is not None and saved != before:
            self.remember_recent(saved)
        elif saved is not None:
            # Saved in place: it almost always heads the recent files already. Checking (and
            # the rare update) waits for the next event-loop turn, after the save returned.
            QTimer.singleShot(0, self, lambda p=saved: self._remember_unless_latest(p))
        w.show_status(f"Saved {saved.name if saved else ''}")
        return True

    def _remember_unless_latest(self, path: Path) -> None:
        if not _is_latest_recent(path):
            self.remember_recent(path)

    # ---- close / revert ----------------------------------------------------------------------
    def close_document(self) -> bool:
        """Close the open document (asking to save); show the start page. False if cancelled."""
        w = self.window
        if w.workspace is None:
            w.show_start_page()
            return True
        if not self.maybe_save():
            return False
        self.autosave_timer.stop()
        ws = w.workspace
        w.install_workspace(None)
        ws.close()  # a clean close discards the autosave
        release_later(ws.document)  # its memory goes back in slices, after this frame
        return True

    def revert(self) -> None:
        w = self.window
        if w.workspace is None or w.workspace.path is None:
            return
        answer = QMessageBox.question(
            w,
            "Revert",
            f"Throw away all changes since “{w.workspace.path.name}” was last saved?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            from sopdesigner.storage.workspace import Workspace

            fresh = Workspace.open(w.workspace.path)
        except (SopError, OSError) as err:
            self.show_error("Cannot revert", err)
            return
        old = w.workspace
        w.install_workspace(fresh)
        old.close()
        release_later(old.document)

    # ---- recent files --------------------------------------------------------------------------
    def remember_recent(self, path: Path) -> None:
        settings = load_settings().with_recent(path)
        try:
            save_settings(settings)
        except OSError as err:
            _log.warning("could not save settings: %s", err)
        self.window.refresh_recent()

    def forget_recent(self, path: str) -> None:
        save_settings(load_settings().without_recent(path))
        self.window.refresh_recent()

    def open_recent(self, path: str) -> None:
        if not Path(path).exists():
            answer = QMessageBox.question(
                self.window,
                "File not found",
                f"“{path}” no longer exists. Remove it from the recent files?",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            )
            if answer == QMessageBox.StandardButton.Yes:
                self.forget_recent(path)
            return
        self.open_path(path)

    # ---- autosave and recovery -----------------------------------------------------------------
    def document_edited(self) -> None:
        """Restart the autosave countdown: it fires once editing has stopped for a while."""
        if self.window.workspace is None:
            return
        self.autosave_timer.start(max(1, self.window.settings.autosave_seconds) * 1000)

    def autosave_now(self) -> None:
        w = self.window
        if w.workspace is None or not w.is_modified():
            return
        try:
            w.workspace.autosave()
        except (SopError, OSError) as err:
            # Autosave is best effort; never interrupt the user with a dialog for it.
            w.show_status(f"Autosave failed: {error_sentence(err)}", 10_000)
            _log.warning("autosave failed: %s", err)
            return
        w.show_status("Autosaved", 2000)

    def offer_recovery(self) -> bool:
        """If a crashed session left autosaves, ask to restore them. True if one was restored."""
        # An empty autosave folder (every clean start) has nothing to offer: the storage layer
        # (SQLite, blobs, ~1.3 MiB of the empty window) then waits for the first file (T18).
        if not any(autosave_dir().iterdir()):
            return False
        from sopdesigner.storage.workspace import Workspace

        found = Workspace.recoverable()
        if not found:
            return False
        dialog = RecoveryDialog(found, self.window)
        if dialog.exec() != QDialog.DialogCode.Accepted or not dialog.chosen:
            return False
        # Snapshots not chosen stay in the autosave folder and are offered again next time.
        if self.window.workspace is not None and not self.close_document():
            return False
        try:
            ws = Workspace.recover(dialog.chosen[0])
        except (SopError, OSError) as err:
            self.show_error("Cannot restore", err)
            return False
        self.window.install_workspace(ws, modified=True)
        self.window.show_status("Restored the autosaved work; save it to keep it.", 10_000)
        return True


class RecoveryDialog(QDialog):
    """Lists autosaves left by a crash: Restore the selected one, or Discard them all."""

    def __init__(self, found: list[RecoveryInfo], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("recovery_dialog")
        self.setWindowTitle("Restore unsaved work")
        self.found = found
        self.chosen: list[RecoveryInfo] = []
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel("SOP Designer did not close cleanly last time. These autosaves can be restored:", self)
        )
        self.list = QListWidget(self)
        self.list.setObjectName("recovery_list")
        self.list.setAccessibleName("Autosaves")
        for info in found:
            where = Path(info.origin_path).name if info.origin_path else "never saved"
            when = info.saved_at.replace("T", " ").rstrip("Z") + " UTC" if info.saved_at else "unknown time"
            item = QListWidgetItem(f"{info.title} — {where} — autosaved {when}")
            self.list.addItem(item)
        self.list.setCurrentRow(0)
        layout.addWidget(self.list)
        buttons = QDialogButtonBox(self)
        self.restore_button = buttons.addButton("&Restore", QDialogButtonBox.ButtonRole.AcceptRole)
        self.restore_button.setObjectName("recovery_restore")
        self.discard_button = buttons.addButton("&Discard all", QDialogButtonBox.ButtonRole.DestructiveRole)
        self.discard_button.setObjectName("recovery_discard")
        self.restore_button.clicked.connect(self.restore)
        self.discard_button.clicked.connect(self.discard)
        layout.addWidget(buttons)
        self.resize(760, 280)

    def restore(self) -> None:
        row = max(0, self.list.currentRow())
        self.chosen = [self.found[row]]
        self.accept()

    def discard(self) -> None:
        from sopdesigner.storage.workspace import Workspace

        for info in self.found:
            Workspace.discard_recovery(info)
        self.reject()
