"""What a validation finding is, the table of rule codes, and the helpers the rules share.

The per-node facts every rule reads are in ``rules.facts``.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal

from sopdesigner.model.enums import Decision

Severity = Literal["error", "warning"]

#: Every rule: code → (severity, what it finds). The README's table is written from this.
RULES: dict[str, tuple[Severity, str]] = {
    "SOP101": ("error", "the diagram has no start node"),
    "SOP102": ("error", "the diagram has more than one start node"),
    "SOP103": ("error", "the diagram has no end node"),
    "SOP104": ("error", "a node cannot be reached from the start"),
    "SOP105": ("error", "no end can be reached from a node"),
    "SOP106": (
        "error",
        "a loop made of flow connectors only (loops must go back through a rework connector)",
    ),
    "SOP107": ("error", "a decision has no approve path"),
    "SOP108": ("error", "a decision has no reject-or-revise path"),
    "SOP109": ("error", "a connector refers to a node that does not exist"),
    "SOP110": ("error", "a lane is bound to a role that is not defined"),
    "SOP111": ("error", "a node requires a role that is not defined"),
    "SOP112": ("error", "a node sits in a lane that does not exist"),
    "SOP113": ("error", "two nodes or two connectors share an id"),
    "SOP201": ("error", "a checkpoint or decision has no required roles"),
    "SOP202": ("warning", "a sign-off by a role the node does not require"),
    "SOP203": ("error", "the requester signed (separation of duties)"),
    "SOP204": ("error", "one person signed two roles on the same node (separation of duties)"),
    "SOP205": ("error", "a node is approved while an approval upstream of it is not"),
    "SOP206": ("error", "a node is approved while required checklist items are not done"),
    "SOP207": ("warning", "a node is approved without the evidence its checklist calls for"),
    "SOP208": ("warning", "conditions were recorded on an approval with no follow-up step after the node"),
    "SOP209": ("error", "no node in the diagram requires an approval"),
}


@dataclass(frozen=True)
class Problem:
    code: str
    severity: Severity
    message: str
    node_ids: tuple[str, ...] = ()
    edge_ids: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
            "node_ids": list(self.node_ids),
            "edge_ids": list(self.edge_ids),
        }


def make_problem(
    code: str, message: str, nodes: tuple[str, ...] = (), edges: tuple[str, ...] = ()
) -> Problem:
    return Problem(code, RULES[code][0], message, nodes, edges)


@lru_cache(maxsize=4096)
def normalize_name(name: str) -> str:
    """A printed name compared for separation of duties: NFC, blanks collapsed, case-folded."""
    return " ".join(unicodedata.normalize("NFC", name).split()).casefold()


def quoted(titles: list[str]) -> str:
    """'A', 'A' and 'B', 'A', 'B' and 'C'."""
    items = [f"'{t}'" for t in titles]
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


APPROVALS = frozenset({Decision.APPROVE, Decision.APPROVE_WITH_CONDITIONS})
