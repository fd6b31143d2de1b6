"""Date ranges as index tokens: exact cover with few tokens (pure)."""

from datetime import date, timedelta

import pytest

from heard.insight.facets import date_range_tokens, date_tokens, facets_for


def _covers(tokens: list[str], day: date) -> bool:
    return bool(set(tokens) & set(date_tokens(day)))


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (date(2024, 2, 27), date(2026, 3, 2)),
        (date(2025, 1, 1), date(2025, 12, 31)),
        (date(2025, 4, 1), date(2026, 3, 31)),
        (date(2025, 4, 15), date(2025, 4, 15)),
        (date(2025, 4, 15), date(2025, 4, 14)),
    ],
)
def test_a_range_is_covered_exactly(start, end):
    tokens = date_range_tokens(start, end)
    first, last = start - timedelta(days=400), end + timedelta(days=400)
    day = first
    while day <= last:
        assert _covers(tokens, day) == (start <= day <= end), day
        day += timedelta(days=1)


def test_few_tokens_for_a_long_range():
    tokens = date_range_tokens(date(2019, 12, 30), date(2026, 2, 2))
    assert tokens[:2] == ["d20191230", "d20191231"]
    assert "y2020" in tokens and "y2025" in tokens and "m202601" in tokens
    assert len(tokens) == 2 + 6 + 1 + 2


def test_facets_name_place_source_topics_and_date():
    text = facets_for(
        locality="King's Lynn and West Norfolk",
        source="pals",
        topic_slugs=["gp-and-primary-care"],
        occurred_on=date(2025, 3, 9),
    )
    assert text.split() == [
        "srcpals",
        "y2025",
        "m202503",
        "d20250309",
        "lockingslynnandwestnorfolk",
        "topicgpandprimarycare",
    ]
