"""Server-rendered SVG bar charts (pure geometry, drawn by a template).

One series of counts per category (e.g. insights per month), as vertical bars with the
value above each. The data table beside the chart is the accessible alternative.
"""

from dataclasses import dataclass

HEIGHT = 180
TOP = 20
BOTTOM = 40
BAR_STEP = 36
BAR_WIDTH = 24
LEFT = 10


@dataclass(frozen=True)
class Column:
    label: str
    value: int
    x: float
    y: float
    height: float
    label_x: float


@dataclass(frozen=True)
class ColumnChart:
    title: str
    columns: list[Column]
    width: int
    height: int
    baseline: int
    bar_width: int = BAR_WIDTH


def column_chart(*, title: str, rows: list[tuple[str, int]]) -> ColumnChart:
    biggest = max([value for _, value in rows] + [1])
    plot = HEIGHT - TOP
    columns = []
    for i, (label, value) in enumerate(rows):
        h = round(plot * value / biggest, 1)
        x = LEFT + i * BAR_STEP
        columns.append(
            Column(
                label=label,
                value=value,
                x=x,
                y=TOP + plot - h,
                height=h,
                label_x=x + BAR_WIDTH / 2,
            )
        )
    return ColumnChart(
        title=title,
        columns=columns,
        width=LEFT * 2 + BAR_STEP * max(len(rows), 1),
        height=HEIGHT + BOTTOM,
        baseline=HEIGHT,
    )
