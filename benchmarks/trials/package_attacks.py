"""Audit packages to attack ``verify`` and ``import`` with: clean ones, tampered ones, hostile ones.

``make_package`` writes a real package (random ticks, sign-offs and evidence on the test SOP).
Tampering edits it the way a forger would: naive (member bytes changed, manifests left alone)
and consistent (the SHA-256 manifests recomputed so only the audit chain and the cross-checks
between ``diagram.json``, ``audit-log.jsonl`` and ``bag-info.txt`` can tell). Hostile archives
are zip slip, absolute and drive paths, symlinks, duplicate and case-colliding names, zip bombs
(ratio, lying sizes, declared total), truncated archives and archives that are not bags.
"""

from __future__ import annotations

import hashlib
import json
import random
import stat
import struct
import zipfile
from collections.abc import Callable
from pathlib import Path

from benchmarks.trials.common import ROOT  # noqa: F401 - puts the repo on sys.path for scripts
from sopdesigner.editing.session import EditSession
from sopdesigner.export.package import write_package
from sopdesigner.model.document import Evidence
from sopdesigner.model.enums import Decision
from sopdesigner.ops import AttachEvidence, SetItemDone, SignNode
from sopdesigner.storage.blobs import FileBlobs, hash_file
from tests.factories import make_document

Entries = list[tuple[str, bytes]]
FILENAMES = ["report.pdf", "Bericht – 報告.pdf", "metrics.csv", "model card.md", "scan.bin"]


def make_package(folder: Path, seed: int) -> Path:
    """A real package of the test SOP with random records and 1-3 evidence files."""
    rnd = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    doc = make_document()
    session = EditSession(doc, rnd.choice(["Ana", "Bo", "Zoë"]))
    files: dict[str, Path] = {}
    for i in range(rnd.randint(1, 3)):
        src = folder / f"src{i}-{rnd.choice(FILENAMES)}"
        src.write_bytes(rnd.randbytes(rnd.randint(1, 40_000)))
        sha, size = hash_file(src)
        files[sha] = src
        node = rnd.choice(["validate", "risk", "decide"])
        session.apply(
            AttachEvidence(node, Evidence(id=f"ev{i}", sha256=sha, size=size, filename=src.name[5:]))
        )
    for item in ("metrics", "data"):
        if rnd.random() < 0.7:
            session.apply(SetItemDone("validate", item, True))
    for role in ("security", "legal"):
        if rnd.random() < 0.7:
            decision = rnd.choice([Decision.APPROVE, Decision.REQUEST_CHANGES, Decision.REJECT])
            session.apply(SignNode("risk", f"Signer {role}", role, decision, signoff_id=f"s-{role}"))
    session.apply(SignNode("decide", "Biz Lead", "business", Decision.APPROVE, signoff_id="s-biz"))
    out = folder / f"package-{seed}.zip"
    write_package(doc, FileBlobs(files), out)
    for src in files.values():
        src.unlink()
    return out


def read_entries(path: Path) -> Entries:
    with zipfile.ZipFile(path) as zf:
        return [(i.filename, zf.read(i)) for i in zf.infolist()]


def write_entries(entries: Entries, out: Path) -> Path:
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries:
            zf.writestr(name, data)
    return out


def _root(entries: Entries) -> str:
    return entries[0][0].split("/", 1)[0]


def recompute_manifests(entries: Entries) -> Entries:
    """What a careful forger does after editing payload files: fresh manifests, then tag manifest."""
    root = _root(entries)
    files = dict(entries)
    payload = sorted(n for n in files if n.startswith(f"{root}/data/") and not n.endswith("/"))
    files[f"{root}/manifest-sha256.txt"] = "".join(
        f"{hashlib.sha256(files[n]).hexdigest()}  {n[len(root) + 1 :]}\n" for n in payload
    ).encode()
    tags = sorted(
        n for n in files if not n.startswith(f"{root}/data/") and not n.endswith("tagmanifest-sha256.txt")
    )
    files[f"{root}/tagmanifest-sha256.txt"] = "".join(
        f"{hashlib.sha256(files[n]).hexdigest()}  {n[len(root) + 1 :]}\n" for n in tags
    ).encode()
    return list(files.items())


