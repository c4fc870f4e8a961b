"""Fault fixtures for the I/O trials: a tiny tmpfs (a disk that fills up), a read-only view of a
folder (a read-only bind mount: root ignores file modes), and running a child as an
unprivileged user. Each skips with the reason when the machine does not allow it."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NOBODY = 65534


def _run(*argv: str) -> bool:
    return subprocess.run(argv, capture_output=True).returncode == 0


@contextlib.contextmanager
def small_disk(size_kib: int) -> Iterator[Path]:
    """A tmpfs of ``size_kib`` KiB (root only; skips elsewhere)."""
    if sys.platform != "linux" or os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root on Linux")
    mount = Path(f"/tmp/sop-small-disk-{uuid.uuid4().hex[:8]}")
    mount.mkdir()
    if not _run("mount", "-t", "tmpfs", "-o", f"size={size_kib}k", "tmpfs", str(mount)):
        mount.rmdir()
        pytest.skip("this sandbox does not allow mounting a tmpfs")
    try:
        yield mount
    finally:
        _run("umount", "-l", str(mount))
        with contextlib.suppress(OSError):
            mount.rmdir()


@contextlib.contextmanager
def read_only_view(folder: Path) -> Iterator[Path]:
    """``folder`` seen through a read-only bind mount (writes fail with EROFS, even for root)."""
    if sys.platform != "linux" or os.geteuid() != 0:
        pytest.skip("a read-only bind mount needs root on Linux")
    view = Path(f"/tmp/sop-ro-view-{uuid.uuid4().hex[:8]}")
    view.mkdir()
    if not (
        _run("mount", "--bind", str(folder), str(view)) and _run("mount", "-o", "remount,bind,ro", str(view))
    ):
        _run("umount", "-l", str(view))
        view.rmdir()
        pytest.skip("this sandbox does not allow a read-only bind mount")
    try:
        yield view
    finally:
        _run("umount", "-l", str(view))
        with contextlib.suppress(OSError):
            view.rmdir()


def cli(
    *args: str, home: Path, fsize: int | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess:
    """``python -m sopdesigner ARGS`` in a child, optionally with a file-size limit (SIGXFSZ
    ignored, so writing past it fails with EFBIG like a full disk)."""

    def setup() -> None:
        if fsize is not None:
            import resource
            import signal

            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))

    env = {**os.environ, "SOPDESIGNER_HOME": str(home), "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "sopdesigner", *args],
        capture_output=True,
        text=True,
        env=env,
        preexec_fn=setup,
        cwd=cwd or ROOT,
        timeout=120,
    )


def one_sentence(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr
    return lines[0]


def cli_as_user(*args: str, home: Path, user: int) -> tuple[int, str]:
    """``sopdesigner ARGS`` in a forked child that dropped to ``user`` (the venv's interpreter
    may live where that user cannot read, so the child keeps the parent's loaded modules)."""
    import importlib
    import tempfile

    for name in (
        "sopdesigner.cli",
        "sopdesigner.cli.documents",
        "sopdesigner.cli.records",
        "sopdesigner.cli.checks",
        "sopdesigner.cli.status_table",
        "sopdesigner.ops.records",
        "sopdesigner.ops.checklist",
        "sopdesigner.storage.blobs",
        "sopdesigner.storage.settings",
        "sopdesigner.rules.validation",
        "sopdesigner.rules.gate",
        "platformdirs",
        "mimetypes",
    ):
        with contextlib.suppress(ImportError):
            importlib.import_module(name)
    from sopdesigner.cli import main

    with tempfile.TemporaryFile("w+") as err:
        pid = os.fork()
        if pid == 0:  # the child: never return into pytest
            code = 70
            try:
                os.dup2(err.fileno(), 2)
                os.environ["SOPDESIGNER_HOME"] = str(home)
                os.setgid(user)
                os.setuid(user)
                sys.stderr = os.fdopen(2, "w", closefd=False)
                code = main(list(args))
                sys.stderr.flush()
            except BaseException:
                import traceback

                traceback.print_exc()
                sys.stderr.flush()
            finally:
                os._exit(code)
        _, status = os.waitpid(pid, 0)
        err.seek(0)
        return os.waitstatus_to_exitcode(status), err.read()
