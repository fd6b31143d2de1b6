"""Logging helpers: every log line names the request it belongs to."""

import logging

from heard.core.request_context import current_request_id


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id() or "-"
        return True


class RefusalWithoutTraceback(logging.Filter):
    """A 403 is the role matrix working, not a fault: keep its one-line warning (who was
    refused what is audited where it matters) but not the stack trace Django attaches,
    which buried real errors in the log."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name == "django.request" and getattr(record, "status_code", None) == 403:
            record.exc_info = None
            record.exc_text = None
        return True
