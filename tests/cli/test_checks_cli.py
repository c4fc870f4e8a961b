"""``sopdesigner validate`` and ``gate`` on real ``.sop`` files: output, JSON and exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from sopdesigner.cli import main
from sopdesigner.editing.session import EditSession
from sopdesigner.model import Decision, EdgeKind
from sopdesigner.ops import SetItemDone, SignNode
from sopdesigner.storage.document_file import DocumentFile
from tests.factories import make_document

REPO = Path(__file__).resolve().parents[2]


def write(doc, path: Path) -> Path:
    DocumentFile.create(path, doc).close()
    return path


def complete(doc):
    s = EditSession(doc, actor="CLI Tester", clock=lambda: "2026-01-05T09:00:00Z")
    names = {r.id: r.name for r in doc.roles}
    for node in list(doc.nodes):
        for item in node.checklist:
            if item.required and not item.done:
                s.apply(SetItemDone(node.id, item.id, True))
        for role in node.required_roles:
            s.apply(SignNode(node.id, f"{names[role]} Reviewer", role, Decision.APPROVE))
    return doc


# -- validate ---------------------------------------------------------------------------------


def test_validate_clean_file_exits_0(tmp_path, capsys):
    path = write(make_document(), tmp_path / "clean.sop")
    assert main(["validate", str(path)]) == 0
    assert capsys.readouterr().out == "No problems found.\n"


def test_validate_errors_exit_1_one_line_per_problem(tmp_path, capsys):
    doc = make_document()
    doc.edge("e6").kind = EdgeKind.FLOW
    doc.node("decide").required_roles = []
    path = write(doc, tmp_path / "loop.sop")
    assert main(["validate", str(path)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("ERROR SOP106 The flow 'Technical validation' → ")
    assert lines[1] == (
        "ERROR SOP201 Decision 'Final decision' has no required roles, so nobody has to approve it."
    )
    assert lines[2] == "2 errors, 0 warnings."


def test_validate_warnings_only_exit_0(tmp_path, capsys):
    doc = make_document()
    EditSession(doc, "t").apply(SignNode("risk", "Dana Scientist", "data-science", Decision.APPROVE))
    path = write(doc, tmp_path / "warn.sop")
    assert main(["validate", str(path)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith(
        "WARNING SOP202 Data Science (Dana Scientist) signed 'Risk and compliance review'"
    )
    assert out[-1] == "0 errors, 1 warning."


def test_validate_json(tmp_path, capsys):
    doc = make_document()
    doc.node("risk").required_roles = []
    path = write(doc, tmp_path / "j.sop")
    assert main(["validate", str(path), "--json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data == {
        "file": str(path),
        "errors": 1,
        "warnings": 0,
        "problems": [
            {
                "code": "SOP201",
                "severity": "error",
                "message": "Checkpoint 'Risk and compliance review' has no required roles, so nobody has to approve it.",
                "node_ids": ["risk"],
                "edge_ids": [],
            }
        ],
    }


@pytest.mark.parametrize("command", ["validate", "gate"])
def test_unreadable_files_exit_2_with_one_sentence(tmp_path, capsys, command):
    junk = tmp_path / "junk.sop"
    junk.write_bytes(b"this is not a database")
    assert main([command, str(junk)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("sopdesigner: ") and err.count("\n") == 1 and "Traceback" not in err
    assert main([command, str(tmp_path / "missing.sop")]) == 2
    assert "Traceback" not in capsys.readouterr().err


def test_checks_never_modify_the_file(tmp_path):
    path = write(make_document(), tmp_path / "ro.sop")
    before = path.read_bytes()
    main(["validate", str(path)])
    main(["gate", str(path)])
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ro.sop"]


# -- gate -------------------------------------------------------------------------------------


def test_gate_fresh_exits_1_and_prints_reasons(tmp_path, capsys):
    doc = make_document()
    doc.request.model_name, doc.request.model_version = "churn-predictor", "2.3.0"
    path = write(doc, tmp_path / "fresh.sop")
    assert main(["gate", str(path)]) == 1
    assert capsys.readouterr().out == (
        "NO SHIP: churn-predictor 2.3.0 may not ship (6 reasons):\n"
        "  - Required checklist item 'Performance metrics reviewed' not done on 'Technical validation'\n"
        "  - Required checklist item 'Data quality checked' not done on 'Technical validation'\n"
        "  - Security sign-off missing on 'Risk and compliance review'\n"
        "  - Legal sign-off missing on 'Risk and compliance review'\n"
        "  - Required checklist item 'Privacy review done' not done on 'Risk and compliance review'\n"
        "  - Business sign-off missing on 'Final decision'\n"
    )


def test_gate_complete_exits_0_with_conditions(tmp_path, capsys):
    doc = complete(make_document())
    EditSession(doc, "t").apply(
        SignNode(
            "risk", "Sam Security", "security", Decision.APPROVE_WITH_CONDITIONS, conditions="Re-scan in Q3"
        )
    )
    path = write(doc, tmp_path / "done.sop")
    assert main(["gate", str(path)]) == 0
    assert capsys.readouterr().out == (
        "SHIP: The model may ship.\nConditions:\n  - Risk and compliance review — Security: Re-scan in Q3\n"
    )
    assert main(["gate", str(path), "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {
        "ship": True,
        "reasons": [],
        "conditions": ["Risk and compliance review — Security: Re-scan in Q3"],
    }


def test_gate_json_no_ship(tmp_path, capsys):
    path = write(make_document(), tmp_path / "fresh.sop")
    assert main(["gate", "--json", str(path)]) == 1
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"ship", "reasons", "conditions"}
    assert data["ship"] is False and len(data["reasons"]) == 6 and data["conditions"] == []


# -- in a fresh interpreter -------------------------------------------------------------------


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run(
        [sys.executable, "-m", "sopdesigner", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        timeout=120,
    )


def test_checks_do_not_import_qt(tmp_path):
    path = write(make_document(), tmp_path / "q.sop")
    code = (
        "import sys\n"
        "from sopdesigner.cli import main\n"
        f"rv = (main(['validate', {str(path)!r}]), main(['gate', {str(path)!r}, '--json']))\n"
        "assert rv == (0, 1), rv\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] == 'PySide6')\n"
        "print('QT', bad)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines()[-1] == "QT []"


def test_importing_the_rules_does_not_import_networkx():
    code = (
        "import sys\n"
        "import sopdesigner.rules.validation, sopdesigner.rules.gate, sopdesigner.cli.checks\n"
        "print('networkx' in sys.modules, 'PySide6' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "False False"


@pytest.mark.slow
def test_template_lifecycle_through_the_cli(tmp_path):
    """new → gate (1, every missing sign-off) → tick and sign everything → gate (0) → one reject → gate (1)."""
    from sopdesigner.templates import load_template

    template = load_template("ai-model-deployment-approval")
    names = {r.id: r.name for r in template.roles}
    path = tmp_path / "deploy.sop"
    assert run_cli("new", "--template", "ai-model-deployment-approval", str(path)).returncode == 0

    first = run_cli("gate", str(path))
    assert first.returncode == 1, first.stderr
    for node in template.nodes:
        for role in node.required_roles:
            assert f"  - {names[role]} sign-off missing on '{node.title}'\n" in first.stdout

    for node in template.nodes:
        for number, item in enumerate(node.checklist, start=1):
            if item.required:
                done = run_cli(
                    "tick", str(path), "--node", node.id, "--item", str(number), "--actor", "Ops Bot"
                )
                assert done.returncode == 0, done.stderr
        for role in node.required_roles:
            signed = run_cli(
                "sign",
                str(path),
                "--node",
                node.id,
                "--role",
                role,
                "--signer",
                f"{names[role]} Reviewer",
                "--decision",
                "approve",
            )
            assert signed.returncode == 0, signed.stderr

    shipped = run_cli("gate", str(path), "--json")
    assert shipped.returncode == 0, shipped.stdout
    assert json.loads(shipped.stdout) == {"ship": True, "reasons": [], "conditions": []}
    assert run_cli("validate", str(path)).returncode == 0

    gated = next(n for n in template.nodes if n.kind.value == "decision")
    role = gated.required_roles[0]
    assert (
        run_cli(
            "sign",
            str(path),
            "--node",
            gated.title,
            "--role",
            role,
            "--signer",
            "Late Objector",
            "--decision",
            "reject",
            "--comment",
            "Drift monitoring is missing",
        ).returncode
        == 0
    )
    last = run_cli("gate", str(path))
    assert last.returncode == 1
    assert (
        f"  - '{gated.title}' was rejected by {names[role]} (Late Objector): Drift monitoring is missing\n"
        in last.stdout
    )
