"""``verify_package``: is an audit package intact, tampered with, hostile or unreadable?

The zip is treated as hostile: its entries are checked (``zipsafe``) before any member is
read, and members are streamed and hashed in memory, never extracted. Then the bag is checked
as RFC 8493 says (bagit.txt, bag-info.txt, payload and tag manifests: completeness and
SHA-256), and the contents against each other: the audit hash chain and its head against
``bag-info.txt``, ``diagram.json``'s audit against ``audit-log.jsonl``, every evidence file
against ``diagram.json``'s evidence entries, and sign-offs and evidence against the audit
events that recorded them. Every finding names the file and what is wrong.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from sopdesigner.export import zipsafe
from sopdesigner.export.package_layout import (
    MANIFEST,
    PAYLOAD_FILES,
    TAG_MANIFEST,
    decode_manifest_path,
    evidence_paths,
)
from sopdesigner.model.audit import verify_chain

Status = Literal["intact", "tampered", "hostile", "unreadable"]
EXIT_CODES: dict[str, int] = {"intact": 0, "tampered": 1, "hostile": 2, "unreadable": 2}
#: Tag files and JSON are kept in memory to be parsed; past this they are refused.
MAX_TEXT_BYTES = 256 * 1024 * 1024
_TEXT_FILES = {
    "bagit.txt",
    "bag-info.txt",
    MANIFEST,
    TAG_MANIFEST,
    "data/diagram.json",
    "data/audit-log.jsonl",
}
_HEX64 = re.compile(r"^[0-9a-f]{64}$")
_SIGNOFF_FIELDS = ("signer", "role", "decision", "meaning", "comment", "conditions")


@dataclass(frozen=True)
class Finding:
    file: str  # path inside the bag ("data/evidence/x/report.pdf"), or "" for the whole package
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.message}" if self.file else self.message


@dataclass
class VerifyReport:
    status: Status
    problems: list[Finding]
    summary: str

    @property
    def intact(self) -> bool:
        return self.status == "intact"

    ok = intact

    @property
    def exit_code(self) -> int:
        return EXIT_CODES[self.status]

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "summary": self.summary,
            "problems": [{"file": p.file, "message": p.message} for p in self.problems],
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2, sort_keys=True)


@dataclass
class _Scan:
    """What verification learned, reused by ``read_package`` to extract exactly what it checked."""

    root: str = ""
    files: dict[str, zipfile.ZipInfo] = field(default_factory=dict)  # bag-relative path → entry
    hashes: dict[str, tuple[str, int]] = field(default_factory=dict)  # bag-relative path → (sha, size)
    text: dict[str, bytes] = field(default_factory=dict)
    evidence: dict[str, str] = field(default_factory=dict)  # bag-relative path → expected sha256
    events: list[dict[str, Any]] = field(default_factory=list)
    claimed_head: str | None = None  # bag-info.txt's Audit-Head-SHA256 ("" if absent, None if no bag-info)


def verify_package(path: str | os.PathLike[str]) -> VerifyReport:
    """Check an audit package; never raises for a bad package (the report says what is wrong)."""
    return _verify(Path(path))[0]


def _unreadable(message: str) -> VerifyReport:
    return VerifyReport("unreadable", [Finding("", message)], f"Unreadable: {message}")


def _verify(path: Path) -> tuple[VerifyReport, _Scan | None]:
    name = path.name
    try:
        zf = zipfile.ZipFile(path)
    except FileNotFoundError:
        return _unreadable(f"{name} does not exist."), None
    except IsADirectoryError:
        return _unreadable(f"{name} is a folder, not an audit package (.zip)."), None
    except PermissionError:
        return _unreadable(f"{name} cannot be read (permission denied)."), None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        return _unreadable(f"{name} is not a readable ZIP archive."), None
    with zf:
        try:
            hostile = zipsafe.check_entries(zf)
        except (ValueError, OSError) as err:
            return _unreadable(f"{name} has a damaged central directory ({err})."), None
        if hostile:
            return _hostile(name, [Finding(p.name, p.message) for p in hostile]), None
        scan = _Scan()
        roots = {i.orig_filename.split("/", 1)[0] for i in zf.infolist()}
        if len(roots) != 1 or any("/" not in i.orig_filename for i in zf.infolist()):
            return _unreadable(
                f"{name} is not an audit package: it must hold exactly one top-level folder."
            ), None
        scan.root = roots.pop()
        for info in zf.infolist():
            if zipsafe.entry_kind(info) == "file":
                scan.files[info.orig_filename[len(scan.root) + 1 :]] = info
        if "bagit.txt" not in scan.files and "data/diagram.json" not in scan.files:
            return _unreadable(
                f"{name} is not an audit package: it has no bagit.txt and no data/diagram.json."
            ), None
        problems: list[Finding] = []
        budget = zipsafe.Budget()
        for rel, info in sorted(scan.files.items()):
            try:
                _hash_member(zf, rel, info, budget, scan, problems)
            except zipsafe.HostileArchiveError as err:
                return _hostile(name, [Finding(rel, err.problem.message)]), None
    problems += _check_bag(scan)
    problems += _check_contents(scan)
    if problems:
        count = f"{len(problems)} problem{'s' if len(problems) != 1 else ''}"
        return VerifyReport("tampered", problems, f"Tampered: {count}; first: {problems[0]}"), scan
    payload = [p for p in scan.files if p.startswith("data/")]
    size = sum(scan.hashes[p][1] for p in payload)
    head = scan.events[-1]["hash"] if scan.events else "0" * 64
    summary = (
        f"Intact: {len(payload)} payload files ({size} bytes) match their SHA-256 manifests; the audit trail's "
        f"{len(scan.events)} events form an unbroken hash chain ending in {head}; every evidence file matches "
        "diagram.json."
    )
    return VerifyReport("intact", [], summary), scan


def _hostile(name: str, findings: list[Finding]) -> VerifyReport:
    return VerifyReport("hostile", findings, f"Refused: {name} is a hostile archive; {findings[0]}.")


def _hash_member(
    zf: zipfile.ZipFile,
    rel: str,
    info: zipfile.ZipInfo,
    budget: zipsafe.Budget,
    scan: _Scan,
    problems: list[Finding],
) -> None:
    digest = hashlib.sha256()
    keep = rel in _TEXT_FILES
    parts: list[bytes] = []
    size = 0
    try:
        for chunk in zipsafe.stream_member(zf, info, budget):
            digest.update(chunk)
            size += len(chunk)
            if keep:
                if size > MAX_TEXT_BYTES:
                    problems.append(Finding(rel, "is too large to be a genuine package file"))
                    keep = False
                    parts = []
                else:
                    parts.append(chunk)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as err:
        problems.append(Finding(rel, f"is damaged inside the archive ({err})"))
        return
    scan.hashes[rel] = (digest.hexdigest(), size)
    if keep:
        scan.text[rel] = b"".join(parts)


# -- the bag ---------------------------------------------------------------------------------
def _tags(data: bytes, rel: str, problems: list[Finding]) -> dict[str, str] | None:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        problems.append(Finding(rel, "is not UTF-8 text"))
        return None
    tags: dict[str, str] = {}
    last = None
    for line in text.splitlines():
        if not line.strip():
            continue
        if line[0] in " \t" and last is not None:
            tags[last] += " " + line.strip()
            continue
        label, sep, value = line.partition(":")
        if not sep:
            problems.append(Finding(rel, f"has a line that is not 'Label: value': {line[:60]!r}"))
            continue
        last = label.strip()
        tags[last] = value.strip()
    return tags


def _manifest(data: bytes, rel: str, problems: list[Finding]) -> dict[str, str]:
    entries: dict[str, str] = {}
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        problems.append(Finding(rel, "is not UTF-8 text"))
        return entries
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = line.split(None, 1)
        if len(parts) != 2 or not _HEX64.match(parts[0].lower()):
            problems.append(Finding(rel, f"line {number} is not 'SHA-256 path'"))
            continue
        target = decode_manifest_path(parts[1].strip())
        if target in entries:
            problems.append(Finding(rel, f"lists {target} twice"))
        entries[target] = parts[0].lower()
    return entries


def _check_bag(scan: _Scan) -> list[Finding]:
    problems: list[Finding] = []
    if "bagit.txt" not in scan.text:
        problems.append(Finding("bagit.txt", "is missing, so this is not a complete BagIt bag"))
    else:
        tags = _tags(scan.text["bagit.txt"], "bagit.txt", problems) or {}
        if tags.get("BagIt-Version") not in ("1.0", "0.97"):
            problems.append(
                Finding("bagit.txt", f"declares BagIt-Version {tags.get('BagIt-Version')!r}, not 1.0")
            )
        if tags.get("Tag-File-Character-Encoding", "").upper() != "UTF-8":
            problems.append(Finding("bagit.txt", "does not declare Tag-File-Character-Encoding: UTF-8"))
    payload = {p for p in scan.files if p.startswith("data/")}
    if MANIFEST not in scan.text:
        problems.append(Finding(MANIFEST, "is missing, so the payload cannot be checked"))
    else:
        listed = _manifest(scan.text[MANIFEST], MANIFEST, problems)
        for target, sha in sorted(listed.items()):
            if not target.startswith("data/"):
                problems.append(Finding(MANIFEST, f"lists {target}, which is outside data/"))
            elif target not in scan.files:
                problems.append(Finding(target, "is listed in the manifest but missing from the package"))
            elif target in scan.hashes and scan.hashes[target][0] != sha:
                problems.append(Finding(target, "SHA-256 does not match the manifest"))
        for target in sorted(payload - set(listed)):
            problems.append(Finding(target, f"is in the package but not listed in {MANIFEST}"))
    tag_files = {p for p in scan.files if not p.startswith("data/") and not p.startswith("tagmanifest-")}
    if TAG_MANIFEST not in scan.text:
        problems.append(Finding(TAG_MANIFEST, "is missing, so the tag files cannot be checked"))
    else:
        listed = _manifest(scan.text[TAG_MANIFEST], TAG_MANIFEST, problems)
        for target, sha in sorted(listed.items()):
            if target not in scan.files:
                problems.append(Finding(target, "is listed in the tag manifest but missing from the package"))
            elif target in scan.hashes and scan.hashes[target][0] != sha:
                problems.append(Finding(target, "SHA-256 does not match the tag manifest"))
        for target in sorted(tag_files - set(listed)):
            problems.append(Finding(target, f"is in the package but not listed in {TAG_MANIFEST}"))
    if "bag-info.txt" not in scan.text:
        problems.append(Finding("bag-info.txt", "is missing"))
    else:
        info = _tags(scan.text["bag-info.txt"], "bag-info.txt", problems) or {}
        oxum = info.get("Payload-Oxum")
        if oxum is not None:
            actual = f"{sum(scan.hashes.get(p, ('', 0))[1] for p in payload)}.{len(payload)}"
            if oxum != actual:
                problems.append(
                    Finding("bag-info.txt", f"Payload-Oxum is {oxum} but the payload is {actual}")
                )
        scan.claimed_head = info.get("Audit-Head-SHA256", "")
    for required in PAYLOAD_FILES:
        if required not in scan.files:
            problems.append(Finding(required, "is missing from the package"))
    return problems


# -- the contents ----------------------------------------------------------------------------
def _check_contents(scan: _Scan) -> list[Finding]:
    problems: list[Finding] = []
    events = _audit_events(scan, problems)
    head = events[-1].get("hash") if events else "0" * 64
    claimed = scan.claimed_head
    if claimed is not None:
        if not claimed:
            problems.append(Finding("bag-info.txt", "has no Audit-Head-SHA256"))
        elif events is not None and claimed != head:
            problems.append(
                Finding("bag-info.txt", f"Audit-Head-SHA256 is {claimed} but the audit trail ends in {head}")
            )
    diagram = _diagram(scan, problems)
    if diagram is None:
        return problems
    if events is not None:
        audit = diagram.get("audit", [])
        if audit != events:
            where = next(
                (i + 1 for i, (a, b) in enumerate(zip(audit, events, strict=False)) if a != b),
                min(len(audit), len(events)) + 1,
            )
            problems.append(
                Finding(
                    "data/diagram.json",
                    f"its audit trail differs from data/audit-log.jsonl (from event {where})",
                )
            )
    problems += _check_evidence(scan, diagram)
    problems += _check_records(diagram, events or [])
    return problems


def _audit_events(scan: _Scan, problems: list[Finding]) -> list[dict[str, Any]] | None:
    rel = "data/audit-log.jsonl"
    data = scan.text.get(rel)
    if data is None:
        return None
    try:
        lines = data.decode("utf-8").split("\n")
    except UnicodeDecodeError:
        problems.append(Finding(rel, "is not UTF-8 text"))
        return None
    if lines and lines[-1] == "":
        lines.pop()
    events: list[dict[str, Any]] = []
    for number, line in enumerate(lines, start=1):
        try:
            event = json.loads(line)
        except (json.JSONDecodeError, RecursionError, ValueError):
            problems.append(Finding(rel, f"line {number} is not a JSON object"))
            return None
        if not isinstance(event, dict):
            problems.append(Finding(rel, f"line {number} is not a JSON object"))
            return None
        events.append(event)
    chain = verify_chain(events)
    if chain is not None:
        problems.append(Finding(rel, f"the hash chain is broken: {chain.message}"))
    scan.events = events
    return events


def _diagram(scan: _Scan, problems: list[Finding]) -> dict[str, Any] | None:
    rel = "data/diagram.json"
    data = scan.text.get(rel)
    if data is None:
        return None
    try:
        diagram = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError, ValueError):
        problems.append(Finding(rel, "is not valid UTF-8 JSON"))
        return None
    if not isinstance(diagram, dict) or not isinstance(diagram.get("nodes", []), list):
        problems.append(Finding(rel, "is not a SOP diagram (no list of nodes)"))
        return None
    return diagram


def _node_list(diagram: dict[str, Any]) -> list[dict[str, Any]]:
    return [n for n in diagram.get("nodes", []) if isinstance(n, dict)]


def _records(node: dict[str, Any], key: str) -> list[dict[str, Any]]:
    items = node.get(key, [])
    return [x for x in items if isinstance(x, dict)] if isinstance(items, list) else []


def _check_evidence(scan: _Scan, diagram: dict[str, Any]) -> list[Finding]:
    problems: list[Finding] = []
    nodes = _node_list(diagram)
    layout = evidence_paths(
        (str(n.get("id", "")), [str(e.get("filename", "")) for e in _records(n, "evidence")]) for n in nodes
    )
    expected: dict[str, str] = {}
    for node, paths in zip(nodes, layout, strict=True):
        for ev, rel in zip(_records(node, "evidence"), paths, strict=True):
            sha = str(ev.get("sha256", ""))
            expected[rel] = sha
            if rel not in scan.files:
                problems.append(
                    Finding(rel, f"is missing: diagram.json lists it as evidence on node '{node.get('id')}'")
                )
            elif rel in scan.hashes:
                actual, size = scan.hashes[rel]
                if actual != sha:
                    problems.append(Finding(rel, "SHA-256 does not match the evidence entry in diagram.json"))
                elif ev.get("size") != size:
                    problems.append(Finding(rel, f"is {size} bytes but diagram.json says {ev.get('size')}"))
    for rel in sorted(scan.files):
        if rel.startswith("data/evidence/") and rel not in expected:
            problems.append(Finding(rel, "is not an evidence file listed in diagram.json"))
    scan.evidence = expected
    return problems


def _check_records(diagram: dict[str, Any], events: list[dict[str, Any]]) -> list[Finding]:
    """Sign-offs and evidence in diagram.json must say what the audit events recorded about them."""
    signed: dict[str, tuple[int, dict[str, Any]]] = {}
    attached: dict[str, tuple[int, dict[str, Any]]] = {}
    for event in events:
        details = event.get("details")
        if not isinstance(details, dict):
            continue
        action = event.get("action")
        if action in ("signoff.recorded", "signoff.restored") and isinstance(details.get("signoff"), str):
            signed[details["signoff"]] = (event.get("seq", 0), details)
        elif action in ("evidence.attached", "evidence.restored") and isinstance(
            details.get("evidence"), str
        ):
            attached[details["evidence"]] = (event.get("seq", 0), details)
    problems: list[Finding] = []
    for node in _node_list(diagram):
        for s in _records(node, "signoffs"):
            seq, details = signed.get(str(s.get("id")), (0, {}))
            if not seq:
                continue
            changed = [f for f in _SIGNOFF_FIELDS if f in details and details[f] != s.get(f)]
            if changed:
                problems.append(
                    Finding(
                        "data/diagram.json",
                        f"the sign-off by {s.get('signer')!r} on node "
                        f"'{node.get('id')}' differs from audit event {seq} ({', '.join(changed)})",
                    )
                )
        for ev in _records(node, "evidence"):
            seq, details = attached.get(str(ev.get("id")), (0, {}))
            if not seq:
                continue
            changed = [f for f in ("sha256", "filename", "size") if f in details and details[f] != ev.get(f)]
            if changed:
                problems.append(
                    Finding(
                        "data/diagram.json",
                        f"the evidence {ev.get('filename')!r} on node "
                        f"'{node.get('id')}' differs from audit event {seq} ({', '.join(changed)})",
                    )
                )
    return problems
