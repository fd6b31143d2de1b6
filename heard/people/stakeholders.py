"""The stakeholder map (interest x influence, 1 to 5), free of Django.

Scores of 4 or 5 are "high". The four quadrants say how to engage:
high influence and interest – manage closely; high influence, lower interest – keep
satisfied; high interest, lower influence – keep informed; both lower – monitor.
"""

import math
from dataclasses import dataclass

HIGH = 4
MANAGE_CLOSELY = "Manage closely"
KEEP_SATISFIED = "Keep satisfied"
KEEP_INFORMED = "Keep informed"
MONITOR = "Monitor"


def quadrant(interest: int, influence: int) -> str:
    if influence >= HIGH:
        return MANAGE_CLOSELY if interest >= HIGH else KEEP_SATISFIED
    return KEEP_INFORMED if interest >= HIGH else MONITOR


@dataclass(frozen=True)
class Point:
    number: int
    name: str
    interest: int
    influence: int
    x: float
    y: float
    radius: float = 11

    @property
    def quadrant(self) -> str:
        return quadrant(self.interest, self.influence)


# Drawing area (SVG user units): a 5 x 5 grid of cells inside margins for the axis labels.
LEFT, TOP, CELL = 70, 20, 100
SIZE = 5 * CELL
WIDTH, HEIGHT = LEFT + SIZE + 20, TOP + SIZE + 60


def cell_origin(interest: int, influence: int) -> tuple[float, float]:
    """Top-left corner of the cell for a score pair (influence 5 at the top)."""
    return LEFT + (interest - 1) * CELL, TOP + (5 - influence) * CELL


def layout(groups: list[tuple[str, int, int]]) -> list[Point]:
    """Place each (name, interest, influence) in its cell, spreading groups that share one."""
    by_cell: dict[tuple[int, int], list[int]] = {}
    clamped = [(name, min(max(i, 1), 5), min(max(f, 1), 5)) for name, i, f in groups]
    for index, (_, interest, influence) in enumerate(clamped):
        by_cell.setdefault((interest, influence), []).append(index)
    points: list[Point] = []
    for index, (name, interest, influence) in enumerate(clamped):
        siblings = by_cell[(interest, influence)]
        slot = siblings.index(index)
        per_row = math.ceil(math.sqrt(len(siblings)))
        rows = math.ceil(len(siblings) / per_row)
        col, row = slot % per_row, slot // per_row
        x0, y0 = cell_origin(interest, influence)
        step = CELL / (max(per_row, rows) + 1)
        x = x0 + CELL * (col + 1) / (per_row + 1)
        y = y0 + CELL * (row + 1) / (rows + 1)
        radius = min(11.0, step / 2 - 1)
        points.append(
            Point(index + 1, name, interest, influence, round(x, 1), round(y, 1), round(radius, 1))
        )
    return points
