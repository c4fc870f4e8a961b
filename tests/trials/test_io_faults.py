"""I/O faults: a full disk, read-only folders, permission denied, the file deleted or replaced
while open, non-ASCII paths. Each gives one clear ``SopError`` sentence (or exit 2 with one
line), the document in memory is untouched, and nothing already committed is lost."""

from __future__ import annotations

import hashlib
import os
import shutil
import uuid
from pathlib import Path

import pytest

from sopdesigner.editing.session import EditSession
from sopdesigner.errors import DocumentFileError
from sopdesigner.model.document import Evidence
from sopdesigner.ops import AttachEvidence, SetItemDone, SignNode
from sopdesigner.storage.blobs import FileBlobs, hash_file
from sopdesigner.storage.document_file import DocumentFile
from sopdesigner.storage.workspace import Workspace
from tests.factories import make_document
from tests.trials.faults import NOBODY, cli, cli_as_user, one_sentence, read_only_view, small_disk


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def loaded(path: Path) -> str:
    with DocumentFile.open(path, read_only=True) as f:
        return f.load().model_dump_json()


def big_file(path: Path, size: int = 2_000_000) -> Path:
    path.write_bytes(os.urandom(size))
    return path


def attach_op(node: str, src: Path, ev_id: str = "ev-big") -> AttachEvidence:
    digest, size = hash_file(src)
    return AttachEvidence(node, Evidence(id=ev_id, sha256=digest, size=size, filename=src.name))


# ---------------------------------------------------------------------------- disk full
def test_disk_full_on_save_keeps_memory_and_the_committed_file(tmp_path):
    evidence = big_file(tmp_path / "scan.bin")
    with small_disk(700) as disk:
        path = disk / "doc.sop"
        DocumentFile.create(path, make_document()).close()
        committed = loaded(path)
        with DocumentFile.open(path) as f:
            doc = f.load()
            session = EditSession(doc, "tester")
            session.apply(SetItemDone("validate", "metrics", True))
            session.apply(attach_op("validate", evidence))
            in_memory = doc.model_dump_json()
            with pytest.raises(DocumentFileError, match=r"^The disk is full; 'doc\.sop' was not changed\.$"):
                f.save(doc, blobs=FileBlobs({doc.node("validate").evidence[0].sha256: evidence}))
            assert doc.model_dump_json() == in_memory
        assert loaded(path) == committed
        assert sorted(p.name for p in disk.iterdir()) == ["doc.sop"]


def test_disk_full_on_first_save_leaves_no_file_and_no_litter(tmp_path):
    evidence = big_file(tmp_path / "scan.bin")
    ws = Workspace.new(make_document())
    try:
        blob = ws.add_evidence_file(evidence)  # staged in the autosave folder (a roomy disk)
        ev = Evidence(id="ev-big", sha256=blob.sha256, size=blob.size, filename=blob.filename)
        EditSession(ws.document, "tester").apply(AttachEvidence("risk", ev))
        before = ws.document.model_dump_json()
        with small_disk(700) as disk:
            with pytest.raises(
                DocumentFileError, match=r"^The disk is full; 'new\.sop' was not (written|changed)\.$"
            ):
                ws.save(disk / "new.sop")
            assert list(disk.iterdir()) == []
        assert ws.path is None and ws.document.model_dump_json() == before
        ws.save(tmp_path / "new.sop")  # the staged evidence is still there for a save elsewhere
        assert loaded(tmp_path / "new.sop") == before
    finally:
        ws.close()


def test_disk_full_on_save_as_keeps_the_original_and_the_workspace(tmp_path):
    path = tmp_path / "doc.sop"
    evidence = big_file(tmp_path / "scan.bin")
    doc = make_document()
    EditSession(doc, "tester").apply(attach_op("validate", evidence))
    DocumentFile.create(
        path, doc, blobs=FileBlobs({doc.node("validate").evidence[0].sha256: evidence})
    ).close()
    committed = loaded(path)
    ws = Workspace.open(path)
    try:
        EditSession(ws.document, "tester").apply(SetItemDone("validate", "data", True))
        with small_disk(700) as disk:
            with pytest.raises(DocumentFileError, match="disk is full"):
                ws.save(disk / "copy.sop")
            assert list(disk.iterdir()) == []
        assert ws.path == path.resolve() and loaded(path) == committed
        ws.save()  # the original is still the workspace's file, and saving there works
        assert loaded(path) == ws.document.model_dump_json()
    finally:
        ws.close()


