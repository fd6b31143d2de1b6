"""The log: a refusal (403) is one line, a real fault keeps its traceback."""

import logging
import sys

from heard.core.logging import RefusalWithoutTraceback


def _record(status: int) -> logging.LogRecord:
    try:
        raise PermissionError("no")
    except PermissionError:
        info = sys.exc_info()
    record = logging.LogRecord("django.request", logging.WARNING, __file__, 1, "x", (), info)
    record.status_code = status
    return record


def test_a_403_is_logged_without_its_traceback_and_a_500_keeps_it():
    handler_filter = RefusalWithoutTraceback()
    refused, failed = _record(403), _record(500)
    assert handler_filter.filter(refused) and handler_filter.filter(failed)
    assert refused.exc_info is None
    assert failed.exc_info is not None
    formatter = logging.Formatter("%(message)s")
    assert "Traceback" not in formatter.format(refused)
    assert "Traceback" in formatter.format(failed)


def test_the_console_handler_uses_the_filter():
    from django.conf import settings

    assert "refusal" in settings.LOGGING["handlers"]["console"]["filters"]


def test_django_logs_only_through_the_filtered_console_handler():
    """Found under ``make run``: Django's own DEBUG console handler still printed every
    403's traceback beside ours."""
    import logging

    assert not [h for h in logging.getLogger("django").handlers if type(h) is logging.StreamHandler]
    assert logging.getLogger("django").propagate
