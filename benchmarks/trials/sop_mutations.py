"""Hostile ``.sop`` files: byte-level and SQL-level mutations of real documents.

``mutate(seed_file, out, rnd)`` writes one mutated copy of a real document to ``out`` and
returns the name of what was done. Byte mutations hit the header, random pages, truncate or
append; SQL mutations go through plain ``sqlite3`` (no guard) to plant what a hostile author
would: triggers, views, altered tables, WAL mode, wrong ids and versions, JSON payloads with
huge strings, deep nesting, duplicate keys, unknown fields and wrong types, broken blobs.
"""

from __future__ import annotations

import json
import random
import shutil
import sqlite3
import struct
from collections.abc import Callable
from pathlib import Path

PAGE = 4096

HEADER_FIELDS = {  # offset, struct format, interesting values
    "page_size": (16, ">H", [0, 1, 3, 511, 512, 1024, 32768, 65535]),
    "write_version": (18, ">B", [0, 2, 3, 255]),
    "read_version": (19, ">B", [0, 2, 3, 255]),
    "reserved": (20, ">B", [1, 64, 255]),
    "max_payload": (21, ">B", [0, 32, 255]),
    "change_counter": (24, ">I", [0, 1, 0xFFFFFFFF]),
    "page_count": (28, ">I", [0, 1, 2, 1000, 0x7FFFFFFF, 0xFFFFFFFF]),
    "freelist_trunk": (32, ">I", [1, 2, 0xFFFFFFFF]),
    "freelist_count": (36, ">I", [1, 1000, 0xFFFFFFFF]),
    "schema_cookie": (40, ">I", [0, 12345]),
    "schema_format": (44, ">I", [0, 5, 0xFFFFFFFF]),
    "cache_size": (48, ">I", [0xFFFFFFFF]),
    "autovacuum_root": (52, ">I", [1, 0xFFFFFFFF]),
    "encoding": (56, ">I", [0, 2, 3, 4]),
    "user_version": (60, ">I", [0, 2, 0xFFFFFFFF]),
    "incremental_vacuum": (64, ">I", [1, 0xFFFFFFFF]),
    "application_id": (68, ">I", [0, 1397706821, 0xFFFFFFFF]),
    "version_valid_for": (92, ">I", [0, 0xFFFFFFFF]),
}


def _rand_bytes(rnd: random.Random, n: int) -> bytes:
    return rnd.randbytes(n)


# ------------------------------------------------------------------------------------ bytes
def m_header_byte(data: bytearray, rnd: random.Random) -> str:
    i = rnd.randrange(min(100, len(data)))
    data[i] = rnd.randrange(256)
    return f"header byte {i}"


def m_header_field(data: bytearray, rnd: random.Random) -> str:
    name = rnd.choice(sorted(HEADER_FIELDS))
    offset, fmt, values = HEADER_FIELDS[name]
    value = rnd.choice(values)
    data[offset : offset + struct.calcsize(fmt)] = struct.pack(fmt, value)
    return f"header {name}={value}"


def m_bit_flips(data: bytearray, rnd: random.Random) -> str:
    k = rnd.choice([1, 1, 2, 4, 16, 64])
    for _ in range(k):
        i = rnd.randrange(len(data))
        data[i] ^= 1 << rnd.randrange(8)
    return f"{k} bit flips"


