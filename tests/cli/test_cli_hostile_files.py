"""Files that are not (or no longer, or not yet) SOP documents: every reading and writing command
refuses them with one line on stderr, exit 2, and leaves them byte-for-byte as they were."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.cli.cli_support import run_cli, run_main, write_sop
from tests.factories import make_document


def _text_file(tmp: Path) -> Path:
    p = tmp / "notes.sop"
    p.write_text("These are my meeting notes, not a diagram.\n" * 50, encoding="utf-8")
    return p


def _truncated(tmp: Path) -> Path:
    p = write_sop(tmp / "truncated.sop", make_document())
    # Grow the file well past a few pages so cutting it loses real content.
    big = tmp / "big.bin"
    big.write_bytes(bytes(range(256)) * 4096)
    assert run_main_quiet("attach", p, "--node", "validate", big) == 0
    data = p.read_bytes()
    p.write_bytes(data[: len(data) // 2])
    return p


def _other_program(tmp: Path) -> Path:
    p = tmp / "contacts.sop"
    con = sqlite3.connect(p)
    con.execute("CREATE TABLE contacts(name TEXT, phone TEXT)")
    con.execute("INSERT INTO contacts VALUES ('Ana', '555-0100')")
    con.commit()
    con.close()
    return p


def _future_version(tmp: Path) -> Path:
    p = write_sop(tmp / "future.sop", make_document())
    con = sqlite3.connect(p)
    con.execute("PRAGMA user_version = 99")
    con.commit()
    con.close()
    return p


def _extra_trigger(tmp: Path) -> Path:
    p = write_sop(tmp / "trigger.sop", make_document())
    con = sqlite3.connect(p)
    con.execute("CREATE TRIGGER sneaky AFTER INSERT ON audit BEGIN DELETE FROM audit; END")
    con.commit()
    con.close()
    return p


HOSTILE = {
    "text-file": (_text_file, "not an SQLite database"),
    "truncated": (_truncated, "truncated"),
    "other-program": (_other_program, "another program"),
    "future-version": (_future_version, "newer SOP Designer"),
    "extra-trigger": (_extra_trigger, "trigger"),
}

COMMANDS = {
    "status": lambda f, ev: ["status", f],
    "status-json": lambda f, ev: ["status", f, "--json"],
    "attach": lambda f, ev: ["attach", f, "--node", "validate", ev],
    "tick": lambda f, ev: ["tick", f, "--node", "validate", "--item", "1"],
    "sign": lambda f, ev: [
        "sign",
        f,
        "--node",
        "risk",
        "--role",
        "security",
        "--signer",
        "Ana Ruiz",
        "--decision",
        "approve",
    ],
    "export": lambda f, ev: ["export", f, "--json", Path(f).with_suffix(".json")],
    "new-from": lambda f, ev: ["new", "--from", f, Path(f).with_name("copy.sop")],
}


def run_main_quiet(*args) -> int:
    from sopdesigner.cli import main

    return main([str(a) for a in args])


def _assert_refused(r, path: Path, before: bytes, expect: str) -> None:
    assert r.code == 2, (r.out, r.err)
    assert len(r.err_lines) == 1, r.err
    assert r.err.startswith("sopdesigner: ") and "Traceback" not in r.err
    assert expect in r.err, r.err
    assert path.read_bytes() == before
    assert not Path(str(path) + "-journal").exists()
    assert r.out == ""


@pytest.mark.parametrize("command", list(COMMANDS))
@pytest.mark.parametrize("kind", list(HOSTILE))
def test_hostile_file_is_refused_untouched(tmp_path, capsys, kind, command):
    make, expect = HOSTILE[kind]
    path = make(tmp_path)
    evidence = tmp_path / "evidence.txt"
    evidence.write_text("evidence")
    before = path.read_bytes()
    r = run_main(capsys, *COMMANDS[command](path, evidence))
    _assert_refused(r, path, before, expect)
    assert not Path(path).with_name("copy.sop").exists()
    assert not Path(path).with_suffix(".json").exists()


@pytest.mark.parametrize("kind", list(HOSTILE))
def test_hostile_file_is_refused_in_a_real_process(tmp_path, kind, _isolated_user_dirs):
    make, expect = HOSTILE[kind]
    path = make(tmp_path)
    evidence = tmp_path / "evidence.txt"
    evidence.write_text("evidence")
    for command in ("status", "attach", "tick", "sign"):
        before = path.read_bytes()
        r = run_cli(*COMMANDS[command](path, evidence), home=_isolated_user_dirs)
        _assert_refused(r, path, before, expect)


def test_import_of_hostile_sources_is_refused(tmp_path, capsys):
    for name, data in [
        ("empty.json", b""),
        ("array.json", b"[1, 2, 3]"),
        ("deep.json", b"[" * 100_000 + b"]" * 100_000),
        ("nan.json", b'{"id": "x", "title": NaN}'),
        ("dupe.json", b'{"id": "x", "id": "y"}'),
        ("fake.zip", b"PK\x03\x04 this is not really a zip file"),
    ]:
        src = tmp_path / name
        src.write_bytes(data)
        out = tmp_path / f"{name}.sop"
        r = run_main(capsys, "import", src, out)
        assert r.code == 2 and len(r.err_lines) == 1 and "Traceback" not in r.err, (name, r.err)
        assert not out.exists()
        assert src.read_bytes() == data
