"""Atomic file replacement: write a temp file beside the target, fsync, rename, fsync the folder.

Exports and Save As use it so a crash or a full disk never leaves a half-written file at the
target path (QSaveFile does not fsync the folder; this does).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path


def fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return  # not supported on this platform (Windows); the rename is still atomic
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _read_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# Read once at import (single-threaded then): os.umask() can only be read by setting it.
_UMASK = _read_umask()


def temp_path_beside(target: Path, suffix: str = ".part") -> Path:
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=suffix, dir=target.parent)
    # mkstemp makes 0600 files; the finished file should get ordinary permissions (0666 & ~umask).
    try:
        os.fchmod(fd, 0o666 & ~_UMASK)
    except (AttributeError, OSError):
        pass
    finally:
        os.close(fd)
    return Path(name)


def commit_file(tmp: Path, target: Path) -> None:
    """fsync ``tmp``, move it over ``target`` and fsync the folder."""
    with open(tmp, "rb+") as f:
        os.fsync(f.fileno())
    os.replace(tmp, target)
    fsync_dir(target.parent)


@contextlib.contextmanager
def atomic_output(target: str | os.PathLike[str], suffix: str = ".part") -> Iterator[Path]:
    """Yield a temp path to write; on success it replaces ``target``, on any error it vanishes."""
    target = Path(target)
    if target.is_dir():
        raise IsADirectoryError(21, "Is a directory", str(target))
    tmp = temp_path_beside(target, suffix)
    try:
        yield tmp
        commit_file(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
