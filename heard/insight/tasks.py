"""Background work for the insight bank (django-tasks)."""

from django_tasks import task


@task()
def import_insights(batch_id: int, attempt: int | None = None) -> None:
    """Run an uploaded insight import; progress is written to the InsightImport."""
    from heard.insight.services import insight_import_run

    insight_import_run(batch_id=batch_id, attempt=attempt)


@task()
def remove_insight_import(batch_id: int, attempt: int | None = None) -> None:
    """Remove the insights an import stored, in chunks."""
    from heard.insight.services import insight_import_remove_run

    insight_import_remove_run(batch_id=batch_id, attempt=attempt)


@task()
def insights_for_responses(response_ids: list[int]) -> int:
    """Make the insights of online responses (tasks queued before ADR 11's owed queue)."""
    from heard.insight.receivers import insights_for_queued as make

    return make(response_ids)


@task()
def insights_catch_up() -> int:
    """Make every insight still owed for a stored free-text answer (after a crash)."""
    from heard.insight.receivers import insights_catch_up as catch_up

    return catch_up()
