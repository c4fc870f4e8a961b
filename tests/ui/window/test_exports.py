"""Exports from the window: real PDF and audit package written by the worker thread, cancel
leaves no file, and an exported package opens back as a new document."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

from pypdf import PdfReader

from sopdesigner.ops.nodes import SetNodeFields
from sopdesigner.ui.export_dialog import ExportWorker


def _wait(qtbot, window):
    qtbot.waitUntil(lambda: window.exports.last_result is not None, timeout=60_000)
    qtbot.waitUntil(lambda: window.exports.worker is None, timeout=10_000)


def test_pdf_export_in_worker_is_a_real_pdf(window, answers, template_doc, qtbot, tmp_path):
    window.new_from_document(template_doc)
    answers.save_path = str(tmp_path / "report.pdf")
    window.actions["export_pdf"].trigger()
    # The window stays responsive: the export runs in a thread of its own.
    assert window.exports.worker.isRunning() or window.exports.last_result is not None
    _wait(qtbot, window)
    assert window.exports.last_result == "done"
    text = "".join(page.extract_text() for page in PdfReader(answers.save_path).pages)
    assert template_doc.title in text


def test_cancelled_export_writes_no_file(qtbot, template_doc, tmp_path):
    from sopdesigner.export.pdf_report import write_pdf

    target = tmp_path / "cancelled.pdf"
    worker = ExportWorker(
        lambda d, p, progress, cancel: write_pdf(d, p, progress=progress, cancel=cancel), template_doc, target
    )
    worker.stop.set()  # Cancel pressed before the first section
    with qtbot.waitSignal(worker.cancelled, timeout=60_000):
        worker.start()
    worker.wait(10_000)
    assert not target.exists()
    assert list(tmp_path.iterdir()) == []


def test_package_export_then_open_it_back(window, answers, template_doc, qtbot, tmp_path):
    window.new_from_document(template_doc)
    step = next(n for n in window.controller.document.nodes if n.kind.value == "step")
    window.controller.execute(SetNodeFields(step.id, {"description": "Exported description"}))
    answers.save_path = str(tmp_path / "package.zip")
    window.actions["export_package"].trigger()
    _wait(qtbot, window)
    assert window.exports.last_result == "done"
    with zipfile.ZipFile(answers.save_path) as zf:
        names = zf.namelist()
    assert any(n.endswith("data/report.pdf") for n in names)
    assert any(n.endswith("data/diagram.json") for n in names)

    answers.question = answers.question.Discard
    assert window.open_path(answers.save_path)
    doc = window.controller.document
    assert window.workspace.path is None and window.isWindowModified()
    assert doc.node(step.id).description == "Exported description"
    assert doc.audit[-1].action == "document.imported"
    assert doc.audit[-1].details["source"] == "package.zip"
    assert [e.action for e in doc.audit].count("document.imported") == 1


def test_tampered_package_is_refused_and_document_kept(window, answers, template_doc, qtbot, tmp_path):
    window.new_from_document(template_doc)
    answers.save_path = str(tmp_path / "p.zip")
    window.actions["export_package"].trigger()
    _wait(qtbot, window)
    # Rewrite diagram.json with a changed title: the bag checksums no longer match.
    src = Path(answers.save_path)
    bad = tmp_path / "tampered.zip"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(bad, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename.endswith("data/diagram.json"):
                obj = json.loads(data)
                obj["title"] = "Forged"
                data = json.dumps(obj).encode()
            zout.writestr(info, data)
    assert window.open_path(bad) is False
    assert window.controller.document.title == template_doc.title
    assert len(answers.warnings) == 1 and "not imported" in answers.warnings[0]


def test_json_png_svg_exports(window, answers, template_doc, tmp_path):
    window.new_from_document(template_doc)
    for key, name in (("export_json", "d.json"), ("export_png", "d.png"), ("export_svg", "d.svg")):
        answers.save_path = str(tmp_path / name)
        window.actions[key].trigger()
        assert window.exports.last_result == "done", key
        assert (tmp_path / name).stat().st_size > 0
    assert json.loads((tmp_path / "d.json").read_bytes())["title"] == template_doc.title
    assert (tmp_path / "d.png").read_bytes().startswith(b"\x89PNG")
    assert b"<svg" in (tmp_path / "d.svg").read_bytes()[:500]


def test_package_with_evidence_round_trips_through_the_window(window, answers, template_doc, qtbot, tmp_path):
    from sopdesigner.model.document import Evidence
    from sopdesigner.model.ids import new_id
    from sopdesigner.ops.records import AttachEvidence

    window.new_from_document(template_doc)
    report = tmp_path / "metrics.txt"
    report.write_bytes(b"AUC 0.91 on the holdout set\n" * 1000)
    blob = window.workspace.add_evidence_file(report)
    node = template_doc.nodes[1]
    ev = Evidence(id=new_id(), sha256=blob.sha256, size=blob.size, filename=blob.filename, title="Metrics")
    assert window.controller.execute(AttachEvidence(node.id, ev))
    answers.save_path = str(tmp_path / "with-evidence.zip")
    window.actions["export_package"].trigger()
    _wait(qtbot, window)
    assert window.exports.last_result == "done"

    answers.question = answers.question.Discard
    assert window.open_path(answers.save_path), answers.warnings
    imported = window.controller.document.node(node.id).evidence
    assert [e.sha256 for e in imported] == [blob.sha256]
    assert b"".join(window.workspace.iter_blob(blob.sha256)) == report.read_bytes()
    # The autosave of the imported document holds all of it, evidence included.
    window.files.autosave_now()
    from sopdesigner.storage.document_file import DocumentFile

    with DocumentFile.open(window.workspace.work_path, read_only=True) as f:
        assert f.load().model_dump() == window.controller.document.model_dump()
        assert f.has_blob(blob.sha256)
    # Saving the imported document stores the evidence bytes in the new .sop file.
    answers.save_path = str(tmp_path / "imported.sop")
    assert window.files.save()
    with DocumentFile.open(answers.save_path, read_only=True) as f:
        assert f.has_blob(blob.sha256)
