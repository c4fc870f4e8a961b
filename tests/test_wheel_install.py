"""A real, non-editable install finds its data: build the wheel from this source tree (offline),
install it into an empty folder, and import it from there with the repository off ``sys.path``.

This catches what an editable install hides: templates and resources live at the repository
root and only reach ``sopdesigner/templates`` and ``sopdesigner/resources`` through pyproject's
``force-include``.
"""

from __future__ import annotations

import json
import os
import site
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
BUILTINS = {
    "ai-model-deployment-approval",
    "credit-scoring-bank",
    "healthcare-diagnostic-ai",
    "ecommerce-recommendation",
    "internal-productivity-ai",
}

CHECK = textwrap.dedent(
    """
    import io, json, sys, contextlib
    import sopdesigner
    from sopdesigner.templates import list_templates, load_template, resources_dir, templates_dir
    from sopdesigner.cli import main

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["templates", "--json"])
    res = resources_dir()
    print(json.dumps({
        "package": sopdesigner.__file__,
        "templates_dir": str(templates_dir()),
        "resources_dir": str(res),
        "builtins": [t.id for t in list_templates() if t.builtin],
        "nodes": len(load_template("credit-scoring-bank").nodes),
        "schema": (res / "diagram.schema.json").is_file(),
        "fonts": sorted(p.name for p in (res / "fonts").iterdir()),
        "cli_code": code,
        "cli_ids": [t["id"] for t in json.loads(out.getvalue())],
    }))
    """
)


def _env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "PIP_INDEX_URL")}
    env.update(SOPDESIGNER_HOME=str(tmp_path / "home"), PIP_NO_INDEX="1", PIP_DISABLE_PIP_VERSION_CHECK="1")
    return env


@pytest.mark.slow
def test_wheel_install_finds_templates_and_resources(tmp_path):
    pytest.importorskip("hatchling", reason="the offline wheel build needs hatchling (test extra)")
    env = _env(tmp_path)
    wheels, target = tmp_path / "wheels", tmp_path / "installed"
    build = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-index",
            "--no-build-isolation",
            "-w",
            str(wheels),
            str(REPO),
        ],
        capture_output=True,
        env=env,
        cwd=tmp_path,
        timeout=150,
        check=False,
    )
    assert build.returncode == 0, build.stderr.decode()[-2000:]
    [wheel] = wheels.glob("sopdesigner-*.whl")
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
    assert "sopdesigner/templates/credit-scoring-bank.json" in names
    assert "sopdesigner/resources/diagram.schema.json" in names
    assert not any(n.startswith(("tests/", "templates/", "resources/")) for n in names)

    install = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "--no-index",
            "--target",
            str(target),
            str(wheel),
        ],
        capture_output=True,
        env=env,
        cwd=tmp_path,
        timeout=150,
        check=False,
    )
    assert install.returncode == 0, install.stderr.decode()[-2000:]

    # The installed copy first, then this venv's dependencies; -S skips site, so the editable
    # install's .pth (which would put the repository back on the path) is never read.
    deps = [p for p in site.getsitepackages() if Path(p).resolve() != REPO]
    # The standard library stays; the current folder ('') and anything else is dropped.
    path_setup = (
        f"import sys; sys.path[:] = {[str(target), *deps]!r} "
        "+ [p for p in sys.path if p and 'site-packages' not in p]\n"
    )
    run = subprocess.run(
        [sys.executable, "-S", "-c", path_setup + CHECK],
        capture_output=True,
        env=env,
        cwd=tmp_path,
        timeout=150,
        check=False,
    )
    assert run.returncode == 0, run.stderr.decode()[-2000:]
    report = json.loads(run.stdout.decode().splitlines()[-1])
    assert Path(report["package"]).is_relative_to(target)
    assert Path(report["templates_dir"]) == target / "sopdesigner" / "templates"
    assert Path(report["resources_dir"]) == target / "sopdesigner" / "resources"
    assert set(report["builtins"]) == BUILTINS
    assert report["nodes"] > 5
    assert report["schema"] is True
    assert any(name.endswith(".ttf") for name in report["fonts"])
    assert report["cli_code"] == 0 and set(report["cli_ids"]) == BUILTINS
