"""The main window's docked panels (palette, properties, problems, history), built on first need.

The docks themselves exist from the start, empty: a saved layout restores onto them, View →
Panels lists their toggles, and every shortcut that shows one works. The panel widgets inside
(≈ 3 MiB and 10 ms of start-up) are built the first time a document is shown, a dock becomes
visible, or code asks for a panel; the start page, which hides every dock, never needs them.
A mixin: ``self`` is the ``MainWindow``.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QWidget

if TYPE_CHECKING:
    from sopdesigner.ui.panels.history_panel import HistoryPanel
    from sopdesigner.ui.panels.palette_panel import PalettePanel
    from sopdesigner.ui.panels.problems_panel import ProblemsPanel
    from sopdesigner.ui.panels.properties_panel import PropertiesPanel

Area = Qt.DockWidgetArea

#: (title, dock objectName, area) of the window's own panels, in View → Panels order.
PANEL_DOCKS: tuple[tuple[str, str, Qt.DockWidgetArea], ...] = (
    ("Palette", "palette_dock", Area.LeftDockWidgetArea),
    ("Properties", "properties_dock", Area.RightDockWidgetArea),
    ("Problems", "problems_dock", Area.BottomDockWidgetArea),
    ("History", "history_dock", Area.LeftDockWidgetArea),
)


@dataclass
class _Panels:
    palette: PalettePanel
    properties: PropertiesPanel
    problems: ProblemsPanel
    history: HistoryPanel


class WindowPanels:
    """Mixed into ``MainWindow``; relies on its scene, view, undo group and panels menu."""

    _panels: _Panels | None
    _panel_docks: dict[str, QDockWidget]
    _panel_builders: list[Callable[[], object]]
    _closing: bool

    # ---- docks -------------------------------------------------------------------------------
    def add_panel(
        self: Any,
        widget: QWidget | None,
        title: str,
        object_name: str,
        area: Qt.DockWidgetArea = Area.RightDockWidgetArea,
    ) -> QDockWidget:
        """Dock ``widget`` (or an empty dock, filled later) and add its toggle to View → Panels."""
        dock = QDockWidget(title, self)
        dock.setObjectName(object_name)
        dock.setAccessibleName(title)
        if widget is not None:
            dock.setWidget(widget)
        self.addDockWidget(area, dock)
        toggle = dock.toggleViewAction()
        toggle.setObjectName(f"action_panel_{object_name}")
        toggle.setToolTip(f"Show or hide the {title.lower()} panel")
        self.panels_menu.addAction(toggle)
        return dock

    def _build_panel_docks(self: Any) -> None:
        self._panels = None
        self._closing = False
        self._panel_docks = {}
        self._panel_builders = []
        for title, name, area in PANEL_DOCKS:
            dock = self.add_panel(None, title, name, area)
            dock.visibilityChanged.connect(self._panel_dock_visible)
            self._panel_docks[name] = dock
        self._panel_docks["history_dock"].hide()

    def _panel_dock_visible(self: Any, visible: bool) -> None:
        # Closing shows the docks hidden by the start page only to save their layout.
        if visible and not self._closing:
            self._ensure_panels()

    # ---- the panels, on first need -------------------------------------------------------------
    def _ensure_panels(self: Any) -> _Panels:
        if self._panels is not None:
            return self._panels
        from sopdesigner.ui.panels.history_panel import HistoryPanel
        from sopdesigner.ui.panels.palette_panel import PalettePanel
        from sopdesigner.ui.panels.problems_panel import ProblemsPanel
        from sopdesigner.ui.panels.properties_panel import PropertiesPanel

        panels = _Panels(
            PalettePanel(self),
            PropertiesPanel(self),
            ProblemsPanel(self),
            HistoryPanel(self.undo_group, self),
        )
        self._panels = panels
        panels.palette.insert_requested.connect(self.insert_node)
        panels.problems.problem_activated.connect(self.select_and_centre)
        self.scene.lane_selected.connect(panels.properties.show_lane)
        docks = self._panel_docks
        for dock, widget in (
            (docks["palette_dock"], panels.palette),
            (docks["properties_dock"], panels.properties),
            (docks["problems_dock"], panels.problems),
            (docks["history_dock"], panels.history),
        ):
            dock.setWidget(widget)
        # Catch up with what the window shows now.
        panels.properties.set_controller(self.controller)
        panels.properties.show_selection(*self._selection_ids)
        panels.problems.set_problems(self.problems)
        panels.palette.setEnabled(self.controller is not None)
        # Keyboard users Tab from the palette to the canvas, then through the panels.
        order = [
            panels.palette.list,
            self.view,
            panels.properties.doc_title,
            panels.problems.list,
            panels.history.view,
        ]
        for first, second in itertools.pairwise(order):
            QWidget.setTabOrder(first, second)
        return panels

    def add_panel_builder(self, build: Callable[[], object]) -> None:
        """Have ``build`` (which fills docks added with ``add_panel(None, …)``, and does nothing
        once they are filled) run with the window's own panels when a document is shown."""
        self._panel_builders.append(build)

    def _ensure_all_panels(self: Any) -> None:
        self._ensure_panels()
        for build in self._panel_builders:
            build()

    @property
    def panels_built(self) -> bool:
        return self._panels is not None

    @property
    def palette_panel(self) -> PalettePanel:
        return self._ensure_panels().palette

    @property
    def properties_panel(self) -> PropertiesPanel:
        return self._ensure_panels().properties

    @property
    def problems_panel(self) -> ProblemsPanel:
        return self._ensure_panels().problems

    @property
    def history_panel(self) -> HistoryPanel:
        return self._ensure_panels().history

    def show_panel(self: Any, object_name: str) -> None:
        """Show and focus the dock holding the widget named ``object_name``."""
        self._ensure_panels()
        widget = self.findChild(QWidget, object_name)
        dock = widget.parentWidget() if widget is not None else None
        while dock is not None and not isinstance(dock, QDockWidget):
            dock = dock.parentWidget()
        if isinstance(dock, QDockWidget):
            dock.show()
            dock.raise_()
            widget.setFocus()

    # ---- first-start layout --------------------------------------------------------------------
    def _tabify_bottom_docks(self: Any) -> None:
        docks = {d.objectName(): d for d in self.findChildren(QDockWidget)}
        problems = docks["problems_dock"]
        bottom = [
            d
            for d in docks.values()
            if d is not problems and self.dockWidgetArea(d) == Area.BottomDockWidgetArea
        ]
        for other in bottom:
            self.tabifyDockWidget(problems, other)
        problems.raise_()

    def _default_dock_sizes(self: Any) -> None:
        """First-start sizes that leave the canvas most of the window (needs a shown window);
        a layout saved in the settings replaces them."""
        self._tabify_bottom_docks()
        docks = {d.objectName(): d for d in self.findChildren(QDockWidget)}
        problems = docks["problems_dock"]
        self.resizeDocks([docks["palette_dock"]], [150], Qt.Orientation.Horizontal)
        self.resizeDocks([docks["properties_dock"]], [400], Qt.Orientation.Horizontal)
        self.resizeDocks([problems, docks["properties_dock"]], [170, 330], Qt.Orientation.Vertical)
        if self.central.currentWidget() is self.view:
            # The canvas just changed size: fit the freshly opened diagram to it again.
            self.view.fit_at_next_frame()
