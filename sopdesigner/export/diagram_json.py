"""The ``diagram.json`` contract: canonical export, strict import, and its JSON Schema.

Export is canonical (sorted keys, lists in document order, UTF-8, 2-space indent, trailing
newline) so two exports of one document are byte-identical and version-control diffs stay
small. Import treats its input as hostile: size cap, duplicate keys, NaN/Infinity, unknown
fields, wrong types, dangling references and a broken audit chain are all refused with one
``ImportRefusedError`` sentence that names what is wrong and where.
"""

from __future__ import annotations

import gc
import json
import math
from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from sopdesigner.errors import ImportRefusedError
from sopdesigner.model.audit import verify_events
from sopdesigner.model.document import SCHEMA_VERSION, Document
from sopdesigner.model.enums import Status
from sopdesigner.model.ids import new_id
from sopdesigner.model.status import node_status

#: Larger inputs are refused before parsing (a real SOP is a few MB at most).
MAX_BYTES = 200 * 1024 * 1024
#: Free-form audit ``details`` deeper than this are refused (real ones are 2-3 levels).
MAX_DETAILS_DEPTH = 32
SCHEMA_ID = "urn:sopdesigner:diagram-json:1"


# --------------------------------------------------------------------------- export
def diagram_dict(doc: Document) -> dict[str, Any]:
    """The document as diagram.json data: every model field plus each node's derived status."""
    data = doc.model_dump(mode="json")
    for node, out in zip(doc.nodes, data["nodes"], strict=True):
        out["status"] = node_status(node).value
    return data


def dumps_diagram(doc: Document) -> bytes:
    """Canonical UTF-8 JSON bytes of ``diagram_dict(doc)``."""
    return _canonical(diagram_dict(doc))


def _canonical(data: Any) -> bytes:
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, indent=2, allow_nan=False)
    return (text + "\n").encode("utf-8")


# --------------------------------------------------------------------------- import
class _Refused(Exception):
    """Raised inside JSON parsing hooks; turned into one ImportRefusedError sentence."""


def _pairs_hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj: dict[str, Any] = {}
    for key, value in pairs:
        if key in obj:
            raise _Refused(f"the key '{_short(key)}' appears twice in one object")
        obj[key] = value
    return obj


def _reject_constant(name: str) -> Any:
    raise _Refused(f"it contains {name}, which is not a JSON number")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _Refused(f"the number {_short(text)} is too large")
    return value


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def load_diagram(data: bytes | str, *, source: str = "diagram.json") -> Document:
    """A Document from diagram.json content, or ``ImportRefusedError`` naming the first problem.

    ``status`` is derived and is dropped; a missing document ``id`` gets a fresh one. The audit
    chain, when present, must verify; a file with no audit events is accepted.
    """
    # The cyclic GC, not parsing, dominates bulk loads (PERFORMANCE.md): pause it meanwhile.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _load(data, source)
    finally:
        if was_enabled:
            gc.enable()


def _load(data: bytes | str, source: str) -> Document:

    def refuse(message: str) -> ImportRefusedError:
        return ImportRefusedError(f"{source}: {message}.")

    size = len(data) if isinstance(data, bytes) else len(data.encode("utf-8", "surrogatepass"))
    if size > MAX_BYTES:
        raise refuse(
            f"the file is {size / 1e6:.0f} MB, more than the {MAX_BYTES // (1024 * 1024)} MB allowed"
        )
    if isinstance(data, bytes):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as err:
            raise refuse(f"it is not UTF-8 text (byte {err.start} is invalid)") from None
    else:
        text = data
    try:
        raw = json.loads(
            text, object_pairs_hook=_pairs_hook, parse_constant=_reject_constant, parse_float=_finite_float
        )
    except _Refused as err:
        raise refuse(str(err)) from None
    except RecursionError:
        raise refuse("it is nested too deeply to be a SOP diagram") from None
    except json.JSONDecodeError as err:
        raise refuse(f"it is not valid JSON ({err.msg} at line {err.lineno}, column {err.colno})") from None
    except ValueError as err:  # e.g. an integer with thousands of digits
        raise refuse(f"it is not valid JSON ({_short(str(err))})") from None
    if not isinstance(raw, dict):
        raise refuse("the top level is not a JSON object")
    version = raw.get("schema_version", SCHEMA_VERSION)
    if not isinstance(version, int) or isinstance(version, bool):
        raise refuse("schema_version is not a whole number")
    if version > SCHEMA_VERSION:
        raise refuse(
            f"it has schema version {version}, newer than this SOP Designer understands ({SCHEMA_VERSION})"
        )
    if version < 1:
        raise refuse(f"schema version {version} does not exist")

    raw = dict(raw)
    raw.setdefault("id", new_id())
    nodes = raw.get("nodes")
    if isinstance(nodes, list):
        raw["nodes"] = [_strip_status(n) for n in nodes]
    events = raw.get("audit")
    if isinstance(events, list):
        for i, event in enumerate(events, start=1):
            if isinstance(event, dict) and _too_deep(event.get("details"), MAX_DETAILS_DEPTH):
                raise refuse(f"audit event {i} has details nested too deeply")
    try:
        doc = Document.model_validate(raw)
    except ValidationError as err:
        raise refuse(_describe_validation(err, raw)) from None
    except RecursionError:
        raise refuse("it is nested too deeply to be a SOP diagram") from None

    problem = _integrity_problem(doc)
    if problem:
        raise refuse(problem)
    if doc.audit:
        # Verify what will be stored: if pydantic coerced any value the author hashed, it fails.
        chain = verify_events(doc.audit)
        if chain is not None:
            msg = chain.message.rstrip(".")
            raise refuse(msg[0].lower() + msg[1:])
    return doc


