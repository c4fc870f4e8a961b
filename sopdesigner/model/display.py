"""Plain-text renderings shared by the PDF report, the CLI and the panels."""

from __future__ import annotations


def human_size(size: int) -> str:
    """``17 bytes``, ``1.5 KiB``, ``3.2 MiB``, ``1.0 GiB`` (binary units, as file managers use)."""
    value = float(size)
    for unit in ("bytes", "KiB", "MiB", "GiB"):
        if value < 1024 or unit == "GiB":
            return f"{size} bytes" if unit == "bytes" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} bytes"