def test_evidence_staging_on_a_full_data_folder_refuses_and_keeps_the_document(tmp_path, monkeypatch):
    path = tmp_path / "doc.sop"
    DocumentFile.create(path, make_document()).close()
    evidence = big_file(tmp_path / "scan.bin")
    with small_disk(700) as disk:
        monkeypatch.setenv("SOPDESIGNER_HOME", str(disk))
        ws = Workspace.open(path)
        try:
            before = ws.document.model_dump_json()
            with pytest.raises(
                DocumentFileError, match=r"^The disk is full; the autosave file was not (changed|written)\.$"
            ):
                ws.add_evidence_file(evidence)
            assert ws.document.model_dump_json() == before
            EditSession(ws.document, "tester").apply(SetItemDone("validate", "metrics", True))
            ws.save()
            assert loaded(path) == ws.document.model_dump_json()
        finally:
            ws.close()


def test_cli_attach_past_the_file_size_limit_exits_2_and_changes_nothing(tmp_path):
    path = tmp_path / "doc.sop"
    DocumentFile.create(path, make_document()).close()
    before = sha(path)
    evidence = big_file(tmp_path / "report.pdf", 3_000_000)
    result = cli(
        "attach",
        str(path),
        "--node",
        "validate",
        str(evidence),
        home=tmp_path / "home",
        fsize=path.stat().st_size + 1_000_000,
    )
    assert result.returncode == 2
    line = one_sentence(result.stderr)
    assert "full" in line or "too large" in line or "could not be written" in line, line
    assert sha(path) == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith("doc.sop")] == ["doc.sop"]


