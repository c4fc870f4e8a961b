"""``json_rows.decode_all`` (the audit trail's decoding) gives exactly what ``json.loads``
refusing NaN and Infinity gives, for every kind of text a file can hold, and fails where it
fails; and a stored document still opens, or is refused in one sentence, through it."""

from __future__ import annotations

import json
import sqlite3

import pytest

from sopdesigner.errors import DamagedDocumentError
from sopdesigner.storage import json_rows
from sopdesigner.storage.document_file import DocumentFile
from tests.factories import make_document

GOOD = [
    '{"a": 1}',
    '{"kind":"edit","n":[1,2.5,null,true,false],"s":"\\u00e9\\n"}',
    '  {"a": 1}',  # leading whitespace: the scanner alone would refuse it
    '{"a": 1}\n',  # trailing whitespace
    "[]",
    "3",
    '"text"',
    b'{"bytes": true}',
]
BAD = ['{"a": 1} {"b": 2}', '{"a": ', "", "   ", '{"a": NaN}', '{"a": -Infinity}', "{'a': 1}", "nul"]


def _reference(text):
    def refuse(name):
        raise ValueError(name)

    return json.loads(text, parse_constant=refuse)


def test_decode_all_equals_json_loads_on_good_texts():
    assert json_rows.decode_all(GOOD) == [_reference(t) for t in GOOD]


@pytest.mark.parametrize("text", BAD)
def test_decode_all_refuses_what_json_loads_refuses(text):
    with pytest.raises(ValueError):
        _reference(text)
    with pytest.raises(ValueError):
        json_rows.decode_all(['{"fine": 1}', text])


def test_deep_nesting_is_a_recursion_error_as_before():
    deep = "[" * 100_000 + "]" * 100_000
    with pytest.raises(RecursionError):
        json_rows.decode_all([deep])


def test_a_document_round_trips_and_a_damaged_event_is_one_sentence(tmp_path):
    doc = make_document()
    path = tmp_path / "doc.sop"
    DocumentFile.create(path, doc).close()
    with DocumentFile.open(path) as f:
        assert f.load().model_dump() == doc.model_dump()
    con = sqlite3.connect(path)
    con.execute("INSERT INTO audit(seq, hash, event) VALUES (999999, 'x', '{\"broken\": ')")
    con.commit()
    con.close()
    with DocumentFile.open(path) as f, pytest.raises(DamagedDocumentError, match="is damaged"):
        f.load()
