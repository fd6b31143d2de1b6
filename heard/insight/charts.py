"""Server-rendered SVG column charts (pure geometry, drawn by a template).

One series of counts per category (e.g. insights per month), as vertical bars with the
value above each and a two-line label below ("Mar" / "2025", "2025/26" / "Q1"). The
chart is drawn 640 units wide whatever the number of columns, and scales to its
container. The data table beside it is the accessible alternative.
"""

from dataclasses import dataclass

WIDTH = 640
HEIGHT = 200
TOP = 20
BOTTOM = 40
SIDE = 10


@dataclass(frozen=True)
class Column:
    label: str
    label_top: str
    label_bottom: str
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
    bar_width: float


def column_chart(*, title: str, rows: list[tuple[str, int]]) -> ColumnChart:
    biggest = max([value for _, value in rows] + [1])
    plot = HEIGHT - TOP
    step = (WIDTH - 2 * SIDE) / max(len(rows), 1)
    bar = round(step * 0.65, 1)
    columns = []
    for i, (label, value) in enumerate(rows):
        h = round(plot * value / biggest, 1)
        x = round(SIDE + i * step + (step - bar) / 2, 1)
        top, _, bottom = label.rpartition(" ")
        columns.append(
            Column(
                label=label,
                label_top=top or bottom,
                label_bottom=bottom if top else "",
                value=value,
                x=x,
                y=TOP + plot - h,
                height=h,
                label_x=round(x + bar / 2, 1),
            )
        )
    return ColumnChart(
        title=title,
        columns=columns,
        width=WIDTH,
        height=HEIGHT + BOTTOM,
        baseline=HEIGHT,
        bar_width=bar,
    )
