"""Reuse of a SOP: "Save as template…" (it then appears on the start page) and "New deployment
from this SOP" (same structure, records cleared, fresh audit trail, opened untitled)."""

from __future__ import annotations

import importlib
import importlib.util
from typing import Any

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QInputDialog, QLineEdit

from sopdesigner.errors import SopError


def _templates() -> Any | None:
    if importlib.util.find_spec("sopdesigner.templates") is None:
        return None
    return importlib.import_module("sopdesigner.templates")


def available() -> bool:
    mod = _templates()
    return mod is not None and hasattr(mod, "save_user_template") and hasattr(mod, "new_deployment")


def save_as_template(window: Any, title: str | None = None) -> bool:
    ctrl = window.controller
    mod = _templates()
    if ctrl is None or mod is None:
        return False
    if title is None:
        title, ok = QInputDialog.getText(
            window, "Save as template", "Template title:", QLineEdit.Normal, ctrl.document.title
        )
        if not ok:
            return False
    title = title.strip()
    if not title:
        window.show_status("A template needs a title.")
        return False
    try:
        mod.save_user_template(ctrl.document, title)
    except (SopError, OSError) as err:
        window.show_status(
            str(err) if isinstance(err, SopError) else f"The template could not be saved ({err})."
        )
        return False
    window.show_status(f"Saved template “{title}”; it is on the start page now.")
    return True


def new_deployment_from_this(window: Any) -> bool:
    ctrl = window.controller
    mod = _templates()
    if ctrl is None or mod is None:
        return False
    try:
        doc = mod.new_deployment(ctrl.document)
    except SopError as err:
        window.show_status(str(err))
        return False
    window.new_from_document(doc)
    window.show_status("New deployment from this SOP: records cleared, fresh audit trail.")
    return True


def add_reuse_actions(window: Any) -> dict[str, QAction]:
    """Add both actions to the File menu (only when the templates module provides them)."""
    if not available():
        return {}
    menu = window.menus["File"]
    menu.addSeparator()
    save = QAction("Save as &template…", window)
    save.setObjectName("action_save_as_template")
    save.setToolTip("Save this SOP's structure as a template for the start page")
    save.triggered.connect(lambda: save_as_template(window))
    new = QAction("New &deployment from this SOP", window)
    new.setObjectName("action_new_deployment")
    new.setToolTip("Same structure, records cleared, fresh audit trail, as a new untitled document")
    new.triggered.connect(lambda: new_deployment_from_this(window))
    menu.addAction(save)
    menu.addAction(new)
    return {"save_as_template": save, "new_deployment": new}
