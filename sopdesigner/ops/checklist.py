"""Checklist edits: design work (add, edit, reorder, remove items) and the record (tick/untick)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from sopdesigner.errors import DuplicateIdError, InvalidEditError, UnknownIdError
from sopdesigner.model.document import ChecklistItem, Document, Node
from sopdesigner.ops.base import Applied, Change, Context, Op, Record, diff

ITEM_FIELDS = ("text", "required", "evidence_category")


def item_index(node: Node, item_id: str) -> int:
    for i, item in enumerate(node.checklist):
        if item.id == item_id:
            return i
    raise UnknownIdError(f"Node '{node.title}' has no checklist item '{item_id}'.")


@dataclass
class AddChecklistItem(Op):
    node_id: str
    item: ChecklistItem
    index: int | None = None
    label = "Add checklist item"

    def apply(self, doc: Document, ctx: Context) -> Applied:
        node = doc.node(self.node_id)
        if any(i.id == self.item.id for i in node.checklist):
            raise DuplicateIdError(f"A checklist item with id '{self.item.id}' already exists.")
        if not self.item.text.strip():
            raise InvalidEditError("A checklist item needs text.")
        if len(node.checklist) >= 1000:
            raise InvalidEditError("A node can have at most 1,000 checklist items.")
        i = len(node.checklist) if self.index is None else self.index
        node.checklist.insert(i, self.item.model_copy())
        return Applied(
            RemoveChecklistItem(node.id, self.item.id),
            [Change("node", "changed", node.id)],
            [
                Record(
                    "checklist.added",
                    node.id,
                    {"item": self.item.id, "text": self.item.text, "required": self.item.required},
                )
            ],
        )


@dataclass
class RemoveChecklistItem(Op):
    node_id: str
    item_id: str
    label = "Remove checklist item"

    def apply(self, doc: Document, ctx: Context) -> Applied:
        node = doc.node(self.node_id)
        i = item_index(node, self.item_id)
        item = node.checklist.pop(i)
        return Applied(
            AddChecklistItem(node.id, item, i),
            [Change("node", "changed", node.id)],
            [Record("checklist.removed", node.id, {"item": item.id, "text": item.text, "done": item.done})],
        )


@dataclass
class SetChecklistItemFields(Op):
    node_id: str
    item_id: str
    fields: dict[str, Any]
    label = "Edit checklist item"

    def apply(self, doc: Document, ctx: Context) -> Applied:
        node = doc.node(self.node_id)
        item = node.checklist[item_index(node, self.item_id)]
        unknown = set(self.fields) - set(ITEM_FIELDS)
        if unknown:
            raise InvalidEditError(f"A checklist item has no editable field '{sorted(unknown)[0]}'.")
        try:
            checked = ChecklistItem.model_validate({**item.model_dump(), **self.fields})
        except ValidationError:
            raise InvalidEditError("That checklist item value is not valid.") from None
        if not checked.text.strip():
            raise InvalidEditError("A checklist item needs text.")
        new = {k: getattr(checked, k) for k in self.fields}
        old = {k: getattr(item, k) for k in new}
        for k, v in new.items():
            setattr(item, k, v)
        details = {k: diff(old[k], new[k]) for k in new if old[k] != new[k]}
        records = [Record("checklist.changed", node.id, {"item": item.id, **details})] if details else []
        return Applied(
            SetChecklistItemFields(node.id, item.id, old), [Change("node", "changed", node.id)], records
        )


@dataclass
class MoveChecklistItem(Op):
    node_id: str
    item_id: str
    index: int
    label = "Reorder checklist"

    def apply(self, doc: Document, ctx: Context) -> Applied:
        node = doc.node(self.node_id)
        i = item_index(node, self.item_id)
        if not 0 <= self.index < len(node.checklist):
            raise InvalidEditError("That checklist position does not exist.")
        node.checklist.insert(self.index, node.checklist.pop(i))
        return Applied(MoveChecklistItem(node.id, self.item_id, i), [Change("node", "changed", node.id)], [])


@dataclass
class SetItemDone(Op):
    """Tick or untick an item: a record, stamped with who and when."""

    node_id: str
    item_id: str
    done: bool
    # Set only by inverses, to put back exactly who ticked it and when.
    done_by: str | None = None
    done_at: str | None = None
    restore: bool = False
    label = "Tick item"
    structural = False

    def apply(self, doc: Document, ctx: Context) -> Applied:
        node = doc.node(self.node_id)
        item = node.checklist[item_index(node, self.item_id)]
        if not self.restore and item.done == self.done:
            state = "already ticked" if self.done else "not ticked"
            raise InvalidEditError(f"Checklist item '{item.text}' is {state}.")
        inverse = SetItemDone(node.id, item.id, item.done, item.done_by, item.done_at, restore=True)
        item.done = self.done
        if self.restore:
            item.done_by, item.done_at = self.done_by, self.done_at
        else:
            item.done_by, item.done_at = (ctx.actor, ctx.now) if self.done else (None, None)
        action = "checklist.ticked" if self.done else "checklist.unticked"
        return Applied(
            inverse,
            [Change("node", "changed", node.id)],
            [Record(action, node.id, {"item": item.id, "text": item.text})],
        )

    def describe(self) -> str:
        return "Tick item" if self.done else "Untick item"
