"""The options ranking as a horizontal bar chart: geometry only (pure), drawn by a
template. The data table beside it is the accessible alternative; the SVG carries
role="img" and a title. Scores are on the fixed 0–5 scale, so bars are comparable
between proposals."""

from dataclasses import dataclass

from heard.servicechange.assessment.appraisal import SCORE_MAX

WIDTH = 640
LABEL_WIDTH = 240
VALUE_WIDTH = 50
ROW_HEIGHT = 30
BAR_HEIGHT = 16
TOP = 10


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    y: float
    width: float
    text_y: float
    value_x: float


@dataclass(frozen=True)
class RankingChart:
    title: str
    bars: list[Bar]
    width: int
    height: int
    label_width: int
    bar_height: int
    axis_x: int


def _short(label: str, limit: int = 34) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def ranking_chart(*, title: str, rows: list[tuple[str, float]]) -> RankingChart:
    area = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    bars = []
    for i, (label, value) in enumerate(rows):
        y = TOP + i * ROW_HEIGHT
        width = round(area * max(0.0, min(value, SCORE_MAX)) / SCORE_MAX, 1)
        bars.append(
            Bar(
                label=_short(label),
                value=value,
                y=y,
                width=width,
                text_y=y + BAR_HEIGHT - 3,
                value_x=LABEL_WIDTH + width + 6,
            )
        )
    return RankingChart(
        title=title,
        bars=bars,
        width=WIDTH,
        height=TOP * 2 + ROW_HEIGHT * max(len(rows), 1),
        label_width=LABEL_WIDTH,
        bar_height=BAR_HEIGHT,
        axis_x=LABEL_WIDTH,
    )
