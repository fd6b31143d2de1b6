"""Background work for analysis (django-tasks)."""

from django_tasks import task


@task()
def run_analysis(run_id: int) -> None:
    """Run one queued analysis; progress is written to the AnalysisRun as it goes."""
    from heard.analysis.services import analysis_run_execute

    analysis_run_execute(run_id=run_id)
