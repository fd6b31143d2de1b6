"""Background work for exports (django-tasks)."""

from django_tasks import task


@task()
def make_export(export_id: int) -> None:
    """Make one queued export; progress is written to the Export as it goes."""
    from heard.exports.services import export_execute

    export_execute(export_id=export_id)


@task()
def cleanup_exports() -> int:
    """Delete the files of exports older than HEARD_EXPORTS_KEEP_HOURS."""
    from heard.exports.services import exports_cleanup

    return exports_cleanup()
