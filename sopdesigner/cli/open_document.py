"""What the scripting commands share: reading a ``.sop`` file, changing it in one transaction,
and turning what a user typed (``--node``, ``--role``, ``--item``) into the ids the ops need.

Every file is opened through ``DocumentFile.open``, whose hostile-file checks run before a
byte is written, so a refused file is left exactly as it was. A change is applied through an
``EditSession`` (the only writer, which appends the audit events) and saved with one
``DocumentFile.save``: document, audit events and any new evidence bytes commit together.
"""

from __future__ import annotations

import difflib
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from sopdesigner.editing.session import EditSession
from sopdesigner.errors import DocumentFileError, UnknownIdError
from sopdesigner.model.document import ChecklistItem, Document, Node, Role
from sopdesigner.storage.blobs import BlobSource
from sopdesigner.storage.document_file import DocumentFile

T = TypeVar("T")


def read_document(path: str | os.PathLike[str]) -> Document:
    """The document in ``path`` (opened read-only, so reading never touches the file)."""
    with DocumentFile.open(path, read_only=True) as f:
        return f.load()


def change_document(
    path: str | os.PathLike[str],
    actor: str,
    edit: Callable[[EditSession], T],
    *,
    blobs: BlobSource | None = None,
) -> T:
    """Open ``path``, let ``edit`` apply ops through an ``EditSession``, save in one transaction.

    If ``edit`` raises, or applies nothing, nothing is saved. Evidence the document already lacked the bytes of
    (e.g. a document imported from a ``diagram.json``) does not block the save: only bytes this
    command adds must be supplied by ``blobs``. If another process saved the file between our
    load and our save (parallel pipeline jobs), storage refuses the stale save; the edit is then
    redone on the fresh document, so concurrent commands all land and none is lost.
    """
    for attempt in range(1, CONFLICT_RETRIES + 1):
        with DocumentFile.open(path) as f:
            doc = f.load()
            loaded_head = doc.audit_head
            have = f.blob_hashes()
            missing_before = {ev.sha256 for n in doc.nodes for ev in n.evidence if ev.sha256 not in have}
            session = EditSession(doc, actor)
            result = edit(session)
            if session.revision == 0:
                return result  # the edit found nothing to change: leave the file untouched
            try:
                f.save(doc, blobs=blobs, elsewhere=missing_before.__contains__ if missing_before else None)
            except DocumentFileError:
                if attempt < CONFLICT_RETRIES and _saved_by_someone_else(f, loaded_head):
                    continue
                raise
        return result
    raise AssertionError("unreachable: the last attempt returns or raises")


#: How often a command redoes its edit after losing a race with another writer of the file.
CONFLICT_RETRIES = 20


def _saved_by_someone_else(f: DocumentFile, loaded_head: str) -> bool:
    try:
        return f.load().audit_head != loaded_head
    except DocumentFileError:
        return False


def missing_evidence(doc: Document, source: BlobSource) -> list[str]:
    """File names of evidence the document lists but ``source`` has no bytes for."""
    return sorted({ev.filename for n in doc.nodes for ev in n.evidence if not source.has_blob(ev.sha256)})


# --------------------------------------------------------------------------- resolving names
def _close(word: str, candidates: list[str]) -> str:
    near = difflib.get_close_matches(word, candidates, n=3, cutoff=0.5)
    if not near:
        near = [c for c in candidates if word.casefold() in c.casefold()][:3]
    return f" Did you mean {', '.join(repr(n) for n in near)}?" if near else ""


def resolve_node(doc: Document, key: str) -> Node:
    """A node by id, else by exact title; an unknown key names close matches."""
    for n in doc.nodes:
        if n.id == key:
            return n
    titled = [n for n in doc.nodes if n.title == key]
    if len(titled) == 1:
        return titled[0]
    if titled:
        ids = ", ".join(n.id for n in titled)
        raise UnknownIdError(f"{len(titled)} nodes are titled '{key}'; give the id instead ({ids}).")
    hint = _close(key, [n.id for n in doc.nodes] + [n.title for n in doc.nodes])
    raise UnknownIdError(f"There is no node with id or title '{key}'.{hint}")


def resolve_role(doc: Document, key: str) -> Role:
    """A role by id, else by name (ignoring case)."""
    for r in doc.roles:
        if r.id == key:
            return r
    folded = key.strip().casefold()
    named = [r for r in doc.roles if r.name.strip().casefold() == folded]
    if len(named) == 1:
        return named[0]
    if named:
        raise UnknownIdError(f"Several roles are named '{key}'; give the role id instead.")
    hint = _close(key, [r.id for r in doc.roles] + [r.name for r in doc.roles])
    raise UnknownIdError(f"There is no role with id or name '{key}'.{hint}")


def resolve_item(node: Node, key: str) -> ChecklistItem:
    """A checklist item by 1-based position, else by exact text, else by id."""
    if not node.checklist:
        raise UnknownIdError(f"Node '{node.title}' has no checklist.")
    text = key.strip()
    if text.isdigit():
        i = int(text)
        if 1 <= i <= len(node.checklist):
            return node.checklist[i - 1]
        raise UnknownIdError(
            f"Node '{node.title}' has {len(node.checklist)} checklist items; there is no item {i}."
        )
    by_text = [item for item in node.checklist if item.text == key]
    if len(by_text) == 1:
        return by_text[0]
    if by_text:
        raise UnknownIdError(
            f"Several checklist items of '{node.title}' read '{key}'; give its number instead."
        )
    for item in node.checklist:
        if item.id == key:
            return item
    hint = _close(key, [item.text for item in node.checklist])
    raise UnknownIdError(f"Node '{node.title}' has no checklist item '{key}'.{hint}")


def require_new_path(path: str | os.PathLike[str]) -> Path:
    """A path a command may create: refuses to overwrite anything already there."""
    p = Path(path)
    if p.exists():
        raise DocumentFileError(f"'{p}' already exists; choose another name (nothing was overwritten).")
    if not p.parent.is_dir():
        raise DocumentFileError(f"The folder '{p.parent}' does not exist.")
    return p


# --------------------------------------------------------------------------- output
def say(text: str) -> None:
    """A line on stdout that cannot crash the command: a console that cannot show Greek or CJK
    (a Latin-1 locale, an old Windows code page) gets escapes instead of a traceback."""
    try:
        sys.stdout.write(text + "\n")
    except UnicodeEncodeError:
        encoding = sys.stdout.encoding or "ascii"
        sys.stdout.write(text.encode(encoding, "backslashreplace").decode(encoding) + "\n")


def say_json(data: Any) -> None:
    """JSON on stdout (same layout as ``common.print_json``); \\u escapes where the console needs them,
    so the output is valid JSON whatever the console's encoding."""
    try:
        sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True) + "\n")
    except UnicodeEncodeError:
        sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=True, sort_keys=True) + "\n")
