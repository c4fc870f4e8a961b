"""Decoding the JSON text a document file stores, refusing NaN and Infinity (not JSON).

``decode_all`` decodes many small texts (the audit trail: ~10 per node) through the C
scanner directly: ``JSONDecoder.decode`` adds two whitespace regex matches and a Python call
layer per text, a fifth of the time for 10,000 events. A text the scanner does not consume
whole from its first character (leading or trailing whitespace, extra data, invalid JSON) goes
through ``decode``, so results and errors are exactly ``decode``'s.

``loads_in_pieces`` decodes a document body (an object whose long arrays are the nodes and
edges) in many scanner calls of about a millisecond each: a single ``loads`` of a 10,000-node
body (24 MB) is one 130 ms C call holding the GIL, so a window reading it on a worker thread
could not run its event loop meanwhile (issue 7). Between calls the interpreter can switch
threads.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from json.scanner import make_scanner
from typing import Any


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"the document contains {name}, which is not valid JSON")


DECODER = json.JSONDecoder(parse_constant=_refuse_constant)
# typeshed declares make_scanner as a class taking a scanner; it is a function of a decoder.
_scan: Callable[[str, int], tuple[Any, int]] = make_scanner(DECODER)  # type: ignore[arg-type]


def loads(text: str | bytes) -> Any:
    """One JSON text (``json.loads`` refusing NaN and Infinity)."""
    return json.loads(text, parse_constant=_refuse_constant)


def decode_all(texts: Iterable[str | bytes]) -> list[Any]:
    """Each text decoded (ValueError, as ``json.loads``, for the first that is not JSON)."""
    out: list[Any] = []
    append = out.append
    decode = DECODER.decode
    for text in texts:
        if isinstance(text, str):
            try:
                value, end = _scan(text, 0)
            except StopIteration:
                end = -1
            append(value if end == len(text) else decode(text))
        else:
            append(loads(text))
    return out


_WS = re.compile(r"[ \t\n\r]*")  # JSON's whitespace, as json.decoder skips it
_SPACE = " \t\n\r"


class _NotPlain(ValueError):
    """Not a well-formed top-level object: ``loads`` decodes it (or words its error) instead."""


def loads_in_pieces(text: str | bytes) -> Any:
    """``loads(text)``, the arrays of a top-level object decoded a run of elements per call.

    Only the top-level object and its arrays are walked here (the scanner decodes the values);
    any text that is not such an object, or fails anywhere, goes through ``loads``, so the
    value or the error is exactly ``loads``'s."""
    if not isinstance(text, str):
        return loads(text)
    try:
        return _object_in_pieces(text)
    except (ValueError, StopIteration, IndexError, RecursionError):
        return loads(text)


def _skip(s: str, end: int) -> int:
    """``end`` moved past whitespace (a body written by the app has none: no regex then)."""
    if end < len(s) and s[end] in _SPACE:
        return _WS.match(s, end).end()  # type: ignore[union-attr]  # "*" always matches
    return end


def _object_in_pieces(s: str) -> dict[str, Any]:
    end = _skip(s, 0)
    if s[end : end + 1] != "{":
        raise _NotPlain
    out: dict[str, Any] = {}
    end = _skip(s, end + 1)
    if s[end : end + 1] == "}":
        end = _skip(s, end + 1)
    else:
        while True:
            if s[end : end + 1] != '"':
                raise _NotPlain
            key, end = _scan(s, end)
            end = _skip(s, end)
            if s[end : end + 1] != ":":
                raise _NotPlain
            end = _skip(s, end + 1)
            value, end = _array_in_pieces(s, end) if s[end : end + 1] == "[" else _scan(s, end)
            out[key] = value  # a repeated key keeps its first place and last value, as loads
            end = _skip(s, end)
            sep = s[end : end + 1]
            end = _skip(s, end + 1)
            if sep == "}":
                break
            if sep != ",":
                raise _NotPlain
    if end != len(s):
        raise _NotPlain
    return out


def _array_in_pieces(s: str, end: int) -> tuple[list[Any], int]:
    """The array starting at ``s[end]`` (a "["): a run of about ``RUN`` characters of elements
    per scanner call where the end of such a run can be found, else one element per call.

    Not one call per element: the scanner shares the keys' string objects only within a call,
    and 10,000 nodes each with keys of their own took ~40 ms (5 %) more to decode, validate
    and free. A run is checked by decoding it: "[" + its text + "]" must be one whole array."""
    items: list[Any] = []
    pos = _skip(s, end + 1)
    if s[pos : pos + 1] == "]":
        return items, pos + 1
    starts: re.Pattern[str] | None = None
    while True:
        cut = _run_end(s, pos, starts)
        if cut > pos:
            run = "[" + s[pos:cut] + "]"
            try:
                values, used = _scan(run, 0)
            except (ValueError, StopIteration, RecursionError):
                used = -1
            if used == len(run):  # "[" + elements + "]" exactly: the guess was right
                items.extend(values)
                pos = _skip(s, cut + 1)
                continue
        # One element at a time, up to the wrong guess or for about a run.
        stop = cut if cut > pos else pos + RUN
        while pos < stop:
            value, pos = _scan(s, pos)
            if not items:
                starts = _element_starts(value)
            items.append(value)
            pos = _skip(s, pos)
            sep = s[pos : pos + 1]
            pos = _skip(s, pos + 1)
            if sep == "]":
                return items, pos
            if sep != ",":
                raise _NotPlain


#: Characters of an array decoded per scanner call when runs of elements can be found.
RUN = 1 << 17
_KEY = re.compile(r"[A-Za-z0-9_]+")


def _element_starts(first: Any) -> re.Pattern[str] | None:
    """How the next element's text starts, guessed from the first element: the same first two
    keys, the first with a string (a node: ``},{"id":"n0001-2","kind":``). Objects nested in
    an element rarely begin the same way; when one does, decoding the run fails and is redone."""
    if not isinstance(first, dict) or len(first) < 2:
        return None
    k1, k2 = list(first)[:2]
    if not (isinstance(first[k1], str) and _KEY.fullmatch(k1) and _KEY.fullmatch(k2)):
        return None
    return re.compile(r'\},\{"' + k1 + r'":"[^"\\]*","' + k2 + '":')


def _run_end(s: str, pos: int, starts: re.Pattern[str] | None) -> int:
    """The index of the "," after an element about ``RUN`` characters on from ``pos`` (a guess
    that decoding checks), or -1."""
    if starts is None:
        return -1
    found = starts.search(s, pos + RUN, pos + 2 * RUN)
    return found.start() + 1 if found else -1
