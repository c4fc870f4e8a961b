"""SOP Designer: an offline diagram editor for AI model deployment approval SOPs.

The package is layered: ``model``, ``ops``, ``editing``, ``rules``, ``storage`` and ``export``
are pure Python (no Qt); ``ui`` is the only package that imports PySide6; ``cli`` is the
front door and imports ``ui`` lazily.
"""

__version__ = "0.1.0"
APP_NAME = "SOP Designer"
