"""The commands the action table calls on the main window (edit, insert, arrange, panels,
dialogs, view toggles), kept apart from the window's construction and document switching.
A mixin: ``self`` is the ``MainWindow``."""

from __future__ import annotations

import atexit
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QInputDialog

from sopdesigner.errors import SopError
from sopdesigner.model.document import Lane, Role
from sopdesigner.model.enums import NodeKind
from sopdesigner.model.geometry import lane_bands
from sopdesigner.model.ids import slugify
from sopdesigner.ops.batch import Batch
from sopdesigner.ops.lanes import AddLane, AddRole

if TYPE_CHECKING:
    from sopdesigner.ui.find_dialog import FindDialog

_clipboard_hook = False


def _clear_clipboard_at_exit() -> None:
    """The clipboard owns our QMimeData, which has a Python wrapper; Qt would destroy it in a C++
    exit handler after Python is gone and crash the process at exit. Clear it while Python runs."""
    global _clipboard_hook
    if not _clipboard_hook:
        _clipboard_hook = True

        def clear() -> None:
            app = QGuiApplication.instance()
            if app is not None:
                QGuiApplication.clipboard().clear()

        atexit.register(clear)


class WindowCommands:
    """Mixed into ``MainWindow``; relies on its scene, view, controller, panels and actions."""

    find_dialog: FindDialog | None

    def edit_cut(self) -> None:
        self.edit_copy()
        self.scene.delete_selection()

    def edit_copy(self) -> None:
        mime = self.scene.copy_selection()
        if mime is not None:
            _clear_clipboard_at_exit()
            QGuiApplication.clipboard().setMimeData(mime)

    def edit_paste(self) -> None:
        mime = QGuiApplication.clipboard().mimeData()
        if mime is not None:
            self.scene.paste(mime, self.view.center_scene_pos())

    def edit_duplicate(self) -> None:
        self.scene.duplicate_selection()

    def edit_delete(self) -> None:
        self.scene.delete_selection()

    def edit_select_all(self) -> None:
        self.scene.select_all()

    def insert_node(self, kind: str) -> None:
        if self.controller is None:
            return
        node_id = self.scene.place_node(NodeKind(kind), self.view.center_scene_pos())
        if node_id:
            self.scene.select_ids([node_id])

    def add_lane(self) -> None:
        c = self.controller
        if c is None:
            return
        name, ok = QInputDialog.getText(
            self, "Add lane", "Role of the new lane (an existing role name, or a new one):"
        )
        name = name.strip()
        if not ok or not name:
            return
        role = next((r for r in c.document.roles if r.name.lower() == name.lower()), None)
        ops: list[Any] = []
        if role is None:
            role = Role(id=slugify(name, {r.id for r in c.document.roles}, fallback="role"), name=name)
            ops.append(AddRole(role))
        lane_id = slugify(f"lane-{role.id}", {la.id for la in c.document.lanes}, fallback="lane")
        ops.append(AddLane(Lane(id=lane_id, role=role.id)))
        c.execute(Batch(ops, "Add lane") if len(ops) > 1 else ops[0])
        if lane_id in lane_bands(c.document):
            self.properties_panel.show_lane(lane_id)

    def auto_layout(self) -> None:
        if self.controller is None:
            return
        try:
            from sopdesigner.rules.layout import layout_op
        except ImportError:
            self.show_status("Auto layout is not available in this build.")
            return
        try:
            op = layout_op(self.controller.document)
        except SopError as err:
            self.show_status(str(err), 8000)
            return
        if self.controller.execute(op):
            self.view.fit_to_window()

    # Dialogs are imported on first use: the empty window at start-up needs none of them.
    def show_find(self) -> None:
        if self.find_dialog is None:
            from sopdesigner.ui.find_dialog import FindDialog

            self.find_dialog = FindDialog(self)
        self.find_dialog.show()
        self.find_dialog.raise_()
        self.find_dialog.activateWindow()
        self.find_dialog.query.setFocus()

    def show_problems(self) -> None:
        self.run_validation()
        self.show_panel("problems_panel")

    def show_preferences(self) -> None:
        from sopdesigner.ui import help_dialogs

        dialog = help_dialogs.PreferencesDialog(self.settings, self)
        if dialog.exec():
            self.update_settings(user_name=dialog.user_name(), autosave_seconds=dialog.autosave_seconds())
            if self.controller is not None and self.settings.user_name:
                self.controller.set_actor(self.settings.user_name)

    def show_shortcuts(self) -> None:
        from sopdesigner.ui import help_dialogs

        help_dialogs.ShortcutsDialog(self.menus, self).exec()

    def show_about(self) -> None:
        from sopdesigner.ui import help_dialogs

        help_dialogs.show_about(self)

    def set_grid_visible(self, on: bool) -> None:
        self.update_settings(grid_visible=bool(on))

    def set_legend_visible(self, on: bool) -> None:
        self.update_settings(show_legend=bool(on))

    def set_snap_to_grid(self, on: bool) -> None:
        self.update_settings(snap_to_grid=bool(on))

    def set_theme(self, name: str) -> None:
        self.update_settings(theme=name)
