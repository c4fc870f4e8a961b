"""``DocumentFile``: one open ``.sop`` document (SQLite as an application file format).

Every write is a single transaction in rollback-journal mode with ``synchronous=FULL``: a
crash, a kill or a power cut leaves the old document or the new one, never a mix. The audit
table is append-only: a save refuses an in-memory trail that does not extend the stored one.
Evidence is stored once per SHA-256 in 1 MiB chunks and streamed in and out. Save As copies
the file with SQLite's backup API into a temp file beside the target and renames it into place.
"""

from __future__ import annotations

import gc
import hashlib
import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import suppress
from pathlib import Path
from types import TracebackType
from typing import Any

from pydantic import ValidationError

from sopdesigner import __version__
from sopdesigner.errors import DamagedDocumentError, DocumentFileError, SopError
from sopdesigner.model.clock import utc_now
from sopdesigner.model.document import Document
from sopdesigner.storage import chunked_validate, json_rows
from sopdesigner.storage.atomic import commit_file, temp_path_beside
from sopdesigner.storage.blobs import (
    BlobSource,
    Cancel,
    Progress,
    StoredBlob,
    display_filename,
    iter_file,
    media_type_for,
)
from sopdesigner.storage.guard import check_connection, check_header, harden
from sopdesigner.storage.schema import MIGRATIONS, SCHEMA_VERSION, create_schema


class TrailMismatchError(DocumentFileError):
    """The file's audit trail is not a prefix of the document's: a save would drop history."""


def _connect(path: Path, *, read_only: bool) -> sqlite3.Connection:
    uri = path.resolve().as_uri() + ("?mode=ro" if read_only else "?mode=rw")
    con = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
    harden(con)
    if not read_only:
        con.execute("PRAGMA journal_mode = DELETE")
        con.execute("PRAGMA synchronous = FULL")
        # FAST: freed content inside b-tree pages is zeroed at no extra I/O. Full ON also
        # zeroes every overflow page the previous document body leaves free on each save
        # (+30 % save time at 1,000 nodes) for no privacy gain: the append-only audit trail in
        # the same file keeps the document's history by design.
        con.execute("PRAGMA secure_delete = FAST")
    return con


def _write_error(err: Exception, tmp: Path, target: Path) -> DocumentFileError:
    """One sentence about writing ``target`` (through the temp file ``tmp``) that failed."""
    if isinstance(err, DocumentFileError):
        # The user chose ``target``; the temp file's name would mean nothing to them.
        return type(err)(str(err).replace(tmp.name, target.name))
    if isinstance(err, sqlite3.Error):
        return _disk_error(target, err)
    assert isinstance(err, OSError)
    if err.errno == 28:
        return DocumentFileError(f"The disk is full; '{target.name}' was not written.")
    return DocumentFileError(f"'{target.name}' could not be written: {err.strerror or err}.")


def _disk_error(path: Path, err: sqlite3.Error) -> DocumentFileError:
    text = str(err)
    if "full" in text:
        return DocumentFileError(f"The disk is full; '{path.name}' was not changed.")
    if "readonly" in text or "read-only" in text:
        return DocumentFileError(f"'{path.name}' is read-only; it was not changed.")
    if "locked" in text or "busy" in text:
        return DocumentFileError(f"'{path.name}' is in use by another program; try again.")
    return DocumentFileError(f"'{path.name}' could not be written ({text}); it was not changed.")


