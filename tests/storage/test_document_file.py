"""The .sop file on real disk: contract pragmas, one-transaction saves, blobs, hostile files."""

from __future__ import annotations

import hashlib
import sqlite3

import pytest

from sopdesigner.editing import EditSession
from sopdesigner.errors import DamagedDocumentError, DocumentFileError, FutureVersionError, NotADocumentError
from sopdesigner.model import Evidence
from sopdesigner.ops import AttachEvidence, SetItemDone
from sopdesigner.storage.blobs import FileBlobs, hash_file
from sopdesigner.storage.document_file import DocumentFile
from sopdesigner.storage.schema import CHUNK_SIZE


@pytest.fixture
def saved(tmp_path, doc):
    path = tmp_path / "doc.sop"
    DocumentFile.create(path, doc).close()
    return path


def pragma(path, name):
    con = sqlite3.connect(path)
    try:
        return con.execute(f"PRAGMA {name}").fetchone()[0]
    finally:
        con.close()


def test_new_file_has_contract_pragmas_and_round_trips(saved, doc):
    assert pragma(saved, "application_id") == 1397706820
    assert pragma(saved, "user_version") == 1
    assert pragma(saved, "journal_mode") == "delete"
    with DocumentFile.open(saved) as f:
        assert f.load() == doc
    con = sqlite3.connect(saved)
    assert con.execute("SELECT version FROM migrations").fetchall() == [(1,)]
    con.close()


def test_no_side_files_after_save(saved, doc, tmp_path):
    with DocumentFile.open(saved) as f:
        EditSession(doc, "a").apply(SetItemDone("validate", "metrics", True))
        f.save(doc)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["doc.sop"]


def test_create_refuses_to_overwrite(saved, doc):
    with pytest.raises(DocumentFileError, match="already exists"):
        DocumentFile.create(saved, doc)


