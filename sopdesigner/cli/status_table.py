"""What ``sopdesigner status`` shows about each node, as data (for ``--json``) and as an aligned
text table whose columns line up in a terminal even with CJK titles and emoji."""

from __future__ import annotations

import unicodedata
from typing import Any

from sopdesigner.model.document import Document, Node
from sopdesigner.model.status import active_signoffs, node_status

COLUMNS = ("ID", "KIND", "TITLE", "STATUS", "CHECKLIST", "EVIDENCE", "SIGN-OFFS")


def node_summary(doc: Document, node: Node) -> dict[str, Any]:
    signed = {s.role for s in active_signoffs(node)}
    return {
        "id": node.id,
        "kind": node.kind.value,
        "title": node.title,
        "status": node_status(node).value,
        "checklist": {
            "done": sum(item.done for item in node.checklist),
            "total": len(node.checklist),
            "required_done": sum(item.done for item in node.checklist if item.required),
            "required_total": sum(item.required for item in node.checklist),
        },
        "evidence": len(node.evidence),
        "required_roles": list(node.required_roles),
        # Only sign-offs that count now (current review round, not superseded).
        "signoffs": [
            {
                "role": s.role,
                "role_name": doc.role_name(s.role),
                "decision": s.decision.value,
                "signer": s.signer,
                "conditions": s.conditions,
                "at": s.at,
            }
            for s in active_signoffs(node)
        ],
        "pending_roles": [r for r in node.required_roles if r not in signed],
    }


def status_data(doc: Document) -> dict[str, Any]:
    return {
        "id": doc.id,
        "title": doc.title,
        "audit_events": len(doc.audit),
        "audit_head": doc.audit_head,
        "nodes": [node_summary(doc, n) for n in doc.nodes],
    }


def _signoff_cell(summary: dict[str, Any]) -> str:
    parts = [f"{s['role']}: {s['decision']} ({s['signer']})" for s in summary["signoffs"]]
    parts += [f"{r}: pending" for r in summary["pending_roles"]]
    return "; ".join(parts) or "-"


def _clean(text: str) -> str:
    # A title with a newline or tab would break the one-line-per-node promise.
    return " ".join(text.split())


def display_width(text: str) -> int:
    """Terminal columns ``text`` takes: wide (CJK, emoji) characters take two, combining marks none."""
    width = 0
    for ch in text:
        if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
            continue
        width += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return width


def _pad(text: str, width: int) -> str:
    return text + " " * (width - display_width(text))


def status_lines(doc: Document) -> list[str]:
    """A header row and one row per node, in document order, columns aligned."""
    rows = [list(COLUMNS)]
    for node in doc.nodes:
        s = node_summary(doc, node)
        c = s["checklist"]
        rows.append(
            [
                s["id"],
                s["kind"],
                _clean(s["title"]),
                s["status"],
                f"{c['done']}/{c['total']}" if c["total"] else "-",
                str(s["evidence"]),
                _clean(_signoff_cell(s)),
            ]
        )
    widths = [max(display_width(row[i]) for row in rows) for i in range(len(COLUMNS))]
    lines = []
    for row in rows:
        cells = [_pad(cell, widths[i]) for i, cell in enumerate(row[:-1])]
        lines.append("  ".join([*cells, row[-1]]).rstrip())
    return lines
