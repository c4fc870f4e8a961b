"""diagram.json: canonical bytes, lossless round trip, hostile input refused, schema shipped."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from sopdesigner.editing.session import EditSession
from sopdesigner.errors import ImportRefusedError
from sopdesigner.export import diagram_json
from sopdesigner.export.diagram_json import (
    diagram_dict,
    diagram_schema,
    dumps_diagram,
    dumps_schema,
    load_diagram,
)
from sopdesigner.model import Decision, Evidence
from sopdesigner.ops import AttachEvidence, SetItemDone, SignNode

ROOT = Path(__file__).resolve().parents[2]


def _clock():
    ticks = iter(range(100))
    return lambda: f"2026-11-26T10:00:{next(ticks):02d}Z"


@pytest.fixture
def recorded(doc):
    """The factory document with ticks, evidence, sign-offs and a four-event audit chain."""
    session = EditSession(doc, actor="Ada Lovelace", clock=_clock())
    session.apply(SetItemDone("validate", "metrics", True))
    blob = b"metrics report"
    ev = Evidence(
        id="ev1",
        sha256=hashlib.sha256(blob).hexdigest(),
        size=len(blob),
        filename="metrics.pdf",
        title="Validation metrics",
        category="Performance metrics and validation results",
    )
    session.apply(AttachEvidence("validate", ev))
    session.apply(SignNode("risk", "Grace Hopper", "security", Decision.APPROVE, signoff_id="s1"))
    session.apply(
        SignNode(
            "risk",
            "Alan Turing",
            "legal",
            Decision.APPROVE_WITH_CONDITIONS,
            conditions="Re-check privacy in 90 days",
            signoff_id="s2",
        )
    )
    assert len(doc.audit) == 4
    return doc


def _refused(data: bytes | str, *fragments: str) -> str:
    with pytest.raises(ImportRefusedError) as info:
        load_diagram(data, source="in.json")
    message = str(info.value)
    assert message.startswith("in.json: ")
    assert message.endswith(".") and "\n" not in message and "Traceback" not in message
    for fragment in fragments:
        assert fragment in message, message
    return message


def _mutated(doc, change) -> bytes:
    data = json.loads(dumps_diagram(doc))
    change(data)
    return json.dumps(data).encode()


# ----------------------------------------------------------------------------- export
def test_export_is_canonical_and_byte_identical(recorded):
    first = dumps_diagram(recorded)
    assert first == dumps_diagram(recorded)
    assert first.endswith(b"}\n")
    assert first.startswith(b'{\n  "audit": [\n')  # sorted keys, 2-space indent
    data = json.loads(first)
    assert list(data) == sorted(data)
    assert [n["id"] for n in data["nodes"]] == ["start", "validate", "risk", "decide", "deploy", "iterate"]
    assert [e["id"] for e in data["edges"]] == ["e1", "e2", "e3", "e4", "e5", "e6"]


def test_export_has_the_contract_keys_and_derived_status(recorded):
    data = diagram_dict(recorded)
    for key in (
        "schema_version",
        "title",
        "request",
        "identity",
        "policy",
        "roles",
        "lanes",
        "nodes",
        "edges",
        "audit",
    ):
        assert key in data
    nodes = {n["id"]: n for n in data["nodes"]}
    # validate: one of two required items ticked; risk: both required roles approved, one with conditions.
    assert nodes["validate"]["status"] == "in_progress"
    assert nodes["risk"]["status"] == "approved_with_conditions"
    assert nodes["start"]["status"] == "not_started"
    item = nodes["validate"]["checklist"][0]
    assert (item["text"], item["required"], item["done"], item["done_by"], item["done_at"]) == (
        "Performance metrics reviewed",
        True,
        True,
        "Ada Lovelace",
        "2026-11-26T10:00:00Z",
    )
    ev = nodes["validate"]["evidence"][0]
    assert ev["sha256"] == hashlib.sha256(b"metrics report").hexdigest()
    assert (ev["size"], ev["filename"], ev["added_by"]) == (14, "metrics.pdf", "Ada Lovelace")
    signoff = nodes["risk"]["signoffs"][1]
    assert signoff["signer"] == "Alan Turing" and signoff["decision"] == "approve_with_conditions"
    assert signoff["conditions"] == "Re-check privacy in 90 days" and signoff["at"] == "2026-11-26T10:00:03Z"
    assert data["edges"][5] == {
        "id": "e6",
        "source": "decide",
        "target": "validate",
        "label": "revise",
        "kind": "rework",
    }
    assert [e["seq"] for e in data["audit"]] == [1, 2, 3, 4]
    assert data["audit"][0]["prev_hash"] == "0" * 64 and len(data["audit"][3]["hash"]) == 64


def test_dump_load_dump_is_identical(recorded):
    first = dumps_diagram(recorded)
    loaded = load_diagram(first)
    assert loaded == recorded
    assert dumps_diagram(loaded) == first


def test_unicode_round_trips_without_escapes(doc):
    doc.title = "Έγκριση μοντέλου — Утверждение модели — 模型审批 🚀"
    doc.roles[0].name = "Επιστήμη δεδομένων"
    doc.nodes[1].title = "Технічна валідація ✅"
    doc.nodes[1].checklist[0].text = "性能指标已审核 📈"
    doc.request.requester = "Zoë Ångström"
    data = dumps_diagram(doc)
    for text in ("Έγκριση", "Утверждение", "模型审批", "🚀", "Технічна", "性能指标", "Zoë Ångström"):
        assert text.encode("utf-8") in data
    assert b"\\u" not in data
    loaded = load_diagram(data)
    assert loaded.title == doc.title and loaded.nodes[1].checklist[0].text == "性能指标已审核 📈"
    assert dumps_diagram(loaded) == data
    assert load_diagram(data.decode("utf-8")) == doc  # str input too


def test_status_in_the_file_is_ignored_and_recomputed(doc):
    def lie(data):
        data["nodes"][2]["status"] = "approved"

    loaded = load_diagram(_mutated(doc, lie))
    assert diagram_dict(loaded)["nodes"][2]["status"] == "not_started"


def test_records_without_audit_events_are_accepted(recorded):
    def drop_audit(data):
        data["audit"] = []

    loaded = load_diagram(_mutated(recorded, drop_audit))
    assert loaded.audit == [] and len(loaded.node("risk").signoffs) == 2


def test_missing_document_id_gets_a_fresh_one(doc):
    def drop_id(data):
        del data["id"]

    a, b = load_diagram(_mutated(doc, drop_id)), load_diagram(_mutated(doc, drop_id))
    assert a.id != b.id and len(a.id) == 32


# ----------------------------------------------------------------------------- hostile input
def test_duplicate_keys_are_refused(doc):
    text = dumps_diagram(doc).decode()
    text = text.replace('"title": "Test SOP"', '"title": "Test SOP", "title": "Other"', 1)
    _refused(text, "'title' appears twice")


def test_unknown_fields_are_refused(doc):
    def top(data):
        data["extra"] = 1

    def nested(data):
        data["nodes"][1]["checklist"][0]["colour"] = "red"

    _refused(_mutated(doc, top), "extra is not a known field")
    _refused(
        _mutated(doc, nested), "nodes[1] ('validate').checklist[0] ('metrics').colour is not a known field"
    )


def test_wrong_types_are_refused(doc):
    def title_number(data):
        data["nodes"][0]["title"] = 42

    def bad_kind(data):
        data["nodes"][3]["kind"] = "gateway"

    def position_text(data):
        data["nodes"][0]["position"]["x"] = "left"

    _refused(_mutated(doc, title_number), "nodes[0] ('start').title is invalid")
    _refused(_mutated(doc, bad_kind), "nodes[3] ('decide').kind is invalid")
    _refused(_mutated(doc, position_text), "position.x is invalid")
    _refused(b"[1, 2, 3]", "top level is not a JSON object")
    _refused(b'{"nodes": [', "not valid JSON")


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        (lambda d: d["edges"][0].update(target="ghost"), "edge 'e1' points to node 'ghost'"),
        (lambda d: d["nodes"][0].update(lane="lane-nowhere"), "node 'start' is in lane 'lane-nowhere'"),
        (lambda d: d["lanes"][0].update(role="nobody"), "lane 'lane-data-science' belongs to role 'nobody'"),
        (lambda d: d["nodes"][2]["required_roles"].append("auditor"), "node 'risk' requires role 'auditor'"),
        (lambda d: d["nodes"][1].update(id="start"), "node id 'start' is used twice"),
        (lambda d: d["edges"][1].update(id="e1"), "edge id 'e1' is used twice"),
    ],
)
def test_broken_references_are_refused(doc, change, fragment):
    _refused(_mutated(doc, change), fragment)


def test_tampered_audit_event_is_refused(recorded):
    def tamper(data):
        data["audit"][2]["details"]["signer"] = "Mallory"

    def drop(data):
        del data["audit"][1]

    def rehash_without_link(data):
        event = data["audit"][3]
        event["actor"] = "Mallory"
        from sopdesigner.model.audit import event_hash

        event["hash"] = event_hash(event)  # a consistent hash, but event 4 no longer matches the file

    _refused(_mutated(recorded, tamper), "audit event 3 was altered")
    _refused(_mutated(recorded, drop), "audit event 2 has sequence number 3")

    # Re-hashing the edited last event makes it self-consistent: the chain still verifies, which is
    # why packages also carry the head hash elsewhere. Editing a middle event breaks the next link.
    def tamper_middle(data):
        from sopdesigner.model.audit import event_hash

        data["audit"][1]["actor"] = "Mallory"
        data["audit"][1]["hash"] = event_hash(data["audit"][1])

    _refused(_mutated(recorded, tamper_middle), "audit event 3 does not link")
    assert load_diagram(_mutated(recorded, rehash_without_link)).audit[3].actor == "Mallory"


def test_a_chain_hashed_over_values_pydantic_would_coerce_is_refused(recorded):
    from sopdesigner.model.audit import event_hash

    def seq_as_bool(data):
        # ``true == 1`` in Python, so the chain verifies as written; but pydantic stores seq 1,
        # whose hash differs from the one the author wrote. What is stored must verify.
        chain = data["audit"]
        chain[0]["seq"] = True
        for i, event in enumerate(chain):
            if i:
                event["prev_hash"] = chain[i - 1]["hash"]
            event["hash"] = event_hash(event)

    _refused(_mutated(recorded, seq_as_bool), "audit event 1 was altered")


def test_huge_nesting_is_refused(doc):
    deep = "[" * 200_000 + "]" * 200_000
    _refused(deep, "nested too deeply")
    _refused('{"nodes": ' + deep + "}", "nested too deeply")

    def deep_details(data):
        details: dict = {}
        inner = details
        for _ in range(100):
            inner["x"] = {}
            inner = inner["x"]
        data["audit"] = [
            {
                "seq": 1,
                "at": "2026-01-01T00:00:00Z",
                "actor": "a",
                "action": "x",
                "node": None,
                "details": details,
                "prev_hash": "0" * 64,
                "hash": "0" * 64,
            }
        ]

    _refused(_mutated(doc, deep_details), "audit event 1 has details nested too deeply")


def test_nan_infinity_and_overflowing_numbers_are_refused(doc):
    text = dumps_diagram(doc).decode()
    _refused(text.replace('"x": 100.0', '"x": NaN', 1), "NaN")
    _refused(text.replace('"x": 100.0', '"x": -Infinity', 1), "-Infinity")
    _refused(text.replace('"x": 100.0', '"x": 1e400', 1), "1e400 is too large")


def test_oversized_and_undecodable_input_is_refused(doc, monkeypatch):
    _refused(b'{"title": "\xff\xfe"}', "not UTF-8")
    monkeypatch.setattr(diagram_json, "MAX_BYTES", 1000)
    _refused(dumps_diagram(doc), "more than the 0 MB allowed")


def test_newer_schema_version_is_refused(doc):
    def future(data):
        data["schema_version"] = 99

    _refused(_mutated(doc, future), "schema version 99, newer than")


# ----------------------------------------------------------------------------- schema
def test_committed_schema_equals_the_generated_one():
    assert (ROOT / "resources" / "diagram.schema.json").read_bytes() == dumps_schema()


def test_schema_requires_the_contract_keys():
    schema = diagram_schema()
    defs = schema["$defs"]
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"

    def requires(definition, keys):
        missing = set(keys) - set(definition["required"])
        assert not missing, missing

    requires(schema, ["schema_version", "title", "request", "roles", "lanes", "nodes", "edges", "audit"])
    requires(
        defs["Request"],
        [
            "model_name",
            "model_version",
            "purpose",
            "intended_use",
            "target_environment",
            "scope",
            "requester",
        ],
    )
    requires(defs["Role"], ["id", "name"])
    requires(
        defs["Node"],
        ["id", "kind", "title", "status", "position", "required_roles", "checklist", "evidence", "signoffs"],
    )
    requires(defs["ChecklistItem"], ["text", "required", "done", "done_by", "done_at"])
    requires(defs["Evidence"], ["sha256", "size", "filename", "title", "category", "added_by", "added_at"])
    requires(defs["SignOff"], ["signer", "role", "decision", "meaning", "comment", "conditions", "at"])
    requires(defs["Edge"], ["id", "source", "target", "label", "kind"])
    requires(defs["AuditEvent"], ["seq", "at", "actor", "action", "node", "details", "prev_hash", "hash"])
    assert defs["Node"]["properties"]["status"]["enum"][0] == "not_started"
    assert defs["Node"]["additionalProperties"] is False


def test_exports_validate_against_the_schema(recorded):
    import jsonschema

    from sopdesigner.templates import list_templates, load_template

    validator = jsonschema.Draft202012Validator(diagram_schema())
    validator.validate(json.loads(dumps_diagram(recorded)))
    for info in list_templates():
        validator.validate(json.loads(dumps_diagram(load_template(info.id))))
    broken = json.loads(dumps_diagram(recorded))
    del broken["nodes"][0]["status"]
    assert not validator.is_valid(broken)
