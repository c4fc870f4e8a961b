"""Checks a file must pass before anything in it is trusted (the hostile-file defence).

Order matters: the 100-byte header is read with plain file I/O first (magic string,
application id, schema version, WAL flag, size consistent with the page count), so a text
file, another program's database, a future version or a truncated copy is refused before
SQLite parses a single page. Then, on a connection with ``trusted_schema=OFF``,
``cell_size_check=ON`` and no memory mapping: ``quick_check`` and an exact schema allow-list
(no triggers, no views, no altered tables). A progress handler bounds the time spent.
"""

from __future__ import annotations

import sqlite3
import struct
import sys
import time
from pathlib import Path

from sopdesigner.errors import DamagedDocumentError, DocumentFileError, FutureVersionError, NotADocumentError
from sopdesigner.storage.schema import APPLICATION_ID, AUTO_INDEXES, SCHEMA_VERSION, TABLES, normalise_sql

MAGIC = b"SQLite format 3\x00"
CHECK_SECONDS = 60.0  # quick_check of a multi-GB evidence store stays well inside this


def check_header(path: Path, *, hot_journal: bool = False) -> int:
    """Validate the database header; returns the file's schema version (user_version).

    With ``hot_journal`` (a ``-journal`` left by a crash mid-commit) the size checks are
    skipped: page 1 may already carry the new page count while later pages were never
    written. SQLite rolls the journal back on the first read and ``quick_check`` follows."""
    name = path.name
    try:
        with open(path, "rb") as f:
            header = f.read(100)
            size = f.seek(0, 2)
    except FileNotFoundError:
        raise DocumentFileError(f"The file '{path}' does not exist.") from None
    except IsADirectoryError:
        raise DocumentFileError(f"'{path}' is a folder, not a document.") from None
    except PermissionError:
        raise DocumentFileError(f"Permission denied reading '{path}'.") from None
    if len(header) < 100 or not header.startswith(MAGIC):
        if size == 0:
            raise NotADocumentError(f"'{name}' is empty, so it is not a SOP Designer document.")
        raise NotADocumentError(f"'{name}' is not a SOP Designer document (it is not an SQLite database).")
    (application_id,) = struct.unpack(">I", header[68:72])
    if application_id != APPLICATION_ID:
        raise NotADocumentError(f"'{name}' is a database of another program, not a SOP Designer document.")
    page_size = struct.unpack(">H", header[16:18])[0]
    page_size = 65536 if page_size == 1 else page_size
    if page_size < 512 or page_size & (page_size - 1):
        raise DamagedDocumentError(f"'{name}' is damaged (its header is not valid).")
    if header[18] == 2 or header[19] == 2:
        raise NotADocumentError(
            f"'{name}' uses write-ahead logging, which SOP Designer documents never do; it was not saved by SOP Designer."
        )
    (page_count,) = struct.unpack(">I", header[28:32])
    change_counter, version_valid_for = (
        struct.unpack(">I", header[24:28])[0],
        struct.unpack(">I", header[92:96])[0],
    )
    if not hot_journal and change_counter == version_valid_for and page_count and size < page_count * page_size:
        raise DamagedDocumentError(f"'{name}' is damaged: the file is truncated.")
    if not hot_journal and size % page_size:
        raise DamagedDocumentError(f"'{name}' is damaged: its size is not a whole number of pages.")
    (user_version,) = struct.unpack(">I", header[60:64])
    if user_version > SCHEMA_VERSION:
        raise FutureVersionError(
            f"'{name}' was saved by a newer SOP Designer (file format {user_version}; this version reads up to "
            f"{SCHEMA_VERSION}); please upgrade."
        )
    if user_version < 1:
        raise NotADocumentError(f"'{name}' is not a SOP Designer document (it has no schema version).")
    return user_version


def harden(con: sqlite3.Connection) -> None:
    """Connection settings for reading a file we do not trust yet."""
    if sys.version_info >= (3, 12):
        con.setconfig(sqlite3.SQLITE_DBCONFIG_DEFENSIVE, True)  # type: ignore[attr-defined]
        con.setconfig(sqlite3.SQLITE_DBCONFIG_ENABLE_TRIGGER, False)  # type: ignore[attr-defined]
        con.setconfig(sqlite3.SQLITE_DBCONFIG_ENABLE_VIEW, False)  # type: ignore[attr-defined]
    con.execute("PRAGMA trusted_schema = OFF")
    con.execute("PRAGMA cell_size_check = ON")
    con.execute("PRAGMA mmap_size = 0")
    con.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, 1 << 30)
    con.setlimit(sqlite3.SQLITE_LIMIT_SQL_LENGTH, 1 << 20)


def check_connection(con: sqlite3.Connection, name: str) -> None:
    """quick_check and the schema allow-list, bounded in time."""
    deadline = time.monotonic() + CHECK_SECONDS
    con.set_progress_handler(lambda: 1 if time.monotonic() > deadline else 0, 100_000)
    # quick_check quotes damaged bytes and a hostile schema may hold invalid UTF-8: decode
    # leniently here (the allow-list comparison then refuses mangled names).
    text_factory = con.text_factory
    con.text_factory = lambda b: b.decode("utf-8", "replace")
    try:
        try:
            rows = con.execute("PRAGMA quick_check").fetchall()
        except sqlite3.DatabaseError as err:
            raise DamagedDocumentError(f"'{name}' is damaged and cannot be read ({err}).") from None
        except UnicodeDecodeError:  # SQLite's own error message quoted damaged bytes
            raise DamagedDocumentError(f"'{name}' is damaged and cannot be read.") from None
        if rows != [("ok",)]:
            raise DamagedDocumentError(f"'{name}' is damaged: it failed SQLite's integrity check.")
        (app_id,) = con.execute("PRAGMA application_id").fetchone()
        if app_id != APPLICATION_ID:
            raise NotADocumentError(
                f"'{name}' is a database of another program, not a SOP Designer document."
            )
        schema = con.execute("SELECT type, name, tbl_name, sql FROM sqlite_master").fetchall()
    except sqlite3.OperationalError as err:
        if "interrupted" in str(err):
            raise DamagedDocumentError(
                f"'{name}' took too long to check; it may be damaged or hostile."
            ) from None
        raise DamagedDocumentError(f"'{name}' is damaged and cannot be read ({err}).") from None
    finally:
        con.set_progress_handler(None, 0)
        con.text_factory = text_factory
    tables = {}
    for kind, obj, _tbl, sql in schema:
        if not isinstance(kind, str) or not isinstance(obj, str) or not isinstance(sql, str | None):
            raise DamagedDocumentError(f"'{name}' is damaged: its schema is not readable.")
        if kind == "table":
            tables[obj] = sql
        elif kind == "index" and obj in AUTO_INDEXES and sql is None:
            continue
        else:
            raise NotADocumentError(
                f"'{name}' contains a {kind} '{obj}' that SOP Designer documents never have; it was refused."
            )
    if set(tables) != set(TABLES) or any(
        normalise_sql(tables[t]) != normalise_sql(TABLES[t]) for t in TABLES
    ):
        raise NotADocumentError(f"'{name}' does not have the tables of a SOP Designer document.")