def _member(entries: Entries, suffix: str) -> int:
    return next(i for i, (n, _) in enumerate(entries) if n.endswith(suffix))


def _edit_json(entries: Entries, suffix: str, edit: Callable[[dict], None]) -> Entries:
    i = _member(entries, suffix)
    data = json.loads(entries[i][1])
    edit(data)
    entries = list(entries)
    entries[i] = (entries[i][0], json.dumps(data, ensure_ascii=False, sort_keys=True, indent=2).encode())
    return entries


def _edit_audit(entries: Entries, edit: Callable[[list[bytes]], list[bytes]]) -> Entries:
    i = _member(entries, "data/audit-log.jsonl")
    lines = entries[i][1].splitlines()
    entries = list(entries)
    entries[i] = (entries[i][0], b"\n".join(edit(lines)) + b"\n")
    return entries


# ------------------------------------------------------------------------------------ tamper
def t_flip(entries: Entries, rnd: random.Random) -> tuple[Entries, str]:
    files = [i for i, (n, d) in enumerate(entries) if d]
    i = rnd.choice(files)
    data = bytearray(entries[i][1])
    at = rnd.randrange(len(data))
    data[at] ^= 1 << rnd.randrange(8)
    entries = list(entries)
    entries[i] = (entries[i][0], bytes(data))
    return entries, f"bit flip at byte {at} of {entries[i][0].split('/', 1)[1]}"


def t_add(entries: Entries, rnd: random.Random) -> tuple[Entries, str]:
    root = _root(entries)
    name = rnd.choice(
        [f"{root}/data/extra.txt", f"{root}/data/evidence/validate/forged.pdf", f"{root}/data/x/y.bin"]
    )
    return [*entries, (name, rnd.randbytes(rnd.randint(0, 300)))], f"added {name.split('/', 1)[1]}"


def t_remove(entries: Entries, rnd: random.Random) -> tuple[Entries, str]:
    i = rnd.randrange(len(entries))
    return entries[:i] + entries[i + 1 :], f"removed {entries[i][0].split('/', 1)[1]}"


def _not_manifest(entries: Entries) -> list[int]:
    return [i for i, (n, _) in enumerate(entries) if not n.endswith("manifest-sha256.txt")]


def t_remove_listed(entries: Entries, rnd: random.Random) -> tuple[Entries, str]:
    """Remove a file other than the manifests (which the forger then writes afresh anyway)."""
    i = rnd.choice(_not_manifest(entries))
    return entries[:i] + entries[i + 1 :], f"removed {entries[i][0].split('/', 1)[1]}"


def t_rename_listed(entries: Entries, rnd: random.Random) -> tuple[Entries, str]:
    i = rnd.choice(_not_manifest(entries))
    return t_rename(entries, rnd, i)


def t_rename(entries: Entries, rnd: random.Random, i: int | None = None) -> tuple[Entries, str]:
    i = rnd.randrange(len(entries)) if i is None else i
    name = entries[i][0]
    head, _, tail = name.rpartition("/")
    new = f"{head}/renamed-{tail}"
    entries = list(entries)
    entries[i] = (new, entries[i][1])
    return entries, f"renamed {name.split('/', 1)[1]}"


def t_audit_reorder(entries: Entries, rnd: random.Random) -> tuple[Entries, str]:
    def swap(lines: list[bytes]) -> list[bytes]:
        if len(lines) < 2:  # nothing to swap: replay the one event twice instead
            return [*lines, *lines]
        i = rnd.randrange(len(lines) - 1)
        lines[i], lines[i + 1] = lines[i + 1], lines[i]
        return lines

    return _edit_audit(entries, swap), "two audit lines swapped"


def t_audit_truncate(entries: Entries, rnd: random.Random) -> tuple[Entries, str]:
    k = rnd.randint(1, 3)
    return _edit_audit(entries, lambda lines: lines[:-k] or [b""]), f"last {k} audit line(s) removed"


