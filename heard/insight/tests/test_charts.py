"""Column chart geometry (pure)."""

from heard.insight.charts import column_chart


def test_bars_scale_to_the_biggest_value_and_labels_split_in_two():
    chart = column_chart(title="t", rows=[("Mar 2025", 10), ("2025/26 Q1", 5), ("None", 0)])
    tall, half, empty = chart.columns
    assert tall.height == 2 * half.height and empty.height == 0
    assert tall.y + tall.height == chart.baseline == empty.y
    assert (tall.label_top, tall.label_bottom) == ("Mar", "2025")
    assert (half.label_top, half.label_bottom) == ("2025/26", "Q1")
    assert (empty.label_top, empty.label_bottom) == ("None", "")
    assert chart.columns[-1].x + chart.bar_width <= chart.width
