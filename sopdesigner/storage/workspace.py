"""``Workspace``: what the editor holds for one open document.

It joins three things: the in-memory document, its ``.sop`` file (none until first saved),
and a private *work file* in the user data folder that holds evidence attached since the
last save and the autosave snapshot for crash recovery. The work file is itself a ``.sop``
document, so recovering is just opening it. It never lives next to the user's document and
is never written over it; a clean close or a save deletes it.
"""

from __future__ import annotations

import contextlib
import os
import threading
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from sopdesigner.errors import DocumentFileError, SopError
from sopdesigner.model.document import Document
from sopdesigner.storage.atomic import commit_file, temp_path_beside
from sopdesigner.storage.blobs import BlobSource, Cancel, Progress, StoredBlob
from sopdesigner.storage.document_file import DocumentFile, TrailMismatchError
from sopdesigner.storage.paths import autosave_dir

WORK_SUFFIX = ".sopwork"


@dataclass(frozen=True)
class RecoveryInfo:
    """An autosave left behind by a session that did not close cleanly."""

    work_path: Path
    title: str
    origin_path: str  # the document it belongs to, "" for a never-saved one
    saved_at: str


def _pid_alive(pid: int) -> bool:
    if pid <= 0 or pid == os.getpid():
        return pid == os.getpid()
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True


