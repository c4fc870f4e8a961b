"""The Qt user interface: the only package that imports PySide6.

Importing it first stops PySide6 reading the source of every module imported after Qt (see
``import_hook``) — the editor imports ~300 of them at start-up — and turns off Qt's GUI
thread pool (see ``QT_NO_GUI_THREADPOOL`` below).
"""

import os

# Qt's raster engine hands any fill or stroke over ~96 pixel rows to a thread pool and waits
# for it. The canvas repaints small areas (a drag step, a pan strip), where waking a thread
# and waiting for it cost more than the fill: a one-node drag at 1,000 nodes took 0.52 ms
# a step with the pool and 0.36 ms without, a 24-pixel pan 0.85-1.2 ms and 0.47 ms; full
# repaints were unchanged. Qt reads the variable once, at its first threaded fill, so it is
# set here, before any window exists.
os.environ.setdefault("QT_NO_GUI_THREADPOOL", "1")

import PySide6  # noqa: F401  (loads shiboken's import hook, which ``lighten`` adjusts)

from sopdesigner.ui.import_hook import lighten

lighten()
