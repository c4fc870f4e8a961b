"""Built-in templates, user templates, new deployment from a SOP, and the blank diagram."""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
from pathlib import Path

import pytest

from sopdesigner import templates
from sopdesigner.editing.session import EditSession
from sopdesigner.errors import InvalidEditError, UnknownIdError
from sopdesigner.export.diagram_json import dumps_diagram, load_diagram
from sopdesigner.model import Decision, EdgeKind, Evidence, NodeKind
from sopdesigner.model.geometry import lane_bands, node_rect
from sopdesigner.ops import AttachEvidence, SetItemDone, SignNode, StartReviewRound
from sopdesigner.rules.layout import auto_layout
from sopdesigner.storage.paths import user_templates_dir
from sopdesigner.templates import (
    EVIDENCE_CATEGORIES,
    blank_document,
    list_templates,
    load_template,
    new_deployment,
    save_user_template,
)

ROOT = Path(__file__).resolve().parents[1]
BUILTIN_IDS = [
    "ai-model-deployment-approval",
    "credit-scoring-bank",
    "healthcare-diagnostic-ai",
    "ecommerce-recommendation",
    "internal-productivity-ai",
]
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def test_builtins_are_listed_first_in_order():
    infos = list_templates()
    assert [i.id for i in infos[:5]] == BUILTIN_IDS
    assert all(i.builtin and i.path.is_file() and i.description for i in infos[:5])
    assert infos[0].title == "AI Model Deployment Approval"


@pytest.mark.parametrize("tid", BUILTIN_IDS)
def test_template_is_a_tidy_complete_sop(tid):
    doc = load_template(tid)
    kinds = [n.kind for n in doc.nodes]
    assert kinds.count(NodeKind.START) == 1
    assert kinds.count(NodeKind.END) >= 1
    assert doc.audit == []
    # Lanes for its roles, and every node sits in one.
    assert {lane.role for lane in doc.lanes} == {r.id for r in doc.roles}
    bands = lane_bands(doc)
    for n in doc.nodes:
        top, bottom = bands[n.lane]
        r = node_rect(n)
        assert top <= r.y and r.bottom <= bottom and r.x >= 0, n.id
    rects = [node_rect(n) for n in doc.nodes]
    assert not any(a.intersects(b) for i, a in enumerate(rects) for b in rects[i + 1 :])
    # Laid out by auto_layout, which is deterministic: laying it out again changes nothing.
    layout = auto_layout(doc)
    assert layout.positions == {n.id: (n.position.x, n.position.y) for n in doc.nodes}
    assert layout.lane_heights == {lane.id: lane.height for lane in doc.lanes}
    # Readable slug ids, a pre-filled request and identity, realistic checklists.
    assert all(SLUG.match(n.id) for n in doc.nodes)
    assert doc.request.model_name and doc.request.model_version and doc.request.purpose
    assert doc.request.intended_use and doc.request.requester
    assert doc.identity.sop_version == "1.0" and doc.identity.owner
    items = [i for n in doc.nodes for i in n.checklist]
    assert any(i.required for i in items) and any(not i.required for i in items)
    categories = {i.evidence_category for i in items} - {None}
    assert categories <= set(EVIDENCE_CATEGORIES) and len(categories) >= 4
    for n in doc.nodes:
        if n.kind in (NodeKind.CHECKPOINT, NodeKind.DECISION):
            assert n.required_roles and n.description, n.id
    rework = [e for e in doc.edges if e.kind is EdgeKind.REWORK]
    assert len(rework) == 1 and rework[0].label == "revise"
    assert doc.node(rework[0].source).kind is NodeKind.DECISION


@pytest.mark.parametrize("tid", BUILTIN_IDS)
def test_template_file_is_canonical_and_round_trips(tid):
    data = (templates.templates_dir() / f"{tid}.json").read_bytes()
    doc = load_diagram(data)
    assert dumps_diagram(doc) == data
    assert dumps_diagram(doc) == dumps_diagram(doc)


def test_templates_have_no_validation_errors():
    from sopdesigner.rules import validation

    for tid in BUILTIN_IDS:
        errors = [p for p in validation.validate(load_template(tid)) if p.severity == "error"]
        assert errors == [], (tid, errors)


def test_committed_templates_match_the_generator():
    result = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "build_templates.py"), "--check"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_general_template_follows_the_seed():
    doc = load_template("ai-model-deployment-approval")
    titles = [n.title for n in doc.nodes]
    for title in (
        "Define deployment request",
        "Conduct technical validation",
        "Perform risk and compliance checks",
        "Review operational readiness",
        "Gather stakeholder approvals",
        "Final decision and documentation",
        "Proceed to deployment or iteration",
        "Deploy",
        "Iterate",
    ):
        assert title in titles
    assert [r.name for r in doc.roles] == [
        "Data Science",
        "Engineering",
        "Security",
        "Legal",
        "Compliance",
        "Business",
    ]
    decision = doc.node("final-decision")
    assert decision.kind is NodeKind.DECISION
    assert {e.label for e in doc.edges if e.source == decision.id} == {"approve", "reject", "revise"}
    assert doc.node("define-request").kind is NodeKind.START
    assert {doc.node(e.target).title for e in doc.edges if e.source == "proceed"} == {"Deploy", "Iterate"}
    assert doc.node("risk-compliance-checks").required_roles == ["security", "legal", "compliance"]


