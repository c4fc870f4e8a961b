"""Identifiers: random hex ids for new objects, readable slugs for template objects."""

from __future__ import annotations

import re
import unicodedata
import uuid
from collections.abc import Collection


def new_id() -> str:
    """A fresh id (uuid4 hex); created once and saved, never recomputed."""
    return uuid.uuid4().hex


def slugify(text: str, taken: Collection[str] = (), fallback: str = "node") -> str:
    """A short readable id (``technical-validation``) not in ``taken``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    base = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:40].strip("-") or fallback
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug
