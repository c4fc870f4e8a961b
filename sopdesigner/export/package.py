"""The audit package: a BagIt 1.0 bag (RFC 8493) serialised as one ZIP, and its import.

``write_package`` builds the bag with the ``bagit`` library in a private temp folder
(``data/report.pdf``, ``data/diagram.json``, ``data/audit-log.jsonl``,
``data/evidence/<node>/<file>``, SHA-256 manifests, ``bag-info.txt`` with the audit head),
zips it into a temp file next to the target and moves that into place only when complete.
``read_package`` verifies a package first and then extracts only what it verified: the
document and each evidence file, written under its SHA-256 (never under a name from the
archive) into a folder the caller owns.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import threading
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, NamedTuple, Protocol

from sopdesigner import APP_NAME, __version__
from sopdesigner.errors import CancelledError, ImportRefusedError, SopError
from sopdesigner.export import zipsafe
from sopdesigner.export.package_layout import bag_folder_name, evidence_paths
from sopdesigner.export.verify import VerifyReport, _verify, verify_package
from sopdesigner.model.clock import utc_now
from sopdesigner.model.document import Document

__all__ = [
    "ExtractedBlobs",
    "PackageContents",
    "VerifyReport",
    "read_package",
    "verify_package",
    "write_package",
]

Progress = Callable[[int, int], None]
Cancel = Callable[[], bool]
CHUNK = 1024 * 1024
# bagit's make_bag and Bag.save chdir into the bag while they work; the process has one
# working directory, so two packages must never be bagged at the same time.
_BAGIT_LOCK = threading.Lock()


class Blobs(Protocol):
    def iter_blob(self, sha256: str) -> Iterator[bytes]: ...


def _cancelled() -> CancelledError:
    return CancelledError("The audit package export was cancelled; no file was written.")


def _one_line(value: object) -> str:
    return " ".join(str(value).split())


def audit_log_bytes(doc: Document) -> bytes:
    """One event per line with its hash, in the same canonical JSON the hash chain uses."""
    lines = [
        json.dumps(e.model_dump(mode="json"), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        for e in doc.audit
    ]
    return ("\n".join(lines) + "\n").encode("utf-8") if lines else b""


def write_package(
    doc: Document,
    blobs: Blobs,
    path: str | os.PathLike[str],
    *,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
) -> None:
    """Write the audit package of ``doc`` (evidence bytes from ``blobs``) to ``path``."""
    from sopdesigner.export.diagram_json import dumps_diagram
    from sopdesigner.export.pdf_report import write_pdf

    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise SopError(f"The folder {folder} does not exist, so the package cannot be written there.")
    layout = evidence_paths((n.id, [e.filename for e in n.evidence]) for n in doc.nodes)
    evidence = [
        (node, ev, rel)
        for node, paths in zip(doc.nodes, layout, strict=True)
        for ev, rel in zip(node.evidence, paths, strict=True)
    ]
    has_blob = getattr(blobs, "has_blob", None)
    for node, ev, _rel in evidence:
        if has_blob is not None and not has_blob(ev.sha256):
            raise SopError(
                f"The evidence file '{ev.filename}' on '{node.title}' has no stored bytes, so the "
                "package cannot include it."
            )
    steps = len(doc.nodes) + 1 + len(evidence) + 2
    done = 0

    def step(n: int = 1) -> None:
        nonlocal done
        if cancel is not None and cancel():
            raise _cancelled()
        done += n
        if progress is not None:
            progress(min(done, steps), steps)

    work = Path(tempfile.mkdtemp(prefix="sopdesigner-package-"))
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    os.close(fd)
    tmp_zip = Path(tmp_name)
    try:
        bag = work / bag_folder_name(target.stem)
        bag.mkdir()
        exported_at = utc_now()
        write_pdf(
            doc, bag / "report.pdf", progress=progress and (lambda d, _t: progress(d, steps)), cancel=cancel
        )
        step(len(doc.nodes) + 1)
        (bag / "diagram.json").write_bytes(dumps_diagram(doc))
        (bag / "audit-log.jsonl").write_bytes(audit_log_bytes(doc))
        for node, ev, rel in evidence:
            _write_evidence(
                blobs, node.title, ev.sha256, ev.filename, bag / rel.removeprefix("data/"), cancel
            )
            step()
        _make_bag(bag, doc, exported_at)
        step()
        _zip_bag(bag, tmp_zip, exported_at, cancel)
        with open(tmp_zip, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp_zip, target)
        step()
    except BaseException:
        tmp_zip.unlink(missing_ok=True)
        raise
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _write_evidence(
    blobs: Blobs, node_title: str, sha: str, filename: str, dest: Path, cancel: Cancel | None
) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    try:
        with open(dest, "xb") as out:
            for chunk in blobs.iter_blob(sha):
                if cancel is not None and cancel():
                    raise _cancelled()
                digest.update(chunk)
                out.write(chunk)
    except (KeyError, LookupError):
        raise SopError(
            f"The evidence file '{filename}' on '{node_title}' has no stored bytes, so the package "
            "cannot include it."
        ) from None
    if digest.hexdigest() != sha:
        raise SopError(
            f"The stored bytes of evidence '{filename}' on '{node_title}' do not match its SHA-256; "
            "the package was not written."
        )


def _make_bag(bag: Path, doc: Document, exported_at: str) -> None:
    import bagit

    info = {
        "Bagging-Date": exported_at[:10],
        "Bag-Software-Agent": f"{APP_NAME} {__version__} (bagit.py {bagit.VERSION})",
        "External-Identifier": doc.id,
        "External-Description": _one_line(f"Audit package of the SOP '{doc.title}'"),
        "SOP-Title": _one_line(doc.title),
        "SOP-Version": _one_line(doc.identity.sop_version),
        "SOP-Owner": _one_line(doc.identity.owner),
        "Model-Name": _one_line(doc.request.model_name),
        "Model-Version": _one_line(doc.request.model_version),
        "Export-Time": exported_at,
        "Audit-Event-Count": str(len(doc.audit)),
        "Audit-Head-SHA256": doc.audit_head,
    }
    with _BAGIT_LOCK:
        bagit.make_bag(str(bag), {k: v for k, v in info.items() if v}, checksums=["sha256"])
        # bagit.py writes "BagIt-Version: 0.97"; the package contract is RFC 8493, BagIt 1.0.
        (bag / "bagit.txt").write_text(
            "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n", encoding="utf-8"
        )
        bagit.Bag(str(bag)).save()  # rewrites the tag manifest over the new bagit.txt


def _zip_bag(bag: Path, out: Path, exported_at: str, cancel: Cancel | None) -> None:
    stamp = (
        int(exported_at[0:4]),
        int(exported_at[5:7]),
        int(exported_at[8:10]),
        int(exported_at[11:13]),
        int(exported_at[14:16]),
        int(exported_at[17:19]),
    )
    files = sorted(p for p in bag.rglob("*") if p.is_file())
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        for file in files:
            rel = file.relative_to(bag.parent).as_posix()
            info = zipfile.ZipInfo(rel, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o100644 << 16
            size = file.stat().st_size
            info.file_size = size
            with open(file, "rb") as src, zf.open(info, "w", force_zip64=size > zipfile.ZIP64_LIMIT) as dst:
                while chunk := src.read(CHUNK):
                    if cancel is not None and cancel():
                        raise _cancelled()
                    dst.write(chunk)


# -- import ------------------------------------------------------------------------------------
class ExtractedBlobs(dict[str, Path]):
    """Evidence extracted from a package: SHA-256 → file. Also a BlobSource (``has_blob``,
    ``iter_blob``) and a context manager that removes ``directory`` on exit when it owns it."""

    def __init__(self, directory: Path, owned: bool):
        super().__init__()
        self.directory = directory
        self.owned = owned

    def has_blob(self, sha256: str) -> bool:
        return sha256 in self

    def iter_blob(self, sha256: str) -> Iterator[bytes]:
        with open(self[sha256], "rb") as fh:
            while chunk := fh.read(CHUNK):
                yield chunk

    def cleanup(self) -> None:
        if self.owned:
            shutil.rmtree(self.directory, ignore_errors=True)

    def __enter__(self) -> ExtractedBlobs:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.cleanup()


class PackageContents(NamedTuple):
    """What ``read_package`` returns: unpack it (``doc, blobs = ...``) or use the names."""

    document: Document
    blobs: ExtractedBlobs


def read_package(path: str | os.PathLike[str], dest: str | os.PathLike[str] | None = None) -> PackageContents:
    """The document and evidence of a verified package; ``ImportRefusedError`` if it does not verify.

    Evidence is extracted into ``dest`` (which must exist; the caller owns it), or into a fresh
    temp folder that ``blobs.cleanup()`` (or ``with blobs:``) removes.
    """
    from sopdesigner.export.diagram_json import load_diagram

    src = Path(path)
    report, scan = _verify(src)
    if not report.intact or scan is None:
        first = report.problems[0] if report.problems else report.summary
        raise ImportRefusedError(
            f"{src.name} failed verification ({report.status}) and was not imported: {first}"
        )
    owned = dest is None
    folder = Path(tempfile.mkdtemp(prefix="sopdesigner-import-")) if dest is None else Path(dest)
    blobs = ExtractedBlobs(folder, owned)
    try:
        with zipfile.ZipFile(src) as zf:
            budget = zipsafe.Budget()
            data = _read_checked(
                zf, scan.files["data/diagram.json"], scan.hashes["data/diagram.json"][0], budget
            )
            doc = load_diagram(data, source=f"{src.name}: data/diagram.json")
            for rel, sha in sorted(scan.evidence.items()):
                if sha in blobs:
                    continue
                out = folder / sha
                _extract_checked(zf, scan.files[rel], sha, out, budget)
                blobs[sha] = out
    except zipsafe.HostileArchiveError as err:
        blobs.cleanup()
        raise ImportRefusedError(
            f"{src.name} is a hostile archive and was not imported: {err.problem}."
        ) from None
    except BaseException:
        blobs.cleanup()
        raise
    return PackageContents(doc, blobs)


def _read_checked(zf: zipfile.ZipFile, info: zipfile.ZipInfo, sha: str, budget: zipsafe.Budget) -> bytes:
    data = b"".join(zipsafe.stream_member(zf, info, budget))
    if hashlib.sha256(data).hexdigest() != sha:
        raise ImportRefusedError(f"{info.orig_filename} changed while it was being imported.")
    return data


def _extract_checked(
    zf: zipfile.ZipFile, info: zipfile.ZipInfo, sha: str, out: Path, budget: zipsafe.Budget
) -> None:
    digest = hashlib.sha256()
    with open(out, "xb") as fh:
        for chunk in zipsafe.stream_member(zf, info, budget):
            digest.update(chunk)
            fh.write(chunk)
    if digest.hexdigest() != sha:
        out.unlink(missing_ok=True)
        raise ImportRefusedError(f"{info.orig_filename} changed while it was being imported.")
