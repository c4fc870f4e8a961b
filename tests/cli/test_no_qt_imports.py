"""The layering rule, checked in a fresh interpreter: every pure package imports, and every
command that needs no window runs, without PySide6 ever entering ``sys.modules``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

from tests.cli.cli_support import REPO

SCRIPT = textwrap.dedent(
    """
    import contextlib, importlib, io, json, pkgutil, sys
    from pathlib import Path

    work = Path(sys.argv[1])
    pure = ["sopdesigner.model", "sopdesigner.ops", "sopdesigner.editing", "sopdesigner.storage",
            "sopdesigner.export", "sopdesigner.rules", "sopdesigner.templates", "sopdesigner.errors",
            "sopdesigner.cli"]
    imported = []
    for name in pure:
        module = importlib.import_module(name)
        imported.append(name)
        for info in pkgutil.walk_packages(getattr(module, "__path__", []), name + "."):
            if info.name.startswith("sopdesigner.cli.gui"):
                continue  # the editor's entry point: imports the ui lazily, on purpose
            importlib.import_module(info.name)
            imported.append(info.name)

    from sopdesigner.cli import main

    f, ev = work / "doc.sop", work / "report.txt"
    ev.write_text("evidence")
    runs = [
        ["templates", "--json"],
        ["new", "--template", "ai-model-deployment-approval", f],
        ["status", f],
        ["status", f, "--json"],
        ["attach", f, "--node", "technical-validation", ev],
        ["tick", f, "--node", "technical-validation", "--item", "1"],
        ["sign", f, "--node", "technical-validation", "--role", "data-science", "--signer", "A", "--decision",
         "approve"],
        ["validate", f],
        ["gate", f, "--json"],
        ["export", f, "--json", work / "d.json"],
        ["import", work / "d.json", work / "imported.sop"],
        ["new", "--from", f, work / "next.sop"],
    ]
    optional = [  # exporters owned elsewhere; exercised when present
        ("sopdesigner.export.pdf_report", ["export", f, "--pdf", work / "r.pdf"]),
        ("sopdesigner.export.package", ["export", f, "--package", work / "p.zip"]),
        ("sopdesigner.export.verify", ["verify", work / "p.zip"]),
        ("sopdesigner.export.package", ["import", work / "p.zip", work / "from-package.sop"]),
    ]
    for module, args in optional:
        if importlib.util.find_spec(module) is not None:
            runs.append(args)
    codes = []
    for args in runs:
        with contextlib.redirect_stdout(io.StringIO()):
            codes.append([" ".join(str(a) for a in args), main([str(a) for a in args])])
    qt = sorted(m for m in sys.modules if m.split(".")[0] in ("PySide6", "shiboken6"))
    # Control: the same check does see Qt once the ui package is imported.
    importlib.import_module("sopdesigner.ui.controller")
    print(json.dumps({"qt": qt, "qt_after_ui": "PySide6" in sys.modules, "imported": imported,
                      "codes": codes}))
    """
)


def test_pure_packages_and_headless_commands_never_import_qt(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "SOPDESIGNER_", "QT_"))}
    env.update(SOPDESIGNER_HOME=str(tmp_path / "home"), PYTHONPATH=str(REPO), PYTHONUTF8="1")
    proc = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(tmp_path)],
        capture_output=True,
        env=env,
        cwd=tmp_path,
        timeout=240,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr.decode()
    report = json.loads(proc.stdout.decode().splitlines()[-1])
    assert report["qt"] == []
    for expected in (
        "sopdesigner.storage.document_file",
        "sopdesigner.export.diagram_json",
        "sopdesigner.cli.documents",
        "sopdesigner.cli.records",
        "sopdesigner.templates",
    ):
        assert expected in report["imported"]
    # Every command succeeded (gate says "no" for a fresh document: exit 1, by contract).
    codes = report["codes"]
    assert len(codes) >= 12
    for command, code in codes:
        assert code == (1 if command.startswith("gate ") else 0), command
    assert report["qt_after_ui"] is True
