"""Import: a ``diagram.json`` or an audit package becomes a new document whose audit trail
ends with a ``document.imported`` event (PRODUCT.md). One path for the CLI and the editor.

A package is verified before anything in it is used (``read_package`` refuses one that is not
intact) and its evidence comes back as verified bytes; a ``diagram.json`` holds no evidence
bytes, so evidence it lists is reported as missing rather than silently dropped.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sopdesigner.editing.session import EditSession
from sopdesigner.errors import DocumentFileError, ImportRefusedError
from sopdesigner.model.document import Document
from sopdesigner.storage.blobs import BlobSource, hash_file

ZIP_MAGIC = b"PK\x03\x04"


@dataclass
class Imported:
    document: Document
    #: Verified evidence bytes (packages only); valid inside the ``importing`` block.
    blobs: BlobSource | None
    #: Evidence the document lists but whose bytes the source did not carry (diagram.json).
    missing_bytes: set[str] = field(default_factory=set)
    is_package: bool = False


def is_package(path: Path) -> bool:
    with open(path, "rb") as f:
        return f.read(4) == ZIP_MAGIC


@contextlib.contextmanager
def importing(src: str | Path, actor: str) -> Iterator[Imported]:
    """Read ``src`` and yield the new document (extracted evidence is removed on exit)."""
    path = Path(src)
    if not path.is_file():
        raise DocumentFileError(f"The file '{path}' does not exist.")
    if is_package(path):
        from sopdesigner.export.package import read_package

        sha = hash_file(path)[0]
        document, blobs = read_package(path)  # verifies first; refuses anything not intact
        with blobs:
            lacking = sorted(
                {ev.filename for n in document.nodes for ev in n.evidence if not blobs.has_blob(ev.sha256)}
            )
            if lacking:
                raise ImportRefusedError(
                    f"'{path.name}' lacks the evidence file '{lacking[0]}', so it was not imported."
                )
            EditSession(document, actor).log("document.imported", None, {"source": path.name, "sha256": sha})
            yield Imported(document, blobs, set(), is_package=True)
        return
    from sopdesigner.export.diagram_json import MAX_BYTES, load_diagram

    if path.stat().st_size > MAX_BYTES:
        raise ImportRefusedError(f"{path.name}: the file is too large to be a SOP diagram.")
    data = path.read_bytes()
    document = load_diagram(data, source=path.name)
    EditSession(document, actor).log(
        "document.imported", None, {"source": path.name, "sha256": hashlib.sha256(data).hexdigest()}
    )
    listed = {ev.sha256 for n in document.nodes for ev in n.evidence}
    yield Imported(document, None, listed)
