"""Evidence bytes: streamed hashing, safe reading of user files, and blob sources.

Evidence is stored once per SHA-256 and always moved in ``CHUNK_SIZE`` pieces, so a 1 GB file
never sits whole in memory. Only regular files are accepted (no FIFOs, devices or directories;
symlinks are followed to a regular file), which keeps ``/dev/zero`` and friends out.
"""

from __future__ import annotations

import hashlib
import mimetypes
import os
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from sopdesigner.errors import CancelledError, DocumentFileError
from sopdesigner.storage.schema import CHUNK_SIZE

MAX_EVIDENCE_BYTES = 1 << 40  # far above any real evidence; keeps sizes sane in the database

Progress = Callable[[int, int], None]
Cancel = Callable[[], bool]


@dataclass(frozen=True)
class StoredBlob:
    sha256: str
    size: int
    filename: str
    media_type: str


class BlobSource(Protocol):
    def has_blob(self, sha256: str) -> bool: ...

    def iter_blob(self, sha256: str) -> Iterator[bytes]: ...


def open_regular_file(path: str | os.PathLike[str]) -> tuple[object, int]:
    """Open a user's file for reading, refusing anything that is not a regular file."""
    p = Path(path)
    try:
        st = p.stat()
    except FileNotFoundError:
        raise DocumentFileError(f"The file '{p}' does not exist.") from None
    except PermissionError:
        raise DocumentFileError(f"Permission denied reading '{p}'.") from None
    if not stat.S_ISREG(st.st_mode):
        raise DocumentFileError(f"'{p}' is not a regular file, so it cannot be attached.")
    if st.st_size > MAX_EVIDENCE_BYTES:
        raise DocumentFileError(f"'{p}' is too large to attach.")
    try:
        f = open(p, "rb")  # noqa: SIM115 - returned to the caller, who closes it
    except PermissionError:
        raise DocumentFileError(f"Permission denied reading '{p}'.") from None
    except OSError as err:
        raise DocumentFileError(f"'{p}' cannot be read: {err.strerror}.") from None
    return f, st.st_size


def iter_file(
    path: str | os.PathLike[str], *, progress: Progress | None = None, cancel: Cancel | None = None
) -> Iterator[bytes]:
    """The file's bytes in chunks, reporting progress and honouring cancel between chunks."""
    f, total = open_regular_file(path)
    done = 0
    with f:  # type: ignore[attr-defined]
        while True:
            if cancel is not None and cancel():
                raise CancelledError("Cancelled; nothing was attached.")
            try:
                chunk = f.read(CHUNK_SIZE)  # type: ignore[attr-defined]
            except OSError as err:
                raise DocumentFileError(f"'{path}' could not be read: {err.strerror}.") from None
            if not chunk:
                break
            done += len(chunk)
            if progress is not None:
                progress(done, max(total, done))
            yield chunk


def hash_file(
    path: str | os.PathLike[str], *, progress: Progress | None = None, cancel: Cancel | None = None
) -> tuple[str, int]:
    """SHA-256 hex and size of a file, streamed."""
    h = hashlib.sha256()
    size = 0
    for chunk in iter_file(path, progress=progress, cancel=cancel):
        h.update(chunk)
        size += len(chunk)
    return h.hexdigest(), size


def media_type_for(filename: str) -> str:
    guessed, _ = mimetypes.guess_type(filename)
    return guessed or "application/octet-stream"


def display_filename(path: str | os.PathLike[str]) -> str:
    """The file's own name, stripped of anything that could act as a path later."""
    name = Path(path).name.replace("\\", "_").replace("\x00", "")
    name = "".join(ch for ch in name if ch.isprintable()) or "evidence"
    return name[:255] if name not in (".", "..") else "evidence"


class FileBlobs:
    """A blob source over files on disk already hashed (``{sha256: path}``), e.g. for ``attach``."""

    def __init__(self, files: dict[str, Path]):
        self.files = files

    def has_blob(self, sha256: str) -> bool:
        return sha256 in self.files

    def iter_blob(self, sha256: str) -> Iterator[bytes]:
        return iter_file(self.files[sha256])