class DocumentFile:
    """An open document file. Use ``create`` or ``open``; close it (or use ``with``).

    One object is used by one thread at a time; a worker thread opens its own ``DocumentFile``
    on the same path (SQLite's file locks then keep the two apart)."""

    def __init__(self, path: Path, con: sqlite3.Connection, *, read_only: bool):
        self.path = path
        self.read_only = read_only
        self._con = con
        self._identity = self._stat_identity()
        #: (data_version, hashes of the stored evidence) as last read; see ``_stored_blobs``.
        self._blob_cache: tuple[int, set[str]] | None = None

    # ---- opening -------------------------------------------------------------------------
    @classmethod
    def create(
        cls,
        path: str | os.PathLike[str],
        document: Document,
        *,
        overwrite: bool = False,
        blobs: BlobSource | None = None,
        elsewhere: Callable[[str], bool] | None = None,
        meta: dict[str, str] | None = None,
    ) -> DocumentFile:
        """Write a new document file (atomically: it appears complete or not at all)."""
        target = Path(path)
        if target.exists() and not overwrite:
            raise DocumentFileError(f"'{target}' already exists; choose another name.")
        if target.is_dir():
            raise DocumentFileError(f"'{target}' is a folder.")
        if not target.parent.is_dir():
            raise DocumentFileError(f"The folder '{target.parent}' does not exist.")
        try:
            tmp = temp_path_beside(target, ".sop-part")
        except PermissionError:
            raise DocumentFileError(f"Permission denied writing in '{target.parent}'.") from None
        except OSError as err:
            raise DocumentFileError(f"Cannot write in '{target.parent}': {err.strerror}.") from None
        try:
            tmp.unlink()
            con = sqlite3.connect(str(tmp), isolation_level=None)
            try:
                con.execute("PRAGMA journal_mode = DELETE")
                con.execute("PRAGMA synchronous = FULL")
                con.execute("BEGIN IMMEDIATE")
                create_schema(con, utc_now())
                con.execute("INSERT INTO document(id, body) VALUES (1, '{}')")
                con.execute("COMMIT")
            finally:
                con.close()
            new = cls(tmp, _connect(tmp, read_only=False), read_only=False)
            try:
                new.save(document, blobs=blobs, elsewhere=elsewhere, meta=meta)
            finally:
                new.close()
            commit_file(tmp, target)
        except (DocumentFileError, sqlite3.Error, OSError) as err:
            raise _write_error(err, tmp, target) from None
        finally:
            for leftover in (tmp, Path(str(tmp) + "-journal")):
                with suppress(OSError):
                    leftover.unlink()
        return cls.open(target)

    @classmethod
    def open(cls, path: str | os.PathLike[str], *, read_only: bool = False) -> DocumentFile:
        """Open after checking the file; refuses (without modifying it) anything untrustworthy."""
        p = Path(path)
        journal = Path(str(p) + "-journal")
        version = check_header(p, hot_journal=journal.exists())
        # A hot journal left by a crash must be rolled back, which needs write access.
        check_read_only = not journal.exists()
        try:
            con = _connect(p, read_only=check_read_only)
        except sqlite3.Error as err:
            raise DocumentFileError(f"'{p.name}' cannot be opened ({err}).") from None
        try:
            check_connection(con, p.name)
        except BaseException:
            con.close()
            raise
        if check_read_only != read_only:
            con.close()
            try:
                con = _connect(p, read_only=read_only)
            except sqlite3.Error as err:
                if not read_only and ("readonly" in str(err) or "unable to open" in str(err)):
                    raise DocumentFileError(
                        f"'{p.name}' is read-only; open it read-only or copy it."
                    ) from None
                raise DocumentFileError(f"'{p.name}' cannot be opened ({err}).") from None
        doc_file = cls(p, con, read_only=read_only)
        if version < SCHEMA_VERSION:
            doc_file._migrate(version)
        return doc_file

    def set_busy_timeout(self, milliseconds: int) -> None:
        """How long a statement waits for another connection's lock before failing as 'in use'."""
        self._con.execute(f"PRAGMA busy_timeout = {int(milliseconds)}")

    @classmethod
    def open_trusted(cls, path: Path) -> DocumentFile:
        """A second connection to a file this process created and checked (the work file),
        for a worker thread; skips the checks so a large evidence store is not re-scanned."""
        try:
            return cls(path, _connect(path, read_only=False), read_only=False)
        except sqlite3.Error as err:
            raise _disk_error(path, err) from None

    def _migrate(self, version: int) -> None:
        if self.read_only:
            raise DocumentFileError(
                f"'{self.path.name}' needs upgrading to the current format; open it for editing."
            )
        try:
            self._con.execute("BEGIN IMMEDIATE")
            for v in range(version + 1, SCHEMA_VERSION + 1):
                description, upgrade = MIGRATIONS[v]
                upgrade(self._con)
                self._con.execute(
                    "INSERT INTO migrations(version, applied_at, description) VALUES (?, ?, ?)",
                    (v, utc_now(), description),
                )
            self._con.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            self._con.execute("COMMIT")
        except sqlite3.Error as err:
            self._rollback()
            raise _disk_error(self.path, err) from None

    # ---- reading -------------------------------------------------------------------------
    def load(self) -> Document:
        """The document with its audit trail. The cyclic GC is paused while thousands of model
        objects are built (it dominates bulk loads) and their survivors are frozen afterwards."""
        try:
            # One read transaction: another process saving between the two reads would pair an
            # old body with a newer audit trail, and a save built on that would pass the chain
            # check while silently dropping the other process's change.
            self._con.execute("BEGIN")
            try:
                row = self._con.execute("SELECT body FROM document WHERE id = 1").fetchone()
                events = [r[0] for r in self._con.execute("SELECT event FROM audit ORDER BY seq")]
            finally:
                self._con.execute("COMMIT")
        except (sqlite3.Error, UnicodeDecodeError) as err:
            self._rollback()
            raise DamagedDocumentError(f"'{self.path.name}' cannot be read ({err}).") from None
        if row is None:
            raise DamagedDocumentError(f"'{self.path.name}' is damaged: it has no document record.")
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            data = json_rows.loads_in_pieces(row[0])
            if not isinstance(data, dict):
                raise ValueError("the document record is not an object")
            data["audit"] = json_rows.decode_all(events)
            doc = chunked_validate.validate_document(data)
        except ValidationError as err:
            first = err.errors()[0]
            where = ".".join(str(x) for x in first["loc"])
            # Keys come from the file: keep a hostile one from breaking or forging the sentence.
            where = "".join(ch if ch.isprintable() else "?" for ch in where)[:120]
            raise DamagedDocumentError(
                f"'{self.path.name}' is damaged: {where or 'the document'} is not valid ({first['msg']})."
            ) from None
        except (ValueError, RecursionError) as err:
            raise DamagedDocumentError(f"'{self.path.name}' is damaged: {err}.") from None
        finally:
            if was_enabled:
                gc.enable()
        return doc

    def _query(self, sql: str, params: tuple[object, ...] = ()) -> list[Any]:
        """Rows of a read; a page that quick_check let through but SQLite cannot read is damage."""
        try:
            return self._con.execute(sql, params).fetchall()
        except (sqlite3.Error, UnicodeDecodeError) as err:
            raise DamagedDocumentError(f"'{self.path.name}' cannot be read ({err}).") from None

    def meta(self) -> dict[str, str]:
        return dict(self._query("SELECT key, value FROM meta"))

    def has_blob(self, sha256: str) -> bool:
        return bool(self._query("SELECT 1 FROM blobs WHERE sha256 = ?", (sha256,)))

    def _blob_number(self, sha256: str, column: str) -> int:
        rows = self._query(f"SELECT {column} FROM blobs WHERE sha256 = ?", (sha256,))
        if not rows:
            raise DocumentFileError(f"Evidence {sha256[:12]}… is not stored in '{self.path.name}'.")
        value = rows[0][0]
        if not isinstance(value, int) or value < 0:
            raise DamagedDocumentError(f"Evidence {sha256[:12]}… in '{self.path.name}' is damaged.")
        return value

    def blob_size(self, sha256: str) -> int:
        return self._blob_number(sha256, "size")

    def iter_blob(self, sha256: str) -> Iterator[bytes]:
        """The evidence bytes in chunks; raises if missing or if they no longer hash right."""
        chunks = self._blob_number(sha256, "chunks")
        h = hashlib.sha256()
        for idx in range(chunks):
            rows = self._query("SELECT data FROM blob_chunks WHERE sha256 = ? AND idx = ?", (sha256, idx))
            if not rows or not isinstance(rows[0][0], bytes):
                raise DamagedDocumentError(f"Evidence {sha256[:12]}… in '{self.path.name}' is incomplete.")
            data = rows[0][0]
            h.update(data)
            yield data
        if h.hexdigest() != sha256:
            raise DamagedDocumentError(
                f"Evidence {sha256[:12]}… in '{self.path.name}' does not match its hash."
            )

    def blob_hashes(self) -> set[str]:
        return {r[0] for r in self._query("SELECT sha256 FROM blobs")}

    # ---- writing -------------------------------------------------------------------------
    def add_blob_from_path(
        self, src: str | os.PathLike[str], *, progress: Progress | None = None, cancel: Cancel | None = None
    ) -> StoredBlob:
        """Store a file's bytes (one transaction; nothing stored if cancelled or failing)."""
        self._check_writable()
        self._forget_blobs()
        name = display_filename(src)
        try:
            self._con.execute("BEGIN IMMEDIATE")
            sha, size = self._insert_chunks(iter_file(src, progress=progress, cancel=cancel))
            self._con.execute("COMMIT")
        except SopError:
            self._rollback()
            raise
        except sqlite3.Error as err:
            self._rollback()
            raise _disk_error(self.path, err) from None
        return StoredBlob(sha, size, name, media_type_for(name))

    def _insert_chunks(self, chunks: Iterator[bytes], expect: str | None = None) -> tuple[str, int]:
        """Stream chunks in under a provisional key, then file them under their hash."""
        pending = "pending-" + os.urandom(8).hex()
        h = hashlib.sha256()
        size = idx = 0
        for chunk in chunks:
            h.update(chunk)
            size += len(chunk)
            self._con.execute(
                "INSERT INTO blob_chunks(sha256, idx, data) VALUES (?, ?, ?)", (pending, idx, chunk)
            )
            idx += 1
        sha = h.hexdigest()
        if expect is not None and sha != expect:
            raise DocumentFileError(f"Evidence {expect[:12]}… changed while it was being stored.")
        if self.has_blob(sha):
            self._con.execute("DELETE FROM blob_chunks WHERE sha256 = ?", (pending,))
        else:
            self._con.execute("UPDATE blob_chunks SET sha256 = ? WHERE sha256 = ?", (sha, pending))
            self._con.execute("INSERT INTO blobs(sha256, size, chunks) VALUES (?, ?, ?)", (sha, size, idx))
        return sha, size

    def save(
        self,
        document: Document,
        *,
        blobs: BlobSource | None = None,
        elsewhere: Callable[[str], bool] | None = None,
        meta: dict[str, str] | None = None,
    ) -> None:
        """Write the document, its new audit events, any missing evidence and ``meta`` (extra
        rows of the meta table): one transaction.

        ``elsewhere(sha)`` True means those bytes are kept in another file and need not be
        copied (autosave snapshots rely on the document file for evidence it already has)."""
        self._check_writable()
        self._check_same_file()
        # Straight to UTF-8 bytes, stored by CAST as the same TEXT: model_dump_json would decode
        # them into a str that sqlite3 then encodes back (1.4 ms of a 1,000-node save).
        body = type(document).__pydantic_serializer__.to_json(document, exclude={"audit"})
        needed = {ev.sha256 for node in document.nodes for ev in node.evidence}
        inserted: list[str] = []
        try:
            self._con.execute("BEGIN IMMEDIATE")
            stored = self._con.execute("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
            count = stored[0] if stored else 0
            if count > len(document.audit) or (count and document.audit[count - 1].hash != stored[1]):
                raise TrailMismatchError(
                    f"The audit trail in '{self.path.name}' does not match this document's; it was not overwritten."
                )
            # Rows streamed as UTF-8 bytes, stored as TEXT: a new file (the work file after
            # every save) writes the whole trail, 100,000 events at 10,000 nodes, and the
            # model_dump_json wrapper alone cost more than the serialising.
            self._con.executemany(
                "INSERT INTO audit(seq, hash, event) VALUES (?, ?, CAST(? AS TEXT))",
                ((e.seq, e.hash, type(e).__pydantic_serializer__.to_json(e)) for e in document.audit[count:]),
            )
            self._con.execute("UPDATE document SET body = CAST(? AS TEXT) WHERE id = 1", (body,))
            missing = needed - self._stored_blobs()
            if missing:
                inserted = self._copy_missing(document, missing, blobs, elsewhere)
            rows = {
                **(meta or {}),
                "app_version": __version__,
                "saved_at": utc_now(),
                "document_id": document.id,
                "title": document.title,
            }
            self._con.executemany("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", rows.items())
            self._con.execute("COMMIT")
        except SopError:
            self._rollback()
            raise
        except sqlite3.Error as err:
            self._rollback()
            raise _disk_error(self.path, err) from None
        except OSError as err:
            self._rollback()
            raise DocumentFileError(
                f"Evidence could not be read while saving: {err.strerror or err}."
            ) from None
        if self._blob_cache is not None:
            self._blob_cache[1].update(inserted)

    def stored_blobs(self) -> frozenset[str]:
        """The hashes of the evidence stored in the file now, listed once rather than asked
        one by one (an autosave checks thousands against the document file)."""
        return frozenset(self._stored_blobs())

    def _stored_blobs(self) -> set[str]:
        """The hashes of the evidence stored in the file (inside the caller's write
        transaction when it writes on their strength).

        Kept between saves (listing a few thousand hashes is a millisecond per save) and
        re-read whenever another connection has committed since (``PRAGMA data_version``),
        e.g. a worker staging evidence in the work file. Writes on this connection either
        extend it after their commit (``save``) or drop it (``_forget_blobs``)."""
        (version,) = self._query("PRAGMA data_version")[0]
        if self._blob_cache is None or self._blob_cache[0] != version:
            self._blob_cache = (version, self.blob_hashes())
        return self._blob_cache[1]

    def _forget_blobs(self) -> None:
        self._blob_cache = None

    def _copy_missing(
        self,
        document: Document,
        missing: set[str],
        blobs: BlobSource | None,
        elsewhere: Callable[[str], bool] | None,
    ) -> list[str]:
        """Copy the evidence bytes the file lacks, in document order; returns the new hashes."""
        inserted: list[str] = []
        for node in document.nodes:
            for ev in node.evidence:
                if ev.sha256 not in missing or (elsewhere is not None and elsewhere(ev.sha256)):
                    continue
                if blobs is None or not blobs.has_blob(ev.sha256):
                    raise DocumentFileError(
                        f"The bytes of evidence '{ev.filename}' are missing; nothing was saved."
                    )
                self._insert_chunks(blobs.iter_blob(ev.sha256), expect=ev.sha256)
                missing.discard(ev.sha256)
                inserted.append(ev.sha256)
        return inserted

    def set_meta(self, values: dict[str, str]) -> None:
        self._check_writable()
        try:
            self._con.execute("BEGIN IMMEDIATE")
            self._con.executemany("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", values.items())
            self._con.execute("COMMIT")
        except sqlite3.Error as err:
            self._rollback()
            raise _disk_error(self.path, err) from None

    def copy_to(self, target: str | os.PathLike[str]) -> None:
        """Save As: a consistent copy via the backup API, atomically placed at ``target``."""
        target = Path(target)
        if target.is_dir():
            raise DocumentFileError(f"'{target}' is a folder.")
        try:
            tmp = temp_path_beside(target, ".sop-part")
        except OSError as err:
            raise DocumentFileError(f"Cannot write in '{target.parent}': {err.strerror}.") from None
        try:
            dest = sqlite3.connect(str(tmp), isolation_level=None)
            try:
                self._con.backup(dest)
                dest.execute("PRAGMA journal_mode = DELETE")
            finally:
                dest.close()
            commit_file(tmp, target)
        except (DocumentFileError, sqlite3.Error, OSError) as err:
            raise _write_error(err, tmp, target) from None
        finally:
            with suppress(OSError):
                tmp.unlink()

    # ---- housekeeping ----------------------------------------------------------------------
    def _check_writable(self) -> None:
        if self.read_only:
            raise DocumentFileError(f"'{self.path.name}' is open read-only.")

    def _stat_identity(self) -> tuple[int, int] | None:
        try:
            st = os.stat(self.path)
        except OSError:
            return None
        return (st.st_dev, st.st_ino)

    def file_is_gone_or_replaced(self) -> bool:
        """True if the path no longer names the file we opened (deleted, or replaced by another)."""
        return self._stat_identity() != self._identity

    def _check_same_file(self) -> None:
        if self.file_is_gone_or_replaced():
            raise DocumentFileError(
                f"'{self.path.name}' was moved, deleted or replaced by another program since it was opened; "
                "use Save As to keep your work."
            )

    def _rollback(self) -> None:
        self._forget_blobs()
        with suppress(sqlite3.Error):
            self._con.execute("ROLLBACK")

    def close(self) -> None:
        with suppress(sqlite3.Error):
            self._con.close()

    def __enter__(self) -> DocumentFile:
        return self

    def __exit__(
        self, et: type[BaseException] | None, ev: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
