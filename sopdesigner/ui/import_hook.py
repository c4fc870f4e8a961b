"""PySide6's import hook, without its source-file read.

Importing PySide6 replaces ``builtins.__import__`` (for its opt-in ``from __feature__ import
snake_case``). After every later import, shiboken's ``feature_imported`` calls
``_mod_uses_pyside(module)``, which reads the module's whole source with ``inspect.getsource``
to look for the word "PySide6", and ``linecache`` keeps that text for the life of the process.
The editor imports ~300 modules after Qt (pydantic, the model, the window): measured here
≈ 9 MiB of resident memory and 20–90 ms of start-up spent reading source nobody looks at.

The answer only decides whether feature switching (snake_case / true_property) applies to a
module; nothing in this application selects a feature, so every answer behaves the same.
``lighten()`` still answers sensibly, without a file read: a module "uses PySide" when its
namespace holds a PySide6 module or something defined in one (every module that imports Qt
names at module level). It changes nothing if shiboken's internals are not as expected.
"""

from __future__ import annotations

import sys

# Only ``sys`` here: a module this one imports before ``lighten`` runs is still read in full
# (``typing``'s source alone is ~0.3 MiB).
_ModuleType = type(sys)
_PREFIXES = ("PySide6", "shiboken6")


def _defined_in_pyside(value: object) -> bool:
    try:
        name = value.__name__ if isinstance(value, _ModuleType) else getattr(value, "__module__", None)
    except Exception:  # an exotic object whose attribute lookup fails: not a Qt name
        return False
    return isinstance(name, str) and name.startswith(_PREFIXES)


def uses_pyside(module: _ModuleType) -> bool:
    """Whether ``module`` imported anything from PySide6 at module level."""
    try:
        values = list(vars(module).values())
    except TypeError:
        return False
    return any(_defined_in_pyside(v) for v in values)


def lighten() -> bool:
    """Replace shiboken's source-reading check by ``uses_pyside``; True if it was replaced."""
    feature = sys.modules.get("shibokensupport.feature")
    if feature is None or not callable(getattr(feature, "_mod_uses_pyside", None)):
        return False
    if feature._mod_uses_pyside is not uses_pyside:
        feature._mod_uses_pyside = uses_pyside
    return True
