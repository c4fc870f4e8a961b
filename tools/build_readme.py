"""Assemble README.md from the sections in docs/readme/ (edit those, then run this).

Usage: python tools/build_readme.py [--check]   (--check: exit 1 if README.md is stale)
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PARTS = ROOT / "docs" / "readme"
#: Reading order of the README.
ORDER = (
    "00-intro.md",
    "cli.md",
    "rules.md",
    "templates.md",
    "editor.md",
    "layout.md",
    "canvas.md",
    "records.md",
    "audit-exports.md",
    "formats.md",
    "architecture.md",
    "performance.md",
    "reliability.md",
    "development.md",
)


def build() -> str:
    sections = []
    for name in ORDER:
        text = (PARTS / name).read_text(encoding="utf-8").rstrip("\n")
        if name == "layout.md":  # a subsection of the editor chapter
            text = text.replace("## Auto layout", "### Auto layout", 1)
        sections.append(text)
    return "\n\n".join(sections) + "\n"


def main(argv: list[str]) -> int:
    readme = ROOT / "README.md"
    text = build()
    if "--check" in argv:
        if readme.read_text(encoding="utf-8") != text:
            print("README.md is stale: run python tools/build_readme.py", file=sys.stderr)
            return 1
        return 0
    readme.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
