"""Making insights in tests the way the app does: through the service (indexed)."""

from datetime import date

from heard.insight.models import Insight
from heard.insight.services import InsightDraft, insights_create


def add_insights(
    texts: list[str],
    *,
    source: str = "pals",
    occurred_on: date | None = None,
    locality: str = "",
    service: str = "",
    topic_ids: tuple[int, ...] = (),
    themes: tuple[str, ...] = (),
    channel: str = "",
) -> list[Insight]:
    return insights_create(
        drafts=[
            InsightDraft(
                text=text,
                source=source,
                occurred_on=occurred_on or date(2025, 6, 1),
                locality=locality,
                service=service,
                topic_ids=topic_ids,
                themes=themes,
                channel=channel,
            )
            for text in texts
        ]
    )
