"""Document-level edits: title, deployment request, SOP identity and governance policy."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError

from sopdesigner.errors import InvalidEditError
from sopdesigner.model.document import Document
from sopdesigner.ops.base import Applied, Change, Context, Op, Record, diff

_PARTS = {"request": "request.changed", "identity": "identity.changed", "policy": "policy.changed"}


@dataclass
class SetDocumentFields(Op):
    """Change fields of ``part`` ("request", "identity" or "policy"), or the title (part "document")."""

    part: str
    fields: dict[str, Any]
    exact: bool = False  # inverses put the old title back untrimmed
    label = "Edit document"
    structural = False

    def apply(self, doc: Document, ctx: Context) -> Applied:
        if self.part == "document":
            target: Any = doc
            allowed: tuple[str, ...] = ("title",)
            action = "document.changed"
        elif self.part in _PARTS:
            target = getattr(doc, self.part)
            allowed = tuple(type(target).model_fields)
            action = _PARTS[self.part]
        else:
            raise InvalidEditError(f"A document has no part '{self.part}'.")
        unknown = set(self.fields) - set(allowed)
        if unknown:
            raise InvalidEditError(f"The {self.part} has no field '{sorted(unknown)[0]}'.")
        # Validate through the model so the new values obey the same caps as a loaded file.
        if isinstance(target, BaseModel) and target is not doc:
            try:
                checked = type(target).model_validate({**target.model_dump(), **self.fields})
            except ValidationError as err:
                first = err.errors()[0]
                where = ".".join(str(p) for p in first["loc"])
                raise InvalidEditError(
                    f"The {self.part} field '{where}' is not valid: {first['msg']}."
                ) from None
            new = {k: getattr(checked, k) for k in self.fields}
        else:
            title = str(self.fields.get("title", ""))
            title = title if self.exact else title.strip()
            if not title.strip() or len(title) > 500:
                raise InvalidEditError("A document title must be 1 to 500 characters.")
            new = {"title": title}
        old = {k: getattr(target, k) for k in new}
        for k, v in new.items():
            setattr(target, k, v)
        details = {k: diff(old[k], new[k]) for k in new if old[k] != new[k]}
        records = [Record(action, None, details)] if details else []
        return Applied(
            SetDocumentFields(self.part, old, exact=True), [Change("document", "changed")], records
        )

    def describe(self) -> str:
        return {"request": "Edit request", "identity": "Edit SOP identity", "policy": "Edit policy"}.get(
            self.part, "Rename document"
        )
