"""Display formats shared by the record panels (the stored stamps stay full ISO 8601)."""

from __future__ import annotations


def short_time(stamp: str | None) -> str:
    """'2026-11-26T14:34:11.734191Z' → '2026-11-26 14:34 UTC' (whole stamp in tooltips)."""
    if not stamp:
        return "?"
    if len(stamp) >= 16 and stamp[10] == "T":
        return f"{stamp[:10]} {stamp[11:16]} UTC"
    return stamp


def esc(text: str) -> str:
    """Escape text for a Qt rich-text label."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
