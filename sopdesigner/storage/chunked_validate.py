"""Validating a loaded document in slices, so that reading one on a worker thread lets the
window's event loop run (issue 7).

pydantic-core holds the GIL for the whole of one ``model_validate`` call: at 10,000 nodes
(~100,000 audit events) that is ~0.4 s in which the GUI thread cannot run a single event.
Here the document is validated with its long lists emptied, then each list in slices through
an adapter of the same list type, and the validated lists are put in place; the parsed lists
are then freed in slices too. The interpreter can hand the GIL to another thread between
slices. Slices are sized by time, not count: items range from a 100-byte edge to a node with
thousands of sign-offs.

The result equals what one ``model_validate`` builds: ``Document`` has no model or field
validators (which could need a whole list; should it gain one, nothing is sliced), the items
go through the same schema, a list is only sliced within its ``max_length``, and the same
fields count as set. Any failure, and any list over its limit or not a list at all, is
validated again in one call instead, so a damaged file's error (the first one, its location
with the absolute index) is exactly one ``model_validate``'s; only a damaged file pays the
stall.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import cache
from typing import Any

from annotated_types import MaxLen
from pydantic import TypeAdapter, ValidationError

from sopdesigner.model.document import Document

#: The lists long enough to stall: thousands of nodes and edges, ten audit events per node.
SLICED = ("nodes", "edges", "audit")
#: The GIL is held about this long per slice (the first slice finds the item cost). While the
#: open's progress dialog appears, the GUI thread needs the GIL a dozen times, waiting up to a
#: switch interval (5 ms) plus the rest of a slice each time: 1 ms slices cut that 70-80 ms
#: stall at 5,000 nodes to ~50-60 ms, at no measurable cost (~500 slices at 10,000 nodes).
SLICE_SECONDS = 0.001
FIRST_SLICE = 32


@cache
def _adapter(name: str) -> TypeAdapter[list[Any]]:
    annotation: Any = Document.model_fields[name].annotation  # list[Node], list[Edge], ...
    return TypeAdapter(annotation)


@cache
def _max_length(name: str) -> int | None:
    caps = [m.max_length for m in Document.model_fields[name].metadata if isinstance(m, MaxLen)]
    return min(caps) if caps else None


@cache
def _validators_see_whole_lists() -> bool:
    """Whether ``Document`` has validators of its own: one could check a whole list (say,
    that edges join existing nodes) and would be handed an empty one here."""
    found = Document.__pydantic_decorators__
    return bool(found.model_validators or found.field_validators or found.validators or found.root_validators)


def _sliceable(name: str, value: object) -> bool:
    cap = _max_length(name)
    return isinstance(value, list) and (cap is None or len(value) <= cap)


def validate_document(data: dict[str, Any]) -> Document:
    """``Document.model_validate(data)``, its long lists validated a slice at a time.

    Once the document is built, those lists in ``data`` are emptied a slice at a time too:
    freeing 100,000 parsed audit events in one go would be a 100 ms hold of its own."""
    lists = {name: data[name] for name in SLICED if name in data and _sliceable(name, data[name])}
    if not lists or _validators_see_whole_lists():
        return Document.model_validate(data)
    try:
        document = Document.model_validate({**data, **{name: [] for name in lists}})
        for name, items in lists.items():
            setattr(document, name, _validate_in_slices(_adapter(name), items))
    except ValidationError:
        # The error one call reports: which of several comes first is pydantic's order.
        return Document.model_validate(data)
    for items in lists.values():
        _release(items)
    return document


def _validate_in_slices(adapter: TypeAdapter[list[Any]], items: list[Any]) -> list[Any]:
    out: list[Any] = []
    _in_slices(len(items), lambda start, stop: out.extend(adapter.validate_python(items[start:stop])))
    return out


def _release(items: list[Any]) -> None:
    def drop(start: int, stop: int) -> None:
        del items[len(items) - (stop - start) :]  # from the end: nothing left has to move

    _in_slices(len(items), drop)


def _in_slices(total: int, step: Callable[[int, int], object]) -> None:
    """``step(start, stop)`` over ``range(total)`` a slice at a time, each taking about
    ``SLICE_SECONDS``.

    No ``time.sleep(0)`` between slices: a thread that has waited a switch interval for the
    GIL asks for it, and this loop's bytecode hands it over at the next slice boundary. The
    sleep left the window's longest waits as they were and cost 2-4 % of a load on a busy
    machine (a system call that may give the CPU away)."""
    start, size = 0, FIRST_SLICE
    while start < total:
        stop = min(start + size, total)
        began = time.perf_counter()
        step(start, stop)
        spent = time.perf_counter() - began
        start = stop
        # At most fourfold growth a slice: a run of costlier items is met by a short slice.
        size = max(1, min(size * 4, int(size * SLICE_SECONDS / spent) if spent > 0 else size * 4))
