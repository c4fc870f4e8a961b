"""The gate refuses records the tamper-evident audit trail does not back."""

from __future__ import annotations

import sqlite3

from sopdesigner.model import Decision, SignOff
from sopdesigner.rules.gate import gate
from sopdesigner.storage.document_file import DocumentFile
from tests.rules.test_gate import complete_everything, session_for


def shipping(doc):
    session = session_for(doc)
    complete_everything(session)
    assert gate(doc).ship, gate(doc).reasons
    return session


def test_signoff_edited_in_the_record_blocks_shipping(doc):
    shipping(doc)
    doc.node("risk").signoffs[0].signer = "Somebody Else"
    result = gate(doc)
    assert not result.ship
    assert any("does not match the audit trail" in r and "Somebody Else" in r for r in result.reasons)


def test_signoff_slipped_in_without_an_event_blocks_shipping(doc):
    shipping(doc)
    doc.node("risk").signoffs.append(
        SignOff(
            id="forged",
            signer="Mallory",
            role="security",
            decision=Decision.APPROVE,
            at="2026-01-01T00:00:00Z",
        )
    )
    assert any("Mallory" in r for r in gate(doc).reasons)


def test_tick_without_an_event_blocks_shipping(doc):
    shipping(doc)
    item = doc.node("risk").checklist[0]
    doc.node("risk").checklist[0] = item.model_copy(update={"id": "other-item"})
    assert any("is not in the audit trail" in r for r in gate(doc).reasons)


def test_altered_audit_event_in_the_file_blocks_shipping(tmp_path, doc):
    shipping(doc)
    path = tmp_path / "d.sop"
    DocumentFile.create(path, doc).close()
    con = sqlite3.connect(path)
    seq, event = con.execute("SELECT seq, event FROM audit ORDER BY seq LIMIT 1").fetchone()
    con.execute("UPDATE audit SET event = ? WHERE seq = ?", (event.replace("Gate Tester", "Someone"), seq))
    con.commit()
    con.close()
    with DocumentFile.open(path) as f:
        reloaded = f.load()
    result = gate(reloaded)
    assert not result.ship
    assert result.reasons == [
        "The audit trail does not verify: Audit event 1 was altered: its hash does not match its content"
    ]
