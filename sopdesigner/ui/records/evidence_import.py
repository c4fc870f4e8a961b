"""Storing evidence files off the GUI thread: hash and copy each file in a worker thread
behind a progress dialog with Cancel, then attach it to the node with ``AttachEvidence``."""

from __future__ import annotations

import mimetypes
import threading
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, QThread, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from sopdesigner.errors import CancelledError, SopError
from sopdesigner.model.document import Evidence
from sopdesigner.model.ids import new_id
from sopdesigner.ops.records import AttachEvidence
from sopdesigner.ui.records.context import RecordsContext


def describe_os_error(path: Path, err: OSError) -> str:
    if isinstance(err, FileNotFoundError):
        return f"The file '{path.name}' does not exist any more."
    if isinstance(err, PermissionError):
        return f"You do not have permission to read '{path.name}'."
    if isinstance(err, IsADirectoryError):
        return f"'{path.name}' is a folder; attach the files inside it instead."
    return f"The file '{path.name}' could not be read ({err.strerror or err})."


class _StoreWorker(QThread):
    progressed = Signal(object, object)  # bytes done, total (Python ints: files can pass 2 GiB)
    stored = Signal(object)  # StoredBlob
    failed = Signal(str)

    def __init__(self, store: Any, path: Path):
        super().__init__()
        self._store, self._path = store, path
        self.cancel = threading.Event()

    def run(self) -> None:
        try:
            blob = self._store.add_evidence_file(
                self._path,
                progress=lambda done, total: self.progressed.emit(done, total),
                cancel=self.cancel.is_set,
            )
        except CancelledError:
            self.failed.emit("")
        except SopError as err:
            self.failed.emit(str(err))
        except OSError as err:
            self.failed.emit(describe_os_error(self._path, err))
        else:
            self.stored.emit(blob)


class EvidenceImport(QObject):
    """One file being stored and attached; ``finished(bool)`` says whether it was attached."""

    finished = Signal(bool)

    def __init__(
        self,
        context: RecordsContext,
        node_id: str,
        path: Path,
        title: str,
        category: str,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self._ctx, self._node_id, self._path = context, node_id, Path(path)
        self._title, self._category = title, category
        self.progress = QProgressDialog(f"Storing {self._path.name}…", "Cancel", 0, 1000, parent)
        self.progress.setWindowTitle("Attach evidence")
        self.progress.setWindowModality(Qt.WindowModal)
        self.progress.setMinimumDuration(300)  # small files finish before the dialog shows
        self.progress.setAutoClose(False)
        self.progress.setAutoReset(False)
        self.worker: _StoreWorker | None = None

    def start(self) -> None:
        store = self._ctx.store()
        if store is None:
            self._fail("No document is open to store the evidence in.")
            return
        prepare = getattr(store, "prepare_evidence_store", None)
        if prepare is not None:
            # Create the staging file here on the GUI thread, not inside the worker.
            try:
                prepare()
            except SopError as err:
                self._fail(str(err))
                return
        self.worker = _StoreWorker(store, self._path)
        self.worker.progressed.connect(self._on_progress)
        self.worker.stored.connect(self._on_stored)
        self.worker.failed.connect(self._fail)
        self.progress.canceled.connect(self.worker.cancel.set)
        self.worker.start()

    def _on_progress(self, done: int, total: int) -> None:
        self.progress.setValue(int(1000 * done / total) if total else 0)

    def _on_stored(self, blob: Any) -> None:
        self._close()
        media = getattr(blob, "media_type", "") or mimetypes.guess_type(self._path.name)[0]
        evidence = Evidence(
            id=new_id(),
            sha256=blob.sha256,
            size=blob.size,
            filename=getattr(blob, "filename", "") or self._path.name,
            title=self._title or self._path.stem,
            category=self._category,
            media_type=media or "application/octet-stream",
        )
        ok = self._ctx.execute(AttachEvidence(self._node_id, evidence))
        if ok:
            self._ctx.message.emit(f"Attached {evidence.filename}.")
        self.finished.emit(ok)

    def _fail(self, message: str) -> None:
        self._close()
        self._ctx.message.emit(message or f"Attaching {self._path.name} was cancelled; nothing was stored.")
        self.finished.emit(False)

    def _close(self) -> None:
        self.progress.reset()
        self.progress.hide()
        if self.worker is not None:
            self.worker.wait()
