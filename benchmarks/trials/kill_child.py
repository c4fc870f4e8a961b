"""The child of a kill-during-write trial: one real write (a CLI command or a save), killed by
itself with SIGKILL at a random moment.

Run as ``python kill_child.py SPEC.json``. The spec names the scenario, the files, and how to
die: ``timer`` (a thread SIGKILLs the process ``delay`` seconds after the write starts; SQLite
releases the GIL, so this lands inside its commit) or ``trace`` (SIGKILL at the ``step``-th
Python line executed after the write starts). ``calibrate`` runs without a kill and reports
the write's duration and line count. Before the write starts, the document about to be
written is saved to ``expected`` (renamed into place, so it is complete if present).
"""

from __future__ import annotations

import json
import os
import signal
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve()
sys.path.insert(0, str(HERE.parents[2]))

from sopdesigner.storage import document_file, workspace  # noqa: E402

SPEC = json.loads(Path(sys.argv[1]).read_text())
_armed = False
_lines = 0
_t0 = 0.0


def _die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def _tracer(frame, event, arg):
    global _lines
    if event == "line":
        _lines += 1
        if SPEC["kill"] == "trace" and _lines >= SPEC["step"]:
            _die()
    return _tracer


def _arm(document) -> None:
    """First entry into a write: record what is about to be written, then start the clock."""
    global _armed, _t0
    if _armed:
        return
    _armed = True
    expected = Path(SPEC["expected"])
    part = expected.with_suffix(".part")
    part.write_text(document.model_dump_json())
    os.replace(part, expected)
    _t0 = time.perf_counter()
    if SPEC["kill"] == "timer":
        timer = threading.Timer(SPEC["delay"], _die)
        timer.daemon = True
        timer.start()
    elif SPEC["kill"] in ("trace", "calibrate"):
        sys.settrace(_tracer)
        threading.settrace(_tracer)


def _ours(path) -> bool:
    """Writes to the trial's document or target; the private autosave file does not count."""
    return str(path).endswith(".sop") or ".sop." in Path(path).name


def _wrap_save(orig):
    def save(self, document, **kw):
        if _ours(self.path):
            _arm(document)
        return orig(self, document, **kw)

    return save


def _wrap_create(orig):
    def create(cls, path, document, **kw):
        if _ours(path):
            _arm(document)
        return orig.__func__(cls, path, document, **kw)

    return classmethod(create)


def _wrap_ws_save(orig):
    def save(self, path=None):
        _arm(self.document)
        return orig(self, path)

    return save


document_file.DocumentFile.save = _wrap_save(document_file.DocumentFile.save)
document_file.DocumentFile.create = _wrap_create(document_file.DocumentFile.__dict__["create"])
workspace.Workspace.save = _wrap_ws_save(workspace.Workspace.save)


def run() -> None:
    scenario = SPEC["scenario"]
    path = SPEC["path"]
    if scenario.startswith("cli-"):
        import runpy

        sys.argv = ["sopdesigner", *SPEC["argv"]]
        try:
            runpy.run_module("sopdesigner", run_name="__main__", alter_sys=True)
        except SystemExit as exit_:
            if exit_.code not in (0, None):
                raise
        return
    from sopdesigner.editing.session import EditSession
    from sopdesigner.model.document import Evidence
    from sopdesigner.ops import AttachEvidence, SetItemDone, SignNode
    from sopdesigner.storage.blobs import FileBlobs, hash_file
    from sopdesigner.storage.document_file import DocumentFile
    from sopdesigner.storage.workspace import Workspace

    def edit(session: EditSession) -> None:
        for i in range(1, 90, 3):
            session.apply(SetItemDone(f"n{i}", f"c{i}-0", True))
        session.apply(SignNode("risk", "Kim Counsel", "legal", "approve", signoff_id="kill-sign"))

    evidence = Path(SPEC["evidence"])
    if scenario == "file-save":
        sha, size = hash_file(evidence)
        with DocumentFile.open(path) as f:
            doc = f.load()
            session = EditSession(doc, "trial")
            edit(session)
            session.apply(
                AttachEvidence("validate", Evidence(id="kill-ev", sha256=sha, size=size, filename="e.bin"))
            )
            f.save(doc, blobs=FileBlobs({sha: evidence}))
        return
    if scenario in ("ws-save", "ws-saveas"):
        ws = Workspace.open(path)
        session = EditSession(ws.document, "trial")
        edit(session)
        blob = ws.add_evidence_file(evidence)
        session.apply(
            AttachEvidence(
                "validate", Evidence(id="kill-ev", sha256=blob.sha256, size=blob.size, filename="e.bin")
            )
        )
        ws.autosave()
        ws.save(SPEC["target"] if scenario == "ws-saveas" else None)
        ws.close()
        return
    if scenario == "ws-create":
        with DocumentFile.open(path, read_only=True) as f:
            doc = f.load()
        ws = Workspace.new(doc)
        ws.save(SPEC["target"])
        ws.close()
        return
    raise SystemExit(f"unknown scenario {scenario}")


run()
sys.settrace(None)
threading.settrace(None)  # type: ignore[arg-type]
if SPEC["kill"] in ("calibrate", "none"):
    print(json.dumps({"seconds": time.perf_counter() - _t0, "lines": _lines, "armed": _armed}))
