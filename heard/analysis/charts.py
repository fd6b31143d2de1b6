"""A server-rendered SVG chart of themes: one horizontal bar per theme, split into
negative, neutral and positive responses (pure geometry, drawn by a template). The
table beside it on the page holds the same figures and is the accessible alternative."""

from dataclasses import dataclass

LABEL_WIDTH = 220
BAR_AREA = 360
ROW = 26
BAR = 18
TOP = 24
COLOURS = {"negative": "#d5281b", "neutral": "#768692", "positive": "#007f3b"}


@dataclass(frozen=True)
class Segment:
    mood: str
    x: float
    width: float
    colour: str


@dataclass(frozen=True)
class Bar:
    label: str
    total: int
    y: float
    text_y: float
    segments: list[Segment]
    end_x: float


@dataclass(frozen=True)
class ThemeChart:
    title: str
    bars: list[Bar]
    width: int
    height: int
    label_width: int = LABEL_WIDTH


def theme_chart(*, title: str, rows: list[tuple[str, int, int, int]]) -> ThemeChart:
    """``rows``: (theme name, negative, neutral, positive) per theme."""
    biggest = max([n + m + p for _, n, m, p in rows] + [1])
    bars = []
    for i, (label, negative, neutral, positive) in enumerate(rows):
        y = TOP + i * ROW
        x = float(LABEL_WIDTH)
        segments = []
        for mood, count in (("negative", negative), ("neutral", neutral), ("positive", positive)):
            width = round(BAR_AREA * count / biggest, 1)
            if width > 0:
                segments.append(Segment(mood, x, width, COLOURS[mood]))
            x += width
        bars.append(
            Bar(
                label=label if len(label) <= 32 else label[:31] + "…",
                total=negative + neutral + positive,
                y=y,
                text_y=y + BAR - 4,
                segments=segments,
                end_x=x + 4,
            )
        )
    return ThemeChart(
        title=title,
        bars=bars,
        width=LABEL_WIDTH + BAR_AREA + 50,
        height=TOP + ROW * max(len(rows), 1) + 6,
    )
