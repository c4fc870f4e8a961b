"""User settings (name, theme, grid, recent files…) as a small JSON file in the config folder.

A missing or unreadable settings file never stops the app: it falls back to defaults and the
next save writes a good file (atomically, so a crash cannot leave half a file).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from sopdesigner.storage.atomic import atomic_output
from sopdesigner.storage.paths import settings_path

MAX_RECENT = 10


class Settings(BaseModel):
    model_config = ConfigDict(extra="ignore")

    user_name: str = Field(default="", max_length=200)
    theme: Literal["light", "dark", "system"] = "system"
    grid_visible: bool = True
    snap_to_grid: bool = True
    show_legend: bool = True
    autosave_seconds: int = Field(default=3, ge=1, le=600)
    recent_files: list[str] = Field(default_factory=list, max_length=MAX_RECENT)
    window_geometry: str = ""  # base64 of QMainWindow.saveGeometry(), owned by the UI
    window_state: str = ""

    def with_recent(self, path: str | Path) -> Settings:
        p = str(Path(path).resolve())
        recent = [p] + [r for r in self.recent_files if r != p]
        return self.model_copy(update={"recent_files": recent[:MAX_RECENT]})


def load_settings() -> Settings:
    path = settings_path()
    try:
        return Settings.model_validate_json(path.read_bytes())
    except (OSError, ValidationError, ValueError):
        return Settings()


def save_settings(settings: Settings) -> None:
    path = settings_path()
    data = json.dumps(settings.model_dump(), indent=2, ensure_ascii=False).encode("utf-8")
    with atomic_output(path) as tmp:
        tmp.write_bytes(data)
