"""Display options of the canvas (mixed into ``DiagramScene``; ``self`` is the scene): theme,
grid, snapping, legend, review mode and the node caching the view asks for at reading zoom."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QGraphicsItem

from sopdesigner.ui.canvas.style import Theme

if TYPE_CHECKING:
    from sopdesigner.ui.canvas.scene import DiagramScene


class SceneDisplay:
    """Display options; ``self`` is the DiagramScene."""

    def set_theme(self: DiagramScene, theme: Theme) -> None:
        self.theme = theme
        for it in self.items():
            if hasattr(it, "set_theme"):
                it.set_theme(theme)
        self.update()

    def set_grid_visible(self: DiagramScene, on: bool) -> None:
        self._grid = on
        self.update()

    def grid_visible(self: DiagramScene) -> bool:
        return self._grid

    def set_snap_to_grid(self: DiagramScene, on: bool) -> None:
        self._snap = on

    def snap_to_grid(self: DiagramScene) -> bool:
        return self._snap

    def set_legend_visible(self: DiagramScene, on: bool) -> None:
        self._legend_visible = on
        if self._legend is not None:
            self._legend.setVisible(on)

    def legend_visible(self: DiagramScene) -> bool:
        return self._legend_visible

    def set_review_mode(self: DiagramScene, on: bool) -> None:
        """Review mode: nodes cannot be moved or deleted, no ports, larger titles."""
        self.cancel_interaction()
        self._close_editor()
        self._review = on
        for it in self._nodes.values():
            it.set_review_mode(on)
        self.overview_changed()

    def review_mode(self: DiagramScene) -> bool:
        return self._review

    def node_caching(self: DiagramScene) -> bool:
        return self._cache_nodes

    def set_node_caching(self: DiagramScene, on: bool) -> None:
        """Keep each node's detailed drawing as a device pixmap (the view turns this on at reading
        zoom, where repaints and drags then blit instead of laying out text, and off when zoomed
        out, where every zoom step would re-render the caches for nothing)."""
        if on == self._cache_nodes:
            return
        self._cache_nodes = on
        mode = QGraphicsItem.CacheMode.DeviceCoordinateCache if on else QGraphicsItem.CacheMode.NoCache
        for item in self._nodes.values():
            item.setCacheMode(mode)
