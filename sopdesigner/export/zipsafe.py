"""Reading a ZIP that may be hostile: entry checks before anything is read, bounded streaming.

``check_entries`` looks only at the central directory and refuses path tricks (``..``, absolute
paths, drive letters, backslashes, NUL and control characters), symlinks and other non-regular
entries, duplicates (also after Unicode NFC + case folding), encrypted or oddly compressed
members, overlapping members (the "non-recursive" zip bomb), too many entries and declared
sizes or compression ratios out of bounds. ``stream_member`` then counts the bytes it actually
inflates, so a member whose header lies about its size is caught too. Nothing here writes files.
"""

from __future__ import annotations

import itertools
import re
import stat
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

MAX_ENTRIES = 10_000
MAX_TOTAL_BYTES = 4 * 1024**3  # inflated bytes over the whole archive
MAX_RATIO = 200  # inflated / compressed, for members past RATIO_FLOOR
RATIO_FLOOR = 1024 * 1024
MAX_NAME_LENGTH = 1024
CHUNK = 1024 * 1024

_DRIVE = re.compile(r"^[A-Za-z]:")


@dataclass(frozen=True)
class ZipProblem:
    name: str  # the entry's name as stored ("" for the archive as a whole)
    message: str

    def __str__(self) -> str:
        return f"{self.name}: {self.message}" if self.name else self.message


class HostileArchiveError(Exception):
    """Raised while streaming when a member breaks a bound; carries the problem."""

    def __init__(self, problem: ZipProblem):
        super().__init__(str(problem))
        self.problem = problem


def _printable(name: str) -> str:
    """The name with control characters shown as escapes, safe to print in a report."""
    return "".join(ch if ch.isprintable() else f"\\x{ord(ch):02x}" for ch in name)[:200]


def name_problem(name: str) -> str | None:
    """Why an entry name is unsafe to treat as a relative path, or None."""
    if not name:
        return "has an empty name"
    if len(name) > MAX_NAME_LENGTH:
        return "has an over-long name"
    if any(unicodedata.category(ch) == "Cc" for ch in name):
        return "has a NUL or control character in its name"
    if "\\" in name:
        return "uses a backslash in its name (a Windows path trick)"
    if name.startswith("/"):
        return "is an absolute path"
    if _DRIVE.match(name):
        return "starts with a drive letter"
    parts = name.rstrip("/").split("/")
    if any(p == ".." for p in parts):
        return "climbs out of the archive with '..'"
    if any(p in ("", ".") for p in parts):
        return "has an empty or '.' path segment"
    return None


def entry_kind(info: zipfile.ZipInfo) -> str:
    """'file', 'dir', 'symlink' or 'special', from the Unix mode bits when present."""
    mode = info.external_attr >> 16
    kind = stat.S_IFMT(mode)
    if kind == stat.S_IFLNK:
        return "symlink"
    if kind not in (0, stat.S_IFREG, stat.S_IFDIR):
        return "special"
    if info.orig_filename.endswith("/") or kind == stat.S_IFDIR:
        return "dir"
    return "file"


def check_entries(zf: zipfile.ZipFile) -> list[ZipProblem]:
    """Every reason to refuse the archive that its central directory alone reveals."""
    infos = zf.infolist()
    if len(infos) > MAX_ENTRIES:
        return [ZipProblem("", f"the archive has {len(infos)} entries, more than the {MAX_ENTRIES} allowed")]
    problems: list[ZipProblem] = []
    seen: set[str] = set()
    folded: dict[str, str] = {}
    declared_total = 0
    for info in infos:
        raw = info.orig_filename
        shown = _printable(raw)
        why = name_problem(raw)
        if why:
            problems.append(ZipProblem(shown, why))
            continue
        kind = entry_kind(info)
        if kind == "symlink":
            problems.append(ZipProblem(shown, "is a symbolic link"))
            continue
        if kind == "special":
            problems.append(ZipProblem(shown, "is not a regular file or folder (device, pipe or socket)"))
            continue
        key = raw.rstrip("/")
        if key in seen:
            problems.append(ZipProblem(shown, "appears twice in the archive"))
            continue
        seen.add(key)
        fold = unicodedata.normalize("NFC", key).casefold()
        if fold in folded:
            other = _printable(folded[fold])
            problems.append(
                ZipProblem(shown, f"collides with '{other}' on case-insensitive or Unicode-normalising disks")
            )
            continue
        folded[fold] = key
        if kind == "dir":
            continue
        if info.flag_bits & 0x1:
            problems.append(ZipProblem(shown, "is encrypted"))
            continue
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            problems.append(
                ZipProblem(shown, f"uses an unsupported compression method ({info.compress_type})")
            )
            continue
        declared_total += info.file_size
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            ratio = info.file_size / max(info.compress_size, 1)
            problems.append(
                ZipProblem(shown, f"has a suspicious compression ratio ({ratio:.0f}:1, a zip bomb)")
            )
    if declared_total > MAX_TOTAL_BYTES:
        problems.append(
            ZipProblem(
                "",
                f"the archive would inflate to {declared_total} bytes, more than the "
                f"{MAX_TOTAL_BYTES} allowed",
            )
        )
    problems += _overlaps(infos)
    return problems


def _overlaps(infos: list[zipfile.ZipInfo]) -> list[ZipProblem]:
    """Members whose data overlap: many entries sharing one compressed stream is a zip bomb."""
    ordered = sorted(infos, key=lambda i: i.header_offset)
    out: list[ZipProblem] = []
    for a, b in itertools.pairwise(ordered):
        # Local header is at least 30 bytes plus the name; its extra field can only add to that.
        end = a.header_offset + 30 + len(a.orig_filename.encode("utf-8")) + a.compress_size
        if b.header_offset == a.header_offset or end > b.header_offset:
            out.append(ZipProblem(_printable(b.orig_filename), "overlaps another entry's data (a zip bomb)"))
    return out


class Budget:
    """Inflated bytes still allowed for the whole archive, counted as they are read."""

    def __init__(self, limit: int = MAX_TOTAL_BYTES):
        self.left = limit

    def spend(self, name: str, n: int) -> None:
        self.left -= n
        if self.left < 0:
            raise HostileArchiveError(
                ZipProblem(_printable(name), "inflates past the archive's size limit (a zip bomb)")
            )


def stream_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, budget: Budget) -> Iterator[bytes]:
    """The member's bytes in chunks, never trusting its header: bytes and ratio are counted."""
    read = 0
    with zf.open(info) as fh:
        while True:
            chunk = fh.read(CHUNK)
            if not chunk:
                break
            read += len(chunk)
            budget.spend(info.orig_filename, len(chunk))
            if read > RATIO_FLOOR and read > MAX_RATIO * max(info.compress_size, 1):
                raise HostileArchiveError(
                    ZipProblem(
                        _printable(info.orig_filename), "has a suspicious compression ratio (a zip bomb)"
                    )
                )
            yield chunk
