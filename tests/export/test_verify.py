"""``verify``: intact packages pass; every kind of tampering is reported naming the file; hostile
and unreadable archives are refused without writing anything; the CLI's exit codes."""

from __future__ import annotations

import hashlib
import json
import stat
import tempfile
import warnings
import zipfile
from pathlib import Path

import pytest

from sopdesigner.cli import main
from sopdesigner.errors import ImportRefusedError
from sopdesigner.export.package import read_package, write_package
from sopdesigner.export.verify import verify_package
from tests.export.records import record_everything
from tests.factories import make_document

EVIDENCE = "data/evidence/validate/metrics report.pdf"


@pytest.fixture(scope="module")
def package(tmp_path_factory) -> Path:
    doc = make_document()
    blobs = record_everything(doc)
    path = tmp_path_factory.mktemp("pkg") / "audit.zip"
    write_package(doc, blobs, path)
    return path


@pytest.fixture
def private_tmp(tmp_path, monkeypatch):
    folder = tmp_path / "system-temp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def load(path: Path) -> tuple[str, dict[str, bytes]]:
    with zipfile.ZipFile(path) as zf:
        names = zf.namelist()
        root = names[0].split("/", 1)[0]
        return root, {n[len(root) + 1 :]: zf.read(n) for n in names}


def save(root: str, files: dict[str, bytes], path: Path) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for rel, data in files.items():
            zf.writestr(f"{root}/{rel}", data)
    return path


def reseal(files: dict[str, bytes]) -> dict[str, bytes]:
    """What a careful forger does: recompute both manifests and the Payload-Oxum."""
    payload = sorted(r for r in files if r.startswith("data/"))
    files["manifest-sha256.txt"] = "".join(
        f"{hashlib.sha256(files[r]).hexdigest()}  {r}\n" for r in payload
    ).encode()
    oxum = f"{sum(len(files[r]) for r in payload)}.{len(payload)}"
    info = [
        f"Payload-Oxum: {oxum}" if line.startswith("Payload-Oxum:") else line
        for line in files["bag-info.txt"].decode().splitlines()
    ]
    files["bag-info.txt"] = ("\n".join(info) + "\n").encode()
    tags = sorted(r for r in files if not r.startswith("data/") and not r.startswith("tagmanifest-"))
    files["tagmanifest-sha256.txt"] = "".join(
        f"{hashlib.sha256(files[r]).hexdigest()} {r}\n" for r in tags
    ).encode()
    return files


def files_named(report) -> set[str]:
    return {p.file for p in report.problems}


# -- intact ------------------------------------------------------------------------------------
def test_an_exported_package_is_intact(package, private_tmp, capsys):
    report = verify_package(package)
    assert report.status == "intact" and report.intact and report.problems == []
    assert report.exit_code == 0
    assert "unbroken hash chain" in report.summary
    assert main(["verify", str(package)]) == 0
    assert "Intact" in capsys.readouterr().out
    assert list(private_tmp.iterdir()) == []  # verifying extracts nothing