class Workspace:
    def __init__(self, document: Document, path: Path | None = None, file: DocumentFile | None = None):
        self.document = document
        self.path = path
        self._file = file
        self._work: DocumentFile | None = None
        self._work_path: Path | None = None
        self._work_lock = threading.Lock()

    # ---- life cycle ------------------------------------------------------------------------
    @classmethod
    def new(cls, document: Document) -> Workspace:
        return cls(document)

    @classmethod
    def adopt(
        cls, document: Document, blobs: BlobSource | None, elsewhere: set[str] | None = None
    ) -> Workspace:
        """A new unsaved document whose evidence bytes come from ``blobs`` (an imported
        package): they are staged in the work file at once, so the source may go away."""
        ws = cls(document)
        with ws._work_lock:
            ws._work_path = autosave_dir() / f"{uuid.uuid4().hex}{WORK_SUFFIX}"
            skip = elsewhere.__contains__ if elsewhere else None
            work = DocumentFile.create(ws._work_path, document, blobs=blobs, elsewhere=skip, meta=ws._stamp())
            work.set_busy_timeout(100)
            ws._work = work
        return ws

    @classmethod
    def open(cls, path: str | os.PathLike[str]) -> Workspace:
        p = Path(path).resolve()
        file = DocumentFile.open(p)
        try:
            document = file.load()
        except BaseException:
            file.close()
            raise
        return cls(document, p, file)

    def close(self) -> None:
        """Close files and delete the work file (the caller has saved or chosen to discard)."""
        self.discard_autosave()
        if self._file is not None:
            self._file.close()
            self._file = None

    # ---- evidence --------------------------------------------------------------------------
    def add_evidence_file(
        self, src: str | os.PathLike[str], *, progress: Progress | None = None, cancel: Cancel | None = None
    ) -> StoredBlob:
        """Stage a file's bytes in the work file; they move into the document on the next save.

        Safe to call from a worker thread: the bytes go in through a connection of their own,
        so an autosave on the GUI thread is never inside the same transaction."""
        with self._work_lock:
            self._work_file()
            work_path = self._work_path
        assert work_path is not None
        try:
            ingest = DocumentFile.open_trusted(work_path)
            try:
                return ingest.add_blob_from_path(src, progress=progress, cancel=cancel)
            finally:
                ingest.close()
        except DocumentFileError as err:
            # The work file's random name means nothing to the user; say what it is.
            work = self._work_path.name if self._work_path is not None else None
            if work is None or work not in str(err):
                raise
            raise type(err)(str(err).replace(f"'{work}'", "the autosave file")) from None

    def has_blob(self, sha256: str) -> bool:
        return any(f is not None and f.has_blob(sha256) for f in (self._work, self._file))

    def iter_blob(self, sha256: str) -> Iterator[bytes]:
        for f in (self._work, self._file):
            if f is not None and f.has_blob(sha256):
                return f.iter_blob(sha256)
        raise DocumentFileError(f"The bytes of evidence {sha256[:12]}… are not available.")

    # ---- saving ----------------------------------------------------------------------------
    def save(self, path: str | os.PathLike[str] | None = None) -> None:
        """Save (``path`` None or the current path) or Save As (another path)."""
        target = Path(path).resolve() if path is not None else self.path
        if target is None:
            raise DocumentFileError("Choose where to save this document first.")
        if self._file is not None and target == self.path and not self._file.file_is_gone_or_replaced():
            self._file.save(self.document, blobs=self)
        elif self._file is not None and target != self.path and not self._file.file_is_gone_or_replaced():
            # Save As: copy the current file with the backup API (evidence included), save the
            # in-memory document into the copy, and only then rename it into place: a crash
            # in between must not leave the old content under the new name.
            try:
                staged = temp_path_beside(target, ".sop-part")
            except OSError as err:
                raise DocumentFileError(f"Cannot write in '{target.parent}': {err.strerror}.") from None
            try:
                self._file.copy_to(staged)
                with DocumentFile.open(staged) as copy:
                    copy.save(self.document, blobs=self)
                try:
                    commit_file(staged, target)
                except OSError as err:
                    raise DocumentFileError(
                        f"'{target.name}' could not be written: {err.strerror or err}."
                    ) from None
            finally:
                for leftover in (staged, Path(str(staged) + "-journal")):
                    with contextlib.suppress(OSError):
                        leftover.unlink()
            new_file = DocumentFile.open(target)
            self._file.close()
            self._file = new_file
        else:
            if self._file is not None and target == self.path and target.exists():
                raise DocumentFileError(
                    f"'{target.name}' was replaced by another program since it was opened; "
                    "use Save As to keep your work."
                )
            # First save, or the file was deleted under us: write a fresh one from memory, with
            # evidence from the work file and from the old (still open, unlinked) file.
            new_file = DocumentFile.create(target, self.document, overwrite=True, blobs=self)
            if self._file is not None:
                self._file.close()
            self._file = new_file
        self.path = target
        self.discard_autosave()

    # ---- autosave and recovery ---------------------------------------------------------------
    def prepare_evidence_store(self) -> None:
        """Create the work file now, on the calling (GUI) thread, before a worker stages evidence."""
        with self._work_lock:
            self._work_file()

    def _work_file(self) -> DocumentFile:
        if self._work is None:
            self._work_path = autosave_dir() / f"{uuid.uuid4().hex}{WORK_SUFFIX}"
            work = DocumentFile.create(
                self._work_path, self.document, blobs=self, elsewhere=self._in_document_file(), meta=self._stamp()
            )
            # The GUI thread's autosave must not stall behind a worker staging a large file:
            # fail fast as "in use" and let the next autosave tick try again.
            work.set_busy_timeout(100)
            self._work = work
        return self._work

    def autosave(self) -> None:
        """Snapshot the unsaved document into the work file (user data folder): one
        transaction, its recovery stamp (origin path, pid) included."""
        if self._work is None:
            self._work_file()  # written from the document as it is now, and stamped
            return
        try:
            self._work.save(
                self.document, blobs=self, elsewhere=self._in_document_file(), meta=self._stamp()
            )
        except TrailMismatchError:
            # The work file's trail can diverge only after a revert; start a fresh snapshot.
            # Any other failure (e.g. busy while a worker stages evidence in it) keeps the
            # work file: it may hold evidence bytes found nowhere else.
            self.discard_autosave()
            self._work_file()

    def _stamp(self) -> dict[str, str]:
        """What recovery reads from a work file: the document it belongs to and its owner."""
        return {"origin_path": str(self.path or ""), "pid": str(os.getpid())}

    def _in_document_file(self) -> Callable[[str], bool]:
        """Whether the document file holds some evidence bytes, from one listing of it (an
        autosave asked it once per evidence item: 2,000 queries at 1,000 nodes)."""
        if self._file is None:
            return frozenset().__contains__
        return self._file.stored_blobs().__contains__

    def discard_autosave(self) -> None:
        if self._work is not None:
            self._work.close()
            self._work = None
        if self._work_path is not None:
            with contextlib.suppress(OSError):
                self._work_path.unlink()
            self._work_path = None

    @property
    def work_path(self) -> Path | None:
        return self._work_path

    @staticmethod
    def recoverable() -> list[RecoveryInfo]:
        """Autosaves whose session ended without closing them (a crash), newest first."""
        found = []
        for p in autosave_dir().glob(f"*{WORK_SUFFIX}"):
            try:
                with DocumentFile.open(p, read_only=True) as f:
                    meta = f.meta()
            except SopError:
                continue
            try:
                pid = int(meta.get("pid", "0"))
            except ValueError:
                pid = 0
            if pid and _pid_alive(pid):
                continue  # a running editor's live autosave, not a leftover
            found.append(
                RecoveryInfo(
                    p, meta.get("title", "Untitled"), meta.get("origin_path", ""), meta.get("saved_at", "")
                )
            )
        return sorted(found, key=lambda r: r.saved_at, reverse=True)

    @classmethod
    def recover(cls, info: RecoveryInfo) -> Workspace:
        """Reopen an autosave; the result is unsaved and bound to its original path, if any."""
        work = DocumentFile.open(info.work_path)
        try:
            document = work.load()
        except BaseException:
            work.close()
            raise
        origin = Path(info.origin_path) if info.origin_path else None
        file = None
        if origin is not None:
            # If the original is gone or unreadable, saving writes it anew from the snapshot.
            with contextlib.suppress(SopError):
                file = DocumentFile.open(origin)
        ws = cls(document, origin, file)
        ws._work, ws._work_path = work, info.work_path
        work.set_meta({"pid": str(os.getpid())})
        return ws

    @staticmethod
    def discard_recovery(info: RecoveryInfo) -> None:
        with contextlib.suppress(OSError):
            info.work_path.unlink()
