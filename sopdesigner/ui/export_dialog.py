"""File → Export: PDF report and audit package run in a worker thread on a copy of the
document, behind a progress dialog with Cancel (a cancelled export leaves no file); then a
message offers "Show in folder". diagram.json, PNG and SVG are quick and run directly."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, QThread, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox, QProgressDialog

from sopdesigner.errors import CancelledError, SopError
from sopdesigner.ui.files import error_sentence

if TYPE_CHECKING:
    from sopdesigner.ui.main_window import MainWindow

#: (document copy, target path, progress(done, total), cancel() -> bool) -> None
Job = Callable[[Any, Path, Callable[..., None], Callable[[], bool]], None]


class ExportWorker(QThread):
    progressed = Signal(int, int)
    failed = Signal(str)
    cancelled = Signal()
    succeeded = Signal(str)

    def __init__(self, job: Job, document: Any, path: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.job, self.document, self.path = job, document, path
        self.stop = threading.Event()

    def _progress(self, done: int = 0, total: int = 0, *_: Any) -> None:
        self.progressed.emit(int(done), int(total))
        time.sleep(0)

    def _cancelled(self) -> bool:
        # A yield of the GIL at every progress and cancel check (per node section, per table
        # chunk): without it the window's thread was measured waiting 1-3 s at a time for
        # the GIL while a large report was laid out (tests/ui/test_responsiveness.py).
        time.sleep(0)
        return self.stop.is_set()

    def run(self) -> None:
        existed = self.path.exists()
        try:
            self.job(self.document, self.path, self._progress, self._cancelled)
        except CancelledError:
            self._remove_partial(existed)
            self.cancelled.emit()
        except (SopError, OSError) as err:
            self._remove_partial(existed)
            self.failed.emit(error_sentence(err))
        except ImportError:
            self.failed.emit("This export is not available in this build.")
        except Exception as err:
            self._remove_partial(existed)
            from sopdesigner.ui.crash import write_crash_log

            log = write_crash_log(type(err), err, err.__traceback__)
            self.failed.emit(f"The export failed unexpectedly; the details are in {log}.")
        else:
            self.succeeded.emit(str(self.path))

    def _remove_partial(self, existed: bool) -> None:
        if not existed:
            with contextlib.suppress(OSError):
                self.path.unlink()


class ExportFlows(QObject):
    """The File → Export commands of one window."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.worker: ExportWorker | None = None
        self.progress: QProgressDialog | None = None
        self.last_result: str | None = None  # "done", "cancelled" or the error sentence

    # ---- helpers --------------------------------------------------------------------------------
    def _ask_path(self, caption: str, suffix: str, filter_: str) -> Path | None:
        w = self.window
        if w.controller is None:
            return None
        base = (
            w.workspace.path.with_suffix(suffix)
            if w.workspace and w.workspace.path
            else Path(f"{w.controller.document.title or 'diagram'}{suffix}")
        )
        path, _ = QFileDialog.getSaveFileName(w, caption, str(base), filter_)
        if not path:
            return None
        p = Path(path)
        return p if p.suffix.lower() == suffix else p.with_name(p.name + suffix)

    def _done(self, path: str, what: str) -> None:
        self.last_result = "done"
        box = QMessageBox(
            QMessageBox.Icon.Information,
            "Export finished",
            f"The {what} was written to {path}.",
            QMessageBox.StandardButton.Ok,
            self.window,
        )
        box.setObjectName("export_done")
        show = box.addButton("Show in folder", QMessageBox.ButtonRole.ActionRole)
        box.exec()
        if box.clickedButton() is show:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(Path(path).parent)))

    def _failed(self, message: str) -> None:
        self.last_result = message
        QMessageBox.warning(self.window, "Export failed", message)

    def _run_direct(self, what: str, fn: Callable[[], None], path: Path) -> None:
        try:
            fn()
        except (SopError, OSError) as err:
            self._failed(error_sentence(err))
            return
        except ImportError:
            self._failed("This export is not available in this build.")
            return
        self._done(str(path), what)

    def _run_in_worker(self, what: str, job: Job, path: Path) -> None:
        w = self.window
        assert w.controller is not None
        if self.worker is not None and self.worker.isRunning():
            w.show_status("An export is already running.")
            return
        # A copy: the user may keep editing while the export reads its snapshot.
        copy = w.controller.document.model_copy(deep=True)
        worker = ExportWorker(job, copy, path, self)
        progress = QProgressDialog(f"Writing the {what}…", "Cancel", 0, 0, w)
        progress.setObjectName("export_progress")
        progress.setWindowTitle("Export")
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(300)
        progress.setValue(0)  # starts the dialog's show timer; without a value it waits for the first progress
        progress.canceled.connect(worker.stop.set)
        worker.progressed.connect(
            lambda done, total: (
                progress.setMaximum(max(total, 0)),
                progress.setValue(min(done, total) if total else 0),
            )
        )

        def finish() -> None:
            progress.reset()
            progress.deleteLater()
            self.progress = None

        worker.succeeded.connect(lambda p: (finish(), self._done(p, what)))
        worker.failed.connect(lambda m: (finish(), self._failed(m)))
        worker.cancelled.connect(
            lambda: (
                finish(),
                setattr(self, "last_result", "cancelled"),
                w.show_status("Export cancelled; no file was written."),
            )
        )
        worker.finished.connect(self._worker_finished)
        self.worker, self.progress = worker, progress
        self.last_result = None
        worker.start()

    def _worker_finished(self) -> None:
        worker, self.worker = self.worker, None
        if worker is not None:
            worker.deleteLater()

    # ---- commands ----------------------------------------------------------------------------
    def export_pdf(self) -> None:
        path = self._ask_path("Export PDF report", ".pdf", "PDF files (*.pdf)")
        if path is None:
            return

        def job(doc: Any, target: Path, progress: Callable[..., None], cancel: Callable[[], bool]) -> None:
            from sopdesigner.export.pdf_report import write_pdf

            write_pdf(doc, target, progress=progress, cancel=cancel)

        self._run_in_worker("PDF report", job, path)

    def export_package(self) -> None:
        path = self._ask_path("Export audit package", ".zip", "Audit packages (*.zip)")
        if path is None:
            return
        blobs = self.window.workspace

        def job(doc: Any, target: Path, progress: Callable[..., None], cancel: Callable[[], bool]) -> None:
            from sopdesigner.export.package import write_package

            write_package(doc, blobs, target, progress=progress, cancel=cancel)

        self._run_in_worker("audit package", job, path)

    def export_json(self) -> None:
        path = self._ask_path("Export diagram.json", ".json", "JSON files (*.json)")
        if path is None:
            return
        doc = self.window.controller.document  # type: ignore[union-attr]

        def write() -> None:
            from sopdesigner.export.diagram_json import dumps_diagram
            from sopdesigner.storage.atomic import atomic_output

            with atomic_output(path) as tmp:
                tmp.write_bytes(dumps_diagram(doc))

        self._run_direct("diagram.json", write, path)

    def export_png(self) -> None:
        scale, ok = QInputDialog.getDouble(
            self.window, "Export PNG image", "Scale (1 = 100 %):", 2.0, 0.25, 8.0, 2
        )
        if not ok:
            return
        path = self._ask_path("Export PNG image", ".png", "PNG images (*.png)")
        if path is None:
            return
        doc = self.window.controller.document  # type: ignore[union-attr]

        def write() -> None:
            from sopdesigner.ui.canvas.image_export import render_png

            render_png(doc, path, scale=scale)

        self._run_direct("PNG image", write, path)

    def export_svg(self) -> None:
        path = self._ask_path("Export SVG image", ".svg", "SVG images (*.svg)")
        if path is None:
            return
        doc = self.window.controller.document  # type: ignore[union-attr]

        def write() -> None:
            from sopdesigner.ui.canvas.image_export import render_svg

            render_svg(doc, path)

        self._run_direct("SVG image", write, path)
