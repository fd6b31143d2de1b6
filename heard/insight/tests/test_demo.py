"""The demo insights: three other sources, a few hundred each, idempotent, redacted."""

import pytest

from heard.demo import insight as demo
from heard.insight.models import Insight, InsightImport
from heard.insight.selectors import InsightFilter, insight_search

pytestmark = pytest.mark.django_db


def test_demo_loads_three_sources_once_with_personal_data_removed():
    made = demo.load()
    assert sorted(made.values()) == [300, 300, 300]
    assert demo.load() == {}
    assert InsightImport.objects.count() == 3
    sources = set(Insight.objects.values_list("source", flat=True))
    assert {"fft", "pals", "healthwatch"} <= sources
    assert Insight.objects.count() == 900
    assert Insight.objects.filter(text__contains="My name is").exists()
    for name in demo.FICTIONAL_NAMES:
        assert not Insight.objects.filter(redacted_text__contains=name).exists()
    assert Insight.objects.filter(text__contains="07700 900").exists()
    assert not Insight.objects.filter(redacted_text__contains="07700 900").exists()
    assert not Insight.objects.filter(redacted_text__contains="@example.com").exists()
    assert insight_search(InsightFilter(q="dentists", source="healthwatch")).total > 0