def test_json_output(package, capsys):
    assert main(["verify", str(package), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["status"] == "intact" and data["problems"] == []
    assert json.loads(verify_package(package).to_json())["status"] == "intact"


# -- tampered ----------------------------------------------------------------------------------
def test_one_flipped_byte_in_an_evidence_file(package, tmp_path, capsys):
    root, files = load(package)
    data = bytearray(files[EVIDENCE])
    data[10] ^= 0x01
    files[EVIDENCE] = bytes(data)
    path = save(root, files, tmp_path / "t.zip")
    report = verify_package(path)
    assert report.status == "tampered" and report.exit_code == 1
    assert str(report.problems[0]) == f"{EVIDENCE}: SHA-256 does not match the manifest"
    assert main(["verify", str(path)]) == 1
    out = capsys.readouterr().out
    assert "TAMPERED" in out and EVIDENCE in out


def test_one_flipped_byte_inside_the_zip_itself(package, tmp_path):
    raw = bytearray(package.read_bytes())
    with zipfile.ZipFile(package) as zf:
        info = next(i for i in zf.infolist() if i.filename.endswith(EVIDENCE))
    name_len = int.from_bytes(raw[info.header_offset + 26 : info.header_offset + 28], "little")
    extra_len = int.from_bytes(raw[info.header_offset + 28 : info.header_offset + 30], "little")
    start = info.header_offset + 30 + name_len + extra_len
    raw[start + info.compress_size // 2] ^= 0xFF
    path = tmp_path / "flipped.zip"
    path.write_bytes(bytes(raw))
    report = verify_package(path)
    assert report.status == "tampered"
    assert EVIDENCE in files_named(report)


def test_a_deleted_audit_log_line(package, tmp_path):
    root, files = load(package)
    lines = files["data/audit-log.jsonl"].decode().splitlines(keepends=True)
    del lines[3]
    files["data/audit-log.jsonl"] = "".join(lines).encode()
    report = verify_package(save(root, files, tmp_path / "t.zip"))
    assert report.status == "tampered"
    messages = [str(p) for p in report.problems]
    assert "data/audit-log.jsonl: SHA-256 does not match the manifest" in messages
    assert any(m.startswith("data/audit-log.jsonl: the hash chain is broken") for m in messages)
    # Even with the manifests recomputed, the chain and diagram.json give it away.
    report = verify_package(save(root, reseal(files), tmp_path / "t2.zip"))
    assert report.status == "tampered"
    assert {"data/audit-log.jsonl", "data/diagram.json"} <= files_named(report)


def test_a_cut_off_audit_log_tail_is_caught_by_the_head_in_bag_info(package, tmp_path):
    root, files = load(package)
    lines = files["data/audit-log.jsonl"].decode().splitlines(keepends=True)
    files["data/audit-log.jsonl"] = "".join(lines[:-1]).encode()
    report = verify_package(save(root, reseal(files), tmp_path / "t.zip"))
    assert report.status == "tampered"
    assert "bag-info.txt" in files_named(report)
    assert any("Audit-Head-SHA256" in p.message for p in report.problems)


def test_an_edited_signoff_in_diagram_json(package, tmp_path):
    root, files = load(package)
    diagram = json.loads(files["data/diagram.json"])
    decide = next(n for n in diagram["nodes"] if n["id"] == "decide")
    decide["signoffs"][0]["decision"] = "reject"
    files["data/diagram.json"] = json.dumps(diagram, ensure_ascii=False).encode()
    report = verify_package(save(root, files, tmp_path / "t.zip"))
    assert report.status == "tampered"
    assert "data/diagram.json: SHA-256 does not match the manifest" in [str(p) for p in report.problems]
    resealed = verify_package(save(root, reseal(files), tmp_path / "t2.zip"))
    assert resealed.status == "tampered"
    assert [p.file for p in resealed.problems] == ["data/diagram.json"]
    assert "differs from audit event" in resealed.problems[0].message
    assert "decision" in resealed.problems[0].message


def test_a_removed_evidence_file(package, tmp_path):
    root, files = load(package)
    del files[EVIDENCE]
    report = verify_package(save(root, files, tmp_path / "t.zip"))
    assert report.status == "tampered"
    assert f"{EVIDENCE}: is listed in the manifest but missing from the package" in [
        str(p) for p in report.problems
    ]
    resealed = verify_package(save(root, reseal(files), tmp_path / "t2.zip"))
    assert [p.file for p in resealed.problems] == [EVIDENCE]
    assert "diagram.json lists it" in resealed.problems[0].message


def test_an_added_file(package, tmp_path):
    root, files = load(package)
    files["data/evidence/validate/extra.exe"] = b"MZ"
    report = verify_package(save(root, files, tmp_path / "t.zip"))
    assert "data/evidence/validate/extra.exe" in files_named(report)
    resealed = verify_package(save(root, reseal(files), tmp_path / "t2.zip"))
    assert [str(p) for p in resealed.problems] == [
        "data/evidence/validate/extra.exe: is not an evidence file listed in diagram.json"
    ]


def test_a_swapped_evidence_file_with_resealed_manifests(package, tmp_path):
    root, files = load(package)
    files[EVIDENCE] = b"a forged metrics report"
    report = verify_package(save(root, reseal(files), tmp_path / "t.zip"))
    assert report.status == "tampered"
    assert [str(p) for p in report.problems] == [
        f"{EVIDENCE}: SHA-256 does not match the evidence entry in diagram.json"
    ]


def test_missing_tag_manifest_and_changed_bag_info(package, tmp_path):
    root, files = load(package)
    del files["tagmanifest-sha256.txt"]
    report = verify_package(save(root, files, tmp_path / "t.zip"))
    assert "tagmanifest-sha256.txt" in files_named(report)
    root, files = load(package)
    files["bag-info.txt"] = files["bag-info.txt"].replace(b"SOP-Version: 3.2", b"SOP-Version: 9.9")
    report = verify_package(save(root, files, tmp_path / "t2.zip"))
    assert [str(p) for p in report.problems] == ["bag-info.txt: SHA-256 does not match the tag manifest"]


# -- hostile -----------------------------------------------------------------------------------
def _zip(path: Path, entries: list[tuple[zipfile.ZipInfo | str, bytes]]) -> Path:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about the duplicate name we build on purpose
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.writestr("pkg/bagit.txt", b"BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n")
            for info, data in entries:
                zf.writestr(info, data)
    return path


def _special(name: str, mode: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.create_system = 3
    info.external_attr = mode << 16
    return info


def _patched_name(path: Path, before: bytes, after: bytes) -> Path:
    assert len(before) == len(after)
    path.write_bytes(path.read_bytes().replace(before, after))
    return path


HOSTILE = {
    "zip-slip": lambda p: _zip(p, [("pkg/../../evil.txt", b"owned")]),
    "absolute": lambda p: _zip(p, [("/tmp/evil.txt", b"owned")]),
    "backslash": lambda p: _zip(p, [("pkg\\..\\..\\evil.txt", b"owned")]),
    "drive letter": lambda p: _zip(p, [("C:/evil.txt", b"owned")]),
    "control char": lambda p: _zip(p, [("pkg/data/a\x1b.txt", b"x")]),
    "NUL": lambda p: _patched_name(_zip(p, [("pkg/data/aQ.txt", b"x")]), b"aQ.txt", b"a\x00.txt"),
    "symlink": lambda p: _zip(p, [(_special("pkg/data/link", stat.S_IFLNK | 0o777), b"/etc/passwd")]),
    "fifo": lambda p: _zip(p, [(_special("pkg/data/pipe", stat.S_IFIFO | 0o644), b"")]),
    "duplicate": lambda p: _zip(p, [("pkg/data/a.txt", b"1"), ("pkg/data/a.txt", b"2")]),
    "case collision": lambda p: _zip(p, [("pkg/data/A.txt", b"1"), ("pkg/data/a.txt", b"2")]),
    "NFC collision": lambda p: _zip(p, [("pkg/data/\u00e9.txt", b"1"), ("pkg/data/e\u0301.txt", b"2")]),
    "too many entries": lambda p: _zip(p, [(f"pkg/data/{i}", b"") for i in range(10_001)]),
    "zip bomb": lambda p: _zip(p, [("pkg/data/evidence/x/zeros.bin", bytes(50 * 1024 * 1024))]),
}


def _overlapping(path: Path) -> Path:
    """Two central-directory entries pointing at one local entry (the non-recursive zip bomb)."""
    _zip(path, [("pkg/data/a.bin", b"A" * 64), ("pkg/data/b.bin", b"B" * 64)])
    raw = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as zf:
        a = next(i for i in zf.infolist() if i.filename.endswith("a.bin"))
        pos = zf.start_dir
    records = []
    while raw[pos : pos + 4] == b"PK\x01\x02":
        n, m, k = (int.from_bytes(raw[pos + o : pos + o + 2], "little") for o in (28, 30, 32))
        records.append(pos)
        pos += 46 + n + m + k
    last = records[-1]
    raw[last + 42 : last + 46] = a.header_offset.to_bytes(4, "little")
    path.write_bytes(bytes(raw))
    return path


HOSTILE["overlapping entries"] = _overlapping


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_hostile_archives_are_refused_and_nothing_is_written(kind, tmp_path, private_tmp, capsys):
    work = tmp_path / "a" / "b"
    work.mkdir(parents=True)
    path = HOSTILE[kind](work / "hostile.zip")
    report = verify_package(path)
    assert report.status == "hostile", report
    assert report.exit_code == 2
    assert report.problems and report.summary.startswith("Refused")
    with pytest.raises(ImportRefusedError, match="hostile"):
        read_package(path)
    assert main(["verify", str(path)]) == 2
    assert "hostile" in capsys.readouterr().err
    assert list(private_tmp.iterdir()) == []
    assert sorted(p.name for p in work.iterdir()) == ["hostile.zip"]
    assert not (tmp_path / "evil.txt").exists() and not (tmp_path / "a" / "evil.txt").exists()


def test_hostile_findings_name_the_entry(tmp_path):
    report = verify_package(HOSTILE["zip-slip"](tmp_path / "s.zip"))
    assert [str(p) for p in report.problems] == ["pkg/../../evil.txt: climbs out of the archive with '..'"]
    report = verify_package(HOSTILE["symlink"](tmp_path / "l.zip"))
    assert [str(p) for p in report.problems] == ["pkg/data/link: is a symbolic link"]
    report = verify_package(HOSTILE["zip bomb"](tmp_path / "b.zip"))
    assert "zip bomb" in report.problems[0].message


# -- unreadable --------------------------------------------------------------------------------
def test_unreadable_inputs(tmp_path, capsys):
    junk = tmp_path / "junk.zip"
    junk.write_bytes(b"this is not a zip file at all" * 10)
    empty = tmp_path / "empty.zip"
    empty.write_bytes(b"")
    two_roots = tmp_path / "two.zip"
    with zipfile.ZipFile(two_roots, "w") as zf:
        zf.writestr("a/bagit.txt", b"x")
        zf.writestr("b/bagit.txt", b"x")
    not_a_bag = tmp_path / "nab.zip"
    with zipfile.ZipFile(not_a_bag, "w") as zf:
        zf.writestr("photos/cat.jpg", b"x")
    for path in (junk, empty, two_roots, not_a_bag, tmp_path / "missing.zip", tmp_path):
        report = verify_package(path)
        assert report.status == "unreadable", path
        assert report.exit_code == 2
    assert main(["verify", str(junk)]) == 2
    assert "not a readable ZIP" in capsys.readouterr().err


def test_streaming_counts_inflated_bytes_instead_of_trusting_headers(tmp_path):
    from sopdesigner.export import zipsafe

    path = tmp_path / "s.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("pkg/data/a.bin", bytes(range(256)) * 64)
    with zipfile.ZipFile(path) as zf:
        info = zf.infolist()[0]
        with pytest.raises(zipsafe.HostileArchiveError, match="size limit"):
            for _ in zipsafe.stream_member(zf, info, zipsafe.Budget(limit=1000)):
                pass
        assert b"".join(zipsafe.stream_member(zf, info, zipsafe.Budget())) == bytes(range(256)) * 64


def test_cli_in_a_fresh_process_and_json_for_a_tampered_package(package, tmp_path):
    import subprocess
    import sys

    root, files = load(package)
    files["data/audit-log.jsonl"] = files["data/audit-log.jsonl"].replace(b'"seq":2', b'"seq":7', 1)
    path = save(root, files, tmp_path / "t.zip")
    run = subprocess.run(
        [sys.executable, "-m", "sopdesigner", "verify", str(path), "--json"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 1, run.stderr
    data = json.loads(run.stdout)
    assert data["status"] == "tampered"
    assert "data/audit-log.jsonl" in {p["file"] for p in data["problems"]}
    run = subprocess.run(
        [sys.executable, "-m", "sopdesigner", "verify", str(package)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0 and run.stdout.startswith("Intact")