def _page(data: bytearray, rnd: random.Random) -> int:
    return rnd.randrange(max(1, len(data) // PAGE))


def m_page_garbage(data: bytearray, rnd: random.Random) -> str:
    p = _page(data, rnd)
    start = p * PAGE + (100 if p == 0 else 0)
    data[start : (p + 1) * PAGE] = _rand_bytes(rnd, (p + 1) * PAGE - start)
    return f"page {p + 1} garbage"


def m_page_zero(data: bytearray, rnd: random.Random) -> str:
    p = _page(data, rnd)
    start = p * PAGE + (100 if p == 0 else 0)
    data[start : (p + 1) * PAGE] = bytes((p + 1) * PAGE - start)
    return f"page {p + 1} zeroed"


def m_btree_header(data: bytearray, rnd: random.Random) -> str:
    p = _page(data, rnd)
    base = p * PAGE + (100 if p == 0 else 0)
    i = min(base + rnd.randrange(12), len(data) - 1)
    data[i] = rnd.choice([0, 1, 2, 5, 10, 13, 0x7F, 0xFF, rnd.randrange(256)])
    return f"page {p + 1} b-tree header byte"


def m_page_copy(data: bytearray, rnd: random.Random) -> str:
    a, b = _page(data, rnd), _page(data, rnd)
    if a == 0 or b == 0:
        a, b = max(a, 1), max(b, 1)
    data[b * PAGE : (b + 1) * PAGE] = data[a * PAGE : (a + 1) * PAGE]
    return f"page {a + 1} copied over page {b + 1}"


def m_truncate(data: bytearray, rnd: random.Random) -> str:
    n = rnd.choice([rnd.randrange(len(data)), rnd.randrange(max(1, len(data) // PAGE)) * PAGE, 100, 99, 0])
    del data[n:]
    return f"truncated to {n}"


def m_append(data: bytearray, rnd: random.Random) -> str:
    n = rnd.choice([1, 17, PAGE, 3 * PAGE, rnd.randrange(1, 20000)])
    data.extend(_rand_bytes(rnd, n) if rnd.random() < 0.7 else bytes(n))
    return f"appended {n} bytes"


BYTE_MUTATIONS: list[Callable[[bytearray, random.Random], str]] = [
    m_header_byte,
    m_header_field,
    m_bit_flips,
    m_page_garbage,
    m_page_zero,
    m_btree_header,
    m_page_copy,
    m_truncate,
    m_append,
]


# -------------------------------------------------------------------------------------- SQL
def _deep(depth: int, rnd: random.Random) -> str:
    open_, close = rnd.choice([("[", "]"), ('{"a":', "}")])
    return open_ * depth + "1" + close * depth


def _json_mutate(value: object, rnd: random.Random, depth: int = 0) -> object:
    """Replace one random spot in a JSON tree with a hostile value."""
    hostile = [
        None,
        True,
        -1,
        2**70,
        1e308,
        "",
        "x" * rnd.choice([501, 20_001, 2_000_000]),
        [],
        {},
        {"unknown_field": 1},
        "\u202e\u0000\udc80" if False else "\u202e\x00",
        "../../etc/passwd",
        [1] * 300_000,
        "9" * 5000,
    ]
    if isinstance(value, dict) and value and rnd.random() < 0.85:
        key = rnd.choice(sorted(value))
        copy = dict(value)
        if rnd.random() < 0.15:
            copy.pop(key)
        elif rnd.random() < 0.1:
            copy["zz_unknown"] = rnd.choice(hostile)
        else:
            copy[key] = _json_mutate(value[key], rnd, depth + 1)
        return copy
    if isinstance(value, list) and value and rnd.random() < 0.85:
        copy = list(value)
        i = rnd.randrange(len(copy))
        action = rnd.random()
        if action < 0.1:
            copy.append(copy[i])  # duplicate ids
        elif action < 0.2:
            copy.pop(i)
        else:
            copy[i] = _json_mutate(copy[i], rnd, depth + 1)
        return copy
    return rnd.choice(hostile)


def _body(con: sqlite3.Connection) -> dict:
    return json.loads(con.execute("SELECT body FROM document WHERE id = 1").fetchone()[0])


def s_body_tree(con: sqlite3.Connection, rnd: random.Random) -> str:
    body = _json_mutate(_body(con), rnd)
    con.execute("UPDATE document SET body = ? WHERE id = 1", (json.dumps(body),))
    return "document body: one value replaced"


def s_body_text(con: sqlite3.Connection, rnd: random.Random) -> str:
    raw = con.execute("SELECT body FROM document WHERE id = 1").fetchone()[0]
    choices = {
        "deep nesting": _deep(rnd.choice([1000, 100_000]), rnd),
        "duplicate keys": raw[:-1] + ', "title": "twice", "title": "thrice"}',
        "NaN": raw.replace('"x":', '"x":NaN,"y":', 1) if '"x":' in raw else '{"id": NaN}',
        "Infinity": '{"id": "a", "title": Infinity}',
        "not an object": rnd.choice(["[]", '"text"', "5", "null", "true"]),
        "invalid JSON": raw[: rnd.randrange(len(raw))],
        "empty": "",
        "huge string": json.dumps({**json.loads(raw), "title": "t" * 5_000_000}),
        "invalid UTF-8 blob": b"\xff\xfe" + raw.encode()[:100],
        "lone surrogate": raw.replace('"title":"', '"title":"\\udc80', 1),
        "integer body": 12345,
    }
    name = rnd.choice(sorted(choices))
    con.execute("UPDATE document SET body = ? WHERE id = 1", (choices[name],))
    return f"document body: {name}"


def s_no_document(con: sqlite3.Connection, rnd: random.Random) -> str:
    con.execute("DELETE FROM document")
    return "document row deleted"


def s_audit(con: sqlite3.Connection, rnd: random.Random) -> str:
    rows = con.execute("SELECT seq, event FROM audit").fetchall()
    if not rows:
        con.execute("INSERT INTO audit(seq, hash, event) VALUES (1, 'x', '{\"seq\": \"one\"}')")
        return "audit: garbage event planted"
    seq, event = rnd.choice(rows)
    action = rnd.randrange(5)
    if action == 0:
        con.execute("DELETE FROM audit WHERE seq = ?", (seq,))
        return "audit: event deleted"
    if action == 1:
        con.execute(
            "UPDATE audit SET event = ? WHERE seq = ?",
            (json.dumps(_json_mutate(json.loads(event), rnd)), seq),
        )
        return "audit: event value replaced"
    if action == 2:
        con.execute("UPDATE audit SET event = ? WHERE seq = ?", (_deep(50_000, rnd), seq))
        return "audit: deeply nested event"
    if action == 3:
        con.execute("UPDATE audit SET event = ? WHERE seq = ?", (event[: len(event) // 2], seq))
        return "audit: truncated event JSON"
    con.execute("INSERT INTO audit(seq, hash, event) VALUES (?, ?, ?)", (seq + 10_000, "h", event))
    return "audit: duplicated event"


def s_schema_object(con: sqlite3.Connection, rnd: random.Random) -> str:
    sql = rnd.choice(
        [
            "CREATE TRIGGER t AFTER UPDATE ON document BEGIN DELETE FROM audit; END",
            "CREATE TRIGGER t BEFORE INSERT ON audit BEGIN SELECT RAISE(IGNORE); END",
            "CREATE VIEW v AS SELECT * FROM document",
            "CREATE INDEX i ON audit(hash)",
            "CREATE TABLE extra(x)",
            "ALTER TABLE meta ADD COLUMN evil TEXT",
            "DROP TABLE blobs",
            "ALTER TABLE audit RENAME TO audit2",
            "CREATE TEMP TABLE harmless(x)",
        ]
    )
    con.execute(sql)
    return f"schema: {sql.split(' AS ')[0][:60]}"


def s_writable_schema(con: sqlite3.Connection, rnd: random.Random) -> str:
    con.execute("PRAGMA writable_schema = ON")
    table = rnd.choice(["document", "audit", "meta", "blobs"])
    change = rnd.choice(
        [
            ("sql", "CREATE TABLE {t}(x)"),
            ("sql", "CREATE TABLE {t}(id INTEGER PRIMARY KEY, body TEXT NOT NULL) -- comment"),
            ("rootpage", 999_999),
            ("rootpage", 1),
            ("name", "other"),
        ]
    )
    column, value = change
    if isinstance(value, str):
        value = value.format(t=table)
    con.execute(f"UPDATE sqlite_master SET {column} = ? WHERE name = ?", (value, table))
    con.execute("PRAGMA writable_schema = OFF")
    return f"sqlite_master.{column} of {table} edited"


def s_pragmas(con: sqlite3.Connection, rnd: random.Random) -> str:
    sql = rnd.choice(
        [
            "PRAGMA application_id = 42",
            "PRAGMA application_id = 0",
            "PRAGMA user_version = 0",
            "PRAGMA user_version = 2",
            "PRAGMA user_version = -1",
            "PRAGMA journal_mode = WAL",
            "PRAGMA page_size = 512",
            "PRAGMA page_size = 65536",
            "PRAGMA auto_vacuum = FULL",
        ]
    )
    con.execute(sql)
    if "page_size" in sql or "auto_vacuum" in sql:
        con.execute("VACUUM")  # valid documents with other layouts: they must open
    return sql


def s_blobs(con: sqlite3.Connection, rnd: random.Random) -> str:
    rows = con.execute("SELECT sha256 FROM blobs").fetchall()
    if not rows:
        con.execute("INSERT INTO blobs(sha256, size, chunks) VALUES ('zz', -5, 99999999)")
        return "blobs: bogus row"
    (sha,) = rnd.choice(rows)
    sql = rnd.choice(
        [
            "UPDATE blobs SET chunks = chunks + 1 WHERE sha256 = ?",
            "UPDATE blobs SET size = -1 WHERE sha256 = ?",
            "UPDATE blobs SET chunks = 9223372036854775807 WHERE sha256 = ?",
            "UPDATE blob_chunks SET data = x'00' WHERE sha256 = ?",
            "DELETE FROM blob_chunks WHERE sha256 = ?",
            "UPDATE blob_chunks SET data = 'text' WHERE sha256 = ?",
            "UPDATE blobs SET chunks = 'many' WHERE sha256 = ?",
        ]
    )
    con.execute(sql, (sha,))
    return f"blobs: {sql.split(' WHERE')[0]}"


def s_meta(con: sqlite3.Connection, rnd: random.Random) -> str:
    con.execute(
        "INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)",
        (rnd.choice(["title", "pid", "x"]), "m" * 1_000_000),
    )
    return "meta: huge value"


SQL_MUTATIONS: list[Callable[[sqlite3.Connection, random.Random], str]] = [
    s_body_tree,
    s_body_tree,
    s_body_tree,
    s_body_text,
    s_body_text,
    s_no_document,
    s_audit,
    s_audit,
    s_schema_object,
    s_writable_schema,
    s_pragmas,
    s_blobs,
    s_meta,
]


def mutate(seed_file: Path, out: Path, rnd: random.Random) -> str:
    """Write a mutated copy of ``seed_file`` to ``out``; returns what was done."""
    done = []
    if rnd.random() < 0.5:
        shutil.copyfile(seed_file, out)
        con = sqlite3.connect(out, isolation_level=None)
        con.execute("PRAGMA synchronous = OFF")  # a scratch copy: no need to fsync
        try:
            for _ in range(rnd.choice([1, 1, 1, 2, 3])):
                done.append(rnd.choice(SQL_MUTATIONS)(con, rnd))
        except Exception as err:
            done.append(f"(stopped: {err})")
        finally:
            con.close()
        for side in (Path(str(out) + "-wal"), Path(str(out) + "-shm"), Path(str(out) + "-journal")):
            side.unlink(missing_ok=True)
        if rnd.random() < 0.2:
            data = bytearray(out.read_bytes())
            done.append(rnd.choice(BYTE_MUTATIONS)(data, rnd))
            out.write_bytes(bytes(data))
    else:
        data = bytearray(seed_file.read_bytes())
        for _ in range(rnd.choice([1, 1, 1, 2, 3])):
            if data:
                done.append(rnd.choice(BYTE_MUTATIONS)(data, rnd))
        out.write_bytes(bytes(data))
    return "; ".join(done)
