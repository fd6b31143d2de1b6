"""Background work for people: running member imports and removing them (django-tasks)."""

from django_tasks import task


@task()
def import_members(batch_id: int, attempt: int | None = None) -> None:
    """Run a started import; progress is written to the ImportBatch as it goes."""
    from heard.people.services.imports import import_run

    import_run(batch_id=batch_id, attempt=attempt)


@task()
def import_remove(batch_id: int, attempt: int | None = None) -> None:
    """Remove the people an import added, in chunks (see import_delete)."""
    from heard.people.services.imports import import_remove_run

    import_remove_run(batch_id=batch_id, attempt=attempt)