def t_audit_truncate_and_head(entries: Entries, rnd: random.Random) -> tuple[Entries, str]:
    """Truncate the trail and also rewrite bag-info's Audit-Head-SHA256 to the new last hash."""
    entries, what = t_audit_truncate(entries, rnd)
    lines = dict(entries)[next(n for n, _ in entries if n.endswith("audit-log.jsonl"))].splitlines()
    head = json.loads(lines[-1])["hash"] if lines and lines[-1].strip() else "0" * 64
    i = _member(entries, "bag-info.txt")
    info = (
        b"\n".join(
            (b"Audit-Head-SHA256: " + head.encode()) if ln.startswith(b"Audit-Head-SHA256:") else ln
            for ln in entries[i][1].splitlines()
        )
        + b"\n"
    )
    entries = list(entries)
    entries[i] = (entries[i][0], info)
    return entries, what + " and the bag's audit head rewritten"


def t_signoff_move(entries: Entries, rnd: random.Random) -> tuple[Entries, str]:
    moved = {}

    def edit(diagram: dict) -> None:
        nodes = diagram["nodes"]
        signed = [n for n in nodes if n.get("signoffs")]
        src = rnd.choice(signed)
        dst = rnd.choice([n for n in nodes if n is not src])
        dst.setdefault("signoffs", []).append(src["signoffs"].pop())
        moved.update(src=src["id"], dst=dst["id"])

    entries = _edit_json(entries, "data/diagram.json", edit)
    return entries, f"a sign-off moved from {moved['src']} to {moved['dst']}"


