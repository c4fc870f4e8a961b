"""``attach``, ``tick`` and ``sign``: each changes the .sop file in exactly one transaction
(SQLite's file change counter goes up by one), appends the right audit events, and the whole
trail re-verifies with a hash computation written here from the contract text."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys

import pytest

from sopdesigner.model.document import Document
from sopdesigner.storage.document_file import DocumentFile
from sopdesigner.storage.settings import Settings, save_settings
from tests.cli.cli_support import (
    REPO,
    change_counter,
    independent_chain_check,
    load,
    run_cli,
    run_main,
    write_sop,
)
from tests.factories import make_document


@pytest.fixture
def sop(tmp_path):
    return write_sop(tmp_path / "t.sop", make_document())


def test_attach_stores_bytes_metadata_and_event_in_one_transaction(tmp_path, sop, _isolated_user_dirs):
    content = b"%PDF-1.4 evaluation report\n" + bytes(range(256)) * 8000  # ~2 MB: several chunks
    report = tmp_path / "отчёт-评估.pdf"
    report.write_bytes(content)
    before = change_counter(sop)
    r = run_cli(
        "attach",
        sop,
        "--node",
        "Technical validation",
        report,
        "--title",
        "Validation report",
        "--category",
        "Performance metrics and validation results",
        "--actor",
        "CI pipeline",
        home=_isolated_user_dirs,
    )
    assert r.code == 0, r.err
    assert "отчёт-评估.pdf" in r.out
    assert change_counter(sop) == before + 1

    doc = load(sop)
    [ev] = doc.node("validate").evidence
    assert ev.sha256 == hashlib.sha256(content).hexdigest()
    assert (ev.size, ev.filename, ev.title) == (len(content), "отчёт-评估.pdf", "Validation report")
    assert (ev.category, ev.added_by, ev.media_type) == (
        "Performance metrics and validation results",
        "CI pipeline",
        "application/pdf",
    )
    last = doc.audit[-1]
    assert (last.action, last.node, last.actor) == ("evidence.attached", "validate", "CI pipeline")
    assert last.details["sha256"] == ev.sha256 and last.details["filename"] == "отчёт-评估.pdf"
    with DocumentFile.open(sop, read_only=True) as f:
        assert b"".join(f.iter_blob(ev.sha256)) == content


def test_attach_same_bytes_twice_stores_them_once(tmp_path, sop, capsys):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_bytes(b"same")
    b.write_bytes(b"same")
    assert run_main(capsys, "attach", sop, "--node", "validate", a).code == 0
    assert run_main(capsys, "attach", sop, "--node", "risk", b).code == 0
    with DocumentFile.open(sop, read_only=True) as f:
        assert f.blob_hashes() == {hashlib.sha256(b"same").hexdigest()}
    assert [e.filename for e in load(sop).node("risk").evidence] == ["b.txt"]


@pytest.mark.parametrize(
    ("args", "expect"),
    [
        (["--node", "validate", "missing.pdf"], "does not exist"),
        (["--node", "Validation", "ok.txt"], "Did you mean"),
        (["--node", "validate", "."], "not a regular file"),
    ],
)
def test_attach_errors_leave_the_file_untouched(tmp_path, sop, capsys, monkeypatch, args, expect):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "ok.txt").write_text("ok")
    before = sop.read_bytes()
    r = run_main(capsys, "attach", sop, *args)
    assert r.code == 2 and len(r.err_lines) == 1 and expect in r.err, r.err
    assert "Traceback" not in r.err
    assert sop.read_bytes() == before


def test_unknown_node_lists_close_matches(sop, capsys):
    r = run_main(capsys, "tick", sop, "--node", "Technical validaton", "--item", "1")
    assert r.code == 2
    assert len(r.err_lines) == 1
    assert r.err.startswith(
        "sopdesigner: There is no node with id or title 'Technical validaton'. Did you mean 'Technical validation'"
    )


def test_tick_by_number_and_by_text_then_untick(sop, capsys):
    c0 = change_counter(sop)
    assert run_main(capsys, "tick", sop, "--node", "validate", "--item", "2", "--actor", "Ana Ruiz").code == 0
    assert change_counter(sop) == c0 + 1
    r = run_main(
        capsys,
        "tick",
        sop,
        "--node",
        "Technical validation",
        "--item",
        "Performance metrics reviewed",
        "--actor",
        "Bo Chen",
    )
    assert r.code == 0, r.err
    doc = load(sop)
    items = {i.id: i for i in doc.node("validate").checklist}
    assert (items["data"].done, items["data"].done_by) == (True, "Ana Ruiz")
    assert (items["metrics"].done, items["metrics"].done_by) == (True, "Bo Chen")
    assert items["extra"].done is False

    assert (
        run_main(
            capsys, "tick", sop, "--node", "validate", "--item", "2", "--undo", "--actor", "Ana Ruiz"
        ).code
        == 0
    )
    doc = load(sop)
    data = doc.node("validate").checklist[1]
    assert (data.done, data.done_by, data.done_at) == (False, None, None)
    assert [(e.action, e.details["item"]) for e in doc.audit] == [
        ("checklist.ticked", "data"),
        ("checklist.ticked", "metrics"),
        ("checklist.unticked", "data"),
    ]


def test_ticking_an_item_again_is_a_no_op_that_leaves_the_file_untouched(sop, capsys):
    run_main(capsys, "tick", sop, "--node", "validate", "--item", "1", "--actor", "First Person")
    before = sop.read_bytes()
    r = run_main(capsys, "tick", sop, "--node", "validate", "--item", "1", "--actor", "Second Person")
    assert r.code == 0 and "already ticked; nothing changed" in r.out
    r = run_main(capsys, "tick", sop, "--node", "validate", "--item", "2", "--undo")
    assert r.code == 0 and "already unticked" in r.out
    assert sop.read_bytes() == before
    assert load(sop).node("validate").checklist[0].done_by == "First Person"


def test_tick_refusals(sop, capsys):
    run_main(capsys, "tick", sop, "--node", "validate", "--item", "1")
    before = sop.read_bytes()
    for args, expect in [
        (["--item", "4"], "there is no item 4"),
        (["--item", "0"], "there is no item 0"),
        (["--item", "Data quality"], "Did you mean 'Data quality checked'"),
    ]:
        r = run_main(capsys, "tick", sop, "--node", "validate", *args)
        assert r.code == 2 and len(r.err_lines) == 1 and expect in r.err, r.err
    r = run_main(capsys, "tick", sop, "--node", "start", "--item", "1")
    assert r.code == 2 and "has no checklist" in r.err
    assert sop.read_bytes() == before


def test_sign_records_signoffs_and_status_follows(sop, capsys):
    c0 = change_counter(sop)
    r = run_main(
        capsys,
        "sign",
        sop,
        "--node",
        "risk",
        "--role",
        "SECURITY",
        "--signer",
        "Σωκράτης Παπαδόπουλος",
        "--decision",
        "approve",
        "--comment",
        "No findings",
        "--actor",
        "Σωκράτης Παπαδόπουλος",
    )
    assert r.code == 0, r.err
    assert change_counter(sop) == c0 + 1
    assert run_main(capsys, "status", sop).out.count("in_review") == 1
    r = run_main(
        capsys,
        "sign",
        sop,
        "--node",
        "Risk and compliance review",
        "--role",
        "legal",
        "--signer",
        "Ана Петрова",
        "--decision",
        "approve_with_conditions",
        "--conditions",
        "Re-check after 90 days",
        "--meaning",
        "Legal approval",
    )
    assert r.code == 0, r.err
    doc = load(sop)
    node = doc.node("risk")
    assert [(s.role, s.signer, s.decision.value) for s in node.signoffs] == [
        ("security", "Σωκράτης Παπαδόπουλος", "approve"),
        ("legal", "Ана Петрова", "approve_with_conditions"),
    ]
    assert node.signoffs[0].comment == "No findings"
    assert (
        node.signoffs[1].conditions == "Re-check after 90 days"
        and node.signoffs[1].meaning == "Legal approval"
    )
    status = json.loads(run_main(capsys, "status", sop, "--json").out)
    assert {n["id"]: n["status"] for n in status["nodes"]}["risk"] == "approved_with_conditions"
    events = [e for e in doc.audit if e.action == "signoff.recorded"]
    assert [(e.node, e.details["signer"], e.details["decision"]) for e in events] == [
        ("risk", "Σωκράτης Παπαδόπουλος", "approve"),
        ("risk", "Ана Петрова", "approve_with_conditions"),
    ]

    r = run_main(
        capsys,
        "sign",
        sop,
        "--node",
        "decide",
        "--role",
        "business",
        "--signer",
        "Bo Chen",
        "--decision",
        "reject",
    )
    assert r.code == 0
    assert json.loads(run_main(capsys, "status", sop, "--json").out)["nodes"][3]["status"] == "rejected"


@pytest.mark.parametrize(
    ("args", "expect"),
    [
        (["--role", "security", "--signer", "A", "--decision", "maybe"], "is not a decision"),
        (["--role", "security", "--signer", "  ", "--decision", "approve"], "printed name"),
        (["--role", "secrity", "--signer", "A", "--decision", "approve"], "Did you mean 'security'"),
        (["--role", "security", "--signer", "A", "--decision", "approve_with_conditions"], "conditions"),
    ],
)
def test_sign_refusals_leave_the_file_untouched(sop, capsys, args, expect):
    before = sop.read_bytes()
    r = run_main(capsys, "sign", sop, "--node", "risk", *args)
    assert r.code == 2 and len(r.err_lines) == 1 and expect in r.err, r.err
    assert sop.read_bytes() == before


def test_actor_defaults_to_the_settings_user_name(sop, capsys, _isolated_user_dirs):
    save_settings(Settings(user_name="Мария Иванова"))
    r = run_cli("tick", sop, "--node", "validate", "--item", "1", home=_isolated_user_dirs)
    assert r.code == 0, r.err
    doc = load(sop)
    assert doc.audit[-1].actor == "Мария Иванова"
    assert doc.node("validate").checklist[0].done_by == "Мария Иванова"


def test_records_trail_reverifies_independently_from_export_json(tmp_path, capsys, _isolated_user_dirs):
    home = _isolated_user_dirs
    f = tmp_path / "flow.sop"
    assert (
        run_cli("new", "--template", "ai-model-deployment-approval", f, "--actor", "Lead", home=home).code
        == 0
    )
    evidence = tmp_path / "metrics.json"
    evidence.write_text('{"auc": 0.93}')
    steps = [
        ("attach", f, "--node", "technical-validation", evidence, "--actor", "CI"),
        ("tick", f, "--node", "technical-validation", "--item", "1", "--actor", "Ana Ruiz"),
        (
            "sign",
            f,
            "--node",
            "technical-validation",
            "--role",
            "Data Science",
            "--signer",
            "Ana Ruiz",
            "--decision",
            "approve",
            "--actor",
            "Ana Ruiz",
        ),
        ("tick", f, "--node", "technical-validation", "--item", "1", "--undo", "--actor", "Ana Ruiz"),
    ]
    for step in steps:
        r = run_cli(*step, home=home)
        assert r.code == 0, r.err
    out = tmp_path / "d.json"
    assert run_cli("export", f, "--json", out, home=home).code == 0
    events = json.loads(out.read_bytes())["audit"]
    assert [(e["action"], e["actor"]) for e in events] == [
        ("document.created", "Lead"),
        ("evidence.attached", "CI"),
        ("checklist.ticked", "Ana Ruiz"),
        ("signoff.recorded", "Ana Ruiz"),
        ("checklist.unticked", "Ana Ruiz"),
    ]
    independent_chain_check(events)
    assert events[1]["details"]["sha256"] == hashlib.sha256(b'{"auc": 0.93}').hexdigest()
    # The stored rows are the same chain, one row per event.
    with DocumentFile.open(f, read_only=True) as doc_file:
        assert [e.hash for e in doc_file.load().audit] == [e["hash"] for e in events]


def test_unicode_titles_names_and_files_survive_every_round_trip(tmp_path, capsys):
    doc: Document = make_document()
    doc.title = "Έγκριση μοντέλου — 模型审批 🚀"
    node = doc.node("validate")
    node.title = "Технічна валідація 🔬"
    node.checklist[0].text = "数据质量检查 ✅"
    doc.role("security").name = "Безопасность"
    f = write_sop(tmp_path / "σοπ-文档.sop", doc)
    report = tmp_path / "отчёт-评估.pdf"
    report.write_bytes("πιστοποίηση 認証 🛡️".encode())

    assert (
        run_main(capsys, "attach", f, "--node", "Технічна валідація 🔬", report, "--title", "Звіт 📄").code
        == 0
    )
    assert (
        run_main(
            capsys,
            "tick",
            f,
            "--node",
            "Технічна валідація 🔬",
            "--item",
            "数据质量检查 ✅",
            "--actor",
            "王芳",
        ).code
        == 0
    )
    assert (
        run_main(
            capsys,
            "sign",
            f,
            "--node",
            "risk",
            "--role",
            "безопасность",
            "--signer",
            "Σωκράτης Παπαδόπουλος",
            "--decision",
            "approve",
        ).code
        == 0
    )

    status = run_main(capsys, "status", f).out
    assert "Технічна валідація 🔬" in status and "security: approve (Σωκράτης Παπαδόπουλος)" in status
    j1, j2 = tmp_path / "первый.json", tmp_path / "二.json"
    assert run_main(capsys, "export", f, "--json", j1).code == 0
    assert run_main(capsys, "import", j1, tmp_path / "импорт.sop").code == 0
    assert run_main(capsys, "export", tmp_path / "импорт.sop", "--json", j2).code == 0
    for raw in (j1.read_bytes(), j2.read_bytes()):
        text = raw.decode("utf-8")
        for s in (
            "Έγκριση μοντέλου — 模型审批 🚀",
            "Технічна валідація 🔬",
            "数据质量检查 ✅",
            "Безопасность",
            "отчёт-评估.pdf",
            "Звіт 📄",
            "王芳",
            "Σωκράτης Παπαδόπουλος",
        ):
            assert s in text, s
    assert json.loads(j2.read_bytes())["audit"][-1]["details"]["source"] == "первый.json"


def test_a_console_that_cannot_show_greek_gets_escapes_not_a_traceback(tmp_path, _isolated_user_dirs):
    doc = make_document()
    doc.node("validate").title = "Τεχνική επικύρωση 🔬"
    f = write_sop(tmp_path / "t.sop", doc)
    latin1 = {"PYTHONUTF8": "0", "PYTHONIOENCODING": "latin-1"}
    r = run_cli("tick", f, "--node", "validate", "--item", "1", home=_isolated_user_dirs, env_extra=latin1)
    assert r.code == 0, r.err
    assert "Traceback" not in r.err
    assert load(f).node("validate").checklist[0].done
    r = run_cli("status", f, home=_isolated_user_dirs, env_extra=latin1)
    assert r.code == 0 and "\\u03a4" in r.out  # Τ, escaped
    r = run_cli("status", f, "--json", home=_isolated_user_dirs, env_extra=latin1)
    assert r.code == 0
    assert {n["id"]: n["title"] for n in json.loads(r.out)["nodes"]}["validate"] == "Τεχνική επικύρωση 🔬"


@pytest.mark.slow
def test_parallel_pipeline_jobs_on_one_file_all_land(tmp_path, _isolated_user_dirs):
    """Several CI jobs recording into the same document at once: none is lost, none fails."""
    f = tmp_path / "shared.sop"
    assert run_cli("new", "--template", "ai-model-deployment-approval", f, home=_isolated_user_dirs).code == 0
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "SOPDESIGNER_"))}
    env.update(SOPDESIGNER_HOME=str(_isolated_user_dirs), PYTHONPATH=str(REPO))
    jobs = [
        ["tick", f, "--node", "technical-validation", "--item", str(i), "--actor", f"job-{i}"]
        for i in range(1, 7)
    ] + [
        ["tick", f, "--node", "security-privacy-review", "--item", str(i), "--actor", f"sec-{i}"]
        for i in range(1, 4)
    ]
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "sopdesigner", *map(str, job)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for job in jobs
    ]
    results = [(p.wait(timeout=120), p.stderr.read().decode()) for p in procs]
    for p in procs:
        p.stdout.close()
        p.stderr.close()
    assert all(code == 0 for code, _ in results), results
    doc = load(f)
    assert all(item.done for item in doc.node("technical-validation").checklist)
    assert all(item.done for item in doc.node("security-privacy-review").checklist)
    assert sorted(e.actor for e in doc.audit[1:]) == sorted(
        [f"job-{i}" for i in range(1, 7)] + [f"sec-{i}" for i in range(1, 4)]
    )
    independent_chain_check([e.model_dump(mode="json") for e in doc.audit])


@pytest.mark.slow
def test_attach_killed_at_any_moment_leaves_the_document_before_or_after(tmp_path, _isolated_user_dirs):
    """SIGKILL an attach at several moments (hashing, mid-transaction, done): the file always opens
    and holds either no new evidence or the evidence with all its bytes and its audit event."""
    big = tmp_path / "big.bin"
    with open(big, "wb") as fh:
        for i in range(48):
            fh.write(bytes([i]) * (1 << 20))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "SOPDESIGNER_"))}
    env.update(SOPDESIGNER_HOME=str(_isolated_user_dirs), PYTHONPATH=str(REPO))
    outcomes = set()
    for n, delay in enumerate((0.05, 0.3, 0.6, 1.0, 1.5, 2.5, 6.0)):
        f = write_sop(tmp_path / f"k{n}.sop", make_document())
        proc = subprocess.Popen(
            [sys.executable, "-m", "sopdesigner", "attach", str(f), "--node", "validate", str(big)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            proc.wait(timeout=delay)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        doc = load(f)  # a hot journal, if any, is rolled back here
        evidence = doc.node("validate").evidence
        with DocumentFile.open(f, read_only=True) as stored:
            if evidence:
                assert doc.audit[-1].action == "evidence.attached"
                assert stored.blob_size(evidence[0].sha256) == 48 << 20
                outcomes.add("after")
            else:
                assert doc.audit == [] and stored.blob_hashes() == set()
                outcomes.add("before")
        assert run_main_code("status", f) == 0
    assert "before" in outcomes  # the earliest kill cannot have finished a 48 MB attach


def run_main_code(*args) -> int:
    from sopdesigner.cli import main

    return main([str(a) for a in args])
