"""Themes and sentiment written back to the insight bank by the analysis of responses.

``Insight.themes`` and ``sentiment`` are "filled later, from analysis": the analysis app
calls this (in its own transaction) after a run and after each coding decision. Themes
are not in the search index (the theme filter is checked per match), so no reindex.
"""

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
    answers; answers with no insight are skipped. Returns the number updated."""
    by_answer = {r.answer_id: r for r in results}
    if not by_answer:
        return 0
    changed: list[Insight] = []
    fields = {"themes"}
    with transaction.atomic():
        for insight in Insight.objects.filter(answer_id__in=list(by_answer)).only(
            "pk", "answer_id", "themes", "sentiment", "sentiment_score"
        ):
            result = by_answer[int(insight.answer_id or 0)]
            insight.themes = sorted(set(result.themes))
            if result.sentiment is not None:
                insight.sentiment = result.sentiment
                insight.sentiment_score = result.sentiment_score
                fields |= {"sentiment", "sentiment_score"}
            changed.append(insight)
        Insight.objects.bulk_update(changed, sorted(fields), batch_size=500)
    return len(changed)
