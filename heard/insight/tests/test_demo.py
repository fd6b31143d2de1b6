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
    # Through the import, as an analyst would bring them in: every row taken, none refused,
    # the FFT file's coded themes kept and the topics recognised.
    assert all(
        (b.status, b.imported_rows, b.rejected_rows) == ("done", 300, 0)
        for b in InsightImport.objects.all()
    )
    if demo.FFT_FILE.exists():
        assert Insight.objects.filter(source="fft").exclude(themes=[]).count() > 250
    assert Insight.objects.filter(topics__isnull=False).distinct().count() > 100
