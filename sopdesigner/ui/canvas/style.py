"""Canvas themes (light, dark, print), fonts and z-order: every colour the canvas draws with.

Status colours come from ``model.status.STATUS_STYLES`` and are the same in every theme, so a
status reads the same on screen, on a projector and on paper.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from PySide6.QtGui import QColor, QFont

from sopdesigner.model.enums import Decision, Status
from sopdesigner.model.status import DECISION_STATUS, STATUS_STYLES


@dataclass(frozen=True)
class Theme:
    name: str
    background: str
    grid: str
    grid_major: str
    lane_fill_a: str
    lane_fill_b: str
    lane_border: str
    lane_header_fill: str
    lane_header_text: str
    node_fill: str
    node_border: str
    node_text: str
    node_subtext: str
    note_fill: str
    note_border: str
    terminal_fill: str
    badge_fill: str
    badge_text: str
    edge: str
    edge_rework: str
    edge_label_fill: str
    edge_label_text: str
    selection: str
    port: str
    header_fill: str
    header_text: str
    header_subtext: str

    def __hash__(self) -> int:
        # Pens are cached per theme for every item built; hashing ~25 colour strings each
        # time showed in a 10,000-node open. Equal themes share a name, so this stays valid.
        return hash(self.name)

    def color(self, attr: str) -> QColor:
        return _qcolor(getattr(self, attr))


LIGHT = Theme(
    name="light",
    background="#FFFFFF",
    grid="#EDEFF2",
    grid_major="#DADEE4",
    lane_fill_a="#F7F9FC",
    lane_fill_b="#EEF2F8",
    lane_border="#C5CCD6",
    lane_header_fill="#E3E8F0",
    lane_header_text="#1F2933",
    node_fill="#FFFFFF",
    node_border="#52606D",
    node_text="#1F2933",
    node_subtext="#52606D",
    note_fill="#FFF8C5",
    note_border="#B59F3B",
    terminal_fill="#E6ECF5",
    badge_fill="#E4E7EB",
    badge_text="#1F2933",
    edge="#3E4C59",
    edge_rework="#B3461B",
    edge_label_fill="#FFFFFF",
    edge_label_text="#1F2933",
    selection="#2F6FED",
    port="#2F6FED",
    header_fill="#F0F4F8",
    header_text="#102A43",
    header_subtext="#486581",
)

DARK = Theme(
    name="dark",
    background="#1B1F24",
    grid="#252A31",
    grid_major="#2E343C",
    lane_fill_a="#20252C",
    lane_fill_b="#262C34",
    lane_border="#3C4550",
    lane_header_fill="#2D343D",
    lane_header_text="#E4E7EB",
    node_fill="#2B313A",
    node_border="#9AA5B1",
    node_text="#F5F7FA",
    node_subtext="#B8C2CC",
    note_fill="#4A4526",
    note_border="#C9B458",
    terminal_fill="#33404F",
    badge_fill="#3E4753",
    badge_text="#F5F7FA",
    edge="#B8C2CC",
    edge_rework="#F08A5D",
    edge_label_fill="#1B1F24",
    edge_label_text="#E4E7EB",
    selection="#6EA8FE",
    port="#6EA8FE",
    header_fill="#242A31",
    header_text="#F5F7FA",
    header_subtext="#B8C2CC",
)

# Paper: white, no tinted lane fills that turn muddy on a grey-scale printer.
PRINT = Theme(
    **{
        **LIGHT.__dict__,
        "name": "print",
        "grid": "#FFFFFF",
        "grid_major": "#FFFFFF",
        "lane_fill_a": "#FFFFFF",
        "lane_fill_b": "#F5F5F5",
        "lane_border": "#9E9E9E",
        "lane_header_fill": "#EEEEEE",
        "node_border": "#333333",
        "header_fill": "#FFFFFF",
    }
)

THEMES = {t.name: t for t in (LIGHT, DARK, PRINT)}


def theme_named(name: str) -> Theme:
    """The theme called ``name`` ("light", "dark" or "print"); unknown names give LIGHT."""
    return THEMES.get(name.lower(), LIGHT)


@cache
def _qcolor(spec: str) -> QColor:
    return QColor(spec)


def status_colour(status: Status) -> QColor:
    return _qcolor(STATUS_STYLES[status].colour)


def status_text_colour(status: Status) -> QColor:
    return _qcolor(STATUS_STYLES[status].text_on)


def decision_status(decision: Decision) -> Status:
    return DECISION_STATUS[decision]


# Z order: lanes at the back, then edges, nodes, handles, and editors on top.
Z_LANE = -100.0
Z_LANE_HEADER = -90.0
Z_HEADER = -80.0
Z_EDGE = 0.0
Z_NODE = 10.0
Z_SELECTED_EDGE = 15.0
Z_DRAG_NODE = 20.0
Z_GESTURE = 50.0
Z_EDITOR = 100.0


def ui_font(pixel_size: int, *, bold: bool = False) -> QFont:
    """A font sized in scene units, so layout is the same on screen, in PNG and in SVG."""
    font = QFont()
    font.setPixelSize(pixel_size)
    font.setBold(bold)
    return font
