"""Governance rules (SOP202–SOP208) on the records, and ``check_signoff`` for the sign-off dialog."""

from __future__ import annotations

from sopdesigner.model.document import Document, Node
from sopdesigner.model.enums import Decision, NodeKind
from sopdesigner.rules.facts import Facts
from sopdesigner.rules.graph import ProcessGraph
from sopdesigner.rules.problems import APPROVALS, Problem, make_problem, normalize_name, quoted


def signoff_problems(facts: Facts) -> list[Problem]:
    requester = normalize_name(facts.doc.request.requester)
    separation = facts.doc.policy.separation_of_duties
    nodes = facts.nodes
    problems = []
    for nid in facts.review_signoffs:  # the only nodes these rules can report
        active = facts.active[nid]
        n = nodes[nid]
        required = n.required_roles
        if any(s.role not in required for s in active):
            for role in dict.fromkeys(s.role for s in active if s.role not in required):
                signers = ", ".join(dict.fromkeys(s.signer for s in active if s.role == role))
                problems.append(
                    make_problem(
                        "SOP202",
                        f"{facts.role(role)} ({signers}) signed '{n.title}', which "
                        f"does not require {facts.role(role)}.",
                        (n.id,),
                    )
                )
        if not separation:
            continue
        people = [normalize_name(s.signer) for s in active]
        if requester and requester in people:
            problems += [
                make_problem(
                    "SOP203",
                    f"{s.signer} requested this deployment and may not sign "
                    f"'{n.title}' as {facts.role(s.role)} (separation of duties).",
                    (n.id,),
                )
                for s, person in zip(active, people, strict=True)
                if person == requester
            ]
        if len(set(people)) == len(people):
            continue  # everyone signed once: nobody signed two roles
        roles_by_person: dict[str, dict[str, str]] = {}
        for s, person in zip(active, people, strict=True):
            roles_by_person.setdefault(person, {}).setdefault(s.role, s.signer)
        for roles in roles_by_person.values():
            if len(roles) > 1:
                names = [facts.role(r) for r in roles]
                problems.append(
                    make_problem(
                        "SOP204",
                        f"{next(iter(roles.values()))} signed '{n.title}' as "
                        f"{', '.join(names[:-1])} and {names[-1]}; one person may "
                        "sign only one role on a node (separation of duties).",
                        (n.id,),
                    )
                )
    return problems


def upstream_problems(
    facts: Facts, graph: ProcessGraph, parts: list[list[str]], part_of: dict[str, int], main: set[str]
) -> list[Problem]:
    """SOP205, in one pass over the flow graph in topological order: each part of the graph
    carries one unapproved approval node upstream of it: the last one met on the way there
    (where paths merge, the one first in document order), so messages name the nearest. Only
    flow connectors count, and only gates on the main flow (``main``: reachable from the start
    without rework connectors), so a remediation review on a rework branch does not block
    approval."""
    if not facts.approved:
        return []
    approved = facts.approved
    pending_gates = {g for g in facts.gates if g not in approved and g in main}
    index = facts.index
    succ = graph.succ
    inherited: list[str | None] = [None] * len(parts)  # an unapproved gate upstream of the part
    problems = []
    for c, part in enumerate(parts):
        blocker = inherited[c]
        if len(part) == 1:  # no flow loop here (the usual case): no list to build
            nid = part[0]
            if nid in pending_gates:
                passed_on: str | None = nid
            else:
                passed_on = blocker
                if blocker is not None and nid in approved:
                    problems.append(_upstream_problem(facts, nid, blocker))
        else:
            pending = [n for n in part if n in pending_gates]
            for nid in part:
                if nid not in approved:
                    continue
                here = blocker
                for other in pending:  # inside a flow loop (itself SOP106) every member is upstream
                    if other != nid and (here is None or index[other] < index[here]):
                        here = other
                if here is not None:
                    problems.append(_upstream_problem(facts, nid, here))
            passed_on = pending[0] if pending else blocker
        if passed_on is None:
            continue
        for nid in part:
            for nxt in succ[nid]:
                d = part_of[nxt]
                if d != c:
                    prev = inherited[d]
                    if prev is None or index[passed_on] < index[prev]:
                        inherited[d] = passed_on
    problems.sort(key=lambda p: index[p.node_ids[0]])
    return problems


