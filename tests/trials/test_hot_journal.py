"""A file left mid-commit by a crash (a hot journal beside it) opens and rolls back to the
last committed state, even when page 1 already carries the new, larger page count: the state
the kill-during-write trial caught once in 70 kills before the header check allowed for it."""

from __future__ import annotations

import os
import sqlite3
import struct
import subprocess
import sys
from pathlib import Path

from sopdesigner.storage.document_file import DocumentFile
from tests.factories import make_document

CHILD = """
import os, sqlite3, sys
con = sqlite3.connect(sys.argv[1], isolation_level=None)
con.execute("PRAGMA journal_mode = DELETE")
con.execute("PRAGMA cache_size = 2")  # dirty pages spill into the file before the commit
con.execute("BEGIN IMMEDIATE")
con.execute("UPDATE document SET body = ? WHERE id = 1", ("x" * 2_000_000,))
os._exit(9)  # die with the transaction open: the journal stays hot
"""


def test_hot_journal_with_a_grown_page_count_rolls_back(tmp_path: Path):
    path = tmp_path / "doc.sop"
    DocumentFile.create(path, make_document()).close()
    with DocumentFile.open(path, read_only=True) as f:
        committed = f.load().model_dump_json()
    subprocess.run([sys.executable, "-c", CHILD, str(path)], check=False, timeout=60)
    journal = Path(f"{path}-journal")
    assert journal.exists() and journal.stat().st_size > 0
    data = bytearray(path.read_bytes())
    page_size = struct.unpack(">H", data[16:18])[0]
    # Page 1 as a crash can leave it: the new page count, beyond what reached the disk.
    data[28:32] = struct.pack(">I", len(data) // page_size + 40)
    data[92:96] = data[24:28]  # version-valid-for = change counter, so the count is believed
    path.write_bytes(bytes(data))

    with DocumentFile.open(path) as f:
        assert f.load().model_dump_json() == committed
    assert not journal.exists()
    con = sqlite3.connect(path)
    try:
        assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    finally:
        con.close()
    assert os.path.getsize(path) % page_size == 0
