"""The problems panel: the validation list (errors first), each row naming its node or
connector; clicking a row asks the window to select and centre it."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QStyle, QVBoxLayout, QWidget


def severity_of(problem: Any) -> str:
    """ "error" or "warning" (info and anything unknown count as warnings)."""
    sev = getattr(problem, "severity", "warning")
    sev = getattr(sev, "value", sev)
    return "error" if str(sev).lower() == "error" else "warning"


def target_of(problem: Any) -> tuple[list[str], list[str]]:
    """(node ids, edge ids) a problem points at, whatever shape the rules give it."""
    nodes: list[str] = []
    edges: list[str] = []
    for attr, out in (
        ("node", nodes),
        ("node_id", nodes),
        ("nodes", nodes),
        ("node_ids", nodes),
        ("edge", edges),
        ("edge_id", edges),
        ("edges", edges),
        ("edge_ids", edges),
    ):
        value = getattr(problem, attr, None)
        if isinstance(value, str) and value:
            out.append(value)
        elif isinstance(value, list | tuple):
            out.extend(v for v in value if isinstance(v, str))
    return list(dict.fromkeys(nodes)), list(dict.fromkeys(edges))


def summary_text(problems: list[Any]) -> str:
    errors = sum(1 for p in problems if severity_of(p) == "error")
    warnings = len(problems) - errors
    if not problems:
        return "No problems"
    parts = []
    if errors:
        parts.append(f"{errors} error{'s' if errors != 1 else ''}")
    if warnings:
        parts.append(f"{warnings} warning{'s' if warnings != 1 else ''}")
    return ", ".join(parts)


class ProblemsPanel(QWidget):
    #: (node ids, edge ids) of the clicked problem.
    problem_activated = Signal(list, list)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("problems_panel")
        self.setAccessibleName("Problems")
        self.summary = QLabel("No document is open.", self)
        self.summary.setObjectName("problems_summary")
        self.list = QListWidget(self)
        self.list.setObjectName("problems_list")
        self.list.setAccessibleName("Validation problems")
        self.list.setWordWrap(True)
        self.list.itemClicked.connect(self._activate)
        self.list.itemActivated.connect(self._activate)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.summary)
        layout.addWidget(self.list)
        self.problems: list[Any] = []

    def set_problems(self, problems: list[Any] | None) -> None:
        """Show ``problems``; None means no document is open."""
        self.list.clear()
        self.problems = list(problems or [])
        if problems is None:
            self.summary.setText("No document is open.")
            return
        ordered = sorted(self.problems, key=lambda p: severity_of(p) != "error")
        style = self.style()
        icons = {
            "error": style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxCritical),
            "warning": style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning),
        }
        for p in ordered:
            sev = severity_of(p)
            message = str(getattr(p, "message", p))
            item = QListWidgetItem(icons[sev], f"{sev.capitalize()}: {message}")
            nodes, edges = target_of(p)
            item.setData(Qt.ItemDataRole.UserRole, (nodes, edges))
            item.setToolTip(message)
            self.list.addItem(item)
        self.summary.setText(summary_text(self.problems))

    def set_checking(self) -> None:
        """A new document is shown and its validation has not run yet."""
        self.list.clear()
        self.problems = []
        self.summary.setText("Checking…")

    def _activate(self, item: QListWidgetItem) -> None:
        nodes, edges = item.data(Qt.ItemDataRole.UserRole)
        if nodes or edges:
            self.problem_activated.emit(list(nodes), list(edges))
