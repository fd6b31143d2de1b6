"""Background work for the insight bank (django-tasks)."""

from django_tasks import task


@task()
def import_insights(batch_id: int) -> None:
    """Run an uploaded insight import; progress is written to the InsightImport."""
    from heard.insight.services import insight_import_run

    insight_import_run(batch_id=batch_id)
