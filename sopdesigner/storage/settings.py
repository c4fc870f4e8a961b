"""User settings (name, theme, grid, recent files…) as a small JSON file in the config folder.

A missing or unreadable settings file never stops the app: it falls back to defaults and the
next save writes a good file (atomically, so a crash cannot leave half a file). Each setting is
checked on its own, so one bad value (a hand-edited theme "blue") resets only that setting,
not the recent files with it.

A plain dataclass, not a pydantic model: settings are read while the window starts, and the
first pydantic model built in a process pays for pydantic's schema machinery (about 20 ms and
3.4 MiB here), which the document model defers until a document is opened (issue 7, T1/T18).
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sopdesigner.storage.atomic import atomic_output
from sopdesigner.storage.paths import settings_path

MAX_RECENT = 10
MAX_NAME = 200
THEMES = ("light", "dark", "system")
AUTOSAVE_RANGE = (1, 600)  # seconds
_MAX_GEOMETRY = 100_000  # characters of base64: a Qt geometry/state blob is a few hundred


@dataclass(frozen=True)
class Settings:
    user_name: str = ""
    theme: str = "system"  # one of THEMES
    grid_visible: bool = True
    snap_to_grid: bool = True
    show_legend: bool = True
    autosave_seconds: int = 3
    recent_files: list[str] = field(default_factory=list)
    window_geometry: str = ""  # base64 of QMainWindow.saveGeometry(), owned by the UI
    window_state: str = ""

    def __post_init__(self) -> None:
        # The same checks as a file read, so no code path can build settings a save would
        # write and a load would reject.
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            checked = _checked(f.name, value)
            if checked is None:
                raise ValueError(f"{f.name}: {value!r} is not a valid setting")
            if checked is not value:  # the list of recent files: a copy, at most MAX_RECENT
                object.__setattr__(self, f.name, checked)

    def with_recent(self, path: str | Path) -> Settings:
        p = str(Path(path).resolve())
        recent = [p] + [r for r in self.recent_files if r != p]
        return self.updated(recent_files=recent[:MAX_RECENT])

    def without_recent(self, path: str) -> Settings:
        return self.updated(recent_files=[r for r in self.recent_files if r != path])

    def updated(self, **changes: Any) -> Settings:
        """A copy with ``changes`` applied; raises ValueError for an invalid value."""
        return dataclasses.replace(self, **changes)

    def as_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: object) -> Settings:
        """Settings from parsed JSON: each known, valid value is kept; anything else (unknown
        keys, wrong types, out-of-range values) falls back to its default."""
        if not isinstance(data, dict):
            return cls()
        kept: dict[str, Any] = {}
        for f in dataclasses.fields(cls):
            if f.name in data:
                value = _checked(f.name, data[f.name])
                if value is not None:
                    kept[f.name] = value
        return cls(**kept)


def _checked(name: str, value: object) -> object | None:
    """``value`` as setting ``name`` stores it, or None when it is not valid for it."""
    if name in ("grid_visible", "snap_to_grid", "show_legend"):
        return value if isinstance(value, bool) else None
    if name == "theme":
        return value if value in THEMES else None
    if name == "autosave_seconds":
        ok = isinstance(value, int) and not isinstance(value, bool)
        return value if ok and AUTOSAVE_RANGE[0] <= value <= AUTOSAVE_RANGE[1] else None  # type: ignore[operator]
    if name == "user_name":
        return value if isinstance(value, str) and len(value) <= MAX_NAME else None
    if name in ("window_geometry", "window_state"):
        return value if isinstance(value, str) and len(value) <= _MAX_GEOMETRY else None
    if name == "recent_files":
        if not isinstance(value, list | tuple) or not all(isinstance(p, str) for p in value):
            return None
        return list(value[:MAX_RECENT])
    return None


def load_settings() -> Settings:
    path = settings_path()
    try:
        data = json.loads(path.read_bytes())
    except (OSError, ValueError, RecursionError):
        return Settings()
    return Settings.from_dict(data)


def save_settings(settings: Settings) -> None:
    path = settings_path()
    data = json.dumps(settings.as_dict(), indent=2, ensure_ascii=False).encode("utf-8")
    with atomic_output(path) as tmp:
        tmp.write_bytes(data)
