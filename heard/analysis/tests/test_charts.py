from heard.analysis.charts import theme_chart


def test_bars_are_split_by_sentiment_and_scaled_to_the_biggest_theme():
    chart = theme_chart(title="T", rows=[("Waiting", 10, 0, 10), ("Kind staff", 0, 5, 5)])
    first, second = chart.bars
    assert first.total == 20 and second.total == 10
    assert [s.mood for s in first.segments] == ["negative", "positive"]  # no empty segment
    assert sum(s.width for s in first.segments) == 2 * sum(s.width for s in second.segments)
    assert second.y > first.y
    assert theme_chart(title="T", rows=[]).bars == []
