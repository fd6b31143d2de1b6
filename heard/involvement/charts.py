"""Server-rendered SVG bar charts: geometry only (pure), drawn by a template.

Each chart compares two series per category (e.g. members % against population %, or
target against achieved), as horizontal bars. The data table beside it is the
accessible alternative; the SVG carries role="img" and a title.
"""

from dataclasses import dataclass

LABEL_WIDTH = 230
BAR_AREA = 300
ROW_HEIGHT = 34
BAR_HEIGHT = 12
TOP = 30


@dataclass(frozen=True)
class Bar:
    label: str
    y: float
    first_width: float
    second_width: float
    first_text: str
    second_text: str


@dataclass(frozen=True)
class Chart:
    title: str
    first_name: str
    second_name: str
    bars: list[Bar]
    width: int
    height: int
    label_width: int = LABEL_WIDTH
    bar_height: int = BAR_HEIGHT
    has_second: bool = True


def bar_chart(
    *,
    title: str,
    first_name: str,
    second_name: str,
    rows: list[tuple[str, float | None, float | None]],
    as_percent: bool = True,
    missing_text: str = "hidden",
) -> Chart:
    """rows: (category, first value, second value); None draws no bar and ``missing_text``.

    When no row has a second value, only the first series is drawn.
    """
    biggest = max([v for _, a, b in rows for v in (a, b) if v is not None] + [0.0]) or 1.0

    def width(value: float | None) -> float:
        return 0.0 if value is None else round(BAR_AREA * value / biggest, 1)

    def text(value: float | None) -> str:
        if value is None:
            return missing_text
        return f"{value * 100:.1f}%" if as_percent else f"{value:g}"

    bars = [
        Bar(
            label=label,
            y=TOP + i * ROW_HEIGHT,
            first_width=width(a),
            second_width=width(b),
            first_text=text(a),
            second_text=text(b),
        )
        for i, (label, a, b) in enumerate(rows)
    ]
    return Chart(
        title=title,
        first_name=first_name,
        second_name=second_name,
        bars=bars,
        width=LABEL_WIDTH + BAR_AREA + 90,
        height=TOP + len(rows) * ROW_HEIGHT + 10,
        has_second=any(b is not None for _, _, b in rows),
    )
