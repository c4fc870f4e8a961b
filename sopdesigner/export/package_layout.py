"""Where things live inside an audit package, shared by the writer and the verifier.

Evidence goes to ``data/evidence/<node>/<filename>``; node ids and file names are made safe
as single path components on every operating system, and collisions (also after case folding
and Unicode normalisation) are resolved deterministically in document order, so the verifier
recomputes exactly the paths the writer used from ``diagram.json`` alone.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence

PAYLOAD_FILES = ("data/report.pdf", "data/diagram.json", "data/audit-log.jsonl")
MANIFEST = "manifest-sha256.txt"
TAG_MANIFEST = "tagmanifest-sha256.txt"
EVIDENCE_DIR = "data/evidence"
MAX_COMPONENT = 120

_UNSAFE = re.compile(r'[<>:"/\\|?*]')
_RESERVED = {
    "con",
    "prn",
    "aux",
    "nul",
    *(f"com{i}" for i in range(1, 10)),
    *(f"lpt{i}" for i in range(1, 10)),
}


def safe_component(name: str, fallback: str) -> str:
    """One path component that is the same, legal and harmless on Windows, macOS and Linux."""
    text = unicodedata.normalize("NFC", name)
    text = re.split(r"[/\\]", text)[-1]  # a file name that smuggles a path keeps only its last part
    text = "".join(ch for ch in text if unicodedata.category(ch) not in ("Cc", "Cf", "Cs"))
    text = _UNSAFE.sub("_", text).strip(" .")
    if not text:
        return fallback
    if text.split(".", 1)[0].casefold() in _RESERVED:
        text = "_" + text
    if len(text) > MAX_COMPONENT:
        stem, dot, ext = text.rpartition(".")
        if dot and 0 < len(ext) <= 16:
            text = stem[: MAX_COMPONENT - len(ext) - 1].rstrip(" .") + "." + ext
        else:
            text = text[:MAX_COMPONENT].rstrip(" .")
    return text or fallback


def _unique(name: str, taken: set[str]) -> str:
    if name.casefold() not in taken:
        taken.add(name.casefold())
        return name
    stem, dot, ext = name.rpartition(".")
    if not dot or not stem:
        stem, ext = name, ""
    n = 2
    while True:
        candidate = f"{stem} ({n}).{ext}" if ext else f"{stem} ({n})"
        if candidate.casefold() not in taken:
            taken.add(candidate.casefold())
            return candidate
        n += 1


def evidence_paths(nodes: Iterable[tuple[str, Sequence[str]]]) -> list[list[str]]:
    """For each ``(node_id, [evidence filename, …])``, the package path of each evidence entry."""
    dirs: set[str] = set()
    out: list[list[str]] = []
    for node_id, filenames in nodes:
        folder = _unique(safe_component(node_id, "node"), dirs)
        names: set[str] = set()
        out.append(
            [f"{EVIDENCE_DIR}/{folder}/{_unique(safe_component(f, 'evidence'), names)}" for f in filenames]
        )
    return out


def bag_folder_name(stem: str) -> str:
    """The package's one top-level folder, named after the zip file."""
    return safe_component(stem, "audit-package")


def decode_manifest_path(path: str) -> str:
    """RFC 8493 §2.1.3: CR, LF and % in manifest paths are percent-encoded."""
    return re.sub(r"%0[Dd]", "\r", re.sub(r"%0[Aa]", "\n", path)).replace("%25", "%")
