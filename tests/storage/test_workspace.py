"""The editor's workspace: staged evidence, Save / Save As, autosave and crash recovery."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import textwrap

import pytest

from sopdesigner.editing import EditSession
from sopdesigner.errors import DocumentFileError
from sopdesigner.model import Evidence
from sopdesigner.ops import AttachEvidence, SetNodeFields
from sopdesigner.storage.document_file import DocumentFile
from sopdesigner.storage.paths import autosave_dir
from sopdesigner.storage.workspace import Workspace


def attach(ws: Workspace, path, node="validate"):
    blob = ws.add_evidence_file(path)
    EditSession(ws.document, "a").apply(
        AttachEvidence(
            node, Evidence(id=blob.sha256[:8], sha256=blob.sha256, size=blob.size, filename=blob.filename)
        )
    )
    return blob


def test_untitled_document_with_staged_evidence_saves_and_reopens(tmp_path, doc):
    ev = tmp_path / "metrics.csv"
    ev.write_text("auc,0.91\n")
    ws = Workspace.new(doc)
    blob = attach(ws, ev)
    assert ws.work_path is not None and ws.work_path.parent == autosave_dir()
    ws.save(tmp_path / "new.sop")
    assert ws.work_path is None  # saved: no recovery data left behind
    ws.close()
    again = Workspace.open(tmp_path / "new.sop")
    assert b"".join(again.iter_blob(blob.sha256)) == ev.read_bytes()
    assert again.document == doc
    again.close()
    assert list(autosave_dir().iterdir()) == []


def test_save_as_keeps_evidence_and_switches_path(tmp_path, doc):
    ev = tmp_path / "e.txt"
    ev.write_text("evidence")
    DocumentFile.create(tmp_path / "a.sop", doc).close()
    ws = Workspace.open(tmp_path / "a.sop")
    blob = attach(ws, ev)
    ws.save()
    EditSession(ws.document, "a").apply(SetNodeFields("start", {"title": "Renamed"}))
    ws.save(tmp_path / "b.sop")
    assert ws.path == (tmp_path / "b.sop").resolve()
    with DocumentFile.open(tmp_path / "b.sop") as f:
        assert f.load().node("start").title == "Renamed"
        assert f.has_blob(blob.sha256)
    with DocumentFile.open(tmp_path / "a.sop") as f:
        assert f.load().node("start").title == "Deployment request"
    ws.close()


def test_file_deleted_while_open_is_written_anew_with_its_evidence(tmp_path, doc):
    ev = tmp_path / "e.txt"
    ev.write_text("keep me")
    path = tmp_path / "a.sop"
    ws = Workspace.new(doc)
    blob = attach(ws, ev)
    ws.save(path)
    path.unlink()
    ws.save()
    with DocumentFile.open(path) as f:
        assert b"".join(f.iter_blob(blob.sha256)) == b"keep me"
    ws.close()


def test_file_replaced_while_open_is_not_overwritten(tmp_path, doc):
    path = tmp_path / "a.sop"
    ws = Workspace.new(doc)
    ws.save(path)
    other = tmp_path / "other.sop"
    DocumentFile.create(other, doc).close()
    os.replace(other, path)
    before = path.read_bytes()
    with pytest.raises(DocumentFileError, match="Save As"):
        ws.save()
    assert path.read_bytes() == before
    ws.close()


def test_crashed_session_leaves_a_recoverable_autosave(tmp_path, doc):
    path = tmp_path / "doc.sop"
    DocumentFile.create(path, doc).close()
    script = textwrap.dedent(f"""
        import os
        from sopdesigner.editing import EditSession
        from sopdesigner.ops import SetNodeFields
        from sopdesigner.storage.workspace import Workspace
        ws = Workspace.open({str(path)!r})
        EditSession(ws.document, "a").apply(SetNodeFields("start", {{"title": "Unsaved edit"}}))
        ws.autosave()
        os._exit(9)  # a crash: no save, no clean close
    """)
    env = {**os.environ}
    proc = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 9, proc.stderr
    found = Workspace.recoverable()
    assert len(found) == 1 and found[0].origin_path == str(path.resolve())
    ws = Workspace.recover(found[0])
    assert ws.document.node("start").title == "Unsaved edit"
    assert ws.path == path.resolve()
    with DocumentFile.open(path) as f:  # the document itself was never touched
        assert f.load().node("start").title == "Deployment request"
    ws.save()
    ws.close()
    assert Workspace.recoverable() == []
    with DocumentFile.open(path) as f:
        assert f.load().node("start").title == "Unsaved edit"


def test_own_live_autosave_is_not_offered_for_recovery(doc):
    ws = Workspace.new(doc)
    ws.autosave()
    assert Workspace.recoverable() == []
    ws.close()


def test_evidence_staged_from_a_worker_thread_while_autosaving(tmp_path, doc):
    import threading

    ev = tmp_path / "big.bin"
    ev.write_bytes(os.urandom(3 << 20))
    ws = Workspace.new(doc)
    ws.prepare_evidence_store()
    result = {}

    def worker():
        result["blob"] = ws.add_evidence_file(ev)

    t = threading.Thread(target=worker)
    t.start()
    for _ in range(5):
        try:
            ws.autosave()
        except DocumentFileError as err:  # busy while the worker commits: tried again later
            assert "in use" in str(err)
    t.join(60)
    blob = result["blob"]
    assert ws.has_blob(blob.sha256)
    assert b"".join(ws.iter_blob(blob.sha256)) == ev.read_bytes()
    ws.close()


def test_busy_autosave_keeps_the_work_file_and_its_staged_evidence(tmp_path, doc):
    ev = tmp_path / "staged.txt"
    ev.write_text("only here until the next save")
    ws = Workspace.new(doc)
    blob = attach(ws, ev)
    work = ws.work_path
    other = sqlite3.connect(work, isolation_level=None)  # e.g. a worker staging a large file
    other.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(DocumentFileError, match="in use"):
            ws.autosave()
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert ws.work_path == work and work.exists()
    ws.autosave()  # the next tick succeeds
    assert b"".join(ws.iter_blob(blob.sha256)) == ev.read_bytes()
    ws.save(tmp_path / "kept.sop")
    with DocumentFile.open(tmp_path / "kept.sop") as f:
        assert f.has_blob(blob.sha256)
    ws.close()


def test_autosave_stamps_its_snapshot_and_restarts_it_when_the_trail_diverged(tmp_path, doc):
    DocumentFile.create(tmp_path / "a.sop", doc).close()
    ws = Workspace.open(tmp_path / "a.sop")
    EditSession(ws.document, "a").apply(SetNodeFields("start", {"title": "First"}))
    ws.autosave()
    first = ws.work_path
    with DocumentFile.open(first, read_only=True) as f:
        meta = f.meta()
    assert meta["origin_path"] == str((tmp_path / "a.sop").resolve()) and meta["pid"] == str(os.getpid())
    # As after a revert: the document's trail no longer extends the snapshot's.
    with DocumentFile.open(tmp_path / "a.sop") as f:
        ws.document = f.load()
    EditSession(ws.document, "a").apply(SetNodeFields("start", {"title": "Second"}))
    ws.autosave()
    assert ws.work_path != first and not first.exists()
    with DocumentFile.open(ws.work_path, read_only=True) as f:
        assert f.load().node("start").title == "Second"
        assert f.meta()["pid"] == str(os.getpid())
    ws.close()


def test_autosave_leaves_evidence_the_document_file_holds_where_it_is(tmp_path, doc):
    kept = tmp_path / "kept.txt"
    kept.write_text("in the document file")
    DocumentFile.create(tmp_path / "a.sop", doc).close()
    ws = Workspace.open(tmp_path / "a.sop")
    saved = attach(ws, kept)
    ws.save()  # the bytes now live in a.sop
    staged_file = tmp_path / "staged.txt"
    staged_file.write_text("only in the work file")
    staged = attach(ws, staged_file, node="risk")
    ws.autosave()
    with DocumentFile.open(ws.work_path, read_only=True) as work:
        assert work.blob_hashes() == {staged.sha256}  # not a second copy of saved.sha256
        assert work.load() == ws.document
    ws.save()
    with DocumentFile.open(tmp_path / "a.sop") as f:
        assert f.blob_hashes() == {saved.sha256, staged.sha256}
    ws.close()
