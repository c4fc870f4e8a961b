"""Validation: the structural and governance problems of a document, each with a stable code.

``validate(doc)`` returns ``Problem``s, errors first, then by code, then in document order.
``SOP1xx`` codes are about the diagram's structure (``rules.structure``), ``SOP2xx`` about its
records (``rules.governance``). Codes never change meaning; ``RULES`` lists them all. Notes
are annotations and are ignored by every flow rule. The same checks, for one sign-off that
is about to be recorded, are ``check_signoff``.
"""

from __future__ import annotations

from sopdesigner.model.document import Document
from sopdesigner.rules.facts import Facts
from sopdesigner.rules.governance import (
    approved_node_problems,
    check_signoff,
    signoff_problems,
    upstream_problems,
)
from sopdesigner.rules.problems import RULES, Problem, Severity, normalize_name
from sopdesigner.rules.structure import (
    cycle_problems,
    decision_problems,
    endpoint_problems,
    identity_problems,
    path_kinds,
    reference_problems,
)

__all__ = ["RULES", "Problem", "Severity", "check_signoff", "normalize_name", "path_kinds", "validate"]


def validate(doc: Document) -> list[Problem]:
    """Every problem of the document: errors first, then by code, then in document order."""
    return validate_with_view(doc)[0]


def validate_with_view(doc: Document) -> tuple[list[Problem], Facts]:
    """``validate`` plus the per-node facts it built, for the gate to reuse."""
    from sopdesigner.rules.graph import process_graph, reachable, topological_parts

    facts = Facts(doc)
    # Facts keeps the first node of each id; its step ids are the graph's when ids are unique.
    graph = process_graph(doc, facts.flow_ids if len(facts.nodes) == len(doc.nodes) else None)
    parts, part_of = topological_parts(graph, facts.index)
    # The main flow (from the start, flow connectors only), for SOP104 and SOP205.
    main = reachable(graph, (n.id for n in facts.starts), rework=False)
    problems: list[Problem] = []
    problems += identity_problems(facts)
    problems += endpoint_problems(facts, graph, main)
    problems += cycle_problems(facts, graph, parts)
    problems += decision_problems(facts)
    problems += reference_problems(facts)
    problems += signoff_problems(facts)
    problems += upstream_problems(facts, graph, parts, part_of, main)
    problems += approved_node_problems(facts, graph)
    problems.sort(key=lambda p: (p.severity != "error", p.code))
    return problems, facts