def test_industry_templates_have_their_specialist_roles():
    assert "Clinical" in [r.name for r in load_template("healthcare-diagnostic-ai").roles]
    internal = [r.name for r in load_template("internal-productivity-ai").roles]
    assert "Human Resources" in internal and "Legal" in internal
    credit = load_template("credit-scoring-bank")
    assert "Model Risk Management" in [r.name for r in credit.roles]
    ecommerce = " ".join(n.title for n in load_template("ecommerce-recommendation").nodes)
    assert "A/B test" in ecommerce and "Regional rollout" in ecommerce


def test_load_template_gives_a_fresh_id_and_refuses_unknown_ids():
    a, b = load_template("credit-scoring-bank"), load_template("credit-scoring-bank")
    assert a.id != b.id and len(a.id) == 32
    with pytest.raises(UnknownIdError, match="no template 'nope'"):
        load_template("nope")


@pytest.fixture
def used():
    """A template with every kind of record on it: ticks, evidence, sign-offs, rounds, audit."""
    doc = load_template("ai-model-deployment-approval")
    session = EditSession(doc, actor="Ada")
    node = doc.node("technical-validation")
    session.apply(SetItemDone(node.id, node.checklist[0].id, True))
    ev = Evidence(id="ev", sha256=hashlib.sha256(b"x").hexdigest(), size=1, filename="x.txt")
    session.apply(AttachEvidence(node.id, ev))
    session.apply(SignNode(node.id, "Grace", "engineering", Decision.REJECT))
    session.apply(StartReviewRound([node.id]))
    assert node.round == 2 and doc.audit
    return doc


def _assert_cleared(copy, original):
    assert copy.id != original.id
    assert copy.audit == [] and copy.request.model_name == ""
    for n in copy.nodes:
        assert n.evidence == [] and n.signoffs == [] and n.round == 1
        assert all(not i.done and i.done_by is None and i.done_at is None for i in n.checklist)
    # Structure and checklists are kept.
    assert [r.model_dump() for r in copy.roles] == [r.model_dump() for r in original.roles]
    assert [la.model_dump() for la in copy.lanes] == [la.model_dump() for la in original.lanes]
    assert [e.model_dump() for e in copy.edges] == [e.model_dump() for e in original.edges]
    for a, b in zip(copy.nodes, original.nodes, strict=True):
        assert (a.id, a.title, a.kind, a.lane, a.required_roles, a.position) == (
            b.id,
            b.title,
            b.kind,
            b.lane,
            b.required_roles,
            b.position,
        )
        assert [(i.id, i.text, i.required, i.evidence_category) for i in a.checklist] == [
            (i.id, i.text, i.required, i.evidence_category) for i in b.checklist
        ]


def test_new_deployment_clears_records_and_keeps_identity(used):
    before = used.model_dump()
    fresh = new_deployment(used)
    _assert_cleared(fresh, used)
    assert fresh.identity == used.identity and fresh.title == used.title
    assert used.model_dump() == before  # the source document is untouched


def test_save_user_template_lists_and_loads_it(used):
    info = save_user_template(used, "  Our bank's SOP  ")
    assert (info.id, info.title, info.builtin) == ("our-bank-s-sop", "Our bank's SOP", False)
    assert info.path.parent == user_templates_dir()
    listed = list_templates()
    assert [i.id for i in listed[:5]] == BUILTIN_IDS and listed[5].id == info.id
    loaded = load_template(info.id)
    assert loaded.title == "Our bank's SOP"
    _assert_cleared(loaded, used)
    # The same title again never overwrites the first one.
    second = save_user_template(used, "Our bank's SOP")
    assert second.id == "our-bank-s-sop-2" and info.path.exists()


def test_broken_user_templates_are_skipped(used):
    folder = user_templates_dir()
    (folder / "garbage.json").write_bytes(b"{not json")
    (folder / "tampered.json").write_text('{"title": "x", "nodes": [{"id": "a"}]}')
    good = save_user_template(used, "Good one")
    ids = [i.id for i in list_templates()]
    assert good.id in ids and "garbage" not in ids and "tampered" not in ids
    with pytest.raises(UnknownIdError):
        load_template("garbage")


def test_user_template_title_is_required(used):
    with pytest.raises(InvalidEditError):
        save_user_template(used, "   ")


def test_blank_document():
    doc = blank_document("My SOP")
    assert doc.title == "My SOP" and len(doc.id) == 32
    assert [r.name for r in doc.roles] == [
        "Data Science",
        "Engineering",
        "Security",
        "Legal",
        "Compliance",
        "Business",
    ]
    assert [la.role for la in doc.lanes] == [r.id for r in doc.roles]
    assert [(n.kind, n.lane) for n in doc.nodes] == [(NodeKind.START, "lane-data-science")]
    top, bottom = lane_bands(doc)["lane-data-science"]
    r = node_rect(doc.nodes[0])
    assert top <= r.y and r.bottom <= bottom and r.x >= 0
    assert blank_document().title == "Untitled SOP"


def test_data_folders_work_from_source_tree_and_installed_wheel(tmp_path, monkeypatch):
    assert templates.templates_dir() == ROOT / "templates"
    assert (templates.resources_dir() / "diagram.schema.json").is_file()
    # In a wheel, force-include puts the folders inside the package.
    package = tmp_path / "site-packages" / "sopdesigner"
    (package / "templates").mkdir(parents=True)
    (package / "resources").mkdir()
    monkeypatch.setattr(templates, "_package_dir", lambda: package)
    assert templates.templates_dir() == package / "templates"
    assert templates.resources_dir() == package / "resources"
