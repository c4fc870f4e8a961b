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


# ---- loads_in_pieces: a document body decoded a run of array elements per scanner call ----

BODIES = [
    '{"id": "d", "nodes": [{"id": "a", "kind": "x"}, {"id": "b", "kind": "y"}], "edges": []}',
    ' \n{ "a" : [ 1 , [2, 3] , {"b": [ ]} ] ,\t"c": {"d": [4]} }\r\n',  # whitespace everywhere
    '{"a": [1], "a": [2, 3], "b": 1, "a": "last"}',  # a repeated key: first place, last value
    "{}",
    " { } ",
    '{"s": "\\u00e9 \\ud83d\\ude00 →", "n": [-0, 1e3, 1.5e-3, 12345678901234567890]}',
    '{"deep": [[[[[1]]]], {"x": [[], {}]}]}',
    "[1, 2]",  # not an object: decoded by loads as a whole
    "3",
    b'{"bytes": [1, 2]}',
]
BAD_BODIES = [
    '{"a": [1, 2,]}',  # trailing comma in an array
    '{"a": [1 2]}',
    '{"a": [1, 2]',
    '{"a": [{"b": NaN}]}',
    '{"a": [1, -Infinity]}',
    '{"a": [1]} x',
    '{"a": [1]}{}',
    '\ufeff{"a": [1]}',  # a byte-order mark is refused by loads
    '{"a" [1]}',
    "{a: [1]}",
    '{"a": [1], }',
    '{"a": ["\x01"]}',  # a raw control character in a string
    "",
    "   ",
]


def _outcome(fn, text):
    """The value with its keys in order, or the error's type and words."""
    try:
        value = fn(text)
    except (ValueError, RecursionError) as err:
        return type(err), str(err)
    return value, list(value) if isinstance(value, dict) else None


@pytest.mark.parametrize("text", BODIES + BAD_BODIES)
def test_loads_in_pieces_is_loads(text, monkeypatch):
    monkeypatch.setattr(json_rows, "RUN", 4)  # runs of a few characters: every path is taken
    assert _outcome(json_rows.loads_in_pieces, text) == _outcome(json_rows.loads, text)


def test_a_wrong_guess_at_where_elements_end_is_decoded_again_one_by_one(monkeypatch):
    def element(name, i):
        # Every fifth holds objects that begin as the elements do: a guessed end of a run can
        # fall inside it, and decoding that run fails.
        sub = f',"sub":[{{"id":"s{name}","kind":"k"}},{{"id":"t{name}","kind":"k"}}]' if i % 5 == 0 else ""
        return f'{{"id":"{name}","kind":"k"{sub}}}'

    # The next array holds such objects too: a guess can fall past the end of "nodes".
    text = (
        '{"nodes":[' + ",".join(element(f"n{i}", i) for i in range(300)) + "],"
        '"more":[' + ",".join(element(f"x{i}", i) for i in range(1, 30)) + "]}"
    )
    runs = {"whole": 0, "failed": 0, "past the end": 0, "alone": 0}

    def scan(s, idx):
        if len(s) == len(text):
            runs["alone"] += 1
            return json_rows.DECODER.scan_once(s, idx)
        try:
            value, end = json_rows.DECODER.scan_once(s, idx)
        except ValueError:
            runs["failed"] += 1
            raise
        runs["whole" if end == len(s) else "past the end"] += 1
        return value, end

    monkeypatch.setattr(json_rows, "RUN", 200)
    monkeypatch.setattr(json_rows, "_scan", scan)
    assert _outcome(json_rows.loads_in_pieces, text) == _outcome(json_rows.loads, text)
    assert runs["whole"] > 10 and runs["failed"] > 0 and runs["past the end"] > 0
    assert runs["alone"] < 329  # far fewer calls than elements


def test_a_document_body_decodes_in_runs_as_loads_does(monkeypatch):
    from benchmarks.generate import generate_document

    body = generate_document(60).model_dump_json(exclude={"audit"})
    monkeypatch.setattr(json_rows, "RUN", 2_000)
    assert _outcome(json_rows.loads_in_pieces, body) == _outcome(json_rows.loads, body)


def test_deep_nesting_in_a_body_is_a_recursion_error_as_before():
    deep = '{"nodes": [' + "[" * 100_000 + "]" * 100_000 + "]}"
    with pytest.raises(RecursionError):
        json_rows.loads_in_pieces(deep)