def t_audit_timestamp(entries: Entries, rnd: random.Random) -> tuple[Entries, str]:
    def edit(lines: list[bytes]) -> list[bytes]:
        i = rnd.randrange(len(lines))
        event = json.loads(lines[i])
        event["at"] = "2020-01-01T00:00:00Z"
        lines[i] = json.dumps(event, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
        return lines

    return _edit_audit(entries, edit), "an audit event's time edited"


def t_signoff_timestamp(entries: Entries, rnd: random.Random) -> tuple[Entries, str]:
    def edit(diagram: dict) -> None:
        signoffs = [s for n in diagram["nodes"] for s in n.get("signoffs", [])]
        rnd.choice(signoffs)["at"] = "2020-01-01T00:00:00Z"

    return _edit_json(entries, "data/diagram.json", edit), "a sign-off's time edited in diagram.json"


def t_evidence_swap(entries: Entries, rnd: random.Random) -> tuple[Entries, str]:
    ev = [i for i, (n, _) in enumerate(entries) if "/data/evidence/" in n and not n.endswith("/")]
    i = rnd.choice(ev)
    entries = list(entries)
    entries[i] = (entries[i][0], b"forged evidence " + rnd.randbytes(20))
    return entries, "an evidence file's bytes replaced"


#: (name, tamper, recompute manifests afterwards?)
TAMPERS: list[tuple[str, Callable[[Entries, random.Random], tuple[Entries, str]], bool]] = [
    ("byte flip", t_flip, False),
    ("file added", t_add, False),
    ("file added, manifests recomputed", t_add, True),
    ("file removed", t_remove, False),
    ("file removed, manifests recomputed", t_remove_listed, True),
    ("file renamed", t_rename, False),
    ("file renamed, manifests recomputed", t_rename_listed, True),
    ("audit lines reordered", t_audit_reorder, False),
    ("audit lines reordered, manifests recomputed", t_audit_reorder, True),
    ("audit truncated", t_audit_truncate, False),
    ("audit truncated, manifests recomputed", t_audit_truncate, True),
    ("audit truncated, head and manifests recomputed", t_audit_truncate_and_head, True),
    ("sign-off moved", t_signoff_move, False),
    ("sign-off moved, manifests recomputed", t_signoff_move, True),
    ("audit time edited, manifests recomputed", t_audit_timestamp, True),
    ("sign-off time edited, manifests recomputed", t_signoff_timestamp, True),
    ("evidence replaced, manifests recomputed", t_evidence_swap, True),
]


def raw_flip(path: Path, out: Path, rnd: random.Random) -> str:
    """Flip one byte inside a member's stored (compressed) data in the zip file itself."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as zf:
        info = rnd.choice([i for i in zf.infolist() if i.compress_size])
    name_len, extra_len = struct.unpack("<HH", data[info.header_offset + 26 : info.header_offset + 30])
    start = info.header_offset + 30 + name_len + extra_len
    at = start + rnd.randrange(info.compress_size)
    data[at] ^= 1 << rnd.randrange(8)
    out.write_bytes(bytes(data))
    return f"raw byte flip in the stored data of {info.filename.split('/', 1)[1]}"


def _contents(path: Path) -> Entries | None:
    try:
        return read_entries(path)
    except Exception:  # unreadable after the flip: the content did change
        return None


def tamper(clean: Path, out: Path, rnd: random.Random) -> tuple[str, str]:
    """Write a tampered copy of ``clean``; returns (class, description). A raw flip that lands in
    deflate padding leaves every member's bytes as they were: class "raw byte flip, no effect"."""
    if rnd.random() < 0.15:
        what = raw_flip(clean, out, rnd)
        if _contents(out) == read_entries(clean):
            return "raw byte flip, no effect", what
        return "raw byte flip", what
    name, fn, recompute = rnd.choice(TAMPERS)
    entries, what = fn(read_entries(clean), rnd)
    if recompute:
        entries = recompute_manifests(entries)
    write_entries(entries, out)
    return name, what


# ----------------------------------------------------------------------------------- hostile
def _zip(out: Path, members: list[tuple[zipfile.ZipInfo | str, bytes]]) -> Path:
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for info, data in members:
            zf.writestr(info, data)
    return out


def _bag_with(
    clean: Path, extra: list[tuple[zipfile.ZipInfo | str, bytes]]
) -> list[tuple[zipfile.ZipInfo | str, bytes]]:
    return [*read_entries(clean), *extra]


def h_slip(clean: Path, out: Path, canary: Path, rnd: random.Random) -> str:
    root = _root(read_entries(clean))
    name = rnd.choice(
        [
            f"{root}/data/evidence/../../../{canary.name}/pwned.txt",
            f"../{canary.name}/pwned.txt",
            f"{root}/../../{canary.name}/pwned.txt",
            f"{root}\\..\\..\\{canary.name}\\pwned.txt",
        ]
    )
    _zip(out, _bag_with(clean, [(name, b"pwned")]))
    return f"zip slip {name!r}"


def h_absolute(clean: Path, out: Path, canary: Path, rnd: random.Random) -> str:
    name = rnd.choice([str(canary / "pwned.txt"), "C:/Windows/pwned.txt", "//server/share/pwned.txt"])
    _zip(out, _bag_with(clean, [(name, b"pwned")]))
    return f"absolute path {name!r}"


def h_symlink(clean: Path, out: Path, canary: Path, rnd: random.Random) -> str:
    root = _root(read_entries(clean))
    info = zipfile.ZipInfo(f"{root}/data/evidence/validate/link.pdf")
    info.create_system = 3
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    target = rnd.choice([str(canary / "pwned.txt"), "/etc/passwd", "../../../../outside"])
    _zip(out, _bag_with(clean, [(info, target.encode())]))
    return f"symlink to {target!r}"


def h_duplicate(clean: Path, out: Path, canary: Path, rnd: random.Random) -> str:
    entries = read_entries(clean)
    name, _ = rnd.choice(entries)
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about the duplicate we are making on purpose
        _zip(out, [*entries, (name, b"second copy")])
    return f"duplicate {name.split('/', 1)[1]}"


def h_case(clean: Path, out: Path, canary: Path, rnd: random.Random) -> str:
    entries = read_entries(clean)
    name, data = rnd.choice([e for e in entries if any(c.isalpha() for c in e[0].split("/")[-1])])
    head, _, tail = name.rpartition("/")
    twin = f"{head}/{tail.swapcase()}"
    _zip(out, [*entries, (twin, data)])
    return f"case collision {tail!r} / {tail.swapcase()!r}"


def h_ratio_bomb(clean: Path, out: Path, canary: Path, rnd: random.Random) -> str:
    root = _root(read_entries(clean))
    size = rnd.choice([20, 64]) * 1024 * 1024
    _zip(out, _bag_with(clean, [(f"{root}/data/evidence/validate/bomb.bin", bytes(size))]))
    return f"zip bomb: {size >> 20} MiB of zeros"


def h_lying_size(clean: Path, out: Path, canary: Path, rnd: random.Random) -> str:
    """A member whose headers claim 1,000 bytes but whose data inflates to 64 MiB."""
    root = _root(read_entries(clean))
    name = f"{root}/data/evidence/validate/liar.bin"
    _zip(out, _bag_with(clean, [(name, bytes(64 * 1024 * 1024))]))
    data = bytearray(out.read_bytes())
    with zipfile.ZipFile(out) as zf:
        info = zf.getinfo(name)
    # uncompressed size: local header offset 22, central directory entry offset 24
    data[info.header_offset + 22 : info.header_offset + 26] = struct.pack("<I", 1000)
    pos = 0
    while True:
        pos = data.find(b"PK\x01\x02", pos)
        if pos < 0:
            break
        (n_len,) = struct.unpack("<H", data[pos + 28 : pos + 30])
        if data[pos + 46 : pos + 46 + n_len] == name.encode():
            data[pos + 24 : pos + 28] = struct.pack("<I", 1000)
        pos += 4
    out.write_bytes(bytes(data))
    return "lying size: 64 MiB declared as 1,000 bytes"


def h_declared_total(clean: Path, out: Path, canary: Path, rnd: random.Random) -> str:
    """Central directory claims members far larger than the archive could ever hold."""
    _zip(out, read_entries(clean))
    data = bytearray(out.read_bytes())
    pos = 0
    while True:
        pos = data.find(b"PK\x01\x02", pos)
        if pos < 0:
            break
        data[pos + 24 : pos + 28] = struct.pack("<I", 0xFFFFFFF0)
        pos += 4
    out.write_bytes(bytes(data))
    return "declared sizes of 4 GiB per member"


def h_truncated(clean: Path, out: Path, canary: Path, rnd: random.Random) -> str:
    data = clean.read_bytes()
    n = rnd.randrange(len(data))
    out.write_bytes(data[:n])
    return f"truncated to {n} of {len(data)} bytes"


def h_not_bagit(clean: Path, out: Path, canary: Path, rnd: random.Random) -> str:
    kind = rnd.choice(["flat", "no bagit", "two roots", "empty", "not zip", "zip magic then garbage"])
    if kind == "flat":
        _zip(out, [("readme.txt", b"hello"), ("data.csv", b"a,b\n")])
    elif kind == "no bagit":
        _zip(out, [("pkg/readme.txt", b"hello"), ("pkg/data/x.txt", b"x")])
    elif kind == "two roots":
        _zip(out, [*read_entries(clean), ("other/bagit.txt", b"BagIt-Version: 1.0\n")])
    elif kind == "empty":
        _zip(out, [])
    elif kind == "not zip":
        out.write_bytes(rnd.randbytes(rnd.randint(0, 5000)))
    else:
        out.write_bytes(b"PK\x03\x04" + rnd.randbytes(rnd.randint(0, 5000)))
    return f"not a bag: {kind}"


HOSTILE: list[tuple[str, Callable[[Path, Path, Path, random.Random], str]]] = [
    ("zip slip", h_slip),
    ("absolute path", h_absolute),
    ("symlink", h_symlink),
    ("duplicate name", h_duplicate),
    ("case-colliding names", h_case),
    ("zip bomb (ratio)", h_ratio_bomb),
    ("zip bomb (lying size)", h_lying_size),
    ("zip bomb (declared total)", h_declared_total),
    ("truncated archive", h_truncated),
    ("not a BagIt package", h_not_bagit),
]


def folder_state(folder: Path) -> list[tuple[str, int]]:
    """What is in a folder (names and sizes), to prove nothing was written there."""
    return sorted(
        (str(p.relative_to(folder)), p.stat().st_size if p.is_file() else -1) for p in folder.rglob("*")
    )
