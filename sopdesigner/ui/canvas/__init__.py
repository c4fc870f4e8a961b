"""The diagram canvas: scene, items, view, gestures, themes and PNG/SVG rendering.

Items are views of the model: they hold an id, draw from a snapshot, and the scene turns
gestures into ops through the ``DocumentController``; the model reaches the items only as
``Change`` lists from ``controller.changes_applied``.
"""

from sopdesigner.ui.canvas.mime import FRAGMENT_MIME, NODE_KIND_MIME
from sopdesigner.ui.canvas.style import DARK, LIGHT, PRINT, Theme, theme_named

__all__ = ["DARK", "FRAGMENT_MIME", "LIGHT", "NODE_KIND_MIME", "PRINT", "Theme", "theme_named"]