# -------------------------------------------------------------------------- read-only
def test_read_only_folder_refuses_saves_with_one_sentence(tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    DocumentFile.create(folder / "doc.sop", make_document()).close()
    committed = sha(folder / "doc.sop")
    with read_only_view(folder) as view:
        ws = Workspace.open(view / "doc.sop")
        try:
            EditSession(ws.document, "tester").apply(SetItemDone("validate", "metrics", True))
            in_memory = ws.document.model_dump_json()
            with pytest.raises(DocumentFileError, match=r"read-only"):
                ws.save()
            with pytest.raises(DocumentFileError, match=r"^(Permission denied|Cannot write) "):
                ws.save(view / "other.sop")
            assert ws.document.model_dump_json() == in_memory
            ws.save(tmp_path / "elsewhere.sop")  # Save As elsewhere keeps the work
            assert loaded(tmp_path / "elsewhere.sop") == in_memory
        finally:
            ws.close()
        result = cli(
            "tick", str(view / "doc.sop"), "--node", "validate", "--item", "1", home=tmp_path / "home"
        )
        assert result.returncode == 2 and "read-only" in one_sentence(result.stderr)
    assert sha(folder / "doc.sop") == committed


@pytest.fixture
def shared_dir():
    """A world-writable folder under /tmp an unprivileged child can reach."""
    if os.geteuid() != 0:
        pytest.skip(
            "switching to an unprivileged user needs root (as a normal user, chmod 000 works directly)"
        )
    folder = Path(f"/tmp/sop-shared-{uuid.uuid4().hex[:8]}")
    folder.mkdir(mode=0o777)
    folder.chmod(0o777)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def test_permission_denied_as_an_unprivileged_user(shared_dir):
    home = shared_dir / "home"
    home.mkdir(mode=0o777)
    home.chmod(0o777)
    locked = shared_dir / "locked.sop"
    DocumentFile.create(locked, make_document()).close()
    locked.chmod(0o000)
    code, stderr = cli_as_user("status", str(locked), home=home, user=NOBODY)
    assert code == 2 and "Permission denied" in one_sentence(stderr)

    readable = shared_dir / "readable.sop"
    DocumentFile.create(readable, make_document()).close()
    readable.chmod(0o444)
    before = sha(readable)
    code, stderr = cli_as_user(
        "tick", str(readable), "--node", "validate", "--item", "1", home=home, user=NOBODY
    )
    assert code == 2 and "read-only" in one_sentence(stderr)
    assert sha(readable) == before

    writable = shared_dir / "writable.sop"
    DocumentFile.create(writable, make_document()).close()
    writable.chmod(0o666)
    secret = shared_dir / "secret.pdf"
    secret.write_bytes(b"%PDF-1.4 secret")
    secret.chmod(0o000)
    before = sha(writable)
    code, stderr = cli_as_user(
        "attach", str(writable), "--node", "validate", str(secret), home=home, user=NOBODY
    )
    assert code == 2 and "Permission denied" in one_sentence(stderr)
    assert sha(writable) == before


# ----------------------------------------------------------- deleted or replaced while open
def test_file_deleted_while_open_is_written_anew_from_memory_with_its_evidence(tmp_path):
    path = tmp_path / "doc.sop"
    evidence = big_file(tmp_path / "scan.bin", 300_000)
    doc = make_document()
    EditSession(doc, "tester").apply(attach_op("validate", evidence))
    DocumentFile.create(
        path, doc, blobs=FileBlobs({doc.node("validate").evidence[0].sha256: evidence})
    ).close()
    evidence.unlink()  # only the document holds the bytes now
    ws = Workspace.open(path)
    try:
        path.unlink()
        EditSession(ws.document, "tester").apply(
            SignNode("risk", "Lee", "security", "approve", signoff_id="s1")
        )
        ws.save()
        assert loaded(path) == ws.document.model_dump_json()
        with DocumentFile.open(path, read_only=True) as f:
            digest = ws.document.node("validate").evidence[0].sha256
            assert hashlib.sha256(b"".join(f.iter_blob(digest))).hexdigest() == digest
    finally:
        ws.close()


def test_file_replaced_while_open_is_not_overwritten(tmp_path):
    path = tmp_path / "doc.sop"
    DocumentFile.create(path, make_document()).close()
    ws = Workspace.open(path)
    try:
        other = make_document()
        other.title = "Someone else's SOP"
        DocumentFile.create(tmp_path / "theirs.sop", other).close()
        os.replace(tmp_path / "theirs.sop", path)
        theirs = sha(path)
        EditSession(ws.document, "tester").apply(SetItemDone("validate", "metrics", True))
        in_memory = ws.document.model_dump_json()
        with pytest.raises(DocumentFileError, match=r"replaced by another program.*Save As"):
            ws.save()
        assert sha(path) == theirs and ws.document.model_dump_json() == in_memory
        ws.save(tmp_path / "mine.sop")
        assert loaded(tmp_path / "mine.sop") == in_memory
    finally:
        ws.close()


def test_document_file_save_after_the_file_was_deleted_refuses(tmp_path):
    path = tmp_path / "doc.sop"
    DocumentFile.create(path, make_document()).close()
    with DocumentFile.open(path) as f:
        doc = f.load()
        path.unlink()
        EditSession(doc, "tester").apply(SetItemDone("validate", "metrics", True))
        with pytest.raises(DocumentFileError, match="moved, deleted or replaced"):
            f.save(doc)
    assert not path.exists()


# --------------------------------------------------------------------------- non-ASCII
def test_non_ascii_paths_work_end_to_end(tmp_path):
    folder = tmp_path / "Prüfungen 文档 ñ"
    folder.mkdir()
    path = folder / "Modell – Freigabe ✓.sop"
    DocumentFile.create(path, make_document()).close()
    evidence = folder / "Bericht – 報告.pdf"
    evidence.write_bytes(b"%PDF-1.4 metrics")
    home = tmp_path / "hömé"
    for args in (
        ("tick", str(path), "--node", "validate", "--item", "1"),
        (
            "sign",
            str(path),
            "--node",
            "risk",
            "--role",
            "security",
            "--signer",
            "Zoë Ødegård",
            "--decision",
            "approve",
        ),
        ("attach", str(path), "--node", "validate", str(evidence), "--title", "Leistungsbericht"),
    ):
        result = cli(*args, "--actor", "Jürgen", home=home)
        assert result.returncode == 0, result.stderr
    with DocumentFile.open(path, read_only=True) as f:
        doc = f.load()
        ev = doc.node("validate").evidence[0]
        assert ev.filename == "Bericht – 報告.pdf"
        assert b"".join(f.iter_blob(ev.sha256)) == b"%PDF-1.4 metrics"
    assert doc.node("validate").checklist[0].done is True
    assert doc.node("risk").signoffs[0].signer == "Zoë Ødegård"
    assert [e.actor for e in doc.audit] == ["Jürgen"] * 3
    ws = Workspace.open(path)
    try:
        ws.save(folder / "Kopie – コピー.sop")
        assert loaded(folder / "Kopie – コピー.sop") == doc.model_dump_json()
    finally:
        ws.close()
