"""Themes and sentiment written back to the insight bank by the analysis of responses.

``Insight.themes`` and ``sentiment`` are "filled later, from analysis": the analysis app
calls this (in its own transaction) after a run and after each coding decision. Themes
are not in the search index (the theme filter is checked per match), so no reindex.
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction

from heard.insight.models import Insight


@dataclass(frozen=True)
class AnswerAnalysed:
    answer_id: int
    themes: Sequence[str]
    sentiment: str | None = None  # None: leave as it is
    sentiment_score: float | None = None


def insights_annotate(*, results: Sequence[AnswerAnalysed]) -> int:
    """Set the themes (and sentiment, when given) of the insights made from these
    answers; answers with no insight are skipped. Returns the number of changes written."""
    by_answer = {r.answer_id: r for r in results}
    if not by_answer:
        return 0
    # Only rows that change are written, grouped by value (a run touches thousands of
    # rows, most with the same few theme lists; sentiment rarely changes).
    themes_to: dict[tuple[str, ...], list[int]] = defaultdict(list)
    moods: list[Insight] = []
    with transaction.atomic():
        for insight in Insight.objects.filter(answer_id__in=list(by_answer)).only(
            "pk", "answer_id", "themes", "sentiment", "sentiment_score"
        ):
            result = by_answer[int(insight.answer_id or 0)]
            themes = tuple(sorted(set(result.themes)))
            if list(themes) != list(insight.themes or []):
                themes_to[themes].append(insight.pk)
            if result.sentiment is not None and (
                result.sentiment != insight.sentiment
                or result.sentiment_score != insight.sentiment_score
            ):
                insight.sentiment = result.sentiment
                insight.sentiment_score = result.sentiment_score
                moods.append(insight)
        for themes, ids in themes_to.items():
            for start in range(0, len(ids), 900):
                Insight.objects.filter(pk__in=ids[start : start + 900]).update(themes=list(themes))
        Insight.objects.bulk_update(moods, ["sentiment", "sentiment_score"], batch_size=500)
    return sum(len(ids) for ids in themes_to.values()) + len(moods)
