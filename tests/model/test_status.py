"""Every derived status, triggered by the smallest record that produces it."""

from __future__ import annotations

import pytest

from sopdesigner.model import ChecklistItem, Decision, Evidence, Node, NodeKind, SignOff, Status, node_status
from sopdesigner.model.status import STATUS_STYLES

SHA = "a" * 64


def gate(**kw) -> Node:
    return Node(
        id="g",
        kind=NodeKind.CHECKPOINT,
        title="Gate",
        required_roles=["sec", "legal"],
        checklist=[ChecklistItem(id="i1", text="Check"), ChecklistItem(id="i2", text="Opt", required=False)],
        **kw,
    )


def step(**kw) -> Node:
    return Node(
        id="s",
        kind=NodeKind.STEP,
        title="Step",
        checklist=[ChecklistItem(id="i1", text="Do"), ChecklistItem(id="i2", text="Opt", required=False)],
        **kw,
    )


def so(
    role: str, decision: Decision, *, conditions: str = "", rnd: int = 1, superseded: bool = False
) -> SignOff:
    return SignOff(
        id=f"{role}-{decision}-{rnd}",
        signer="Ana",
        role=role,
        decision=decision,
        conditions=conditions,
        at="2026-01-01T00:00:00.000000Z",
        round=rnd,
        superseded=superseded,
    )


def ticked(node: Node, item: str = "i1") -> Node:
    for it in node.checklist:
        if it.id == item:
            it.done = True
    return node


def test_note_has_no_workflow_status():
    assert node_status(Node(id="n", kind=NodeKind.NOTE, title="Note")) is Status.NOT_STARTED


def test_step_not_started_in_progress_complete():
    assert node_status(step()) is Status.NOT_STARTED
    assert node_status(ticked(step(), "i2")) is Status.IN_PROGRESS  # only the optional item
    assert node_status(ticked(step(), "i1")) is Status.COMPLETE
    ev = Evidence(id="e", sha256=SHA, size=1, filename="a.txt")
    assert node_status(step(evidence=[ev])) is Status.IN_PROGRESS


def test_step_without_checklist_never_completes():
    assert node_status(Node(id="s", kind=NodeKind.STEP, title="S")) is Status.NOT_STARTED


def test_gate_progression():
    assert node_status(gate()) is Status.NOT_STARTED
    assert node_status(ticked(gate(), "i2")) is Status.IN_PROGRESS
    assert node_status(ticked(gate())) is Status.IN_REVIEW  # work done, waiting for sign-offs
    assert node_status(gate(signoffs=[so("sec", Decision.APPROVE)])) is Status.IN_REVIEW
    both = [so("sec", Decision.APPROVE), so("legal", Decision.APPROVE)]
    assert node_status(gate(signoffs=both)) is Status.APPROVED


def test_conditions_make_approval_conditional():
    signed = [
        so("sec", Decision.APPROVE),
        so("legal", Decision.APPROVE_WITH_CONDITIONS, conditions="Monitor drift"),
    ]
    assert node_status(gate(signoffs=signed)) is Status.APPROVED_WITH_CONDITIONS


def test_request_changes_and_reject():
    assert node_status(gate(signoffs=[so("sec", Decision.REQUEST_CHANGES)])) is Status.NEEDS_REVISION
    mixed = [so("sec", Decision.REQUEST_CHANGES), so("legal", Decision.REJECT)]
    assert node_status(gate(signoffs=mixed)) is Status.REJECTED


def test_latest_decision_per_role_wins():
    later = [so("sec", Decision.REJECT), so("sec", Decision.APPROVE), so("legal", Decision.APPROVE)]
    later[1].id = "second"
    assert node_status(gate(signoffs=later)) is Status.APPROVED


def test_superseded_and_old_round_signoffs_do_not_count():
    old = [so("sec", Decision.REJECT, superseded=True), so("legal", Decision.REJECT, rnd=1)]
    assert node_status(gate(signoffs=old, round=2)) is Status.NOT_STARTED


@pytest.mark.parametrize("status", list(Status))
def test_every_status_has_colour_glyph_and_label(status):
    style = STATUS_STYLES[status]
    assert style.label and style.glyph and style.colour.startswith("#") and style.text_on.startswith("#")


def test_status_glyphs_and_labels_are_distinct():
    assert len({s.glyph for s in STATUS_STYLES.values()}) == len(Status)
    assert len({s.label for s in STATUS_STYLES.values()}) == len(Status)