def _upstream_problem(facts: Facts, nid: str, blocker: str) -> Problem:
    return make_problem(
        "SOP205",
        f"'{facts.nodes[nid].title}' is approved while '{facts.nodes[blocker].title}' upstream of it "
        "is not approved.",
        (nid, blocker),
    )


def approved_node_problems(facts: Facts, graph: ProcessGraph) -> list[Problem]:
    """SOP206 and SOP207 (records of approved nodes), then SOP208 (conditions with no step to
    carry them out), each in document order."""
    succ = graph.succ
    nodes, approved, latest_of = facts.nodes, facts.approved, facts.latest
    with_conditions = Decision.APPROVE_WITH_CONDITIONS
    end = NodeKind.END
    problems = []
    for nid in facts.review_records:  # the only nodes these rules can report
        if nid not in approved:
            continue
        n = nodes[nid]
        open_items = []
        wanted = []
        for item in n.checklist:
            if item.required:
                if not item.done:
                    open_items.append(item.text)
                if item.evidence_category:
                    wanted.append(item.evidence_category)
        if open_items:
            noun, verb = ("item", "is") if len(open_items) == 1 else ("items", "are")
            problems.append(
                make_problem(
                    "SOP206",
                    f"'{n.title}' is approved but its required checklist {noun} "
                    f"{quoted(open_items)} {verb} not done.",
                    (n.id,),
                )
            )
        missing = _missing_evidence(n, wanted) if wanted else None
        if missing:
            problems.append(
                make_problem(
                    "SOP207",
                    f"'{n.title}' is approved without evidence of the kind its "
                    f"checklist calls for: {'; '.join(missing)}.",
                    (n.id,),
                )
            )
    for nid in facts.review_conditions:  # the only nodes this rule can report
        latest = latest_of.get(nid)
        if latest is None or any(nodes[t].kind is not end for t in succ[nid]):
            continue  # no current sign-off, or a follow-up step carries the conditions out
        n = nodes[nid]
        conditional = [
            r
            for r in n.required_roles
            if r in latest
            and latest[r].decision in APPROVALS
            and (latest[r].conditions.strip() or latest[r].decision is with_conditions)
        ]
        if conditional:
            roles = " and ".join(facts.role(r) for r in conditional)
            problems.append(
                make_problem(
                    "SOP208",
                    f"Conditions were recorded on the approval of '{n.title}' by "
                    f"{roles}, but no follow-up step comes after it to carry them "
                    "out.",
                    (n.id,),
                )
            )
    return problems


def _missing_evidence(node: Node, wanted: list[str]) -> list[str]:
    """The evidence categories in ``wanted`` (what the node's required checklist items call
    for) that none of its attached evidence has (compared case- and blank-insensitively)."""
    attached = {normalize_name(e.category) for e in node.evidence}
    missing = dict.fromkeys(c.strip() for c in wanted if c.strip() and normalize_name(c) not in attached)
    return list(missing)


def check_signoff(doc: Document, node_id: str, signer: str, role: str) -> list[Problem]:
    """Problems that recording ``signer``'s sign-off for ``role`` on the node would cause, so
    the sign-off dialog can warn before recording. Raises ``UnknownIdError`` for a missing node."""
    node = doc.node(node_id)
    role_names = {r.id: r.name for r in doc.roles}
    role_name = role_names.get(role, role)
    problems = []
    if role not in role_names:
        problems.append(make_problem("SOP111", f"Role '{role}' is not defined in this diagram.", (node.id,)))
    if role not in node.required_roles:
        problems.append(
            make_problem(
                "SOP202",
                f"'{node.title}' does not require {role_name}, so this sign-off "
                "will not count towards its approval.",
                (node.id,),
            )
        )
    if doc.policy.separation_of_duties:
        person = normalize_name(signer)
        if person and person == normalize_name(doc.request.requester):
            problems.append(
                make_problem(
                    "SOP203",
                    f"{signer.strip()} requested this deployment and may not sign "
                    f"'{node.title}' (separation of duties).",
                    (node.id,),
                )
            )
        others = dict.fromkeys(
            s.role
            for s in node.signoffs
            if not s.superseded
            and s.round == node.round
            and s.role != role
            and normalize_name(s.signer) == person
        )
        if person and others:
            already = " and ".join(role_names.get(r, r) for r in others)
            problems.append(
                make_problem(
                    "SOP204",
                    f"{signer.strip()} already signed '{node.title}' as {already}; one "
                    "person may sign only one role on a node (separation of "
                    "duties).",
                    (node.id,),
                )
            )
    return problems
