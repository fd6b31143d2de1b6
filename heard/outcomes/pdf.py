"""The outcome report as a tagged PDF: the same template as the HTML page, laid out for
print (heard.core.pdf: PDF/UA-1, nothing fetched from the network)."""

from typing import Any

from heard.core.pdf import template_pdf


def report_pdf(context: dict[str, Any]) -> bytes:
    return template_pdf("outcomes/report/document.html", context)
