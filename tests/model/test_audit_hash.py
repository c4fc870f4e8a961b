"""The fast canonical form the chain verification uses must be byte-for-byte the contract's
``json.dumps(event, sort_keys=True, separators=(",", ":"), ensure_ascii=False)``."""

from __future__ import annotations

import hashlib
import json

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from sopdesigner.model.audit import GENESIS, _canonical_event, event_dict, verify_events
from sopdesigner.model.document import AuditEvent

_text = st.text(max_size=40)  # every code point hypothesis draws: quotes, backslashes, controls, emoji
_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | _text,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_text, inner, max_size=4),
    max_leaves=12,
)


@st.composite
def events(draw: st.DrawFn) -> AuditEvent:
    body = {
        "seq": draw(st.integers(min_value=1, max_value=10**12)),
        "at": draw(st.text(max_size=40)),
        "actor": draw(_text),
        "action": draw(_text),
        "node": draw(st.none() | _text),
        "details": draw(st.dictionaries(_text, _json, max_size=5)),
        "prev_hash": GENESIS,
    }
    return AuditEvent(**body, hash=GENESIS)


@settings(max_examples=300, deadline=None)
@given(events())
def test_the_fast_canonical_form_is_the_contracts(event: AuditEvent) -> None:
    body = {k: v for k, v in event_dict(event).items() if k != "hash"}
    contract = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert _canonical_event(event) == contract


@settings(max_examples=100, deadline=None)
@given(events())
def test_verify_events_accepts_the_contract_hash_and_nothing_else(event: AuditEvent) -> None:
    first = event.model_copy(update={"seq": 1})
    body = {k: v for k, v in event_dict(first).items() if k != "hash"}
    text = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assume(not any(0xD800 <= ord(ch) <= 0xDFFF for ch in text))  # lone surrogates have no UTF-8
    good = hashlib.sha256(text.encode("utf-8")).hexdigest()
    assert verify_events([first.model_copy(update={"hash": good})]) is None
    altered = first.model_copy(update={"hash": good, "actor": first.actor + "x"})
    problem = verify_events([altered])
    assert problem is not None and problem.seq == 1 and "altered" in problem.message
