"""Background work for engagement (django-tasks)."""

from django_tasks import task


@task()
def outcome_mail(activity_id: int, url: str) -> int:
    """Email everyone who asked to hear the outcome of an activity, in batches."""
    from heard.engagement.services_outcome_mail import (
        BATCH,
        outcome_mail_batch,
        outcome_requests_pending,
    )

    ids = outcome_requests_pending(activity_id)
    return sum(
        outcome_mail_batch(request_ids=ids[i : i + BATCH], url=url)
        for i in range(0, len(ids), BATCH)
    )


@task()
def import_responses(batch_id: int, attempt: int | None = None) -> None:
    """Run a response import in chunks; progress is written to the ResponseImport."""
    from heard.engagement.services_response_imports import response_import_run

    response_import_run(batch_id=batch_id, attempt=attempt)


@task()
def remove_response_import(batch_id: int, attempt: int | None = None) -> None:
    """Remove the responses an import stored, in chunks."""
    from heard.engagement.services_response_imports import response_import_remove_run

    response_import_remove_run(batch_id=batch_id, attempt=attempt)
