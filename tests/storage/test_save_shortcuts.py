"""The save path's shortcuts leave the file exactly as the plain path did: the body is stored as
TEXT byte for byte, and the remembered list of stored evidence is never trusted past another
connection's commit, a write on the same connection or a save that rolled back."""

from __future__ import annotations

import hashlib
import json
import sqlite3

import pytest

from sopdesigner.editing import EditSession
from sopdesigner.errors import DocumentFileError
from sopdesigner.model import Evidence
from sopdesigner.ops import AttachEvidence, SetItemDone
from sopdesigner.storage.blobs import FileBlobs
from sopdesigner.storage.document_file import DocumentFile


@pytest.fixture
def saved(tmp_path, doc):
    path = tmp_path / "doc.sop"
    DocumentFile.create(path, doc).close()
    return path


def _attach(doc, tmp_path, name: str, node: str = "risk") -> tuple[str, FileBlobs]:
    src = tmp_path / name
    src.write_bytes(f"bytes of {name} — ü".encode())
    sha = hashlib.sha256(src.read_bytes()).hexdigest()
    EditSession(doc, "a").apply(
        AttachEvidence(node, Evidence(id=f"ev-{name}", sha256=sha, size=src.stat().st_size, filename=name))
    )
    return sha, FileBlobs({sha: src})


def _stored_hashes(path) -> set[str]:
    con = sqlite3.connect(path)
    try:
        return {r[0] for r in con.execute("SELECT sha256 FROM blobs")}
    finally:
        con.close()


def test_body_is_stored_as_the_same_text(saved, doc):
    doc.title = "Übersicht — 模型审批 ✓"  # non-ASCII: the body is UTF-8 text, not a blob
    with DocumentFile.open(saved) as f:
        f.save(doc)
        assert f.load() == doc
    con = sqlite3.connect(saved)
    kind, body = con.execute("SELECT typeof(body), body FROM document").fetchone()
    con.close()
    assert kind == "text"
    assert body == doc.model_dump_json(exclude={"audit"})
    assert json.loads(body)["title"] == "Übersicht — 模型审批 ✓"


def test_audit_events_are_stored_as_the_same_text(saved, doc):
    session = EditSession(doc, "Zoë Ångström")
    session.apply(SetItemDone("validate", "metrics", True))
    with DocumentFile.open(saved) as f:
        f.save(doc)
        assert f.load() == doc
    con = sqlite3.connect(saved)
    rows = con.execute("SELECT seq, hash, typeof(event), event FROM audit ORDER BY seq").fetchall()
    con.close()
    assert rows and rows == [(e.seq, e.hash, "text", e.model_dump_json()) for e in doc.audit]


def test_evidence_removed_by_another_connection_is_noticed(saved, doc, tmp_path):
    sha, blobs = _attach(doc, tmp_path, "a.txt")
    with DocumentFile.open(saved) as f:
        f.save(doc, blobs=blobs)  # lists the stored evidence and keeps the list
        con = sqlite3.connect(saved)
        con.execute("DELETE FROM blob_chunks WHERE sha256 = ?", (sha,))
        con.execute("DELETE FROM blobs WHERE sha256 = ?", (sha,))
        con.commit()
        con.close()
        with pytest.raises(DocumentFileError, match=r"'a\.txt' are missing"):
            f.save(doc)
        f.save(doc, blobs=blobs)
        assert b"".join(f.iter_blob(sha)) == blobs.files[sha].read_bytes()


def test_evidence_added_on_the_same_connection_is_seen(saved, doc, tmp_path):
    with DocumentFile.open(saved) as f:
        f.save(doc)
        src = tmp_path / "b.txt"
        src.write_bytes(b"staged directly")
        stored = f.add_blob_from_path(src)
        EditSession(doc, "a").apply(
            AttachEvidence("risk", Evidence(id="e", sha256=stored.sha256, size=stored.size, filename="b.txt"))
        )
        f.save(doc)  # no blob source: the bytes are already in the file
    assert _stored_hashes(saved) == {stored.sha256}


def test_a_rolled_back_save_does_not_count_its_evidence_as_stored(saved, doc, tmp_path):
    first, blobs = _attach(doc, tmp_path, "first.txt")
    missing = "d" * 64
    EditSession(doc, "a").apply(
        AttachEvidence("decide", Evidence(id="gone", sha256=missing, size=1, filename="gone.txt"))
    )
    with DocumentFile.open(saved) as f:
        f.save(doc.model_copy(update={"nodes": []}))  # the list of stored evidence is now kept
        with pytest.raises(DocumentFileError, match=r"'gone\.txt' are missing"):
            f.save(doc, blobs=blobs)  # copies first.txt (on risk), fails on decide: all rolled back
        assert _stored_hashes(saved) == set()
        for node in doc.nodes:
            node.evidence = [e for e in node.evidence if e.sha256 != missing]
        with pytest.raises(DocumentFileError, match=r"'first\.txt' are missing"):
            f.save(doc)
        f.save(doc, blobs=blobs)
    assert _stored_hashes(saved) == {first}


def test_later_saves_keep_evidence_and_trail(saved, doc, tmp_path):
    sha, blobs = _attach(doc, tmp_path, "c.txt")
    with DocumentFile.open(saved) as f:
        f.save(doc, blobs=blobs)
        EditSession(doc, "a").apply(SetItemDone("validate", "metrics", True))
        f.save(doc)  # the evidence is known to be stored: no source needed
    with DocumentFile.open(saved) as f:
        assert f.load() == doc
        assert f.blob_hashes() == {sha}
