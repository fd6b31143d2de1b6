"""The retention rules as a background task (the staff "Run now" button enqueues it)."""

from django_tasks import task

from heard.accounts.models import User
from heard.people.services.retention import retention_run


@task()
def retention_run_task(actor_id: int | None = None, dry_run: bool = False) -> int:
    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    return retention_run(actor=actor, dry_run=dry_run).pk
