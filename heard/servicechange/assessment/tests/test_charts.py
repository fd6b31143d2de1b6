"""The ranking chart's geometry."""

from heard.servicechange.assessment.charts import LABEL_WIDTH, VALUE_WIDTH, WIDTH, ranking_chart


def test_bars_are_on_the_fixed_0_to_5_scale():
    chart = ranking_chart(title="t", rows=[("Top", 5.0), ("Half", 2.5), ("None", 0.0)])
    area = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    assert [b.width for b in chart.bars] == [area, area / 2, 0]
    assert [b.y for b in chart.bars] == [10, 40, 70]
    assert chart.height == 20 + 3 * 30
    assert all(b.value_x == LABEL_WIDTH + b.width + 6 for b in chart.bars)


def test_long_labels_are_shortened_and_values_kept():
    chart = ranking_chart(title="t", rows=[("A very long option title that goes on and on", 3.2)])
    assert chart.bars[0].label.endswith("…") and len(chart.bars[0].label) == 34
    assert chart.bars[0].value == 3.2


def test_empty_chart_has_a_height():
    assert ranking_chart(title="t", rows=[]).height > 0
