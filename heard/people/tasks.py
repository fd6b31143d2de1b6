"""Background work for people: running member imports (django-tasks)."""

from django_tasks import task


@task()
def import_members(batch_id: int) -> None:
    """Run a started import; progress is written to the ImportBatch as it goes."""
    from heard.people.services.imports import import_run

    import_run(batch_id=batch_id)