def _strip_status(node: Any) -> Any:
    if isinstance(node, dict) and "status" in node:
        node = dict(node)
        del node["status"]
    return node


def _too_deep(value: Any, limit: int) -> bool:
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        children: list[Any]
        if isinstance(item, dict):
            children = list(item.values())
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


def _describe_validation(err: ValidationError, raw: Mapping[str, Any]) -> str:
    first = err.errors(include_url=False)[0]
    where = _where(first["loc"], raw)
    kind = first["type"]
    if kind == "extra_forbidden":
        return f"{where} is not a known field"
    if kind == "missing":
        return f"{where} is missing"
    return f"{where} is invalid ({first['msg'].rstrip('.')})"


def _where(loc: tuple[int | str, ...], raw: Mapping[str, Any]) -> str:
    """A readable path such as ``nodes[3] ('technical-validation').checklist[0].text``."""
    parts: list[str] = []
    current: Any = raw
    for step in loc:
        if isinstance(step, int):
            label = f"[{step}]"
            try:
                current = current[step]
            except (IndexError, KeyError, TypeError):
                current = None
            if isinstance(current, dict) and isinstance(current.get("id"), str):
                label += f" ('{_short(current['id'], 40)}')"
            parts.append(label)
        else:
            parts.append(("." if parts else "") + _short(str(step), 40))
            current = current.get(step) if isinstance(current, dict) else None
    return "".join(parts) or "the document"


def _integrity_problem(doc: Document) -> str | None:
    """The first broken reference or repeated id, as a sentence fragment, else None."""
    for what, items in (("role", doc.roles), ("lane", doc.lanes), ("node", doc.nodes), ("edge", doc.edges)):
        seen: set[str] = set()
        for item in items:
            if item.id in seen:
                return f"the {what} id '{item.id}' is used twice"
            seen.add(item.id)
    roles = {r.id for r in doc.roles}
    lanes = {la.id for la in doc.lanes}
    nodes = {n.id for n in doc.nodes}
    for lane in doc.lanes:
        if lane.role not in roles:
            return f"lane '{lane.id}' belongs to role '{lane.role}', which does not exist"
    for node in doc.nodes:
        if node.lane is not None and node.lane not in lanes:
            return f"node '{node.id}' is in lane '{node.lane}', which does not exist"
        for role in node.required_roles:
            if role not in roles:
                return f"node '{node.id}' requires role '{role}', which does not exist"
        if len(set(node.required_roles)) != len(node.required_roles):
            return f"node '{node.id}' lists a required role twice"
        for part, part_ids in (
            ("checklist item", [i.id for i in node.checklist]),
            ("evidence", [e.id for e in node.evidence]),
            ("sign-off", [s.id for s in node.signoffs]),
        ):
            if len(set(part_ids)) != len(part_ids):
                return f"node '{node.id}' uses a {part} id twice"
    for edge in doc.edges:
        for end in (edge.source, edge.target):
            if end not in nodes:
                return f"edge '{edge.id}' points to node '{end}', which does not exist"
    return None


# --------------------------------------------------------------------------- schema
def diagram_schema() -> dict[str, Any]:
    """JSON Schema (draft 2020-12) of diagram.json as exported: the pydantic models, every key
    required (export always writes them all), plus each node's derived ``status``."""
    schema = Document.model_json_schema(mode="serialization")
    defs = schema.setdefault("$defs", {})
    node = defs["Node"]
    node["properties"]["status"] = {
        "description": "Derived from checklist and sign-offs; ignored and recomputed on import.",
        "enum": [s.value for s in Status],
        "title": "Status",
        "type": "string",
    }
    for definition in [schema, *defs.values()]:
        props = definition.get("properties")
        if props and definition.get("additionalProperties") is False:
            definition["required"] = sorted(props)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = SCHEMA_ID
    schema["title"] = "SOP Designer diagram.json"
    schema["description"] = (
        "A SOP Designer document without evidence bytes: roles, lanes, nodes (with derived status), "
        "edges and the hash-chained audit trail."
    )
    return schema


def dumps_schema() -> bytes:
    """The schema file's exact bytes (``resources/diagram.schema.json``)."""
    return _canonical(diagram_schema())
