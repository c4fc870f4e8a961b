"""``templates``, ``new``, ``import``, ``status`` and ``export`` from the command line: real .sop
files read back with sqlite3, real JSON, PDFs parsed with pypdf, real zip packages."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import stat
import zipfile

import pytest

from sopdesigner.storage.document_file import DocumentFile
from tests.cli.cli_support import change_counter, load, run_cli, run_main, write_sop
from tests.factories import make_document

BUILTIN_IDS = [
    "ai-model-deployment-approval",
    "credit-scoring-bank",
    "healthcare-diagnostic-ai",
    "ecommerce-recommendation",
    "internal-productivity-ai",
]


# --------------------------------------------------------------------------- templates
def test_templates_lists_the_five_builtins(tmp_path, _isolated_user_dirs):
    r = run_cli("templates", home=_isolated_user_dirs)
    assert r.code == 0, r.err
    ids = [line.split()[0] for line in r.out.splitlines()]
    assert ids == BUILTIN_IDS
    assert "AI Model Deployment Approval" in r.out


def test_templates_json(capsys):
    r = run_main(capsys, "templates", "--json")
    assert r.code == 0
    data = json.loads(r.out)
    assert [t["id"] for t in data] == BUILTIN_IDS
    for t in data:
        assert set(t) == {"id", "title", "description", "builtin"}
        assert t["builtin"] is True and t["title"] and t["description"]


# --------------------------------------------------------------------------- new
@pytest.mark.parametrize("template_id", BUILTIN_IDS)
def test_new_from_each_template_writes_a_sop_file(tmp_path, capsys, template_id):
    out = tmp_path / f"{template_id}.sop"
    r = run_main(capsys, "new", "--template", template_id, out, "--actor", "Ana Ruiz")
    assert r.code == 0, r.err
    con = sqlite3.connect(out)
    try:
        assert con.execute("PRAGMA application_id").fetchone()[0] == 1397706820
        assert con.execute("PRAGMA user_version").fetchone()[0] == 1
        assert con.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    finally:
        con.close()
    doc = load(out)
    assert len(doc.nodes) >= 6
    assert len(doc.audit) == 1
    first = doc.audit[0]
    assert (first.seq, first.action, first.actor, first.details) == (
        1,
        "document.created",
        "Ana Ruiz",
        {"template": template_id},
    )
    assert first.prev_hash == "0" * 64


def test_status_lists_every_node_of_a_new_document(tmp_path, _isolated_user_dirs):
    out = tmp_path / "x.sop"
    assert (
        run_cli("new", "--template", "ai-model-deployment-approval", out, home=_isolated_user_dirs).code == 0
    )
    r = run_cli("status", out, home=_isolated_user_dirs)
    assert r.code == 0, r.err
    lines = r.out.splitlines()
    assert lines[0].split()[:4] == ["ID", "KIND", "TITLE", "STATUS"]
    doc = load(out)
    rows = {line.split()[0]: line for line in lines[1:]}
    assert list(rows) == [n.id for n in doc.nodes]
    for node in doc.nodes:
        assert node.title in rows[node.id]
        assert " not_started " in rows[node.id]  # nothing is done in a fresh document
    assert "technical-validation" in rows
    assert "0/6" in rows["technical-validation"]
    assert "data-science: pending" in rows["technical-validation"]


def test_new_refuses_to_overwrite(tmp_path, capsys):
    out = tmp_path / "x.sop"
    out.write_bytes(b"precious")
    r = run_main(capsys, "new", "--template", "credit-scoring-bank", out)
    assert r.code == 2
    assert len(r.err_lines) == 1 and r.err.startswith("sopdesigner: ") and "already exists" in r.err
    assert out.read_bytes() == b"precious"


def test_new_unknown_template_is_one_sentence(tmp_path, capsys):
    r = run_main(capsys, "new", "--template", "nope", tmp_path / "x.sop")
    assert r.code == 2 and len(r.err_lines) == 1 and "nope" in r.err
    assert not (tmp_path / "x.sop").exists()


def test_new_from_existing_sop_clears_records_and_starts_a_fresh_trail(tmp_path, capsys):
    src = tmp_path / "last-quarter.sop"
    run_main(capsys, "new", "--template", "ai-model-deployment-approval", src)
    evidence = tmp_path / "metrics.csv"
    evidence.write_text("auc,0.91\n")
    assert run_main(capsys, "attach", src, "--node", "technical-validation", evidence).code == 0
    assert run_main(capsys, "tick", src, "--node", "technical-validation", "--item", "1").code == 0
    assert (
        run_main(
            capsys,
            "sign",
            src,
            "--node",
            "technical-validation",
            "--role",
            "data-science",
            "--signer",
            "Ana Ruiz",
            "--decision",
            "approve",
        ).code
        == 0
    )
    before = src.read_bytes()
    source_doc = load(src)

    out = tmp_path / "next.sop"
    r = run_main(capsys, "new", "--from", src, out, "--actor", "Li Wei")
    assert r.code == 0, r.err
    assert src.read_bytes() == before
    doc = load(out)
    assert doc.id != source_doc.id
    assert [n.id for n in doc.nodes] == [n.id for n in source_doc.nodes]
    assert [(e.source, e.target) for e in doc.edges] == [(e.source, e.target) for e in source_doc.edges]
    node = next(n for n in doc.nodes if n.id == "technical-validation")
    assert node.evidence == [] and node.signoffs == []
    assert not any(item.done for n in doc.nodes for item in n.checklist)
    assert [(e.seq, e.action, e.actor) for e in doc.audit] == [(1, "document.created", "Li Wei")]
    assert doc.audit[0].details == {"from": "last-quarter.sop", "from_document": source_doc.id}
    with DocumentFile.open(out, read_only=True) as f:
        assert f.blob_hashes() == set()


# --------------------------------------------------------------------------- status --json
def test_status_json(tmp_path, capsys):
    f = write_sop(tmp_path / "t.sop", make_document())
    assert run_main(capsys, "tick", f, "--node", "validate", "--item", "Data quality checked").code == 0
    assert (
        run_main(
            capsys,
            "sign",
            f,
            "--node",
            "risk",
            "--role",
            "security",
            "--signer",
            "Ana Ruiz",
            "--decision",
            "approve",
        ).code
        == 0
    )
    r = run_main(capsys, "status", f, "--json")
    assert r.code == 0 and r.err == ""
    data = json.loads(r.out)
    assert data["id"] == "doc-test" and data["audit_events"] == 2
    nodes = {n["id"]: n for n in data["nodes"]}
    assert list(nodes) == ["start", "validate", "risk", "decide", "deploy", "iterate"]
    assert nodes["validate"]["status"] == "in_progress"
    assert nodes["validate"]["checklist"] == {"done": 1, "total": 3, "required_done": 1, "required_total": 2}
    assert nodes["risk"]["status"] == "in_review"
    assert nodes["risk"]["pending_roles"] == ["legal"]
    assert [(s["role"], s["decision"], s["signer"]) for s in nodes["risk"]["signoffs"]] == [
        ("security", "approve", "Ana Ruiz")
    ]
    text = run_main(capsys, "status", f).out
    assert "security: approve (Ana Ruiz); legal: pending" in text


def test_status_of_missing_file_is_one_sentence(tmp_path, capsys):
    r = run_main(capsys, "status", tmp_path / "nope.sop")
    assert r.code == 2 and len(r.err_lines) == 1 and "does not exist" in r.err


# --------------------------------------------------------------------------- export / import
def test_export_json_twice_is_byte_identical(tmp_path, capsys):
    f = write_sop(tmp_path / "t.sop", make_document())
    run_main(capsys, "tick", f, "--node", "validate", "--item", "1")
    before = f.read_bytes()
    assert run_main(capsys, "export", f, "--json", tmp_path / "a.json").code == 0
    assert run_main(capsys, "export", f, "--json", tmp_path / "b.json").code == 0
    a, b = (tmp_path / "a.json").read_bytes(), (tmp_path / "b.json").read_bytes()
    assert a == b
    assert not [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")]
    assert json.loads(a)["title"] == "Test SOP"
    assert f.read_bytes() == before  # exporting never writes the document


def test_export_import_export_differs_only_by_the_import_event(tmp_path, capsys, _isolated_user_dirs):
    f = write_sop(tmp_path / "t.sop", make_document())
    run_main(capsys, "tick", f, "--node", "validate", "--item", "1", "--actor", "Ana Ruiz")
    run_main(
        capsys,
        "sign",
        f,
        "--node",
        "decide",
        "--role",
        "business",
        "--signer",
        "Bo Chen",
        "--decision",
        "approve_with_conditions",
        "--conditions",
        "Monitor drift weekly",
    )
    first = tmp_path / "first.json"
    assert run_cli("export", f, "--json", first, home=_isolated_user_dirs).code == 0

    imported = tmp_path / "imported.sop"
    r = run_cli("import", first, imported, "--actor", "Auditor", home=_isolated_user_dirs)
    assert r.code == 0, r.err
    second = tmp_path / "second.json"
    assert run_cli("export", imported, "--json", second, home=_isolated_user_dirs).code == 0

    a, b = json.loads(first.read_bytes()), json.loads(second.read_bytes())
    assert b["audit"][:-1] == a["audit"]
    event = b["audit"][-1]
    assert event["action"] == "document.imported" and event["actor"] == "Auditor"
    assert event["details"] == {
        "source": "first.json",
        "sha256": hashlib.sha256(first.read_bytes()).hexdigest(),
    }
    assert event["prev_hash"] == a["audit"][-1]["hash"]
    a.pop("audit"), b.pop("audit")
    assert a == b


def test_import_refuses_a_diagram_whose_chain_was_edited(tmp_path, capsys):
    f = write_sop(tmp_path / "t.sop", make_document())
    run_main(capsys, "tick", f, "--node", "validate", "--item", "1")
    j = tmp_path / "d.json"
    run_main(capsys, "export", f, "--json", j)
    data = json.loads(j.read_bytes())
    data["audit"][0]["actor"] = "someone else"
    j.write_text(json.dumps(data), encoding="utf-8")
    r = run_main(capsys, "import", j, tmp_path / "out.sop")
    assert r.code == 2 and len(r.err_lines) == 1
    assert not (tmp_path / "out.sop").exists()


def test_import_refuses_existing_out_and_garbage(tmp_path, capsys):
    junk = tmp_path / "junk.json"
    junk.write_text("{not json", encoding="utf-8")
    r = run_main(capsys, "import", junk, tmp_path / "out.sop")
    assert r.code == 2 and len(r.err_lines) == 1 and "junk.json" in r.err
    out = tmp_path / "exists.sop"
    out.write_bytes(b"keep me")
    assert run_main(capsys, "import", junk, out).code == 2
    assert out.read_bytes() == b"keep me"


def test_import_json_with_evidence_keeps_the_records_and_says_bytes_are_missing(tmp_path, capsys):
    f = write_sop(tmp_path / "t.sop", make_document())
    ev = tmp_path / "report.txt"
    ev.write_text("fine\n")
    run_main(capsys, "attach", f, "--node", "validate", ev)
    j = tmp_path / "d.json"
    run_main(capsys, "export", f, "--json", j)
    out = tmp_path / "out.sop"
    r = run_main(capsys, "import", j, out)
    assert r.code == 0 and "without their bytes" in r.err
    assert load(out).node("validate").evidence[0].filename == "report.txt"
    # Records can still be added to such a document; only a package export needs the bytes.
    assert run_main(capsys, "tick", out, "--node", "validate", "--item", "2").code == 0
    r = run_main(capsys, "export", out, "--package", tmp_path / "p.zip")
    assert r.code == 2 and "report.txt" in r.err and not (tmp_path / "p.zip").exists()


def test_export_json_is_shared_like_any_saved_file(tmp_path, capsys):
    f = write_sop(tmp_path / "t.sop", make_document())
    old = os.umask(0o022)
    try:
        assert run_main(capsys, "export", f, "--json", tmp_path / "d.json").code == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "d.json").stat().st_mode) == 0o644


def test_export_needs_an_output_and_never_overwrites_the_document(tmp_path, capsys):
    f = write_sop(tmp_path / "t.sop", make_document())
    before = f.read_bytes()
    r = run_main(capsys, "export", f)
    assert r.code == 2 and len(r.err_lines) == 1
    r = run_main(capsys, "export", f, "--json", f)
    assert r.code == 2 and len(r.err_lines) == 1
    r = run_main(capsys, "export", f, "--json", tmp_path / "no-such-dir" / "d.json")
    assert r.code == 2 and len(r.err_lines) == 1
    assert f.read_bytes() == before


def test_export_pdf_is_a_readable_report(tmp_path, capsys):
    import pypdf

    f = write_sop(tmp_path / "t.sop", make_document())
    counter = change_counter(f)
    pdf = tmp_path / "report.pdf"
    r = run_main(capsys, "export", f, "--pdf", pdf)
    assert r.code == 0, r.err
    reader = pypdf.PdfReader(pdf)
    text = "".join(page.extract_text() for page in reader.pages)
    assert "Test SOP" in text and "Technical validation" in text
    assert change_counter(f) == counter


def test_export_package_then_import_restores_the_evidence(tmp_path, capsys):
    f = write_sop(tmp_path / "t.sop", make_document())
    content = "κρυπτογράφηση ✓\n".encode() * 1000
    ev = tmp_path / "отчёт-评估.pdf"
    ev.write_bytes(content)
    assert run_main(capsys, "attach", f, "--node", "validate", ev).code == 0
    z = tmp_path / "package.zip"
    r = run_main(capsys, "export", f, "--package", z)
    assert r.code == 0, r.err
    with zipfile.ZipFile(z) as zf:
        names = zf.namelist()
    assert any(n.endswith("data/diagram.json") for n in names)
    assert any(n.endswith("data/evidence/validate/отчёт-评估.pdf") for n in names)

    out = tmp_path / "restored.sop"
    r = run_main(capsys, "import", z, out, "--actor", "Auditor")
    assert r.code == 0, r.err
    doc = load(out)
    assert doc.audit[-1].action == "document.imported"
    assert doc.audit[-1].details == {
        "source": "package.zip",
        "sha256": hashlib.sha256(z.read_bytes()).hexdigest(),
    }
    sha = doc.node("validate").evidence[0].sha256
    assert sha == hashlib.sha256(content).hexdigest()
    with DocumentFile.open(out, read_only=True) as restored:
        assert b"".join(restored.iter_blob(sha)) == content
    # Through the package, too, the only difference is the appended import event.
    before, after = tmp_path / "before.json", tmp_path / "after.json"
    assert run_main(capsys, "export", f, "--json", before).code == 0
    assert run_main(capsys, "export", out, "--json", after).code == 0
    a, b = json.loads(before.read_bytes()), json.loads(after.read_bytes())
    assert b["audit"][:-1] == a["audit"]
    a.pop("audit"), b.pop("audit")
    assert a == b


def test_import_refuses_a_tampered_package(tmp_path, capsys):
    f = write_sop(tmp_path / "t.sop", make_document())
    ev = tmp_path / "e.txt"
    ev.write_text("original\n")
    run_main(capsys, "attach", f, "--node", "validate", ev)
    z = tmp_path / "package.zip"
    assert run_main(capsys, "export", f, "--package", z).code == 0
    tampered = tmp_path / "tampered.zip"
    with zipfile.ZipFile(z) as src, zipfile.ZipFile(tampered, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename.endswith("/e.txt"):
                data = b"forged\n"
            dst.writestr(info, data)
    r = run_main(capsys, "import", tampered, tmp_path / "out.sop")
    assert r.code == 2 and len(r.err_lines) == 1 and "tampered.zip" in r.err
    assert not (tmp_path / "out.sop").exists()


def test_export_png_and_svg(tmp_path, capsys):
    f = write_sop(tmp_path / "t.sop", make_document())
    png, svg = tmp_path / "d.png", tmp_path / "d.svg"
    r = run_main(capsys, "export", f, "--png", png, "--svg", svg)
    assert r.code == 0, r.err
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert b"<svg" in svg.read_bytes()[:2000]


def test_image_export_works_on_a_server_with_no_display(tmp_path, _isolated_user_dirs):
    f = write_sop(tmp_path / "t.sop", make_document())
    no_display = {"QT_QPA_PLATFORM": "", "DISPLAY": "", "WAYLAND_DISPLAY": ""}
    r = run_cli("export", f, "--png", tmp_path / "d.png", home=_isolated_user_dirs, env_extra=no_display)
    assert r.code == 0, r.err
    assert (tmp_path / "d.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
