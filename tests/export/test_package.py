"""The audit package: a BagIt 1.0 zip that the Library of Congress ``bagit`` validates as is,
with the audit log, diagram.json, report and evidence; atomic writing, cancel, and import."""

from __future__ import annotations

import hashlib
import json
import tempfile
import zipfile
from pathlib import Path

import bagit
import pytest

from sopdesigner.editing.session import EditSession
from sopdesigner.errors import CancelledError, ImportRefusedError, SopError
from sopdesigner.export.diagram_json import dumps_diagram
from sopdesigner.export.package import read_package, write_package
from sopdesigner.export.package_layout import evidence_paths, safe_component
from sopdesigner.export.verify import verify_package
from sopdesigner.model import Decision
from sopdesigner.model.audit import verify_chain
from sopdesigner.ops import SignNode
from tests.export.records import MemoryBlobs, attach, record_everything
from tests.factories import make_document


@pytest.fixture
def private_tmp(tmp_path, monkeypatch):
    """Point tempfile at an empty folder so a test can see that nothing was left behind."""
    folder = tmp_path / "system-temp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def extract(zip_path: Path, into: Path) -> Path:
    with zipfile.ZipFile(zip_path) as zf:
        roots = {n.split("/", 1)[0] for n in zf.namelist()}
        assert len(roots) == 1  # one top-level folder
        zf.extractall(into)
    return into / roots.pop()


@pytest.fixture
def recorded():
    doc = make_document()
    blobs = record_everything(doc)
    return doc, blobs


def test_package_is_a_valid_bagit_1_0_bag(recorded, tmp_path, private_tmp):
    doc, blobs = recorded
    target = tmp_path / "fraud-scorer.zip"
    write_package(doc, blobs, target)
    bag_dir = extract(target, tmp_path / "out")
    assert bag_dir.name == "fraud-scorer"
    bag = bagit.Bag(str(bag_dir))
    bag.validate()  # raises BagValidationError on any problem
    assert bag.version_info == (1, 0)
    assert bag.info["Audit-Head-SHA256"] == doc.audit_head
    assert bag.info["SOP-Title"] == "Test SOP"
    assert bag.info["SOP-Version"] == "3.2"
    assert bag.info["Export-Time"].endswith("Z")
    payload = set(bag.payload_files())
    assert {"data/report.pdf", "data/diagram.json", "data/audit-log.jsonl"} <= payload
    assert "data/evidence/validate/metrics report.pdf" in payload
    assert "data/evidence/validate/metrics report (2).pdf" in payload  # same name, disambiguated
    assert "data/evidence/risk/passwd" in payload  # "../../etc/passwd" cannot climb out
    assert "data/evidence/risk/Отчёт о рисках.txt" in payload
    assert (bag_dir / "tagmanifest-sha256.txt").is_file()
    assert list(private_tmp.iterdir()) == []  # the build folder was removed


def test_payload_contents(recorded, tmp_path):
    doc, blobs = recorded
    target = tmp_path / "p.zip"
    write_package(doc, blobs, target)
    bag_dir = extract(target, tmp_path / "out")
    assert (bag_dir / "data/diagram.json").read_bytes() == dumps_diagram(doc)
    lines = (bag_dir / "data/audit-log.jsonl").read_text(encoding="utf-8").splitlines()
    events = [json.loads(line) for line in lines]
    assert len(events) == len(doc.audit) and verify_chain(events) is None
    assert events[-1]["hash"] == doc.audit_head
    for line, event in zip(lines, events, strict=True):
        assert line == json.dumps(event, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    for node in doc.nodes:
        for ev in node.evidence:
            matches = [
                p
                for p in (bag_dir / "data/evidence" / node.id).iterdir()
                if hashlib.sha256(p.read_bytes()).hexdigest() == ev.sha256
            ]
            assert matches, ev.filename
    assert (bag_dir / "data/report.pdf").read_bytes().startswith(b"%PDF")


def test_the_same_document_packs_to_the_same_file_names(recorded, tmp_path):
    doc, blobs = recorded
    write_package(doc, blobs, tmp_path / "a.zip")
    write_package(doc, blobs, tmp_path / "b.zip")
    with zipfile.ZipFile(tmp_path / "a.zip") as a, zipfile.ZipFile(tmp_path / "b.zip") as b:
        assert [n.split("/", 1)[1] for n in a.namelist()] == [n.split("/", 1)[1] for n in b.namelist()]


def test_package_from_every_template_validates(tmp_path):
    from sopdesigner.templates import list_templates, load_template

    infos = [i for i in list_templates() if i.builtin]
    assert infos
    for info in infos:
        doc = load_template(info.id)
        blobs = MemoryBlobs()
        session = EditSession(doc, actor="Zoë Łukasiewicz")
        for k, node in enumerate(doc.nodes[:3]):
            attach(
                session,
                blobs,
                node.id,
                f"evidence {k}.txt",
                f"evidence {k} for {info.id}".encode(),
                title=f"Evidence {k}",
                category="Risk assessment",
            )
        signable = next((n for n in doc.nodes if n.required_roles), None)
        if signable is not None:
            session.apply(
                SignNode(signable.id, "Юлия Смирнова", signable.required_roles[0], Decision.APPROVE)
            )
        target = tmp_path / f"{info.id}.zip"
        write_package(doc, blobs, target)
        bagit.Bag(str(extract(target, tmp_path / info.id))).validate()
        report = verify_package(target)
        assert report.status == "intact", (info.id, report.problems)


def test_cancel_leaves_nothing(recorded, tmp_path, private_tmp):
    doc, blobs = recorded
    target = tmp_path / "c.zip"
    calls: list[int] = []
    with pytest.raises(CancelledError):
        write_package(
            doc, blobs, target, progress=lambda d, t: calls.append(d), cancel=lambda: len(calls) >= 9
        )
    assert not target.exists()
    assert [p.name for p in tmp_path.iterdir()] == ["system-temp"]
    assert list(private_tmp.iterdir()) == []


def test_progress_ends_complete(recorded, tmp_path):
    doc, blobs = recorded
    calls: list[tuple[int, int]] = []
    write_package(doc, blobs, tmp_path / "g.zip", progress=lambda d, t: calls.append((d, t)))
    assert calls[-1][0] == calls[-1][1]
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)


