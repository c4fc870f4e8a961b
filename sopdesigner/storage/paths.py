"""Where the app keeps its own files, in the platform's folders (platformdirs).

Settings go to the config folder; autosaves (crash recovery), user templates and logs go to
the user data/log folders — never next to a document. ``SOPDESIGNER_HOME`` overrides the base
folder (tests and portable installs use it).
"""

from __future__ import annotations

import os
from pathlib import Path

APP_DIR_NAME = "sopdesigner"


def _base(kind: str) -> Path:
    home = os.environ.get("SOPDESIGNER_HOME")
    if home:
        return Path(home) / kind
    import platformdirs

    if kind == "config":
        return Path(platformdirs.user_config_dir(APP_DIR_NAME, appauthor=False))
    if kind == "log":
        return Path(platformdirs.user_log_dir(APP_DIR_NAME, appauthor=False))
    return Path(platformdirs.user_data_dir(APP_DIR_NAME, appauthor=False))


def _ensure(p: Path) -> Path:
    p.mkdir(parents=True, exist_ok=True)
    return p


def config_dir() -> Path:
    return _ensure(_base("config"))


def data_dir() -> Path:
    return _ensure(_base("data"))


def autosave_dir() -> Path:
    """Recovery snapshots of unsaved work (one SQLite file per open document)."""
    return _ensure(data_dir() / "autosave")


def user_templates_dir() -> Path:
    """Templates the user saved with File → Save as template."""
    return _ensure(data_dir() / "templates")


def log_dir() -> Path:
    return _ensure(_base("log"))


def settings_path() -> Path:
    return config_dir() / "settings.json"
