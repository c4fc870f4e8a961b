"""The Qt user interface: the only package that imports PySide6.

Importing it first stops PySide6 reading the source of every module imported after Qt (see
``import_hook``): the editor imports ~300 of them at start-up.
"""

import PySide6  # noqa: F401  (loads shiboken's import hook, which ``lighten`` adjusts)

from sopdesigner.ui.import_hook import lighten

lighten()