def test_missing_evidence_bytes_are_refused_before_writing(recorded, tmp_path):
    doc, blobs = recorded
    blobs.data.pop(doc.nodes[1].evidence[0].sha256)
    with pytest.raises(SopError, match=r"metrics report\.pdf"):
        write_package(doc, blobs, tmp_path / "m.zip")
    assert list(tmp_path.iterdir()) == []


def test_blob_bytes_that_do_not_match_their_hash_are_refused(recorded, tmp_path):
    doc, blobs = recorded
    sha = doc.nodes[1].evidence[0].sha256
    blobs.data[sha] = b"not the bytes that were attached"
    with pytest.raises(SopError, match="do not match its SHA-256"):
        write_package(doc, blobs, tmp_path / "m.zip")
    assert list(tmp_path.iterdir()) == []


def test_read_package_round_trips_document_and_evidence(recorded, tmp_path, private_tmp):
    doc, blobs = recorded
    target = tmp_path / "r.zip"
    write_package(doc, blobs, target)
    loaded, extracted = read_package(target)
    with extracted:
        assert loaded.model_dump() == doc.model_dump()
        assert set(extracted) == {ev.sha256 for n in doc.nodes for ev in n.evidence}
        for sha, path in extracted.items():
            assert path.read_bytes() == blobs.data[sha]
            assert extracted.has_blob(sha)
            assert b"".join(extracted.iter_blob(sha)) == blobs.data[sha]
            assert path.name == sha  # never a name taken from the archive
    assert list(private_tmp.iterdir()) == []  # the context manager removed the folder


def test_read_package_into_a_callers_folder(recorded, tmp_path):
    doc, blobs = recorded
    target = tmp_path / "r.zip"
    write_package(doc, blobs, target)
    dest = tmp_path / "mine"
    dest.mkdir()
    _, extracted = read_package(target, dest)
    extracted.cleanup()  # not owned: the caller's folder stays
    assert sorted(p.name for p in dest.iterdir()) == sorted(extracted)


def test_read_package_refuses_a_tampered_package(recorded, tmp_path, private_tmp):
    doc, blobs = recorded
    target = tmp_path / "t.zip"
    write_package(doc, blobs, target)
    tampered = tmp_path / "t2.zip"
    with zipfile.ZipFile(target) as src, zipfile.ZipFile(tampered, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename.endswith("data/diagram.json"):
                data = data.replace(b"Test SOP", b"Evil SOP")
            dst.writestr(info, data)
    with pytest.raises(ImportRefusedError, match=r"data/diagram\.json"):
        read_package(tampered)
    assert list(private_tmp.iterdir()) == []


def test_safe_component_names():
    assert safe_component("../../etc/passwd", "x") == "passwd"
    assert safe_component("C:\\Windows\\evil.dll", "x") == "evil.dll"
    assert safe_component("CON.txt", "x") == "_CON.txt"
    assert safe_component("a\x00b\x1fc.txt", "x") == "abc.txt"
    assert safe_component(' <>:"|?* ', "x") == "_______"
    assert safe_component("...", "fallback") == "fallback"
    long = "a" * 300 + ".pdf"
    assert safe_component(long, "x").endswith(".pdf") and len(safe_component(long, "x")) <= 120


def test_evidence_paths_disambiguate_after_case_folding():
    paths = evidence_paths([("n1", ["Report.pdf", "report.PDF", "report.pdf"]), ("N1", ["a"]), ("..", ["b"])])
    assert paths[0] == [
        "data/evidence/n1/Report.pdf",
        "data/evidence/n1/report (2).PDF",
        "data/evidence/n1/report (3).pdf",
    ]
    assert paths[1] == ["data/evidence/N1 (2)/a"]
    assert paths[2] == ["data/evidence/node/b"]


def test_read_package_result_has_names_too(recorded, tmp_path):
    doc, blobs = recorded
    target = tmp_path / "n.zip"
    write_package(doc, blobs, target)
    contents = read_package(target)
    with contents.blobs:
        assert contents.document.id == doc.id
        assert set(contents.blobs) == {ev.sha256 for n in doc.nodes for ev in n.evidence}
