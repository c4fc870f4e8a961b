"""Running the CLI in tests: in a subprocess exactly as a pipeline would, or in-process for speed,
plus the small file helpers the CLI tests share (real .sop files, header reads, chain checks)."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from sopdesigner.cli import main
from sopdesigner.model.document import Document
from sopdesigner.storage.document_file import DocumentFile

REPO = Path(__file__).resolve().parents[2]


@dataclass
class Result:
    code: int
    out: str
    err: str

    @property
    def err_lines(self) -> list[str]:
        return [line for line in self.err.splitlines() if line.strip()]


def run_cli(
    *args: str | os.PathLike[str],
    home: Path,
    cwd: Path | None = None,
    env_extra: dict[str, str] | None = None,
) -> Result:
    """``python -m sopdesigner ARGS`` in a fresh interpreter, with its own SOPDESIGNER_HOME."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "SOPDESIGNER_"))}
    env.update(SOPDESIGNER_HOME=str(home), PYTHONPATH=str(REPO), QT_QPA_PLATFORM="offscreen", PYTHONUTF8="1")
    env.update(env_extra or {})
    proc = subprocess.run(
        [sys.executable, "-m", "sopdesigner", *map(str, args)],
        capture_output=True,
        env=env,
        cwd=cwd,
        timeout=120,
        check=False,
    )
    encoding = (env_extra or {}).get("PYTHONIOENCODING", "utf-8")
    return Result(proc.returncode, proc.stdout.decode(encoding), proc.stderr.decode(encoding))


def run_main(capsys, *args: str | os.PathLike[str]) -> Result:
    """``main([...])`` in this process (fast); output captured with pytest's capsys."""
    capsys.readouterr()
    code = main([str(a) for a in args])
    captured = capsys.readouterr()
    return Result(code, captured.out, captured.err)


def write_sop(path: Path, doc: Document) -> Path:
    DocumentFile.create(path, doc).close()
    return path


def load(path: Path) -> Document:
    with DocumentFile.open(path, read_only=True) as f:
        return f.load()


def change_counter(path: Path) -> int:
    """SQLite's file change counter (header offset 24): +1 per committed write transaction."""
    with open(path, "rb") as f:
        header = f.read(100)
    return int.from_bytes(header[24:28], "big")


def independent_chain_check(events: list[dict]) -> None:
    """Recompute the audit hash chain from the contract text in PRODUCT.md, not from product code:
    hash = SHA-256 hex of UTF-8 ``json.dumps(event_without_hash, sort_keys=True,
    separators=(",", ":"), ensure_ascii=False)``; seq 1, 2, …; the first prev_hash is 64 zeros."""
    prev = "0" * 64
    for position, event in enumerate(events, start=1):
        assert event["seq"] == position
        assert set(event) == {"seq", "at", "actor", "action", "node", "details", "prev_hash", "hash"}
        assert event["prev_hash"] == prev
        assert event["at"].endswith("Z")
        body = {k: v for k, v in event.items() if k != "hash"}
        text = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        assert digest == event["hash"], f"event {position} does not hash to its stored hash"
        prev = digest
