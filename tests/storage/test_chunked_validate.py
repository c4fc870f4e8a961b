"""A document validated in slices (``chunked_validate``, what ``DocumentFile.load`` does) is
the one a single ``Document.model_validate`` builds, and a damaged one is refused in exactly
the same words: the first error, its location with the item's index in the whole list."""

from __future__ import annotations

import json
import sqlite3

import pytest
from pydantic import ValidationError

from benchmarks.generate import evidence_blobs, generate_document
from sopdesigner.errors import DamagedDocumentError
from sopdesigner.model.document import Document
from sopdesigner.storage import chunked_validate, json_rows
from sopdesigner.storage.document_file import DocumentFile


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """A 300-node generated document (3,000 audit events) saved to a real file."""
    doc = generate_document(300)
    path = tmp_path_factory.mktemp("chunked") / "generated.sop"
    DocumentFile.create(path, doc, blobs=evidence_blobs(doc)).close()
    return doc, path


@pytest.fixture
def small_slices(monkeypatch):
    """Slices of one item after the first few: every list is cut in hundreds of places."""
    monkeypatch.setattr(chunked_validate, "FIRST_SLICE", 3)
    monkeypatch.setattr(chunked_validate, "SLICE_SECONDS", 0.0)


def _stored_data(path):
    """The file's document as the plain data ``load`` validates (body plus audit rows)."""
    con = sqlite3.connect(path)
    try:
        body = con.execute("SELECT body FROM document WHERE id = 1").fetchone()[0]
        events = [r[0] for r in con.execute("SELECT event FROM audit ORDER BY seq")]
    finally:
        con.close()
    data = json_rows.loads(body)
    data["audit"] = json_rows.decode_all(events)
    return data


def _damage(src, dst, *, body=None, event=None):
    """A copy of ``src`` whose body (or audit row ``seq``) is rewritten by a function."""
    dst.write_bytes(src.read_bytes())
    con = sqlite3.connect(dst)
    if body is not None:
        data = json.loads(con.execute("SELECT body FROM document").fetchone()[0])
        body(data)
        con.execute("UPDATE document SET body = ?", (json.dumps(data),))
    if event is not None:
        seq, change = event
        row = json.loads(con.execute("SELECT event FROM audit WHERE seq = ?", (seq,)).fetchone()[0])
        change(row)
        con.execute("UPDATE audit SET event = ? WHERE seq = ?", (json.dumps(row), seq))
    con.commit()
    con.close()
    return dst


def _load_message(path):
    with DocumentFile.open(path, read_only=True) as f, pytest.raises(DamagedDocumentError) as info:
        f.load()
    return str(info.value)


def test_sliced_load_equals_one_model_validate(generated, small_slices):
    doc, path = generated
    reference = Document.model_validate(_stored_data(path))
    with DocumentFile.open(path, read_only=True) as f:
        loaded = f.load()
    assert len(loaded.nodes) == 300 and len(loaded.audit) > 2_000
    assert loaded == reference == doc
    assert loaded.model_dump_json() == reference.model_dump_json()
    assert loaded.model_fields_set == reference.model_fields_set
    assert [n.model_fields_set for n in loaded.nodes] == [n.model_fields_set for n in reference.nodes]


def test_sliced_validation_empties_the_long_lists_it_was_given(generated, small_slices):
    _doc, path = generated
    data = _stored_data(path)
    document = chunked_validate.validate_document(data)
    assert len(document.audit) > 2_000
    assert data["nodes"] == data["edges"] == data["audit"] == []
    assert data["id"] == document.id


@pytest.mark.parametrize(
    ("change", "where"),
    [
        (lambda d: d["nodes"][287].update(title=5), "nodes.287.title"),
        (lambda d: d["nodes"][250]["checklist"][0].pop("text"), "nodes.250.checklist.0.text"),
        (lambda d: d["edges"][380].update(kind="sideways"), "edges.380.kind"),
        (lambda d: d["nodes"].append("not a node"), "nodes.300"),
    ],
)
def test_a_bad_item_in_a_late_slice_is_reported_at_its_true_index(
    generated, small_slices, tmp_path, change, where
):
    _doc, path = generated
    bad = _damage(path, tmp_path / "bad.sop", body=change)
    message = _load_message(bad)
    assert f"is damaged: {where} is not valid (" in message
    # Word for word what one model_validate of the same data reports.
    with pytest.raises(ValidationError) as info:
        Document.model_validate(_stored_data(bad))
    first = info.value.errors()[0]
    assert message == f"'bad.sop' is damaged: {where} is not valid ({first['msg']})."
    assert ".".join(str(x) for x in first["loc"]) == where


def test_a_bad_audit_event_far_down_the_trail_is_reported_at_its_seq_index(generated, small_slices, tmp_path):
    _doc, path = generated
    bad = _damage(path, tmp_path / "bad.sop", event=(2_500, lambda e: e.update(prev_hash="nope")))
    assert _load_message(bad) == (
        "'bad.sop' is damaged: audit.2499.prev_hash is not valid "
        "(String should match pattern '^[0-9a-f]{64}$')."
    )


def test_the_first_error_is_the_same_when_several_lists_are_damaged(generated, small_slices, tmp_path):
    def change(d):
        d["title"] = ["not", "a", "title"]
        d["edges"][3]["id"] = ""
        d["nodes"][299]["round"] = 0

    _doc, path = generated
    bad = _damage(path, tmp_path / "bad.sop", body=change)
    assert _load_message(bad) == "'bad.sop' is damaged: title is not valid (Input should be a valid string)."
    _damage(path, bad, body=lambda d: (d["edges"][3].update(id=""), d["nodes"][299].update(round=0)))
    assert _load_message(bad) == (
        "'bad.sop' is damaged: nodes.299.round is not valid (Input should be greater than or equal to 1)."
    )


def test_a_list_over_its_limit_is_still_refused(small_slices):
    # Items that are not nodes: the length is what must be refused, and quickly.
    data = {"id": "d", "nodes": [{"id": "n"}] * 200_001, "audit": []}
    with pytest.raises(ValidationError) as info:
        chunked_validate.validate_document(data)
    first = info.value.errors()[0]
    assert first["loc"] == ("nodes",) and first["type"] == "too_long"
    assert "at most 200000 items" in first["msg"]


@pytest.mark.parametrize("nodes", ["x", {"0": {}}, None, 5])
def test_a_list_field_that_is_not_a_list_is_refused_as_before(nodes):
    data = {"id": "d", "nodes": nodes, "edges": [], "audit": []}
    with pytest.raises(ValidationError) as ours:
        chunked_validate.validate_document(dict(data))
    with pytest.raises(ValidationError) as reference:
        Document.model_validate(data)
    assert ours.value.errors() == reference.value.errors()
