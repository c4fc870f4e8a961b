"""The SOP document as plain pydantic data: request, identity, roles, lanes, nodes, edges, audit.

Objects refer to each other by id only; positions live here (node centres, in scene units);
nothing here knows about Qt, SQLite or networkx. ``status`` is *not* stored: it is derived by
``sopdesigner.model.status`` from checklists and sign-offs.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from sopdesigner.model.enums import Decision, EdgeKind, NodeKind

SCHEMA_VERSION = 1

# Caps keep hostile files from exhausting memory; they are far above any real SOP.
Id = Annotated[str, StringConstraints(min_length=1, max_length=128, pattern=r"^[A-Za-z0-9_.:-]+$")]
Short = Annotated[str, StringConstraints(max_length=500)]
Text = Annotated[str, StringConstraints(max_length=20_000)]
Stamp = Annotated[str, StringConstraints(max_length=40)]
Sha256 = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]


class _Model(BaseModel):
    # defer_build: each model's validator is built on its first use, not at import; the empty
    # editor window at start-up validates no document (PERFORMANCE.md T1/T18: ~8 ms, ~0.6 MiB).
    model_config = ConfigDict(
        extra="forbid", validate_assignment=False, use_enum_values=False, defer_build=True
    )


class Point(_Model):
    x: float = 0.0
    y: float = 0.0


class Request(_Model):
    """The deployment request the SOP is run for (seed step 1)."""

    model_name: Short = ""
    model_version: Short = ""
    purpose: Text = ""
    intended_use: Text = ""
    target_environment: Short = ""
    scope: Text = ""
    requester: Short = ""


REQUEST_FIELDS: tuple[str, ...] = tuple(Request.model_fields)


class Identity(_Model):
    """The SOP's own document control (ISO/IEC 42001 7.5): version, owner, review dates."""

    sop_version: Short = "1.0"
    owner: Short = ""
    effective_date: Short = ""
    next_review_date: Short = ""


IDENTITY_FIELDS: tuple[str, ...] = tuple(Identity.model_fields)


class Policy(_Model):
    """Per-document governance switches checked by the rules."""

    separation_of_duties: bool = True


class Role(_Model):
    id: Id
    name: Short


class Lane(_Model):
    """A horizontal swimlane bound to one role; lanes stack top to bottom in list order."""

    id: Id
    role: Id
    height: float = Field(default=160.0, ge=40.0, le=100_000.0)


class ChecklistItem(_Model):
    id: Id
    text: Text
    required: bool = True
    done: bool = False
    done_by: Short | None = None
    done_at: Stamp | None = None
    # The evidence category this item calls for (e.g. "Performance metrics and validation
    # results"); the rules warn when an approved node has none of it attached.
    evidence_category: Short | None = None


class Evidence(_Model):
    id: Id
    sha256: Sha256
    size: int = Field(ge=0)
    filename: Short
    title: Short = ""
    category: Short = ""
    added_by: Short = ""
    added_at: Stamp = ""
    media_type: Short = "application/octet-stream"


class SignOff(_Model):
    id: Id
    signer: Short
    role: Id
    decision: Decision
    meaning: Short = ""
    comment: Text = ""
    conditions: Text = ""
    at: Stamp
    round: int = Field(default=1, ge=1)
    superseded: bool = False


class Node(_Model):
    id: Id
    kind: NodeKind
    title: Short
    description: Text = ""
    lane: Id | None = None
    position: Point = Field(default_factory=Point)
    required_roles: list[Id] = Field(default_factory=list, max_length=100)
    checklist: list[ChecklistItem] = Field(default_factory=list, max_length=1_000)
    evidence: list[Evidence] = Field(default_factory=list, max_length=10_000)
    signoffs: list[SignOff] = Field(default_factory=list, max_length=10_000)
    round: int = Field(default=1, ge=1)


class Edge(_Model):
    id: Id
    source: Id
    target: Id
    label: Short = ""
    kind: EdgeKind = EdgeKind.FLOW


class AuditEvent(_Model):
    """One link of the hash chain; see ``sopdesigner.model.audit`` for how ``hash`` is made."""

    seq: int = Field(ge=1)
    at: Stamp
    actor: Short
    action: Short
    node: Short | None = None
    details: dict[str, Any] = Field(default_factory=dict)
    prev_hash: Sha256
    hash: Sha256


class Document(_Model):
    schema_version: int = SCHEMA_VERSION
    id: Id
    title: Short = "Untitled SOP"
    identity: Identity = Field(default_factory=Identity)
    request: Request = Field(default_factory=Request)
    policy: Policy = Field(default_factory=Policy)
    roles: list[Role] = Field(default_factory=list, max_length=1_000)
    lanes: list[Lane] = Field(default_factory=list, max_length=1_000)
    nodes: list[Node] = Field(default_factory=list, max_length=200_000)
    edges: list[Edge] = Field(default_factory=list, max_length=400_000)
    audit: list[AuditEvent] = Field(default_factory=list)

    # -- lookups (linear scans are fine for edits; hot paths build their own dicts) --
    def node(self, node_id: str) -> Node:
        for n in self.nodes:
            if n.id == node_id:
                return n
        from sopdesigner.errors import UnknownIdError

        raise UnknownIdError(f"There is no node with id '{node_id}'.")

    def find_node(self, key: str) -> Node | None:
        """A node by id, else by exact title (the CLI's ``--node``)."""
        for n in self.nodes:
            if n.id == key:
                return n
        matches = [n for n in self.nodes if n.title == key]
        return matches[0] if len(matches) == 1 else None

    def edge(self, edge_id: str) -> Edge:
        for e in self.edges:
            if e.id == edge_id:
                return e
        from sopdesigner.errors import UnknownIdError

        raise UnknownIdError(f"There is no edge with id '{edge_id}'.")

    def lane(self, lane_id: str) -> Lane:
        for lane in self.lanes:
            if lane.id == lane_id:
                return lane
        from sopdesigner.errors import UnknownIdError

        raise UnknownIdError(f"There is no lane with id '{lane_id}'.")

    def role(self, role_id: str) -> Role:
        for r in self.roles:
            if r.id == role_id:
                return r
        from sopdesigner.errors import UnknownIdError

        raise UnknownIdError(f"There is no role with id '{role_id}'.")

    def role_name(self, role_id: str | None) -> str:
        if role_id is None:
            return ""
        for r in self.roles:
            if r.id == role_id:
                return r.name
        return role_id

    def owner_role(self, node: Node) -> str | None:
        """The role that owns a node: the role of the lane it sits in."""
        if node.lane is None:
            return None
        for lane in self.lanes:
            if lane.id == node.lane:
                return lane.role
        return None

    @property
    def audit_head(self) -> str:
        return self.audit[-1].hash if self.audit else "0" * 64