def test_large_evidence_is_chunked_stored_once_and_streamed(tmp_path, saved, doc):
    big = tmp_path / "big.bin"
    big.write_bytes(bytes(range(256)) * (CHUNK_SIZE // 256 * 3 + 7))
    sha, size = hash_file(big)
    session = EditSession(doc, "a")
    for i, node in enumerate(("validate", "risk")):  # the same bytes on two nodes
        session.apply(AttachEvidence(node, Evidence(id=f"e{i}", sha256=sha, size=size, filename="big.bin")))
    with DocumentFile.open(saved) as f:
        f.save(doc, blobs=FileBlobs({sha: big}))
        chunks = list(f.iter_blob(sha))
    assert len(chunks) == 4 and max(len(c) for c in chunks) == CHUNK_SIZE
    assert hashlib.sha256(b"".join(chunks)).hexdigest() == sha
    con = sqlite3.connect(saved)
    assert con.execute("SELECT COUNT(*) FROM blobs").fetchone()[0] == 1
    con.close()


def test_save_without_the_evidence_bytes_changes_nothing(saved, doc):
    before = saved.read_bytes()
    EditSession(doc, "a").apply(
        AttachEvidence("risk", Evidence(id="e", sha256="c" * 64, size=1, filename="x"))
    )
    with DocumentFile.open(saved) as f, pytest.raises(DocumentFileError, match="missing"):
        f.save(doc)
    assert saved.read_bytes() == before


def test_audit_table_is_append_only(saved, doc, tmp_path):
    EditSession(doc, "a").apply(SetItemDone("validate", "metrics", True))
    with DocumentFile.open(saved) as f:
        f.save(doc)
    other = DocumentFile.open(saved).load()
    other.audit.clear()
    with DocumentFile.open(saved) as f, pytest.raises(DocumentFileError, match="audit trail"):
        f.save(other)


def test_save_as_uses_a_complete_copy(saved, doc, tmp_path):
    target = tmp_path / "копия.sop"
    with DocumentFile.open(saved) as f:
        f.copy_to(target)
    with DocumentFile.open(target) as g:
        assert g.load() == doc


def test_read_only_open_refuses_writes(saved, doc):
    with DocumentFile.open(saved, read_only=True) as f, pytest.raises(DocumentFileError, match="read-only"):
        f.save(doc)


def _text(p, src):
    p.write_text("just some notes\n" * 20)


def _truncated(p, src):
    p.write_bytes(src.read_bytes()[: 4096 + 100])


def _other_db(p, src):
    con = sqlite3.connect(p)
    con.execute("CREATE TABLE t(x)")
    con.commit()
    con.close()


def _future(p, src):
    p.write_bytes(src.read_bytes())
    con = sqlite3.connect(p)
    con.execute("PRAGMA user_version = 99")
    con.commit()
    con.close()


def _trigger(p, src):
    p.write_bytes(src.read_bytes())
    con = sqlite3.connect(p)
    con.execute("CREATE TRIGGER t AFTER INSERT ON audit BEGIN DELETE FROM audit; END")
    con.commit()
    con.close()


def _view(p, src):
    p.write_bytes(src.read_bytes())
    con = sqlite3.connect(p)
    con.execute("CREATE VIEW v AS SELECT 1")
    con.commit()
    con.close()


def _altered_table(p, src):
    p.write_bytes(src.read_bytes())
    con = sqlite3.connect(p)
    con.execute("ALTER TABLE meta ADD COLUMN extra TEXT")
    con.commit()
    con.close()


def _wal(p, src):
    p.write_bytes(src.read_bytes())
    con = sqlite3.connect(p)
    con.execute("PRAGMA journal_mode = WAL")
    con.close()


def _bad_json(p, src):
    p.write_bytes(src.read_bytes())
    con = sqlite3.connect(p)
    con.execute('UPDATE document SET body = \'{"id": 5, "nodes": "x"}\'')
    con.commit()
    con.close()


def _nan(p, src):
    p.write_bytes(src.read_bytes())
    con = sqlite3.connect(p)
    con.execute('UPDATE document SET body = \'{"id": "d", "nodes": [], "x": NaN}\'')
    con.commit()
    con.close()


def _empty(p, src):
    p.write_bytes(b"")


HOSTILE = {
    "text": (_text, NotADocumentError),
    "truncated": (_truncated, DamagedDocumentError),
    "other-program": (_other_db, NotADocumentError),
    "future": (_future, FutureVersionError),
    "trigger": (_trigger, NotADocumentError),
    "view": (_view, NotADocumentError),
    "altered-table": (_altered_table, NotADocumentError),
    "wal": (_wal, NotADocumentError),
    "empty": (_empty, NotADocumentError),
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_files_are_refused_unmodified(tmp_path, saved, name):
    make, error = HOSTILE[name]
    p = tmp_path / f"{name}.sop"
    make(p, saved)
    before = p.read_bytes()
    with pytest.raises(error) as info:
        DocumentFile.open(p)
    message = str(info.value)
    assert message.endswith(".") and "\n" not in message
    assert p.read_bytes() == before


@pytest.mark.parametrize("make", [_bad_json, _nan])
def test_damaged_document_record_is_refused_on_load(tmp_path, saved, make):
    p = tmp_path / "bad.sop"
    make(p, saved)
    before = p.read_bytes()
    with DocumentFile.open(p) as f, pytest.raises(DamagedDocumentError):
        f.load()
    assert p.read_bytes() == before


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(DocumentFileError, match="does not exist"):
        DocumentFile.open(tmp_path / "nope.sop")
    with pytest.raises(DocumentFileError, match="folder"):
        DocumentFile.open(tmp_path)


def test_attach_refuses_non_regular_files(saved, tmp_path):
    with DocumentFile.open(saved) as f:
        with pytest.raises(DocumentFileError, match="not a regular file"):
            f.add_blob_from_path("/dev/zero")
        with pytest.raises(DocumentFileError, match="not a regular file"):
            f.add_blob_from_path(tmp_path)


def test_cancelled_blob_store_leaves_nothing(saved, tmp_path):
    from sopdesigner.errors import CancelledError

    big = tmp_path / "big.bin"
    big.write_bytes(b"x" * (CHUNK_SIZE * 3))
    calls = []
    with DocumentFile.open(saved) as f:
        with pytest.raises(CancelledError):
            f.add_blob_from_path(big, cancel=lambda: len(calls) > 1, progress=lambda d, t: calls.append(d))
        assert f.blob_hashes() == set()
    con = sqlite3.connect(saved)
    assert con.execute("SELECT COUNT(*) FROM blob_chunks").fetchone()[0] == 0
    con.close()


class _PausingConnection:
    """A connection that runs ``between`` right after the document body is read, the moment
    another process's save would do the most harm to a load (CI hit this by chance once)."""

    def __init__(self, con, between):
        self._con, self._between = con, between

    def execute(self, sql, *args):
        cursor = self._con.execute(sql, *args)
        if sql.startswith("SELECT body") and self._between:
            between, self._between = self._between, None
            between()
        return cursor

    def __getattr__(self, name):
        return getattr(self._con, name)


def test_a_save_landing_mid_load_is_never_silently_dropped(saved):
    """Another writer saves between our read of the body and of the audit trail: our load must
    see one consistent state, so our own later save is refused as stale, not a lost update."""
    import threading

    def other_writer():
        with DocumentFile.open(saved) as f:
            theirs = f.load()
            EditSession(theirs, "other job").apply(SetItemDone("validate", "metrics", True))
            f.save(theirs)

    def race():
        writer = threading.Thread(target=other_writer)
        writer.start()
        # Long enough for the other save to land if our read does not hold it off.
        writer.join(timeout=2.0)
        threads.append(writer)

    threads: list[threading.Thread] = []
    ours = DocumentFile.open(saved)
    try:
        ours._con = _PausingConnection(ours._con, race)
        mine = ours.load()
        seen_other = any(e.actor == "other job" for e in mine.audit)
        assert mine.node("validate").checklist[0].done == seen_other  # body and trail agree
        EditSession(mine, "this job").apply(SetItemDone("risk", "privacy", True))
        try:
            ours.save(mine)
        except DocumentFileError as err:
            assert "does not match" in str(err)
    finally:
        ours.close()
        for t in threads:
            t.join()
    final = DocumentFile.open(saved).load()
    assert final.node("validate").checklist[0].done, "the other job's tick was lost"
