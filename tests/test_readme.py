"""README.md is the assembly of docs/readme/ (tools/build_readme.py): neither may drift."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_readme_is_assembled_from_its_sections():
    spec = importlib.util.spec_from_file_location("build_readme", ROOT / "tools" / "build_readme.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert (ROOT / "README.md").read_text(encoding="utf-8") == module.build(), (
        "README.md is stale: run python tools/build_readme.py"
    )


def test_readme_has_the_two_setup_commands_ci_runs():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    test_command = 'pip install -e ".[test]" && QT_QPA_PLATFORM=offscreen pytest'
    assert test_command in readme and test_command in ci
    assert "pip install -e . && sopdesigner" in readme
