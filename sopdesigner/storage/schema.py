"""The ``.sop`` file's SQL schema, its version, and the migrations that bring old files up to date.

The schema is checked against this exact allow-list when a file is opened, so a file with an
extra trigger, view or altered table is refused before anything in it is trusted.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

APPLICATION_ID = 0x534F5044  # "SOPD" = 1397706820
SCHEMA_VERSION = 1
CHUNK_SIZE = 1 << 20  # evidence is stored and streamed in 1 MiB chunks

TABLES: dict[str, str] = {
    "migrations": "CREATE TABLE migrations(version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL, "
    "description TEXT NOT NULL)",
    "meta": "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    # The document minus its audit trail, as compact JSON (one row).
    "document": "CREATE TABLE document(id INTEGER PRIMARY KEY CHECK (id = 1), body TEXT NOT NULL)",
    # One row per audit event; rows are only ever inserted, never updated or deleted.
    "audit": "CREATE TABLE audit(seq INTEGER PRIMARY KEY, hash TEXT NOT NULL, event TEXT NOT NULL)",
    "blobs": "CREATE TABLE blobs(sha256 TEXT PRIMARY KEY, size INTEGER NOT NULL, chunks INTEGER NOT NULL)",
    "blob_chunks": "CREATE TABLE blob_chunks(sha256 TEXT NOT NULL, idx INTEGER NOT NULL, data BLOB NOT NULL, "
    "PRIMARY KEY(sha256, idx)) WITHOUT ROWID",
}

#: Indexes SQLite makes by itself for the primary keys above.
AUTO_INDEXES = {"sqlite_autoindex_meta_1", "sqlite_autoindex_blobs_1"}


def create_schema(con: sqlite3.Connection, now: str) -> None:
    """Create a version-``SCHEMA_VERSION`` schema inside the caller's transaction."""
    for sql in TABLES.values():
        con.execute(sql)
    con.execute(
        "INSERT INTO migrations(version, applied_at, description) VALUES (?, ?, ?)",
        (SCHEMA_VERSION, now, "initial schema"),
    )
    con.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    con.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


#: version → (description, upgrade from version-1). Each runs in the opening transaction.
MIGRATIONS: dict[int, tuple[str, Callable[[sqlite3.Connection], None]]] = {}


def normalise_sql(sql: str | None) -> str:
    return " ".join((sql or "").split()).lower()
