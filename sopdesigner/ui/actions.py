"""The action table: every menu command of the main window, with its menu, text, shortcut,
tooltip, objectName and the window method it calls. Menus, the tool bar and Help → Keyboard
shortcuts are all generated from this one table, so they cannot disagree."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QAction, QActionGroup, QKeySequence

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMenu, QWidget

SK = QKeySequence.StandardKey

_FALLBACK = {SK.Quit: "Ctrl+Q"}

MENU_NAMES = ("File", "Edit", "View", "Insert", "Arrange", "Review", "Help")


@dataclass(frozen=True)
class ActionSpec:
    key: str  # objectName is "action_<key>"
    menu: str  # top menu, optionally "Menu/Submenu"
    text: str
    slot: str  # dotted attribute path on the window, called with ``arg`` if given
    tip: str
    shortcut: SK | str | None = None
    arg: Any = None
    checkable: bool = False
    group: str | None = None  # exclusive check group
    enabled_when: str = "always"  # "always" | "document" | "selection" | "nodes2" | "nodes3"
    toolbar: bool = False
    separator_before: bool = False


_KINDS = (
    ("start", "Start"),
    ("step", "Step"),
    ("checkpoint", "Checkpoint"),
    ("decision", "Decision"),
    ("end", "End"),
    ("note", "Note"),
)

ACTIONS: tuple[ActionSpec, ...] = (
    # File
    ActionSpec(
        "new",
        "File",
        "&New…",
        "files.new_document",
        "Show the start page to begin a new diagram",
        SK.New,
        toolbar=True,
    ),
    ActionSpec(
        "open",
        "File",
        "&Open…",
        "files.open_dialog",
        "Open a .sop document or import an audit package",
        SK.Open,
        toolbar=True,
    ),
    ActionSpec(
        "save",
        "File",
        "&Save",
        "files.save",
        "Save the document",
        SK.Save,
        enabled_when="document",
        toolbar=True,
        separator_before=True,
    ),
    ActionSpec(
        "save_as",
        "File",
        "Save &As…",
        "files.save_as",
        "Save the document under a new name",
        SK.SaveAs,
        enabled_when="document",
    ),
    ActionSpec(
        "revert",
        "File",
        "Re&vert",
        "files.revert",
        "Throw away unsaved changes and reload the file",
        enabled_when="document",
    ),
    ActionSpec(
        "export_pdf",
        "File/Export",
        "&PDF report…",
        "exports.export_pdf",
        "Write the PDF report of this SOP",
        "Ctrl+Shift+E",
        enabled_when="document",
    ),
    ActionSpec(
        "export_package",
        "File/Export",
        "&Audit package…",
        "exports.export_package",
        "Write the audit package (PDF, JSON, evidence, audit trail) as a ZIP",
        enabled_when="document",
    ),
    ActionSpec(
        "export_json",
        "File/Export",
        "&diagram.json…",
        "exports.export_json",
        "Write the diagram and its records as canonical JSON",
        enabled_when="document",
    ),
    ActionSpec(
        "export_png",
        "File/Export",
        "P&NG image…",
        "exports.export_png",
        "Write the diagram as a PNG image",
        enabled_when="document",
    ),
    ActionSpec(
        "export_svg",
        "File/Export",
        "&SVG image…",
        "exports.export_svg",
        "Write the diagram as an SVG image",
        enabled_when="document",
    ),
    ActionSpec(
        "preferences",
        "File",
        "Pre&ferences…",
        "show_preferences",
        "Set your name (used in sign-offs and the audit trail) and the autosave delay",
        "Ctrl+,",
        separator_before=True,
    ),
    ActionSpec(
        "close",
        "File",
        "&Close",
        "files.close_document",
        "Close the document",
        SK.Close,
        enabled_when="document",
        separator_before=True,
    ),
    ActionSpec("quit", "File", "&Quit", "close", "Quit SOP Designer", SK.Quit),
    # Edit (Undo/Redo come from the undo group; see MainWindow)
    ActionSpec(
        "cut",
        "Edit",
        "Cu&t",
        "edit_cut",
        "Cut the selection",
        SK.Cut,
        enabled_when="selection",
        separator_before=True,
    ),
    ActionSpec("copy", "Edit", "&Copy", "edit_copy", "Copy the selection", SK.Copy, enabled_when="selection"),
    ActionSpec(
        "paste",
        "Edit",
        "&Paste",
        "edit_paste",
        "Paste at the centre of the view",
        SK.Paste,
        enabled_when="document",
    ),
    ActionSpec(
        "duplicate",
        "Edit",
        "D&uplicate",
        "edit_duplicate",
        "Duplicate the selection",
        "Ctrl+D",
        enabled_when="selection",
    ),
    ActionSpec(
        "delete",
        "Edit",
        "&Delete",
        "edit_delete",
        "Delete the selection (and the connectors of deleted nodes)",
        SK.Delete,
        enabled_when="selection",
    ),
    ActionSpec(
        "select_all",
        "Edit",
        "Select &all",
        "edit_select_all",
        "Select every node and connector",
        SK.SelectAll,
        enabled_when="document",
    ),
    ActionSpec(
        "find",
        "Edit",
        "&Find…",
        "show_find",
        "Find a node by title or id",
        SK.Find,
        enabled_when="document",
        separator_before=True,
    ),
    ActionSpec(
        "history",
        "Edit",
        "&History",
        "show_panel",
        "Show the undo history",
        "Ctrl+H",
        arg="history_panel",
        enabled_when="always",
    ),
    # View
    ActionSpec(
        "zoom_in",
        "View",
        "Zoom &in",
        "view.zoom_in",
        "Zoom in",
        SK.ZoomIn,
        enabled_when="document",
        toolbar=True,
    ),
    ActionSpec(
        "zoom_out",
        "View",
        "Zoom &out",
        "view.zoom_out",
        "Zoom out",
        SK.ZoomOut,
        enabled_when="document",
        toolbar=True,
    ),
    ActionSpec(
        "zoom_reset",
        "View",
        "&Actual size (100 %)",
        "view.reset_zoom",
        "Zoom to 100 %",
        "Ctrl+0",
        enabled_when="document",
    ),
    ActionSpec(
        "fit",
        "View",
        "&Fit to window",
        "view.fit_to_window",
        "Show the whole diagram",
        "Ctrl+Shift+1",
        enabled_when="document",
        toolbar=True,
    ),
    ActionSpec(
        "zoom_selection",
        "View",
        "Zoom to &selection",
        "view.zoom_to_selection",
        "Zoom to the selected items",
        "Ctrl+Shift+2",
        enabled_when="selection",
    ),
    ActionSpec(
        "grid",
        "View",
        "Show &grid",
        "set_grid_visible",
        "Show or hide the background grid",
        "Ctrl+'",
        checkable=True,
        separator_before=True,
    ),
    ActionSpec(
        "legend",
        "View",
        "Show &legend",
        "set_legend_visible",
        "Show or hide the status colour legend",
        checkable=True,
    ),
    ActionSpec(
        "theme_light",
        "View/Theme",
        "&Light",
        "set_theme",
        "Light colours",
        arg="light",
        checkable=True,
        group="theme",
    ),
    ActionSpec(
        "theme_dark",
        "View/Theme",
        "&Dark",
        "set_theme",
        "Dark colours",
        arg="dark",
        checkable=True,
        group="theme",
    ),
    ActionSpec(
        "theme_system",
        "View/Theme",
        "&System",
        "set_theme",
        "Follow the system's colour scheme",
        arg="system",
        checkable=True,
        group="theme",
    ),
    # Insert
    *(
        ActionSpec(
            f"insert_{kind}",
            "Insert",
            f"&{label}",
            "insert_node",
            f"Insert a {label.lower()} node at the centre of the view",
            f"Ctrl+Alt+{i}",
            arg=kind,
            enabled_when="document",
        )
        for i, (kind, label) in enumerate(_KINDS, start=1)
    ),
    ActionSpec(
        "add_lane",
        "Insert",
        "&Lane…",
        "add_lane",
        "Add a swimlane for a new or existing role",
        enabled_when="document",
        separator_before=True,
    ),
    # Arrange
    ActionSpec(
        "align_left",
        "Arrange/Align",
        "&Left edges",
        "scene.align_selection",
        "Align left edges",
        arg="left",
        enabled_when="nodes2",
    ),
    ActionSpec(
        "align_hcenter",
        "Arrange/Align",
        "&Horizontal centres",
        "scene.align_selection",
        "Align horizontal centres",
        arg="hcenter",
        enabled_when="nodes2",
    ),
    ActionSpec(
        "align_right",
        "Arrange/Align",
        "&Right edges",
        "scene.align_selection",
        "Align right edges",
        arg="right",
        enabled_when="nodes2",
    ),
    ActionSpec(
        "align_top",
        "Arrange/Align",
        "&Top edges",
        "scene.align_selection",
        "Align top edges",
        arg="top",
        enabled_when="nodes2",
    ),
    ActionSpec(
        "align_vcenter",
        "Arrange/Align",
        "&Vertical centres",
        "scene.align_selection",
        "Align vertical centres",
        arg="vcenter",
        enabled_when="nodes2",
    ),
    ActionSpec(
        "align_bottom",
        "Arrange/Align",
        "&Bottom edges",
        "scene.align_selection",
        "Align bottom edges",
        arg="bottom",
        enabled_when="nodes2",
    ),
    ActionSpec(
        "distribute_h",
        "Arrange",
        "Distribute &horizontally",
        "scene.distribute_selection",
        "Space the selected nodes evenly from left to right",
        arg="horizontal",
        enabled_when="nodes3",
    ),
    ActionSpec(
        "distribute_v",
        "Arrange",
        "Distribute &vertically",
        "scene.distribute_selection",
        "Space the selected nodes evenly from top to bottom",
        arg="vertical",
        enabled_when="nodes3",
    ),
    ActionSpec(
        "auto_layout",
        "Arrange",
        "&Auto layout",
        "auto_layout",
        "Lay the diagram out in flow order by lane",
        "Ctrl+Shift+L",
        enabled_when="document",
        separator_before=True,
    ),
    ActionSpec(
        "snap", "Arrange", "&Snap to grid", "set_snap_to_grid", "Snap moved nodes to the grid", checkable=True
    ),
    # Review (the records engineer adds the review-session actions to this menu)
    ActionSpec(
        "check_problems",
        "Review",
        "Check &problems",
        "show_problems",
        "Validate the diagram now and show the problems list",
        "F8",
        enabled_when="document",
    ),
    # Help
    ActionSpec(
        "shortcuts",
        "Help",
        "&Keyboard shortcuts",
        "show_shortcuts",
        "List every keyboard shortcut",
        SK.HelpContents,
    ),
    ActionSpec("about", "Help", "&About SOP Designer", "show_about", "Version and licence"),
)


def key_sequences(spec: ActionSpec) -> list[QKeySequence]:
    if spec.shortcut is None:
        return []
    if isinstance(spec.shortcut, str):
        return [QKeySequence(spec.shortcut)]
    # Some platforms bind no key to a standard action (Quit on plain X11/offscreen).
    bindings = list(QKeySequence.keyBindings(spec.shortcut))
    if not bindings and spec.shortcut in _FALLBACK:
        bindings = [QKeySequence(_FALLBACK[spec.shortcut])]
    return bindings


def resolve(target: Any, dotted: str) -> Callable[..., Any]:
    obj = target
    for part in dotted.split("."):
        obj = getattr(obj, part)
    return obj


def build_actions(window: QWidget, menus: dict[str, QMenu]) -> dict[str, QAction]:
    """Create every action of the table, add it to its (sub)menu, and connect it to the window.
    Slots are looked up at trigger time, so they follow the current scene/view/controller."""
    actions: dict[str, QAction] = {}
    groups: dict[str, QActionGroup] = {}
    for spec in ACTIONS:
        top, _, sub = spec.menu.partition("/")
        menu_key = spec.menu
        if menu_key not in menus:
            menus[menu_key] = menus[top].addMenu(f"&{sub}")
            menus[menu_key].setObjectName(f"menu_{top}_{sub}".lower())
        menu = menus[menu_key]
        if spec.separator_before and not menu.isEmpty():
            menu.addSeparator()
        action = QAction(spec.text, window)
        action.setObjectName(f"action_{spec.key}")
        action.setToolTip(spec.tip)
        action.setStatusTip(spec.tip)
        action.setShortcuts(key_sequences(spec))
        action.setCheckable(spec.checkable)
        if spec.group:
            group = groups.setdefault(spec.group, QActionGroup(window))
            group.setExclusive(True)
            group.addAction(action)
        action.triggered.connect(_make_handler(window, spec))
        menu.addAction(action)
        actions[spec.key] = action
    return actions


def _make_handler(window: Any, spec: ActionSpec) -> Callable[[bool], None]:
    def handler(checked: bool = False) -> None:
        fn = resolve(window, spec.slot)
        if spec.checkable and spec.group is None:
            fn(checked)
        elif spec.arg is not None:
            fn(spec.arg)
        else:
            fn()

    return handler


def shortcut_rows(menus: dict[str, QMenu]) -> list[tuple[str, str, str]]:
    """(menu, command, shortcut) for every menu action that has a shortcut — the table's and
    those add-ons put in the menus — read from the live actions, so it shows the keys this
    platform really uses, in menu order."""
    rows: list[tuple[str, str, str]] = []

    def walk(menu: QMenu, path: str) -> None:
        for action in menu.actions():
            if action.menu() is not None:
                walk(action.menu(), f"{path} → {action.menu().title().replace('&', '')}")
            elif not action.isSeparator() and not action.shortcut().isEmpty():
                # The primary binding only: platforms add media keys ("Save", "Open") as extras.
                keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
                rows.append((path, action.text().replace("&", "").rstrip("…"), keys))

    for name in MENU_NAMES:
        if name in menus:
            walk(menus[name], name)
    return rows
